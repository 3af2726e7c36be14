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
