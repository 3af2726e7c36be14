//! The language server through the real binary over stdio, with LSP framing written here:
//! push and pull diagnostics, stale versions, close, quick fixes, hover, bad input.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
}

impl Client {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_codeguard"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            loop {
                let mut length = None;
                loop {
                    let mut header = String::new();
                    if stdout.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(n) = header.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.unwrap()];
                stdout.read_exact(&mut body).unwrap();
                let parsed = serde_json::from_slice(&body).unwrap_or_else(|e| {
                    panic!(
                        "server sent non-JSON ({e}): {}",
                        String::from_utf8_lossy(&body)
                    )
                });
                if tx.send(parsed).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Next message matching `want`, answering server requests on the way.
    fn wait_for(&mut self, what: &str, want: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.messages.recv_timeout(left) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => panic!("timed out waiting for {what}"),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("server exited while waiting for {what}")
                }
            };
            if want(&message) {
                return message;
            }
            if message.get("method").is_some() && message.get("id").is_some() {
                let id = message["id"].clone();
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(method, |m| m["id"] == id && m.get("method").is_none())
    }

    fn diagnostics_for(&mut self, uri: &str, version: Option<i64>) -> Value {
        self.wait_for("publishDiagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == v)
        })["params"]
            .clone()
    }

    fn initialize(&mut self, capabilities: Value, options: Value) -> Value {
        let result = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities, "initializationOptions": options}),
        );
        self.notify("initialized", json!({}));
        result
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const URI: &str = "file:///tmp/codeguard-lsp-test/app.py";
const INSECURE: &str =
    "import torch\nimport yaml\nstate = torch.load(p, weights_only=False)\ncfg = yaml.load(fh)\n";

fn open(client: &mut Client, uri: &str, version: i64, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "python", "version": version, "text": text}}),
    );
}

#[test]
fn push_diagnostics_follow_edits_and_close() {
    let mut client = Client::start();
    // CG-ML006 (no signature verification) would flag the same torch.load; keep this test
    // about one finding per line.
    let init = client.initialize(json!({}), json!({"codeguard": {"ignore": ["CG-ML006"]}}));
    assert_eq!(init["result"]["serverInfo"]["name"], "codeguard");
    assert!(
        init["result"]["capabilities"]
            .get("diagnosticProvider")
            .is_none(),
        "no pull for a push-only client"
    );

    open(&mut client, URI, 1, INSECURE);
    let published = client.diagnostics_for(URI, Some(1));
    let diags = published["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 2, "{published}");
    let torch = &diags[0];
    assert_eq!(torch["code"], "CG-ML001");
    assert_eq!(torch["source"], "codeguard");
    assert_eq!(torch["severity"], 1);
    assert_eq!(torch["range"]["start"], json!({"line": 2, "character": 8}));
    assert!(
        torch["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/ml/torch-load-unpickles.md")
    );
    assert_eq!(diags[1]["code"], "CG-CORE009");

    // A fixed document clears, a stale version is ignored.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": "import json\n"}]}),
    );
    assert_eq!(
        client.diagnostics_for(URI, Some(3))["diagnostics"],
        json!([])
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": INSECURE}]}),
    );
    let hover = hover_on_the_torch_load(&mut client, URI);
    assert_eq!(
        hover["result"],
        Value::Null,
        "the stale version 2 must not have replaced version 3"
    );

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    let closed = client.diagnostics_for(URI, None);
    assert_eq!(closed["diagnostics"], json!([]));
}

/// Messages up to and including the first that matches `want`, answering server requests.
fn messages_until(client: &mut Client, what: &str, want: impl Fn(&Value) -> bool) -> Vec<Value> {
    let seen = std::cell::RefCell::new(Vec::new());
    client.wait_for(what, |m| {
        seen.borrow_mut().push(m.clone());
        want(m)
    });
    seen.into_inner()
}

/// Hover on the `torch.load` of `INSECURE`.
fn hover_on_the_torch_load(client: &mut Client, uri: &str) -> Value {
    client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 10}}),
    )
}

fn is_diagnostics_for(message: &Value, uri: &str) -> bool {
    message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri
}

