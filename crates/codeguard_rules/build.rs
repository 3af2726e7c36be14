//! Embeds the built-in rule pack (`rules/**/*.yaml` at the workspace root, but not the YAML
//! fixtures `*.fixture.yaml`, with the Markdown docs beside each rule) into the crate, converted to JSON (much faster to parse at start-up).
//! A YAML error in the pack fails the build with its position.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml")
            // `<rule>.fixture.yaml` is a fixture the rule scans as text, not a rule file.
            && !path.to_string_lossy().ends_with(".fixture.yaml")
            && !path.to_string_lossy().ends_with(".fixture.yml")
        {
            out.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let rules_dir = manifest
        .join("../../rules")
        .canonicalize()
        .expect("rules/ at the workspace root");
    println!("cargo:rerun-if-changed={}", rules_dir.display());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let mut files = Vec::new();
    collect(&rules_dir, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Built-in rule files: (path relative to `rules/`, the file as JSON, the Markdown docs beside it).\n\
         pub static BUILTIN_RULE_FILES: &[(&str, &str, Option<&str>)] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file
            .strip_prefix(&rules_dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let docs = file.with_extension("md");
        let docs = if docs.exists() {
            println!("cargo:rerun-if-changed={}", docs.display());
            format!("Some(include_str!({:?}))", docs.display().to_string())
        } else {
            "None".to_string()
        };
        let yaml = std::fs::read_to_string(file).unwrap();
        let value: serde_json::Value =
            serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let json_path = out_dir.join(rel.replace('/', "__") + ".json");
        std::fs::write(&json_path, serde_json::to_string(&value).unwrap()).unwrap();
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?}), {docs}),",
            json_path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = out_dir.join("builtin_rules.rs");
    std::fs::write(out, code).unwrap();
}
