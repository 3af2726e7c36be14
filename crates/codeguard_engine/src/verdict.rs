//! The guardrail verdict: CodeShield's answer shape (`is_insecure`, `recommended_treatment`,
//! `issues_found`), decided by a configurable policy, but over every finding.

use codeguard_rules::{Confidence, Severity};
use serde::Serialize;

use crate::diagnostic::Diagnostic;

/// What an assistant should do with the scanned code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Treatment {
    /// Do not write this code.
    Block,
    /// Write it, but tell the user.
    Warn,
    /// Nothing to report.
    Ignore,
}

/// When a finding blocks and when it warns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Findings at or above this severity block...
    pub block_severity: Severity,
    /// ...when their confidence is at least this.
    pub block_confidence: Confidence,
    /// Other findings at or above this severity warn; lower ones are ignored.
    pub warn_severity: Severity,
}

impl Default for Policy {
    /// Blocks high and critical findings the rule is sure of; warns on everything else from
    /// low up (the catalog's guardrail default, made a little stricter).
    fn default() -> Self {
        Self {
            block_severity: Severity::High,
            block_confidence: Confidence::High,
            warn_severity: Severity::Low,
        }
    }
}

impl Policy {
    /// The treatment one finding calls for. A critical finding blocks whatever its
    /// confidence: model output reaching a shell is not something to write and mention.
    pub fn treatment_of(&self, d: &Diagnostic) -> Treatment {
        let blocks = d.severity >= self.block_severity
            && (d.confidence >= self.block_confidence || d.severity == Severity::Critical);
        if blocks {
            Treatment::Block
        } else if d.severity >= self.warn_severity {
            Treatment::Warn
        } else {
            Treatment::Ignore
        }
    }
}

/// One finding as the guardrail reports it.
#[derive(Debug, Clone, Serialize)]
pub struct Issue {
    pub rule_id: String,
    pub rule_name: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub treatment: Treatment,
    pub cwe: Vec<String>,
    pub owasp_llm: Vec<String>,
    pub codeguard_rule: Vec<String>,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    /// The flagged line, trimmed.
    pub code: String,
    pub fix: Option<IssueFix>,
}

/// A fix, as text an assistant can apply.
#[derive(Debug, Clone, Serialize)]
pub struct IssueFix {
    pub title: String,
    pub applicability: codeguard_rules::Applicability,
    /// The flagged line after the fix.
    pub fixed_line: Option<String>,
}

/// The answer to "is this code safe to write?".
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// True when any finding warns or blocks.
    pub is_insecure: bool,
    pub recommended_treatment: Treatment,
    pub issues_found: Vec<Issue>,
}

impl Verdict {
    /// Judges `diagnostics` found in `source` (used to show fixed lines).
    pub fn judge<'a>(
        policy: &Policy,
        diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
        source: Option<&str>,
    ) -> Self {
        let mut issues = Vec::new();
        let mut treatment = Treatment::Ignore;
        for d in diagnostics {
            let t = policy.treatment_of(d);
            if t == Treatment::Ignore {
                continue;
            }
            if t == Treatment::Block || treatment == Treatment::Ignore {
                treatment = if treatment == Treatment::Block {
                    Treatment::Block
                } else {
                    t
                };
            }
            issues.push(Issue {
                rule_id: d.rule_id.clone(),
                rule_name: d.rule_name.clone(),
                severity: d.severity,
                confidence: d.confidence,
                treatment: t,
                cwe: d.cwe.clone(),
                owasp_llm: d.owasp_llm.clone(),
                codeguard_rule: d.codeguard.clone(),
                path: d.path.to_string_lossy().replace('\\', "/"),
                line: d.range.start.line,
                column: d.range.start.column,
                end_line: d.range.end.line,
                end_column: d.range.end.column,
                message: d.message.clone(),
                code: d.source_line.trim().to_string(),
                fix: d.fix.as_ref().map(|f| IssueFix {
                    title: f.title.clone(),
                    applicability: f.applicability,
                    fixed_line: source.map(|s| fixed_line(s, d, &f.edits)),
                }),
            });
        }
        Verdict {
            // Insecure means "something here should be fixed", not only "block": a warned
            // finding is still a weakness (CodeShield sets it for warnings too).
            is_insecure: treatment != Treatment::Ignore,
            recommended_treatment: treatment,
            issues_found: issues,
        }
    }

    /// A short reason an assistant can act on: one line per issue with rule, CWE, place and fix.
    pub fn reason(&self, subject: &str) -> String {
        let mut out = format!(
            "codeguard found {} security issue{} in {subject}:",
            self.issues_found.len(),
            if self.issues_found.len() == 1 {
                ""
            } else {
                "s"
            }
        );
        for issue in &self.issues_found {
            let cwe = issue
                .cwe
                .first()
                .map(|c| format!(", {c}"))
                .unwrap_or_default();
            out.push_str(&format!(
                "\n- line {}: {} {} ({}{cwe}): {}.",
                issue.line,
                issue.rule_id,
                issue.rule_name,
                issue.severity.as_str(),
                issue.message
            ));
            if let Some(fix) = &issue.fix {
                match &fix.fixed_line {
                    Some(line) if !line.trim().is_empty() => {
                        out.push_str(&format!(" Fix: {}, giving `{}`.", fix.title, line.trim()));
                    }
                    _ => out.push_str(&format!(" Fix: {}.", fix.title)),
                }
            }
        }
        out.push_str(
            "\nRewrite the code without these patterns (`codeguard explain <ID>` gives details).",
        );
        out
    }
}

fn fixed_line(source: &str, d: &Diagnostic, edits: &[crate::diagnostic::Edit]) -> String {
    let fixed = crate::diagnostic::apply_edits(source, edits);
    let delta = fixed.len() as isize - source.len() as isize;
    let start = source[..d.range.start_byte.min(source.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end_in_source = source[d.range.end_byte.min(source.len())..]
        .find('\n')
        .map_or(source.len(), |i| d.range.end_byte + i);
    let end = (end_in_source as isize + delta).clamp(start as isize, fixed.len() as isize) as usize;
    fixed.get(start..end).unwrap_or_default().to_string()
}
