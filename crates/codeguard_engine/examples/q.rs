//! Measures tree-sitter query compile time per distinct pattern of the built-in rules.
fn main() {
    let rules = codeguard_rules::builtin_rules().unwrap();
    let mut seen = std::collections::HashSet::new();
    for rule in &rules {
        for m in &rule.matchers {
            if let codeguard_rules::MatcherKind::Query { text, .. } = &m.kind {
                if !seen.insert((m.lang, text.clone())) {
                    continue;
                }
                let g = m.lang.grammar();
                let t = std::time::Instant::now();
                let _ = tree_sitter::Query::new(&g, text).unwrap();
                eprintln!(
                    "{:>8.2?} {} {}",
                    t.elapsed(),
                    m.lang,
                    text.replace('\n', " ")
                );
            }
        }
    }
}
