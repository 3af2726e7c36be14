//! End-to-end: the real binary on a project that carries model files (the fixtures of
//! `crates/codeguard_artifacts/tests/fixtures`): findings with member, offset and global in
//! every format, the size cap lifted for model files, the rules selectable like any other.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Output};

fn codeguard(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codeguard"))
        .args(args)
        .current_dir(dir)
        .env(
            "CODEGUARD_CACHE_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("model-files-cache"),
        )
        .output()
        .unwrap()
}

/// A project with a poisoned checkpoint, a clean one, a compressed joblib file, a NumPy archive
/// with an object member, safetensors weights and a script that loads them.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = workspace().join("crates/codeguard_artifacts/tests/fixtures");
    for (from, to) in [
        ("poisoned.pt", "models/classifier.pt"),
        ("state_dict.pt", "models/encoder.pt"),
        ("compressed.joblib", "models/clf.joblib"),
        ("object_member.npz", "data/features.npz"),
        ("model.safetensors", "models/encoder.safetensors"),
        ("unknown_global.pkl", "models/whole_model.pkl"),
    ] {
        let target = dir.path().join(to);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(fixtures.join(from), target).unwrap();
    }
    std::fs::write(
        dir.path().join("serve.py"),
        "import torch\nmodel = torch.load('models/encoder.pt', weights_only=True)\n",
    )
    .unwrap();
    dir
}

fn json(dir: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut all = vec!["check", "--isolated", "--no-cache", "--format", "json"];
    all.extend_from_slice(args);
    let out = codeguard(dir, &all);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)));
    (out.status.code(), report)
}

#[test]
fn model_files_in_the_walk_are_reported_with_member_offset_and_global() {
    let dir = project();
    let (code, report) = json(dir.path(), &[]);
    assert_eq!(code, Some(1));
    let findings = report["findings"].as_array().unwrap();
    let of = |path: &str| -> Vec<&serde_json::Value> {
        findings.iter().filter(|f| f["path"] == path).collect()
    };
    let poisoned = of("models/classifier.pt");
    assert_eq!(poisoned.len(), 1, "{findings:#?}");
    assert_eq!(poisoned[0]["rule_id"], "CG-ML010");
    assert_eq!(poisoned[0]["severity"], "high");
    assert_eq!(poisoned[0]["artifact"]["member"], "archive/data.pkl");
    assert_eq!(poisoned[0]["artifact"]["global"], "posix.system");
    assert!(poisoned[0]["artifact"]["offset"].as_u64().unwrap() > 0);
    assert_eq!(of("models/clf.joblib")[0]["rule_id"], "CG-ML010");
    assert_eq!(
        of("data/features.npz")[0]["artifact"]["member"],
        "labels.npy"
    );
    let whole = of("models/whole_model.pkl");
    assert_eq!(whole.len(), 1);
    assert_eq!(whole[0]["rule_id"], "CG-ML011");
    assert_eq!(whole[0]["artifact"]["global"], "__main__.MyModel");
    // Plain weights are left alone.
    assert!(of("models/encoder.pt").is_empty(), "{findings:#?}");
    assert!(of("models/encoder.safetensors").is_empty(), "{findings:#?}");
    assert_eq!(report["summary"]["files_scanned"], 7);
}

#[test]
fn the_source_size_cap_does_not_apply_to_model_files() {
    let dir = project();
    let (_, report) = json(dir.path(), &["--max-file-size", "16"]);
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["path"] == "models/classifier.pt"),
        "{report:#?}"
    );
    // The Python file (over 16 bytes) is skipped; no model file is.
    let skipped = report["summary"]["files_skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0]["path"], "serve.py");
}

#[test]
fn text_and_sarif_name_the_place_in_the_file() {
    let dir = project();
    let out = codeguard(
        dir.path(),
        &["check", "--isolated", "--no-cache", "models/classifier.pt"],
    );
    let text = stdout(&out);
    assert!(
        text.contains("models/classifier.pt:1:1: CG-ML010 [high] model-artifact-imports-code"),
        "{text}"
    );
    assert!(
        text.contains("= model file: member `archive/data.pkl`, byte "),
        "{text}"
    );
    let out = codeguard(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--no-cache",
            "--format",
            "sarif",
            "models/classifier.pt",
        ],
    );
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "CG-ML010");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "models/classifier.pt");
    assert_eq!(location["region"]["startLine"], 1, "{location}");
    assert_eq!(result["properties"]["artifact"]["global"], "posix.system");
    assert!(
        result["message"]["text"]
            .as_str()
            .unwrap()
            .contains("archive/data.pkl")
    );
}

#[test]
fn model_file_rules_are_selected_like_any_other() {
    let dir = project();
    let (code, report) = json(dir.path(), &["--ignore", "CG-ML010,CG-ML011"]);
    assert_eq!(code, Some(0), "{report:#?}");
    let (_, report) = json(dir.path(), &["--select", "model-artifact-unknown-import"]);
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["CG-ML011"]);
}

