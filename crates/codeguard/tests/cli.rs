//! End-to-end tests: spawn the real `codeguard` binary on the project under
//! `tests/fixtures/project` (copied to a temporary folder, with binary and non-UTF-8 files
//! added) and check exit codes and every output format.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Output};

/// The result cache of the tests: under target/, never the user's.
fn test_cache_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-cache")
}

fn codeguard(dir: &Path, args: &[&str]) -> Output {
    codeguard_with_cache(dir, &test_cache_dir(), args)
}

fn codeguard_with_cache(dir: &Path, cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codeguard"))
        .args(args)
        .current_dir(dir)
        .env("CODEGUARD_CACHE_DIR", cache)
        .output()
        .unwrap()
}

/// Runs `codeguard check --format json ARGS` in `dir`: the exit code and the findings.
fn json_findings(dir: &Path, args: &[&str]) -> (Option<i32>, Vec<serde_json::Value>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = codeguard(dir, &all);
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)));
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    (out.status.code(), findings)
}

/// The fixture project plus files that cannot be committed as text.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&workspace().join("tests/fixtures/project"), dir.path());
    std::fs::write(dir.path().join("app/blob.py"), b"eval(x)\0\0\x01\x02").unwrap();
    std::fs::write(dir.path().join("app/latin1.py"), b"# caf\xe9\neval(x)\n").unwrap();
    dir
}

