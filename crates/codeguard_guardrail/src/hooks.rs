//! Hook adapters: Claude Code (`PreToolUse` denies an insecure Write/Edit/MultiEdit before the
//! file is written; `PostToolUse` gives feedback) and Cursor (`afterFileEdit` records edited
//! files, `stop` reports them as a follow-up message, `preToolUse`/`before*` events that carry
//! file content are denied when insecure). Payload shapes: `../shared/design/integrations.md`.

use std::path::{Path, PathBuf};

use codeguard_engine::{Policy, Treatment, Verdict};
use codeguard_language::Lang;
use codeguard_rules::RuleSet;
use serde_json::{Value, json};

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

/// Hook settings.
pub struct HookConfig<'a> {
    pub rules: &'a RuleSet,
    pub policy: Policy,
    /// On an internal error, block (exit 2) instead of letting the edit through (exit 1).
    pub fail_closed: bool,
    /// Where Cursor's `afterFileEdit` records edited files until `stop`.
    pub state_dir: PathBuf,
}

/// An internal failure, turned into fail-open (exit 1) or fail-closed (exit 2).
fn failure(config: &HookConfig<'_>, message: String) -> HookOutcome {
    let exit_code = if config.fail_closed { 2 } else { 1 };
    let note = if config.fail_closed {
        " (fail-closed: blocking)"
    } else {
        " (failing open)"
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

fn judge_file(
    config: &HookConfig<'_>,
    path: &Path,
    content: &str,
) -> Option<Result<Verdict, String>> {
    let lang = Lang::from_path(path)?;
    Some(crate::judge_code(
        config.rules,
        &config.policy,
        lang,
        path,
        content,
    ))
}

fn display_name(path: &Path, cwd: Option<&str>) -> String {
    cwd.and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The file content after a Claude Code Write/Edit/MultiEdit, or `None` when the tool is not
/// one that writes code (or the edit cannot apply, which Claude Code reports itself).
fn content_after_edit(tool: &str, input: &Value) -> Option<Result<(PathBuf, String), String>> {
    let path = PathBuf::from(input.get("file_path")?.as_str()?);
    let current = || std::fs::read_to_string(&path).unwrap_or_default();
    let apply = |text: &mut String, edit: &Value| -> bool {
        let old = str_field(edit, "old_string").unwrap_or_default();
        let new = str_field(edit, "new_string").unwrap_or_default();
        let all = edit
            .get("replace_all")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if old.is_empty() {
            if text.is_empty() {
                *text = new.to_string();
                return true;
            }
            return false;
        }
        if !text.contains(old) {
            return false;
        }
        *text = if all {
            text.replace(old, new)
        } else {
            text.replacen(old, new, 1)
        };
        true
    };
    match tool {
        "Write" => Some(Ok((path, input.get("content")?.as_str()?.to_string()))),
        "Edit" => {
            let mut text = current();
            apply(&mut text, input).then_some(Ok((path, text)))
        }
        "MultiEdit" => {
            let mut text = current();
            for edit in input.get("edits")?.as_array()? {
                if !apply(&mut text, edit) {
                    return None;
                }
            }
            Some(Ok((path, text)))
        }
        _ => None,
    }
}

/// Handles one Claude Code hook invocation.
pub fn claude(config: &HookConfig<'_>, input: &str) -> HookOutcome {
    let payload = match parse_payload(input) {
        Ok(p) => p,
        Err(e) => return failure(config, e),
    };
    let event = str_field(&payload, "hook_event_name").unwrap_or_default();
    let tool = str_field(&payload, "tool_name").unwrap_or_default();
    let tool_input = payload.get("tool_input").cloned().unwrap_or(Value::Null);
    let cwd = str_field(&payload, "cwd");
    match event {
        "PreToolUse" => {
            let Some(after) = content_after_edit(tool, &tool_input) else {
                return HookOutcome::silent();
            };
            let (path, content) = match after {
                Ok(pair) => pair,
                Err(e) => return failure(config, e),
            };
            let verdict = match judge_file(config, &path, &content) {
                None => return HookOutcome::silent(),
                Some(Err(e)) => return failure(config, e),
                Some(Ok(v)) => v,
            };
            if verdict.recommended_treatment != Treatment::Block {
                return HookOutcome::silent();
            }
            let reason = verdict.reason(&display_name(&path, cwd));
            HookOutcome::json(json!({
                "hookSpecificOutput": {
                    "hookEventName": "PreToolUse",
                    "permissionDecision": "deny",
                    "permissionDecisionReason": format!("Blocked: {reason}"),
                }
            }))
        }
        "PostToolUse" => {
            let Some(path) = str_field(&tool_input, "file_path").map(PathBuf::from) else {
                return HookOutcome::silent();
            };
            if !matches!(tool, "Write" | "Edit" | "MultiEdit") {
                return HookOutcome::silent();
            }
            let content = match std::fs::read_to_string(&path) {
                Ok(c) => c,
                Err(e) => return failure(config, format!("cannot read {}: {e}", path.display())),
            };
            let verdict = match judge_file(config, &path, &content) {
                None => return HookOutcome::silent(),
                Some(Err(e)) => return failure(config, e),
                Some(Ok(v)) => v,
            };
            if verdict.issues_found.is_empty() {
                return HookOutcome::silent();
            }
            let reason = verdict.reason(&display_name(&path, cwd));
            let mut answer = json!({
                "hookSpecificOutput": {"hookEventName": "PostToolUse", "additionalContext": reason.clone()}
            });
            if verdict.recommended_treatment == Treatment::Block {
                answer["decision"] = json!("block");
                answer["reason"] = json!(reason);
            }
            HookOutcome::json(answer)
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

/// Handles one Cursor hook invocation.
pub fn cursor(config: &HookConfig<'_>, input: &str) -> HookOutcome {
    let payload = match parse_payload(input) {
        Ok(p) => p,
        Err(e) => return failure(config, e),
    };
    let event = str_field(&payload, "hook_event_name").unwrap_or_default();
    let conversation = str_field(&payload, "conversation_id").unwrap_or("default");
    let root = payload
        .get("workspace_roots")
        .and_then(Value::as_array)
        .and_then(|r| r.first())
        .and_then(Value::as_str)
        .map(str::to_string);
    match event {
        "afterFileEdit" => {
            let Some(path) = str_field(&payload, "file_path") else {
                return HookOutcome::silent();
            };
            if Lang::from_path(Path::new(path)).is_none() {
                return HookOutcome::silent();
            }
            let file = state_file(config, conversation);
            let recorded = std::fs::create_dir_all(&config.state_dir).and_then(|()| {
                use std::io::Write as _;
                let mut f = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&file)?;
                writeln!(f, "{path}")
            });
            match recorded {
                Ok(()) => HookOutcome::json(json!({})),
                Err(e) => failure(
                    config,
                    format!("cannot record the edit in {}: {e}", file.display()),
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
                let Ok(content) = std::fs::read_to_string(path) else {
                    continue;
                };
                if let Some(Ok(verdict)) = judge_file(config, Path::new(path), &content)
                    && !verdict.issues_found.is_empty()
                {
                    reasons.push(verdict.reason(&display_name(Path::new(path), root.as_deref())));
                }
            }
            if reasons.is_empty() {
                return HookOutcome::json(json!({}));
            }
            HookOutcome::json(json!({
                "followup_message": format!("{}\nPlease fix these issues in the files you edited.", reasons.join("\n\n"))
            }))
        }
        other if other.starts_with("before") || other == "preToolUse" => {
            // Events that carry the content about to be written can be denied.
            let input = payload.get("tool_input").unwrap_or(&payload);
            let path = str_field(input, "file_path");
            let content = str_field(input, "content");
            let (Some(path), Some(content)) = (path, content) else {
                return HookOutcome::json(json!({"permission": "allow"}));
            };
            match judge_file(config, Path::new(path), content) {
                Some(Ok(verdict)) if verdict.recommended_treatment == Treatment::Block => {
                    let reason = verdict.reason(&display_name(Path::new(path), root.as_deref()));
                    HookOutcome::json(json!({
                        "permission": "deny",
                        "user_message": format!("codeguard blocked an insecure write to {path}"),
                        "agent_message": reason,
                    }))
                }
                Some(Err(e)) => failure(config, e),
                _ => HookOutcome::json(json!({"permission": "allow"})),
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
    let entries: Vec<(&str, Value)> = match client {
        "claude" => vec![
            (
                "PreToolUse",
                json!({"matcher": "Write|Edit|MultiEdit", "hooks": [{"type": "command", "command": format!("{command} hook claude"), "timeout": 60}]}),
            ),
            (
                "PostToolUse",
                json!({"matcher": "Write|Edit|MultiEdit", "hooks": [{"type": "command", "command": format!("{command} hook claude"), "timeout": 60}]}),
            ),
        ],
        "cursor" => {
            if settings.get("version").is_none() {
                settings["version"] = json!(1);
            }
            vec![
                (
                    "afterFileEdit",
                    json!({"command": format!("{command} hook cursor"), "timeout": 30}),
                ),
                (
                    "stop",
                    json!({"command": format!("{command} hook cursor"), "timeout": 60, "loop_limit": 3}),
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