#[test]
fn untitled_buffers_get_their_language_from_the_language_id() {
    let mut client = Client::start();
    client.initialize(json!({}), json!({"codeguard": {"ignore": ["CG-ML006"]}}));
    let untitled = "untitled:Untitled-1";
    open(&mut client, untitled, 1, INSECURE);
    let published = client.diagnostics_for(untitled, Some(1));
    let codes: Vec<&str> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["CG-ML001", "CG-CORE009"], "{published}");

    // The language id wins over the name: a Python script without an extension.
    let script = "file:///tmp/codeguard-lsp-test/bin/tool";
    open(&mut client, script, 1, INSECURE);
    let published = client.diagnostics_for(script, Some(1));
    assert_eq!(published["diagnostics"].as_array().unwrap().len(), 2);
}

#[test]
fn a_closed_document_never_comes_back_through_a_late_change() {
    let mut client = Client::start();
    client.initialize(json!({}), json!({"codeguard": {"ignore": ["CG-ML006"]}}));
    open(&mut client, URI, 1, "import json\n");
    client.diagnostics_for(URI, Some(1));
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(client.diagnostics_for(URI, None)["diagnostics"], json!([]));
    // A change and a save that were in flight when the document closed.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": INSECURE}]}),
    );
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": URI}, "text": INSECURE}),
    );
    let hover = hover_on_the_torch_load(&mut client, URI);
    assert_eq!(
        hover["result"],
        Value::Null,
        "the closed document came back"
    );
    // Another document's diagnostics come after anything the late change could have caused.
    let other = "file:///tmp/codeguard-lsp-test/other.py";
    open(&mut client, other, 1, INSECURE);
    let seen = messages_until(&mut client, "the other document's diagnostics", |m| {
        is_diagnostics_for(m, other)
    });
    assert!(
        !seen.iter().any(|m| is_diagnostics_for(m, URI)),
        "diagnostics published for a closed document: {seen:?}"
    );
}

#[test]
fn a_slow_document_holds_up_neither_requests_nor_newer_edits() {
    let mut client = Client::start();
    client.initialize(json!({}), json!({"codeguard": {"ignore": ["CG-ML006"]}}));
    open(&mut client, URI, 1, INSECURE);
    client.diagnostics_for(URI, Some(1));

    // About 2 MB of code with findings everywhere: its scan takes a second or more (it stops
    // at the file's time budget, 1.5 s).
    let slow = "file:///tmp/codeguard-lsp-test/slow.py";
    let unit =
        "def f{i}(p, fh):\n    s = torch.load(p, weights_only=False)\n    return yaml.load(fh)\n\n";
    let body: String = (0..25_000)
        .map(|i| unit.replace("{i}", &i.to_string()))
        .collect();
    open(
        &mut client,
        slow,
        1,
        &format!("import torch\nimport yaml\n{body}"),
    );
    let hover_id = client.next_id;
    client.next_id += 1;
    client.send(
        &json!({"jsonrpc": "2.0", "id": hover_id, "method": "textDocument/hover",
        "params": {"textDocument": {"uri": URI}, "position": {"line": 2, "character": 10}}}),
    );
    let seen = messages_until(&mut client, "the hover answer", |m| m["id"] == hover_id);
    assert!(
        seen.last().unwrap()["result"]["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("CG-ML001")),
        "{seen:?}"
    );
    assert!(
        !seen.iter().any(|m| is_diagnostics_for(m, slow)),
        "the hover waited for the slow document's scan"
    );

    // A newer edit replaces the slow text: only its diagnostics are ever published.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": slow, "version": 2}, "contentChanges": [{"text": "import json\n"}]}),
    );
    let first = client.diagnostics_for(slow, None);
    assert_eq!(
        first["version"], 2,
        "a superseded version was published: {first}"
    );
    assert_eq!(first["diagnostics"], json!([]));
}

