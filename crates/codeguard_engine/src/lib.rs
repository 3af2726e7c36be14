//! codeguard's engine: scan source text with a [`codeguard_rules::RuleSet`] and return
//! [`Diagnostic`]s; walk paths and scan files in parallel. It never prints: front ends (the
//! CLI, the language server, the MCP server) decide how findings are shown.

pub mod artifact;
pub mod builtin;
mod deadline;
pub mod diagnostic;
pub mod fix;
pub mod fixture;
mod flow;
mod node_ext;
mod notebook;
mod partial;
pub mod project_flow;
pub mod scan;
pub mod semantic;
pub mod strings;
pub mod suppress;
mod syntax;
mod text;
mod tree_walk;
pub mod verdict;
pub mod walk;

pub use codeguard_rules::Applicability;
pub use codeguard_rules::plan::{PrefilterMemo, TextEdit};
pub use diagnostic::{
    ArtifactSite, Diagnostic, DiagnosticFix, Edit, FlowStep, FoldedFinding, Position, Range,
    apply_edits, fold_same_code,
};
pub use notebook::{document_languages, python_of_cells, scan_document};
pub use project_flow::{ModuleLinks, link_modules};
pub use scan::{
    DEFAULT_FILE_TIMEOUT, ModelSigning, ScanOptions, SourceReport, edit_between, scan_source,
    scan_source_incremental,
};
pub use tree_sitter::Tree;
pub use verdict::{Policy, Treatment, Verdict};
pub use walk::{FileOutcome, ProjectNote, ScanSummary, SkipReason, scan_paths};

use codeguard_rules::{Rule, RuleError};

/// Checks what only the engine knows: every `builtin:` matcher names a registered builtin,
/// and taint and builtin matchers are for languages whose profile supports them (builtins
/// are written against Python's and Rust's trees).
pub fn validate_rules(rules: &[Rule]) -> Result<(), RuleError> {
    for rule in rules {
        for matcher in &rule.matchers {
            let syntax = syntax::of(matcher.lang);
            let unavailable = if matcher.taint.is_some() && !syntax.has_flow() {
                Some("taint")
            } else if matcher.builtin.is_some() && !syntax.has_builtins() {
                Some("builtin")
            } else {
                None
            };
            if let Some(what) = unavailable
                && matcher.lang.grammar().is_some()
            {
                return Err(RuleError::new(
                    &rule.source,
                    0,
                    0,
                    format!(
                        "rule `{}`: {what} matchers are not available for {} yet",
                        rule.id, matcher.lang
                    ),
                ));
            }
            if let Some(name) = &matcher.builtin
                && !builtin::names().any(|n| n == name)
            {
                let known: Vec<&str> = builtin::names().collect();
                return Err(RuleError::new(
                    &rule.source,
                    0,
                    0,
                    format!(
                        "rule `{}`: unknown builtin matcher `{name}` (known: {})",
                        rule.id,
                        known.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(())
}
