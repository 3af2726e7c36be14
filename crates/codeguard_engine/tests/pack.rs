//! The built-in pack: every rule loads, has fixtures for each of its languages, and flags
//! exactly the lines its fixtures annotate with `ruleid:` (and none of the `ok:` lines).

use std::path::{Path, PathBuf};

use codeguard_engine::fixture::check_rule_fixtures;
use codeguard_rules::{RuleSet, builtin_rules, check_unique, load_rule_path};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

#[test]
fn builtin_rules_load_and_are_unique() {
    let rules = builtin_rules().expect("built-in rules load");
    assert!(
        rules.len() >= 15,
        "expected the first rule set, got {}",
        rules.len()
    );
    check_unique(&rules).unwrap();
    codeguard_engine::validate_rules(&rules).unwrap();
    for rule in &rules {
        rule.check_regexes()
            .unwrap_or_else(|e| panic!("{}: {e}", rule.id));
    }
    RuleSet::new(rules)
        .prepare()
        .expect("combined queries compile");
}

#[test]
fn every_fixture_matches_its_annotations() {
    let root = workspace_root();
    let rules = builtin_rules().unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in &rules {
        let file = root.join(&rule.source);
        // Scan each rule alone so fixtures test that rule only.
        let single = load_rule_path(&file).unwrap();
        assert_eq!(
            single.len(),
            1,
            "{}: built-in rule files hold one rule",
            file.display()
        );
        for result in check_rule_fixtures(rule, &file, RuleSet::new(single)) {
            checked += 1;
            if !result.passed() {
                failures.push(format!(
                    "{} {}: missed lines {:?}, unexpected lines {:?}, problems {:?}",
                    result.rule_id,
                    result.path.display(),
                    result.missed,
                    result.unexpected,
                    result.problems
                ));
            }
        }
    }
    assert!(checked >= rules.len());
    assert!(
        failures.is_empty(),
        "fixture failures:\n{}",
        failures.join("\n")
    );
}

/// Taint rules with the same sources share one analysis when they run together; every rule
/// must still find exactly what it finds alone.
#[test]
fn shared_flow_analysis_matches_single_rule_runs() {
    use codeguard_engine::{ScanOptions, scan_source};
    let root = workspace_root();
    let all = RuleSet::new(builtin_rules().unwrap());
    let mut compared = 0;
    for rule in all
        .rules()
        .iter()
        .filter(|r| r.matchers.iter().any(|m| m.taint.is_some()))
    {
        let file = root.join(&rule.source);
        let single = RuleSet::new(load_rule_path(&file).unwrap());
        // Languages where the rule is data flow (other matchers may be superseded by other
        // rules in the full set, which is not what this test is about).
        let mut langs: Vec<_> = rule
            .matchers
            .iter()
            .filter(|m| m.taint.is_some())
            .map(|m| m.lang)
            .collect();
        langs.dedup();
        for lang in langs {
            let fixture = file.with_extension(lang.fixture_extension());
            let source = std::fs::read_to_string(&fixture).unwrap();
            let findings = |set: &RuleSet| {
                let report =
                    scan_source(set, lang, &fixture, &source, &ScanOptions::default()).unwrap();
                let mut lines: Vec<(usize, usize)> = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.rule_id == rule.id)
                    .map(|d| (d.range.start.line, d.range.start.column))
                    .collect();
                lines.sort_unstable();
                lines
            };
            assert_eq!(
                findings(&all),
                findings(&single),
                "{} on {}",
                rule.id,
                fixture.display()
            );
            compared += 1;
        }
    }
    assert!(compared >= 8, "compared {compared} fixtures");
}

#[test]
fn rmcp_service_with_an_auth_layer_is_not_reported() {
    use codeguard_engine::{ScanOptions, scan_source};
    let rules: Vec<_> = builtin_rules()
        .unwrap()
        .into_iter()
        .filter(|r| r.id == "CG-MCP006")
        .collect();
    let set = RuleSet::new(rules);
    let open = "use rmcp::transport::streamable_http_server::StreamableHttpService;\n\
                fn router() -> axum::Router {\n    \
                let service = StreamableHttpService::new(factory, manager, config);\n    \
                axum::Router::new().nest_service(\"/mcp\", service)\n}\n";
    let guarded = open.replace(
        "service)\n",
        "service).layer(ValidateRequestHeaderLayer::bearer(token))\n",
    );
    let count = |source: &str| {
        scan_source(
            &set,
            codeguard_language::Lang::Rust,
            Path::new("server.rs"),
            source,
            &ScanOptions::default(),
        )
        .unwrap()
        .diagnostics
        .len()
    };
    assert_eq!(count(open), 1);
    assert_eq!(count(&guarded), 0);
}

