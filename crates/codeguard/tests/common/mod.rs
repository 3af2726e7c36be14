//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

pub mod mcp;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Runs the built binary with `args`, feeding `input` on stdin.
pub fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_codeguard"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Copies the folder `from` to `to`, recursively (fixture projects into temporary folders).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Microsoft's SARIF multitool (`CODEGUARD_SARIF_MULTITOOL`), or `None` when it is not set: the
/// caller skips, unless `CODEGUARD_REQUIRE_E2E` demands every third-party client.
pub fn sarif_multitool() -> Option<std::ffi::OsString> {
    let tool = std::env::var_os("CODEGUARD_SARIF_MULTITOOL");
    if tool.is_none() {
        assert!(
            std::env::var_os("CODEGUARD_REQUIRE_E2E").is_none(),
            "CODEGUARD_SARIF_MULTITOOL is required"
        );
        eprintln!(
            "skipped: set CODEGUARD_SARIF_MULTITOOL to the Sarif.Multitool binary (.ci/run does)"
        );
    }
    tool
}

/// What the multitool reports (errors and warnings, the SARIF schema and GitHub's ingestion
/// rules) about the SARIF log `file` in `dir`.
pub fn multitool_problems(
    tool: &std::ffi::OsStr,
    dir: &Path,
    file: &str,
) -> Vec<serde_json::Value> {
    let out = Command::new(tool)
        .args([
            "validate",
            file,
            "--rule-kind",
            "Gh;Sarif",
            "--level",
            "Error;Warning",
            "-o",
            "validation.sarif",
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let validation: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("validation.sarif")).unwrap())
            .unwrap();
    validation["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}