#[test]
fn flow_findings_carry_their_path_as_related_information() {
    let mut client = Client::start();
    client.initialize(json!({}), json!({"codeguard": {"select": ["CG-LLM002"]}}));
    let uri = "file:///tmp/codeguard-lsp-test/agent.py";
    let text = "import subprocess\nfrom openai import OpenAI\n\nclient = OpenAI()\n\n\ndef run(task):\n    \
                resp = client.chat.completions.create(model=\"m\", messages=[task])\n    \
                cmd = resp.choices[0].message.content\n    subprocess.run(cmd, shell=True)\n";
    open(&mut client, uri, 1, text);
    let published = client.diagnostics_for(uri, Some(1));
    let diag = &published["diagnostics"][0];
    assert_eq!(diag["code"], "CG-LLM002", "{published}");
    let related = diag["relatedInformation"].as_array().expect("a flow path");
    let lines: Vec<&Value> = related
        .iter()
        .map(|r| &r["location"]["range"]["start"]["line"])
        .collect();
    // The source and its assignment to `resp` on line 8 (0-based 7), `cmd` on 9, the sink on 10.
    assert_eq!(
        lines,
        [&json!(7), &json!(7), &json!(8), &json!(9)],
        "{related:?}"
    );
    assert!(
        related[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("source:")
    );
    assert_eq!(related[0]["location"]["uri"], uri);
}

#[test]
fn code_actions_and_hover() {
    let mut client = Client::start();
    client.initialize(json!({}), json!({"codeguard": {"ignore": ["CG-ML006"]}}));
    open(&mut client, URI, 1, INSECURE);
    let diags = client.diagnostics_for(URI, Some(1))["diagnostics"].clone();

    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": diags[1]["range"], "context": {"diagnostics": [diags[1].clone()]}}),
    )["result"]
        .clone();
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Use `yaml.safe_load` (CG-CORE009)"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Disable CG-CORE009 for this line"),
        "{titles:?}"
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Use `yaml.safe_load` (CG-CORE009)")
        .unwrap();
    assert_eq!(fix["isPreferred"], true);
    let edit = &fix["edit"]["changes"][URI][0];
    assert_eq!(edit["newText"], "safe_load");
    assert_eq!(edit["range"]["start"], json!({"line": 3, "character": 11}));
    let disable = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Disable CG-CORE009 for this line")
        .unwrap();
    assert_eq!(
        disable["edit"]["changes"][URI][0]["newText"],
        "# codeguard-ignore: CG-CORE009 -- reason\n"
    );

    let torch_actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": diags[0]["range"], "context": {"diagnostics": [diags[0].clone()]}}),
    )["result"]
        .clone();
    assert!(
        torch_actions
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["title"] == "Pass `weights_only=True` (may change behaviour) (CG-ML001)")
    );

    let fix_all = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll.codeguard"]}}),
    )["result"]
        .clone();
    assert_eq!(fix_all.as_array().unwrap().len(), 1);
    assert_eq!(fix_all[0]["kind"], "source.fixAll.codeguard");
    assert_eq!(
        fix_all[0]["edit"]["changes"][URI].as_array().unwrap().len(),
        1,
        "only safe fixes"
    );

    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 2, "character": 12}}),
    );
    let text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        text.starts_with("**CG-ML001 torch-load-unpickles**")
            && text.contains("## Why is this bad?")
    );
}

