//! Flows through functions of other project files: the real binary scans
//! `tests/fixtures/cross-module` (a copy, with and without the result cache) and every
//! `ruleid:` / `ok:` annotation there must hold, as in rule fixtures. A data-flow finding on
//! a line nobody annotated fails too.

mod common;

use common::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// (path, line, rule id) of every finding of `codeguard check --format json ARGS` in `dir`.
fn findings(dir: &Path, cache: &Path, args: &[&str]) -> BTreeSet<(String, u64, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_codeguard"))
        .args(["check", "--format", "json"])
        .args(args)
        .arg(".")
        .current_dir(dir)
        .env("CODEGUARD_CACHE_DIR", cache)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().replace('\\', "/"),
                f["range"]["start"]["line"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// (path, line, rule id, expected) for every annotation: the line is the next code line.
fn annotations(root: &Path) -> Vec<(String, u64, String, bool)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if !matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("py" | "ts" | "js" | "rs")
            ) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                for (marker, expected) in [("ruleid: ", true), ("ok: ", false)] {
                    let Some(at) = line.find(marker) else {
                        continue;
                    };
                    let rule = line[at + marker.len()..].trim().to_string();
                    let target = (i + 1..lines.len())
                        .find(|j| {
                            let t = lines[*j].trim_start();
                            !t.starts_with('#') && !t.starts_with("//")
                        })
                        .expect("an annotation before a code line");
                    out.push((relative.clone(), target as u64 + 1, rule, expected));
                }
            }
        }
    }
    out
}

#[test]
fn flows_through_functions_of_other_files_follow_the_annotations() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&workspace().join("tests/fixtures/cross-module"), dir.path());
    let expected = annotations(dir.path());
    assert!(expected.iter().filter(|a| a.3).count() >= 9);
    let annotated_rules: BTreeSet<&str> = expected.iter().map(|a| a.2.as_str()).collect();
    let cache = tempfile::tempdir().unwrap();
    // Cold, then warm from the cache (linking is never cached), then without the cache.
    for args in [&[][..], &[][..], &["--no-cache"][..]] {
        let found = findings(dir.path(), cache.path(), args);
        let mut problems = Vec::new();
        for (path, line, rule, flagged) in &expected {
            let key = (path.clone(), *line, rule.clone());
            if found.contains(&key) != *flagged {
                let what = if *flagged { "missed" } else { "unexpected" };
                problems.push(format!("{what}: {path}:{line} {rule}"));
            }
        }
        for (path, line, rule) in &found {
            let annotated = expected
                .iter()
                .any(|(p, l, r, _)| p == path && l == line && r == rule);
            if annotated_rules.contains(rule.as_str()) && !annotated {
                problems.push(format!("not annotated: {path}:{line} {rule}"));
            }
        }
        assert!(problems.is_empty(), "{args:?}: {problems:#?}");
    }
}
