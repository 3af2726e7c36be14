//! Model files in the walk (pickles, PyTorch checkpoints, NumPy arrays, safetensors): what
//! `codeguard_artifacts` finds in them, reported as diagnostics of the rules that ask for it
//! (`artifact: <check>` in a rule file). They are read as streams, so the size limit of source
//! files does not apply to them.

use std::path::{Path, PathBuf};

use codeguard_artifacts::Category;
use codeguard_language::Lang;
use codeguard_rules::{ArtifactCheck, Rule, RuleSet};

use crate::diagnostic::{ArtifactSite, Diagnostic, Position, Range};
use crate::walk::{FileOutcome, display_path};

/// Whether `path` names a model file by its extension (`.pt`, `.pkl`, `.npy`, ...).
pub fn is_model_file(path: &Path) -> bool {
    codeguard_artifacts::Format::of(path).is_some()
}

fn check_of(category: Category) -> ArtifactCheck {
    match category {
        Category::DangerousImport => ArtifactCheck::DangerousImport,
        Category::UnknownImport => ArtifactCheck::UnknownImport,
        Category::Unreadable => ArtifactCheck::Unreadable,
    }
}

/// Extensions of signature bundles: Sigstore bundles, as OpenSSF model signing writes them.
const SIGNATURE_EXTENSIONS: [&str; 3] = ["sig", "sigstore", "sigstore.json"];

/// The signature bundle that covers the model file at `path`, if one is there: OpenSSF model
/// signing (`model_signing sign PATH`) writes `model.sig` by default, for a file or a whole
/// folder; `<file>.sig`, `<file>.sigstore` and `<file>.sigstore.json` beside the file, or
/// `<folder>.sig` (and the like) beside its folder, count too. Only presence is checked: the
/// signature is verified where the model is loaded (CG-ML006).
pub fn signature_for(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut candidates: Vec<PathBuf> = SIGNATURE_EXTENSIONS
        .iter()
        .map(|ext| dir.join(format!("{name}.{ext}")))
        .collect();
    candidates.push(dir.join("model.sig"));
    if let (Some(folder), Some(up)) = (dir.file_name().and_then(|f| f.to_str()), dir.parent()) {
        candidates.extend(
            SIGNATURE_EXTENSIONS
                .iter()
                .map(|ext| up.join(format!("{folder}.{ext}"))),
        );
        candidates.push(up.join("model.sig"));
    }
    candidates.into_iter().find(|c| c.is_file())
}

/// Reads the model file at `path` when a rule of `rules` checks model files. Model files have
/// no grammar: the outcome is that of a text file (one that cannot be read is listed, but is
/// not code left unscanned).
pub fn scan_model_file(rules: &RuleSet, path: &Path) -> FileOutcome {
    let mut outcome = FileOutcome {
        path: display_path(path),
        lang: Lang::Text,
        diagnostics: Vec::new(),
        syntax_errors: false,
        skipped: None,
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        lines: 0,
        suppressed: 0,
        unused_suppressions: Vec::new(),
        uses_model_signing: false,
        links: Default::default(),
    };
    let checks: Vec<&Rule> = rules
        .rules()
        .iter()
        .filter(|r| r.artifact.is_some())
        .collect();
    if checks.is_empty() {
        return outcome;
    }
    if let Some(rule) = checks
        .iter()
        .find(|r| r.artifact == Some(ArtifactCheck::Unsigned))
        && signature_for(path).is_none()
    {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let finding = codeguard_artifacts::Finding {
            category: Category::Unreadable,
            member: None,
            offset: 0,
            global: None,
            message: format!(
                "no signature bundle beside it (`model.sig` from `model_signing sign`, `{name}.sig`, `{name}.sigstore.json`, or one for its folder)"
            ),
        };
        outcome
            .diagnostics
            .push(diagnostic(rule, &outcome.path, &finding));
    }
    if !checks.iter().any(|r| {
        r.artifact
            .is_some_and(|check| check != ArtifactCheck::Unsigned)
    }) {
        return outcome;
    }
    let Some(inspection) = codeguard_artifacts::inspect_path(path) else {
        return outcome;
    };
    outcome
        .diagnostics
        .extend(diagnostics_of(&checks, &outcome.path, inspection));
    outcome
}

/// The findings of `rules` in a model file named `name` whose content is `bytes` (a file an
/// assistant is about to write: a protocol 0 pickle is text). Signatures are not looked for:
/// the file is not on disk yet.
pub fn scan_model_bytes(rules: &RuleSet, name: &Path, bytes: &[u8]) -> Vec<Diagnostic> {
    let checks: Vec<&Rule> = rules
        .rules()
        .iter()
        .filter(|r| r.artifact.is_some_and(|c| c != ArtifactCheck::Unsigned))
        .collect();
    if checks.is_empty() {
        return Vec::new();
    }
    let reader = std::io::Cursor::new(bytes);
    match codeguard_artifacts::inspect_reader(name, reader, bytes.len() as u64) {
        Some(inspection) => diagnostics_of(&checks, name, inspection),
        None => Vec::new(),
    }
}

/// One diagnostic per finding of the reader, for each rule that asks for its kind.
fn diagnostics_of(
    checks: &[&Rule],
    path: &Path,
    inspection: codeguard_artifacts::Inspection,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for finding in inspection.findings {
        let check = check_of(finding.category);
        for rule in checks.iter().filter(|r| r.artifact == Some(check)) {
            out.push(diagnostic(rule, path, &finding));
        }
    }
    out
}