#[test]
fn pull_diagnostics_settings_and_bad_input() {
    let mut client = Client::start();
    let init = client.initialize(
        json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}}),
        json!({"codeguard": {"ignore": ["CG-CORE009", "CG-ML006"]}}),
    );
    assert_eq!(
        init["result"]["capabilities"]["diagnosticProvider"]["identifier"],
        "codeguard"
    );
    open(&mut client, URI, 1, INSECURE);
    let report = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(report["result"]["kind"], "full");
    let codes: Vec<&str> = report["result"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["CG-ML001"],
        "initializationOptions ignore CG-CORE009"
    );

    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"codeguard": {"select": ["core"]}}}),
    );
    let report = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": URI}}),
    );
    let codes: Vec<&str> = report["result"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["CG-CORE009"]);

    // Unsupported languages get empty answers; unknown methods an error; the server lives on.
    let md = "file:///tmp/codeguard-lsp-test/README.md";
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": md, "languageId": "markdown", "version": 1, "text": "eval(x)"}}));
    let report = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": md}}),
    );
    assert_eq!(report["result"]["items"], json!([]));
    let unknown = client.request("codeguard/nope", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad = client.request("textDocument/hover", json!({"nonsense": true}));
    assert!(bad.get("error").is_some());
    let body = "{not json";
    write!(client.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    client.stdin.flush().unwrap();
    let parse_error = client.wait_for("a parse error", |m| {
        m["id"].is_null() && m.get("error").is_some()
    });
    assert_eq!(parse_error["error"]["code"], -32700);
    let again = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(again["result"]["kind"], "full");
    let shutdown = client.request("shutdown", json!(null));
    assert_eq!(shutdown["result"], Value::Null);
}

/// Runs `tests/lsp/nvim_e2e.lua` in headless Neovim on `name` holding `source`; `None` when
/// Neovim is not installed (and not required).
fn run_neovim(name: &str, source: &str, fix: bool) -> Option<Value> {
    let has_nvim = Command::new("nvim")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_nvim {
        assert!(
            std::env::var_os("CODEGUARD_REQUIRE_E2E").is_none(),
            "nvim is required (.ci/run installs it)"
        );
        eprintln!("skipped: nvim is not installed");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, source).unwrap();
    let out = dir.path().join("result.json");
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/lsp/nvim_e2e.lua");
    let mut command = Command::new("nvim");
    command
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("CODEGUARD_BIN", env!("CARGO_BIN_EXE_codeguard"))
        .env("CODEGUARD_FILE", &file)
        .env("CODEGUARD_OUT", &out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if !fix {
        command.env("CODEGUARD_NO_FIX", "1");
    }
    assert!(command.status().unwrap().success());
    let result: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(result.get("error").is_none(), "{result}");
    Some(result)
}

/// Neovim (a real third-party LSP client) opens a file, reads the pushed diagnostics, asks for
/// code actions and applies the safe fix.
#[test]
fn neovim_headless_client() {
    let Some(result) = run_neovim(
        "app.py",
        "import yaml\nimport requests\ncfg = yaml.load(fh)\nr = requests.get(url, verify=False)\n",
        true,
    ) else {
        return;
    };
    let diags = result["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 2, "{result}");
    assert_eq!(diags[0]["code"], "CG-CORE009");
    assert_eq!(diags[0]["line"], 2);
    assert_eq!(diags[0]["col"], 6);
    assert_eq!(diags[0]["source"], "codeguard");
    assert_eq!(diags[1]["code"], "CG-CORE005");
    let actions: Vec<&str> = result["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"Use `yaml.safe_load` (CG-CORE009)"),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"Disable CG-CORE009 for this line"),
        "{actions:?}"
    );
    assert_eq!(result["applied"], true);
    assert_eq!(result["cleared"], true, "{result}");
    assert_eq!(result["after_fix"], 1);
}

/// The same client on a TypeScript file: diagnostics and the suppression action.
#[test]
fn neovim_headless_client_on_typescript() {
    let source = "import { exec } from \"node:child_process\";\nimport https from \"https\";\n\
                  export function run(dir: string): void {\n  exec(`ls ${dir}`);\n}\n\
                  export const agent = new https.Agent({ rejectUnauthorized: false });\n";
    let Some(result) = run_neovim("server.ts", source, false) else {
        return;
    };
    let diags = result["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 2, "{result}");
    assert_eq!(diags[0]["code"], "CG-CORE007");
    assert_eq!(diags[0]["line"], 3);
    assert_eq!(diags[1]["code"], "CG-CORE005");
    assert_eq!(diags[1]["line"], 5);
    let actions = result["actions"].as_array().unwrap();
    assert!(
        actions
            .iter()
            .any(|a| a == "Disable CG-CORE007 for this line"),
        "{actions:?}"
    );
}

/// A server initialized with `dir` as its workspace root (whose configuration it reads), and
/// that root as a URI.
fn start_in(dir: &std::path::Path) -> (Client, String) {
    let mut client = Client::start();
    let root = format!("file://{}", dir.display());
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": root, "capabilities": {}, "initializationOptions": {}}),
    );
    client.notify("initialized", json!({}));
    (client, root)
}

#[test]
fn project_configuration_refusing_suppressions_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("codeguard.toml"),
        "inline-suppressions = false\n",
    )
    .unwrap();
    let (mut client, root) = start_in(dir.path());
    let uri = format!("{root}/app.py");
    open(
        &mut client,
        &uri,
        1,
        "import pickle\nobj = pickle.loads(d)  # codeguard-ignore: CG-CORE009 -- ok\n",
    );
    let published = client.diagnostics_for(&uri, Some(1));
    let codes: Vec<&str> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"CG-CORE009"), "{published}");
}

