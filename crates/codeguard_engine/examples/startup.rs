//! Start-up cost of the built-in pack: load, plan, scan one snippet. `cargo run --release
//! -p codeguard_engine --example startup -- FILE.py [RULE-ID...]` (rule ids given: without them).
fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).expect("FILE"));
    let source = std::fs::read_to_string(&path).unwrap();
    let t = std::time::Instant::now();
    let skip: Vec<String> = std::env::args().skip(2).collect();
    // As `check --stdin` loads them: only the matchers for the snippet's language.
    let lang = codeguard_language::Lang::from_path(&path).unwrap();
    let mut loader = codeguard_rules::RuleLoader::for_languages(&[lang]).unwrap();
    loader.add_builtin_rules().unwrap();
    let mut rules = loader.finish().unwrap();
    rules.retain(|r| !skip.contains(&r.id));
    let load = t.elapsed();
    let set = codeguard_rules::RuleSet::new(rules);
    set.plan(lang).unwrap();
    let plan = t.elapsed() - load;
    let opts = codeguard_engine::ScanOptions::default();
    let report = codeguard_engine::scan_source(&set, lang, &path, &source, &opts).unwrap();
    let scan = t.elapsed() - load - plan;
    let report2 = codeguard_engine::scan_source(&set, lang, &path, &source, &opts).unwrap();
    let again = t.elapsed() - load - plan - scan;
    println!(
        "load {load:?}, plan {plan:?}, first scan {scan:?} ({} findings), second scan {again:?} ({})",
        report.diagnostics.len(),
        report2.diagnostics.len()
    );
}
