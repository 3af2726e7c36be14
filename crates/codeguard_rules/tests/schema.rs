//! `schemas/rule.schema.json` is generated from the rule types; this test keeps it current.
//! Regenerate with `UPDATE_SCHEMA=1 cargo test -p codeguard_rules --test schema`.

use std::path::Path;

#[test]
fn checked_in_rule_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/rule.schema.json");
    let generated =
        serde_json::to_string_pretty(&codeguard_rules::rule_file_json_schema()).unwrap() + "\n";
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "schemas/rule.schema.json is stale: run `UPDATE_SCHEMA=1 cargo test -p codeguard_rules --test schema`"
    );
}
