//! Hook adapters: Claude Code (`PreToolUse` denies an insecure Write/Edit/MultiEdit/NotebookEdit
//! before the file is written and tells the model about findings that only warn; `PostToolUse`
//! gives feedback) and Cursor (`afterFileEdit` records edited files, `stop` reports them as a
//! follow-up message, `preToolUse`/`before*` events that carry file content are denied when
//! insecure). Edits of codeguard's own policy that weaken it are denied ([`crate::policy_files`]).
//! Payload shapes: `../shared/design/integrations.md`.

use std::path::{Path, PathBuf};

use codeguard_engine::{Policy, ScanOptions, Treatment, Verdict};
use codeguard_language::Lang;
use codeguard_rules::RuleSet;
use serde_json::{Value, json};

use crate::policy_files::{
    PolicyFile, declares_codeguard, effective_config, shell_command_weakens, weakening,
};

/// What the hook process should print and how it should exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookOutcome {
    /// Printed on stdout (JSON), if any.
    pub stdout: Option<String>,
    /// Printed on stderr, if any.
    pub stderr: Option<String>,
    pub exit_code: u8,
}

impl HookOutcome {
    fn silent() -> Self {
        Self {
            stdout: None,
            stderr: None,
            exit_code: 0,
        }
    }
    fn json(value: Value) -> Self {
        Self {
            stdout: Some(value.to_string()),
            stderr: None,
            exit_code: 0,
        }
    }
}

/// The document a hook judges: the rules it needs depend on it (see [`HookRules`]).
#[derive(Debug, Clone, Copy)]
pub struct HookDocument<'a> {
    pub path: &'a Path,
    pub lang: Lang,
    pub code: &'a str,
}

/// Where a hook's rules come from. A hook runs as one process per edit, and reading every
/// built-in matcher of every language cost more than judging the edit: an implementation
/// loads them on first need, for the document judged.
pub trait HookRules {
    /// The rules that judge `document` (`None`: every rule, for a model file), or why the
    /// configuration or the rules failed to load (the edit is then denied).
    fn rules_for(&self, document: Option<HookDocument<'_>>) -> Result<&RuleSet, String>;

    /// Whether the configuration and the rules load, for an edit no rule judges (a broken
    /// policy blocks every edit until a person fixes it).
    fn check(&self) -> Result<(), String> {
        self.rules_for(None).map(drop)
    }
}

/// Rules loaded before the hook runs serve every document.
impl HookRules for RuleSet {
    fn rules_for(&self, _: Option<HookDocument<'_>>) -> Result<&RuleSet, String> {
        Ok(self)
    }
}

/// Hook settings.
pub struct HookConfig<'a> {
    pub rules: &'a dyn HookRules,
    pub policy: Policy,
    /// How code is scanned (the guardrail refuses inline suppressions unless allowed).
    pub options: ScanOptions,
    /// On an internal error, block (exit 2) instead of letting the edit through (exit 1).
    pub fail_closed: bool,
    /// Where Cursor's `afterFileEdit` records edited files until `stop` (a private folder).
    pub state_dir: PathBuf,
    /// The configuration or rules failed to load: every edit is denied with this reason
    /// (fails closed whatever `fail_closed` says: a broken policy must not mean "no policy").
    pub setup_error: Option<String>,
}

/// An internal failure, turned into fail-open (exit 1) or fail-closed (exit 2). Loud either
/// way: the message goes to stderr, which both assistants show the user.
pub fn failure(fail_closed: bool, message: &str) -> HookOutcome {
    let (exit_code, note) = if fail_closed {
        (2, " (fail-closed: blocking)")
    } else {
        (1, " (failing open: the edit was NOT checked)")
    };
    HookOutcome {
        stdout: None,
        stderr: Some(format!("codeguard hook: {message}{note}")),
        exit_code,
    }
}

/// A string field of a JSON object, if present.
fn str_field<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

fn parse_payload(input: &str) -> Result<Value, String> {
    let value: Value =
        serde_json::from_str(input).map_err(|e| format!("hook input is not JSON: {e}"))?;
    if value.is_object() {
        Ok(value)
    } else {
        Err("hook input is not a JSON object".into())
    }
}

