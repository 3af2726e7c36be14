//! An incremental re-scan (previous tree edited with `edit_between`) finds exactly what a
//! scan from scratch finds.

use std::path::Path;

use codeguard_engine::{ScanOptions, edit_between, scan_source, scan_source_incremental};
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
    let (_, mut tree) =
        scan_source_incremental(&rules, Lang::Python, path, versions[0], &opts, None).unwrap();
    for pair in versions.windows(2) {
        let (old, new) = (pair[0], pair[1]);
        let previous = tree.take().map(|mut t| {
            t.edit(&edit_between(old, new));
            t
        });
        let (report, next) =
            scan_source_incremental(&rules, Lang::Python, path, new, &opts, previous.as_ref())
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
    }
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
