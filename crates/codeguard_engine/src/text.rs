//! Text files ([`Lang::Text`]: `.env`, YAML, TOML, shell scripts, Markdown, ...): no grammar,
//! no syntax tree. The matchers declared for `language: text` are credential detectors
//! (`string` conditions); each token they find is a finding, located by its byte range.
//!
//! The same prefilter as for code runs first (the detectors' literal prefixes over the raw
//! bytes), so the regexes only run on the few text files that may hold a credential.

use std::path::Path;

use codeguard_language::Lang;
use codeguard_rules::{Condition, MatcherRef, RuleError, RuleSet};

use crate::diagnostic::{Diagnostic, Range};
use crate::scan::{
    LineIndex, MAX_FINDINGS_PER_FILE, ScanOptions, SourceReport, capped_line_at, credential_hits,
    finalize,
};

/// Scans a text file with the rules' `language: text` matchers.
pub(crate) fn scan_text(
    rules: &RuleSet,
    lang: Lang,
    path: &Path,
    source: &str,
    options: &ScanOptions,
) -> Result<SourceReport, RuleError> {
    let plan = rules.plan(lang)?;
    let mut report = SourceReport::default();
    let active = plan.active_slots(source.as_bytes());
    if !active.iter().any(|a| *a) {
        report.prefiltered = true;
        return Ok(report);
    }
    let lines = LineIndex::new(source);
    let mut found: Vec<(MatcherRef, Diagnostic)> = Vec::new();
    for mref in plan.matchers.iter().filter(|m| active[m.slot]) {
        let rule = &rules.rules()[mref.rule];
        let matcher = &rule.matchers[mref.matcher];
        for condition in &matcher.conditions {
            let Condition::String(test) = condition else {
                continue;
            };
            for (range, label) in credential_hits(test, source) {
                if found.len() >= 2 * MAX_FINDINGS_PER_FILE {
                    report.dropped += 1;
                    continue;
                }
                let mut d = Diagnostic::for_matcher(rule, matcher, label, path);
                let start = lines.position(source, range.start);
                d.range = Range {
                    start,
                    end: lines.position(source, range.end),
                    start_byte: range.start,
                    end_byte: range.end,
                };
                let line_start = lines.line_start(start.line);
                d.source_line = capped_line_at(source, range.start, range.start - line_start);
                found.push((*mref, d));
            }
        }
    }
    let (diagnostics, dropped) = finalize(rules, found);
    report.diagnostics = diagnostics;
    report.dropped += dropped;
    crate::scan::apply_inline_suppressions(&mut report, rules, options, source, || {
        crate::suppress::parse_text(source)
    });
    crate::scan::once_per_file(rules, &mut report.diagnostics);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use codeguard_rules::builtin_rules;

    fn scan(name: &str, source: &str) -> SourceReport {
        let rules = RuleSet::new(
            builtin_rules()
                .unwrap()
                .into_iter()
                .filter(|r| r.id == "CG-SEC001")
                .collect(),
        );
        crate::scan_source(
            &rules,
            Lang::Text,
            Path::new(name),
            source,
            &ScanOptions::default(),
        )
        .unwrap()
    }

    // Made up, and split so that this file holds no key.
    const KEY: &str = concat!("ghp_", "Q7rT2wX9zL4mN8bV3cK6yH1jF5dS0aP2eR4u");

    #[test]
    fn reports_the_token_with_its_line_column_and_bytes() {
        let source = format!("# settings\nNAME=demo\nGITHUB_TOKEN={KEY}\n");
        let report = scan(".env", &source);
        assert_eq!(report.diagnostics.len(), 1, "{:?}", report.diagnostics);
        let d = &report.diagnostics[0];
        assert_eq!(d.rule_id, "CG-SEC001");
        assert_eq!((d.range.start.line, d.range.start.column), (3, 14));
        assert_eq!(&source[d.range.start_byte..d.range.end_byte], KEY);
        assert_eq!(d.source_line, format!("GITHUB_TOKEN={KEY}"));
        assert!(d.message.contains("GitHub token"), "{}", d.message);
    }

    #[test]
    fn placeholders_and_plain_text_are_not_flagged() {
        let report = scan(
            "config.yaml",
            "openai_key: sk-...\ntoken: ${GITHUB_TOKEN}\nkey: <your key>\n",
        );
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        assert!(scan("notes.txt", "nothing to see here\n").prefiltered);
    }

    #[test]
    fn notebooks_are_read_as_text() {
        let source = format!(
            "{{\"cells\": [{{\"cell_type\": \"code\", \"source\": [\n    \"import os\\n\",\n    \"os.environ[\\\"GITHUB_TOKEN\\\"] = \\\"{KEY}\\\"\\n\"\n]}}]}}\n"
        );
        let report = scan("demo.ipynb", &source);
        assert_eq!(report.diagnostics.len(), 1, "{source}");
        let d = &report.diagnostics[0];
        assert_eq!(d.range.start.line, 3);
        assert_eq!(&source[d.range.start_byte..d.range.end_byte], KEY);
    }

    #[test]
    fn suppressions_on_the_line_or_above() {
        let above = format!("# codeguard-ignore: CG-SEC001 -- revoked demo key\nT={KEY}\n");
        let report = scan(".env", &above);
        assert!(report.diagnostics.is_empty());
        assert_eq!(report.suppressed, 1);
        let same = format!("T={KEY}  # codeguard-ignore: CG-SEC001 -- revoked\n");
        assert_eq!(scan(".env", &same).suppressed, 1);
        let other_rule = format!("T={KEY}  # codeguard-ignore: CG-SEC002\n");
        let report = scan(".env", &other_rule);
        assert_eq!(report.diagnostics.len(), 1);
        assert_eq!(
            report.unused_suppressions,
            vec![(1, "CG-SEC002".to_string())]
        );
    }
}