fn display_name(path: &Path, cwd: Option<&str>) -> String {
    cwd.and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The folder from which the policy for a hook payload is looked up: that of the edited file
/// (the nearest existing ancestor), else the payload's working folder.
pub fn policy_start(input: &str) -> Option<PathBuf> {
    let payload: Value = serde_json::from_str(input).ok()?;
    let tool_input = payload.get("tool_input").unwrap_or(&payload);
    let file = ["file_path", "notebook_path"]
        .iter()
        .find_map(|key| str_field(tool_input, key).or_else(|| str_field(&payload, key)));
    let start = match file {
        Some(file) => PathBuf::from(file).parent()?.to_path_buf(),
        None => PathBuf::from(str_field(&payload, "cwd").or_else(|| {
            payload
                .get("workspace_roots")
                .and_then(|r| r.get(0))
                .and_then(Value::as_str)
        })?),
    };
    start
        .ancestors()
        .find(|p| p.is_dir())
        .map(Path::to_path_buf)
}

/// A file's text, decoded lossily (a non-UTF-8 file is still judged); `None` when it cannot
/// be read (a new file).
fn read_lossy(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

/// A file as it would be after an assistant's edit.
struct PlannedEdit {
    path: PathBuf,
    /// The file before the edit, `None` when it does not exist.
    before: Option<String>,
    /// The text to judge: the file after the edit, or what is known of it.
    after: String,
    /// Why only part of the result could be judged, if so (said to the model).
    partial: Option<String>,
    /// Findings on lines before this (1-based) are not the edit's (a notebook's other cells).
    first_line: usize,
    /// The name whose extension picks the language (a notebook's cells are Python).
    lang_path: PathBuf,
}

/// `old` replaced by `new` in `text`; `None` when `old` is not there. Files with CRLF line
/// ends are matched by edits written with LF.
fn replace(text: &str, old: &str, new: &str, all: bool) -> Option<String> {
    if old.is_empty() {
        return text.is_empty().then(|| new.to_string());
    }
    let apply = |old: &str, new: &str| {
        text.contains(old).then(|| {
            if all {
                text.replace(old, new)
            } else {
                text.replacen(old, new, 1)
            }
        })
    };
    apply(old, new).or_else(|| {
        (text.contains("\r\n") && !old.contains('\r'))
            .then(|| apply(&old.replace('\n', "\r\n"), &new.replace('\n', "\r\n")))
            .flatten()
    })
}

/// The file after a Write, Edit, MultiEdit or NotebookEdit, or `None` when the tool writes
/// no file.
fn planned_edit(tool: &str, input: &Value) -> Option<PlannedEdit> {
    if tool == "NotebookEdit" {
        return planned_notebook_edit(input);
    }
    let path = PathBuf::from(str_field(input, "file_path")?);
    let before = read_lossy(&path);
    let edits: Vec<&Value> = match tool {
        "Write" => {
            let after = str_field(input, "content")?.to_string();
            return Some(PlannedEdit {
                lang_path: path.clone(),
                path,
                before,
                after,
                partial: None,
                first_line: 1,
            });
        }
        "Edit" => vec![input],
        "MultiEdit" => input.get("edits")?.as_array()?.iter().collect(),
        _ => return None,
    };
    let mut text = before.clone().unwrap_or_default();
    for edit in &edits {
        let old = str_field(edit, "old_string").unwrap_or_default();
        let new = str_field(edit, "new_string").unwrap_or_default();
        let all = edit
            .get("replace_all")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        match replace(&text, old, new, all) {
            Some(replaced) => text = replaced,
            None => {
                // Never a silent pass: judge what is known, the new text, and say so.
                let new_text: Vec<&str> = edits
                    .iter()
                    .filter_map(|e| str_field(e, "new_string"))
                    .collect();
                return Some(PlannedEdit {
                    lang_path: path.clone(),
                    partial: Some(format!(
                        "codeguard could not replay this edit on {} (the text to replace was not found), \
                         so it checked the new text alone",
                        path.display()
                    )),
                    path,
                    before,
                    after: new_text.join("\n"),
                    first_line: 1,
                });
            }
        }
    }
    Some(PlannedEdit {
        lang_path: path.clone(),
        path,
        before,
        after: text,
        partial: None,
        first_line: 1,
    })
}

/// A notebook cell written by NotebookEdit, judged as Python after the notebook's earlier
/// code cells (their imports and assignments give it context; their findings are not the
/// edit's).
fn planned_notebook_edit(input: &Value) -> Option<PlannedEdit> {
    let path = PathBuf::from(str_field(input, "notebook_path")?);
    let source = str_field(input, "new_source")?.to_string();
    let mode = str_field(input, "edit_mode").unwrap_or("replace");
    if mode == "delete" || str_field(input, "cell_type") == Some("markdown") {
        return None;
    }
    let before = read_lossy(&path);
    let cell_id = str_field(input, "cell_id");
    let notebook: Value = before
        .as_deref()
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null);
    let cells = notebook
        .get("cells")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let text_of = |cell: &Value| match cell.get("source") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(lines)) => lines.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    };
    // Claude Code inserts after `cell_id` (at the top without one) and replaces `cell_id`.
    let target = cell_id.and_then(|id| {
        cells
            .iter()
            .position(|c| str_field(c, "id") == Some(id))
            .or_else(|| id.strip_prefix("cell-").and_then(|n| n.parse().ok()))
    });
    let end = match (mode, target) {
        ("insert", Some(i)) => i + 1,
        (_, Some(i)) => i,
        (_, None) => 0,
    };
    let mut prefix = String::new();
    for cell in cells.iter().take(end) {
        if str_field(cell, "cell_type") == Some("code") {
            let text = text_of(cell);
            // Notebook magics (`%pip`, `!ls`) are not Python.
            for line in text.lines() {
                let code = line.trim_start();
                if !code.starts_with('%') && !code.starts_with('!') {
                    prefix.push_str(line);
                }
                prefix.push('\n');
            }
        }
    }
    let first_line = prefix.lines().count() + 1;
    Some(PlannedEdit {
        lang_path: path.with_extension("py"),
        path,
        before,
        after: format!("{prefix}{source}"),
        partial: None,
        first_line,
    })
}

