//! Text and JSON reports, the rules table and rule explanations.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use codeguard_engine::{Diagnostic, ScanSummary, SkipReason};
use codeguard_rules::{Rule, RuleSet, Severity};
use serde_json::{Value, json};

/// Columns between tab stops when a source line is shown.
const TAB_WIDTH: usize = 4;

/// How one character of a scanned file is shown in a terminal: control characters as the
/// Unicode control pictures (`\x1b` as `␛`), so a scanned file cannot drive the terminal with
/// escape sequences; C1 controls and bidirectional overrides (which reorder what is shown)
/// as `\u{..}`; tabs as spaces up to the next tab stop (`column`: display column so far).
fn display_char(c: char, column: usize, out: &mut String) {
    match c {
        '\t' => {
            let spaces = TAB_WIDTH - column % TAB_WIDTH;
            out.extend(std::iter::repeat_n(' ', spaces));
        }
        '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
        '\u{7f}' => out.push('\u{2421}'),
        '\u{80}'..='\u{9f}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// Text from a scanned file (or its path) made safe to print: see [`display_char`].
pub fn escape_for_terminal(text: &str) -> String {
    displayed_line(text).0
}

/// A source line as shown, and the display column where each of its characters starts
/// (plus one entry for the end of the line).
fn displayed_line(line: &str) -> (String, Vec<usize>) {
    let mut shown = String::with_capacity(line.len());
    let mut starts = Vec::with_capacity(line.len() + 1);
    let mut column = 0;
    for c in line.chars() {
        starts.push(column);
        let before = shown.len();
        display_char(c, column, &mut shown);
        column += unicode_width::UnicodeWidthStr::width(&shown[before..]);
    }
    starts.push(column);
    (shown, starts)
}

/// Renders one diagnostic like ruff/rustc: location, rule, message, source line with carets.
/// Carets are placed by display width (wide characters take two columns, tabs expand to tab
/// stops); text from the scanned file is escaped (see [`display_char`]).
pub fn render_diagnostic(d: &Diagnostic) -> String {
    let mut out = String::new();
    let path = escape_for_terminal(&d.path.display().to_string().replace('\\', "/"));
    let _ = writeln!(
        out,
        "{path}:{}:{}: {} [{}] {}: {}",
        d.range.start.line,
        d.range.start.column,
        d.rule_id,
        d.severity.as_str(),
        d.rule_name,
        escape_for_terminal(&d.message)
    );
    let gutter = d.range.start.line.to_string().len();
    if let Some(site) = &d.artifact {
        // A model file has no source line to show: where in it, instead.
        let member = site
            .member
            .as_deref()
            .map(|m| format!("member `{}`, ", escape_for_terminal(m)))
            .unwrap_or_default();
        let global = site
            .global
            .as_deref()
            .map(|g| format!(", global `{}`", escape_for_terminal(g)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:gutter$} = model file: {member}byte {}{global}",
            "", site.offset
        );
        return out;
    }
    let (line, starts) = displayed_line(&d.source_line);
    // Columns are 1-based characters; the line may have been cut short (long lines).
    let last = starts.len() - 1;
    let first = (d.range.start.column - 1).min(last);
    let end = if d.range.end.line == d.range.start.line {
        (d.range.end.column - 1).clamp(first, last)
    } else {
        last
    };
    let start = starts[first];
    let width = (starts[end] - start).max(1);
    let _ = writeln!(out, "{:gutter$} |", "");
    let _ = writeln!(out, "{} | {line}", d.range.start.line);
    let _ = writeln!(
        out,
        "{:gutter$} | {}{}",
        "",
        " ".repeat(start),
        "^".repeat(width)
    );
    if !d.flow.is_empty() {
        let steps: Vec<String> = d
            .flow
            .iter()
            .map(|s| format!("line {} ({})", s.line, s.note))
            .collect();
        let _ = writeln!(out, "{:gutter$} = flow: {}", "", steps.join(" -> "));
    }
    for folded in &d.also {
        let _ = writeln!(
            out,
            "{:gutter$} = also {} [{}]: {}",
            "",
            folded.rule_id,
            folded.severity.as_str(),
            folded.message
        );
    }
    if let Some(fix) = &d.fix {
        let kind = match fix.applicability {
            codeguard_rules::Applicability::Safe => "safe fix",
            codeguard_rules::Applicability::Suggested => "suggested fix",
        };
        let _ = writeln!(out, "{:gutter$} = {kind}: {}", "", fix.title);
    }
    out
}

/// The text report: every diagnostic, then a summary.
pub fn text(summary: &ScanSummary, elapsed: Duration) -> String {
    let mut out = String::new();
    for d in summary.diagnostics() {
        out.push_str(&render_diagnostic(d));
        out.push('\n');
    }
    let findings: Vec<&Diagnostic> = summary.diagnostics().collect();
    let mut by_severity: BTreeMap<std::cmp::Reverse<Severity>, usize> = BTreeMap::new();
    for d in &findings {
        *by_severity
            .entry(std::cmp::Reverse(d.severity))
            .or_default() += 1;
    }
    let files_with = summary
        .files
        .iter()
        .filter(|f| !f.diagnostics.is_empty())
        .count();
    if findings.is_empty() {
        out.push_str("No findings.\n");
    } else {
        let parts: Vec<String> = by_severity
            .iter()
            .map(|(s, n)| format!("{n} {}", s.0.as_str()))
            .collect();
        let _ = writeln!(
            out,
            "Found {} finding{} ({}) in {} file{}.",
            findings.len(),
            if findings.len() == 1 { "" } else { "s" },
            parts.join(", "),
            files_with,
            if files_with == 1 { "" } else { "s" }
        );
    }
    let fixable = findings.iter().filter(|d| d.fix.is_some()).count();
    if fixable > 0 {
        let _ = writeln!(
            out,
            "{fixable} finding(s) have a fix (see the `= fix` notes)."
        );
    }
    let _ = write!(
        out,
        "Scanned {} file(s) in {:.2}s",
        summary.scanned(),
        elapsed.as_secs_f64()
    );
    let skipped: Vec<String> = summary
        .skipped()
        .map(|f| {
            format!(
                "{} ({})",
                f.path.display(),
                skip_reason(f.skipped.as_ref().unwrap())
            )
        })
        .collect();
    if !skipped.is_empty() {
        let _ = write!(out, "; skipped {}: {}", skipped.len(), skipped.join(", "));
    }
    out.push_str(".\n");
    let suppressed: usize = summary.files.iter().map(|f| f.suppressed).sum();
    if suppressed > 0 {
        let _ = writeln!(
            out,
            "{suppressed} finding(s) suppressed by codeguard-ignore comments."
        );
    }
    for file in &summary.files {
        for (line, rule) in &file.unused_suppressions {
            let _ = writeln!(
                out,
                "warning: {}:{line}: unused suppression of `{rule}`",
                file.path.display()
            );
        }
    }
    for file in summary.unscanned() {
        let _ = writeln!(
            out,
            "warning: {}: not scanned ({}); its findings are unknown",
            file.path.display(),
            skip_reason(file.skipped.as_ref().unwrap())
        );
    }
    let syntax: Vec<String> = summary
        .files
        .iter()
        .filter(|f| f.syntax_errors)
        .map(|f| f.path.to_string_lossy().replace('\\', "/"))
        .collect();
    for note in &summary.project_notes {
        let places: Vec<String> = note
            .locations
            .iter()
            .map(|(path, n)| format!("{} ({n})", path.to_string_lossy().replace('\\', "/")))
            .collect();
        let _ = writeln!(out, "\nnote: {}", note.message);
        if !places.is_empty() {
            let _ = writeln!(out, "  most in: {}", places.join(", "));
        }
    }
    if !syntax.is_empty() {
        // Name a few: the reader can open them; a long list would bury the findings.
        const SHOWN: usize = 5;
        let more = syntax.len().saturating_sub(SHOWN);
        let _ = writeln!(
            out,
            "{} file(s) have syntax errors; they were scanned where they parsed: {}{}",
            syntax.len(),
            syntax[..syntax.len().min(SHOWN)].join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    out
}

pub fn skip_reason(reason: &SkipReason) -> String {
    match reason {
        SkipReason::Binary => "binary".into(),
        SkipReason::Generated => "minified or bundled code".into(),
        SkipReason::TooLarge(n) => format!("too large: {n} bytes"),
        SkipReason::Unreadable(e) => format!("unreadable: {e}"),
        SkipReason::TimedOut(budget) => {
            format!(
                "analysis stopped after {} s (--file-timeout)",
                budget.as_secs_f64()
            )
        }
    }
}

/// A finding as JSON.
pub fn diagnostic_json(d: &Diagnostic) -> Value {
    json!({
        "rule_id": d.rule_id,
        "rule_name": d.rule_name,
        "pack": d.pack,
        "severity": d.severity,
        "confidence": d.confidence,
        "cwe": d.cwe,
        "owasp_llm": d.owasp_llm,
        "codeguard_rule": d.codeguard,
        "message": d.message,
        "path": d.path.to_string_lossy().replace('\\', "/"),
        "range": d.range,
        "fix": d.fix,
        "flow": d.flow,
        "also": d.also,
        "artifact": d.artifact,
    })
}

/// The JSON report, with the guardrail verdict (the same object `codeguard mcp` returns).
pub fn json(
    summary: &ScanSummary,
    rules: &RuleSet,
    policy: &codeguard_engine::Policy,
) -> anyhow::Result<String> {
    let findings: Vec<Value> = summary
        .diagnostics()
        .zip(summary.fingerprints())
        .map(|(d, fp)| {
            let mut v = diagnostic_json(d);
            v["fingerprint"] = json!(fp);
            v
        })
        .collect();
    let skipped: Vec<Value> = summary
        .skipped()
        .map(|f| json!({"path": f.path.to_string_lossy(), "reason": skip_reason(f.skipped.as_ref().unwrap())}))
        .collect();
    // The verdict refers to findings by their index instead of repeating them (a report of
    // thousands of findings would otherwise carry each twice).
    let verdict = codeguard_engine::Verdict::judge(policy, summary.diagnostics(), None);
    let mut issues = Vec::new();
    for (index, d) in summary.diagnostics().enumerate() {
        let treatment = policy.treatment_of(d);
        if treatment != codeguard_engine::Treatment::Ignore {
            issues.push(json!({"finding": index, "treatment": treatment}));
        }
    }
    let value = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "verdict": {
            "is_insecure": verdict.is_insecure,
            "recommended_treatment": verdict.recommended_treatment,
            "issues": issues,
        },
        "findings": findings,
        "summary": {
            "findings": summary.diagnostics().count(),
            "files_scanned": summary.scanned(),
            "files_skipped": skipped,
            // False when files of code were not scanned: the findings may be incomplete.
            "complete": summary.unscanned().next().is_none(),
            "project_notes": summary.project_notes,
            "files_with_syntax_errors": summary
                .files
                .iter()
                .filter(|f| f.syntax_errors)
                .map(|f| f.path.to_string_lossy().replace('\\', "/"))
                .collect::<Vec<_>>(),
            "rules": rules.rules().len(),
        },
    });
    Ok(serde_json::to_string_pretty(&value)? + "\n")
}

/// A rule as JSON (for `codeguard rules --format json`).
pub fn rule_json(rule: &Rule) -> Value {
    json!({
        "id": rule.id,
        "name": rule.name,
        "pack": rule.pack,
        "severity": rule.severity,
        "confidence": rule.confidence,
        "languages": rule.languages(),
        "artifact": rule.artifact,
        "cwe": rule.metadata.cwe,
        "owasp_llm": rule.metadata.owasp_llm,
        "codeguard_rule": rule.metadata.codeguard,
        "fix": rule.has_fix(),
        "message": rule.message,
        "guidance": codeguard_guardrail::guidance::guidance(rule),
        "builtin": rule.builtin,
        "opt_in": rule.opt_in,
    })
}

/// The rules table.
pub fn rules_table(rules: &[Rule]) -> String {
    let mut out = String::new();
    let name_width = rules
        .iter()
        .map(|r| r.name.len() + if r.opt_in { 9 } else { 0 })
        .max()
        .unwrap_or(4)
        .max(4);
    let languages = |rule: &Rule| -> String {
        let langs: Vec<&str> = rule.languages().iter().map(|l| l.name()).collect();
        if rule.artifact.is_some() {
            return "model files".into();
        }
        langs.join(",")
    };
    let lang_width = rules
        .iter()
        .map(|r| languages(r).len())
        .max()
        .unwrap_or(9)
        .max(9);
    let _ = writeln!(
        out,
        "{:<11} {:<name_width$} {:<8} {:<lang_width$} {:<4} CWE",
        "ID", "NAME", "SEVERITY", "LANGUAGES", "FIX"
    );
    for rule in rules {
        let _ = writeln!(
            out,
            "{:<11} {:<name_width$} {:<8} {:<lang_width$} {:<4} {}",
            rule.id,
            if rule.opt_in {
                format!("{} (opt-in)", rule.name)
            } else {
                rule.name.clone()
            },
            rule.severity.as_str(),
            languages(rule),
            if rule.has_fix() { "yes" } else { "-" },
            rule.metadata.cwe.join(",")
        );
    }
    let _ = writeln!(
        out,
        "\n{} rules. `codeguard explain ID` shows a rule's documentation. Opt-in rules (audits) run \
         only when selected by id or name (`--select NAME`).",
        rules.len()
    );
    out
}

/// A rule's documentation for `codeguard explain`.
pub fn explain(rule: &Rule) -> String {
    let mut out = String::new();
    let langs: Vec<&str> = rule.languages().iter().map(|l| l.name()).collect();
    let _ = writeln!(out, "# {} {}\n", rule.id, rule.name);
    let _ = writeln!(out, "{}\n", rule.message.replace("{label}", "credential"));
    let _ = writeln!(
        out,
        "- Severity: {} (confidence {})",
        rule.severity.as_str(),
        rule.confidence.as_str()
    );
    let _ = writeln!(out, "- Pack: {}", rule.pack);
    if rule.opt_in {
        let _ = writeln!(
            out,
            "- Opt-in (an audit): runs only when selected by id or name (`--select {}`)",
            rule.name
        );
    }
    let _ = writeln!(
        out,
        "- In test code: {}",
        match rule.in_tests {
            codeguard_rules::InTests::Off =>
                "off (findings in test files and Rust `#[cfg(test)]` code are not reported)",
            codeguard_rules::InTests::Downgrade => "reported one severity level lower",
        }
    );
    if rule.artifact.is_some() {
        let _ = writeln!(
            out,
            "- Reads model files (pickles, PyTorch checkpoints, NumPy arrays, safetensors), not code"
        );
    } else {
        let _ = writeln!(out, "- Languages: {}", langs.join(", "));
    }
    let _ = writeln!(
        out,
        "- Guidance for assistants (`init-rules`, MCP prompts): {}",
        codeguard_guardrail::guidance::guidance(rule)
    );
    if !rule.metadata.cwe.is_empty() {
        let _ = writeln!(out, "- CWE: {}", rule.metadata.cwe.join(", "));
    }
    if !rule.metadata.owasp_llm.is_empty() {
        let _ = writeln!(
            out,
            "- OWASP LLM Top 10 (2025): {}",
            rule.metadata.owasp_llm.join(", ")
        );
    }
    if !rule.metadata.codeguard.is_empty() {
        let _ = writeln!(out, "- CodeGuard: {}", rule.metadata.codeguard.join(", "));
    }
    if !rule.metadata.equivalents.is_empty() {
        let _ = writeln!(
            out,
            "- Same check as: {} (bandit B..., ruff S...; their `# nosec` / `# noqa:` comments suppress it)",
            rule.metadata.equivalents.join(", ")
        );
    }
    out.push('\n');
    out.push_str(rule.description.trim_end());
    out.push('\n');
    out
}

fn slash_path(d: &Diagnostic) -> String {
    d.path.to_string_lossy().replace('\\', "/")
}

/// GitHub Actions workflow commands: one annotation per finding.
pub fn github(summary: &ScanSummary) -> String {
    // Workflow-command values escape %, CR and LF; properties also escape `:` and `,`.
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for file in summary.unscanned() {
        let path = file.path.to_string_lossy().replace('\\', "/");
        let _ = writeln!(
            out,
            "::warning title=codeguard (not scanned),file={}::{}",
            property(&path),
            data(&format!(
                "{path} was not scanned ({}); its findings are unknown",
                skip_reason(file.skipped.as_ref().unwrap())
            ))
        );
    }
    for d in summary.diagnostics() {
        let level = match d.severity {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low | Severity::Info => "notice",
        };
        let _ = writeln!(
            out,
            "::{level} title={},file={},line={},col={},endLine={},endColumn={}::{}",
            property(&format!("codeguard ({} {})", d.rule_id, d.rule_name)),
            property(&slash_path(d)),
            d.range.start.line,
            d.range.start.column,
            d.range.end.line,
            d.range.end.column,
            data(&d.message)
        );
    }
    for note in &summary.project_notes {
        let _ = writeln!(
            out,
            "::notice title=codeguard ({})::{}",
            property(&note.rule_id),
            data(&note.message)
        );
    }
    out
}

/// GitLab Code Quality: a JSON array with a unique fingerprint per finding.
pub fn gitlab(summary: &ScanSummary) -> anyhow::Result<String> {
    let mut occurrences: std::collections::HashMap<String, usize> =
        std::collections::HashMap::new();
    let issues: Vec<Value> = summary
        .diagnostics()
        .map(|d| {
            let key = format!("{}\0{}\0{}", d.rule_id, slash_path(d), d.source_line.trim());
            let n = occurrences.entry(key).or_default();
            *n += 1;
            json!({
                "description": format!("{}: {}", d.rule_id, d.message),
                "check_name": d.rule_id,
                "fingerprint": d.fingerprint(*n),
                "severity": match d.severity {
                    Severity::Critical => "blocker",
                    Severity::High => "critical",
                    Severity::Medium => "major",
                    Severity::Low => "minor",
                    Severity::Info => "info",
                },
                "location": {
                    "path": slash_path(d),
                    "positions": {"begin": {"line": d.range.start.line, "column": d.range.start.column}},
                },
            })
        })
        .collect();
    Ok(serde_json::to_string_pretty(&issues)? + "\n")
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// JUnit XML: one failing test case per finding, grouped by file.
pub fn junit(summary: &ScanSummary) -> String {
    let total = summary.diagnostics().count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"codeguard\" tests=\"{total}\" failures=\"{total}\">"
    );
    for file in summary.files.iter().filter(|f| !f.diagnostics.is_empty()) {
        let path = xml(&file.path.to_string_lossy().replace('\\', "/"));
        let n = file.diagnostics.len();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{path}\" tests=\"{n}\" failures=\"{n}\">"
        );
        for d in &file.diagnostics {
            let _ = writeln!(
                out,
                "    <testcase name=\"{} {} at line {}\" classname=\"{path}\">\n      <failure message=\"{}\" type=\"{}\">{}:{}:{}: {}</failure>\n    </testcase>",
                xml(&d.rule_id),
                xml(&d.rule_name),
                d.range.start.line,
                xml(&d.message),
                d.severity.as_str(),
                path,
                d.range.start.line,
                d.range.start.column,
                xml(&d.message)
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use codeguard_engine::{Position, Range};

    fn finding(line: &str, start: usize, end: usize) -> Diagnostic {
        let json = json!({
            "rule_id": "CG-CORE006", "rule_name": "code-execution", "pack": "core", "severity": "high",
            "confidence": "high", "cwe": [], "owasp_llm": [], "codeguard": [],
            "message": "`eval` runs code", "path": "a\u{1b}[2J.py",
            "range": Range {
                start: Position { line: 3, column: start },
                end: Position { line: 3, column: end },
                start_byte: 0,
                end_byte: 0,
            },
            "source_line": line, "fix": null,
        });
        serde_json::from_value(json).unwrap()
    }

    fn caret_line(rendered: &str) -> &str {
        rendered.lines().nth(3).unwrap()
    }

    #[test]
    fn control_characters_from_the_file_are_shown_not_sent() {
        let out = render_diagnostic(&finding(
            "x = \"\u{1b}]0;owned\u{7}\u{9b}\u{202e}\"; eval(x)",
            21,
            28,
        ));
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{9b}'));
        assert!(!out.contains('\u{202e}'), "{out}");
        assert!(out.starts_with("a␛[2J.py:3:21:"), "{out}");
        insta::assert_snapshot!(out, @r#"
        a␛[2J.py:3:21: CG-CORE006 [high] code-execution: `eval` runs code
          |
        3 | x = "␛]0;owned␇\u{9b}\u{202e}"; eval(x)
          |                                 ^^^^^^^
        "#);
    }

    #[test]
    fn carets_follow_display_width_and_tab_stops() {
        let carets = |indent: usize, width: usize| {
            format!("  | {}{}", " ".repeat(indent), "^".repeat(width))
        };
        // Two wide characters (two columns each) before the call: 10 characters, 12 columns.
        let out = render_diagnostic(&finding("s = \"日本\"; eval(s)", 11, 18));
        assert_eq!(caret_line(&out), carets(12, 7), "{out}");
        // A tab after two characters reaches the next stop (column 4), not 4 spaces more.
        let out = render_diagnostic(&finding("ab\teval(s)", 4, 11));
        assert!(out.contains("3 | ab  eval(s)"), "{out}");
        assert_eq!(caret_line(&out), carets(4, 7), "{out}");
        let out = render_diagnostic(&finding("\t\teval(s)", 3, 10));
        assert_eq!(caret_line(&out), carets(8, 7), "{out}");
        // A range over a wide character is two columns per character.
        let out = render_diagnostic(&finding("x = \"日本\"", 6, 8));
        assert_eq!(caret_line(&out), carets(5, 4), "{out}");
    }

    #[test]
    fn columns_past_a_cut_line_stay_on_it() {
        let out = render_diagnostic(&finding("eval(x)", 5000, 5007));
        assert_eq!(caret_line(&out), "  |        ^", "{out}");
    }
}