fn diagnostic(rule: &Rule, path: &Path, finding: &codeguard_artifacts::Finding) -> Diagnostic {
    let mut d = Diagnostic::from_rule(rule);
    d.path = path.to_path_buf();
    d.message = format!("{}: {}", rule.message, finding.message);
    let start = Position { line: 1, column: 1 };
    d.range = Range {
        start,
        end: start,
        start_byte: 0,
        end_byte: 0,
    };
    // What fingerprints and baselines key on: the member and the global (not the offset,
    // which moves when anything before it changes), or the problem.
    d.source_line = format!(
        "{} {}",
        finding.member.as_deref().unwrap_or(""),
        finding.global.as_deref().unwrap_or(&finding.message)
    )
    .trim()
    .to_string();
    d.artifact = Some(ArtifactSite {
        member: finding.member.clone(),
        offset: finding.offset,
        global: finding.global.clone(),
    });
    d
}

/// CWEs of the rules whose findings are model loads: deserialization and integrity.
const LOAD_CWES: [&str; 3] = ["CWE-502", "CWE-494", "CWE-345"];

/// Connects the code that loads a model with the file it loads: where a finding about a model
/// load (a deserialization or integrity rule) names a model file in a string literal and that
/// file exists (relative to the working directory or to the loading file), its message says
/// what the file would import when loaded and whether a signature bundle is beside it. The
/// file is read even when the walk skipped it (ignored by git, excluded).
pub fn describe_loaded_models(summary: &mut crate::walk::ScanSummary) {
    let mut seen: std::collections::HashMap<PathBuf, String> = Default::default();
    for file in &mut summary.files {
        let dir = file
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        for d in &mut file.diagnostics {
            if d.artifact.is_some() || !d.cwe.iter().any(|c| LOAD_CWES.contains(&c.as_str())) {
                continue;
            }
            let flagged = flagged_text(d);
            let Some((literal, path)) = string_literals(&flagged)
                .into_iter()
                .filter(|l| is_model_file(Path::new(l)))
                .find_map(|l| {
                    [PathBuf::from(&l), dir.join(&l)]
                        .into_iter()
                        .find(|p| p.is_file())
                        .map(|p| (l, p))
                })
            else {
                continue;
            };
            let facts = seen
                .entry(path.clone())
                .or_insert_with(|| facts_about(&path))
                .clone();
            d.message = format!("{}; it loads `{literal}`, {facts}", d.message);
        }
    }
}

/// The flagged part of the finding's first line.
fn flagged_text(d: &Diagnostic) -> String {
    let chars: Vec<char> = d.source_line.chars().collect();
    let start = d.range.start.column.saturating_sub(1).min(chars.len());
    let end = if d.range.end.line == d.range.start.line {
        d.range
            .end
            .column
            .saturating_sub(1)
            .clamp(start, chars.len())
    } else {
        chars.len()
    };
    chars[start..end].iter().collect()
}

/// The contents of the simple quoted strings in `text` (no escapes, no f-strings).
fn string_literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '"' && c != '\'' {
            continue;
        }
        let rest = &text[i + 1..];
        if let Some(end) = rest.find(c) {
            let literal = &rest[..end];
            if !literal.contains('\\') && !literal.contains('{') {
                out.push(literal.to_string());
            }
            // Continue after the closing quote.
            while chars.peek().is_some_and(|(j, _)| *j <= i + 1 + end) {
                chars.next();
            }
        }
    }
    out
}

/// What the model file at `path` holds and whether it is signed, as a clause.
fn facts_about(path: &Path) -> String {
    let signed = match signature_for(path) {
        Some(sig) => format!("signature bundle `{}`", display_path(&sig).display()),
        None => "no signature bundle beside it".to_string(),
    };
    let Some(inspection) = codeguard_artifacts::inspect_path(path) else {
        return signed;
    };
    let globals = |category: Category| -> Vec<String> {
        let mut g: Vec<String> = inspection
            .findings
            .iter()
            .filter(|f| f.category == category)
            .filter_map(|f| f.global.clone())
            .collect();
        g.dedup();
        g
    };
    let dangerous = globals(Category::DangerousImport);
    let unknown = globals(Category::UnknownImport);
    let content = if !dangerous.is_empty() {
        format!(
            "which imports code when loaded: `{}` (CG-ML010)",
            dangerous.join("`, `")
        )
    } else if !unknown.is_empty() {
        format!(
            "which imports globals plain weights do not need: `{}` (CG-ML011)",
            unknown.join("`, `")
        )
    } else if inspection
        .findings
        .iter()
        .any(|f| f.category == Category::Unreadable)
    {
        "which codeguard could not read to the end (CG-ML012)".to_string()
    } else if inspection.pickles > 0 {
        "whose pickles import only what plain weights need".to_string()
    } else {
        format!("a {}", inspection.format.name())
    };
    format!("{content}; {signed}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_of_a_call() {
        assert_eq!(
            string_literals(r#"torch.load("models/a.pt", map_location='cpu')"#),
            ["models/a.pt", "cpu"]
        );
        assert_eq!(
            string_literals(r#"load(f"{d}/a.pt", "x\"y")"#),
            Vec::<String>::new()
        );
        assert!(string_literals("load(path)").is_empty());
    }
}
