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
