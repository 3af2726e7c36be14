//! codeguard's own policy files, guarded against the model it judges: an assistant must not
//! switch the guardrail off by editing `codeguard.toml`, `[tool.codeguard]` in
//! `pyproject.toml` or the hook entries in `.claude/settings*.json` / `.cursor/hooks.json`.
//! Changes that only make codeguard stricter pass; anything else is denied with a reason, and
//! a person makes the change.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value as Json;
use toml::Value as Toml;

/// What kind of policy file a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyFile {
    /// `codeguard.toml` or `.codeguard.toml`: the whole file is codeguard's.
    Config,
    /// `pyproject.toml`: only `[tool.codeguard]` is codeguard's.
    Pyproject,
    /// `.claude/settings.json` or `.claude/settings.local.json`.
    ClaudeSettings,
    /// `.cursor/hooks.json`.
    CursorHooks,
}

impl PolicyFile {
    /// The policy file `path` names, if any.
    pub fn of(path: &Path) -> Option<PolicyFile> {
        let name = path.file_name()?.to_str()?;
        let parent = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        match (parent, name) {
            (_, "codeguard.toml" | ".codeguard.toml") => Some(PolicyFile::Config),
            (_, "pyproject.toml") => Some(PolicyFile::Pyproject),
            (".claude", "settings.json" | "settings.local.json") => {
                Some(PolicyFile::ClaudeSettings)
            }
            (".cursor", "hooks.json") => Some(PolicyFile::CursorHooks),
            _ => None,
        }
    }
}

/// File names whose mention in a shell command that writes, moves or deletes files is
/// treated as an edit of codeguard's policy.
const SHELL_PROTECTED: [&str; 5] = [
    "codeguard.toml",
    ".claude/settings",
    ".cursor/hooks.json",
    "tool.codeguard",
    "codeguard_cache",
];

/// Words of a shell command that change files.
const SHELL_WRITERS: [&str; 17] = [
    ">",
    "rm ",
    "mv ",
    "cp ",
    "sed ",
    "tee ",
    "truncate",
    "perl ",
    "python",
    "ln ",
    "chmod ",
    "echo ",
    "printf ",
    "git checkout",
    "git restore",
    "dd ",
    "install ",
];

/// The reason to deny a shell command that may rewrite codeguard's policy (best effort: a
/// command that names a policy file and writes something).
pub fn shell_command_weakens(command: &str) -> Option<String> {
    let named = SHELL_PROTECTED.iter().find(|p| command.contains(**p))?;
    let writes = SHELL_WRITERS.iter().any(|w| command.contains(w));
    writes.then(|| {
        format!(
            "this command may change codeguard's own policy (`{named}`). codeguard's configuration and hook \
             settings are changed by a person, not by the assistant: ask the user to make this change"
        )
    })
}

/// codeguard's table in a configuration file: the whole of `codeguard.toml`, or
/// `[tool.codeguard]` of `pyproject.toml` (empty when it has none).
fn config_table(kind: PolicyFile, text: &str) -> Result<toml::Table, String> {
    let doc: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
    Ok(if kind == PolicyFile::Pyproject {
        doc.get("tool")
            .and_then(|t| t.get("codeguard"))
            .and_then(Toml::as_table)
            .cloned()
            .unwrap_or_default()
    } else {
        doc
    })
}

/// Whether a new file of kind `kind` holding `text` would be a codeguard configuration (a
/// `pyproject.toml` without `[tool.codeguard]` is not; one that does not parse counts, as it
/// would stop `check`).
pub fn declares_codeguard(kind: PolicyFile, text: &str) -> bool {
    match kind {
        PolicyFile::Pyproject => config_table(kind, text).map_or(true, |t| !t.is_empty()),
        _ => true,
    }
}

