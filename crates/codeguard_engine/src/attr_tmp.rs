#[test]
#[ignore]
fn attribution() {
    use codeguard_language::Lang;
    let Some(dir) = std::env::var_os("ATTR_DIR") else {
        return;
    };
    let rules = codeguard_rules::RuleSet::new(codeguard_rules::builtin_rules().unwrap());
    let lang = Lang::Python;
    let plan = rules.plan(lang).unwrap();
    let files = crate::walk::collect_files(&[dir.into()]).unwrap();
    let mut saving: std::collections::HashMap<usize, (usize, usize)> = Default::default();
    let (mut total, mut all_bytes, mut small, mut small_n) = (0usize, 0usize, 0usize, 0usize);
    for (path, l) in &files {
        if *l != lang {
            continue;
        }
        let Ok(source) = std::fs::read_to_string(path) else {
            continue;
        };
        let bytes = source.as_bytes();
        all_bytes += bytes.len();
        let (satisfied, tokens) = plan.satisfied_groups(bytes, true);
        let active = plan.active_of(&satisfied);
        let outline = crate::syntax::of(lang).outline(bytes);
        let also: Vec<Option<u32>> = vec![None; plan.matchers.len()];
        let parsed = |active: &[bool]| -> usize {
            if !active.iter().any(|a| *a) {
                return 0;
            }
            let Some(outline) = &outline else {
                return bytes.len();
            };
            let hits = plan.hit_offsets(bytes, tokens.as_deref(), active, &also, outline, |slot| {
                let m = &plan.matchers[slot];
                crate::partial::needs_only_its_definition(
                    &rules.rules()[m.rule].matchers[m.matcher],
                )
            });
            let Some(hits) = hits else {
                return bytes.len();
            };
            if crate::partial::nothing_to_parse(&hits, bytes) {
                return 0;
            }
            if bytes.len() < crate::partial::PARTIAL_PARSE_MIN_BYTES {
                return bytes.len();
            }
            match crate::partial::ranges(outline, bytes, &hits) {
                Some(r) => r.iter().map(|r| r.len()).sum(),
                None => bytes.len(),
            }
        };
        let base = parsed(&active);
        total += base;
        if bytes.len() < crate::partial::PARTIAL_PARSE_MIN_BYTES {
            small += base;
            if base > 0 {
                small_n += 1;
            }
        }
        for s in (0..active.len()).filter(|s| active[*s]) {
            let mut a = active.clone();
            a[s] = false;
            let without = parsed(&a);
            let e = saving.entry(s).or_default();
            e.0 += base - without.min(base);
            e.1 += 1;
        }
    }
    eprintln!(
        "all {:.1} MB, parsed {:.1} MB; small (<8KB) parsed {small_n} files {:.1} MB",
        all_bytes as f64 / 1e6,
        total as f64 / 1e6,
        small as f64 / 1e6
    );
    let mut v: Vec<_> = saving.into_iter().collect();
    v.sort_by_key(|(_, (b, _))| std::cmp::Reverse(*b));
    for (s, (b, n)) in v.iter().take(30) {
        let m = &plan.matchers[*s];
        let r = &rules.rules()[m.rule];
        eprintln!(
            "{:>8.2} MB {:>5} files {} matcher {} {:?}",
            *b as f64 / 1e6,
            n,
            r.id,
            m.matcher,
            r.matchers[m.matcher]
                .prefilter
                .as_ref()
                .map(|p| format!("{p:?}").chars().take(120).collect::<String>())
        );
    }
}
