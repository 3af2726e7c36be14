//! codeguard as a guardrail for AI assistants: an MCP server over stdio ([`mcp`]) and hook
//! adapters for Claude Code and Cursor ([`hooks`]). Both answer with the engine's
//! [`codeguard_engine::Verdict`]. Depends on the engine and rules, never on another front end.

pub mod hooks;
pub mod mcp;

use std::path::Path;

use codeguard_engine::{Policy, ScanOptions, Verdict, scan_source};
use codeguard_language::Lang;
use codeguard_rules::RuleSet;

/// Scans `code` as the file `name` would be scanned and judges it. `None` when the
/// language of `name` is not supported.
pub fn judge_code(
    rules: &RuleSet,
    policy: &Policy,
    lang: Lang,
    name: &Path,
    code: &str,
) -> Result<Verdict, String> {
    let report =
        scan_source(rules, lang, name, code, &ScanOptions::default()).map_err(|e| e.to_string())?;
    Ok(Verdict::judge(policy, &report.diagnostics, Some(code)))
}
