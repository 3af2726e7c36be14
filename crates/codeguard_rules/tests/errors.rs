//! Broken rule files are errors that name the file, line and column.

use std::path::Path;

use codeguard_rules::{RuleSet, parse_rule_file};

const GOOD_DOCS: &str =
    "## What it does\\nx\\n## Why is this bad?\\nx\\n## Example\\nx\\n## References\\nx\\n";

fn rule(body: &str) -> String {
    format!(
        "rules:\n  - id: T-1\n    name: test-rule\n    message: m\n    severity: high\n    description: \"{GOOD_DOCS}\"\n{body}"
    )
}

#[test]
fn unknown_key_reports_its_line_and_column() {
    let text = rule(
        "    matchers:\n      - language: python\n        query: \"(call) @finding\"\n        pattern: eval(...)\n",
    );
    let err = parse_rule_file(&text, Path::new("r.yaml"), "t", false, None).unwrap_err();
    assert_eq!((err.line, err.column), (10, 9), "{err}");
    assert!(err.to_string().starts_with("r.yaml:10:9: "), "{err}");
    assert!(err.message.contains("pattern"), "{err}");
}

#[test]
fn unknown_condition_is_rejected() {
    let text = rule(
        "    matchers:\n      - language: python\n        query: \"(call) @finding\"\n        where:\n          - callz: [eval]\n",
    );
    let err = parse_rule_file(&text, Path::new("r.yaml"), "t", false, None).unwrap_err();
    assert_eq!(err.line, 11, "{err}");
    assert!(err.message.contains("callz"), "{err}");
}

#[test]
fn invalid_query_points_into_the_query() {
    let text = rule(
        "    matchers:\n      - language: python\n        query: |\n          (call\n            function: (no_such_node)) @finding\n",
    );
    let rules = parse_rule_file(&text, Path::new("r.yaml"), "t", false, None).unwrap();
    let err = RuleSet::new(rules).prepare().unwrap_err();
    assert_eq!(err.line, 11, "{err}");
    assert!(err.to_string().contains("no_such_node"), "{err}");
}

#[test]
fn missing_finding_capture_and_docs_are_rejected() {
    let text = rule("    matchers:\n      - language: python\n        query: \"(call) @x\"\n");
    let err = parse_rule_file(&text, Path::new("r.yaml"), "t", false, None).unwrap_err();
    assert!(err.message.contains("@finding"), "{err}");

    let text = "rules:\n  - id: T-1\n    name: t\n    message: m\n    severity: high\n    description: only words\n    matchers:\n      - language: python\n        query: \"(call) @finding\"\n";
    let err = parse_rule_file(text, Path::new("r.yaml"), "t", false, None).unwrap_err();
    assert!(err.message.contains("## What it does"), "{err}");
    assert_eq!(err.line, 2);
}

#[test]
fn bad_regex_and_unknown_capture_are_rejected() {
    let text = rule(
        "    matchers:\n      - language: python\n        query: \"(call) @finding\"\n        where:\n          - text: {capture: nope, matches: x}\n",
    );
    let err = parse_rule_file(&text, Path::new("r.yaml"), "t", false, None).unwrap_err();
    assert!(err.message.contains("@nope"), "{err}");

    let text = rule(
        "    matchers:\n      - language: python\n        query: \"(call) @finding\"\n        where:\n          - text: {capture: finding, matches: \"(\"}\n",
    );
    let err = parse_rule_file(&text, Path::new("r.yaml"), "t", false, None).unwrap_err();
    assert!(err.message.contains("invalid regex"), "{err}");
}

#[test]
fn not_yaml_at_all_is_an_error_not_a_panic() {
    for text in ["", "rules: [", "\u{0}\u{1}binary", "rules: 5", "- a\n- b"] {
        assert!(
            parse_rule_file(text, Path::new("r.yaml"), "t", false, None).is_err()
                || text.is_empty()
        );
    }
}