/// The configuration that applies in `dir` today (the nearest `codeguard.toml`,
/// `.codeguard.toml` or `pyproject.toml` with a `[tool.codeguard]` table, as `check` finds
/// it): a new configuration file there replaces it, so it is compared with that one. The
/// table is rendered as a file of kind `shape` would hold it.
pub fn effective_config(dir: &Path, shape: PolicyFile) -> Option<String> {
    for dir in dir.ancestors() {
        for (name, kind) in [
            ("codeguard.toml", PolicyFile::Config),
            (".codeguard.toml", PolicyFile::Config),
            ("pyproject.toml", PolicyFile::Pyproject),
        ] {
            let Ok(text) = std::fs::read_to_string(dir.join(name)) else {
                continue;
            };
            if kind == PolicyFile::Config || config_table(kind, &text).is_ok_and(|t| !t.is_empty())
            {
                let mut table = config_table(kind, &text).ok()?;
                if shape == PolicyFile::Pyproject {
                    let mut tool = toml::Table::new();
                    tool.insert("codeguard".into(), Toml::Table(table));
                    table = toml::Table::new();
                    table.insert("tool".into(), Toml::Table(tool));
                }
                return toml::to_string(&table).ok();
            }
        }
    }
    None
}

/// The reason to deny turning `before` into `after` in the policy file `kind`, or `None` when
/// the change leaves codeguard at least as strict. For a new configuration file, `before` is
/// the configuration it would replace ([`effective_config`]) as a codeguard table.
pub fn weakening(kind: PolicyFile, before: Option<&str>, after: &str) -> Option<String> {
    let changes = match kind {
        PolicyFile::Config | PolicyFile::Pyproject => {
            let old = before
                .and_then(|b| config_table(kind, b).ok())
                .unwrap_or_default();
            match config_table(kind, after) {
                Err(e) => {
                    if kind == PolicyFile::Pyproject
                        && !after.contains("codeguard")
                        && old.is_empty()
                    {
                        return None;
                    }
                    vec![format!("the file would no longer parse ({e})")]
                }
                // A pyproject.toml without a codeguard table replaces no configuration.
                Ok(new) if kind == PolicyFile::Pyproject && new.is_empty() && old.is_empty() => {
                    Vec::new()
                }
                Ok(new) => config_weakenings(&old, &new),
            }
        }
        PolicyFile::ClaudeSettings | PolicyFile::CursorHooks => {
            let old = before
                .and_then(|b| serde_json::from_str::<Json>(b).ok())
                .unwrap_or(Json::Null);
            match serde_json::from_str::<Json>(after) {
                Err(e) => {
                    if codeguard_hooks(&old).is_empty() {
                        return None;
                    }
                    vec![format!(
                        "the file would no longer parse ({e}), dropping codeguard's hooks"
                    )]
                }
                Ok(new) => hook_weakenings(&old, &new),
            }
        }
    };
    if changes.is_empty() {
        return None;
    }
    Some(format!(
        "this edit weakens codeguard's own policy: {}. codeguard's configuration and hook settings are \
         changed by a person, not by the assistant: ask the user to make this change",
        changes.join("; ")
    ))
}