/// Unverified model loads follow the project's adoption of model signing in the editor as in
/// the guardrail: a project without it is not shown every model load (`check` summarises
/// them in one note); a project whose configuration names a verifier is.
#[test]
fn unverified_model_loads_show_once_the_project_adopts_model_signing() {
    let load = "import torch\nstate = torch.load(path, weights_only=True)\n";
    let codes_in = |config: Option<&str>| -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        if let Some(config) = config {
            std::fs::write(dir.path().join("codeguard.toml"), config).unwrap();
        }
        let (mut client, root) = start_in(dir.path());
        let uri = format!("{root}/train.py");
        open(&mut client, &uri, 1, load);
        let published = client.diagnostics_for(&uri, Some(1));
        published["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|d| d["code"].as_str().map(str::to_string))
            .collect()
    };
    let codes = codes_in(None);
    assert!(!codes.iter().any(|c| c == "CG-ML006"), "{codes:?}");
    let codes = codes_in(Some(
        "[model-signing]\nverifiers = [\"acme.verify_model\"]\n",
    ));
    assert!(codes.iter().any(|c| c == "CG-ML006"), "{codes:?}");
}

/// Bad framing from a hostile or broken client: after each bad frame a normal request still
/// gets its answer, and nothing makes the server buffer what a frame announces.
#[test]
fn bad_frames_do_not_stop_the_server() {
    let mut client = Client::start();
    client.initialize(json!({}), json!({}));
    let alive = |client: &mut Client, after: &str| {
        let hover = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        );
        assert!(hover.get("result").is_some(), "after {after}: {hover}");
    };
    let raw = |client: &mut Client, bytes: &[u8]| {
        client.stdin.write_all(bytes).unwrap();
        client.stdin.flush().unwrap();
    };
    alive(&mut client, "start");

    // JSON, but not a JSON-RPC message: answered with a parse error.
    for body in [
        r#"[1, 2, 3]"#,
        r#"{"hello": "world"}"#,
        r#"{"jsonrpc": "2.0", "method": 7}"#,
        "42",
    ] {
        raw(
            &mut client,
            format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes(),
        );
        let answer = client.wait_for("a parse error", |m| {
            m["id"].is_null() && m.get("error").is_some()
        });
        assert_eq!(answer["error"]["code"], -32700, "{body}");
        alive(&mut client, body);
    }
    // Invalid UTF-8 in the body.
    raw(&mut client, b"Content-Length: 4\r\n\r\n\"\xff\xfe\"");
    client.wait_for("a parse error", |m| {
        m["id"].is_null() && m.get("error").is_some()
    });
    alive(&mut client, "invalid UTF-8");
    // A bad header, no Content-Length, an unreadable length: dropped.
    raw(
        &mut client,
        b"Content-Type: text/plain; charset=latin1\r\nX-Nonsense\r\n\r\n",
    );
    alive(&mut client, "a header block without Content-Length");
    raw(&mut client, b"Content-Length: twelve\r\n\r\n");
    alive(&mut client, "an unreadable Content-Length");
    let body = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
    raw(&mut client, format!("\r\n\r\n{body}").as_bytes());
    alive(&mut client, "a body without headers");
    // 10 GB announced (and never sent), then a 1 MB header line, then a 70 MB body sent in
    // full: dropped without being held.
    raw(&mut client, b"Content-Length: 10000000000\r\n\r\n");
    alive(&mut client, "10 GB announced");
    let mut long_header = vec![b'X'; 1 << 20];
    long_header.extend_from_slice(b"\r\n\r\n");
    raw(&mut client, &long_header);
    alive(&mut client, "a 1 MB header line");
    let huge = 70 * 1024 * 1024;
    raw(
        &mut client,
        format!("Content-Length: {huge}\r\n\r\n").as_bytes(),
    );
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..70 {
        raw(&mut client, &chunk);
    }
    alive(&mut client, "a 70 MB body");

    // A document over the size limit is not scanned; it gets one informational diagnostic.
    let big = "eval(x)\n".repeat(600_000);
    open(&mut client, URI, 1, &big);
    let published = client.diagnostics_for(URI, Some(1));
    let diags = published["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{published}");
    assert_eq!(diags[0]["severity"], 3);
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("not scanned")
    );
    alive(&mut client, "a 4.8 MB document");
}

