//! In a project scan, a file parsed in parts keeps the code where a flow's sources are, to
//! tell the links whether it holds one (its sinks may be in another file): the definitions
//! holding them and what they reach, not their callers, unless this file completes the flow.

use std::path::Path;

use codeguard_engine::{ScanOptions, SourceReport, scan_source};
use codeguard_language::Lang;
use codeguard_rules::{RuleSet, builtin_rules};

/// A source of CG-LLM007 (a model's chat template) in `helper`, a large `caller` of it, and
/// a module-level finding of another rule (so the file is scanned at all).
fn module(caller_tail: &str) -> String {
    let mut source = String::from(
        "import pickle\n\nSTATE = pickle.loads(b\"\")\n\n\n\
         def helper(tok):\n    return tok.chat_template\n\n\n\
         def caller(tok):\n    x = helper(tok)\n",
    );
    for i in 0..200 {
        source.push_str(&format!("    y{i} = len(x) + {i}\n"));
    }
    source.push_str(caller_tail);
    source
}

fn project_scan(source: &str) -> SourceReport {
    project_scan_with(source, |_| true)
}

fn project_scan_with(source: &str, keep: impl Fn(&str) -> bool) -> SourceReport {
    let rules = RuleSet::new(
        builtin_rules()
            .unwrap()
            .into_iter()
            .filter(|r| keep(&r.id))
            .collect(),
    );
    let options = ScanOptions {
        cross_file: true,
        ..ScanOptions::default()
    };
    scan_source(&rules, Lang::Python, Path::new("m.py"), source, &options).unwrap()
}

#[test]
fn a_source_is_found_without_parsing_its_callers() {
    let source = module("    return x\n");
    let report = project_scan(&source);
    assert!(
        report.links.sides.iter().any(|s| s.sources),
        "the links learn that the file holds a source: {report:?}"
    );
    let caller = source.find("def caller").unwrap();
    assert!(
        report.parsed_bytes < source.len() - caller,
        "the caller is left out: {} of {} bytes parsed",
        report.parsed_bytes,
        source.len()
    );
}

#[test]
fn a_flow_completed_in_the_file_still_parses_the_caller() {
    let source = module("    return jinja2.Template(x)\n")
        .replace("import pickle\n", "import pickle\nimport jinja2\n");
    let report = project_scan(&source);
    let ids = report.rule_ids();
    assert!(ids.contains(&"CG-LLM007"), "{report:?}");
}

/// A rule active in the file whose own prefilter token (`ldap`) is only in an import: its
/// flow runs from a source in one function (`user_filter`) to a sink in that function's
/// caller, which the source's hits must still bring into the parse.
#[test]
fn an_active_rules_sources_still_bring_their_callers() {
    let mut source = String::from(
        "import ldap\n\n\ndef user_filter(req_obj):\n    request = req_obj\n    \
         return \"(uid=\" + request.GET[\"u\"] + \")\"\n\n\n\
         def lookup(r, conn):\n    return conn.search_s(\"dc=x\", 2, user_filter(r))\n\n\n\
         def everyone(conn):\n    return conn.search_s(\"dc=x\", 2, \"(uid=*)\")\n\n\n\
         def admins(conn):\n    return conn.search_s(\"dc=x\", 2, \"(cn=admin)\")\n",
    );
    for i in 0..120 {
        source.push_str(&format!("\n\ndef padding_{i}(x):\n    return x + {i}\n"));
    }
    assert!(source.len() > 4096);
    // The rule alone: another rule's hits could bring the caller in by chance.
    let report = project_scan_with(&source, |id| id == "CG-CORE034");
    let ids = report.rule_ids();
    assert!(ids.contains(&"CG-CORE034"), "{report:?}");
}
