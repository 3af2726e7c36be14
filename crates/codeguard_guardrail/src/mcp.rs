//! An MCP server over stdio: newline-delimited JSON-RPC 2.0, protocol version negotiation,
//! `initialize`, `ping`, `tools/list`, `tools/call`, and `prompts/list`, `prompts/get` (the
//! rules' guidance per topic, for assistants to read before they write code). Hand-rolled on serde_json: the protocol
//! surface a tool server needs is small, and it keeps tokio and an SDK out of a synchronous
//! scanner. Logs go to stderr; stdout carries only protocol messages.

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

use codeguard_engine::{Policy, ScanOptions, Verdict, scan_paths};
use codeguard_language::Lang;
use codeguard_rules::RuleSet;
use serde_json::{Value, json};

use crate::guidance;

/// Protocol versions this server speaks, newest first.
pub const PROTOCOL_VERSIONS: [&str; 4] = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

/// Protocol versions that allow JSON-RPC batches (added in 2025-03-26, removed in 2025-06-18).
const BATCH_VERSIONS: [&str; 1] = ["2025-03-26"];

/// Server settings.
pub struct ServerConfig<'a> {
    pub rules: &'a RuleSet,
    pub policy: Policy,
    /// How code is scanned (inline suppressions refused unless allowed).
    pub options: ScanOptions,
    /// The configuration or rules failed to load: scans answer "insecure" with this reason
    /// (a broken policy must not mean "no policy").
    pub setup_error: Option<String>,
    /// `scan_files` only reads inside this folder.
    pub root: PathBuf,
    /// Largest `code` accepted by `scan_code`, in bytes.
    pub max_code_bytes: usize,
    /// Largest JSON-RPC message accepted, in bytes.
    pub max_message_bytes: usize,
    /// Most files `scan_files` scans in one call.
    pub max_files: usize,
}

impl<'a> ServerConfig<'a> {
    pub fn new(rules: &'a RuleSet, root: PathBuf) -> Self {
        Self {
            rules,
            policy: Policy::default(),
            options: crate::guardrail_options(ScanOptions::default(), false),
            setup_error: None,
            root,
            max_code_bytes: 1024 * 1024,
            max_message_bytes: 8 * 1024 * 1024,
            max_files: 20_000,
        }
    }
}

/// Per-connection state: the negotiated protocol version decides whether batches are allowed.
#[derive(Debug, Default)]
pub struct Session {
    pub protocol_version: Option<&'static str>,
}

/// Serves until the input ends. Never panics on input: every malformed message gets a
/// JSON-RPC error and the server keeps reading; a line longer than the message limit is
/// skipped without being buffered.
pub fn serve(
    config: &ServerConfig<'_>,
    mut input: impl BufRead,
    mut output: impl Write,
) -> std::io::Result<()> {
    let mut session = Session::default();
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = input
            .by_ref()
            .take(config.max_message_bytes as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            return Ok(());
        }
        if line.len() > config.max_message_bytes && !line.ends_with(b"\n") {
            skip_line(&mut input)?;
            write_message(
                &mut output,
                &error_response(
                    Value::Null,
                    -32600,
                    &format!(
                        "message too large (the limit is {} bytes)",
                        config.max_message_bytes
                    ),
                ),
            )?;
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        if text.trim().is_empty() {
            continue;
        }
        if let Some(response) = handle_message_in(config, &mut session, text.trim()) {
            write_message(&mut output, &response)?;
        }
    }
}

/// Discards input up to and including the next newline, a buffer at a time.
fn skip_line(input: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(());
        }
        if let Some(end) = buffer.iter().position(|b| *b == b'\n') {
            input.consume(end + 1);
            return Ok(());
        }
        let len = buffer.len();
        input.consume(len);
    }
}

fn write_message(output: &mut impl Write, message: &Value) -> std::io::Result<()> {
    // serde_json never emits raw newlines inside a compact document. One write of the whole
    // line: stdout is line-buffered, and serde_json writes a token at a time.
    let mut line = serde_json::to_vec(message)?;
    line.push(b'\n');
    output.write_all(&line)?;
    output.flush()
}

