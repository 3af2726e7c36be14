//! A load scoped to some languages (`check --stdin`) must give each rule exactly the matchers
//! a full load gives it for those languages, and keep every rule.

use codeguard_language::Lang;
use codeguard_rules::{Rule, RuleLoader, builtin_rules};

fn scoped(languages: &[Lang]) -> Vec<Rule> {
    let mut loader = RuleLoader::for_languages(languages).unwrap();
    loader.add_builtin_rules().unwrap();
    loader.finish().unwrap()
}

#[test]
fn scoped_load_keeps_every_rule_and_its_matchers_for_the_language() {
    let full = builtin_rules().unwrap();
    for lang in Lang::ALL {
        let scoped = scoped(&[lang]);
        assert_eq!(
            full.iter().map(|r| &r.id).collect::<Vec<_>>(),
            scoped.iter().map(|r| &r.id).collect::<Vec<_>>(),
            "{lang}: the same rules in the same order"
        );
        let mut kept = 0;
        for (f, s) in full.iter().zip(&scoped) {
            let expected: Vec<String> = f
                .matchers
                .iter()
                .filter(|m| m.lang.runs_on(lang))
                .map(|m| format!("{m:?}"))
                .collect();
            let got: Vec<String> = s.matchers.iter().map(|m| format!("{m:?}")).collect();
            assert_eq!(expected, got, "{lang}: matchers of {}", f.id);
            let about = |r: &Rule| {
                format!(
                    "{} {:?} {:?} {:?} {:?} {}",
                    r.message, r.guidance, r.severity, r.metadata, r.artifact, r.description
                )
            };
            assert_eq!(about(f), about(s), "{}", f.id);
            kept += got.len();
        }
        let total: usize = full.iter().map(|r| r.matchers.len()).sum();
        assert!(
            kept < total,
            "{lang}: the scoped load left other languages out"
        );
    }
}

#[test]
fn a_notebook_scope_holds_both_languages() {
    let both = scoped(&[Lang::Text, Lang::Python]);
    assert!(
        both.iter()
            .flat_map(|r| &r.matchers)
            .any(|m| m.lang == Lang::Python)
    );
    assert!(
        both.iter()
            .flat_map(|r| &r.matchers)
            .any(|m| m.lang == Lang::Text)
    );
    assert!(
        !both
            .iter()
            .flat_map(|r| &r.matchers)
            .any(|m| m.lang == Lang::Rust)
    );
}

/// A scoped load reads only its languages' matchers of the built-in source sets; a user's rule
/// of another language naming one still gets that language's sources, as in a full load.
#[test]
fn a_user_rule_of_another_language_links_to_the_whole_source_set() {
    let dir = std::env::temp_dir().join(format!("codeguard-scoped-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("shell.yaml"),
        r###"rules:
  - id: USER-RS001
    name: model-output-to-shell-rs
    message: "Model output reaches a shell"
    description: "## What it does\n\nx\n\n## Why is this bad?\n\nx\n\n## Example\n\nx\n\n## References\n\nx\n"
    severity: high
    matchers:
      - language: rust
        query: "(source_file) @finding"
        taint:
          source-set: llm-output
          sinks:
            - where:
                - method: [arg]
              args: [0]
"###,
    )
    .unwrap();
    let load = |loader: Option<RuleLoader>| {
        let mut loader = loader.unwrap_or_else(|| RuleLoader::new().unwrap());
        loader.add_path(&dir).unwrap();
        let rules = loader.finish().unwrap();
        let rule = rules.into_iter().find(|r| r.id == "USER-RS001").unwrap();
        format!("{:?}", rule.matchers)
    };
    let full = load(None);
    let scoped = load(Some(RuleLoader::for_languages(&[Lang::Python]).unwrap()));
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(full.contains("sources"), "{full}");
    assert_eq!(scoped, full);
}
