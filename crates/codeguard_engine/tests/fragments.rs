//! Snippets without imports (what assistants often paste): a well-known module used but never
//! imported is matched as that module, one confidence level lower; the same name bound to
//! something else in the file is not the module.

use std::path::Path;

use codeguard_engine::{ScanOptions, scan_source};
use codeguard_language::Lang;
use codeguard_rules::{Confidence, RuleSet, builtin_rules};

fn findings(source: &str) -> Vec<(usize, String, Confidence)> {
    let rules = RuleSet::new(builtin_rules().unwrap());
    let report = scan_source(
        &rules,
        Lang::Python,
        Path::new("snippet.py"),
        source,
        &ScanOptions::default(),
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