#[test]
fn flow_findings_replace_the_pattern_finding_on_the_same_call() {
    use codeguard_engine::{ScanOptions, scan_source};
    let set = RuleSet::new(builtin_rules().unwrap());
    let source = "import subprocess\nimport anthropic\n\nclient = anthropic.Anthropic()\n\n\n\
                  def step(task):\n    reply = client.messages.create(model=\"m\", max_tokens=9, messages=[task])\n    \
                  cmd = reply.content[0].text\n    subprocess.run(\"sh -c \" + cmd, shell=True)\n    \
                  subprocess.run(\"ls \" + task, shell=True)\n";
    let report = scan_source(
        &set,
        codeguard_language::Lang::Python,
        Path::new("agent.py"),
        source,
        &ScanOptions::default(),
    )
    .unwrap();
    let found: Vec<(usize, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.range.start.line, d.rule_id.as_str()))
        .collect();
    // Line 10: the model's command — one CG-LLM002 finding with its path, not also CG-CORE007.
    // Line 11: a parameter, not model output — the pattern rule still reports it.
    assert_eq!(found, [(10, "CG-LLM002"), (11, "CG-CORE007")], "{found:?}");
}

/// A file with more findings than the per-file cap keeps the most severe ones and counts the
/// rest, however late the severe ones come (findings past the cap are not built at all).
#[test]
fn the_findings_cap_keeps_the_most_severe_and_counts_the_rest() {
    use codeguard_engine::scan::{MAX_FINDINGS_PER_FILE, ScanOptions, scan_source};
    use codeguard_language::Lang;
    let rules = RuleSet::new(builtin_rules().unwrap());
    let n = 3 * MAX_FINDINGS_PER_FILE + 7;
    let mut code = String::from("import hashlib, pickle\n");
    for _ in 0..n {
        code.push_str("token_hash = hashlib.md5(x)\n");
    }
    code.push_str("obj = pickle.loads(data)\n");
    let report = scan_source(
        &rules,
        Lang::Python,
        Path::new("many.py"),
        &code,
        &ScanOptions::default(),
    )
    .unwrap();
    assert_eq!(report.diagnostics.len(), MAX_FINDINGS_PER_FILE);
    assert_eq!(report.dropped, n + 1 - MAX_FINDINGS_PER_FILE);
    assert!(
        report.diagnostics.iter().any(|d| d.rule_id == "CG-CORE009"),
        "the late, more severe finding is kept"
    );
}

