//! Steady-state cost of scanning one file again and again (the MCP server and the language
//! server's case): `cargo run --release -p codeguard_engine --example scan_loop -- FILE [RUNS]`.
fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).expect("FILE"));
    let runs: usize = std::env::args()
        .nth(2)
        .map_or(1000, |r| r.parse().expect("RUNS"));
    let source = std::fs::read_to_string(&path).unwrap();
    let set = codeguard_rules::RuleSet::new(codeguard_rules::builtin_rules().unwrap());
    let lang = codeguard_language::Lang::from_path(&path).unwrap();
    let opts = codeguard_engine::ScanOptions::default();
    let mut findings = 0;
    codeguard_engine::scan_source(&set, lang, &path, &source, &opts).unwrap();
    let t = std::time::Instant::now();
    for _ in 0..runs {
        findings = codeguard_engine::scan_source(&set, lang, &path, &source, &opts)
            .unwrap()
            .diagnostics
            .len();
    }
    println!(
        "{runs} scans, {:?} each ({findings} findings)",
        t.elapsed() / runs as u32
    );
}