#[test]
fn text_report_of_a_project() {
    let dir = project();
    let out = codeguard(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let timing = regex_lite_replace(&text);
    insta::with_settings!({
        snapshot_path => workspace().join("tests/snapshots/cli"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("project_text_report", timing);
    });
}

/// Replaces the run time in the summary so the snapshot is stable.
fn regex_lite_replace(text: &str) -> String {
    text.lines()
        .map(
            |line| match line.find(" in ").filter(|_| line.starts_with("Scanned ")) {
                Some(i) => {
                    let rest = &line[i + 4..];
                    let after = rest.find('s').map_or("", |j| &rest[j + 1..]);
                    format!("{} in <time>s{after}", &line[..i])
                }
                None => line.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn gitignored_and_binary_files_are_not_scanned_but_non_utf8_files_are() {
    let dir = project();
    let text = stdout(&codeguard(dir.path(), &["check"]));
    assert!(
        !text.contains("skip_me.py"),
        "gitignored file was scanned:\n{text}"
    );
    assert!(text.contains("app/blob.py (binary)"), "{text}");
    // Another encoding is still code: decoded lossily and scanned, not skipped.
    assert!(text.contains("app/latin1.py:2:1: CG-CORE008"), "{text}");
    assert!(!text.contains("latin1.py ("), "{text}");
    assert!(text.contains("1 file(s) have syntax errors"), "{text}");
    // The syntax error on line 1 does not stop the finding on line 4.
    assert!(text.contains("app/broken.py:4:10: CG-CORE008"), "{text}");
}

#[test]
fn json_report_carries_rule_metadata() {
    let dir = project();
    let out = codeguard(dir.path(), &["check", "app", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let torch = findings
        .iter()
        .find(|f| f["rule_id"] == "CG-ML001")
        .unwrap();
    assert_eq!(torch["rule_name"], "torch-load-unpickles");
    assert_eq!(torch["severity"], "high");
    assert_eq!(torch["confidence"], "high");
    assert_eq!(torch["cwe"][0], "CWE-502");
    assert_eq!(torch["owasp_llm"][0], "LLM03");
    assert_eq!(
        torch["codeguard_rule"][0],
        "codeguard-0-xml-and-serialization"
    );
    assert_eq!(torch["path"], "app/train.py");
    assert_eq!(torch["range"]["start"]["line"], 10);
    assert_eq!(torch["fix"]["applicability"], "suggested");
    assert_eq!(torch["fix"]["edits"][0]["content"], "True");
    assert_eq!(
        report["summary"]["files_skipped"].as_array().unwrap().len(),
        1,
        "only the binary file"
    );
    assert_eq!(report["summary"]["complete"], true);
}

#[test]
fn sarif_report_is_github_shaped() {
    let dir = project();
    let out = codeguard(
        dir.path(),
        &["check", "--format", "sarif", "-o", "out.sarif"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "-o writes the report to the file only"
    );
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.sarif")).unwrap())
            .unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(
        log["$schema"]
            .as_str()
            .unwrap()
            .ends_with("sarif-schema-2.1.0.json")
    );
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 15);
    for rule in rules {
        assert!(
            !rule["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## What it does")
        );
        let severity: f64 = rule["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(severity > 0.0 && severity <= 10.0);
        assert!(
            rule["properties"]["tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "security")
        );
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 7);
    // The binary file is a note, not an error: it is not code. So is the project note that
    // stands for the unverified model loads (this project has not adopted model signing).
    let notifications = &run["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(notifications.as_array().unwrap().len(), 2);
    assert_eq!(notifications[0]["level"], "note");
    assert_eq!(notifications[1]["descriptor"]["id"], "CG-ML006");
    assert_eq!(
        notifications[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app/train.py"
    );
    for result in results {
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            !uri.starts_with("./") && !uri.starts_with('/') && !uri.contains('\\'),
            "{uri}"
        );
        assert!(
            result["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .unwrap()
                .contains(':')
        );
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    let torch_rule = rules.iter().find(|r| r["id"] == "CG-ML001").unwrap();
    assert!(
        torch_rule["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "external/cwe/cwe-502")
    );
}

#[test]
fn fingerprints_survive_edits_above_the_finding() {
    let dir = project();
    let fingerprints = |dir: &Path| {
        let out = codeguard(dir, &["check", "app/train.py", "--format", "sarif"]);
        let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["primaryLocationLineHash"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect::<Vec<_>>()
    };
    let before = fingerprints(dir.path());
    let path = dir.path().join("app/train.py");
    let source = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("# a new comment\n\n{source}")).unwrap();
    assert_eq!(before, fingerprints(dir.path()));
}

#[test]
fn exit_codes() {
    let dir = project();
    assert_eq!(
        codeguard(dir.path(), &["check", "app/clean.py"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        codeguard(dir.path(), &["check", "app/train.py", "--exit-zero"])
            .status
            .code(),
        Some(0)
    );
    let missing = codeguard(dir.path(), &["check", "no/such/dir"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no/such/dir: no such file or directory"));
    let bad = codeguard(dir.path(), &["check", "--select", "CG-NOPE"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("`CG-NOPE` names no rule"));
    assert_eq!(
        codeguard(dir.path(), &["check", "--format", "yaml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(codeguard(dir.path(), &["--help"]).status.code(), Some(0));
}

#[test]
fn select_ignore_and_severity() {
    let dir = project();
    let ids = |args: &[&str]| {
        let mut all = vec!["check", "app/train.py", "--format", "json"];
        all.extend_from_slice(args);
        let out = codeguard(dir.path(), &all);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| {
                // Rules folded into a finding on the same code follow it.
                let also = f["also"].as_array().cloned().unwrap_or_default();
                std::iter::once(f["rule_id"].as_str().unwrap().to_string()).chain(
                    also.into_iter()
                        .map(|a| format!("+{}", a["rule_id"].as_str().unwrap())),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&["--select", "ml"]),
        ["CG-ML001", "CG-ML004"],
        "unverified loads are one project note until the project adopts model signing"
    );
    assert_eq!(
        ids(&["--select", "ml,CG-ML006"]),
        ["CG-ML001", "+CG-ML006", "CG-ML004", "+CG-ML006"],
        "naming the rule asks for every load (folded into the stronger finding on the same call)"
    );
    assert_eq!(
        ids(&["--select", "torch-load-unpickles,CG-CORE007"]),
        ["CG-ML001", "CG-CORE007"]
    );
    assert!(
        !ids(&["--ignore", "core"])
            .iter()
            .any(|id| id.starts_with("CG-CORE"))
    );
    assert!(ids(&["--severity", "critical"]).is_empty());
}

#[test]
fn stdin_snippet() {
    let out = run_with_stdin(
        &[
            "check",
            "--stdin",
            "--stdin-filename",
            "snippet.py",
            "--format",
            "json",
        ],
        b"import pickle\nobj = pickle.loads(request.data)\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"][0]["rule_id"], "CG-CORE009");
    assert_eq!(report["findings"][0]["path"], "snippet.py");

    let no_name = codeguard(&workspace(), &["check", "--stdin"]);
    assert_eq!(no_name.status.code(), Some(2));
    assert!(stderr(&no_name).contains("--stdin-filename"));
}

/// A file skipped for its size is reported in every format and fails `check` with exit 2,
/// unless `--allow-skipped` or `allow-skipped = true` accepts the hole in the scan.
#[test]
fn skipped_files_fail_the_check_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("small.py"), "eval(code)\n").unwrap();
    let big = format!("{}eval(code)\n", "x = 1\n".repeat(100));
    std::fs::write(dir.path().join("big.py"), big).unwrap();
    let check = |args: &[&str]| {
        let mut all = vec!["check", "--max-file-size", "100"];
        all.extend_from_slice(args);
        codeguard(dir.path(), &all)
    };

    let text = check(&[]);
    assert_eq!(text.status.code(), Some(2), "{}", stderr(&text));
    assert!(
        stderr(&text).contains("1 file(s) were not scanned"),
        "{}",
        stderr(&text)
    );
    assert!(
        stdout(&text).contains("warning: big.py: not scanned (too large: 611 bytes)"),
        "{}",
        stdout(&text)
    );
    assert!(
        stdout(&text).contains("small.py:1:1: CG-CORE008"),
        "the rest is reported"
    );
    // --exit-zero is about findings; a hole in the scan still fails.
    assert_eq!(check(&["--exit-zero"]).status.code(), Some(2));

    let json = check(&["--format", "json"]);
    assert_eq!(json.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["summary"]["complete"], false);
    assert_eq!(report["summary"]["files_skipped"][0]["path"], "big.py");

    let sarif = check(&["--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let notification = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert_eq!(
        notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "big.py"
    );

    let github = stdout(&check(&["--format", "github"]));
    assert!(
        github.starts_with(
            "::warning title=codeguard (not scanned),file=big.py::big.py was not scanned"
        ),
        "{github}"
    );

    assert_eq!(check(&["--allow-skipped"]).status.code(), Some(1));
    std::fs::write(dir.path().join("codeguard.toml"), "allow-skipped = true\n").unwrap();
    assert_eq!(check(&[]).status.code(), Some(1));
    std::fs::write(dir.path().join("codeguard.toml"), "allow-skiped = true\n").unwrap();
    let typo = check(&[]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        stderr(&typo).contains("unknown field `allow-skiped`"),
        "{}",
        stderr(&typo)
    );
}

#[test]
fn stdin_is_capped_and_decoded_lossily() {
    let args = [
        "check",
        "--stdin",
        "--stdin-filename",
        "s.py",
        "--max-file-size",
        "64",
    ];
    let out = run_with_stdin(&args, &[b'#'; 65]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("standard input is larger than --max-file-size (64 bytes)"),
        "{}",
        stderr(&out)
    );
    let out = run_with_stdin(&args, b"# caf\xe9\neval(x)\n");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("s.py:2:1: CG-CORE008"),
        "{}",
        stdout(&out)
    );
}

/// A Latin-1 file is scanned, but its fixes are not written: the lossily decoded text would
/// replace the file's bytes.
#[test]
fn non_utf8_files_are_scanned_but_not_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let original: &[u8] = b"# caf\xe9\nimport yaml\ncfg = yaml.load(fh)\n";
    std::fs::write(dir.path().join("l.py"), original).unwrap();
    let out = codeguard(dir.path(), &["check", "--fix"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("l.py:3:7: CG-CORE009"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("l.py: not fixed: not UTF-8"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(dir.path().join("l.py")).unwrap(), original);
}

#[test]
fn rules_and_explain() {
    let dir = project();
    let out = codeguard(dir.path(), &["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rules.as_array().unwrap().len() >= 15);
    let guidance = "Load PyTorch checkpoints with `weights_only=True`, or use safetensors.";
    let ml001 = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "CG-ML001");
    assert_eq!(ml001.unwrap()["guidance"], guidance);
    let table = stdout(&codeguard(dir.path(), &["rules"]));
    assert!(table.contains("CG-ML001    torch-load-unpickles"));

    for key in ["CG-ML001", "torch-load-unpickles", "cg-ml001"] {
        let out = codeguard(dir.path(), &["explain", key]);
        assert_eq!(out.status.code(), Some(0));
        let text = stdout(&out);
        assert!(text.starts_with("# CG-ML001 torch-load-unpickles"));
        assert!(text.contains("## Why is this bad?") && text.contains("CWE-502"));
        assert!(text.contains(guidance), "{text}");
    }
    let unknown = codeguard(dir.path(), &["explain", "CG-XYZ"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn user_rules_load_and_test() {
    let dir = project();
    let out = codeguard(
        dir.path(),
        &[
            "check",
            "user-rules/custom/no-print-secrets.py",
            "--rules",
            "user-rules",
            "--select",
            "ACME-001",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("ACME-001 [low] print-of-token"));

    let out = codeguard(dir.path(), &["test", "user-rules"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains("1 fixture(s) passed, 0 failed"));

    // A fixture that disagrees with its rule fails the test command.
    let fixture = dir.path().join("user-rules/custom/no-print-secrets.py");
    std::fs::write(
        &fixture,
        "# ruleid: ACME-001\nprint(name)\n# ok: ACME-001\nprint(token)\n",
    )
    .unwrap();
    let out = codeguard(dir.path(), &["test", "user-rules"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("line 2: annotated `ruleid:` but not flagged"),
        "{}",
        stdout(&out)
    );

    // A broken rule file is reported with file, line and column.
    let rule = dir.path().join("user-rules/custom/no-print-secrets.yaml");
    let text = std::fs::read_to_string(&rule)
        .unwrap()
        .replace("severity: low", "severity: low\n    serverity: high");
    std::fs::write(&rule, text).unwrap();
    let out = codeguard(dir.path(), &["check", "app", "--rules", "user-rules"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("no-print-secrets.yaml:6:5:") && err.contains("serverity"),
        "{err}"
    );
}

#[test]
fn builtin_pack_passes_its_own_fixtures() {
    let out = codeguard(&workspace(), &["test", "rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn inline_suppressions_need_ids_and_can_be_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.py"),
        "import os\n# codeguard-ignore: CG-CORE007 -- host is validated above\nos.system(\"ping \" + host)\n\
         os.system(\"ls \" + d)  # codeguard-ignore\nexec(code)  # codeguard-ignore: dynamic-code-evaluation, CG-ML001\n",
    )
    .unwrap();
    let out = codeguard(dir.path(), &["check", "s.py"]);
    let text = stdout(&out);
    assert!(
        !text.contains("s.py:3:1:"),
        "suppressed by id on the line above:\n{text}"
    );
    assert!(
        text.contains("s.py:4:1: CG-CORE007"),
        "a bare marker suppresses nothing:\n{text}"
    );
    assert!(
        !text.contains("s.py:5:1:"),
        "suppressed by name on the same line:\n{text}"
    );
    assert!(text.contains("2 finding(s) suppressed"), "{text}");
    assert!(
        text.contains("s.py:5: unused suppression of `CG-ML001`"),
        "{text}"
    );

    let refused = stdout(&codeguard(
        dir.path(),
        &["check", "s.py", "--no-inline-suppressions"],
    ));
    assert!(
        refused.contains("s.py:3:1: CG-CORE007") && refused.contains("s.py:5:1: CG-CORE008"),
        "{refused}"
    );
}

#[test]
fn fix_diff_and_unsafe_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.py");
    let original = "import yaml\nimport torch\ncfg = yaml.load(fh)\nstate = torch.load(p, weights_only=False)\n";
    std::fs::write(&file, original).unwrap();

    let diff = codeguard(dir.path(), &["check", "f.py", "--diff"]);
    assert_eq!(diff.status.code(), Some(1));
    let text = stdout(&diff);
    assert!(
        text.contains("--- a/f.py")
            && text.contains("-cfg = yaml.load(fh)")
            && text.contains("+cfg = yaml.safe_load(fh)"),
        "{text}"
    );
    assert!(
        !text.contains("weights_only=True"),
        "suggested fixes need --unsafe-fixes:\n{text}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        original,
        "--diff writes nothing"
    );

    let fixed = codeguard(dir.path(), &["check", "f.py", "--fix"]);
    assert!(
        stderr(&fixed).contains("Fixed 1 finding(s) in 1 file(s)"),
        "{}",
        stderr(&fixed)
    );
    assert!(
        !stdout(&fixed).contains("CG-CORE009"),
        "the report is re-scanned after fixing"
    );
    assert!(stdout(&fixed).contains("CG-ML001"));
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("yaml.safe_load(fh)")
    );

    codeguard(dir.path(), &["check", "f.py", "--fix", "--unsafe-fixes"]);
    let now = std::fs::read_to_string(&file).unwrap();
    assert!(now.contains("weights_only=True"), "{now}");
    // What is left is the missing signature verification, which has no automatic fix.
    let left = codeguard(dir.path(), &["check", "f.py", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&left.stdout).unwrap();
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert!(ids.is_empty(), "{ids:?}");
    assert_eq!(report["summary"]["project_notes"][0]["rule_id"], "CG-ML006");
}

/// `--fix`, `-o`, `baseline` and `init-hooks` replace files atomically and never through a symlink:
/// a link planted in a repository would make them overwrite a file elsewhere.
#[cfg(unix)]
#[test]
fn writers_refuse_to_replace_symlinks() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "keep\n").unwrap();
    let link = |name: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&victim, &path).unwrap();
    };
    std::fs::write(
        dir.path().join("f.py"),
        "import yaml\ncfg = yaml.load(fh)\n",
    )
    .unwrap();

    link("baseline.json");
    let out = codeguard(dir.path(), &["baseline", "-o", "baseline.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));

    // A report path committed as a link (the Action writes codeguard.sarif in the checkout).
    link("codeguard.sarif");
    let out = codeguard(
        dir.path(),
        &["check", "--format", "sarif", "-o", "codeguard.sarif"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep\n");

    link(".claude/settings.json");
    std::fs::write(&victim, "{}\n").unwrap();
    let out = codeguard(dir.path(), &["init-hooks", "claude"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));

    link("linked.py");
    std::fs::write(&victim, "import yaml\ncfg = yaml.load(fh)\n").unwrap();
    let out = codeguard(dir.path(), &["check", "linked.py", "--fix"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "import yaml\ncfg = yaml.load(fh)\n"
    );
    assert!(
        std::fs::symlink_metadata(dir.path().join("linked.py"))
            .unwrap()
            .is_symlink()
    );
}

#[test]
fn project_configuration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src/vendored")).unwrap();
    std::fs::create_dir_all(dir.path().join("tests")).unwrap();
    let code = "import hashlib, os\ntoken_hash = hashlib.md5(x)\nos.system(\"ls \" + d)\n";
    for f in ["src/app.py", "src/vendored/lib.py", "tests/test_app.py"] {
        std::fs::write(dir.path().join(f), code).unwrap();
    }
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[project]\nname = \"demo\"\n\n[tool.codeguard]\nexclude = [\"src/vendored\"]\nfail-on = \"high\"\n\
         [tool.codeguard.severity]\nweak-hash = \"low\"\n[tool.codeguard.per-file-ignores]\n\"tests/**\" = [\"CWE-78\"]\n",
    )
    .unwrap();
    let report = |dir: &Path, args: &[&str]| {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let out = codeguard(dir, &all);
        let json: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)));
        (out.status.code(), json)
    };
    let (code, json) = report(dir.path(), &[]);
    let found: Vec<(String, String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().into(),
                f["rule_id"].as_str().unwrap().into(),
                f["severity"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        !found.iter().any(|f| f.0.contains("vendored")),
        "excluded: {found:?}"
    );
    assert!(
        found.contains(&("src/app.py".into(), "CG-CORE001".into(), "low".into())),
        "severity override: {found:?}"
    );
    assert!(found.contains(&("src/app.py".into(), "CG-CORE007".into(), "high".into())));
    assert!(
        !found
            .iter()
            .any(|f| f.0.starts_with("tests/") && f.1 == "CG-CORE007"),
        "per-file ignore by CWE: {found:?}"
    );
    assert_eq!(code, Some(1));

    // fail-on: only the low finding is left in tests/, so the exit code is 0.
    let (code, _) = report(dir.path(), &["tests"]);
    assert_eq!(code, Some(0));
    // --isolated ignores the configuration.
    let (_, json) = report(dir.path(), &["--isolated"]);
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "src/vendored/lib.py")
    );

    std::fs::write(
        dir.path().join("codeguard.toml"),
        "select = [\"core\"]\nfail_on = \"high\"\n",
    )
    .unwrap();
    let out = codeguard(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("codeguard.toml:2:1: unknown field `fail_on`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn ci_report_formats() {
    let dir = project();
    let github = stdout(&codeguard(
        dir.path(),
        &["check", "app/train.py", "--format", "github"],
    ));
    assert!(
        github
            .lines()
            .all(|l| l.starts_with("::error title=codeguard (")
                || l.starts_with("::notice title=codeguard (CG-ML006)::")),
        "{github}"
    );
    assert!(github.contains("file=app/train.py,line=10,col=13,"));

    let gitlab: serde_json::Value = serde_json::from_slice(
        &codeguard(dir.path(), &["check", "app", "--format", "gitlab"]).stdout,
    )
    .unwrap();
    let issues = gitlab.as_array().unwrap();
    assert!(!issues.is_empty());
    let fingerprints: std::collections::HashSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(
        fingerprints.len(),
        issues.len(),
        "GitLab collapses equal fingerprints"
    );
    assert_eq!(issues[0]["location"]["path"], "app/broken.py");
    assert!(
        ["blocker", "critical", "major", "minor", "info"]
            .contains(&issues[0]["severity"].as_str().unwrap())
    );

    // A second format goes to standard output, so the first needs a file.
    let both = codeguard(dir.path(), &["check", "--also-format", "github"]);
    assert_eq!(both.status.code(), Some(2));
    assert!(
        stderr(&both).contains("--output <FILE>"),
        "{}",
        stderr(&both)
    );

    let junit = stdout(&codeguard(
        dir.path(),
        &["check", "app/train.py", "--format", "junit"],
    ));
    assert!(
        junit.starts_with("<?xml")
            && junit.contains("<testsuite name=\"app/train.py\" tests=\"4\" failures=\"4\">"),
        "{junit}"
    );
}

#[test]
fn baseline_reports_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.py");
    std::fs::write(&file, "import os\nos.system(\"ls \" + a)\n").unwrap();
    // The baseline comes from the scan in memory, not from a report in the temporary folder.
    let out = Command::new(env!("CARGO_BIN_EXE_codeguard"))
        .args(["baseline", "-o", "baseline.json"])
        .current_dir(dir.path())
        .env("CODEGUARD_CACHE_DIR", test_cache_dir())
        .env("TMPDIR", dir.path().join("no-such-folder"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let recorded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(recorded["findings"][0]["rule_id"], "CG-CORE007");
    assert_eq!(recorded["findings"][0]["path"], "app.py");
    assert_eq!(recorded["findings"][0]["line"], 2);
    assert_eq!(
        codeguard(dir.path(), &["check", "--baseline", "baseline.json"])
            .status
            .code(),
        Some(0)
    );

    // Lines moved and a new finding added: only the new one is reported.
    std::fs::write(&file, "import os\n\n\nos.system(\"ls \" + a)\neval(code)\n").unwrap();
    let out = codeguard(dir.path(), &["check", "--baseline", "baseline.json"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("app.py:5:1: CG-CORE008") && !text.contains("CG-CORE007"),
        "{text}"
    );
    assert!(
        stderr(&out).contains("1 finding(s) are in the baseline"),
        "{}",
        stderr(&out)
    );

    // The old finding fixed: its entry is stale.
    std::fs::write(&file, "import os\n").unwrap();
    let out = codeguard(dir.path(), &["check", "--baseline", "baseline.json"]);
    assert!(stderr(&out).contains("1 stale entry"), "{}", stderr(&out));
    std::fs::write(dir.path().join("bad.json"), "{").unwrap();
    assert_eq!(
        codeguard(dir.path(), &["check", "--baseline", "bad.json"])
            .status
            .code(),
        Some(2)
    );
}

/// Microsoft's SARIF multitool validates the log against the SARIF 2.1.0 schema and
/// GitHub's ingestion rules: no errors or warnings allowed.
#[test]
fn sarif_passes_the_multitool_with_github_rules() {
    let Some(tool) = sarif_multitool() else {
        return;
    };
    let dir = project();
    // A file too large to scan: the log carries an error notification for it.
    std::fs::write(dir.path().join("app/huge.py"), "x = 1\n".repeat(2000)).unwrap();
    let out = codeguard(
        dir.path(),
        &[
            "check",
            "--format",
            "sarif",
            "-o",
            "out.sarif",
            "--max-file-size",
            "8192",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let problems = multitool_problems(&tool, dir.path(), "out.sarif");
    assert!(
        problems.is_empty(),
        "{}",
        serde_json::to_string_pretty(&problems).unwrap()
    );
}

/// The GitHub Action's scan step: inputs only reach the shell as environment variables, and
/// one run writes the SARIF file and prints the annotations.
/// The script of the Action's step `name` (a `run: |` block), as bash will run it.
fn action_step_script(action: &str, name: &str) -> String {
    let lines: Vec<&str> = action.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == format!("- name: {name}"))
        .unwrap();
    let run = start
        + lines[start..]
            .iter()
            .position(|l| l.trim() == "run: |")
            .unwrap();
    let indent = |l: &str| l.len() - l.trim_start().len();
    lines[run + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || indent(l) > indent(lines[run]))
        .map(|l| format!("{}\n", l.trim_start()))
        .collect()
}

/// The Action's build cache key is a hash of the action's own sources: the same files give
/// the same key wherever they are, a changed rule gives another.
#[cfg(unix)]
#[test]
fn action_cache_key_follows_the_action_sources() {
    let action = std::fs::read_to_string(workspace().join("action.yml")).unwrap();
    let script = action_step_script(&action, "Cache key");
    let key = |action_path: &Path| {
        let output_file = tempfile::NamedTempFile::new().unwrap();
        let out = Command::new("bash")
            // codeguard-ignore: CG-CORE007 -- runs the Action's own step script, as the runner does
            .args(["-c", &script])
            .env("ACTION_PATH", action_path)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("GITHUB_OUTPUT", output_file.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        std::fs::read_to_string(output_file.path()).unwrap()
    };
    let copy = |dir: &Path| {
        for file in [
            "Cargo.toml",
            "Cargo.lock",
            "crates/a/src/main.rs",
            "rules/core/x.yaml",
        ] {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, file).unwrap();
        }
    };
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    copy(one.path());
    copy(two.path());
    let first = key(one.path());
    let parts: Vec<&str> = first.trim_end().split('-').collect();
    assert!(
        first.starts_with("key=codeguard-Linux-X64-") && parts.len() == 5 && parts[4].len() == 32,
        "{first}"
    );
    assert_eq!(first, key(two.path()));
    std::fs::write(two.path().join("rules/core/x.yaml"), "changed").unwrap();
    assert_ne!(first, key(two.path()));
}

#[cfg(unix)]
#[test]
fn action_scan_step_takes_inputs_from_the_environment() {
    let action = std::fs::read_to_string(workspace().join("action.yml")).unwrap();
    for line in action.lines().filter(|l| l.contains("${{")) {
        let key = line.trim_start().split(':').next().unwrap();
        assert!(
            key.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                || ["if", "sarif_file", "category", "path", "key"].contains(&key),
            "an expression outside `env:` or `with:` is spliced into a script: {line}"
        );
    }
    let script = action_step_script(&action, "Scan");

    let dir = project();
    let runner_temp = tempfile::tempdir().unwrap();
    let bin = runner_temp.path().join("codeguard/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_codeguard"), bin.join("codeguard")).unwrap();
    let scan = |args: &str| {
        let output_file = dir.path().join("github-output");
        std::fs::write(&output_file, "").unwrap();
        let out = Command::new("bash")
            // codeguard-ignore: CG-CORE007 -- runs the Action's own step script, as the runner does
            .args(["-c", &script])
            .current_dir(dir.path())
            .env("RUNNER_TEMP", runner_temp.path())
            .env("GITHUB_OUTPUT", &output_file)
            .env("ARGS", args)
            .env("SARIF", "codeguard.sarif")
            .env("FAIL_ON", "high")
            .env("CODEGUARD_CACHE_DIR", test_cache_dir())
            .output()
            .unwrap();
        (out, std::fs::read_to_string(&output_file).unwrap())
    };

    let (out, status) = scan("app/train.py  --select ml");
    assert_eq!(status, "status=1\n", "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("::error title=codeguard (CG-ML001"),
        "{}",
        stdout(&out)
    );
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("codeguard.sarif")).unwrap())
            .unwrap();
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        stdout(&out)
            .lines()
            .filter(|l| l.starts_with("::error"))
            .count()
    );

    // Shell syntax in the input is a word like any other, not code.
    let (_, status) = scan("app/clean.py $(touch pwned) `touch pwned2`;touch pwned3");
    assert_eq!(status, "status=2\n");
    for name in ["pwned", "pwned2", "pwned3"] {
        assert!(!dir.path().join(name).exists(), "{name} was created");
    }
}

/// A repository's `.vscode/settings.json` must not choose the program the VS Code extension
/// runs: settings that name an executable are machine-scoped.
#[test]
fn vscode_settings_that_name_a_program_are_machine_scoped() {
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(workspace().join("editors/vscode/package.json")).unwrap(),
    )
    .unwrap();
    let settings = manifest["contributes"]["configuration"]["properties"]
        .as_object()
        .unwrap();
    assert_eq!(settings["codeguard.path"]["scope"], "machine");
    for (name, setting) in settings {
        let text = setting.to_string().to_lowercase();
        if ["binary", "executable", "command", "program", "argument"]
            .iter()
            .any(|w| text.contains(w))
        {
            assert_eq!(setting["scope"], "machine", "{name}");
        }
    }
}

/// pre-commit's `try-repo` runs this repository's `.pre-commit-hooks.yaml` (system hook, with
/// the built binary on PATH) on a scratch repository. The `language: python` hook builds the
/// wheel in pre-commit's clone of the repository (minutes, and into another target folder): it
/// is tried by hand, and `tests/wheel.sh` tests the wheel.
#[test]
fn pre_commit_hook_blocks_insecure_files() {
    let Some(pre_commit) = std::env::var_os("CODEGUARD_PRE_COMMIT") else {
        assert!(
            std::env::var_os("CODEGUARD_REQUIRE_E2E").is_none(),
            "CODEGUARD_PRE_COMMIT is required"
        );
        eprintln!("skipped: set CODEGUARD_PRE_COMMIT to a pre-commit executable (.ci/run does)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    std::fs::write(dir.path().join("ok.py"), "import json\n").unwrap();
    git(&["add", "."]);
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_codeguard"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = || {
        Command::new(&pre_commit)
            .args(["try-repo"])
            .arg(workspace())
            .args(["codeguard-system", "--all-files"])
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", dir.path().join(".pre-commit-cache"))
            .env("CODEGUARD_CACHE_DIR", test_cache_dir())
            .output()
            .unwrap()
    };
    let clean = run();
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    std::fs::write(
        dir.path().join("bad.py"),
        "import os\nos.system(\"ping \" + host)\n",
    )
    .unwrap();
    // pre-commit has no type tag for `.mts` (nor `.env`, `.cfg`, model files): the hooks hand
    // codeguard every file and it picks what it reads.
    std::fs::write(
        dir.path().join("tool.mts"),
        "import { exec } from \"child_process\";\nexec(\"ping \" + host);\n",
    )
    .unwrap();
    git(&["add", "."]);
    let blocked = run();
    assert_eq!(blocked.status.code(), Some(1), "{}", stdout(&blocked));
    let text = stdout(&blocked);
    assert!(
        text.contains("Failed")
            && text.contains("bad.py:2:1: CG-CORE007")
            && text.contains("tool.mts:2:1: CG-CORE007"),
        "{text}"
    );
}

/// A YAML file of the repository, parsed (an invalid one is refused by pre-commit or GitHub).
fn yaml_file(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(workspace().join(name)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The hooks differ only in how codeguard is installed: same command, same files.
#[test]
fn pre_commit_hooks_agree() {
    let hooks = yaml_file(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().unwrap();
    let languages: Vec<&str> = hooks
        .iter()
        .map(|h| h["language"].as_str().unwrap())
        .collect();
    assert_eq!(languages, ["rust", "python", "system"]);
    for hook in hooks {
        assert_eq!(hook["entry"], "codeguard check", "{hook}");
        assert_eq!(hook["types"], serde_json::json!(["file"]), "{hook}");
        assert_eq!(hook["require_serial"], true, "{hook}");
    }
}

/// action.yml is valid YAML; the build step runs only on a cache miss and the cache holds
/// what `cargo install --root "$RUNNER_TEMP/codeguard"` writes.
#[test]
fn action_builds_only_on_a_cache_miss() {
    let action = yaml_file("action.yml");
    let steps = action["runs"]["steps"].as_array().unwrap();
    let step = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no step {name}"))
    };
    let cache = step("Restore the build");
    assert!(
        cache["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/cache@")
    );
    assert_eq!(cache["with"]["path"], "${{ runner.temp }}/codeguard");
    assert_eq!(cache["with"]["key"], "${{ steps.key.outputs.key }}");
    let build = step("Build codeguard");
    assert_eq!(
        build["if"],
        "${{ steps.cache.outputs.cache-hit != 'true' }}"
    );
    assert!(
        build["run"]
            .as_str()
            .unwrap()
            .contains("--root \"$RUNNER_TEMP/codeguard\"")
    );
    assert!(action["inputs"]["upload"]["description"].is_string());
}

#[test]
fn new_since_limits_findings_to_changed_lines() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.email=t@example.com", "-c", "user.name=t"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    std::fs::write(
        dir.path().join("old.py"),
        "import os\nos.system(\"ls \" + a)\n",
    )
    .unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "first"]);
    std::fs::write(
        dir.path().join("old.py"),
        "import os\nos.system(\"ls \" + a)\neval(code)\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("new.py"), "exec(code)\n").unwrap();
    let out = codeguard(dir.path(), &["check", "--new-since", "HEAD"]);
    let text = stdout(&out);
    assert!(text.contains("old.py:3:1: CG-CORE008"), "{text}");
    assert!(
        text.contains("new.py:1:1: CG-CORE008"),
        "untracked files are new: {text}"
    );
    assert!(!text.contains("CG-CORE007"), "unchanged line: {text}");
    assert!(stderr(&out).contains("1 finding(s) on lines unchanged since HEAD"));
    assert_eq!(
        codeguard(dir.path(), &["check", "--new-since", "no-such-ref"])
            .status
            .code(),
        Some(2)
    );
}

/// The one results file of a cache folder (one project folder, one key).
fn results_files(cache: &Path) -> Vec<std::path::PathBuf> {
    let Ok(projects) = std::fs::read_dir(cache) else {
        return Vec::new();
    };
    projects
        .flat_map(|p| std::fs::read_dir(p.unwrap().path()).unwrap())
        .map(|e| e.unwrap().path())
        .collect()
}

#[test]
fn second_run_uses_the_cache_and_sees_changes() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let check = |args: &[&str]| codeguard_with_cache(dir.path(), cache.path(), args);
    let file = dir.path().join("a.py");
    std::fs::write(&file, "import os\nos.system(\"ls \" + d)\n").unwrap();
    let first = stdout(&check(&["check"]));
    let files = results_files(cache.path());
    assert_eq!(files.len(), 1, "one results file: {files:?}");
    assert!(
        !dir.path().join(".codeguard_cache").exists(),
        "nothing is written into the scanned tree"
    );
    let second = stdout(&check(&["check"]));
    assert_eq!(
        results_files(cache.path()),
        files,
        "the same build, rules and options give the same cache key in every process"
    );
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("Scanned"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        strip(&first),
        strip(&second),
        "cached results render the same"
    );

    // The results really come from the cache: emptied there, the finding is gone.
    let real = std::fs::read(&files[0]).unwrap();
    std::fs::write(&files[0], forge_empty_results(&real)).unwrap();
    assert_eq!(check(&["check"]).status.code(), Some(0));
    std::fs::write(&files[0], &real).unwrap();

    // A changed file is scanned again.
    std::fs::write(&file, "import os\nos.system(\"ls\")\n").unwrap();
    assert_eq!(check(&["check"]).status.code(), Some(0));
    // --no-cache neither reads nor writes.
    let empty = tempfile::tempdir().unwrap();
    codeguard_with_cache(dir.path(), empty.path(), &["check", "--no-cache"]);
    assert!(results_files(empty.path()).is_empty());
}

/// A results file with every finding removed (what a pull request would commit to pass).
fn forge_empty_results(real: &[u8]) -> Vec<u8> {
    let mut doc: serde_json::Value = serde_json::from_slice(real).unwrap();
    for entry in doc.as_object_mut().unwrap().values_mut() {
        entry["diagnostics"] = serde_json::json!([]);
    }
    serde_json::to_vec(&doc).unwrap()
}

/// A `.codeguard_cache` committed to the scanned tree, holding forged empty results under the
/// real key, changes nothing: the cache is only read from the user's cache folder.
#[test]
fn a_cache_planted_in_the_scanned_tree_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.py"), "eval(code)\n").unwrap();
    codeguard_with_cache(dir.path(), cache.path(), &["check"]);
    let real = results_files(cache.path()).pop().unwrap();
    let planted = dir.path().join(".codeguard_cache");
    std::fs::create_dir(&planted).unwrap();
    let forged = forge_empty_results(&std::fs::read(&real).unwrap());
    std::fs::write(planted.join(real.file_name().unwrap()), &forged).unwrap();
    // The same forgery in the folder layout of the user cache, rooted in the tree.
    let project = real.parent().unwrap().file_name().unwrap();
    std::fs::create_dir(planted.join(project)).unwrap();
    std::fs::write(
        planted.join(project).join(real.file_name().unwrap()),
        &forged,
    )
    .unwrap();

    // With the real cache and with an empty one, the finding is reported.
    let empty = tempfile::tempdir().unwrap();
    for cache_dir in [cache.path(), empty.path()] {
        let out = codeguard_with_cache(dir.path(), cache_dir, &["check", "--format", "json"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["findings"][0]["rule_id"], "CG-CORE008");
    }
}

/// The cache neither deletes nor writes through symbolic links in its folder.
#[cfg(unix)]
#[test]
fn the_cache_does_not_follow_symlinks() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.py"), "eval(code)\n").unwrap();
    codeguard_with_cache(dir.path(), cache.path(), &["check"]);
    let real = results_files(cache.path()).pop().unwrap();
    let project = real.parent().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("results-old.json"), "{}").unwrap();

    // The results file a link: not read, not replaced.
    let victim = elsewhere.path().join("victim.json");
    std::fs::write(&victim, forge_empty_results(&std::fs::read(&real).unwrap())).unwrap();
    std::fs::remove_file(&real).unwrap();
    std::os::unix::fs::symlink(&victim, &real).unwrap();
    let out = codeguard_with_cache(dir.path(), cache.path(), &["check"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the forged results behind the link were read"
    );
    assert!(std::fs::symlink_metadata(&real).unwrap().is_symlink());

    // The project folder a link: nothing is deleted or written there.
    std::fs::remove_dir_all(project).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), project).unwrap();
    let out = codeguard_with_cache(dir.path(), cache.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let mut names: Vec<_> = std::fs::read_dir(elsewhere.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["results-old.json", "victim.json"]);
}

#[test]
fn model_signing_settings_from_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("serve.py"),
        "import torch\nfrom acme.security import verify_model\n\n\ndef load(path):\n    verify_model(path)\n    \
         return torch.load(path, weights_only=True)\n\n\ndef bundled():\n    return torch.load(\"assets/model.pt\", weights_only=True)\n",
    )
    .unwrap();
    let ml006_lines = |dir: &Path| {
        json_findings(dir, &["--select", "CG-ML006"])
            .1
            .iter()
            .map(|f| f["range"]["start"]["line"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ml006_lines(dir.path()),
        [7, 11],
        "without configuration every load needs model_signing"
    );
    std::fs::write(
        dir.path().join("codeguard.toml"),
        "[model-signing]\nverifiers = [\"acme.security.verify_model\"]\n",
    )
    .unwrap();
    assert_eq!(
        ml006_lines(dir.path()),
        [11],
        "the project verifier covers `path`"
    );
    std::fs::write(
        dir.path().join("codeguard.toml"),
        "[model-signing]\nverifiers = [\"acme.security.verify_model\"]\nrequire = \"untrusted\"\n",
    )
    .unwrap();
    assert!(
        ml006_lines(dir.path()).is_empty(),
        "a literal path shipped with the code is trusted in this mode"
    );
}

#[test]
fn findings_in_tests_are_downgraded_but_keys_stay_critical() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("tests")).unwrap();
    // codeguard-ignore: CG-SEC001 -- a made-up token the test expects codeguard to find
    let code = "import os, keras\nos.system(\"ls \" + d)\nKEY = \"ghp_mSM9wCZ7Uw9xfogoEmvnEN5N1aE6PwZPf1Qh\"\n\
                db_password = \"hunter2-prod\"\nm = keras.models.load_model(p, safe_mode=False)\n";
    std::fs::write(dir.path().join("tests/test_run.py"), code).unwrap();
    std::fs::write(dir.path().join("run.py"), code).unwrap();
    let out = codeguard(dir.path(), &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let severity = |path: &str, rule: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path && f["rule_id"] == rule)
            .map(|f| f["severity"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(severity("run.py", "CG-ML003"), "high");
    assert_eq!(severity("tests/test_run.py", "CG-ML003"), "medium");
    assert_eq!(severity("tests/test_run.py", "CG-SEC001"), "critical");
    // A password-named literal is a fixture in a test (the rule is `in-tests: off`).
    assert_eq!(severity("run.py", "CG-SEC002"), "high");
    // Tests build their own commands: injection rules are `in-tests: off` too.
    assert_eq!(severity("run.py", "CG-CORE007"), "high");
    for rule in ["CG-SEC002", "CG-CORE007"] {
        let in_tests = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"] == "tests/test_run.py" && f["rule_id"] == rule)
            .count();
        assert_eq!(in_tests, 0, "{rule}");
    }
}

#[test]
fn source_sets_extend_from_the_configuration_and_rule_folders() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("agent.py"),
        "import subprocess\nfrom acme.llm import ask\n\n\ndef run(task):\n    plan = ask(task)\n    \
         subprocess.run(plan, shell=True)\n",
    )
    .unwrap();
    let llm002 = |dir: &Path, extra: &[&str]| {
        let mut args = vec!["--select", "CG-LLM002"];
        args.extend_from_slice(extra);
        json_findings(dir, &args).1.len()
    };
    assert_eq!(
        llm002(dir.path(), &[]),
        0,
        "codeguard does not know acme.llm"
    );
    std::fs::write(
        dir.path().join("codeguard.toml"),
        "[source-sets.llm-output]\npython = [\"acme.llm.ask\"]\n",
    )
    .unwrap();
    assert_eq!(
        llm002(dir.path(), &[]),
        1,
        "the configured client is a source"
    );

    // The same through a rule folder that declares the set again.
    std::fs::remove_file(dir.path().join("codeguard.toml")).unwrap();
    std::fs::create_dir(dir.path().join("acme-rules")).unwrap();
    std::fs::write(
        dir.path().join("acme-rules/sources.yaml"),
        "source-sets:\n  - id: llm-output\n    matchers:\n      - language: python\n        sources:\n          \
         - label: model output\n            where:\n              - calls: [acme.llm.ask]\n",
    )
    .unwrap();
    assert_eq!(llm002(dir.path(), &["--rules", "acme-rules"]), 1);

    // Naming a set that does not exist is an error with the file and line.
    std::fs::write(
        dir.path().join("codeguard.toml"),
        "[source-sets.llm-outputs]\npython = [\"acme.llm.ask\"]\n",
    )
    .unwrap();
    let out = codeguard(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown source set `llm-outputs`"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_file(dir.path().join("codeguard.toml")).unwrap();
    std::fs::write(
        dir.path().join("acme-rules/rule.yaml"),
        "rules:\n  - id: ACME-9\n    name: x\n    message: m\n    severity: low\n    description: \"## What it does\\n## Why is this bad?\\n## Example\\n## Use instead\\n## References\\n\"\n    \
         matchers:\n      - language: python\n        query: \"(module) @finding\"\n        taint:\n          source-set: nope\n          \
         sinks:\n            - where: [{calls: [eval]}]\n              args: [0]\n",
    )
    .unwrap();
    let out = codeguard(dir.path(), &["check", "--rules", "acme-rules"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("rule.yaml:11:23: rule `ACME-9`: unknown source set `nope`"),
        "{}",
        stderr(&out)
    );

    // A set that includes an unknown set is an error with the file and line of the set.
    std::fs::remove_file(dir.path().join("acme-rules/rule.yaml")).unwrap();
    std::fs::write(
        dir.path().join("acme-rules/sources.yaml"),
        "source-sets:\n  - id: acme-input\n    includes: [web-requests]\n    matchers:\n      - language: python\n        \
         sources:\n          - label: acme input\n            where:\n              - calls: [acme.read]\n",
    )
    .unwrap();
    let out = codeguard(dir.path(), &["check", "--rules", "acme-rules"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "sources.yaml:2:9: source set `acme-input` includes unknown set `web-requests`"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn mcp_client_configurations_are_found_in_hidden_folders() {
    let dir = tempfile::tempdir().unwrap();
    for folder in [".cursor", ".venv/lib", ".git"] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
    }
    let config = "{\n  \"mcpServers\": {\n    \"jira\": {\"command\": \"npx\", \"args\": [\"-y\", \"@acme/mcp-jira\"]}\n  }\n}\n";
    std::fs::write(dir.path().join(".cursor/mcp.json"), config).unwrap();
    std::fs::write(dir.path().join("package.json"), config).unwrap();
    // Hidden folders other than the AI tools' own are not walked.
    std::fs::write(dir.path().join(".venv/lib/evil.py"), "eval(input())\n").unwrap();
    std::fs::write(dir.path().join(".git/hook.py"), "eval(input())\n").unwrap();
    let found: Vec<(String, String)> = json_findings(dir.path(), &["--isolated"])
        .1
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [(".cursor/mcp.json".to_string(), "CG-MCP010".to_string())],
        "only the MCP configuration (not package.json, .venv or .git)"
    );
}

#[test]
fn bandit_and_ruff_suppressions_cover_the_same_checks() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        "import os\nimport pickle\nimport subprocess\nimport anthropic\n\
         a = pickle.loads(blob)  # nosec B301\n\
         b = pickle.loads(blob)  # noqa: S301\n\
         c = pickle.loads(blob)  # nosec\n\
         d = pickle.loads(blob)  # nosec B602\n\
         e = pickle.loads(blob)  # noqa\n\
         msg = anthropic.Anthropic().messages.create(model='m', max_tokens=9, messages=[])\n\
         subprocess.run(msg.content[0].text, shell=True)  # nosec\n\
         f = pickle.loads(\n    blob,\n)  # noqa: S301\n\
         g = pickle.loads(\n    blob,\n)\n# noqa: S301\n",
    )
    .unwrap();
    let lines = |args: &[&str]| -> Vec<(u64, String)> {
        json_findings(dir.path(), args)
            .1
            .iter()
            .map(|f| {
                (
                    f["range"]["start"]["line"].as_u64().unwrap(),
                    f["rule_id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let found = lines(&["--select", "CG-CORE009,CG-LLM002"]);
    assert_eq!(
        found,
        [
            (8, "CG-CORE009".to_string()),
            (9, "CG-CORE009".to_string()),
            (11, "CG-LLM002".to_string()),
            (15, "CG-CORE009".to_string()),
        ],
        "a named check suppresses its equivalent, a bare nosec every classic rule, never an AI \
         rule; ruff's marker after a multi-line call's last line counts, one after the call not"
    );
    let refused = lines(&[
        "--select",
        "CG-CORE009,CG-LLM002",
        "--no-inline-suppressions",
    ]);
    assert_eq!(refused.len(), 8, "{refused:?}");
}

#[test]
fn unverified_loads_are_one_note_until_the_project_adopts_signing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("load.py"),
        "import torch\n\n\ndef load(path):\n    return torch.load(path, weights_only=True)\n",
    )
    .unwrap();
    let report = |dir: &Path| -> serde_json::Value {
        let out = codeguard(dir, &["check", "--format", "json"]);
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let ml006 = |report: &serde_json::Value| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule_id"] == "CG-ML006")
            .count()
    };
    let before = report(dir.path());
    assert_eq!(ml006(&before), 0);
    let note = &before["summary"]["project_notes"][0];
    assert_eq!(note["rule_id"], "CG-ML006");
    assert!(
        note["message"]
            .as_str()
            .unwrap()
            .starts_with("1 load(s) of model weights, 0 verified")
    );
    assert_eq!(note["locations"][0][0], "load.py");

    // Signing used anywhere in the project: every unverified load is a finding.
    std::fs::write(
        dir.path().join("verify.py"),
        "import model_signing\n\n\ndef check(path):\n    model_signing.verifying.Config().use_sigstore_verifier(identity='i', oidc_issuer='o').verify(path, path + '.sig')\n",
    )
    .unwrap();
    let adopted = report(dir.path());
    assert_eq!(ml006(&adopted), 1, "{adopted}");
    assert_eq!(adopted["summary"]["project_notes"], serde_json::json!([]));

    // So do signature bundles beside the models.
    std::fs::remove_file(dir.path().join("verify.py")).unwrap();
    std::fs::create_dir_all(dir.path().join("models")).unwrap();
    std::fs::write(dir.path().join("models/clf.sig"), "{}").unwrap();
    assert_eq!(ml006(&report(dir.path())), 1);
}

#[test]
fn a_project_that_requires_torch_2_6_relies_on_the_safe_default() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("load.py"),
        "import torch\nm = torch.load(path)\nn = torch.load(path, weights_only=False)\n",
    )
    .unwrap();
    let rules_at = |pyproject: &str| -> Vec<(String, u64)> {
        std::fs::write(dir.path().join("pyproject.toml"), pyproject).unwrap();
        let out = codeguard(dir.path(), &["check", "--no-cache", "--format", "json"]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule_id"].as_str().unwrap().to_string(),
                    f["range"]["start"]["line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let old = rules_at("[project]\nname = \"x\"\ndependencies = [\"torch>=2.0\"]\n");
    assert!(old.contains(&("CG-ML001".into(), 2)), "{old:?}");
    assert!(old.contains(&("CG-ML001".into(), 3)), "{old:?}");
    // With torch >= 2.6 required, the default is `weights_only=True`: only the explicit
    // `weights_only=False` remains.
    let new = rules_at("[project]\nname = \"x\"\ndependencies = [\"torch>=2.6\"]\n");
    assert!(!new.contains(&("CG-ML001".into(), 2)), "{new:?}");
    assert!(new.contains(&("CG-ML001".into(), 3)), "{new:?}");
}

#[test]
fn rules_on_the_same_code_fold_into_one_finding_and_suppressions_do_not_hide_the_others() {
    let dir = tempfile::tempdir().unwrap();
    // `cloudpickle.loads` is both an unsafe deserialization (CG-CORE009) and a pickle-backed
    // model load (CG-ML002): one finding, the other named in `also`.
    let code = "import cloudpickle\n\ndef load(blob):\n    return cloudpickle.loads(blob)\n";
    std::fs::write(dir.path().join("load.py"), code).unwrap();
    let (_, findings) = json_findings(dir.path(), &["--no-cache", "load.py"]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let also = findings[0]["also"].as_array().expect("a folded finding");
    let mut ids = vec![
        findings[0]["rule_id"].as_str().unwrap(),
        also[0]["rule_id"].as_str().unwrap(),
    ];
    ids.sort();
    assert_eq!(ids, ["CG-CORE009", "CG-ML002"], "{findings:#?}");
    let text = codeguard(dir.path(), &["check", "--no-cache", "load.py"]).stdout;
    let text = String::from_utf8_lossy(&text);
    assert!(text.contains("= also CG-"), "{text}");

    // Suppressing the kept rule leaves the folded one standing on its own.
    let kept = findings[0]["rule_id"].as_str().unwrap().to_string();
    let suppressed = code.replace(
        "cloudpickle.loads(blob)",
        &format!("cloudpickle.loads(blob)  # codeguard-ignore: {kept}"),
    );
    std::fs::write(dir.path().join("load.py"), suppressed).unwrap();
    let (_, findings) = json_findings(dir.path(), &["--no-cache", "load.py"]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_ne!(findings[0]["rule_id"], kept.as_str());
    assert!(
        findings[0]
            .get("also")
            .is_none_or(|a| a.as_array().is_some_and(|a| a.is_empty()))
    );

    let text =
        String::from_utf8_lossy(&codeguard(dir.path(), &["check", "--no-cache", "load.py"]).stdout)
            .to_string();
    assert!(!text.contains("= also"), "{text}");
}

#[test]
fn rust_test_modules_count_as_tests() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    // The same command built from an argument, in library code and in a `#[cfg(test)]`
    // module and a `#[test]` function of the same file.
    let code = "use std::process::Command;\n\n\
                pub fn run(arg: &str) {\n    Command::new(\"sh\").arg(\"-c\").arg(format!(\"ls {arg}\")).status().unwrap();\n}\n\n\
                #[cfg(test)]\nmod tests {\n    use std::process::Command;\n    #[test]\n    fn runs() {\n        let arg = std::env::args().nth(1).unwrap();\n        \
                Command::new(\"sh\").arg(\"-c\").arg(format!(\"ls {arg}\")).status().unwrap();\n    }\n}\n\n\
                #[test]\nfn outside_module() {\n    let arg = std::env::args().nth(1).unwrap();\n    \
                Command::new(\"sh\").arg(\"-c\").arg(format!(\"ls {arg}\")).status().unwrap();\n}\n";
    std::fs::write(dir.path().join("src/lib.rs"), code).unwrap();
    let (_, findings) = json_findings(dir.path(), &["--no-cache", "src/lib.rs"]);
    let lines: Vec<u64> = findings
        .iter()
        .filter(|f| f["rule_id"] == "CG-CORE007")
        .map(|f| f["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    // CG-CORE007 is off in tests: only the library function's command is reported.
    assert_eq!(lines, [4], "{findings:#?}");
}

#[test]
fn opt_in_rules_run_only_when_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("fetch.py"),
        "import requests\n\ndef fetch():\n    return requests.get(\"https://api.example.com/a\")\n",
    )
    .unwrap();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--no-cache", "fetch.py"];
        all.extend_from_slice(args);
        json_findings(dir.path(), &all)
            .1
            .iter()
            .map(|f| f["rule_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(ids(&[]).is_empty(), "an audit is not a default");
    assert!(
        ids(&["--select", "core"]).is_empty(),
        "nor part of its pack"
    );
    assert!(ids(&["--select", "all"]).is_empty());
    assert_eq!(
        ids(&["--select", "request-without-timeout"]),
        ["CG-CORE026"]
    );
    assert_eq!(ids(&["--select", "CG-CORE026,core"]), ["CG-CORE026"]);
    std::fs::write(
        dir.path().join("codeguard.toml"),
        "select = [\"CG-CORE026\"]\n",
    )
    .unwrap();
    assert_eq!(ids(&[]), ["CG-CORE026"], "or selected in the configuration");
    // Listings show it, marked.
    let listing = codeguard(dir.path(), &["rules", "--isolated"]);
    let listing = String::from_utf8_lossy(&listing.stdout);
    assert!(
        listing.contains("request-without-timeout (opt-in)"),
        "{listing}"
    );
}

/// Made-up provider keys, put together at run time so this file holds none.
fn made_up_key(provider: &str) -> String {
    match provider {
        "github" => format!("ghp_{}", "r2Ka1YsHzFXQf1pjwaSyrEGVkOPntkrZeZsR"),
        "hf" => format!("hf_{}", "ocOKFmBEKATTqFZAoIzMcpYJzvItJFObBl"),
        _ => format!("AIza{}", "Ku8y0Xx7gslTkmH3cmPtbx0Bhc2FyLPvMGv"),
    }
}

#[test]
fn credentials_in_text_files_are_reported_in_json_and_sarif() {
    let dir = tempfile::tempdir().unwrap();
    let github = made_up_key("github");
    let google = made_up_key("google");
    std::fs::write(
        dir.path().join(".env"),
        format!("APP=demo\nGITHUB_TOKEN={github}\nOPENAI_API_KEY=sk-...\n"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::write(
        dir.path().join("config/settings.yaml"),
        format!("search:\n  engine: google\n  api_key: \"{google}\"\n  token: ${{TOKEN}}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("README.md"),
        "Set `HF_TOKEN=hf_xxx` first.\n",
    )
    .unwrap();
    // A folder named `.env` (a virtualenv) is not walked.
    std::fs::create_dir_all(dir.path().join("tools/.env/lib")).unwrap();
    std::fs::write(
        dir.path().join("tools/.env/lib/site.yaml"),
        format!("k: {github}\n"),
    )
    .unwrap();

    let (code, findings) = json_findings(dir.path(), &["--no-cache"]);
    assert_eq!(code, Some(1));
    let found: Vec<(String, u64, u64, String)> = findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["range"]["start"]["line"].as_u64().unwrap(),
                f["range"]["start"]["column"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (".env".to_string(), 2, 14, "CG-SEC001".to_string()),
            (
                "config/settings.yaml".to_string(),
                3,
                13,
                "CG-SEC001".to_string()
            ),
        ],
        "{findings:?}"
    );
    let env = &findings[0];
    assert_eq!(env["severity"], "critical");
    assert!(env["message"].as_str().unwrap().contains("GitHub token"));
    let (start, end) = (
        env["range"]["start_byte"].as_u64().unwrap() as usize,
        env["range"]["end_byte"].as_u64().unwrap() as usize,
    );
    let text = std::fs::read_to_string(dir.path().join(".env")).unwrap();
    assert_eq!(&text[start..end], github);

    let out = codeguard(dir.path(), &["check", "--no-cache", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let location = &results[1]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "config/settings.yaml");
    assert_eq!(location["region"]["startLine"], 3);
    assert_eq!(location["region"]["startColumn"], 13);
    assert!(
        results[1]["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .is_some_and(|h| h.contains(':'))
    );
}

#[test]
fn a_suppression_comment_works_in_a_dotenv_file() {
    let dir = tempfile::tempdir().unwrap();
    let key = made_up_key("hf");
    std::fs::write(
        dir.path().join(".env"),
        format!(
            "# codeguard-ignore: CG-SEC001 -- revoked, kept for the replay test\nHF_TOKEN={key}\n\
             HF_BACKUP={key}  # codeguard-ignore: provider-credential-literal -- revoked too\n"
        ),
    )
    .unwrap();
    let (code, findings) = json_findings(dir.path(), &["--no-cache"]);
    assert_eq!(code, Some(0), "{findings:?}");
    assert!(findings.is_empty());
    // CI can refuse them.
    let (code, findings) = json_findings(dir.path(), &["--no-cache", "--no-inline-suppressions"]);
    assert_eq!(code, Some(1));
    assert_eq!(findings.len(), 2);
}

#[test]
fn binary_and_huge_text_files_are_skipped_without_failing_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let key = made_up_key("github");
    let mut blob = b"\x89PNG\0\0\x01".to_vec();
    blob.extend_from_slice(key.as_bytes());
    std::fs::write(dir.path().join("data.json"), &blob).unwrap();
    let big = format!("{}TOKEN={key}\n", "filler line\n".repeat(20));
    std::fs::write(dir.path().join("notes.txt"), &big).unwrap();
    let out = codeguard(
        dir.path(),
        &[
            "check",
            "--no-cache",
            "--max-file-size",
            "100",
            "--format",
            "json",
        ],
    );
    // Neither is code: listed as skipped, not a hole in the scan.
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["findings"].as_array().unwrap().is_empty());
    assert_eq!(report["summary"]["complete"], true);
    let skipped = report["summary"]["files_skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert_eq!(skipped[0]["path"], "data.json");
    assert_eq!(skipped[0]["reason"], "binary");
    assert_eq!(skipped[1]["path"], "notes.txt");
    assert_eq!(
        skipped[1]["reason"],
        format!("too large: {} bytes", big.len())
    );
    let text = stdout(&codeguard(
        dir.path(),
        &["check", "--no-cache", "--max-file-size", "100"],
    ));
    assert!(
        text.contains(&format!("notes.txt (too large: {} bytes)", big.len())),
        "{text}"
    );
    // Within the cap the key is found.
    let (code, findings) = json_findings(dir.path(), &["--no-cache"]);
    assert_eq!(code, Some(1));
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["path"], "notes.txt");
    assert_eq!(findings[0]["range"]["start"]["line"], 21);
}

/// A Python notebook's code cells are Python: findings point at the notebook's own lines, a key
/// is reported once (by the text reading and the code reading alike), magics do not break the
/// parse, and notebooks of other kernels are only read as text.
#[test]
fn notebooks_are_scanned_as_python_at_their_own_lines() {
    let dir = tempfile::tempdir().unwrap();
    let hf = made_up_key("hf");
    let notebook = serde_json::json!({
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["torch.load(x, weights_only=False) in prose\n"]},
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
             "source": ["%pip install torch\n", "import torch\n", format!("TOKEN = \"{hf}\"\n")]},
            {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
             "source": ["state = torch.load(path, weights_only=False)"]}
        ],
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5
    });
    let text = serde_json::to_string_pretty(&notebook).unwrap();
    std::fs::write(dir.path().join("train.ipynb"), &text).unwrap();
    let r_notebook = text.replace("\"python\"", "\"R\"").replace("hf_", "xx_");
    std::fs::write(dir.path().join("analysis.ipynb"), r_notebook).unwrap();

    let (code, findings) = json_findings(dir.path(), &["--no-cache"]);
    assert_eq!(code, Some(1));
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let found: Vec<(String, u64, String)> = findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["range"]["start"]["line"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "train.ipynb".to_string(),
                line_of("TOKEN =") as u64,
                "CG-SEC001".to_string()
            ),
            (
                "train.ipynb".to_string(),
                line_of("state = torch.load") as u64,
                "CG-ML001".to_string()
            ),
        ],
        "{findings:#?}"
    );
}

/// Minified and bundled JavaScript is generated code: listed as skipped, not scanned, and the
/// run does not fail for it; the source it was built from is scanned.
#[test]
fn minified_javascript_is_skipped_as_generated() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.min.js"),
        "eval(location.hash.slice(1));\n",
    )
    .unwrap();
    let bundle = format!(
        "!function(){{{}eval(window.name)}}();\n",
        "var a=1;".repeat(400)
    );
    std::fs::write(dir.path().join("vendor.js"), bundle).unwrap();
    std::fs::write(dir.path().join("app.js"), "eval(location.hash.slice(1));\n").unwrap();
    let (code, findings) = json_findings(dir.path(), &["--no-cache"]);
    assert_eq!(code, Some(1));
    let paths: Vec<&str> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["app.js"], "{findings:#?}");
    let out = codeguard(
        dir.path(),
        &["check", "--no-cache", "--format", "json", "--exit-zero"],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped: Vec<(&str, &str)> = report["summary"]["files_skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        skipped,
        vec![
            ("app.min.js", "minified or bundled code"),
            ("vendor.js", "minified or bundled code")
        ]
    );
}

/// A notebook piped in (as an assistant's hook or `--stdin` sees it) is judged by its code cells.
#[test]
fn a_notebook_on_stdin_is_judged_by_its_code_cells() {
    let notebook = serde_json::json!({
        "cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
                   "source": ["import pickle\n", "model = pickle.load(open(path, \"rb\"))"]}],
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5
    });
    let text = serde_json::to_string_pretty(&notebook).unwrap();
    let out = run_with_stdin(
        &[
            "check",
            "--stdin",
            "--stdin-filename",
            "explore.ipynb",
            "--format",
            "json",
        ],
        text.as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("pickle.load"))
        .unwrap()
        + 1;
    assert!(
        findings
            .iter()
            .any(|f| f["rule_id"] == "CG-CORE009" && f["range"]["start"]["line"] == line),
        "{findings:#?}"
    );
}

/// A snippet on standard input is matched against no excludes, but a broken one in the
/// configuration is still an error there (the set is checked, not built).
#[test]
fn a_broken_exclude_glob_is_an_error_for_a_snippet_too() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("codeguard.toml"), "exclude = [\"a[b\"]\n").unwrap();
    let run = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_codeguard"))
            .args(args)
            .current_dir(dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(b"x = 1\n").unwrap();
        child.wait_with_output().unwrap()
    };
    for args in [
        &["check", "--stdin", "--stdin-filename", "s.py"][..],
        &["check", "."][..],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("invalid glob `a[b`"), "{args:?}: {stderr}");
    }
}

#[test]
fn rules_off_in_tests_do_not_run_on_the_project_test_files() {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["src", "checks", "tests"] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
    }
    // CG-CORE009 is `in-tests: off`: in a test file it does not run, so its suppression
    // there neither counts nor is reported unused.
    let code = "import pickle\n\n\ndef restore(data):\n    \
                return pickle.loads(data)  # codeguard-ignore: CG-CORE009 -- reviewed\n";
    for file in [
        "src/store.py",
        "checks/store_check.py",
        "tests/test_store.py",
    ] {
        std::fs::write(dir.path().join(file), code).unwrap();
    }
    let text = |dir: &Path| {
        let out = codeguard(dir, &["check", "--no-cache"]);
        String::from_utf8(out.stdout).unwrap()
    };
    // By default `tests/` holds tests: two files run the rule.
    let report = text(dir.path());
    assert!(report.contains("2 finding(s) suppressed"), "{report}");
    assert!(!report.contains("unused suppression"), "{report}");
    // The configured globs replace the default ones.
    std::fs::write(
        dir.path().join("codeguard.toml"),
        "test-globs = [\"checks/**\", \"tests/**\"]\n",
    )
    .unwrap();
    let report = text(dir.path());
    assert!(report.contains("1 finding(s) suppressed"), "{report}");
    assert!(!report.contains("unused suppression"), "{report}");
}