/// What the guardrail says about one planned edit.
enum Assessment {
    /// Do not write it.
    Deny(String),
    /// Write it, and tell the model what to fix.
    Warn(String),
    /// Nothing to report but, maybe, a note about what was checked.
    Allow(Option<String>),
    /// codeguard failed.
    Fail(String),
}

fn with_note(reason: String, note: Option<&String>) -> String {
    match note {
        Some(note) => format!("{reason}\n(Note: {note}.)"),
        None => reason,
    }
}

/// Why an edit is blocked when the configuration or the rules failed to load.
fn unloaded_reason(error: &str) -> String {
    format!(
        "codeguard cannot check this edit because its configuration failed to load: {error}. \
         Until a person fixes the configuration, codeguard blocks edits"
    )
}

fn assess(config: &HookConfig<'_>, edit: &PlannedEdit, cwd: Option<&str>) -> Assessment {
    let name = display_name(&edit.path, cwd);
    // Through a symbolic link, the file written is its target.
    let real = edit.path.canonicalize().ok();
    if let Some(kind) = PolicyFile::of(&edit.path).or(real.as_deref().and_then(PolicyFile::of)) {
        if edit.partial.is_some() {
            return Assessment::Deny(format!(
                "codeguard cannot replay this edit of {name}, one of its own policy files, so it cannot \
                 tell whether it weakens the policy; ask the user to make this change"
            ));
        }
        // A new configuration file replaces the one that applies there today.
        let replaced = match (&edit.before, kind) {
            (None, PolicyFile::Config | PolicyFile::Pyproject)
                if declares_codeguard(kind, &edit.after) =>
            {
                edit.path
                    .parent()
                    .and_then(|dir| effective_config(dir, kind))
            }
            _ => None,
        };
        let before = edit.before.as_deref().or(replaced.as_deref());
        if let Some(reason) = weakening(kind, before, &edit.after) {
            return Assessment::Deny(format!("{name}: {reason}."));
        }
    }
    let unloaded = |error: &str| Assessment::Deny(unloaded_reason(error));
    if let Some(error) = &config.setup_error {
        return unloaded(error);
    }
    // A model file the assistant writes (a protocol 0 pickle is text) is judged as the model
    // file it will be.
    if codeguard_engine::artifact::is_model_file(&edit.path) {
        let rules = match config.rules.rules_for(None) {
            Ok(rules) => rules,
            Err(error) => return unloaded(&error),
        };
        let diagnostics =
            codeguard_engine::artifact::scan_model_bytes(rules, &edit.path, edit.after.as_bytes());
        return treat(
            Verdict::judge(&config.policy, &diagnostics, None),
            &name,
            edit,
        );
    }
    let Some(lang) = Lang::from_path(&edit.lang_path) else {
        if let Err(error) = config.rules.check() {
            return unloaded(&error);
        }
        return Assessment::Allow(None);
    };
    let rules = match config.rules.rules_for(Some(HookDocument {
        path: &edit.path,
        lang,
        code: &edit.after,
    })) {
        Ok(rules) => rules,
        Err(error) => return unloaded(&error),
    };
    let verdict = match crate::judge(
        rules,
        &config.policy,
        &config.options,
        lang,
        &edit.path,
        &edit.after,
        edit.first_line,
    ) {
        Ok(verdict) => verdict,
        Err(e) => return Assessment::Fail(e),
    };
    treat(verdict, &name, edit)
}