fn error_response(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// Handles one message outside a session (batches refused); `None` for notifications.
pub fn handle_message(config: &ServerConfig<'_>, text: &str) -> Option<Value> {
    handle_message_in(config, &mut Session::default(), text)
}

/// Handles one message (or a batch, where the negotiated version allows it); `None` when
/// nothing is to be answered (notifications).
pub fn handle_message_in(
    config: &ServerConfig<'_>,
    session: &mut Session,
    text: &str,
) -> Option<Value> {
    let message: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            return Some(error_response(
                Value::Null,
                -32700,
                &format!("parse error: {e}"),
            ));
        }
    };
    let Value::Array(batch) = message else {
        return handle_request(config, session, message);
    };
    let allowed = session
        .protocol_version
        .is_some_and(|v| BATCH_VERSIONS.contains(&v));
    if !allowed {
        return Some(error_response(
            Value::Null,
            -32600,
            &format!(
                "invalid request: JSON-RPC batches are not part of MCP protocol version {}",
                session.protocol_version.unwrap_or(PROTOCOL_VERSIONS[0])
            ),
        ));
    }
    if batch.is_empty() {
        return Some(error_response(
            Value::Null,
            -32600,
            "invalid request: empty batch",
        ));
    }
    let answers: Vec<Value> = batch
        .into_iter()
        .filter_map(|m| handle_request(config, session, m))
        .collect();
    (!answers.is_empty()).then_some(Value::Array(answers))
}

fn handle_request(
    config: &ServerConfig<'_>,
    session: &mut Session,
    message: Value,
) -> Option<Value> {
    let Some(object) = message.as_object() else {
        return Some(error_response(
            Value::Null,
            -32600,
            "invalid request: expected a JSON object",
        ));
    };
    let id = object.get("id").cloned();
    let Some(method) = object.get("method").and_then(Value::as_str) else {
        // A response from the client (we send no requests) or garbage.
        return id.map(|id| error_response(id, -32600, "invalid request: no method"));
    };
    let params = object.get("params").unwrap_or(&Value::Null);
    let Some(id) = id else {
        // Notifications (`notifications/initialized`, `notifications/cancelled`...) need no answer.
        return None;
    };
    let result = match method {
        "initialize" => {
            let (version, result) = initialize(params);
            session.protocol_version = Some(version);
            Ok(result)
        }
        "ping" => Ok(json!({})),
        "tools/list" => Ok(json!({"tools": tool_list()})),
        "prompts/list" => Ok(json!({"prompts": prompt_list(config)})),
        "prompts/get" => get_prompt(config, params),
        "tools/call" => {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| call_tool(config, params)))
                .unwrap_or_else(|_| Ok(tool_failure("codeguard crashed while handling this call")))
        }
        _ => Err((-32601, format!("method not found: {method}"))),
    };
    Some(match result {
        Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
        Err((code, message)) => error_response(id, code, &message),
    })
}

fn initialize(params: &Value) -> (&'static str, Value) {
    let requested = params
        .get("protocolVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let version = PROTOCOL_VERSIONS
        .iter()
        .find(|v| **v == requested)
        .unwrap_or(&PROTOCOL_VERSIONS[0]);
    let result = json!({
        "protocolVersion": version,
        "capabilities": {"tools": {"listChanged": false}, "prompts": {"listChanged": false}},
        "serverInfo": {"name": "codeguard", "title": "codeguard security scanner", "version": env!("CARGO_PKG_VERSION")},
        "instructions": "Call scan_code on code before you write it (or scan_files after). If recommended_treatment is \
                         \"block\", rewrite the code to remove the listed issues; each issue names its rule, CWE, line and \
                         fix. explain_rule gives a rule's full documentation. The prompts give the rules' guidance \
                         per topic (secure-coding: all of it) to read before writing code.",
    });
    (version, result)
}

fn verdict_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "is_insecure": {"type": "boolean", "description": "true when any issue warns or blocks (recommended_treatment is not ignore)"},
            "recommended_treatment": {"type": "string", "enum": ["block", "warn", "ignore"]},
            "issues_found": {"type": "array", "items": {
                "type": "object",
                "properties": {
                    "rule_id": {"type": "string"},
                    "rule_name": {"type": "string"},
                    "severity": {"type": "string", "enum": ["info", "low", "medium", "high", "critical"]},
                    "confidence": {"type": "string", "enum": ["low", "medium", "high"]},
                    "treatment": {"type": "string", "enum": ["block", "warn", "ignore"]},
                    "cwe": {"type": "array", "items": {"type": "string"}},
                    "owasp_llm": {"type": "array", "items": {"type": "string"}},
                    "codeguard_rule": {"type": "array", "items": {"type": "string"}},
                    "path": {"type": "string"},
                    "line": {"type": "integer"},
                    "column": {"type": "integer"},
                    "end_line": {"type": "integer"},
                    "end_column": {"type": "integer"},
                    "message": {"type": "string"},
                    "code": {"type": "string"},
                    "fix": {"type": ["object", "null"], "properties": {
                        "title": {"type": "string"},
                        "applicability": {"type": "string", "enum": ["safe", "suggested"]},
                        "fixed_line": {"type": ["string", "null"]}
                    }, "required": ["title", "applicability"]}
                },
                "required": ["rule_id", "rule_name", "severity", "cwe", "line", "message", "codeguard_rule"]
            }},
            "files_scanned": {"type": "integer"}
        },
        "required": ["is_insecure", "recommended_treatment", "issues_found"]
    })
}

