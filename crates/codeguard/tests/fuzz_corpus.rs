//! Replays every file of the committed fuzz corpus (`fuzz/corpus/<target>/`: seeds and
//! minimized crashers) through the same entry points as the cargo-fuzz targets, so fixed
//! crashes stay fixed on stable, without nightly or libFuzzer.

mod common;

use codeguard::fuzzing;
use codeguard_language::Lang;

fn replay(target: &str, run: impl Fn(&[u8])) {
    let dir = common::workspace().join("fuzz/corpus").join(target);
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    assert!(!entries.is_empty(), "no corpus for {target}");
    for path in entries {
        let data = std::fs::read(&path).unwrap();
        eprintln!("{target}: {}", path.display());
        run(&data);
    }
}

#[test]
fn scan_python() {
    replay("scan_python", |d| fuzzing::scan(Lang::Python, d));
}

#[test]
fn scan_rust() {
    replay("scan_rust", |d| fuzzing::scan(Lang::Rust, d));
}

#[test]
fn scan_json() {
    replay("scan_json", |d| fuzzing::scan(Lang::Json, d));
}

#[test]
fn load_rule_yaml() {
    replay("load_rule_yaml", fuzzing::rule_yaml);
}

#[test]
fn load_config_toml() {
    replay("load_config_toml", fuzzing::config_toml);
}

#[test]
fn mcp_message() {
    replay("mcp_message", fuzzing::mcp);
}

#[test]
fn inspect_model_file() {
    replay("inspect_model_file", fuzzing::model_file);
}
