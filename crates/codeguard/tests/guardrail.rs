//! The guardrail surfaces through the real binary: the MCP server over stdio (raw protocol
//! edge cases, and the official MCP Python SDK as a client when available), the Claude Code
//! and Cursor hooks replaying their payloads, and `init-hooks`.

mod common;

use common::mcp::Server;
use common::*;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

fn initialized(root: &Path) -> Server {
    let mut server = Server::start(root);
    let init = server.request(1, "initialize", json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}}));
    assert_eq!(init["result"]["protocolVersion"], "2025-06-18");
    server.send_raw(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#);
    server
}

#[test]
fn mcp_negotiates_lists_tools_and_scans() {
    let root = workspace().join("tests/fixtures/project");
    let mut server = Server::start(&root);
    let init = server.request(1, "initialize", json!({"protocolVersion": "1999-01-01", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}));
    assert_eq!(
        init["result"]["protocolVersion"], "2025-11-25",
        "unknown versions get the newest"
    );
    assert_eq!(init["result"]["serverInfo"]["name"], "codeguard");
    assert_eq!(
        init["result"]["capabilities"]["prompts"]["listChanged"],
        false
    );
    server.send_raw(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#);
    assert_eq!(server.request(2, "ping", json!({}))["result"], json!({}));

    let tools = server.request(3, "tools/list", json!({}))["result"]["tools"].clone();
    let names: Vec<&str> = tools
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["scan_code", "scan_files", "explain_rule", "list_rules"]
    );
    for tool in tools.as_array().unwrap() {
        assert!(!tool["name"].as_str().unwrap().starts_with("codeguard_"));
        assert_eq!(tool["inputSchema"]["type"], "object");
        assert_eq!(tool["annotations"]["readOnlyHint"], true);
    }

    let result = server.call(4, "scan_code", json!({"code": "import subprocess\nsubprocess.run(f\"ls {d}\", shell=True)\n", "filename": "a.py"}));
    assert_eq!(result["isError"], false);
    let verdict = &result["structuredContent"];
    assert_eq!(verdict["is_insecure"], true);
    assert_eq!(verdict["recommended_treatment"], "block");
    let issue = &verdict["issues_found"][0];
    assert_eq!(issue["rule_id"], "CG-CORE007");
    assert_eq!(issue["cwe"][0], "CWE-78");
    assert_eq!(issue["line"], 2);
    assert_eq!(
        issue["codeguard_rule"][0],
        "codeguard-0-input-validation-injection"
    );
    assert!(text_of(&result).contains("line 2: CG-CORE007"));
    // The text's JSON is the verdict's, compact and in its own order: the answer first.
    let (_, json) = text_of(&result).split_once("\n\n").unwrap();
    assert!(
        json.starts_with(r#"{"is_insecure":true,"recommended_treatment":"block","issues_found":[{"rule_id":"CG-CORE007""#),
        "{json}"
    );
    assert_eq!(&serde_json::from_str::<Value>(json).unwrap(), verdict);

    let clean = server.call(
        5,
        "scan_code",
        json!({"code": "import json\njson.loads(s)\n", "language": "python"}),
    );
    assert_eq!(
        clean["structuredContent"]["recommended_treatment"],
        "ignore"
    );
    assert_eq!(clean["structuredContent"]["is_insecure"], false);

    let warn = server.call(
        6,
        "scan_code",
        json!({"code": "import torch\nm = torch.load(path)\n", "language": "python"}),
    );
    assert_eq!(warn["structuredContent"]["recommended_treatment"], "warn");

    let files = server.call(7, "scan_files", json!({"paths": ["app"]}));
    assert_eq!(files["structuredContent"]["recommended_treatment"], "block");
    assert!(
        files["structuredContent"]["issues_found"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["path"] == "app/train.py")
    );

    let explain = server.call(8, "explain_rule", json!({"rule": "torch-load-unpickles"}));
    assert!(text_of(&explain).contains("## Why is this bad?"));
    let list = server.call(9, "list_rules", json!({}));
    assert!(list["structuredContent"]["rules"].as_array().unwrap().len() >= 15);
}

#[test]
fn mcp_survives_bad_input() {
    let root = workspace().join("tests/fixtures/project");
    let mut server = initialized(&root);
    server.send_raw("{not json");
    assert_eq!(server.receive()["error"]["code"], -32700);
    server.send_raw("[1, 2]");
    assert_eq!(server.receive()["error"]["code"], -32600);
    assert_eq!(
        server.request(10, "no/such/method", json!({}))["error"]["code"],
        -32601
    );
    assert_eq!(
        server.request(11, "tools/call", json!({"name": "rm_rf", "arguments": {}}))["error"]["code"],
        -32602
    );

    let bad_lang = server.call(12, "scan_code", json!({"code": "x", "language": "cobol"}));
    assert_eq!(bad_lang["isError"], true);
    assert!(text_of(&bad_lang).contains("unknown language"));
    let no_lang = server.call(13, "scan_code", json!({"code": "x"}));
    assert_eq!(no_lang["isError"], true);
    let missing = server.call(14, "scan_code", json!({"language": "python"}));
    assert_eq!(missing["isError"], true);

    let huge = "x = 1\n".repeat(300_000);
    let too_big = server.call(15, "scan_code", json!({"code": huge, "language": "python"}));
    assert_eq!(too_big["isError"], true);
    assert!(text_of(&too_big).contains("the limit is"));

    let outside = server.call(16, "scan_files", json!({"paths": ["../../../README.md"]}));
    assert_eq!(outside["isError"], true);
    assert!(text_of(&outside).contains("outside the workspace root"));
    let absolute = server.call(17, "scan_files", json!({"paths": ["/etc"]}));
    assert_eq!(absolute["isError"], true);

    // Still answering after all that.
    assert_eq!(server.request(18, "ping", json!({}))["result"], json!({}));
}

#[test]
fn mcp_with_the_official_python_sdk() {
    let Some(python) = std::env::var_os("CODEGUARD_TEST_PYTHON") else {
        assert!(
            std::env::var_os("CODEGUARD_REQUIRE_E2E").is_none(),
            "CODEGUARD_TEST_PYTHON must point at a Python with the `mcp` package"
        );
        eprintln!(
            "skipped: set CODEGUARD_TEST_PYTHON to a Python with `mcp` installed (.ci/run does)"
        );
        return;
    };
    let out = Command::new(python)
        .arg(workspace().join("tests/mcp/sdk_client.py"))
        .arg(env!("CARGO_BIN_EXE_codeguard"))
        .arg(workspace().join("tests/fixtures/project"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(seen["server"], "codeguard");
    assert_eq!(
        seen["tools"],
        json!(["explain_rule", "list_rules", "scan_code", "scan_files"])
    );
    assert_eq!(seen["insecure"]["recommended_treatment"], "block");
    assert_eq!(seen["insecure"]["issues_found"][0]["rule_id"], "CG-ML001");
    assert_eq!(seen["insecure_is_error"], false);
    assert_eq!(seen["clean"]["recommended_treatment"], "ignore");
    assert_eq!(seen["bad_is_error"], true);
    assert!(seen["explain"].as_str().unwrap().starts_with("# CG-ML001"));
    // The rules' guidance as prompts, per topic and language.
    assert_eq!(seen["prompts_capability"], true);
    assert_eq!(
        seen["prompts"],
        json!([
            "secure-coding",
            "model-loading",
            "secrets-and-prompts",
            "model-output-handling",
            "mcp-servers",
            "injection-and-crypto"
        ])
    );
    assert_eq!(seen["prompt_arguments"], json!(["language"]));
    assert_eq!(seen["prompt_role"], "user");
    let prompt = seen["prompt_text"].as_str().unwrap();
    assert!(
        prompt.contains("\n## Model loading\n- CG-ML001: "),
        "{prompt}"
    );
    assert!(
        !prompt.contains("CG-ML009"),
        "a Rust rule in a Python prompt: {prompt}"
    );
    assert_eq!(seen["unknown_prompt_code"], -32602);
}

/// The text block of a tool result.
fn text_of(result: &Value) -> &str {
    result["content"][0]["text"].as_str().unwrap()
}

fn hook(client: &str, payload: &Value, extra: &[&str]) -> Output {
    let mut args = vec!["hook", client];
    args.extend_from_slice(extra);
    run_with_stdin(&args, payload.to_string().as_bytes())
}

fn claude_payload(event: &str, tool: &str, input: Value, cwd: &Path) -> Value {
    json!({
        "session_id": "s1", "transcript_path": "/tmp/t.jsonl", "cwd": cwd, "prompt_id": "p1",
        "permission_mode": "default", "hook_event_name": event, "tool_name": tool,
        "tool_input": input, "tool_use_id": "toolu_1"
    })
}

#[test]
fn claude_pre_tool_use_denies_insecure_writes_and_edits() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("loader.py");
    let write = claude_payload(
        "PreToolUse",
        "Write",
        json!({"file_path": file, "content": "import torch\nstate = torch.load(p, weights_only=False)\n"}),
        dir.path(),
    );
    let out = hook("claude", &write, &[]);
    assert_eq!(out.status.code(), Some(0));
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    let specific = &answer["hookSpecificOutput"];
    assert_eq!(specific["hookEventName"], "PreToolUse");
    assert_eq!(specific["permissionDecision"], "deny");
    let reason = specific["permissionDecisionReason"].as_str().unwrap();
    assert!(
        reason.contains("loader.py")
            && reason.contains("line 2: CG-ML001")
            && reason.contains("CWE-502"),
        "{reason}"
    );
    assert!(
        reason.contains("weights_only=True"),
        "the reason carries the fix: {reason}"
    );

    // An Edit is judged on the file as it would be after the edit.
    std::fs::write(&file, "import yaml\ncfg = yaml.safe_load(fh)\n").unwrap();
    let edit = claude_payload(
        "PreToolUse",
        "Edit",
        json!({"file_path": file, "old_string": "yaml.safe_load(fh)", "new_string": "yaml.load(fh)", "replace_all": false}),
        dir.path(),
    );
    let answer: Value = serde_json::from_slice(&hook("claude", &edit, &[]).stdout).unwrap();
    assert_eq!(answer["hookSpecificOutput"]["permissionDecision"], "deny");
    assert!(
        answer["hookSpecificOutput"]["permissionDecisionReason"]
            .as_str()
            .unwrap()
            .contains("CG-CORE009")
    );

    // A harmless edit, a non-code file and a warn-level finding pass silently.
    let fine = claude_payload(
        "PreToolUse",
        "Edit",
        json!({"file_path": file, "old_string": "cfg =", "new_string": "config =", "replace_all": false}),
        dir.path(),
    );
    let out = hook("claude", &fine, &[]);
    assert_eq!((out.status.code(), out.stdout.is_empty()), (Some(0), true));
    let notes = claude_payload(
        "PreToolUse",
        "Write",
        json!({"file_path": dir.path().join("notes.md"), "content": "eval(x)"}),
        dir.path(),
    );
    assert!(hook("claude", &notes, &[]).stdout.is_empty());
    let bash = claude_payload("PreToolUse", "Bash", json!({"command": "ls"}), dir.path());
    assert!(hook("claude", &bash, &[]).stdout.is_empty());
}

/// An assistant writing a TypeScript MCP server whose tool passes its argument to a shell is
/// stopped, with the flow in the reason.
#[test]
fn claude_pre_tool_use_denies_an_insecure_typescript_mcp_tool() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("server.ts");
    let content = "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\n\
                   import { execSync } from \"node:child_process\";\n\
                   const server = new McpServer({ name: \"ops\", version: \"1.0.0\" });\n\
                   server.tool(\"run\", { cmd: z.string() }, async ({ cmd }) => {\n\
                   \x20 return { content: [{ type: \"text\", text: execSync(cmd).toString() }] };\n\
                   });\n";
    let write = claude_payload(
        "PreToolUse",
        "Write",
        json!({"file_path": file, "content": content}),
        dir.path(),
    );
    let answer: Value = serde_json::from_slice(&hook("claude", &write, &[]).stdout).unwrap();
    let specific = &answer["hookSpecificOutput"];
    assert_eq!(specific["permissionDecision"], "deny", "{answer}");
    let reason = specific["permissionDecisionReason"].as_str().unwrap();
    assert!(
        reason.contains("server.ts") && reason.contains("line 5: CG-MCP001"),
        "{reason}"
    );
    // The same server taking a fixed command passes.
    let fixed = content.replace("execSync(cmd)", "execSync(\"uptime\")");
    let write = claude_payload(
        "PreToolUse",
        "Write",
        json!({"file_path": file, "content": fixed}),
        dir.path(),
    );
    assert!(hook("claude", &write, &[]).stdout.is_empty());
}

#[test]
fn claude_pre_tool_use_denies_a_secret_written_into_an_mcp_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join(".mcp.json");
    let content = r#"{"mcpServers": {"jira": {"command": "jira-mcp", "env": {"JIRA_API_TOKEN": "ATATT3xFfGF0q8Zr2LwX9vN4mK7pT1sY6bH3"}}}}"#;
    let write = claude_payload(
        "PreToolUse",
        "Write",
        json!({"file_path": config, "content": content}),
        dir.path(),
    );
    let answer: Value = serde_json::from_slice(&hook("claude", &write, &[]).stdout).unwrap();
    assert_eq!(answer["hookSpecificOutput"]["permissionDecision"], "deny");
    let reason = answer["hookSpecificOutput"]["permissionDecisionReason"]
        .as_str()
        .unwrap();
    assert!(
        reason.contains("CG-MCP008") && reason.contains("${env:JIRA_API_TOKEN}"),
        "{reason}"
    );
    // The same server reading the token from the environment is fine.
    let safe = claude_payload(
        "PreToolUse",
        "Write",
        json!({"file_path": config, "content": content.replace("ATATT3xFfGF0q8Zr2LwX9vN4mK7pT1sY6bH3", "${env:JIRA_API_TOKEN}")}),
        dir.path(),
    );
    assert!(hook("claude", &safe, &[]).stdout.is_empty());
}

