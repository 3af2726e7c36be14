//! Steady-state cost of scanning one file again and again (the MCP server's case), or with
//! `--edit` of re-scanning it after appending a line, re-using the previous tree as the
//! language server does: `cargo run --release -p codeguard_engine --example scan_loop --
//! FILE [RUNS] [--edit]`.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let edit = args.iter().any(|a| a == "--edit");
    let mut positional = args.iter().filter(|a| *a != "--edit");
    let path = std::path::PathBuf::from(positional.next().expect("FILE"));
    let runs: usize = positional.next().map_or(1000, |r| r.parse().expect("RUNS"));
    let source = std::fs::read_to_string(&path).unwrap();
    let set = codeguard_rules::RuleSet::new(codeguard_rules::builtin_rules().unwrap());
    let lang = codeguard_language::Lang::from_path(&path).unwrap();
    let opts = codeguard_engine::ScanOptions::default();
    let (first, mut tree, mut memo) =
        codeguard_engine::scan_source_incremental(&set, lang, &path, &source, &opts, None, None)
            .unwrap();
    let mut findings = first.diagnostics.len();
    let mut text = source.clone();
    let t = std::time::Instant::now();
    for i in 0..runs {
        if edit {
            let next = format!("{source}x{i} = {i}\n");
            let edit = codeguard_engine::edit_between(&text, &next);
            let previous = tree.take().map(|mut tree| {
                tree.edit(&edit);
                tree
            });
            let (report, new_tree, new_memo) = codeguard_engine::scan_source_incremental(
                &set,
                lang,
                &path,
                &next,
                &opts,
                previous.as_ref(),
                Some((&memo, codeguard_engine::TextEdit::from(&edit))),
            )
            .unwrap();
            findings = report.diagnostics.len();
            tree = new_tree;
            memo = new_memo;
            text = next;
        } else {
            findings = codeguard_engine::scan_source(&set, lang, &path, &source, &opts)
                .unwrap()
                .diagnostics
                .len();
        }
    }
    println!(
        "{runs} scans{}, {:?} each ({findings} findings)",
        if edit { " after an edit" } else { "" },
        t.elapsed() / runs as u32
    );
}
