//! Test files named by the front end (`ScanOptions::test_files`): rules off in tests
//! (`in-tests: off`) do not run on them, the others do, and a suppression of a rule left out
//! is not reported unused.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codeguard_engine::{ScanOptions, SourceReport, scan_source};
use codeguard_language::Lang;
use codeguard_rules::{RuleSet, builtin_rules};

const LOAD: &str = "import pickle\n\ndef restore(data):\n    return pickle.loads(data)\n";

const LOAD_SUPPRESSED: &str = "import pickle\n\ndef restore(data):\n    \
    return pickle.loads(data)  # codeguard-ignore: CG-CORE009 -- a fixture of the suite\n";

const LLM_EXEC: &str = "from openai import OpenAI\n\nclient = OpenAI()\n\n\
    def run(question):\n    \
    resp = client.chat.completions.create(model=\"m\", messages=[{\"role\": \"user\", \"content\": question}])\n    \
    code = resp.choices[0].message.content\n    \
    exec(code)\n    \
    return torch.load(question)\n";

fn scan(path: &str, source: &str, tests: &[&str]) -> SourceReport {
    let rules = RuleSet::new(builtin_rules().unwrap());
    let test_files: HashSet<PathBuf> = tests.iter().map(PathBuf::from).collect();
    let options = ScanOptions {
        test_files: Some(Arc::new(test_files)),
        ..ScanOptions::default()
    };
    scan_source(&rules, Lang::Python, Path::new(path), source, &options).unwrap()
}

#[test]
fn rules_off_in_tests_do_not_run_on_test_files() {
    let elsewhere = scan("tests/test_load.py", LOAD, &["tests/other.py"]);
    assert!(
        elsewhere.rule_ids().contains(&"CG-CORE009"),
        "{elsewhere:?}"
    );
    let in_tests = scan("tests/test_load.py", LOAD, &["tests/test_load.py"]);
    assert!(in_tests.diagnostics.is_empty(), "{in_tests:?}");
    // Nothing else to look for: the file is not even parsed.
    assert!(in_tests.prefiltered, "{in_tests:?}");
    assert_eq!(in_tests.parsed_bytes, 0);
}

#[test]
fn rules_on_in_tests_still_run_on_test_files() {
    let report = scan("tests/test_llm.py", LLM_EXEC, &["tests/test_llm.py"]);
    let ids = report.rule_ids();
    assert!(ids.contains(&"CG-LLM001"), "{report:?}");
    assert!(!ids.contains(&"CG-ML001"), "{report:?}");
}

#[test]
fn a_suppression_of_a_rule_left_out_is_not_unused() {
    let elsewhere = scan("src/load.py", LOAD_SUPPRESSED, &[]);
    assert_eq!(elsewhere.suppressed, 1, "{elsewhere:?}");
    assert!(elsewhere.unused_suppressions.is_empty());
    let in_tests = scan(
        "tests/test_load.py",
        LOAD_SUPPRESSED,
        &["tests/test_load.py"],
    );
    assert!(in_tests.diagnostics.is_empty(), "{in_tests:?}");
    assert!(in_tests.unused_suppressions.is_empty(), "{in_tests:?}");
    // Where the file is parsed for rules that run in tests, a suppression of one that found
    // nothing is still unused.
    let source = LLM_EXEC.replace(
        "    return torch.load(question)\n",
        "    return pickle.loads(question)  # codeguard-ignore: CG-CORE009, CG-LLM002 -- x\n",
    );
    let parsed = scan("tests/test_llm.py", &source, &["tests/test_llm.py"]);
    assert!(parsed.rule_ids().contains(&"CG-LLM001"), "{parsed:?}");
    assert_eq!(
        parsed.unused_suppressions,
        vec![(9, "CG-LLM002".to_string())],
        "{parsed:?}"
    );
}

/// A test file holding a side of a cross-file flow (a deserializer's `loads` fed by an
/// imported function) is still parsed where the rules left out would have located it, so
/// that the links learn what it imports: a rule that runs in tests may complete the flow.
#[test]
fn a_test_file_with_a_flows_side_still_records_its_links() {
    let mut source = String::from(
        "import pickle\n\nfrom agent.llm import ask\n\n\ndef test_restore():\n    \
         return pickle.loads(ask(\"state\"))\n",
    );
    for i in 0..120 {
        source.push_str(&format!(
            "\n\ndef test_padding_{i}():\n    assert {i} >= 0\n"
        ));
    }
    assert!(source.len() > 4096);
    let rules = RuleSet::new(builtin_rules().unwrap());
    let options = ScanOptions {
        cross_file: true,
        test_files: Some(Arc::new(HashSet::from([PathBuf::from("tests/test_x.py")]))),
        ..ScanOptions::default()
    };
    let report = scan_source(
        &rules,
        Lang::Python,
        Path::new("tests/test_x.py"),
        &source,
        &options,
    )
    .unwrap();
    assert!(!report.prefiltered, "{report:?}");
    let imports = report.links.imports.clone().unwrap_or_default();
    assert!(imports.iter().any(|i| i == "agent.llm.ask"), "{report:?}");
}