fn tool_list() -> Value {
    let read_only = json!({"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false});
    json!([
        {
            "name": "scan_code",
            "title": "Scan code for security issues",
            "description": "Scan a code snippet or whole file (Python or Rust) for insecure patterns: unsafe model loads, \
                            trust_remote_code, hard-coded secrets, disabled TLS checks, injection, unsafe deserialization, \
                            weak crypto. Returns a verdict (block | warn | ignore) and every issue with rule id, CWE, line and fix.",
            "inputSchema": {
                "type": "object",
                "properties": {
                    "code": {"type": "string", "description": "The source code to scan."},
                    "language": {"type": "string", "enum": ["python", "rust", "json"], "description": "Language of the code; optional when filename has a known extension."},
                    "filename": {"type": "string", "description": "The file the code is (or will be) in; its extension picks the language."}
                },
                "required": ["code"]
            },
            "outputSchema": verdict_schema(),
            "annotations": read_only,
        },
        {
            "name": "scan_files",
            "title": "Scan files in the workspace",
            "description": "Scan files or folders inside the workspace root (folders honour .gitignore). Returns the same verdict as scan_code, with paths.",
            "inputSchema": {
                "type": "object",
                "properties": {"paths": {"type": "array", "items": {"type": "string"}, "minItems": 1, "description": "Paths relative to the workspace root (or absolute, inside it)."}},
                "required": ["paths"]
            },
            "outputSchema": verdict_schema(),
            "annotations": read_only,
        },
        {
            "name": "explain_rule",
            "title": "Explain a codeguard rule",
            "description": "The documentation of a rule (what it flags, why, how to fix, references), by id (CG-ML001) or name (torch-load-unpickles).",
            "inputSchema": {"type": "object", "properties": {"rule": {"type": "string"}}, "required": ["rule"]},
            "annotations": read_only,
        },
        {
            "name": "list_rules",
            "title": "List codeguard rules",
            "description": "Every enabled rule with id, name, severity, languages, CWE and the CodeGuard rule it enforces.",
            "inputSchema": {"type": "object", "properties": {}},
            "outputSchema": {"type": "object", "properties": {"rules": {"type": "array", "items": {"type": "object"}}}, "required": ["rules"]},
            "annotations": read_only,
        }
    ])
}

/// The prompt with every topic's guidance.
const ALL_TOPICS_PROMPT: &str = "secure-coding";

/// The prompts: one with all the guidance, then one per topic that has enabled rules.
fn prompt_list(config: &ServerConfig<'_>) -> Value {
    let language = json!([{
        "name": "language",
        "description": "Only the rules for this language (python, rust, json for MCP client configurations); default: all.",
        "required": false,
    }]);
    let mut prompts = vec![json!({
        "name": ALL_TOPICS_PROMPT,
        "title": "codeguard: secure coding rules",
        "description": "Every enabled codeguard rule as one line of guidance, grouped by topic. Read it before writing code.",
        "arguments": language,
    })];
    for topic in guidance::all_topics() {
        if config
            .rules
            .rules()
            .iter()
            .any(|r| guidance::topic_of(r) == topic)
        {
            prompts.push(json!({
                "name": topic.name,
                "title": format!("codeguard: {}", topic.title),
                "description": topic.description,
                "arguments": language,
            }));
        }
    }
    Value::Array(prompts)
}

/// `prompts/get`: the guidance of a topic (or of all), for one language or all. An unknown
/// prompt or language is an invalid-params error, as the protocol asks.
fn get_prompt(config: &ServerConfig<'_>, params: &Value) -> Result<Value, (i64, String)> {
    let Some(name) = params.get("name").and_then(Value::as_str) else {
        return Err((-32602, "prompts/get needs a prompt `name`".into()));
    };
    let topic = match name {
        ALL_TOPICS_PROMPT => None,
        _ => Some(
            guidance::all_topics()
                .find(|t| t.name == name)
                .ok_or_else(|| (-32602, format!("unknown prompt: {name}")))?,
        ),
    };
    let arguments = params.get("arguments").unwrap_or(&Value::Null);
    if !(arguments.is_null() || arguments.is_object()) {
        return Err((-32602, "`arguments` must be an object".into()));
    }
    let langs: Vec<Lang> = match arguments.get("language") {
        None | Some(Value::Null) => Lang::ALL.to_vec(),
        Some(Value::String(s)) if s.trim().is_empty() => Lang::ALL.to_vec(),
        Some(Value::String(s)) => vec![
            s.trim()
                .parse::<Lang>()
                .map_err(|e| (-32602, format!("argument `language`: {e}")))?,
        ],
        Some(_) => return Err((-32602, "argument `language` must be a string".into())),
    };
    let rules: Vec<&codeguard_rules::Rule> = config
        .rules
        .rules()
        .iter()
        .filter(|r| topic.is_none_or(|t| guidance::topic_of(r) == t))
        .filter(|r| guidance::applies_to(r, &langs))
        .collect();
    let text = if rules.is_empty() {
        "No enabled codeguard rule covers this topic and language.".to_string()
    } else {
        guidance::render(&rules, &langs, 1)
    };
    let description = topic.map_or("codeguard: secure coding rules", |t| t.description);
    Ok(json!({
        "description": description,
        "messages": [{"role": "user", "content": {"type": "text", "text": text}}],
    }))
}

/// A tool result: structured content plus the same as text for older clients.
fn tool_ok(structured: Value, text: String) -> Value {
    json!({"content": [{"type": "text", "text": text}], "structuredContent": structured, "isError": false})
}

/// A tool that failed (bad arguments, unreadable input): reported in the result, not as a
/// protocol error, so the model can correct itself.
fn tool_error(message: String) -> Value {
    json!({"content": [{"type": "text", "text": message}], "isError": true})
}

/// A scan that could not be judged (codeguard failed, or its configuration did not load):
/// fails closed, an "insecure, block" verdict with the reason, so a client that reads only
/// the verdict does not take a failure for a pass.
fn tool_failure(message: &str) -> Value {
    json!({
        "content": [{"type": "text", "text": format!("codeguard could not judge this code: {message}. Treat it as insecure.")}],
        "structuredContent": {"is_insecure": true, "recommended_treatment": "block", "issues_found": [], "error": message},
        "isError": true,
    })
}

fn call_tool(config: &ServerConfig<'_>, params: &Value) -> Result<Value, (i64, String)> {
    let Some(name) = params.get("name").and_then(Value::as_str) else {
        return Err((-32602, "tools/call needs a tool `name`".into()));
    };
    let empty = Value::Object(serde_json::Map::new());
    let args = params.get("arguments").unwrap_or(&empty);
    if !args.is_object() {
        return Err((-32602, "`arguments` must be an object".into()));
    }
    if let Some(error) = &config.setup_error
        && matches!(name, "scan_code" | "scan_files")
    {
        return Ok(tool_failure(&format!(
            "its configuration failed to load ({error}); a person must fix it"
        )));
    }
    let result = match name {
        "scan_code" => scan_code(config, args),
        "scan_files" => scan_files(config, args),
        "explain_rule" => explain_rule(config, args),
        "list_rules" => Ok(list_rules(config)),
        _ => return Err((-32602, format!("unknown tool: {name}"))),
    };
    Ok(result.unwrap_or_else(tool_error))
}

/// The text block of a verdict: the reason in words, then the verdict as JSON. Compact, not
/// pretty-printed: the model that reads it pays per token, and the layout cost as much to
/// write as the verdict itself. From the verdict, not its `Value`, whose keys come out
/// sorted: the verdict's own order puts `is_insecure` and the treatment before the issues.
fn verdict_text(verdict: &Verdict, subject: &str) -> String {
    let json = serde_json::to_string(verdict).unwrap_or_default();
    if verdict.issues_found.is_empty() {
        return json;
    }
    format!("{}\n\n{json}", verdict.reason(subject))
}

fn scan_code(config: &ServerConfig<'_>, args: &Value) -> Result<Value, String> {
    let code = args
        .get("code")
        .and_then(Value::as_str)
        .ok_or("`code` (a string) is required")?;
    if code.len() > config.max_code_bytes {
        return Err(format!(
            "`code` is {} bytes; the limit is {} bytes",
            code.len(),
            config.max_code_bytes
        ));
    }
    let filename = args.get("filename").and_then(Value::as_str);
    let lang = match args.get("language").and_then(Value::as_str) {
        Some(language) => language.parse::<Lang>().map_err(|e| e.to_string())?,
        None => filename.and_then(|f| Lang::from_path(Path::new(f))).ok_or(
            "give `language` (python, rust or json) or a `filename` with a known extension (.py, .rs, mcp.json)",
        )?,
    };
    let name = PathBuf::from(filename.unwrap_or(match lang {
        Lang::Python => "snippet.py",
        Lang::Rust => "snippet.rs",
        Lang::JavaScript => "snippet.js",
        Lang::TypeScript => "snippet.ts",
        Lang::Tsx => "snippet.tsx",
        Lang::Json => "snippet.mcp.json",
        Lang::Text => "snippet.txt",
    }));
    let verdict = match crate::judge(
        config.rules,
        &config.policy,
        &config.options,
        lang,
        &name,
        code,
        1,
    ) {
        Ok(verdict) => verdict,
        Err(e) => return Ok(tool_failure(&e)),
    };
    let structured = serde_json::to_value(&verdict).map_err(|e| e.to_string())?;
    let text = verdict_text(&verdict, "the code");
    Ok(tool_ok(structured, text))
}

fn scan_files(config: &ServerConfig<'_>, args: &Value) -> Result<Value, String> {
    let paths = args
        .get("paths")
        .and_then(Value::as_array)
        .ok_or("`paths` (a list of strings) is required")?;
    if paths.is_empty() {
        return Err("`paths` is empty".into());
    }
    let root = config
        .root
        .canonicalize()
        .map_err(|e| format!("workspace root {}: {e}", config.root.display()))?;
    let mut resolved = Vec::new();
    for path in paths {
        let path = path.as_str().ok_or("`paths` must hold strings")?;
        let candidate = if Path::new(path).is_absolute() {
            PathBuf::from(path)
        } else {
            root.join(path)
        };
        let real = candidate
            .canonicalize()
            .map_err(|_| format!("{path}: no such file or directory"))?;
        if !real.starts_with(&root) {
            return Err(format!(
                "{path} is outside the workspace root {}",
                root.display()
            ));
        }
        resolved.push(real);
    }
    let files = codeguard_engine::walk::collect_files(&resolved).map_err(|e| e.to_string())?;
    if files.len() > config.max_files {
        return Err(format!(
            "{} files to scan; the limit is {} (scan a narrower path)",
            files.len(),
            config.max_files
        ));
    }
    let mut summary =
        scan_paths(config.rules, &resolved, &config.options).map_err(|e| e.to_string())?;
    // A load of a model file in the workspace says what that file would import.
    codeguard_engine::artifact::describe_loaded_models(&mut summary);
    // A file left unscanned (too large, out of time) is a hole, not a pass.
    let unscanned: Vec<String> = summary
        .unscanned()
        .map(|f| f.path.display().to_string())
        .collect();
    if !unscanned.is_empty() {
        return Ok(tool_failure(&format!(
            "{} file(s) could not be fully scanned (too large, unreadable or out of time): {}",
            unscanned.len(),
            unscanned.join(", ")
        )));
    }
    let mut verdict = Verdict::judge(&config.policy, summary.diagnostics(), None);
    for issue in &mut verdict.issues_found {
        if let Ok(rel) = Path::new(&issue.path).strip_prefix(&root) {
            issue.path = rel.to_string_lossy().replace('\\', "/");
        }
    }
    let mut structured = serde_json::to_value(&verdict).map_err(|e| e.to_string())?;
    structured["files_scanned"] = json!(summary.scanned());
    let text = verdict_text(&verdict, &format!("{} file(s)", summary.scanned()));
    Ok(tool_ok(structured, text))
}

fn explain_rule(config: &ServerConfig<'_>, args: &Value) -> Result<Value, String> {
    let key = args
        .get("rule")
        .and_then(Value::as_str)
        .ok_or("`rule` (an id or name) is required")?;
    let rule = config
        .rules
        .find(key)
        .ok_or_else(|| format!("no rule has the id or name `{key}`"))?;
    let text = format!("# {} {}\n\n{}", rule.id, rule.name, rule.description);
    Ok(json!({"content": [{"type": "text", "text": text}], "isError": false}))
}

fn list_rules(config: &ServerConfig<'_>) -> Value {
    let rules: Vec<Value> = config
        .rules
        .rules()
        .iter()
        .map(|r| {
            json!({
                "id": r.id, "name": r.name, "pack": r.pack, "severity": r.severity, "confidence": r.confidence,
                "languages": r.languages(), "cwe": r.metadata.cwe, "owasp_llm": r.metadata.owasp_llm,
                "codeguard_rule": r.metadata.codeguard, "message": r.message,
                "guidance": guidance::guidance(r),
            })
        })
        .collect();
    let text = rules
        .iter()
        .map(|r| {
            format!(
                "{} {} ({})",
                r["id"].as_str().unwrap_or(""),
                r["name"].as_str().unwrap_or(""),
                r["severity"].as_str().unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    tool_ok(json!({"rules": rules}), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(config: &ServerConfig<'_>, method: &str, params: Value) -> Value {
        let message = json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params});
        handle_message(config, &message.to_string()).expect("requests are answered")
    }

    fn with_server(test: impl FnOnce(&ServerConfig<'_>)) {
        let rules = RuleSet::new(codeguard_rules::builtin_rules().unwrap());
        test(&ServerConfig::new(&rules, PathBuf::from(".")));
    }

    #[test]
    fn initialize_advertises_prompts() {
        with_server(|config| {
            let init = request(
                config,
                "initialize",
                json!({"protocolVersion": "2025-06-18"}),
            );
            assert_eq!(
                init["result"]["capabilities"]["prompts"],
                json!({"listChanged": false})
            );
        });
    }

    #[test]
    fn prompts_are_listed_per_topic() {
        with_server(|config| {
            let list = request(config, "prompts/list", json!({}));
            let names: Vec<&str> = list["result"]["prompts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            assert_eq!(
                names,
                [
                    "secure-coding",
                    "model-loading",
                    "secrets-and-prompts",
                    "model-output-handling",
                    "mcp-servers",
                    "injection-and-crypto"
                ]
            );
            let first = &list["result"]["prompts"][0];
            assert_eq!(first["arguments"][0]["name"], "language");
            assert_eq!(first["arguments"][0]["required"], false);
        });
    }

    #[test]
    fn a_topic_prompt_holds_its_rules_for_the_language() {
        with_server(|config| {
            let get = |params: Value| request(config, "prompts/get", params);
            let text_of = |answer: &Value| {
                assert_eq!(answer["result"]["messages"][0]["role"], "user", "{answer}");
                answer["result"]["messages"][0]["content"]["text"]
                    .as_str()
                    .unwrap()
                    .to_string()
            };
            let all = text_of(&get(json!({"name": "model-loading"})));
            assert!(all.starts_with("# Security rules (codeguard)\n"), "{all}");
            assert!(all.contains("\n## Model loading\n- CG-ML001: "), "{all}");
            assert!(all.contains("- CG-ML009: "), "{all}");
            assert!(!all.contains("CG-CORE"), "{all}");

            let python = text_of(&get(
                json!({"name": "model-loading", "arguments": {"language": "python"}}),
            ));
            assert!(python.contains("- CG-ML001: "), "{python}");
            assert!(!python.contains("CG-ML009"), "a Rust-only rule: {python}");
            assert!(python.contains("write Python code"), "{python}");

            let rust = text_of(&get(
                json!({"name": "secure-coding", "arguments": {"language": "rs"}}),
            ));
            assert!(rust.contains("- CG-ML009: ") && rust.contains("- CG-CORE006: "));
            assert!(!rust.contains("CG-ML001"), "{rust}");
        });
    }

    #[test]
    fn unknown_prompts_and_bad_arguments_are_invalid_params() {
        with_server(|config| {
            for params in [
                json!({"name": "no-such-prompt"}),
                json!({}),
                json!({"name": 3}),
                json!({"name": "mcp-servers", "arguments": {"language": "cobol"}}),
                json!({"name": "mcp-servers", "arguments": {"language": 3}}),
                json!({"name": "mcp-servers", "arguments": ["python"]}),
            ] {
                let answer = request(config, "prompts/get", params.clone());
                assert_eq!(answer["error"]["code"], -32602, "{params}: {answer}");
                assert!(answer.get("result").is_none());
            }
            let unknown = request(config, "prompts/get", json!({"name": "no-such-prompt"}));
            assert_eq!(
                unknown["error"]["message"],
                "unknown prompt: no-such-prompt"
            );
        });
    }
}
