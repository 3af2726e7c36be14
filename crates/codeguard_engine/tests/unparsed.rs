//! Files not parsed at all: every rule token they hold is in comments and docstrings (names
//! count only in code, a regex for a quoted string only where code opens a string). What
//! would make a parse needed keeps it: a token in code, a suppression comment that may go
//! unused, `--parse-whole`.

use std::path::Path;

use codeguard_engine::{ScanOptions, SourceReport, scan_source};
use codeguard_language::Lang;
use codeguard_rules::{Rule, RuleSet, builtin_rules, parse_rule_file};

fn scan_with(rules: Vec<Rule>, source: &str, options: &ScanOptions) -> SourceReport {
    let rules = RuleSet::new(rules);
    scan_source(&rules, Lang::Python, Path::new("m.py"), source, options).unwrap()
}

fn scan(source: &str) -> SourceReport {
    scan_with(builtin_rules().unwrap(), source, &ScanOptions::default())
}

fn parsed_whole(source: &str) -> SourceReport {
    let whole = ScanOptions {
        partial_parse_min_bytes: usize::MAX,
        ..ScanOptions::default()
    };
    scan_with(builtin_rules().unwrap(), source, &whole)
}

const DOCSTRING_ONLY_HEAD: &str = r#""""Checkpoints.

Never `torch.load(path)` a file from the internet, or `pickle.loads(blob)` it.
"""


def add(a, b):
    # yaml.load(text) would build objects too
    return a + b
"#;

/// A module (not a snippet: past 4 KB a file's tokens are searched with the automaton, which
/// also says where they are) whose rule names are all in its docstring and comments.
fn docstring_only() -> String {
    let mut text = DOCSTRING_ONLY_HEAD.to_string();
    for i in 0..100 {
        text.push_str(&format!(
            "\n\ndef total_{i}(values):\n    return sum(v * {i} for v in values)\n"
        ));
    }
    text
}

#[test]
fn a_file_whose_rule_names_are_all_in_docstrings_and_comments_is_not_parsed() {
    // The tokens make rules active: parsed whole, the file is read and holds nothing.
    let source = docstring_only();
    assert!(source.len() > 4096);
    let whole = parsed_whole(&source);
    assert!(!whole.prefiltered);
    assert_eq!(whole.parsed_bytes, source.len());
    assert!(whole.diagnostics.is_empty());

    let report = scan(&source);
    assert!(report.prefiltered);
    assert_eq!(report.parsed_bytes, 0);
    assert!(report.diagnostics.is_empty());
}

#[test]
fn a_rule_name_in_code_or_a_suppression_comment_keeps_the_parse() {
    let in_code = format!(
        "{}\nimport torch\nstate = torch.load('w.pt')\n",
        docstring_only()
    );
    let report = scan(&in_code);
    assert!(!report.prefiltered);
    assert!(report.rule_ids().contains(&"CG-ML001"), "{report:?}");

    // An unused suppression is reported: the file must be read to know it is unused.
    let suppressed = format!(
        "{}\nx = 1  # codeguard-ignore: CG-ML001 -- not a load\n",
        docstring_only()
    );
    let report = scan(&suppressed);
    assert!(!report.prefiltered);
    assert_eq!(report.unused_suppressions.len(), 1, "{report:?}");
}

const GOOD_DOCS: &str =
    "## What it does\\nx\\n## Why is this bad?\\nx\\n## Example\\nx\\n## References\\nx\\n";

/// A rule on string constants shaped like hub ids, found by a regex that opens with a quote.
fn hub_id_rule() -> Vec<Rule> {
    let text = format!(
        "rules:\n  - id: T-1\n    name: hub-id\n    message: m\n    severity: high\n    description: \"{GOOD_DOCS}\"\n    matchers:\n      - language: python\n        query: \"(string) @finding\"\n        prefilter-regex: ['\"[a-z]+/[a-z]+\"']\n        where:\n          - text: {{capture: finding, matches: '^\"[a-z]+/[a-z]+\"$'}}\n"
    );
    parse_rule_file(&text, Path::new("r.yaml"), "t", false, None).unwrap()
}

#[test]
fn a_quoted_string_regex_hits_only_where_code_opens_a_string() {
    let docstring =
        "\"\"\"Load it with `fetch(\"org/model\")`.\"\"\"\n# or fetch(\"org/other\")\n\nx = 1\n";
    let padding: String = (0..100)
        .map(|i| format!("\n\ndef total_{i}(values):\n    return sum(v * {i} for v in values)\n"))
        .collect();
    let only_examples = format!("{docstring}{padding}");
    let report = scan_with(hub_id_rule(), &only_examples, &ScanOptions::default());
    assert!(report.prefiltered, "{report:?}");

    let constant = format!("{docstring}MODEL = \"org/model\"\n{padding}");
    let report = scan_with(hub_id_rule(), &constant, &ScanOptions::default());
    assert!(!report.prefiltered);
    assert_eq!(report.diagnostics.len(), 1, "{report:?}");
    assert_eq!(report.diagnostics[0].range.start.line, 5);
}

/// CG-SEC002's regex finds every `<word with token, key, auth...> = "<literal>"`; a binding
/// whose whole name is no secret's (`tokenizer_class`, `author`) needs no parse, a secret's
/// still does, as a binding or a quoted key.
#[test]
fn a_binding_whose_name_is_no_secrets_is_not_parsed() {
    let mut source = String::from("\"\"\"Settings.\"\"\"\n\n");
    for i in 0..60 {
        source.push_str(&format!(
            "\ndef configure_{i}(config):\n    config.tokenizer_class = \"BertTokenizer\"\n    \
             config.author = \"Jane Doe\"\n    return config\n"
        ));
    }
    assert!(source.len() > 4096);
    let report = scan(&source);
    assert!(report.prefiltered, "{report:?}");
    assert_eq!(report.parsed_bytes, 0);

    for secret in [
        "    config.db_password = \"hunter2-prod\"\n",
        "    headers = {\"client_secret\": \"hunter2-prod-2f9c1a7d3e8b\"}\n",
    ] {
        let with_secret = source.replacen(
            "    return config\n",
            &format!("{secret}    return config\n"),
            1,
        );
        let report = scan(&with_secret);
        assert!(
            report.rule_ids().contains(&"CG-SEC002"),
            "{secret}: {report:?}"
        );
        assert!(report.parsed_bytes < with_secret.len(), "parsed in parts");
    }
}