/// A snippet's load (`check --stdin`) leaves out the matchers whose prefilter literals the
/// snippet lacks: on every file of the pack codeguard reads (code, text and configuration
/// fixtures, the rules and their docs), it must find exactly what the load of the whole
/// language finds.
#[test]
fn snippet_loads_find_what_language_loads_find() {
    use codeguard_language::Lang;
    use codeguard_rules::RuleLoader;
    fn load(mut loader: RuleLoader) -> RuleSet {
        loader.add_builtin_rules().unwrap();
        RuleSet::new(loader.finish().unwrap())
    }
    let matchers = |set: &RuleSet| set.rules().iter().map(|r| r.matchers.len()).sum::<usize>();
    let mut files = Vec::new();
    let mut stack = vec![workspace_root().join("rules")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if Lang::from_path(&path).is_some()
                // A notebook's code is escaped in JSON: it takes the language's whole load.
                && path.extension().is_none_or(|e| e != "ipynb")
            {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(
        files.len() > 100,
        "the pack's source fixtures: {}",
        files.len()
    );
    let options = codeguard_engine::ScanOptions::default();
    let (mut whole_matchers, mut kept, mut findings) = (0, 0, 0);
    for path in &files {
        let lang = Lang::from_path(path).unwrap();
        let source = std::fs::read_to_string(path).unwrap();
        let whole = load(RuleLoader::for_languages(&[lang]).unwrap());
        let snippet = load(RuleLoader::for_snippet(lang, &source).unwrap());
        whole_matchers += matchers(&whole);
        kept += matchers(&snippet);
        let mut scan = |set: &RuleSet| {
            let report = codeguard_engine::scan_source(set, lang, path, &source, &options).unwrap();
            findings += report.diagnostics.len();
            format!("{:?}", report.diagnostics)
        };
        let expected = scan(&whole);
        assert_eq!(expected, scan(&snippet), "{}", path.display());
    }
    assert!(findings > 500, "the fixtures' findings: {findings}");
    // The test means something only if most matchers were left out.
    assert!(
        kept * 2 < whole_matchers,
        "matchers read: {kept} of {whole_matchers}"
    );
}

/// The pack's prefilter regexes let a file through wherever its rules match: past 4 KB (a
/// file, not a snippet, for the prefilter) the eval regexes are three, one for a call that
/// opens the file; the secret-named regex is case-insensitive, searched in the lowercased
/// file (see `case_folded`), for names in any case, bound to literals of six characters or
/// more.
#[test]
fn prefilter_regexes_let_files_through_at_their_edges() {
    use codeguard_language::Lang;
    let rules = RuleSet::new(builtin_rules().unwrap());
    let padding = "# padding\n".repeat(500);
    let found = |source: &str| -> Vec<String> {
        assert!(source.len() > 4096);
        let report = codeguard_engine::scan_source(
            &rules,
            Lang::Python,
            Path::new("m.py"),
            source,
            &codeguard_engine::ScanOptions::default(),
        )
        .unwrap();
        report
            .diagnostics
            .iter()
            .map(|d| format!("{}:{}", d.rule_id, d.range.start.line))
            .collect()
    };
    let opening = format!("exec(input())\n{padding}");
    assert_eq!(found(&opening), ["CG-CORE008:1"]);
    let secrets =
        format!("{padding}ApiToken = \"f3a9c2e81b7d4e6fa0c5\"\nDB_PASSWORD = \"hunter2hunter2\"\n");
    assert_eq!(found(&secrets), ["CG-SEC002:501", "CG-SEC002:502"]);
    // The regex asks for six characters of the literal: an escaped quote is one of them, a
    // triple-quoted string's may start on its next line.
    let escaped = format!("{padding}DB_PASSWORD = \"ab\\\"cdefgh\"\n");
    assert_eq!(found(&escaped), ["CG-SEC002:501"]);
    let triple = format!("{padding}DB_PASSWORD = \"\"\"\nhunter2hunter2\"\"\"\n");
    assert_eq!(found(&triple), ["CG-SEC002:501"]);
    // The rule measures the literal's source text: six bytes of escapes, an f-string's field.
    let escapes = format!("{padding}password = \"pa\\\\ss\"\n");
    assert_eq!(found(&escapes), ["CG-SEC002:501"]);
    let field = format!("{padding}x = \"Zq8vLm2p\"\npassword = f\"{{x}}\"\n");
    assert_eq!(found(&field), ["CG-SEC002:502"]);
}

/// The eval regexes keep a file whose only `eval` is a method (`model.eval()`) or part of a
/// word from CG-CORE008: no literal prefix of theirs stands for them.
#[test]
fn a_method_named_eval_does_not_make_dynamic_evaluation_active() {
    use codeguard_language::Lang;
    let rules = RuleSet::new(builtin_rules().unwrap());
    let plan = rules.plan(Lang::Python).unwrap();
    let slot = plan
        .matchers
        .iter()
        .find(|m| rules.rules()[m.rule].id == "CG-CORE008" && m.matcher == 0)
        .unwrap()
        .slot;
    let padding = "# padding\n".repeat(500);
    let active = |code: &str| plan.active_slots(format!("{code}{padding}").as_bytes())[slot];
    assert!(!active(
        "import torch\nmodel.eval()\nretrieval = exec_time\n"
    ));
    assert!(active("import torch\nvalue = eval(text)\n"));
    assert!(active("eval(text)\n"));
}