fn treat(verdict: Verdict, name: &str, edit: &PlannedEdit) -> Assessment {
    let reason = || with_note(verdict.reason(name), edit.partial.as_ref());
    match verdict.recommended_treatment {
        Treatment::Block => Assessment::Deny(reason()),
        Treatment::Warn => Assessment::Warn(reason()),
        Treatment::Ignore => Assessment::Allow(edit.partial.clone()),
    }
}

/// Handles one Claude Code hook invocation.
pub fn claude(config: &HookConfig<'_>, input: &str) -> HookOutcome {
    let payload = match parse_payload(input) {
        Ok(p) => p,
        Err(e) => return failure(config.fail_closed, &e),
    };
    let event = str_field(&payload, "hook_event_name").unwrap_or_default();
    let tool = str_field(&payload, "tool_name").unwrap_or_default();
    let tool_input = payload.get("tool_input").cloned().unwrap_or(Value::Null);
    let cwd = str_field(&payload, "cwd");
    let deny = |reason: String| {
        HookOutcome::json(json!({
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "permissionDecision": "deny",
                "permissionDecisionReason": format!("Blocked: {reason}"),
            }
        }))
    };
    let context = |event: &str, text: String| {
        HookOutcome::json(json!({
            "hookSpecificOutput": {"hookEventName": event, "additionalContext": text}
        }))
    };
    match event {
        "PreToolUse" => {
            if tool == "Bash" {
                return match str_field(&tool_input, "command").and_then(shell_command_weakens) {
                    Some(reason) => deny(reason),
                    None => HookOutcome::silent(),
                };
            }
            let Some(edit) = planned_edit(tool, &tool_input) else {
                return HookOutcome::silent();
            };
            match assess(config, &edit, cwd) {
                Assessment::Deny(reason) => deny(reason),
                Assessment::Warn(reason) => context("PreToolUse", reason),
                Assessment::Allow(Some(note)) => context("PreToolUse", note),
                Assessment::Allow(None) => HookOutcome::silent(),
                Assessment::Fail(e) => failure(config.fail_closed, &e),
            }
        }
        "PostToolUse" => {
            if !matches!(tool, "Write" | "Edit" | "MultiEdit") {
                return HookOutcome::silent();
            }
            let Some(path) = str_field(&tool_input, "file_path").map(PathBuf::from) else {
                return HookOutcome::silent();
            };
            if codeguard_engine::artifact::is_model_file(&path) {
                // Read as the binary file it is (streamed), not as text.
                let rules = match config.rules.rules_for(None) {
                    Ok(rules) => rules,
                    // A broken policy blocks, as it does before a write (see `assess`).
                    Err(error) => {
                        let reason = unloaded_reason(&error);
                        return HookOutcome::json(json!({
                            "decision": "block",
                            "reason": reason,
                            "hookSpecificOutput": {"hookEventName": "PostToolUse", "additionalContext": reason},
                        }));
                    }
                };
                let outcome = codeguard_engine::artifact::scan_model_file(rules, &path);
                let verdict = Verdict::judge(&config.policy, &outcome.diagnostics, None);
                if verdict.recommended_treatment == Treatment::Ignore {
                    return HookOutcome::silent();
                }
                let reason = verdict.reason(&display_name(&path, cwd));
                return match verdict.recommended_treatment {
                    Treatment::Block => HookOutcome::json(json!({
                        "decision": "block",
                        "reason": reason,
                        "hookSpecificOutput": {"hookEventName": "PostToolUse", "additionalContext": reason},
                    })),
                    _ => context("PostToolUse", reason),
                };
            }
            let Some(content) = read_lossy(&path) else {
                return failure(
                    config.fail_closed,
                    &format!("cannot read {}", path.display()),
                );
            };
            let written = PlannedEdit {
                lang_path: path.clone(),
                before: None,
                path,
                after: content,
                partial: None,
                first_line: 1,
            };
            // The policy-file check happened before the write; here only the code counts.
            let config_without_policy = PolicyFile::of(&written.path).is_none();
            match assess(config, &written, cwd) {
                Assessment::Deny(reason) if config_without_policy => HookOutcome::json(json!({
                    "decision": "block",
                    "reason": reason,
                    "hookSpecificOutput": {"hookEventName": "PostToolUse", "additionalContext": reason},
                })),
                Assessment::Warn(reason) => context("PostToolUse", reason),
                Assessment::Fail(e) => failure(config.fail_closed, &e),
                _ => HookOutcome::silent(),
            }
        }
        _ => HookOutcome::silent(),
    }
}

