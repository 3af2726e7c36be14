//! The bypass suite: each way a model (or a hostile payload) could talk its way past the
//! guardrail, replayed through the real hook and MCP server. Every one must be answered
//! "deny" (hooks) or `is_insecure: true` (MCP).

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::mcp::Server;
use serde_json::{Value, json};

/// A blocking finding (CG-CORE009, high severity and confidence).
const PICKLE: &str = "import pickle\nobj = pickle.loads(data)\n";

/// Runs `codeguard hook CLIENT EXTRA...` in `dir` with `payload` on stdin and `env` set.
fn hook_in(
    dir: &Path,
    client: &str,
    payload: &Value,
    extra: &[&str],
    env: &[(&str, &str)],
) -> Output {
    let args: Vec<&str> = ["hook", client]
        .into_iter()
        .chain(extra.iter().copied())
        .collect();
    run_with_stdin(dir, &args, payload.to_string().as_bytes(), env)
}

/// Runs `codeguard ARGS...` in `dir` with `input` on stdin and `env` set.
fn run_with_stdin(dir: &Path, args: &[&str], input: &[u8], env: &[(&str, &str)]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_codeguard"))
        .args(args)
        .current_dir(dir)
        .env("XDG_STATE_HOME", dir.join(".state"))
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn pre_tool_use(dir: &Path, tool: &str, input: Value) -> Value {
    json!({"session_id": "s", "cwd": dir, "hook_event_name": "PreToolUse", "tool_name": tool, "tool_input": input})
}

/// The permission decision of a Claude Code PreToolUse answer, and its reason.
fn decision(out: &Output) -> (String, String) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    if out.stdout.is_empty() {
        return ("allow".into(), String::new());
    }
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    let specific = &answer["hookSpecificOutput"];
    let decision = specific["permissionDecision"].as_str().unwrap_or("allow");
    let reason = specific["permissionDecisionReason"]
        .as_str()
        .or(specific["additionalContext"].as_str())
        .unwrap_or_default();
    (decision.to_string(), reason.to_string())
}

fn claude_decision(dir: &Path, tool: &str, input: Value, extra: &[&str]) -> (String, String) {
    decision(&hook_in(
        dir,
        "claude",
        &pre_tool_use(dir, tool, input),
        extra,
        &[],
    ))
}

/// The decision on the assistant writing `content` to `file` in `dir`.
fn write_decision(dir: &Path, file: &str, content: &str) -> (String, String) {
    claude_decision(
        dir,
        "Write",
        json!({"file_path": dir.join(file), "content": content}),
        &[],
    )
}

/// Asserts the hook's `expected` decision on a Write of each (file, content), with a reason
/// `reason_ok` accepts.
fn assert_each_write(
    dir: &Path,
    edits: &[(&str, &str)],
    expected: &str,
    reason_ok: impl Fn(&str) -> bool,
) {
    for (file, content) in edits {
        let (d, reason) = write_decision(dir, file, content);
        assert_eq!(d, expected, "{file}: {reason}");
        assert!(reason_ok(&reason), "{file}: {reason}");
    }
}

/// A project whose configuration adds the rule folder `rules/`, holding `name` with `text`.
fn project_with_rule_file(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(
        dir.path().join("codeguard.toml"),
        "extend-rules = [\"rules\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("rules").join(name), text).unwrap();
    dir
}

#[test]
fn inline_suppressions_written_by_the_model_do_not_silence_the_hook() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.py");
    let suppressed =
        "import pickle\nobj = pickle.loads(data)  # codeguard-ignore: CG-CORE009 -- trusted\n";
    let (d, reason) = claude_decision(
        dir.path(),
        "Write",
        json!({"file_path": file, "content": suppressed}),
        &[],
    );
    assert_eq!(d, "deny", "{reason}");
    assert!(reason.contains("CG-CORE009"), "{reason}");
    for marker in ["# nosec", "# nosec B301", "# noqa: S301"] {
        let (d, reason) = claude_decision(
            dir.path(),
            "Write",
            json!({"file_path": file, "content": format!("import pickle\nobj = pickle.loads(data)  {marker}\n")}),
            &[],
        );
        assert_eq!(d, "deny", "{marker}: {reason}");
    }

    // A person may allow them explicitly...
    let (d, _) = claude_decision(
        dir.path(),
        "Write",
        json!({"file_path": file, "content": suppressed}),
        &["--allow-inline-suppressions"],
    );
    assert_eq!(d, "allow");
    // ...unless the project refuses them.
    std::fs::write(
        dir.path().join("codeguard.toml"),
        "inline-suppressions = false\n",
    )
    .unwrap();
    let (d, _) = claude_decision(
        dir.path(),
        "Write",
        json!({"file_path": file, "content": suppressed}),
        &["--allow-inline-suppressions"],
    );
    assert_eq!(d, "deny");
}

