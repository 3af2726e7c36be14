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
    // Large files are parsed only where the rules' tokens point (see `partial`): the fixture,
    // parsed so whatever its size, must give the same findings.
    let in_parts = ScanOptions {
        partial_parse_min_bytes: 0,
        ..ScanOptions::default()
    };
    if let Ok(parts) = scan_source(rule_set, lang, path, source, &in_parts) {
        let lines = |r: &crate::SourceReport| -> Vec<(usize, String)> {
            r.diagnostics
                .iter()
                .map(|d| (d.range.start.line, d.message.clone()))
                .collect()
        };
        if lines(&parts) != lines(&report)
            || parts.unused_suppressions != report.unused_suppressions
        {
            result.problems.push(format!(
                "parsed in parts (as a large file is), the findings differ: lines {:?} instead of {:?}",
                lines(&parts).iter().map(|l| l.0).collect::<Vec<_>>(),
                lines(&report).iter().map(|l| l.0).collect::<Vec<_>>()
            ));
        }
    }
    result.missed = notes.ruleid.difference(&flagged).copied().collect();
    result.unexpected = flagged.difference(&notes.ruleid).copied().collect();
    result
}

/// Finds the fixtures of `rule` (`<dir>/<file stem>.<ext>` for each language it covers, plus
/// variants `<dir>/<file stem>.<variant>.<ext>` for look-alikes that need a file of their own,
/// such as a file without any MCP import) and checks each. A missing fixture is a failed result.
pub fn check_rule_fixtures(rule: &Rule, rule_file: &Path, single: RuleSet) -> Vec<FixtureResult> {
    let mut results = Vec::new();
    if rule.artifact.is_some() {
        results.extend(check_model_file_fixtures(rule, rule_file, &single));
    }
    for lang in rule.languages() {
        let main = rule_file.with_extension(lang.fixture_extension());
        let mut paths = vec![main.clone()];
        if lang.has_grammar() {
            paths.extend(fixture_variants(rule_file, lang.fixture_extension()));
            // A JavaScript matcher also runs on TypeScript and TSX: their fixtures are
            // optional (`<stem>.ts`, `<stem>.<variant>.tsx`).
            for other in Lang::ALL
                .into_iter()
                .filter(|l| *l != lang && lang.runs_on(*l))
            {
                let ext = other.fixture_extension();
                paths.extend(
                    std::iter::once(rule_file.with_extension(ext))
                        .filter(|p| p.is_file())
                        .chain(fixture_variants(rule_file, ext)),
                );
            }
        } else {
            paths.extend(text_fixtures(rule_file).into_iter().filter(|p| *p != main));
        }
        for path in paths {
            match std::fs::read_to_string(&path) {
                Ok(source) => {
                    let file_lang = Lang::from_path(&path).filter(|l| lang.runs_on(*l));
                    let mut result =
                        check_fixture(&single, rule, file_lang.unwrap_or(lang), &path, &source);
                    // The main fixture shows what the rule flags; a variant may hold only
                    // look-alikes, but must assert something.
                    if path == main && result.expected_count == 0 {
                        result.problems.push(format!(
                            "no `ruleid: {}` annotation: a fixture must show code the rule flags",
                            rule.id
                        ));
                    } else if result.expected_count + result.ok_count == 0 {
                        result.problems.push(format!(
                            "no `ruleid: {0}` or `ok: {0}` annotation in this fixture variant",
                            rule.id
                        ));
                    }
                    results.push(result);
                }
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
    }
    results
}

/// The fixtures of a rule on model files (`artifact:`): `<stem>.<case>.<ext>` beside it for any
/// model file extension (`.pkl`, `.pt`, `.npy`, ...). Each must be flagged by the rule unless
/// its case starts with `ok`, which must not be; a rule needs at least one of each.
fn check_model_file_fixtures(
    rule: &Rule,
    rule_file: &Path,
    single: &RuleSet,
) -> Vec<FixtureResult> {
    let files = files_beside(rule_file, |path, _| crate::artifact::is_model_file(path));
    let mut results = Vec::new();
    let (mut flagged_cases, mut ok_cases) = (0, 0);
    let stem = rule_file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ok = name[stem.len()..].trim_start_matches('.').starts_with("ok");
        let found: Vec<String> = crate::artifact::scan_model_file(single, &path)
            .diagnostics
            .into_iter()
            .filter(|d| d.rule_id == rule.id)
            .map(|d| d.message)
            .collect();
        let mut problems = Vec::new();
        if ok {
            ok_cases += 1;
            if !found.is_empty() {
                problems.push(format!(
                    "an `ok` model file was flagged: {}",
                    found.join("; ")
                ));
            }
        } else {
            flagged_cases += 1;
            if found.is_empty() {
                problems.push(format!("{} did not flag this model file", rule.id));
            }
        }
        results.push(FixtureResult {
            rule_id: rule.id.clone(),
            path,
            missed: Vec::new(),
            unexpected: Vec::new(),
            problems,
            expected_count: usize::from(!ok),
            ok_count: usize::from(ok),
        });
    }
    if flagged_cases == 0 || ok_cases == 0 {
        results.push(FixtureResult {
            rule_id: rule.id.clone(),
            path: rule_file.to_path_buf(),
            missed: Vec::new(),
            unexpected: Vec::new(),
            problems: vec![format!(
                "a rule on model files needs a model file it flags and one it leaves alone \
                 (`{stem}.<case>.pkl` and `{stem}.ok-<case>.pkl`, or another model extension)"
            )],
            expected_count: flagged_cases,
            ok_count: ok_cases,
        });
    }
    results
}

/// The text fixtures beside `rule_file`: `<stem>.<ext>` and `<stem>.<variant>.<ext>` for any
/// text file kind (`.env`, `.toml`, `.sh`, `.dockerfile`, ...), sorted. The rule file itself and
/// its documentation (`<stem>.md`) are not fixtures; YAML and Markdown fixtures are therefore
/// named `<stem>.fixture.yaml` and `<stem>.fixture.md`.
pub fn text_fixtures(rule_file: &Path) -> Vec<PathBuf> {
    let docs = rule_file.with_extension("md");
    files_beside(rule_file, |path, _| {
        path != rule_file
            && path != docs
            && !codeguard_rules::load::is_rule_file(path)
            && Lang::from_path(path) == Some(Lang::Text)
    })
}

/// The files beside `rule_file` whose names start with its stem and a dot and that `keep`
/// accepts (given the path and the name after `<stem>.`), sorted.
fn files_beside(rule_file: &Path, keep: impl Fn(&Path, &str) -> bool) -> Vec<PathBuf> {
    let (Some(dir), Some(stem)) = (
        rule_file.parent(),
        rule_file.file_stem().and_then(|s| s.to_str()),
    ) else {
        return Vec::new();
    };
    let prefix = format!("{stem}.");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|name| name.strip_prefix(&prefix))
                .is_some_and(|rest| keep(p, rest))
        })
        .collect();
    files.sort();
    files
}

/// `<stem>.<variant>.<ext>` beside `rule_file`, sorted.
fn fixture_variants(rule_file: &Path, ext: &str) -> Vec<std::path::PathBuf> {
    let suffix = format!(".{ext}");
    files_beside(rule_file, |_, rest| {
        rest.len() > suffix.len()
            && rest.ends_with(&suffix)
            // `x.mcp.json` is the JSON fixture, not a variant of a `.json` one.
            && !rest[..rest.len() - suffix.len()].ends_with(".mcp")
            && rest[..rest.len() - suffix.len()]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}
