//! `codeguard init-rules` through the real binary: the instruction files it writes for the
//! fixture project (Python and Rust), which rules they hold, `--check`, `--print`,
//! idempotence around the user's own text, the size budget, and hostile project trees.

mod common;

use common::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

/// Every instruction file, as `init-rules` names and writes it.
const TARGETS: [(&str, &str); 4] = [
    ("cursor", ".cursor/rules/codeguard.mdc"),
    ("claude", "CLAUDE.md"),
    ("copilot", ".github/copilot-instructions.md"),
    ("agents", "AGENTS.md"),
];

fn codeguard(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codeguard"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// A copy of the fixture project: Python files under `app/`, a Rust file under `src/`.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&workspace().join("tests/fixtures/project"), dir.path());
    dir
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The rule ids on the guidance lines of an instruction file (`- CG-ML001: ...`), in order.
fn rule_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("- "))
        .filter_map(|l| l.split_once(": "))
        .map(|(id, _)| id.to_string())
        .collect()
}

/// The ids of the rules `codeguard rules` lists in `dir` for these languages, without audits
/// unless `with_opt_in`.
fn listed_rules(dir: &Path, langs: &[&str], with_opt_in: bool) -> BTreeSet<String> {
    let out = codeguard(dir, &["rules", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    rules
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| with_opt_in || r["opt_in"] == false)
        .filter(|r| {
            // Rules on model files apply to every project.
            r["artifact"].is_string()
                || r["languages"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|l| langs.contains(&l.as_str().unwrap()))
        })
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn writes_each_assistants_file_for_the_fixture_project() {
    let dir = project();
    let out = codeguard(
        dir.path(),
        &["init-rules", "cursor", "claude", "copilot", "agents"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for (name, rel) in TARGETS {
        assert!(
            stderr(&out).contains(&format!("wrote {rel}")),
            "{}",
            stderr(&out)
        );
        let text = read(dir.path(), rel);
        insta::with_settings!({
            snapshot_path => workspace().join("tests/snapshots/init_rules"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("codeguard init-rules {name}: {rel}"),
        }, {
            insta::assert_snapshot!(name, text);
        });
    }
    let cursor = read(dir.path(), ".cursor/rules/codeguard.mdc");
    assert!(cursor.starts_with("---\ndescription: "), "{cursor}");
    assert!(cursor.contains("\nglobs: **/*.py,**/*.pyi,**/*.pyw,**/*.rs\n"));
    assert!(cursor.contains("\nalwaysApply: false\n---\n"));
    // The project has Python and Rust files: rules for either are there, rules for
    // neither (MCP client configurations only) are not.
    assert!(cursor.contains("- CG-ML001: ") && cursor.contains("- CG-ML009: "));
}

#[test]
fn every_enabled_rule_appears_exactly_once() {
    let dir = project();
    // Everything on, audits and the model-signing rule included.
    std::fs::write(
        dir.path().join("codeguard.toml"),
        "select = [\"ml\", \"sec\", \"llm\", \"mcp\", \"core\", \"CG-ML006\", \"request-without-timeout\", \"urlopen-any-scheme\", \"unsafe-memory-misuse\"]\n",
    )
    .unwrap();
    let expected = listed_rules(dir.path(), &["python", "rust", "text"], true);
    assert!(expected.len() >= 55, "{expected:?}");
    assert!(expected.contains("CG-ML006") && expected.contains("CG-CORE026"));
    for (name, _) in TARGETS {
        let out = codeguard(dir.path(), &["init-rules", name, "--print"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let ids = rule_lines(&stdout(&out));
        let unique: BTreeSet<String> = ids.iter().cloned().collect();
        assert_eq!(
            ids.len(),
            unique.len(),
            "{name}: a rule appears twice: {ids:?}"
        );
        assert_eq!(unique, expected, "{name}");
    }

    // The default configuration: no audits, and CG-ML006 and CG-ML013 wait until model
    // signing is adopted (as in the guardrail).
    std::fs::remove_file(dir.path().join("codeguard.toml")).unwrap();
    let out = codeguard(dir.path(), &["init-rules", "claude", "--print"]);
    let ids: BTreeSet<String> = rule_lines(&stdout(&out)).into_iter().collect();
    let mut defaults = listed_rules(dir.path(), &["python", "rust", "text"], false);
    defaults.remove("CG-ML006");
    defaults.remove("CG-ML013");
    assert_eq!(ids, defaults);
    assert!(!ids.contains("CG-CORE026") && !ids.contains("CG-ML006"));
    // MCP client configurations are not in the project: their rules only if they also
    // cover its languages.
    assert!(!ids.contains("CG-MCP010") || defaults.contains("CG-MCP010"));
}

#[test]
fn the_configuration_and_the_languages_choose_the_rules() {
    let dir = project();
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.codeguard]\nignore = [\"core\", \"CG-SEC002\"]\n",
    )
    .unwrap();
    let out = codeguard(dir.path(), &["init-rules", "agents", "--print"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let ids = rule_lines(&stdout(&out));
    assert!(ids.iter().all(|id| !id.starts_with("CG-CORE")), "{ids:?}");
    assert!(!ids.contains(&"CG-SEC002".to_string()));
    assert!(!stdout(&out).contains("## Classic injection and crypto"));
    assert!(ids.contains(&"CG-SEC001".to_string()));

    // A Rust-only project gets no Python-only rules.
    let rust = tempfile::tempdir().unwrap();
    std::fs::create_dir(rust.path().join("src")).unwrap();
    std::fs::write(rust.path().join("src/main.rs"), "fn main() {}\n").unwrap();
    let out = codeguard(
        rust.path(),
        &["init-rules", "cursor", "--print", "--isolated"],
    );
    let text = stdout(&out);
    assert!(text.contains("\nglobs: **/*.rs\n"), "{text}");
    assert!(text.contains("when you write Rust code here"), "{text}");
    assert!(text.contains("- CG-ML009: ") && !text.contains("- CG-ML001: "));

    // --lang overrides what is found.
    let out = codeguard(
        rust.path(),
        &[
            "init-rules",
            "cursor",
            "--print",
            "--isolated",
            "--lang",
            "python",
        ],
    );
    let text = stdout(&out);
    assert!(text.contains("- CG-ML001: ") && !text.contains("- CG-ML009: "));
    let out = codeguard(rust.path(), &["init-rules", "cursor", "--lang", "cobol"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cobol"), "{}", stderr(&out));
}

#[test]
fn check_fails_on_missing_and_stale_files_and_passes_on_fresh_ones() {
    let dir = project();
    let check = |target: &str| codeguard(dir.path(), &["init-rules", target, "--check"]);
    let out = check("claude");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("CLAUDE.md is missing: run `codeguard init-rules claude`"));
    assert!(
        !dir.path().join("CLAUDE.md").exists(),
        "--check writes nothing"
    );

    for (name, _) in TARGETS {
        assert!(
            codeguard(dir.path(), &["init-rules", name])
                .status
                .success()
        );
        let out = check(name);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
    }

    // Someone edits the section by hand: stale.
    let claude = read(dir.path(), "CLAUDE.md").replace("CG-ML001: Load", "CG-ML001: Maybe load");
    std::fs::write(dir.path().join("CLAUDE.md"), claude).unwrap();
    let out = check("claude");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("CLAUDE.md is stale"),
        "{}",
        stderr(&out)
    );

    // The configuration changes: every file is stale until it is written again.
    std::fs::write(dir.path().join("codeguard.toml"), "ignore = [\"mcp\"]\n").unwrap();
    let out = codeguard(
        dir.path(),
        &["init-rules", "cursor", "copilot", "agents", "--check"],
    );
    assert_eq!(out.status.code(), Some(1));
    for rel in [
        ".cursor/rules/codeguard.mdc",
        ".github/copilot-instructions.md",
        "AGENTS.md",
    ] {
        assert!(
            stderr(&out).contains(&format!("{rel} is stale")),
            "{}",
            stderr(&out)
        );
    }
    assert!(
        codeguard(dir.path(), &["init-rules", "cursor", "copilot", "agents"])
            .status
            .success()
    );
    assert_eq!(
        codeguard(
            dir.path(),
            &["init-rules", "cursor", "copilot", "agents", "--check"]
        )
        .status
        .code(),
        Some(0)
    );
}

#[test]
fn rewriting_keeps_the_users_text_and_changes_nothing_twice() {
    let dir = project();
    let before = "# Project notes\n\nUse tabs. Run `make test` before committing.\n";
    std::fs::write(dir.path().join("AGENTS.md"), before).unwrap();
    assert!(
        codeguard(dir.path(), &["init-rules", "agents"])
            .status
            .success()
    );
    let first = read(dir.path(), "AGENTS.md");
    assert!(
        first.starts_with(&format!("{before}\n<!-- codeguard:begin ")),
        "{first}"
    );
    assert!(first.ends_with("<!-- codeguard:end -->\n"));

    let out = codeguard(dir.path(), &["init-rules", "agents"]);
    assert!(
        stderr(&out).contains("AGENTS.md is up to date"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(dir.path(), "AGENTS.md"), first);

    // Text after the section, then a configuration change: only the section moves.
    let after = "\n## Deploying\n\nAsk Sam.\n";
    std::fs::write(dir.path().join("AGENTS.md"), format!("{first}{after}")).unwrap();
    std::fs::write(dir.path().join("codeguard.toml"), "ignore = [\"llm\"]\n").unwrap();
    assert!(
        codeguard(dir.path(), &["init-rules", "agents"])
            .status
            .success()
    );
    let second = read(dir.path(), "AGENTS.md");
    assert!(
        second.starts_with(before) && second.ends_with(after),
        "{second}"
    );
    assert!(first.contains("- CG-LLM001: ") && !second.contains("- CG-LLM001: "));
    assert_eq!(second.matches("<!-- codeguard:begin").count(), 1);

    // A broken section is an error, not a guess.
    std::fs::write(
        dir.path().join("CLAUDE.md"),
        "<!-- codeguard:begin -->\nhalf\n",
    )
    .unwrap();
    let out = codeguard(dir.path(), &["init-rules", "claude"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("CLAUDE.md: its codeguard section is broken"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        read(dir.path(), "CLAUDE.md"),
        "<!-- codeguard:begin -->\nhalf\n"
    );
}

#[test]
fn print_shows_the_files_and_writes_nothing() {
    let dir = project();
    std::fs::write(dir.path().join("CLAUDE.md"), "Mine.\n").unwrap();
    let out = codeguard(dir.path(), &["init-rules", "claude", "--print"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("Mine.\n\n<!-- codeguard:begin"));
    assert_eq!(read(dir.path(), "CLAUDE.md"), "Mine.\n");

    let out = codeguard(dir.path(), &["init-rules", "cursor", "copilot", "--print"]);
    let text = stdout(&out);
    assert!(
        text.starts_with("==> .cursor/rules/codeguard.mdc <==\n---\n"),
        "{text}"
    );
    assert!(text.contains("\n==> .github/copilot-instructions.md <==\n<!-- codeguard:begin"));
    assert!(!dir.path().join(".cursor").exists() && !dir.path().join(".github").exists());
}

#[test]
fn the_full_pack_fits_the_assistants_context_budget() {
    let dir = tempfile::tempdir().unwrap();
    let full = [
        "--isolated",
        "--select",
        "ml,sec,llm,mcp,core,CG-ML006,request-without-timeout,urlopen-any-scheme,unsafe-memory-misuse",
        "--lang",
        "python,rust,json",
        "--print",
    ];
    let listed = listed_rules(dir.path(), &["python", "rust", "json", "text"], true);
    for target in ["cursor", "claude"] {
        let mut args = vec!["init-rules", target];
        args.extend(full);
        let out = codeguard(dir.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        let ids: BTreeSet<String> = rule_lines(&text).into_iter().collect();
        assert_eq!(ids, listed, "{target}: the whole pack");
        let chars = text.chars().count();
        assert!(
            chars < 6000,
            "{target}: {chars} characters; the budget is 6,000"
        );
    }
}

#[cfg(unix)]
#[test]
fn never_writes_outside_the_project() {
    let dir = project();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("notes.md"), "theirs\n").unwrap();

    // A folder on the way that leads out of the project.
    std::os::unix::fs::symlink(outside.path(), dir.path().join(".github")).unwrap();
    let out = codeguard(dir.path(), &["init-rules", "copilot"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("outside the project"),
        "{}",
        stderr(&out)
    );
    assert!(!outside.path().join("copilot-instructions.md").exists());
    let out = codeguard(dir.path(), &["init-rules", "copilot", "--print"]);
    assert_eq!(out.status.code(), Some(2), "nor reads there");

    // The file itself, linked out of the project.
    std::os::unix::fs::symlink(
        outside.path().join("notes.md"),
        dir.path().join("CLAUDE.md"),
    )
    .unwrap();
    let out = codeguard(dir.path(), &["init-rules", "claude"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("outside the project"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(outside.path(), "notes.md"), "theirs\n");

    // A link inside the project (CLAUDE.md -> AGENTS.md) is followed: one file, one section.
    std::fs::remove_file(dir.path().join("CLAUDE.md")).unwrap();
    std::fs::write(dir.path().join("AGENTS.md"), "Ours.\n").unwrap();
    std::os::unix::fs::symlink("AGENTS.md", dir.path().join("CLAUDE.md")).unwrap();
    let out = codeguard(dir.path(), &["init-rules", "claude", "agents"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(dir.path().join("CLAUDE.md"))
            .unwrap()
            .is_symlink()
    );
    let agents = read(dir.path(), "AGENTS.md");
    assert!(agents.starts_with("Ours.\n\n<!-- codeguard:begin"));
    assert_eq!(agents.matches("<!-- codeguard:begin").count(), 1);
    assert!(
        stderr(&out).contains("AGENTS.md is up to date"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        codeguard(dir.path(), &["init-rules", "claude", "agents", "--check"])
            .status
            .code(),
        Some(0)
    );
}

/// A TypeScript-only project gets the rules that run on TypeScript (the `javascript` matchers
/// included), TypeScript globs, and no Python-only rule.
#[test]
fn a_typescript_project_gets_the_javascript_rules() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("server.ts"),
        "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\n",
    )
    .unwrap();
    let out = codeguard(dir.path(), &["init-rules", "cursor"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = read(dir.path(), ".cursor/rules/codeguard.mdc");
    assert!(text.contains("globs: **/*.ts,**/*.mts,**/*.cts"), "{text}");
    assert!(text.contains("writing TypeScript code"), "{text}");
    let rules = rule_lines(&text);
    for expected in ["CG-MCP001", "CG-LLM001", "CG-CORE007", "CG-SEC001"] {
        assert!(rules.iter().any(|r| r == expected), "{expected}: {rules:?}");
    }
    // Python-only rules (model loading) are not for this project.
    assert!(!rules.iter().any(|r| r == "CG-ML001"), "{rules:?}");
}
