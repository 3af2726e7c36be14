//! codeguard as a guardrail for AI assistants: an MCP server over stdio ([`mcp`]) and hook
//! adapters for Claude Code and Cursor ([`hooks`]). Both answer with the engine's
//! [`codeguard_engine::Verdict`]. Depends on the engine and rules, never on another front end.

pub mod guidance;
pub mod hooks;
pub mod mcp;
pub mod policy_files;

use std::panic::AssertUnwindSafe;
use std::path::Path;

use codeguard_engine::{Policy, ScanOptions, Verdict, scan_document};
use codeguard_language::Lang;
use codeguard_rules::RuleSet;

/// Scan options for the guardrail: inline suppressions are refused (the model writing the
/// code could add them to get past the check) unless the caller allows them.
pub fn guardrail_options(mut options: ScanOptions, allow_inline_suppressions: bool) -> ScanOptions {
    options.inline_suppressions &= allow_inline_suppressions;
    options
}

/// Scans `code` as the file `name` would be scanned and judges the findings on lines from
/// `first_line` (1-based) on, renumbered to start there. A panic in the engine is an error,
/// not a crash: the caller decides to fail open or closed.
pub fn judge(
    rules: &RuleSet,
    policy: &Policy,
    options: &ScanOptions,
    lang: Lang,
    name: &Path,
    code: &str,
    first_line: usize,
) -> Result<Verdict, String> {
    let scanned = std::panic::catch_unwind(AssertUnwindSafe(|| {
        scan_document(rules, lang, name, code, options)
    }))
    .map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!(
            "codeguard crashed while scanning {}: {message}",
            name.display()
        )
    })?;
    let mut report = scanned.map_err(|e| e.to_string())?;
    if report.timed_out {
        // What was found until then is not a judgement of the whole edit.
        return Err(format!(
            "codeguard ran out of time ({} s) analysing {}: the code is too large or too \
             deeply nested to judge",
            options.file_timeout.as_secs_f64(),
            name.display()
        ));
    }
    if first_line > 1 {
        let shift = first_line - 1;
        report.diagnostics.retain(|d| d.range.start.line > shift);
        for d in &mut report.diagnostics {
            d.range.start.line -= shift;
            d.range.end.line = d.range.end.line.saturating_sub(shift).max(1);
        }
    }
    Ok(Verdict::judge(policy, &report.diagnostics, Some(code)))
}