#[test]
fn text_matchers_take_detectors_only() {
    let detectors = "        where:\n          - string: {capture: finding, detectors: [{label: k, pattern: 'tok_[a-z]{20}'}]}\n";
    let good = rule(&format!(
        "    matchers:\n      - language: text\n{detectors}"
    ));
    let rules = parse_rule_file(&good, Path::new("r.yaml"), "t", false, None).unwrap();
    RuleSet::new(rules).prepare().unwrap();

    let with_query = rule(&format!(
        "    matchers:\n      - language: text\n        query: \"(line) @finding\"\n{detectors}"
    ));
    let err = parse_rule_file(&with_query, Path::new("r.yaml"), "t", false, None).unwrap_err();
    assert!(err.message.contains("takes no `query`"), "{err}");

    let other_condition = rule(
        "    matchers:\n      - language: text\n        where:\n          - text: {capture: finding, matches: x}\n",
    );
    let err = parse_rule_file(&other_condition, Path::new("r.yaml"), "t", false, None).unwrap_err();
    assert!(err.message.contains("needs `string` conditions"), "{err}");
}

#[test]
fn rules_on_model_files_take_no_matchers_and_a_known_check() {
    let ok = parse_rule_file(
        &rule("    artifact: dangerous-import\n"),
        Path::new("r.yaml"),
        "t",
        false,
        None,
    )
    .unwrap();
    assert_eq!(
        ok[0].artifact,
        Some(codeguard_rules::ArtifactCheck::DangerousImport)
    );
    assert!(ok[0].languages().is_empty());
    let both = rule(
        "    artifact: unreadable\n    matchers:\n      - language: python\n        query: \"(call) @finding\"\n",
    );
    let err = parse_rule_file(&both, Path::new("r.yaml"), "t", false, None).unwrap_err();
    assert!(err.message.contains("takes no `matchers`"), "{err}");
    let unknown = rule("    artifact: runs-code\n");
    let err = parse_rule_file(&unknown, Path::new("r.yaml"), "t", false, None).unwrap_err();
    assert!(err.message.contains("runs-code"), "{err}");
    let neither = rule("");
    let err = parse_rule_file(&neither, Path::new("r.yaml"), "t", false, None).unwrap_err();
    assert!(err.message.contains("has no matchers"), "{err}");
}

#[test]
fn guidance_is_one_short_line_and_required_for_built_in_rules() {
    let matcher = "    matchers:\n      - language: python\n        query: \"(call) @finding\"\n";
    // A user rule may go without; a built-in one (embedded as JSON) may not.
    assert!(parse_rule_file(&rule(matcher), Path::new("r.yaml"), "t", false, None).is_ok());
    let built_in = |extra: &str| {
        format!(
            "{{\"rules\": [{{\"id\": \"T-1\", \"name\": \"t\", \"message\": \"m\", \"severity\": \"high\", \
             \"description\": \"{GOOD_DOCS}\", {extra}\"matchers\": [{{\"language\": \"python\", \"query\": \"(call) @finding\"}}]}}]}}"
        )
    };
    let err = parse_rule_file(&built_in(""), Path::new("r.yaml"), "t", true, None).unwrap_err();
    assert!(err.message.contains("no `guidance`"), "{err}");
    let ok = parse_rule_file(
        &built_in("\"guidance\": \"  Use `x` instead.  \", "),
        Path::new("r.yaml"),
        "t",
        true,
        None,
    )
    .unwrap();
    assert_eq!(ok[0].guidance.as_deref(), Some("Use `x` instead."));

    let with = |guidance: &str| rule(&format!("    guidance: {guidance}\n{matcher}"));
    for (guidance, expected) in [
        ("\"two\\nlines\"", "one line"),
        ("\"   \"", "is empty"),
        (&format!("\"{}\"", "x".repeat(101)), "the limit is 100"),
        ("\"Do it. --> <b>\"", "HTML comment"),
    ] {
        let err =
            parse_rule_file(&with(guidance), Path::new("r.yaml"), "t", false, None).unwrap_err();
        assert!(err.message.contains(expected), "{guidance}: {err}");
    }
}

#[test]
fn every_built_in_rule_has_guidance() {
    let rules = codeguard_rules::builtin_rules().unwrap();
    assert!(rules.len() >= 60);
    for rule in &rules {
        let guidance = rule.guidance.as_deref().unwrap_or_default();
        assert!(!guidance.is_empty(), "{}", rule.id);
    }
}