fn strings(value: Option<&Toml>) -> BTreeSet<String> {
    value
        .and_then(Toml::as_array)
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Pairs `(outer key, entry)` of a table of lists (`per-file-ignores`) or a table of tables of
/// lists (`source-sets`).
fn nested_entries(value: Option<&Toml>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack: Vec<(String, &Toml)> = value.map(|v| (String::new(), v)).into_iter().collect();
    while let Some((prefix, value)) = stack.pop() {
        match value {
            Toml::Table(table) => {
                for (key, v) in table {
                    stack.push((format!("{prefix}{key}."), v));
                }
            }
            Toml::Array(items) => {
                for item in items {
                    out.insert(format!("{prefix}{item}"));
                }
            }
            other => {
                out.insert(format!("{prefix}{other}"));
            }
        }
    }
    out
}

const SEVERITIES: [&str; 5] = ["info", "low", "medium", "high", "critical"];

/// Every change of `old` into `new` that makes codeguard less strict.
fn config_weakenings(old: &toml::Table, new: &toml::Table) -> Vec<String> {
    let mut found = Vec::new();
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for key in keys {
        let (o, n) = (old.get(key), new.get(key));
        if o == n {
            continue;
        }
        let weaker = match key.as_str() {
            // Fewer ignores, exclusions or per-file ignores are stricter.
            "ignore" | "exclude" => !strings(n).is_subset(&strings(o)),
            "per-file-ignores" => !nested_entries(n).is_subset(&nested_entries(o)),
            // More sources for the data-flow rules are stricter.
            "source-sets" => !nested_entries(o).is_subset(&nested_entries(n)),
            "inline-suppressions" => n.and_then(Toml::as_bool) != Some(false),
            // Dropping `select` runs every rule.
            "select" => n.is_some(),
            "fail-on" => {
                let rank = |v: Option<&Toml>| {
                    v.and_then(Toml::as_str)
                        .and_then(|s| SEVERITIES.iter().position(|x| *x == s))
                        .unwrap_or(0)
                };
                rank(n) > rank(o)
            }
            // Rule folders, severity overrides, test globs, model-signing verifiers: any
            // change can hide findings.
            _ => true,
        };
        if weaker {
            found.push(match (o, n) {
                (None, Some(_)) => format!("it adds `{key}`"),
                (Some(_), None) => format!("it removes `{key}`"),
                _ => format!("it changes `{key}`"),
            });
        }
    }
    found
}

/// `(event, matcher, command)` of every hook whose command runs codeguard.
fn codeguard_hooks(settings: &Json) -> BTreeSet<(String, String, String)> {
    let mut found = BTreeSet::new();
    let Some(hooks) = settings.get("hooks").and_then(Json::as_object) else {
        return found;
    };
    for (event, entries) in hooks {
        for entry in entries.as_array().into_iter().flatten() {
            let matcher = entry
                .get("matcher")
                .map(ToString::to_string)
                .unwrap_or_default();
            // Claude Code nests commands under `hooks`; Cursor puts `command` on the entry.
            let commands = entry
                .get("hooks")
                .and_then(Json::as_array)
                .map(|h| h.iter().collect::<Vec<_>>())
                .unwrap_or_else(|| vec![entry]);
            for hook in commands {
                if let Some(command) = hook.get("command").and_then(Json::as_str)
                    && command.contains("codeguard")
                {
                    let mut settings = hook.clone();
                    if let Some(object) = settings.as_object_mut() {
                        object.remove("timeout");
                    }
                    found.insert((event.clone(), matcher.clone(), settings.to_string()));
                }
            }
        }
    }
    found
}

fn hook_weakenings(old: &Json, new: &Json) -> Vec<String> {
    let mut found = Vec::new();
    let (before, after) = (codeguard_hooks(old), codeguard_hooks(new));
    for (event, _, _) in before.difference(&after) {
        found.push(format!("it removes or changes codeguard's `{event}` hook"));
    }
    found.dedup();
    if new.get("disableAllHooks") == Some(&Json::Bool(true))
        && old.get("disableAllHooks") != Some(&Json::Bool(true))
    {
        found.push("it sets `disableAllHooks`".into());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_policy_files() {
        assert_eq!(
            PolicyFile::of(Path::new("/p/codeguard.toml")),
            Some(PolicyFile::Config)
        );
        assert_eq!(
            PolicyFile::of(Path::new("/p/.claude/settings.local.json")),
            Some(PolicyFile::ClaudeSettings)
        );
        assert_eq!(PolicyFile::of(Path::new("/p/settings.json")), None);
        assert_eq!(
            PolicyFile::of(Path::new(".cursor/hooks.json")),
            Some(PolicyFile::CursorHooks)
        );
    }

    #[test]
    fn stricter_configs_pass_weaker_ones_do_not() {
        let old = "ignore = [\"CG-SEC002\", \"CG-CORE001\"]\nfail-on = \"high\"\n";
        let w = |after: &str| weakening(PolicyFile::Config, Some(old), after);
        assert!(w(old).is_none());
        assert!(w("ignore = [\"CG-SEC002\"]\nfail-on = \"high\"\n").is_none());
        assert!(w("ignore = [\"CG-SEC002\"]\nfail-on = \"low\"\n").is_none());
        assert!(w("ignore = [\"CG-SEC002\", \"CG-CORE001\"]\nfail-on = \"high\"\ninline-suppressions = false\n").is_none());
        assert!(
            w("ignore = [\"CG-SEC002\", \"CG-CORE001\", \"CG-ML001\"]\nfail-on = \"high\"\n")
                .is_some()
        );
        assert!(w("ignore = [\"CG-SEC002\", \"CG-CORE001\"]\nfail-on = \"critical\"\n").is_some());
        assert!(
            w("ignore = [\"CG-SEC002\", \"CG-CORE001\"]\n").is_none(),
            "no fail-on fails on all"
        );
        assert!(w("select = [\"CG-SEC001\"]\n").is_some());
        assert!(w("ignore = [\nbroken").is_some());
        let with_verifier = "[model-signing]\nverifiers = [\"x.y\"]\n";
        assert!(weakening(PolicyFile::Config, None, with_verifier).is_some());
        assert!(
            weakening(
                PolicyFile::Config,
                Some(""),
                "[source-sets.secrets]\npython = [\"a.b\"]\n"
            )
            .is_none()
        );
    }

    #[test]
    fn pyproject_only_its_codeguard_table_counts() {
        let old = "[project]\nname = \"x\"\n[tool.codeguard]\nignore = []\n";
        assert!(
            weakening(
                PolicyFile::Pyproject,
                Some(old),
                "[project]\nname = \"y\"\n[tool.codeguard]\nignore = []\n"
            )
            .is_none()
        );
        assert!(
            weakening(
                PolicyFile::Pyproject,
                Some(old),
                "[project]\nname = \"x\"\n[tool.codeguard]\nignore = [\"ml\"]\n"
            )
            .is_some()
        );
        assert!(weakening(PolicyFile::Pyproject, Some(old), "[project]\nname = \"x\"\n[tool.codeguard]\ninline-suppressions = true\nignore = []\n").is_some());
    }

    #[test]
    fn a_new_configuration_is_compared_with_the_one_it_replaces() {
        let dir = std::env::temp_dir().join(format!("cg-policy-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(
            dir.join("pyproject.toml"),
            "[tool.codeguard]\ninline-suppressions = false\n",
        )
        .unwrap();
        let effective = effective_config(&dir.join("sub"), PolicyFile::Config);
        let as_pyproject = effective_config(&dir.join("sub"), PolicyFile::Pyproject);
        let _ = std::fs::remove_dir_all(&dir);
        let effective = effective.expect("the parent's table");
        // An empty codeguard.toml below it would switch suppressions back on.
        assert!(weakening(PolicyFile::Config, Some(&effective), "").is_some());
        assert!(
            weakening(
                PolicyFile::Config,
                Some(&effective),
                "inline-suppressions = false\n"
            )
            .is_none()
        );
        let as_pyproject = as_pyproject.unwrap();
        assert!(
            !declares_codeguard(PolicyFile::Pyproject, "[project]\nname = \"x\"\n"),
            "a pyproject.toml without a codeguard table replaces nothing"
        );
        assert!(
            weakening(
                PolicyFile::Pyproject,
                Some(&as_pyproject),
                "[project]\nname = \"x\"\n[tool.codeguard]\nselect = [\"sec\"]\n"
            )
            .is_some()
        );
    }

    #[test]
    fn hook_entries_may_not_go() {
        let old = r#"{"hooks": {"PreToolUse": [{"matcher": "Write|Edit", "hooks": [{"type": "command", "command": "codeguard hook claude", "timeout": 60}]}]}}"#;
        let w = |after: &str| weakening(PolicyFile::ClaudeSettings, Some(old), after);
        assert!(w(old).is_none());
        assert!(w(r#"{"model": "x", "hooks": {"PreToolUse": [{"matcher": "Write|Edit", "hooks": [{"type": "command", "command": "codeguard hook claude", "timeout": 90}]}]}}"#).is_none());
        assert!(w(r#"{"hooks": {}}"#).is_some());
        assert!(w(r#"{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "codeguard hook claude"}]}]}}"#).is_some());
        assert!(w(r#"{"disableAllHooks": true, "hooks": {"PreToolUse": [{"matcher": "Write|Edit", "hooks": [{"type": "command", "command": "codeguard hook claude", "timeout": 60}]}]}}"#).is_some());
        assert!(
            weakening(
                PolicyFile::ClaudeSettings,
                None,
                r#"{"disableAllHooks": true}"#
            )
            .is_some()
        );
        assert!(w("{").is_some());
    }

    #[test]
    fn shell_commands_that_rewrite_policy() {
        assert!(shell_command_weakens("rm codeguard.toml").is_some());
        assert!(shell_command_weakens("echo '{}' > .claude/settings.json").is_some());
        assert!(shell_command_weakens("cat codeguard.toml").is_none());
        assert!(shell_command_weakens("cargo test").is_none());
    }
}
