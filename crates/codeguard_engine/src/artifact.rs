//! Model files in the walk (pickles, PyTorch checkpoints, NumPy arrays, safetensors): what
//! `codeguard_artifacts` finds in them, reported as diagnostics of the rules that ask for it
//! (`artifact: <check>` in a rule file). They are read as streams, so the size limit of source
//! files does not apply to them.

use std::path::Path;

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
    };
    let checks: Vec<&Rule> = rules
        .rules()
        .iter()
        .filter(|r| r.artifact.is_some())
        .collect();
    if checks.is_empty() {
        return outcome;
    }
    let Some(inspection) = codeguard_artifacts::inspect_path(path) else {
        return outcome;
    };
    for finding in inspection.findings {
        let check = check_of(finding.category);
        for rule in checks.iter().filter(|r| r.artifact == Some(check)) {
            outcome
                .diagnostics
                .push(diagnostic(rule, &outcome.path, &finding));
        }
    }
    outcome
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