fn state_file(config: &HookConfig<'_>, conversation: &str) -> PathBuf {
    let safe: String = conversation
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(128)
        .collect();
    config.state_dir.join(format!(
        "{}.edited",
        if safe.is_empty() { "default" } else { &safe }
    ))
}

/// Appends `line` to the state file, in a folder only this user can enter, never through a
/// symbolic link.
fn record(config: &HookConfig<'_>, file: &Path, line: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&config.state_dir)?;
    if std::fs::symlink_metadata(file).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(std::io::Error::other("the state file is a symbolic link"));
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)?;
    writeln!(f, "{line}")
}

/// Handles one Cursor hook invocation.
pub fn cursor(config: &HookConfig<'_>, input: &str) -> HookOutcome {
    let payload = match parse_payload(input) {
        Ok(p) => p,
        Err(e) => return failure(config.fail_closed, &e),
    };
    let event = str_field(&payload, "hook_event_name").unwrap_or_default();
    let conversation = str_field(&payload, "conversation_id").unwrap_or("default");
    let root = payload
        .get("workspace_roots")
        .and_then(Value::as_array)
        .and_then(|r| r.first())
        .and_then(Value::as_str)
        .map(str::to_string);
    let deny = |path: &str, reason: String| {
        HookOutcome::json(json!({
            "permission": "deny",
            "user_message": format!("codeguard blocked a change to {path}"),
            "agent_message": reason,
        }))
    };
    match event {
        "afterFileEdit" => {
            let Some(path) = str_field(&payload, "file_path") else {
                return HookOutcome::silent();
            };
            let watched = Lang::from_path(Path::new(path)).is_some()
                || PolicyFile::of(Path::new(path)).is_some();
            if !watched {
                return HookOutcome::silent();
            }
            let file = state_file(config, conversation);
            match record(config, &file, path) {
                Ok(()) => HookOutcome::json(json!({})),
                Err(e) => failure(
                    config.fail_closed,
                    &format!("cannot record the edit in {}: {e}", file.display()),
                ),
            }
        }
        "stop" => {
            let file = state_file(config, conversation);
            let Ok(list) = std::fs::read_to_string(&file) else {
                return HookOutcome::json(json!({}));
            };
            let _ = std::fs::remove_file(&file);
            let mut paths: Vec<&str> = list.lines().filter(|l| !l.is_empty()).collect();
            paths.sort_unstable();
            paths.dedup();
            let mut reasons = Vec::new();
            for path in paths {
                let name = display_name(Path::new(path), root.as_deref());
                if PolicyFile::of(Path::new(path)).is_some() {
                    reasons.push(format!(
                        "You edited {name}, which holds codeguard's own policy. Revert that change: a person \
                         changes codeguard's configuration and hooks, not the assistant."
                    ));
                    continue;
                }
                let Some(content) = read_lossy(Path::new(path)) else {
                    continue;
                };
                let written = PlannedEdit {
                    lang_path: PathBuf::from(path),
                    path: PathBuf::from(path),
                    before: None,
                    after: content,
                    partial: None,
                    first_line: 1,
                };
                match assess(config, &written, root.as_deref()) {
                    Assessment::Deny(reason) | Assessment::Warn(reason) => reasons.push(reason),
                    Assessment::Fail(e) => {
                        reasons.push(format!("codeguard could not check {name}: {e}"));
                    }
                    Assessment::Allow(_) => {}
                }
            }
            if reasons.is_empty() {
                return HookOutcome::json(json!({}));
            }
            HookOutcome::json(json!({
                "followup_message": format!("{}\nPlease fix these issues in the files you edited.", reasons.join("\n\n"))
            }))
        }
        "beforeShellExecution" => {
            match str_field(&payload, "command").and_then(shell_command_weakens) {
                Some(reason) => deny("codeguard's policy", reason),
                None => HookOutcome::json(json!({"permission": "allow"})),
            }
        }
        other if other.starts_with("before") || other == "preToolUse" => {
            // Events that carry the content about to be written can be denied.
            let input = payload.get("tool_input").unwrap_or(&payload);
            let tool = match str_field(&payload, "tool_name") {
                Some(tool) => tool,
                None if input.get("content").is_some() => "Write",
                None if input.get("old_string").is_some() => "Edit",
                None => "",
            };
            if let Some(reason) = str_field(input, "command").and_then(shell_command_weakens) {
                return deny("codeguard's policy", reason);
            }
            let Some(edit) = planned_edit(tool, input) else {
                return HookOutcome::json(json!({"permission": "allow"}));
            };
            let path = edit.path.to_string_lossy().into_owned();
            match assess(config, &edit, root.as_deref()) {
                Assessment::Deny(reason) => deny(&path, reason),
                Assessment::Warn(reason) | Assessment::Allow(Some(reason)) => {
                    HookOutcome::json(json!({"permission": "allow", "agent_message": reason}))
                }
                Assessment::Allow(None) => HookOutcome::json(json!({"permission": "allow"})),
                Assessment::Fail(e) => failure(config.fail_closed, &e),
            }
        }
        _ => HookOutcome::silent(),
    }
}