const NOTEBOOK: &str = "file:///tmp/codeguard-lsp-test/analysis.ipynb";

fn cell(n: u32) -> String {
    format!("vscode-notebook-cell:/tmp/codeguard-lsp-test/analysis.ipynb#C{n}")
}

/// A notebook as VS Code opens it: a code cell importing pickle (after a magic), a markdown
/// cell, and a code cell unpickling with the name the first cell imported.
fn open_notebook(client: &mut Client) {
    client.notify(
        "notebookDocument/didOpen",
        json!({
            "notebookDocument": {
                "uri": NOTEBOOK, "notebookType": "jupyter-notebook", "version": 1,
                "cells": [
                    {"kind": 2, "document": cell(1)},
                    {"kind": 1, "document": cell(2)},
                    {"kind": 2, "document": cell(3)},
                ],
            },
            "cellTextDocuments": [
                {"uri": cell(1), "languageId": "python", "version": 1, "text": "%pip install dill\nfrom pickle import loads as unpickle\n"},
                {"uri": cell(2), "languageId": "markdown", "version": 1, "text": "Never `unpickle(data)` in prose."},
                {"uri": cell(3), "languageId": "python", "version": 1, "text": "obj = unpickle(data)"},
            ],
        }),
    );
}

fn codes(diagnostics: &Value) -> Vec<&str> {
    diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

#[test]
fn notebook_cells_get_their_own_diagnostics() {
    let mut client = Client::start();
    let init = client.initialize(json!({}), json!({}));
    assert_eq!(
        init["result"]["capabilities"]["notebookDocumentSync"]["notebookSelector"][0],
        json!({"notebook": "jupyter-notebook", "cells": [{"language": "python"}]})
    );
    open_notebook(&mut client);
    // Cells are published in order; the import alone is no finding, the magic is no error.
    assert_eq!(
        client.diagnostics_for(&cell(1), None)["diagnostics"],
        json!([])
    );
    assert_eq!(
        client.diagnostics_for(&cell(2), None)["diagnostics"],
        json!([])
    );
    // `unpickle` is `pickle.loads` only through cell 1's import: the cells are one program.
    let published = client.diagnostics_for(&cell(3), Some(1));
    let diags = &published["diagnostics"];
    assert_eq!(codes(diags), ["CG-CORE009"], "{published}");
    assert_eq!(
        diags[0]["range"],
        json!({"start": {"line": 0, "character": 6}, "end": {"line": 0, "character": 20}})
    );

    // Hover and "disable for this line" work on the cell's own text.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": cell(3)}, "position": {"line": 0, "character": 8}}),
    );
    let docs = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(docs.contains("CG-CORE009"), "{hover}");
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": cell(3)}, "range": diags[0]["range"], "context": {"diagnostics": [diags[0].clone()]}}),
    )["result"]
        .clone();
    let disable = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Disable CG-CORE009 for this line")
        .unwrap_or_else(|| panic!("{actions}"));
    let edit = &disable["edit"]["changes"][cell(3)][0];
    assert_eq!(
        edit["range"]["start"],
        json!({"line": 0, "character": 0}),
        "{disable}"
    );

    // An incremental edit of cell 3 that no longer unpickles clears it.
    client.notify(
        "notebookDocument/didChange",
        json!({
            "notebookDocument": {"uri": NOTEBOOK, "version": 2},
            "change": {"cells": {"textContent": [{
                "document": {"uri": cell(3), "version": 2},
                "changes": [{"range": {"start": {"line": 0, "character": 6}, "end": {"line": 0, "character": 14}}, "text": "json.loads"}],
            }]}},
        }),
    );
    assert_eq!(
        client.diagnostics_for(&cell(3), Some(2))["diagnostics"],
        json!([])
    );

    // A cell inserted after the others is scanned with them, at its own line 0.
    client.notify(
        "notebookDocument/didChange",
        json!({
            "notebookDocument": {"uri": NOTEBOOK, "version": 3},
            "change": {"cells": {"structure": {
                "array": {"start": 3, "deleteCount": 0, "cells": [{"kind": 2, "document": cell(4)}]},
                "didOpen": [{"uri": cell(4), "languageId": "python", "version": 1, "text": "again = unpickle(blob)\n"}],
            }}},
        }),
    );
    let published = client.diagnostics_for(&cell(4), None);
    assert_eq!(
        codes(&published["diagnostics"]),
        ["CG-CORE009"],
        "{published}"
    );
    assert_eq!(published["diagnostics"][0]["range"]["start"]["line"], 0);

    // Closing the notebook clears every cell.
    client.notify(
        "notebookDocument/didClose",
        json!({"notebookDocument": {"uri": NOTEBOOK}, "cellTextDocuments": [{"uri": cell(1)}, {"uri": cell(2)}, {"uri": cell(3)}, {"uri": cell(4)}]}),
    );
    assert_eq!(
        client.diagnostics_for(&cell(4), None)["diagnostics"],
        json!([])
    );
}

