//! Findings and fixes, independent of how a front end shows them.

use std::path::PathBuf;

use codeguard_rules::{Applicability, Confidence, Rule, Severity};
use serde::{Deserialize, Serialize};

/// A position in a file. Lines and columns are 1-based; columns count Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A range of a file, also as byte offsets (for editors and fixes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
    pub start_byte: usize,
    pub end_byte: usize,
}

impl Range {
    pub fn overlaps(&self, other: &Range) -> bool {
        self.start_byte < other.end_byte && other.start_byte < self.end_byte
    }
}

/// One text replacement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub start_byte: usize,
    pub end_byte: usize,
    pub content: String,
}

/// A fix for one finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagnosticFix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// One finding.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Diagnostic {
    pub rule_id: String,
    pub rule_name: String,
    pub pack: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub cwe: Vec<String>,
    pub owasp_llm: Vec<String>,
    pub codeguard: Vec<String>,
    pub message: String,
    pub path: PathBuf,
    pub range: Range,
    /// The flagged source line (first line of the range), for rendering and fingerprints.
    pub source_line: String,
    pub fix: Option<DiagnosticFix>,
    /// For data-flow findings: the source, the assignments it went through, and the sink.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flow: Vec<FlowStep>,
    /// Other rules' findings on exactly the same code, folded into this one (see
    /// [`fold_same_code`]): one finding per problem, the others named beside it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<FoldedFinding>,
    /// Inside test code of a file that is not a test file (a Rust `#[cfg(test)]` module): the
    /// CLI treats it as it treats findings in test files.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_test_code: bool,
    /// For a finding in a model file (a pickle, a checkpoint): where in it, since a binary
    /// file has no lines. The range is then the file's first position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<ArtifactSite>,
}

/// Where in a model file a finding is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactSite {
    /// The archive member (`archive/data.pkl`), when the file is an archive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// Byte offset in the member's uncompressed bytes, or in the file.
    pub offset: u64,
    /// The global the pickle imports (`posix.system`), for import findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<String>,
}

/// A finding folded into a stronger one on the same code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoldedFinding {
    pub rule_id: String,
    pub severity: Severity,
    pub message: String,
}

/// Keeps one finding per flagged range: where several rules flag exactly the same code (a
/// `cloudpickle.loads` is both an unsafe deserialization and a pickle-backed model load),
/// the most severe (then most confident, then a data flow) stays and the others are named
/// in its `also` (its fix kept if the stronger has none). Callers run it last, after inline
/// suppressions, baselines and the project's filters, so that neither suppressing nor
/// hiding one rule's finding hides another's.
pub fn fold_same_code(diagnostics: &mut Vec<Diagnostic>) {
    let mut by_range: std::collections::HashMap<(usize, usize), usize> = Default::default();
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    for d in diagnostics.drain(..) {
        // Findings in a model file all sit at its first position; each is its own problem.
        if d.artifact.is_some() {
            kept.push(d);
            continue;
        }
        let key = (d.range.start_byte, d.range.end_byte);
        let Some(&at) = by_range.get(&key) else {
            by_range.insert(key, kept.len());
            kept.push(d);
            continue;
        };
        let strength = |d: &Diagnostic| (d.severity, d.confidence, !d.flow.is_empty());
        let weaker = if strength(&d) > strength(&kept[at]) {
            std::mem::replace(&mut kept[at], d)
        } else {
            d
        };
        let stronger = &mut kept[at];
        if stronger.fix.is_none() {
            stronger.fix = weaker.fix;
        }
        stronger.also.push(FoldedFinding {
            rule_id: weaker.rule_id,
            severity: weaker.severity,
            message: weaker.message,
        });
        stronger.also.extend(weaker.also);
    }
    *diagnostics = kept;
}

/// One step of a data-flow path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowStep {
    pub line: usize,
    pub column: usize,
    pub note: String,
}

impl Diagnostic {
    pub(crate) fn from_rule(rule: &Rule) -> Self {
        Diagnostic {
            rule_id: rule.id.clone(),
            rule_name: rule.name.clone(),
            pack: rule.pack.clone(),
            severity: rule.severity,
            confidence: rule.confidence,
            cwe: rule.metadata.cwe.clone(),
            owasp_llm: rule.metadata.owasp_llm.clone(),
            codeguard: rule.metadata.codeguard.clone(),
            message: rule.message.clone(),
            path: PathBuf::new(),
            range: Range {
                start: Position { line: 0, column: 0 },
                end: Position { line: 0, column: 0 },
                start_byte: 0,
                end_byte: 0,
            },
            source_line: String::new(),
            fix: None,
            flow: Vec::new(),
            also: Vec::new(),
            in_test_code: false,
            artifact: None,
        }
    }

    /// A finding of one matcher of `rule` in `path`: the matcher's severity, confidence and
    /// message where it has its own, `{label}` filled in; the range is the caller's to set.
    pub(crate) fn for_matcher(
        rule: &Rule,
        matcher: &codeguard_rules::Matcher,
        label: &str,
        path: &std::path::Path,
    ) -> Self {
        let mut d = Diagnostic::from_rule(rule);
        if let Some(severity) = matcher.severity {
            d.severity = severity;
        }
        if let Some(confidence) = matcher.confidence {
            d.confidence = confidence;
        }
        let message = matcher.message.as_deref().unwrap_or(&rule.message);
        d.message = message.replace("{label}", label);
        d.path = path.to_path_buf();
        d
    }

    /// A fingerprint that survives edits elsewhere in the file: rule, path, the trimmed
    /// flagged line and which occurrence of that line this is (set by the caller).
    pub fn fingerprint(&self, occurrence: usize) -> String {
        let mut hasher = codeguard_rules::fnv::Fnv64::default();
        hasher.write(self.rule_id.as_bytes());
        hasher.write(b"\0");
        hasher.write(self.path.to_string_lossy().replace('\\', "/").as_bytes());
        hasher.write(b"\0");
        let normalized: String = self
            .source_line
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        hasher.write(normalized.as_bytes());
        format!("{:016x}:{occurrence}", hasher.finish())
    }
}

/// Applies non-overlapping edits to `source` (edits that overlap an earlier one are skipped).
pub fn apply_edits(source: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start_byte, e.end_byte));
    let mut out = String::with_capacity(source.len());
    let mut cursor = 0;
    for edit in sorted {
        if edit.start_byte < cursor || edit.end_byte > source.len() {
            continue;
        }
        out.push_str(&source[cursor..edit.start_byte]);
        out.push_str(&edit.content);
        cursor = edit.end_byte;
    }
    out.push_str(&source[cursor..]);
    out
}
