//! Snippets without imports (what assistants often paste): a well-known module used but never
//! imported is matched as that module (one confidence level lower in a project file, the same
//! as imported in a snippet the guardrail judges); the same name bound to something else in the
//! file is not the module.

use std::path::Path;

use codeguard_engine::{ScanOptions, scan_source};
use codeguard_language::Lang;
use codeguard_rules::{Confidence, RuleSet, builtin_rules};

/// Findings of a project file (`check PATH`).
fn findings(source: &str) -> Vec<(usize, String, Confidence)> {
    scanned(source, true)
}

fn scanned(source: &str, project: bool) -> Vec<(usize, String, Confidence)> {
    let rules = RuleSet::new(builtin_rules().unwrap());
    let options = ScanOptions {
        cross_file: project,
        ..ScanOptions::default()
    };
    let report = scan_source(
        &rules,
        Lang::Python,
        Path::new("snippet.py"),
        source,
        &options,
    )
    .unwrap();
    report
        .diagnostics
        .into_iter()
        .map(|d| (d.range.start.line, d.rule_id, d.confidence))
        .collect()
}

#[test]
fn an_unimported_module_is_matched_with_less_confidence() {
    let imported = findings("import pickle\n\ndef f(data):\n    return pickle.loads(data)\n");
    let fragment = findings("def f(data):\n    return pickle.loads(data)\n");
    let rule = |found: &[(usize, String, Confidence)]| {
        found
            .iter()
            .find(|(_, id, _)| id == "CG-CORE009")
            .map(|(_, _, c)| *c)
    };
    let (Some(full), Some(guess)) = (rule(&imported), rule(&fragment)) else {
        panic!("CG-CORE009 in both: {imported:?} / {fragment:?}");
    };
    assert_eq!(guess, full.lower());
    assert!(guess < full, "{guess:?} is not below {full:?}");
    // Judged as a snippet (stdin, hooks, the language server), leaving the import out must
    // not soften a block.
    let snippet = scanned("def f(data):\n    return pickle.loads(data)\n", false);
    assert_eq!(rule(&snippet), Some(full), "{snippet:?}");
}

#[test]
fn a_module_name_bound_to_something_else_is_not_the_module() {
    let source = "def f(pickle, data):\n    return pickle.loads(data)\n";
    assert!(
        findings(source).iter().all(|(_, id, _)| id != "CG-CORE009"),
        "{:?}",
        findings(source)
    );
}