#[test]
fn suppression_text_inside_a_string_silences_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for content in [
        format!("NOTE = \"# codeguard-ignore-file: CG-CORE009 -- fixtures\"\n{PICKLE}"),
        format!("{PICKLE}DOC = '''\n# codeguard-ignore: CG-CORE009 -- ok\n'''\n"),
    ] {
        let (d, reason) = claude_decision(
            dir.path(),
            "Write",
            json!({"file_path": dir.path().join("a.py"), "content": content}),
            &["--allow-inline-suppressions"],
        );
        assert_eq!(d, "deny", "{content}: {reason}");
    }
}

#[test]
fn edits_that_weaken_the_policy_are_denied() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("codeguard.toml"),
        "ignore = [\"CG-SEC002\"]\ninline-suppressions = false\n",
    )
    .unwrap();
    std::fs::write(root.join("pyproject.toml"), "[project]\nname = \"app\"\n").unwrap();
    std::fs::create_dir_all(root.join(".claude")).unwrap();
    let settings = json!({"hooks": {"PreToolUse": [{"matcher": "Write|Edit|MultiEdit", "hooks": [{"type": "command", "command": "codeguard hook claude --fail-closed"}]}]}});
    std::fs::write(root.join(".claude/settings.json"), settings.to_string()).unwrap();

    let attempts = [
        (
            "Write",
            json!({"file_path": root.join("codeguard.toml"), "content": "ignore = [\"CG-SEC002\", \"CG-CORE009\"]\n"}),
        ),
        (
            "Edit",
            json!({"file_path": root.join("codeguard.toml"), "old_string": "ignore = [\"CG-SEC002\"]", "new_string": "ignore = [\"core\"]"}),
        ),
        (
            "Write",
            json!({"file_path": root.join(".codeguard.toml"), "content": "select = [\"CG-SEC001\"]\n"}),
        ),
        (
            "Edit",
            json!({"file_path": root.join("pyproject.toml"), "old_string": "name = \"app\"\n", "new_string": "name = \"app\"\n\n[tool.codeguard]\nextend-rules = [\"my\"]\n"}),
        ),
        (
            "Write",
            json!({"file_path": root.join(".claude/settings.json"), "content": "{\"hooks\": {}}"}),
        ),
        (
            "Write",
            json!({"file_path": root.join(".claude/settings.local.json"), "content": "{\"disableAllHooks\": true}"}),
        ),
        (
            "Edit",
            json!({"file_path": root.join("codeguard.toml"), "old_string": "not in the file", "new_string": "ignore = []"}),
        ),
        ("Bash", json!({"command": "rm codeguard.toml"})),
        (
            "Bash",
            json!({"command": "echo '{}' > .claude/settings.json"}),
        ),
    ];
    // A configuration that would shadow the project's below it, and a write through a link.
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::os::unix::fs::symlink(root.join("codeguard.toml"), root.join("notes.py")).unwrap();
    let attempts = attempts.into_iter().chain([
        (
            "Write",
            json!({"file_path": root.join("sub/codeguard.toml"), "content": ""}),
        ),
        (
            "Write",
            json!({"file_path": root.join("notes.py"), "content": "ignore = [\"core\"]\n"}),
        ),
    ]);
    for (tool, input) in attempts {
        let (d, reason) = claude_decision(root, tool, input.clone(), &[]);
        assert_eq!(d, "deny", "{tool} {input}: {reason}");
        assert!(
            reason.contains("a person") || reason.contains("ask the user"),
            "{reason}"
        );
    }
    // Stricter changes and unrelated edits pass.
    for (tool, input) in [
        (
            "Write",
            json!({"file_path": root.join("codeguard.toml"), "content": "ignore = []\ninline-suppressions = false\n"}),
        ),
        (
            "Edit",
            json!({"file_path": root.join("pyproject.toml"), "old_string": "name = \"app\"", "new_string": "name = \"app2\""}),
        ),
        ("Bash", json!({"command": "cat codeguard.toml"})),
        (
            "Write",
            json!({"file_path": root.join("sub/pyproject.toml"), "content": "[project]\nname = \"sub\"\n"}),
        ),
        (
            "Write",
            json!({"file_path": root.join("sub/codeguard.toml"), "content": "ignore = [\"CG-SEC002\"]\ninline-suppressions = false\n"}),
        ),
    ] {
        let (d, reason) = claude_decision(root, tool, input.clone(), &[]);
        assert_eq!(d, "allow", "{tool} {input}: {reason}");
    }

    // Cursor: the same protection on its pre-write and shell events.
    let cursor = |payload: Value| -> Value {
        let out = hook_in(root, "cursor", &payload, &[], &[]);
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let answer = cursor(
        json!({"hook_event_name": "preToolUse", "conversation_id": "c", "workspace_roots": [root],
        "tool_name": "Write", "tool_input": {"file_path": root.join(".cursor/hooks.json"), "content": "{}"}}),
    );
    assert_eq!(
        answer["permission"], "allow",
        "no codeguard hooks there yet"
    );
    std::fs::create_dir_all(root.join(".cursor")).unwrap();
    std::fs::write(
        root.join(".cursor/hooks.json"),
        json!({"version": 1, "hooks": {"stop": [{"command": "codeguard hook cursor"}]}})
            .to_string(),
    )
    .unwrap();
    let answer = cursor(
        json!({"hook_event_name": "preToolUse", "conversation_id": "c", "workspace_roots": [root],
        "tool_name": "Write", "tool_input": {"file_path": root.join(".cursor/hooks.json"), "content": "{\"version\": 1}"}}),
    );
    assert_eq!(answer["permission"], "deny", "{answer}");
    let answer = cursor(
        json!({"hook_event_name": "beforeShellExecution", "conversation_id": "c", "workspace_roots": [root],
        "command": "sed -i 's/hook cursor/true/' .cursor/hooks.json", "cwd": root}),
    );
    assert_eq!(answer["permission"], "deny", "{answer}");
}