#[test]
fn claude_post_tool_use_feeds_back_and_failures_fail_open() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fetch.py");
    std::fs::write(
        &file,
        "import requests\nr = requests.get(url, verify=False)\n",
    )
    .unwrap();
    let post = claude_payload(
        "PostToolUse",
        "Write",
        json!({"file_path": file, "content": ""}),
        dir.path(),
    );
    let answer: Value = serde_json::from_slice(&hook("claude", &post, &[]).stdout).unwrap();
    assert_eq!(answer["decision"], "block");
    assert!(answer["reason"].as_str().unwrap().contains("CG-CORE005"));
    assert_eq!(answer["hookSpecificOutput"]["hookEventName"], "PostToolUse");

    let garbage = hook("claude", &json!("not an object"), &[]);
    assert_eq!(garbage.status.code(), Some(1), "internal errors fail open");
    assert!(String::from_utf8_lossy(&garbage.stderr).contains("codeguard hook"));
    let closed = hook("claude", &json!("not an object"), &["--fail-closed"]);
    assert_eq!(closed.status.code(), Some(2));
}

/// A Cursor hook event of `conversation` in the workspace `root`.
fn cursor_event(conversation: &str, root: &Path, event: &str) -> Value {
    json!({"hook_event_name": event, "conversation_id": conversation, "generation_id": "g1",
           "workspace_roots": [root]})
}

