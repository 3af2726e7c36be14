//! An incremental re-scan (previous tree edited with `edit_between`) finds exactly what a
//! scan from scratch finds.

use std::path::Path;

use codeguard_engine::{ScanOptions, TextEdit, edit_between, scan_source, scan_source_incremental};
use codeguard_language::Lang;
use codeguard_rules::{RuleSet, builtin_rules};

#[test]
fn incremental_rescan_matches_a_full_scan() {
    let rules = RuleSet::new(builtin_rules().unwrap());
    let opts = ScanOptions::default();
    let path = Path::new("a.py");
    let versions = [
        "import torch\nstate = torch.load(p)\n",
        "import torch\nstate = torch.load(p, weights_only=False)\n",
        "import torch\n# é\nstate = torch.load(p, weights_only=True)\nimport yaml\ncfg = yaml.load(f)\n",
        "import yaml\ncfg = yaml.load(f)\n",
        "",
        "eval(input())\n",
    ];
    let (_, mut tree, mut memo) =
        scan_source_incremental(&rules, Lang::Python, path, versions[0], &opts, None, None)
            .unwrap();
    for pair in versions.windows(2) {
        let (old, new) = (pair[0], pair[1]);
        let edit = edit_between(old, new);
        let previous = tree.take().map(|mut t| {
            t.edit(&edit);
            t
        });
        let (report, next, next_memo) = scan_source_incremental(
            &rules,
            Lang::Python,
            path,
            new,
            &opts,
            previous.as_ref(),
            Some((&memo, TextEdit::from(&edit))),
        )
        .unwrap();
        let full = scan_source(&rules, Lang::Python, path, new, &opts).unwrap();
        let ids = |r: &codeguard_engine::SourceReport| {
            r.diagnostics
                .iter()
                .map(|d| (d.rule_id.clone(), d.range))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(&report),
            ids(&full),
            "after editing {old:?} into {new:?}"
        );
        tree = next;
        memo = next_memo;
    }
}

/// The prefilter pass over an edited document, from the memo of the previous version, finds
/// the groups a pass over the whole new text finds: edits that add, move and remove tokens
/// and regex matches, at the start, the end and inside them, on a real module.
#[test]
fn the_prefilter_after_an_edit_is_the_prefilter_of_the_new_text() {
    let rules = RuleSet::new(builtin_rules().unwrap());
    let plan = rules.plan(Lang::Python).unwrap();
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/ml/torch-load-unpickles.py"),
    )
    .unwrap();
    let secret = "API_TOKEN = \"abcd\"\n";
    let mut versions = vec![
        base.clone(),
        format!("{secret}{base}"),
        format!("{base}{secret}"),
        format!("{base}import yaml\nyaml.load(x)\n"),
        base.replacen("torch", "t0rch", 1),
        base.replace("torch", "torch_"),
        base.replacen("import", "", 1),
        format!("x = 1\n{base}"),
        String::new(),
        secret.to_string(),
        "API_TOK".to_string(),
        "API_TOKEN = \"".to_string(),
        "password = \"x\"\nimport subprocess\nsubprocess.run(c, shell=True)\n".to_string(),
        "password = \"x\"\nimport subprocess\n".to_string(),
        base.clone(),
        // A detector ending in `\b`: a letter typed right after the match undoes it.
        format!("k = 'hf_{}'\n", "a".repeat(34)),
        format!("k = 'hf_{}b'\n", "a".repeat(34)),
        format!("k = 'hf_{}'\n", "a".repeat(34)),
        format!("k = 'xhf_{}'\n", "a".repeat(34)),
        base.clone(),
    ];
    // Every second-half line removed, then restored, one at a time.
    let lines: Vec<&str> = base.lines().collect();
    for i in lines.len() / 2..lines.len() {
        let mut cut = lines.clone();
        cut.remove(i);
        versions.push(cut.join("\n") + "\n");
        versions.push(base.clone());
    }
    let (_, mut memo) = plan.satisfied_groups_after(versions[0].as_bytes(), None);
    let mut moved = 0;
    for pair in versions.windows(2) {
        let (old, new) = (&pair[0], &pair[1]);
        let input = edit_between(old, new);
        let edit = TextEdit::from(&input);
        let (after, next) = plan.satisfied_groups_after(new.as_bytes(), Some((&memo, edit)));
        let (full, _) = plan.satisfied_groups(new.as_bytes(), false);
        assert_eq!(after, full, "after editing {old:?} into {new:?}");
        moved += usize::from(input.new_end_byte < new.len());
        memo = next;
    }
    assert!(moved > 10, "edits that leave text after them: {moved}");
}

#[test]
fn edit_between_finds_the_changed_span() {
    let edit = edit_between("abc\ndef\n", "abc\ndXef\n");
    assert_eq!(
        (edit.start_byte, edit.old_end_byte, edit.new_end_byte),
        (5, 5, 6)
    );
    assert_eq!(
        (edit.start_position.row, edit.start_position.column),
        (1, 1)
    );
    let same = edit_between("x", "x");
    assert_eq!(
        (same.start_byte, same.old_end_byte, same.new_end_byte),
        (1, 1, 1)
    );
}

/// Long texts changed at and around every place the compared blocks of 64 bytes meet: the
/// span found is the one a byte-by-byte comparison finds, and applying it gives the new text.
#[test]
fn edit_between_finds_the_changed_span_in_long_texts() {
    let old: String = (0..400)
        .map(|i| format!("line {i} = é{}\n", i % 7))
        .collect();
    let mut checked = 0;
    for at in (0..old.len())
        .filter(|&i| old.is_char_boundary(i))
        .step_by(13)
    {
        for (removed, inserted) in [(0, "x"), (1, ""), (3, "yz"), (70, "\n"), (0, "ü")] {
            let end = (at + removed).min(old.len());
            if !old.is_char_boundary(end) {
                continue;
            }
            let new = format!("{}{}{}", &old[..at], inserted, &old[end..]);
            let edit = edit_between(&old, &new);
            let prefix = old
                .bytes()
                .zip(new.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            let max_suffix = old.len().min(new.len()) - prefix;
            let suffix = old
                .bytes()
                .rev()
                .zip(new.bytes().rev())
                .take(max_suffix)
                .take_while(|(a, b)| a == b)
                .count();
            assert!(
                edit.start_byte <= prefix && prefix - edit.start_byte < 4,
                "{at}"
            );
            let kept_after = old.len() - edit.old_end_byte;
            assert!(kept_after <= suffix && suffix - kept_after < 4, "{at}");
            assert_eq!(old.len() - edit.old_end_byte, new.len() - edit.new_end_byte);
            let rebuilt = format!(
                "{}{}{}",
                &old[..edit.start_byte],
                &new[edit.start_byte..edit.new_end_byte],
                &old[edit.old_end_byte..]
            );
            assert_eq!(rebuilt, new);
            let row = old[..edit.start_byte].matches('\n').count();
            assert_eq!(edit.start_position.row, row);
            let line_start = old[..edit.start_byte].rfind('\n').map_or(0, |i| i + 1);
            assert_eq!(edit.start_position.column, edit.start_byte - line_start);
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked}");
}
