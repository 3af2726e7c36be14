//! Entry points for the fuzz targets in `fuzz/` and for the stable test that replays their
//! committed corpus (`tests/fuzz_corpus.rs`): bytes in, nothing out, no panic allowed.

use std::path::Path;
use std::sync::OnceLock;

use codeguard_language::Lang;
use codeguard_rules::RuleSet;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        RuleSet::new(codeguard_rules::load::builtin_rules().expect("the built-in rules load"))
    })
}

/// Scans `data` (lossily decoded) as `lang` with the built-in rules, and renders every
/// finding as the text report would.
pub fn scan(lang: Lang, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let name = match lang {
        Lang::Python => "fuzz.py",
        Lang::Rust => "fuzz.rs",
        Lang::JavaScript => "fuzz.js",
        Lang::TypeScript => "fuzz.ts",
        Lang::Tsx => "fuzz.tsx",
        Lang::Json => ".mcp.json",
        Lang::Text => ".env",
    };
    let options = codeguard_engine::ScanOptions::default();
    let report = codeguard_engine::scan_source(rules(), lang, Path::new(name), &text, &options)
        .expect("the built-in rules have a plan for every language");
    for d in &report.diagnostics {
        assert!(d.range.start_byte <= d.range.end_byte && d.range.end_byte <= text.len());
        let _ = crate::report::render_diagnostic(d);
        if let Some(fix) = &d.fix {
            let _ = codeguard_engine::apply_edits(&text, &fix.edits);
        }
    }
}

/// Parses `data` as a rule file (YAML) of a user rule pack.
pub fn rule_yaml(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = codeguard_rules::load::parse_rule_file(
            text,
            Path::new("fuzz.yaml"),
            "fuzz",
            false,
            None,
        );
    }
}

/// Parses `data` as `codeguard.toml` and as `pyproject.toml`.
pub fn config_toml(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = crate::config::parse(Path::new("codeguard.toml"), text, false);
        let _ = crate::config::parse(Path::new("pyproject.toml"), text, true);
    }
}

/// Feeds `data` to the MCP server as its whole input (one message per line), with the
/// workspace root in a directory that does not exist (so `scan_files` reads nothing).
pub fn mcp(data: &[u8]) {
    let root = std::env::temp_dir().join("codeguard-fuzz-no-such-root");
    let config = codeguard_guardrail::mcp::ServerConfig::new(rules(), root);
    let mut output = Vec::new();
    let _ = codeguard_guardrail::mcp::serve(&config, data, &mut output);
}

/// Reads `data` as a model file of every format codeguard knows (by the extension of a name
/// it is given), as `codeguard check` would read such a file in the walk.
pub fn model_file(data: &[u8]) {
    for (ext, _) in codeguard_artifacts::Format::EXTENSIONS {
        let name = format!("fuzz.{ext}");
        let reader = std::io::Cursor::new(data);
        codeguard_artifacts::inspect_reader(Path::new(&name), reader, data.len() as u64)
            .expect("a model file extension");
    }
}