/// Records an edit of `file` (`afterFileEdit`) in `conversation`.
fn cursor_record_edit(conversation: &str, root: &Path, file: &Path, new_string: &str) {
    let mut edit = cursor_event(conversation, root, "afterFileEdit");
    edit["file_path"] = json!(file);
    edit["edits"] = json!([{"old_string": "", "new_string": new_string}]);
    assert_eq!(hook("cursor", &edit, &[]).status.code(), Some(0));
}

/// Cursor's `stop` event of `conversation`, and the hook's answer to it.
fn cursor_stop(conversation: &str, root: &Path) -> (Value, Value) {
    let mut stop = cursor_event(conversation, root, "stop");
    stop["status"] = json!("completed");
    stop["loop_count"] = json!(0);
    let answer = serde_json::from_slice(&hook("cursor", &stop, &[]).stdout).unwrap();
    (stop, answer)
}

/// One hook call may judge several files (Cursor's `stop`): the rules loaded for the first
/// file's code serve only that code in that language; the same text in a file of another
/// language is judged with that language's rules.
#[test]
fn cursor_stop_judges_each_file_with_its_own_languages_rules() {
    let dir = tempfile::tempdir().unwrap();
    let rust = std::fs::read_to_string(workspace().join("rules/core/tls-verification-disabled.rs"))
        .unwrap();
    let (python_file, rust_file) = (dir.path().join("a.py"), dir.path().join("b.rs"));
    std::fs::write(&python_file, &rust).unwrap();
    std::fs::write(&rust_file, &rust).unwrap();
    let conversation = format!("two-{}", std::process::id());
    for file in [&python_file, &rust_file] {
        cursor_record_edit(&conversation, dir.path(), file, "x");
    }
    let (_, answer) = cursor_stop(&conversation, dir.path());
    let followup = answer["followup_message"].as_str().unwrap_or_default();
    assert!(
        followup.contains("b.rs") && followup.contains("CG-CORE005"),
        "{answer}"
    );
}