#[test]
fn a_configuration_that_fails_to_load_fails_closed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("codeguard.toml"), "ignroe = [\"ml\"]\n").unwrap();
    let (d, reason) = claude_decision(
        dir.path(),
        "Write",
        json!({"file_path": dir.path().join("a.py"), "content": "print('hello')\n"}),
        &[],
    );
    assert_eq!(d, "deny");
    assert!(
        reason.contains("configuration failed to load") && reason.contains("ignroe"),
        "{reason}"
    );
    // The policy is the edited file's, wherever the assistant's shell is.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = hook_in(
        elsewhere.path(),
        "claude",
        &pre_tool_use(
            elsewhere.path(),
            "Write",
            json!({"file_path": dir.path().join("b.py"), "content": "print('hello')\n"}),
        ),
        &[],
        &[],
    );
    assert_eq!(decision(&out).0, "deny");

    let mut server = Server::start_with(dir.path(), &[]);
    server.request(
        1,
        "initialize",
        json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}),
    );
    let result = server.call(
        2,
        "scan_code",
        json!({"code": "print('hi')\n", "language": "python"}),
    );
    assert_eq!(result["isError"], true);
    assert_eq!(result["structuredContent"]["is_insecure"], true, "{result}");
}

/// The hook loads its rules only when an edit needs them, and only the matchers the edited
/// code can satisfy: a broken rule file of the project must still block every edit, of code
/// or not, and a clean edit must not be let through because its code needs few matchers.
#[test]
fn a_rule_file_that_fails_to_load_fails_closed_for_every_edit() {
    let dir = project_with_rule_file("broken.yaml", "rules:\n  - id: X-1\n    severity: loud\n");
    let edits = [
        ("a.py", "print('hello')\n"),
        ("picture.svgz", "<svg/>"),
        ("model.pkl", "(lp0\n."),
    ];
    assert_each_write(dir.path(), &edits, "deny", |reason| {
        reason.contains("configuration failed to load") && reason.contains("broken.yaml")
    });
    // After a write, a model file is read from disk: a broken policy blocks it there too.
    std::fs::write(dir.path().join("model.pkl"), "(lp0\n.").unwrap();
    let out = hook_in(
        dir.path(),
        "claude",
        &json!({"session_id": "s", "cwd": dir.path(), "hook_event_name": "PostToolUse",
                "tool_name": "Write", "tool_input": {"file_path": dir.path().join("model.pkl")}}),
        &[],
        &[],
    );
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert_eq!(answer["decision"], "block", "{answer}");
    assert!(
        answer["reason"]
            .as_str()
            .is_some_and(|r| r.contains("broken.yaml")),
        "{answer}"
    );
    // Fixed, the same edits pass, and an insecure one is still judged with every rule it needs.
    std::fs::remove_file(dir.path().join("rules/broken.yaml")).unwrap();
    let (d, reason) = write_decision(dir.path(), "notes.md", "# Notes\n");
    assert_eq!(d, "allow", "{reason}");
    let (d, reason) = write_decision(dir.path(), "a.py", "import yaml\nyaml.load(open('c'))\n");
    assert_eq!(d, "deny", "{reason}");
    assert!(reason.contains("CG-CORE009"), "{reason}");
}

