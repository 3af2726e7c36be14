//! Embeds the built-in rule pack (`rules/**/*.yaml` at the workspace root, but not the YAML
//! fixtures `*.fixture.yaml`, with the Markdown docs beside each rule) into the crate, converted to JSON (much faster to parse at start-up).
//! Each matcher is kept apart with its language, so a scan of one language (a snippet) parses
//! only that language's matchers.
//! A YAML error in the pack fails the build with its position.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[path = "src/fnv.rs"]
mod fnv;
#[path = "src/literal_prefixes.rs"]
mod literal_prefixes;

/// The checked-in table of the built-in matchers' literal prefilter groups (see
/// `load::tests::builtin_prefilters_are_current`, which writes it).
const PREFILTER_TABLE: &str = "generated/builtin_prefilters.json";

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml")
            // `<rule>.fixture.yaml` is a fixture the rule scans as text, not a rule file.
            && !path.to_string_lossy().ends_with(".fixture.yaml")
            && !path.to_string_lossy().ends_with(".fixture.yml")
        {
            out.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let rules_dir = manifest
        .join("../../rules")
        .canonicalize()
        .expect("rules/ at the workspace root");
    println!("cargo:rerun-if-changed={}", rules_dir.display());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let mut files = Vec::new();
    collect(&rules_dir, &mut files);
    let mut patterns = Vec::new();
    let mut condition_patterns = Vec::new();
    files.sort();
    let table_path = manifest.join(PREFILTER_TABLE);
    println!("cargo:rerun-if-changed={}", table_path.display());
    let table = PrefilterTable::read(&table_path);
    let mut literals = Literals::default();
    let mut code = String::from(
        "/// Built-in rule files (see [`BuiltinFile`]).\n\
         pub(crate) static BUILTIN_RULE_FILES: &[BuiltinFile] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file
            .strip_prefix(&rules_dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let docs = file.with_extension("md");
        let docs = if docs.exists() {
            println!("cargo:rerun-if-changed={}", docs.display());
            format!("Some(include_str!({:?}))", docs.display().to_string())
        } else {
            "None".to_string()
        };
        let yaml = std::fs::read_to_string(file).unwrap();
        let mut value: serde_json::Value =
            serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        collect_strings(&value, PREFILTER_KEYS.0, PREFILTER_KEYS.1, &mut patterns);
        collect_strings(
            &value,
            CONDITION_KEYS.0,
            CONDITION_KEYS.1,
            &mut condition_patterns,
        );
        let rule_matchers = take_matchers(&mut value, "rules", Some((&table, &mut literals)));
        let set_matchers = take_matchers(&mut value, "source-sets", None);
        let json_path = out_dir.join(rel.replace('/', "__") + ".json");
        std::fs::write(&json_path, serde_json::to_string(&value).unwrap()).unwrap();
        writeln!(
            code,
            "    BuiltinFile {{ rel: {rel:?}, json: include_str!({:?}), docs: {docs}, \
             rule_matchers: {rule_matchers}, set_matchers: {set_matchers} }},",
            json_path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    // The literal prefixes of the detectors' regexes (the prefilter's), sorted by pattern, of
    // any length (the prefilter searches files for the long ones; a snippet's short ones rule
    // out a regex before its automaton is built).
    emit_pattern_table(
        &mut code,
        "/// Each detector pattern of the pack with its literal prefixes (see `literal_prefixes`).",
        "BUILTIN_PREFIXES",
        patterns,
        literal_prefixes::literal_prefix_set,
    );
    emit_pattern_table(
        &mut code,
        "/// Each condition regex of the pack with the literals one of which its matches hold\n\
         /// (see `literal_prefixes::required_literals`).",
        "BUILTIN_REQUIRED",
        condition_patterns,
        literal_prefixes::required_literals,
    );
    literals.emit(&mut code);
    let out = out_dir.join("builtin_rules.rs");
    std::fs::write(out, code).unwrap();
}

/// A table of `patterns`, sorted and deduplicated, each with the literals `literals` finds
/// for it: `static NAME: &[(&str, Option<&[&[u8]]>)]`, searched by pattern.
fn emit_pattern_table(
    code: &mut String,
    doc: &str,
    name: &str,
    mut patterns: Vec<String>,
    literals: fn(&str) -> Option<Vec<Vec<u8>>>,
) {
    patterns.sort();
    patterns.dedup();
    writeln!(
        code,
        "{doc}\npub(crate) static {name}: &[(&str, Option<&[&[u8]]>)] = &["
    )
    .unwrap();
    for pattern in &patterns {
        let found = match literals(pattern) {
            Some(found) => format!(
                "Some(&[{}])",
                found
                    .iter()
                    .map(|l| format!("&{l:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => "None".to_string(),
        };
        writeln!(code, "    ({pattern:?}, {found}),").unwrap();
    }
    code.push_str("];\n");
}

/// The strings of `value` under the keys `keys` (a string each) and `list_keys` (a list of
/// strings each).
fn collect_strings(
    value: &serde_json::Value,
    keys: &[&str],
    list_keys: &[&str],
    out: &mut Vec<String>,
) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match value {
                    serde_json::Value::String(s) if keys.contains(&key.as_str()) => {
                        out.push(s.clone())
                    }
                    serde_json::Value::Array(items) if list_keys.contains(&key.as_str()) => {
                        out.extend(items.iter().filter_map(|i| i.as_str()).map(str::to_string))
                    }
                    _ => collect_strings(value, keys, list_keys, out),
                }
            }
        }
        serde_json::Value::Array(items) => items
            .iter()
            .for_each(|v| collect_strings(v, keys, list_keys, out)),
        _ => {}
    }
}

/// The keys of a rule file whose values the prefilter may search with: credential detectors'
/// `pattern`s and `prefilter-regex` lists.
const PREFILTER_KEYS: (&[&str], &[&str]) = (&["pattern"], &["prefilter-regex"]);

/// The keys of `schema`'s conditions whose value is a regex matched against text.
const CONDITION_KEYS: (&[&str], &[&str]) = (
    &[
        "matches",
        "receiver",
        "decorated",
        "context",
        "checked-before",
        "checked-after",
        "injected-types",
    ],
    &[],
);

/// Empties the `matchers` of each entry of `value[key]` (rules or source sets), and returns
/// them as Rust source: per entry, a list of `BuiltinMatcher`s. With a prefilter table, each
/// matcher whose JSON the table knows gets its literal groups (`needs`), as indexes into the
/// literal list.
fn take_matchers(
    value: &mut serde_json::Value,
    key: &str,
    mut prefilters: Option<(&PrefilterTable, &mut Literals)>,
) -> String {
    let mut code = String::from("&[");
    for entry in value
        .get_mut(key)
        .and_then(|v| v.as_array_mut())
        .into_iter()
        .flatten()
    {
        code.push_str("&[");
        let matchers = entry
            .get_mut("matchers")
            .map(|m| std::mem::replace(m, serde_json::Value::Array(Vec::new())));
        for matcher in matchers
            .as_ref()
            .and_then(|m| m.as_array())
            .into_iter()
            .flatten()
        {
            let language = matcher
                .get("language")
                .map(|l| serde_json::to_string(l).unwrap())
                .unwrap_or_default();
            let json = serde_json::to_string(matcher).unwrap();
            let needs = match prefilters.as_mut() {
                Some((table, literals)) => match table.groups(&json) {
                    Some(groups) => {
                        let groups: Vec<String> = groups
                            .iter()
                            .map(|group| {
                                let indexes: Vec<String> = group
                                    .iter()
                                    .map(|l| literals.index(l).to_string())
                                    .collect();
                                format!("&[{}]", indexes.join(", "))
                            })
                            .collect();
                        format!("Some(&[{}])", groups.join(", "))
                    }
                    None => "None".to_string(),
                },
                None => "None".to_string(),
            };
            write!(
                code,
                "BuiltinMatcher {{ language: {language:?}, json: {json:?}, needs: {needs} }},"
            )
            .unwrap();
        }
        code.push_str("],");
    }
    code.push(']');
    code
}

/// The checked-in prefilter table: for each built-in matcher, keyed by the hash of its JSON,
/// the groups of literals a text must all hold one of for the matcher to run. A matcher that
/// changed since the table was written is not in it, and is then always read.
struct PrefilterTable(std::collections::HashMap<u64, Vec<Vec<String>>>);

impl PrefilterTable {
    fn read(path: &Path) -> Self {
        let Ok(text) = std::fs::read_to_string(path) else {
            return Self(Default::default());
        };
        let value: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut map = std::collections::HashMap::new();
        for entry in value["matchers"].as_array().into_iter().flatten() {
            let hash = entry["hash"]
                .as_str()
                .and_then(|h| u64::from_str_radix(h, 16).ok())
                .unwrap_or_else(|| panic!("{}: a matcher without its hash", path.display()));
            let groups = entry["groups"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|g| {
                    g.as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|l| l.as_str().map(str::to_string))
                        .collect()
                })
                .collect();
            map.insert(hash, groups);
        }
        Self(map)
    }

    fn groups(&self, json: &str) -> Option<&Vec<Vec<String>>> {
        self.0.get(&fnv::fnv1a(json.as_bytes()))
    }
}

/// The distinct literals of the matchers' groups, and which literals start with each byte.
#[derive(Default)]
struct Literals {
    list: Vec<String>,
    index: std::collections::HashMap<String, usize>,
}

impl Literals {
    fn index(&mut self, literal: &str) -> usize {
        if let Some(&i) = self.index.get(literal) {
            return i;
        }
        self.list.push(literal.to_string());
        self.index.insert(literal.to_string(), self.list.len() - 1);
        self.list.len() - 1
    }

    fn emit(&self, code: &mut String) {
        code.push_str(
            "/// The literals of the built-in matchers' `needs` groups.\n\
             pub(crate) static BUILTIN_LITERALS: &[&str] = &[\n",
        );
        for literal in &self.list {
            writeln!(code, "    {literal:?},").unwrap();
        }
        code.push_str("];\n");
    }
}