#[test]
fn cursor_records_edits_and_reports_on_stop() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tool.py");
    std::fs::write(&file, "import os\nos.system(\"ping \" + host)\n").unwrap();
    let conversation = format!("conv-{}", std::process::id());
    let common = |event: &str| cursor_event(&conversation, dir.path(), event);
    cursor_record_edit(
        &conversation,
        dir.path(),
        &file,
        "os.system(\"ping \" + host)",
    );
    let (stop, answer) = cursor_stop(&conversation, dir.path());
    let followup = answer["followup_message"].as_str().unwrap();
    assert!(
        followup.contains("tool.py") && followup.contains("CG-CORE007"),
        "{followup}"
    );
    // The record is consumed: a second stop has nothing to say.
    let again: Value = serde_json::from_slice(&hook("cursor", &stop, &[]).stdout).unwrap();
    assert_eq!(again, json!({}));

    let mut pre = common("preToolUse");
    pre["tool_name"] = json!("Write");
    pre["tool_input"] = json!({"file_path": dir.path().join("new.py"), "content": "import pickle\nobj = pickle.loads(data)\n"});
    let answer: Value = serde_json::from_slice(&hook("cursor", &pre, &[]).stdout).unwrap();
    assert_eq!(answer["permission"], "deny");
    assert!(
        answer["agent_message"]
            .as_str()
            .unwrap()
            .contains("CG-CORE009")
    );
    let mut shell = common("beforeShellExecution");
    shell["command"] = json!("ls");
    let answer: Value = serde_json::from_slice(&hook("cursor", &shell, &[]).stdout).unwrap();
    assert_eq!(answer["permission"], "allow");
}