/// The hook reads only the rules an edit's code needs: a project's own data-flow rule on a
/// built-in source set must not break the load for code of another language, or for a file
/// of none (a load scoped to one language still knows every language of the built-in sets).
#[test]
fn a_user_rule_on_a_built_in_source_set_loads_for_every_edit() {
    let dir = project_with_rule_file(
        "llm-to-shell.yaml",
        r###"rules:
  - id: ACME-1
    name: llm-output-to-os-system
    message: "Model output reaches `os.system`"
    description: "## What it does\nx\n## Why is this bad?\nx\n## Example\nx\n## References\nx\n"
    severity: high
    matchers:
      - language: python
        query: "(module) @finding"
        taint:
          source-set: llm-output
          sinks:
            - where:
                - calls: [os.system]
              args: [0]
"###,
    );
    let edits = [
        ("main.rs", "fn main() {}\n"),
        ("picture.svgz", "<svg/>"),
        ("a.py", "print('hello')\n"),
    ];
    assert_each_write(dir.path(), &edits, "allow", |_| true);
    let flow = "import os\nfrom openai import OpenAI\nclient = OpenAI()\n\
                r = client.chat.completions.create(model='m', messages=[])\n\
                os.system(r.choices[0].message.content)\n";
    let (d, reason) = write_decision(dir.path(), "a.py", flow);
    assert_eq!(d, "deny", "{reason}");
    assert!(reason.contains("ACME-1"), "{reason}");
}

#[test]
fn failures_of_the_judging_process_deny_when_fail_closed() {
    let dir = tempfile::tempdir().unwrap();
    let payload = pre_tool_use(
        dir.path(),
        "Write",
        json!({"file_path": dir.path().join("a.py"), "content": "print('hello')\n"}),
    );
    for failure in ["panic", "abort", "stack", "hang"] {
        let env = [("CODEGUARD_TEST_HOOK_FAILURE", failure)];
        let closed = hook_in(
            dir.path(),
            "claude",
            &payload,
            &["--fail-closed", "--timeout", "2"],
            &env,
        );
        assert_eq!(
            closed.status.code(),
            Some(2),
            "{failure}: fail-closed blocks"
        );
        let message = String::from_utf8_lossy(&closed.stderr);
        assert!(message.contains("fail-closed"), "{failure}: {message}");
        let open = hook_in(dir.path(), "claude", &payload, &["--timeout", "2"], &env);
        assert_eq!(
            open.status.code(),
            Some(1),
            "{failure}: fail-open passes, loudly"
        );
        let message = String::from_utf8_lossy(&open.stderr);
        assert!(message.contains("NOT checked"), "{failure}: {message}");
    }
    // The same payload without an injected failure is allowed in silence.
    let fine = hook_in(dir.path(), "claude", &payload, &["--fail-closed"], &[]);
    assert_eq!(fine.status.code(), Some(0));
    assert!(fine.stdout.is_empty());
}