#[test]
fn mcp_scan_files_reads_model_files_too() {
    let dir = project();
    let mut server = common::mcp::Server::start(dir.path());
    server.request(
        1,
        "initialize",
        serde_json::json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}}),
    );
    server.send_raw(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#);
    let result = server.call(2, "scan_files", serde_json::json!({"paths": ["models"]}));
    let verdict = &result["structuredContent"];
    assert_eq!(verdict["is_insecure"], true, "{result}");
    assert_eq!(verdict["recommended_treatment"], "block");
    let issues = verdict["issues_found"].as_array().unwrap();
    assert!(
        issues
            .iter()
            .any(|i| i["path"] == "models/classifier.pt" && i["rule_id"] == "CG-ML010"),
        "{issues:#?}"
    );
    assert!(!issues.iter().any(|i| i["path"] == "models/encoder.pt"));
}

fn unsigned(report: &serde_json::Value) -> Vec<String> {
    let mut paths: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "CG-ML013")
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    paths.sort();
    paths
}

#[test]
fn unsigned_model_files_are_reported_once_signing_is_adopted() {
    let dir = project();
    // Not adopted: nothing about signatures.
    let (_, report) = json(dir.path(), &[]);
    assert!(unsigned(&report).is_empty(), "{report:#?}");
    // Adopted by the configuration: every model file without a bundle beside it.
    std::fs::write(
        dir.path().join("codeguard.toml"),
        "[model-signing]\nrequire = \"all\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("models/encoder.pt.sig"), "{}").unwrap();
    let out = codeguard(dir.path(), &["check", "--no-cache", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        unsigned(&report),
        [
            "data/features.npz",
            "models/classifier.pt",
            "models/clf.joblib",
            "models/encoder.safetensors",
            "models/whole_model.pkl"
        ]
    );
    // `model_signing sign models/` signs the whole folder.
    std::fs::write(dir.path().join("models/model.sig"), "{}").unwrap();
    let out = codeguard(dir.path(), &["check", "--no-cache", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(unsigned(&report), ["data/features.npz"]);
}

/// Microsoft's SARIF multitool with GitHub's ingestion rules accepts findings in model files
/// (located at the file's start: a location without a region is a SARIF2017 warning).
#[test]
fn model_file_sarif_passes_the_multitool() {
    let Some(tool) = sarif_multitool() else {
        return;
    };
    let dir = project();
    let out = codeguard(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--no-cache",
            "--format",
            "sarif",
            "-o",
            "out.sarif",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let problems = multitool_problems(&tool, dir.path(), "out.sarif");
    assert!(
        problems.is_empty(),
        "{}",
        serde_json::to_string_pretty(&problems).unwrap()
    );
}

fn claude_hook(event: &str, input: serde_json::Value, cwd: &Path) -> serde_json::Value {
    let payload = serde_json::json!({
        "session_id": "s1", "transcript_path": "/tmp/t.jsonl", "cwd": cwd, "prompt_id": "p1",
        "permission_mode": "default", "hook_event_name": event, "tool_name": "Write",
        "tool_input": input, "tool_use_id": "toolu_1"
    });
    let out = run_with_stdin(&["hook", "claude"], payload.to_string().as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    if out.stdout.is_empty() {
        return serde_json::Value::Null;
    }
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn hooks_judge_model_files_an_assistant_writes() {
    let dir = project();
    // A protocol 0 pickle is text: an assistant can write one with the Write tool.
    let evil = serde_json::json!({
        "file_path": dir.path().join("models/helper.pkl"),
        "content": "cos\nsystem\n(S'id'\ntR.",
    });
    let answer = claude_hook("PreToolUse", evil, dir.path());
    let specific = &answer["hookSpecificOutput"];
    assert_eq!(specific["permissionDecision"], "deny", "{answer}");
    let reason = specific["permissionDecisionReason"].as_str().unwrap();
    assert!(
        reason.contains("CG-ML010") && reason.contains("os.system"),
        "{reason}"
    );
    let harmless = serde_json::json!({
        "file_path": dir.path().join("models/numbers.pkl"),
        "content": "(lp0\nI1\naI2\na.",
    });
    assert!(claude_hook("PreToolUse", harmless, dir.path()).is_null());
    // After a write (or a download the assistant made), the file on disk is read as the
    // binary file it is.
    let written =
        serde_json::json!({"file_path": dir.path().join("models/classifier.pt"), "content": ""});
    let answer = claude_hook("PostToolUse", written, dir.path());
    assert_eq!(answer["decision"], "block", "{answer}");
    assert!(
        answer["reason"].as_str().unwrap().contains("posix.system"),
        "{answer}"
    );
}
