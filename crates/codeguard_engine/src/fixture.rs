//! Rule fixtures: source files beside a rule, annotated semgrep-style. A comment containing
//! `ruleid: <id or name>` says the next code line must be flagged by that rule; `ok: <id>`
//! says it must not. `codeguard test` and the pack test both run these checks.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codeguard_language::Lang;
use codeguard_rules::{Rule, RuleSet};

use crate::scan::{ScanOptions, scan_source};

/// The outcome of one fixture file.
#[derive(Debug)]
pub struct FixtureResult {
    pub rule_id: String,
    pub path: PathBuf,
    /// Lines annotated `ruleid:` that the rule did not flag.
    pub missed: Vec<usize>,
    /// Lines the rule flagged without a `ruleid:` annotation.
    pub unexpected: Vec<usize>,
    /// Problems with the fixture itself (no annotations, unreadable...).
    pub problems: Vec<String>,
    pub expected_count: usize,
    pub ok_count: usize,
}

impl FixtureResult {
    pub fn passed(&self) -> bool {
        self.missed.is_empty() && self.unexpected.is_empty() && self.problems.is_empty()
    }
}

struct Annotations {
    ruleid: BTreeSet<usize>,
    ok: BTreeSet<usize>,
}

fn annotations(source: &str, lang: Lang, rule: &Rule) -> Annotations {
    let marker = lang.line_comment();
    let lines: Vec<&str> = source.lines().collect();
    let names_rule = |list: &str| {
        list.split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .any(|k| k.eq_ignore_ascii_case(&rule.id) || k.eq_ignore_ascii_case(&rule.name))
    };
    let is_annotation = |line: &str| {
        let t = line.trim_start();
        t.starts_with(marker) && (t.contains("ruleid:") || t.contains("ok:"))
    };
    let mut result = Annotations {
        ruleid: BTreeSet::new(),
        ok: BTreeSet::new(),
    };
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if !trimmed.starts_with(marker) {
            continue;
        }
        let body = trimmed[marker.len()..].trim();
        let (kind, list) = if let Some(rest) = body.strip_prefix("ruleid:") {
            (true, rest)
        } else if let Some(rest) = body.strip_prefix("ok:") {
            (false, rest)
        } else {
            continue;
        };
        if !names_rule(list) {
            continue;
        }
        // The annotated line is the next line that is not itself an annotation.
        let Some(target) = (i + 1..lines.len()).find(|j| !is_annotation(lines[*j])) else {
            continue;
        };
        if kind {
            result.ruleid.insert(target + 1);
        } else {
            result.ok.insert(target + 1);
        }
    }
    result
}

/// Checks one fixture against one rule (scanned alone, so other rules cannot interfere).
pub fn check_fixture(
    rule_set: &RuleSet,
    rule: &Rule,
    lang: Lang,
    path: &Path,
    source: &str,
) -> FixtureResult {
    let notes = annotations(source, lang, rule);
    let mut result = FixtureResult {
        rule_id: rule.id.clone(),
        path: path.to_path_buf(),
        missed: Vec::new(),
        unexpected: Vec::new(),
        problems: Vec::new(),
        expected_count: notes.ruleid.len(),
        ok_count: notes.ok.len(),
    };
    if notes.ruleid.is_empty() {
        result.problems.push(format!(
            "no `ruleid: {}` annotation: a fixture must show code the rule flags",
            rule.id
        ));
    }
    if notes.ok.is_empty() {
        result.problems.push(format!(
            "no `ok: {}` annotation: a fixture must show look-alikes the rule leaves alone",
            rule.id
        ));
    }
    let report = match scan_source(rule_set, lang, path, source, &ScanOptions::default()) {
        Ok(report) => report,
        Err(e) => {
            result.problems.push(e.to_string());
            return result;
        }
    };
    let flagged: BTreeSet<usize> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule_id == rule.id)
        .map(|d| d.range.start.line)
        .collect();
    result.missed = notes.ruleid.difference(&flagged).copied().collect();
    result.unexpected = flagged.difference(&notes.ruleid).copied().collect();
    result
}

/// Finds the fixtures of `rule` (`<dir>/<file stem>.<ext>` for each language it covers)
/// and checks each. A missing fixture is a failed result.
pub fn check_rule_fixtures(rule: &Rule, rule_file: &Path, single: RuleSet) -> Vec<FixtureResult> {
    let mut results = Vec::new();
    for lang in rule.languages() {
        let path = rule_file.with_extension(lang.fixture_extension());
        match std::fs::read_to_string(&path) {
            Ok(source) => results.push(check_fixture(&single, rule, lang, &path, &source)),
            Err(e) => results.push(FixtureResult {
                rule_id: rule.id.clone(),
                path: path.clone(),
                missed: Vec::new(),
                unexpected: Vec::new(),
                problems: vec![format!("cannot read the {lang} fixture: {e}")],
                expected_count: 0,
                ok_count: 0,
            }),
        }
    }
    results
}
