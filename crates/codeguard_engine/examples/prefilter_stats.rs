//! Which matchers' prefilters fire on a corpus's Python files, and how many files would be parsed.
//! Usage: cargo run --release -p codeguard_engine --example prefilter_stats -- DIR
use std::collections::HashMap;

fn main() {
    let dir = std::env::args().nth(1).expect("DIR");
    let rules = codeguard_rules::RuleSet::new(codeguard_rules::builtin_rules().unwrap());
    let plan = rules.plan(codeguard_language::Lang::Python).unwrap();
    let files = codeguard_engine::walk::collect_files(&[dir.into()]).unwrap();
    let mut parsed = 0;
    let mut per_slot: HashMap<usize, usize> = HashMap::new();
    let mut sole: HashMap<usize, usize> = HashMap::new();
    let t = std::time::Instant::now();
    let (mut total_files, mut total_bytes, mut parsed_bytes) = (0, 0, 0);
    let python = files
        .iter()
        .filter(|(_, lang)| *lang == codeguard_language::Lang::Python);
    for (path, _) in python {
        let bytes = std::fs::read(path).unwrap();
        total_files += 1;
        total_bytes += bytes.len();
        let active = plan.active_slots(&bytes);
        if active.iter().any(|a| *a) {
            parsed += 1;
            parsed_bytes += bytes.len();
        }
        let on: Vec<usize> = (0..active.len()).filter(|i| active[*i]).collect();
        if on.len() == 1 {
            *sole.entry(on[0]).or_default() += 1;
        }
        for (slot, on) in active.iter().enumerate() {
            if *on {
                *per_slot.entry(slot).or_default() += 1;
            }
        }
    }
    println!(
        "{} Python files ({:.1} MB), {parsed} would be parsed ({:.1} MB); prefilter took {:?}",
        total_files,
        total_bytes as f64 / 1e6,
        parsed_bytes as f64 / 1e6,
        t.elapsed()
    );
    let mut sole: Vec<_> = sole.into_iter().collect();
    sole.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    for (slot, n) in sole.iter().take(8) {
        let m = plan.matchers[*slot];
        println!(
            "sole reason in {n:>5} files: {} matcher {}",
            rules.rules()[m.rule].id,
            m.matcher
        );
    }
    let mut slots: Vec<_> = per_slot.into_iter().collect();
    slots.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    for (slot, n) in slots.iter().take(12) {
        let m = plan.matchers[*slot];
        let rule = &rules.rules()[m.rule];
        println!(
            "{n:>6} {} matcher {} prefilter {:?}",
            rule.id, m.matcher, rule.matchers[m.matcher].prefilter
        );
    }
}
