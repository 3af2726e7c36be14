//! Scans a folder's files twice, parsed whole and parsed in parts (see `partial.rs`), and
//! prints every file whose findings differ, with the bytes and time each way.
//! Usage: cargo run --release -p codeguard_engine --example partial_diff -- DIR [MIN_BYTES]
//! Environment: `CROSS_FILE` scans as a project scan does; `CG_TESTS` names the files under
//! `tests/` and `test/` and the `test_*.py`, `*_test.py` and `conftest.py` files as tests (as
//! `check`'s default test globs do); `CG_DROP_RULE=ID` leaves one rule out (what the rule costs
//! in parsed bytes); `CG_PARTS_ONLY` scans in parts both times (for bytes, not for a diff);
//! `CG_LIST` prints each parsed file's parsed and total bytes.
use std::time::{Duration, Instant};

use codeguard_engine::{ScanOptions, scan_source};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("DIR");
    let min: usize = args.next().map_or(4096, |m| m.parse().expect("MIN_BYTES"));
    let drop = std::env::var("CG_DROP_RULE").unwrap_or_default();
    let rules = codeguard_rules::RuleSet::new(
        codeguard_rules::builtin_rules()
            .unwrap()
            .into_iter()
            .filter(|r| r.id != drop && !r.opt_in)
            .collect(),
    );
    let files = codeguard_engine::walk::collect_files(&[dir.into()]).unwrap();
    // As a project scan does (files holding a side of a flow across files are parsed whole).
    let cross_file = std::env::var_os("CROSS_FILE").is_some();
    let tests: std::collections::HashSet<std::path::PathBuf> = files
        .iter()
        .map(|(p, _)| p.clone())
        .filter(|p| {
            let s = p.to_string_lossy();
            let name = p.file_name().unwrap().to_string_lossy();
            std::env::var_os("CG_TESTS").is_some()
                && (s.contains("/tests/")
                    || s.contains("/test/")
                    || name.starts_with("test_")
                    || name.ends_with("_test.py")
                    || name == "conftest.py")
        })
        .collect();
    let whole = ScanOptions {
        partial_parse_min_bytes: usize::MAX,
        cross_file,
        test_files: Some(std::sync::Arc::new(tests.clone())),
        ..ScanOptions::default()
    };
    let parts = ScanOptions {
        partial_parse_min_bytes: min,
        cross_file,
        test_files: Some(std::sync::Arc::new(tests)),
        ..ScanOptions::default()
    };
    let (mut bytes, mut parsed_whole, mut parsed_parts) = (0usize, 0usize, 0usize);
    let (mut time_whole, mut time_parts) = (Duration::ZERO, Duration::ZERO);
    let (mut findings, mut differing) = (0usize, 0usize);
    for (path, lang) in &files {
        let Ok(source) = std::fs::read_to_string(path) else {
            continue;
        };
        bytes += source.len();
        let key = |r: &codeguard_engine::SourceReport| {
            r.diagnostics
                .iter()
                .map(|d| {
                    (
                        d.rule_id.clone(),
                        d.range.start_byte,
                        d.range.end_byte,
                        d.message.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        let t = Instant::now();
        let a = if std::env::var_os("CG_PARTS_ONLY").is_some() {
            scan_source(&rules, *lang, path, &source, &parts).unwrap()
        } else {
            scan_source(&rules, *lang, path, &source, &whole).unwrap()
        };
        time_whole += t.elapsed();
        let t = Instant::now();
        let b = scan_source(&rules, *lang, path, &source, &parts).unwrap();
        time_parts += t.elapsed();
        parsed_whole += a.parsed_bytes;
        parsed_parts += b.parsed_bytes;
        findings += a.diagnostics.len();
        if std::env::var_os("CG_LIST").is_some() && b.parsed_bytes > 0 {
            println!(
                "PARSED {} {} {}",
                b.parsed_bytes,
                source.len(),
                path.display()
            );
        }
        if key(&a) != key(&b) || a.unused_suppressions != b.unused_suppressions {
            differing += 1;
            println!("DIFFERS {}", path.display());
            for d in &a.diagnostics {
                println!(
                    "  whole {} {}:{} {}",
                    d.rule_id, d.range.start.line, d.range.start.column, d.message
                );
            }
            for d in &b.diagnostics {
                println!(
                    "  parts {} {}:{} {}",
                    d.rule_id, d.range.start.line, d.range.start.column, d.message
                );
            }
        }
    }
    println!(
        "{} files, {:.1} MB; parsed whole {:.1} MB in {:.1} s, in parts {:.1} MB in {:.1} s; {findings} findings, {differing} files differ",
        files.len(),
        bytes as f64 / 1e6,
        parsed_whole as f64 / 1e6,
        time_whole.as_secs_f64(),
        parsed_parts as f64 / 1e6,
        time_parts.as_secs_f64(),
    );
}
