//! Taint specifications written by users: propagators and source sets declared in rule files
//! change what the flow engine reports.

use std::path::Path;

use codeguard_engine::{ScanOptions, scan_source};
use codeguard_language::Lang;
use codeguard_rules::{RuleSet, parse_rule_file};

const DOCS: &str = "## What it does\nx\n## Why is this bad?\nx\n## Example\nx\n## Use instead\nx\n## References\nx\n";

fn rule(taint_extra: &str) -> String {
    format!(
        "rules:\n  - id: ACME-1\n    name: acme-eval\n    message: \"{{source}} reaches {{sink}}\"\n    severity: high\n    \
         matchers:\n      - language: python\n        query: \"(module) @finding\"\n        taint:\n          \
         sources:\n            - label: an answer\n              where: [{{calls: [acme.llm.ask]}}]\n          \
         sinks:\n            - label: eval\n              where: [{{calls: [eval]}}]\n              args: [0]\n{taint_extra}"
    )
}

fn lines(rule_text: &str, code: &str) -> Vec<usize> {
    let rules = parse_rule_file(rule_text, Path::new("acme.yaml"), "acme", false, Some(DOCS))
        .unwrap_or_else(|e| panic!("{e}"));
    let set = RuleSet::new(rules);
    let report = scan_source(
        &set,
        Lang::Python,
        Path::new("app.py"),
        code,
        &ScanOptions::default(),
    )
    .unwrap();
    report
        .diagnostics
        .iter()
        .map(|d| d.range.start.line)
        .collect()
}

const CODE: &str = "from acme import llm\nfrom acme.text import render\n\n\ndef run(q):\n    answer = llm.ask(q)\n    \
                    code = render(answer)\n    eval(code)\n    eval(str(answer))\n";

#[test]
fn declared_propagators_carry_taint_through_unknown_calls() {
    // `str` is a built-in propagator; `render` is unknown, so its result is clean...
    assert_eq!(lines(&rule(""), CODE), [9]);
    // ...until the rule says it carries its argument.
    let with = rule("          propagators:\n            - where: [{calls: [acme.text.render]}]\n");
    assert_eq!(lines(&with, CODE), [8, 9]);
}

#[test]
fn a_rule_file_can_declare_and_use_its_own_source_set() {
    let text = format!(
        "source-sets:\n  - id: acme-answers\n    matchers:\n      - language: python\n        sources:\n          \
         - label: an answer\n            where: [{{calls: [acme.llm.ask]}}]\n{}",
        rule("").replace(
            "          sources:\n            - label: an answer\n              where: [{calls: [acme.llm.ask]}]\n",
            "          source-set: acme-answers\n"
        )
    );
    assert!(text.contains("source-set: acme-answers"), "{text}");
    assert_eq!(lines(&text, CODE), [9]);
}