#[test]
fn init_hooks_writes_and_merges_settings() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join(".claude/settings.json");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    std::fs::write(
        &settings,
        r#"{"model": "opus", "hooks": {"Stop": [{"hooks": []}]}}"#,
    )
    .unwrap();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_codeguard"))
            .args(["init-hooks", "claude", "--project"])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    assert_eq!(run().status.code(), Some(0));
    assert_eq!(run().status.code(), Some(0), "idempotent");
    let merged: Value = serde_json::from_str(&std::fs::read_to_string(&settings).unwrap()).unwrap();
    assert_eq!(merged["model"], "opus", "existing settings are kept");
    assert_eq!(merged["hooks"]["Stop"].as_array().unwrap().len(), 1);
    assert_eq!(merged["hooks"]["PreToolUse"].as_array().unwrap().len(), 1);
    assert_eq!(
        merged["hooks"]["PreToolUse"][0]["hooks"][0]["command"],
        "codeguard hook claude --fail-closed"
    );

    let cursor = Command::new(env!("CARGO_BIN_EXE_codeguard"))
        .args(["init-hooks", "cursor", "--print", "--project"])
        .arg(dir.path())
        .output()
        .unwrap();
    let printed: Value = serde_json::from_slice(&cursor.stdout).unwrap();
    assert_eq!(printed["version"], 1);
    assert_eq!(
        printed["hooks"]["stop"][0]["command"],
        "codeguard hook cursor --fail-closed"
    );
    assert_eq!(printed["hooks"]["preToolUse"][0]["failClosed"], true);
    assert!(
        !dir.path().join(".cursor").exists(),
        "--print writes nothing"
    );

    std::fs::write(&settings, "{broken").unwrap();
    let broken = run();
    assert_eq!(broken.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&settings).unwrap(),
        "{broken",
        "a broken file is never overwritten"
    );
}

#[test]
fn stdin_json_report_carries_the_verdict() {
    let out = run_with_stdin(
        &[
            "check",
            "--stdin",
            "--stdin-filename",
            "s.py",
            "--format",
            "json",
        ],
        b"import hashlib\ntoken_hash = hashlib.md5(x)\n",
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"]["recommended_treatment"], "warn");
    assert_eq!(
        report["verdict"]["is_insecure"], true,
        "a warned finding is still insecure"
    );
    let issue = &report["verdict"]["issues"][0];
    assert_eq!(issue["treatment"], "warn");
    let index = issue["finding"].as_u64().unwrap() as usize;
    assert_eq!(report["findings"][index]["rule_id"], "CG-CORE001");
}
