fn main() {
    let t = std::time::Instant::now();
    let rules = codeguard_rules::builtin_rules().unwrap();
    eprintln!("load: {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let set = codeguard_rules::RuleSet::new(rules);
    set.plan(codeguard_language::Lang::Python).unwrap();
    eprintln!("plan py: {:?}", t.elapsed());
    let t = std::time::Instant::now();
    set.plan(codeguard_language::Lang::Rust).unwrap();
    eprintln!("plan rs: {:?}", t.elapsed());
}
#[allow(dead_code)]
fn unused() {}
