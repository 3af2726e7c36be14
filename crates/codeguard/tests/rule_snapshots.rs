//! Snapshot of the rendered diagnostics (and fixes) for every rule fixture, as users see
//! them. Review changes with `cargo insta review`, or accept with `INSTA_UPDATE=always`.

use std::path::Path;

use codeguard::report::render_diagnostic;
use codeguard_engine::{ScanOptions, apply_edits, scan_source};
use codeguard_language::Lang;
use codeguard_rules::{RuleSet, load_rule_path};

fn render_fixture(path: &Path) -> String {
    let lang = Lang::from_path(path).unwrap();
    let name = path.file_name().unwrap().to_str().unwrap();
    // `rule.variant.py` is a second fixture of `rule.yaml`; `rule.env`, `rule.fixture.yaml`
    // are text fixtures.
    let rule_stem = name.split('.').next().unwrap();
    let rule_file = path.with_file_name(format!("{rule_stem}.yaml"));
    let rules = RuleSet::new(load_rule_path(&rule_file).unwrap());
    let source = std::fs::read_to_string(path).unwrap();
    let display = path
        .strip_prefix(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../..")
                .canonicalize()
                .unwrap(),
        )
        .unwrap();
    let report = scan_source(&rules, lang, display, &source, &ScanOptions::default()).unwrap();
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&render_diagnostic(d));
        if let Some(fix) = &d.fix {
            let fixed = apply_edits(&source, &fix.edits);
            let line = d.range.start.line - 1;
            let before: Vec<&str> = source.lines().collect();
            let after: Vec<&str> = fixed.lines().collect();
            out.push_str(&format!("  - {}\n", before[line]));
            out.push_str(&format!("  + {}\n", after.get(line).unwrap_or(&"")));
        }
        out.push('\n');
    }
    out
}

#[test]
fn rule_fixture_diagnostics() {
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/snapshots/rules");
    // Text fixtures: `rule.env`, `rule.toml`, `rule.sh`, `rule.dockerfile`, and YAML and
    // Markdown ones named `rule.fixture.yaml`, `rule.fixture.md` (beside the rule and its docs).
    let pattern = "**/*.{py,rs,js,ts,tsx,json,env,toml,sh,dockerfile,fixture.yaml,fixture.md}";
    insta::glob!("../../../rules", pattern, |path| {
        insta::with_settings!({
            snapshot_path => &snapshots,
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!("fixture", render_fixture(path));
        });
    });
}