/// VS Code pulls diagnostics for files but not for notebook cells: cells get theirs pushed,
/// and a pull for a cell answers nothing (a client pulling for cells would show them twice).
#[test]
fn notebook_cells_are_pushed_to_pulling_clients() {
    let mut client = Client::start();
    client.initialize(
        json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}}),
        json!({}),
    );
    open_notebook(&mut client);
    let published = client.diagnostics_for(&cell(3), Some(1));
    assert_eq!(
        codes(&published["diagnostics"]),
        ["CG-CORE009"],
        "{published}"
    );
    let report = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": cell(3)}}),
    );
    assert_eq!(report["result"]["items"], json!([]), "{report}");
}

/// Notebook messages that do not fit what the server holds are logged and ignored.
#[test]
fn malformed_notebook_messages_do_not_stop_the_server() {
    let mut client = Client::start();
    client.initialize(json!({}), json!({}));
    let text_change = |uri: String, line: u32| {
        json!({"textContent": [{
            "document": {"uri": uri, "version": 5},
            "changes": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 1}}, "text": "x"}],
        }]})
    };
    client.notify(
        "notebookDocument/didChange",
        json!({"notebookDocument": {"uri": "file:///tmp/codeguard-lsp-test/unknown.ipynb", "version": 2}, "change": {"cells": text_change(cell(1), 0)}}),
    );
    client.notify("notebookDocument/didChange", json!({"notebookDocument": 5}));
    client.notify(
        "notebookDocument/didClose",
        json!({"notebookDocument": {"uri": "file:///tmp/codeguard-lsp-test/unknown.ipynb"}, "cellTextDocuments": []}),
    );
    open_notebook(&mut client);
    client.diagnostics_for(&cell(3), Some(1));
    for change in [
        // Deleting cells past the end, a change in a cell the notebook lacks, a change on a
        // line cell 3 does not have.
        json!({"cells": {"structure": {"array": {"start": 2, "deleteCount": 9}}}}),
        json!({"cells": {"structure": {"array": {"start": 4_000_000_000u32, "deleteCount": 4_000_000_000u32}}}}),
        json!({"cells": text_change(cell(9), 0)}),
        json!({"cells": text_change(cell(3), 99)}),
    ] {
        client.notify(
            "notebookDocument/didChange",
            json!({"notebookDocument": {"uri": NOTEBOOK, "version": 2}, "change": change}),
        );
        // Nothing changed in the cells: cell 3 keeps its finding.
        let published = client.diagnostics_for(&cell(3), None);
        assert_eq!(
            codes(&published["diagnostics"]),
            ["CG-CORE009"],
            "{published}"
        );
    }
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": cell(3)}, "position": {"line": 0, "character": 8}}),
    );
    assert!(hover.get("result").is_some(), "{hover}");
    let shutdown = client.request("shutdown", json!(null));
    assert_eq!(shutdown["result"], Value::Null);
}
