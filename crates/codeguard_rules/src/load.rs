//! Reading rule files from disk or from the embedded pack.

use std::path::{Path, PathBuf};

use crate::compile::{Rule, compile_rule};
use crate::error::RuleError;
use crate::schema::RawRuleFile;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Parses one rule file's text. `pack` names the folder it belongs to; `docs` is the Markdown
/// file beside it, which documents a rule that has no `description`.
pub fn parse_rule_file(
    text: &str,
    path: &Path,
    pack: &str,
    builtin: bool,
    docs: Option<&str>,
) -> Result<Vec<Rule>, RuleError> {
    let raw: RawRuleFile = if builtin {
        // The embedded pack was converted to JSON (and checked) at build time.
        serde_json::from_str(text)
            .map_err(|e| RuleError::new(path, e.line(), e.column(), e.to_string()))?
    } else {
        serde_saphyr::from_str(text).map_err(|e| yaml_error(path, &e))?
    };
    raw.rules
        .into_iter()
        .map(|r| compile_rule(r, path, pack, builtin, docs))
        .collect()
}

fn yaml_error(path: &Path, err: &serde_saphyr::Error) -> RuleError {
    let (line, column) = err
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((0, 0));
    // The rendered error starts with "error: line L column C: message" and then draws a
    // snippet; keep only the message, the position is reported separately.
    let rendered = err.to_string();
    let first = rendered.lines().next().unwrap_or_default();
    let message = first.trim_start_matches("error: ");
    let message = match message.split_once(": ") {
        Some((pos, rest)) if pos.starts_with("line ") => rest,
        _ => message,
    };
    RuleError::new(path, line, column, message.to_string())
}

/// The rules that ship inside codeguard.
pub fn builtin_rules() -> Result<Vec<Rule>, RuleError> {
    let mut rules = Vec::new();
    for (rel, text, docs) in BUILTIN_RULE_FILES {
        let path = Path::new(rel);
        let pack = path.parent().and_then(|p| p.to_str()).unwrap_or("user");
        rules.extend(parse_rule_file(
            text,
            Path::new(&format!("rules/{rel}")),
            pack,
            true,
            *docs,
        )?);
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(rules)
}

/// Loads every `*.yaml`/`*.yml` rule file under `dir` (or `dir` itself when it is a file).
/// The pack of a rule is the name of the folder holding its file.
pub fn load_rule_path(dir: &Path) -> Result<Vec<Rule>, RuleError> {
    if !dir.exists() {
        return Err(RuleError::new(dir, 0, 0, "rule path does not exist"));
    }
    let mut files = Vec::new();
    if dir.is_file() {
        files.push(dir.to_path_buf());
    } else {
        collect_yaml(dir, &mut files).map_err(|e| RuleError::new(dir, 0, 0, e.to_string()))?;
    }
    files.sort();
    let mut rules = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| RuleError::new(&file, 0, 0, format!("cannot read rule file: {e}")))?;
        let pack = file
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .unwrap_or("user")
            .to_string();
        let docs = std::fs::read_to_string(file.with_extension("md")).ok();
        rules.extend(parse_rule_file(
            &text,
            &file,
            &pack,
            false,
            docs.as_deref(),
        )?);
    }
    Ok(rules)
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_yaml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
}

/// A fingerprint of the built-in pack's text (for caches keyed by the rules that produced them).
pub fn builtin_pack_fingerprint() -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (rel, text, docs) in BUILTIN_RULE_FILES {
        for part in [*rel, *text, docs.unwrap_or_default()] {
            for b in part.bytes() {
                hash ^= u64::from(b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    hash
}