#[test]
fn edits_that_cannot_be_replayed_are_judged_on_what_is_known() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // The text to replace is not in the file: the new text alone is judged.
    let file = root.join("a.py");
    std::fs::write(&file, "import pickle\n").unwrap();
    let (d, reason) = claude_decision(
        root,
        "Edit",
        json!({"file_path": file, "old_string": "def missing():", "new_string": "obj = pickle.loads(data)"}),
        &[],
    );
    assert_eq!(d, "deny", "{reason}");
    assert!(reason.contains("new text alone"), "{reason}");
    // A CRLF file edited with LF text.
    let crlf = root.join("b.py");
    std::fs::write(
        &crlf,
        "import pickle\r\n\r\ndef f(data):\r\n    return 1\r\n",
    )
    .unwrap();
    let (d, reason) = claude_decision(
        root,
        "Edit",
        json!({"file_path": crlf, "old_string": "def f(data):\n    return 1", "new_string": "def f(data):\n    return pickle.loads(data)"}),
        &[],
    );
    assert_eq!(d, "deny", "{reason}");
    assert!(!reason.contains("new text alone"), "replayed: {reason}");
    // A file that is not UTF-8.
    let latin = root.join("c.py");
    std::fs::write(&latin, b"# caf\xe9\nimport pickle\nobj = None\n").unwrap();
    let (d, reason) = claude_decision(
        root,
        "Edit",
        json!({"file_path": latin, "old_string": "obj = None", "new_string": "obj = pickle.loads(data)"}),
        &[],
    );
    assert_eq!(d, "deny", "{reason}");
    // A notebook cell: judged after the notebook's earlier code cells, lines counted in the cell.
    let notebook = root.join("n.ipynb");
    let cells = json!({"cells": [
        {"cell_type": "code", "id": "c1", "source": ["%pip install torch\n", "import pickle\n"]},
        {"cell_type": "markdown", "id": "m1", "source": "# Load"},
        {"cell_type": "code", "id": "c2", "source": "x = 1\n"}
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5});
    std::fs::write(&notebook, cells.to_string()).unwrap();
    let (d, reason) = claude_decision(
        root,
        "NotebookEdit",
        json!({"notebook_path": notebook, "cell_id": "c2", "new_source": "y = 2\nobj = pickle.loads(data)\n"}),
        &[],
    );
    assert_eq!(d, "deny", "{reason}");
    assert!(reason.contains("line 2:"), "{reason}");
    let (d, _) = claude_decision(
        root,
        "NotebookEdit",
        json!({"notebook_path": notebook, "cell_id": "c2", "new_source": "y = 2\n"}),
        &[],
    );
    assert_eq!(d, "allow");
}

#[test]
fn the_verdict_is_true() {
    let dir = tempfile::tempdir().unwrap();
    // Model output reaching a shell is critical: it blocks although the rule's confidence is
    // medium.
    let shell = "import subprocess\nimport anthropic\nclient = anthropic.Anthropic()\n\
                 msg = client.messages.create(model='m', max_tokens=9, messages=[])\n\
                 subprocess.run(msg.content[0].text, shell=True)\n";
    let (d, reason) = claude_decision(
        dir.path(),
        "Write",
        json!({"file_path": dir.path().join("agent.py"), "content": shell}),
        &[],
    );
    assert_eq!(d, "deny", "{reason}");
    assert!(reason.contains("CG-LLM002"), "{reason}");

    // A finding that only warns still reaches the model.
    let out = hook_in(
        dir.path(),
        "claude",
        &pre_tool_use(
            dir.path(),
            "Write",
            json!({"file_path": dir.path().join("h.py"), "content": "import hashlib\ntoken_hash = hashlib.md5(x)\n"}),
        ),
        &[],
        &[],
    );
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        answer["hookSpecificOutput"]["permissionDecision"].is_null(),
        "{answer}"
    );
    let context = answer["hookSpecificOutput"]["additionalContext"]
        .as_str()
        .unwrap();
    assert!(context.contains("CG-CORE001"), "{context}");

    let mut server = Server::start_with(dir.path(), &[]);
    server.request(
        1,
        "initialize",
        json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}),
    );
    let result = server.call(2, "scan_code", json!({"code": shell, "language": "python"}));
    assert_eq!(result["structuredContent"]["is_insecure"], true);
    assert_eq!(
        result["structuredContent"]["recommended_treatment"],
        "block"
    );
    let result = server.call(
        3,
        "scan_code",
        json!({"code": "import hashlib\ntoken_hash = hashlib.md5(x)\n", "language": "python"}),
    );
    assert_eq!(result["structuredContent"]["recommended_treatment"], "warn");
    assert_eq!(result["structuredContent"]["is_insecure"], true);
    // Suppressions in scanned code are refused by the MCP server too.
    let result = server.call(
        4,
        "scan_code",
        json!({"code": "import pickle\nobj = pickle.loads(d)  # codeguard-ignore: CG-CORE009 -- ok\n", "language": "python"}),
    );
    assert_eq!(result["structuredContent"]["is_insecure"], true, "{result}");
}