/// The settings entries `codeguard init-hooks` writes, merged into an existing settings
/// document (idempotent: an existing codeguard entry is left as it is).
pub fn merge_hook_settings(
    client: &str,
    existing: Option<Value>,
    command: &str,
) -> Result<Value, String> {
    let mut settings = existing.unwrap_or_else(|| json!({}));
    if !settings.is_object() {
        return Err("the existing settings file is not a JSON object".into());
    }
    // Written fail-closed: a guardrail that crashes must not let the edit through.
    let entries: Vec<(&str, Value)> = match client {
        "claude" => {
            let hook = json!([{"type": "command", "command": format!("{command} hook claude --fail-closed"), "timeout": 60}]);
            vec![
                (
                    "PreToolUse",
                    json!({"matcher": "Write|Edit|MultiEdit|NotebookEdit|Bash", "hooks": hook}),
                ),
                (
                    "PostToolUse",
                    json!({"matcher": "Write|Edit|MultiEdit", "hooks": hook}),
                ),
            ]
        }
        "cursor" => {
            if settings.get("version").is_none() {
                settings["version"] = json!(1);
            }
            let command = format!("{command} hook cursor --fail-closed");
            vec![
                (
                    "preToolUse",
                    json!({"command": command, "timeout": 60, "failClosed": true}),
                ),
                (
                    "beforeShellExecution",
                    json!({"command": command, "timeout": 30, "failClosed": true}),
                ),
                ("afterFileEdit", json!({"command": command, "timeout": 30})),
                (
                    "stop",
                    json!({"command": command, "timeout": 60, "loop_limit": 3}),
                ),
            ]
        }
        other => {
            return Err(format!(
                "unknown client `{other}` (expected claude or cursor)"
            ));
        }
    };
    let hooks = settings
        .as_object_mut()
        .unwrap()
        .entry("hooks")
        .or_insert_with(|| json!({}));
    if !hooks.is_object() {
        return Err("`hooks` in the existing settings is not an object".into());
    }
    for (event, entry) in entries {
        let list = hooks
            .as_object_mut()
            .unwrap()
            .entry(event)
            .or_insert_with(|| json!([]));
        let Some(list) = list.as_array_mut() else {
            return Err(format!(
                "`hooks.{event}` in the existing settings is not a list"
            ));
        };
        if !list
            .iter()
            .any(|e| e.to_string().contains("hook claude") || e.to_string().contains("hook cursor"))
        {
            list.push(entry);
        }
    }
    Ok(settings)
}