#[test]
fn code_that_outlasts_the_time_budget_is_never_judged_clean() {
    // Benign code, but enough of it that a 1 ms budget runs out (a hostile payload does the
    // same in seconds at the default budget). Cut short, the findings until then are not a
    // judgement of the edit: the hook denies, MCP says insecure, `check` exits 2.
    let code: String = (0..3000)
        .map(|i| format!("def f{i}(x):\n    return hashlib.sha256(x).hexdigest() + \"{i}\"\n"))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let payload = pre_tool_use(
        dir.path(),
        "Write",
        json!({"file_path": dir.path().join("a.py"), "content": code}),
    );
    let closed = hook_in(
        dir.path(),
        "claude",
        &payload,
        &["--fail-closed", "--file-timeout", "0.001"],
        &[],
    );
    assert_eq!(closed.status.code(), Some(2), "fail-closed blocks");
    let message = String::from_utf8_lossy(&closed.stderr);
    assert!(message.contains("ran out of time"), "{message}");
    let open = hook_in(
        dir.path(),
        "claude",
        &payload,
        &["--file-timeout", "0.001"],
        &[],
    );
    assert_eq!(open.status.code(), Some(1), "fail-open passes, loudly");
    // With the default budget the same code is allowed in silence.
    let fine = hook_in(dir.path(), "claude", &payload, &["--fail-closed"], &[]);
    assert_eq!(fine.status.code(), Some(0));
    assert!(fine.stdout.is_empty());

    let mut server = Server::start_with(dir.path(), &["--file-timeout", "0.001"]);
    server.request(1, "initialize", json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}));
    let result = server.call(2, "scan_code", json!({"code": code, "language": "python"}));
    assert_eq!(result["structuredContent"]["is_insecure"], true, "{result}");
    std::fs::write(dir.path().join("a.py"), &code).unwrap();
    let result = server.call(3, "scan_files", json!({"paths": ["a.py"]}));
    assert_eq!(result["structuredContent"]["is_insecure"], true, "{result}");

    let out = run_with_stdin(
        dir.path(),
        &[
            "check",
            "--no-cache",
            "--file-timeout",
            "0.001",
            "--stdin",
            "--stdin-filename",
            "a.py",
        ],
        code.as_bytes(),
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("analysis stopped after 0.001 s"), "{text}");
}

#[test]
fn mcp_batches_follow_the_negotiated_version_and_long_lines_are_not_buffered() {
    let dir = tempfile::tempdir().unwrap();
    let batch = json!([
        {"jsonrpc": "2.0", "id": 10, "method": "ping"},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 11, "method": "tools/call", "params": {"name": "scan_code", "arguments": {"code": PICKLE, "language": "python"}}}
    ])
    .to_string();
    let mut old = Server::start(dir.path());
    old.request(1, "initialize", json!({"protocolVersion": "2025-03-26", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}));
    old.send_raw(&batch);
    let answers = old.receive();
    let answers = answers.as_array().expect("a batch answer");
    assert_eq!(answers.len(), 2, "{answers:?}");
    assert_eq!(
        answers[1]["result"]["structuredContent"]["is_insecure"],
        true
    );

    let mut new = Server::start(dir.path());
    new.request(1, "initialize", json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}));
    new.send_raw(&batch);
    let refused = new.receive();
    assert_eq!(refused["error"]["code"], -32600, "{refused}");
    // A line longer than the message limit is answered and skipped; the server goes on.
    new.send_raw(&"x".repeat(9 * 1024 * 1024));
    assert_eq!(new.receive()["error"]["code"], -32600);
    assert_eq!(new.request(2, "ping", json!({}))["result"], json!({}));
}

#[test]
fn unverified_model_loads_reach_the_model_only_where_signing_is_adopted() {
    let dir = tempfile::tempdir().unwrap();
    let load = json!({"file_path": dir.path().join("m.py"),
        "content": "import torch\n\n\ndef load(p):\n    return torch.load(p, weights_only=True)\n"});
    let (d, context) = claude_decision(dir.path(), "Write", load.clone(), &[]);
    assert_eq!((d.as_str(), context.as_str()), ("allow", ""));
    std::fs::write(
        dir.path().join("codeguard.toml"),
        "[model-signing]\nrequire = \"all\"\n",
    )
    .unwrap();
    let (d, context) = claude_decision(dir.path(), "Write", load, &[]);
    assert_eq!(d, "allow", "a warning, not a block");
    assert!(context.contains("CG-ML006"), "{context}");
}
