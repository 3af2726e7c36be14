//! Reading rule files from disk or from the embedded pack.

use std::path::{Path, PathBuf};

use codeguard_language::Lang;

use crate::compile::{
    Rule, SourceSet, compile_rule, compile_source_set, link_source_sets, merge_source_sets,
};
use crate::error::RuleError;
use crate::schema::RawRuleFile;

/// A built-in rule file, converted to JSON at build time. Its matchers are kept apart, so a
/// scan of one language parses only the matchers that run on it.
pub(crate) struct BuiltinFile {
    /// The path relative to `rules/`.
    rel: &'static str,
    /// The file without its matchers.
    json: &'static str,
    /// The Markdown docs beside it.
    docs: Option<&'static str>,
    /// Per rule of the file, its matchers.
    rule_matchers: &'static [&'static [BuiltinMatcher]],
    /// Per source set of the file, its sources per language (as matchers).
    set_matchers: &'static [&'static [BuiltinMatcher]],
}

/// One matcher of a built-in rule (or one language of a source set).
pub(crate) struct BuiltinMatcher {
    /// The language, as JSON.
    language: &'static str,
    /// The matcher, as JSON.
    json: &'static str,
    /// Groups of [`BUILTIN_LITERALS`] (by index) that a text must each hold one of for the
    /// matcher to be able to match in it: the literal groups of its compiled prefilter, from
    /// the checked-in table `generated/builtin_prefilters.json`. `None` when the table does
    /// not know the matcher (edited since), or for source sets.
    needs: Option<&'static [&'static [u16]]>,
}

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// A build-time table of patterns and the literals worked out for each (`BUILTIN_PREFIXES`,
/// `BUILTIN_REQUIRED`), sorted by pattern.
pub(crate) type PatternTable = &'static [(&'static str, Option<&'static [&'static [u8]]>)];

/// `pattern`'s entry in `table`: `None` when the pack has no such pattern.
pub(crate) fn table_entry(
    table: PatternTable,
    pattern: &str,
) -> Option<Option<&'static [&'static [u8]]>> {
    table
        .binary_search_by(|(p, _)| (*p).cmp(pattern))
        .ok()
        .map(|i| table[i].1)
}

/// Asserts that `table` is sorted and holds, for each pattern, what `literals` works out for
/// it at run time.
#[cfg(test)]
pub(crate) fn assert_table_is_runtime(
    table: PatternTable,
    literals: fn(&str) -> Option<Vec<Vec<u8>>>,
) {
    assert!(table.is_sorted_by(|a, b| a.0 < b.0));
    for (pattern, built) in table {
        let built = built.map(|b| b.iter().map(|l| l.to_vec()).collect::<Vec<_>>());
        assert_eq!(built, literals(pattern), "{pattern}");
    }
}

/// Builds a rule set from the built-in pack, rule folders and configured source additions,
/// then links each data-flow rule to the source set it names. The built-in source sets are
/// always known, so a user rule can use `source-set: llm-output` without the built-in rules.
pub struct RuleLoader {
    rules: Vec<Rule>,
    sets: Vec<SourceSet>,
    /// How many of `sets` (the first) are the built-in ones.
    builtin_sets: usize,
    /// The built-in sets hold only the matchers of `languages`.
    sets_scoped: bool,
    /// The languages of the files to scan, when known: the built-in pack then keeps only the
    /// matchers that run on them (see [`RuleLoader::for_languages`]).
    languages: Option<Vec<Lang>>,
    /// For one snippet: which [`BUILTIN_LITERALS`] it holds (see [`RuleLoader::for_snippet`]).
    snippet_literals: Option<Vec<bool>>,
}

impl RuleLoader {
    /// A loader that knows the built-in source sets and holds no rules yet.
    pub fn new() -> Result<Self, RuleError> {
        Self::scoped(None)
    }

    /// A loader for scanning files of `languages` only (a snippet on standard input): the
    /// built-in rules keep their ids, docs and metadata, but only the matchers that run on
    /// those languages are read and compiled (start-up is most of a snippet's scan).
    pub fn for_languages(languages: &[Lang]) -> Result<Self, RuleError> {
        Self::scoped(Some(languages.to_vec()))
    }

    /// A loader for scanning one snippet of `language` source code (`check --stdin`): as
    /// [`RuleLoader::for_languages`], and the built-in matchers whose prefilter the snippet
    /// cannot satisfy are left out too (a forty-line snippet satisfies about one matcher in
    /// seven, and reading and compiling the others was a third of its scan). The snippet's
    /// findings are the same: such a matcher would not run on it.
    ///
    /// `text` must be the code as scanned, in a plain source file of `language` (a
    /// notebook's code sits in JSON strings, escaped: use [`RuleLoader::for_languages`]).
    pub fn for_snippet(language: Lang, text: &str) -> Result<Self, RuleError> {
        let mut loader = Self::scoped(Some(vec![language]))?;
        loader.snippet_literals = Some(literals_in(text.as_bytes()));
        Ok(loader)
    }

    fn scoped(languages: Option<Vec<Lang>>) -> Result<Self, RuleError> {
        // Only the sets' matchers of the languages to scan: the built-in rules load only
        // theirs. A user's rule of another language may name a set, so a rule folder brings
        // in the others (see `add_path`).
        let sets = builtin_sets(languages.as_deref())?;
        Ok(Self {
            rules: Vec::new(),
            builtin_sets: sets.len(),
            sets_scoped: languages.is_some(),
            sets,
            languages,
            snippet_literals: None,
        })
    }

    /// Adds the rules that ship inside codeguard.
    pub fn add_builtin_rules(&mut self) -> Result<(), RuleError> {
        let mut rules = Vec::new();
        for file in BUILTIN_RULE_FILES {
            // Files with only source sets were read by `new`.
            if file.rule_matchers.is_empty() {
                continue;
            }
            let pack = Path::new(file.rel)
                .parent()
                .and_then(|p| p.to_str())
                .unwrap_or("user");
            let path = format!("rules/{}", file.rel);
            let path = Path::new(&path);
            let raw = builtin_raw(
                file,
                self.languages.as_deref(),
                self.snippet_literals.as_deref(),
            )?;
            rules.extend(compile_file(raw, path, pack, true, file.docs)?.0);
        }
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        self.rules.extend(rules);
        Ok(())
    }

    /// Adds every `*.yaml`/`*.yml` file under `dir` but YAML fixtures (`*.fixture.yaml`), or
    /// `dir` itself when it is a file: its
    /// rules, and its source sets (which extend sets of the same id). The pack of a rule is the
    /// name of the folder holding its file.
    pub fn add_path(&mut self, dir: &Path) -> Result<(), RuleError> {
        if !dir.exists() {
            return Err(RuleError::new(dir, 0, 0, "rule path does not exist"));
        }
        // A user's rules are not scoped: the sets they name need every language.
        if self.sets_scoped {
            let all = builtin_sets(None)?;
            let count = all.len();
            self.sets.splice(..self.builtin_sets, all);
            self.builtin_sets = count;
            self.sets_scoped = false;
        }
        let mut files = Vec::new();
        if dir.is_file() {
            files.push(dir.to_path_buf());
        } else {
            collect_yaml(dir, &mut files).map_err(|e| RuleError::new(dir, 0, 0, e.to_string()))?;
        }
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| RuleError::new(&file, 0, 0, format!("cannot read rule file: {e}")))?;
            let pack = file
                .parent()
                .and_then(|p| p.file_name())
                .and_then(|n| n.to_str())
                .unwrap_or("user")
                .to_string();
            let docs = std::fs::read_to_string(file.with_extension("md")).ok();
            let (rules, sets) = parse_file(&text, &file, &pack, false, docs.as_deref())?;
            self.rules.extend(rules);
            self.sets.extend(sets);
        }
        Ok(())
    }

    /// Adds calls whose result belongs to source set `id` in `lang` (from the configuration).
    pub fn add_source_calls(
        &mut self,
        id: &str,
        lang: Lang,
        calls: &[String],
        origin: &Path,
    ) -> Result<(), RuleError> {
        // The label the set already uses in this language names the new sources too.
        let label = self
            .sets
            .iter()
            .filter(|s| s.id == id)
            .flat_map(|s| &s.languages)
            .filter(|l| l.lang == lang)
            .flat_map(|l| &l.sources)
            .find_map(|e| e.label.clone());
        if !self.sets.iter().any(|s| s.id == id) {
            let known: Vec<&str> = self.sets.iter().map(|s| s.id.as_str()).collect();
            return Err(RuleError::new(
                origin,
                0,
                0,
                format!("unknown source set `{id}` (known: {})", known.join(", ")),
            ));
        }
        let language =
            crate::compile::compile_source_set_language(crate::schema::RawSourceSetMatcher {
                language: lang,
                prefilter: None,
                prefilter_names: None,
                sources: vec![crate::schema::RawTaintEndpoint {
                    kinds: Vec::new(),
                    methods: Vec::new(),
                    injected_types: None,
                    conditions: vec![crate::schema::Predicate::Calls(calls.to_vec())],
                    label,
                }],
            })
            .map_err(|e| RuleError::new(origin, 0, 0, format!("source set `{id}`: {e}")))?;
        self.sets.push(SourceSet {
            id: id.to_string(),
            description: None,
            languages: vec![language],
            includes: Vec::new(),
            across_files: true,
        });
        Ok(())
    }

    /// The rules, each data-flow matcher linked to its source set.
    pub fn finish(mut self) -> Result<Vec<Rule>, RuleError> {
        let sets = crate::compile::include_source_sets(merge_source_sets(self.sets))?;
        link_source_sets(&mut self.rules, &sets)?;
        Ok(self.rules)
    }
}

/// Parses one rule file's text into its rules and source sets (not yet linked).
fn parse_file(
    text: &str,
    path: &Path,
    pack: &str,
    builtin: bool,
    docs: Option<&str>,
) -> Result<(Vec<Rule>, Vec<SourceSet>), RuleError> {
    compile_file(parse_raw(text, path, builtin)?, path, pack, builtin, docs)
}

/// Reads one rule file's text (the embedded pack's JSON, or a user's YAML) and checks that
/// each rule matches something.
fn parse_raw(text: &str, path: &Path, builtin: bool) -> Result<RawRuleFile, RuleError> {
    let raw: RawRuleFile = if builtin {
        // The embedded pack was converted to JSON (and checked) at build time.
        serde_json::from_str(text)
            .map_err(|e| RuleError::new(path, e.line(), e.column(), e.to_string()))?
    } else {
        serde_saphyr::from_str(text).map_err(|e| yaml_error(path, &e))?
    };
    for rule in &raw.rules {
        if rule.matchers.is_empty() && rule.artifact.is_none() {
            let at = &rule.id.defined;
            return Err(RuleError::new(
                path,
                at.line() as usize,
                at.column() as usize,
                format!("rule `{}` has no matchers", rule.id.value),
            ));
        }
    }
    Ok(raw)
}

/// Which [`BUILTIN_LITERALS`] `text` holds: the search `LangPlan::find_each` makes over a
/// plan's literals, here over the built-in table.
fn literals_in(text: &[u8]) -> Vec<bool> {
    static INDEX: std::sync::LazyLock<crate::plan::PairIndex> =
        std::sync::LazyLock::new(|| crate::plan::PairIndex::new(BUILTIN_LITERALS));
    let mut found = vec![None; BUILTIN_LITERALS.len()];
    INDEX.find_first(BUILTIN_LITERALS, text, 0, &mut found);
    found.iter().map(Option::is_some).collect()
}

/// The built-in source sets, with their matchers for `languages` (all: `None`).
fn builtin_sets(languages: Option<&[Lang]>) -> Result<Vec<SourceSet>, RuleError> {
    let mut sets = Vec::new();
    for file in BUILTIN_RULE_FILES {
        if file.set_matchers.is_empty() {
            continue;
        }
        let path = format!("rules/{}", file.rel);
        let raw = builtin_raw(file, languages, None)?;
        for set in raw.source_sets {
            sets.push(compile_source_set(set, Path::new(&path), true)?);
        }
    }
    Ok(sets)
}

/// A built-in rule file with the matchers of its rules and source sets that run on one of
/// `languages` (all of them: `None`) and, given a snippet's literals, whose `needs` it meets;
/// the others are never parsed.
fn builtin_raw(
    file: &BuiltinFile,
    languages: Option<&[Lang]>,
    snippet_literals: Option<&[bool]>,
) -> Result<RawRuleFile, RuleError> {
    let path = format!("rules/{}", file.rel);
    let error = |e: serde_json::Error| {
        RuleError::new(Path::new(&path), e.line(), e.column(), e.to_string())
    };
    let mut raw: RawRuleFile = serde_json::from_str(file.json).map_err(error)?;
    let runs = |language: &str| -> Result<bool, RuleError> {
        let Some(languages) = languages else {
            return Ok(true);
        };
        let lang: Lang = serde_json::from_str(language).map_err(error)?;
        Ok(languages.iter().any(|file| lang.runs_on(*file)))
    };
    for (rule, matchers) in raw.rules.iter_mut().zip(file.rule_matchers) {
        if matchers.is_empty() && rule.artifact.is_none() {
            return Err(RuleError::new(
                Path::new(&path),
                0,
                0,
                format!("rule `{}` has no matchers", rule.id.value),
            ));
        }
        for matcher in *matchers {
            let needed = match (snippet_literals, matcher.needs) {
                (Some(found), Some(groups)) => groups
                    .iter()
                    .all(|group| group.iter().any(|&i| found[usize::from(i)])),
                _ => true,
            };
            if needed && runs(matcher.language)? {
                rule.matchers
                    .push(serde_json::from_str(matcher.json).map_err(error)?);
            }
        }
    }
    for (set, matchers) in raw.source_sets.iter_mut().zip(file.set_matchers) {
        for matcher in *matchers {
            if runs(matcher.language)? {
                set.matchers
                    .push(serde_json::from_str(matcher.json).map_err(error)?);
            }
        }
    }
    Ok(raw)
}

/// Compiles a rule file's rules and source sets.
fn compile_file(
    raw: RawRuleFile,
    path: &Path,
    pack: &str,
    builtin: bool,
    docs: Option<&str>,
) -> Result<(Vec<Rule>, Vec<SourceSet>), RuleError> {
    let rules = raw
        .rules
        .into_iter()
        .map(|r| compile_rule(r, path, pack, builtin, docs))
        .collect::<Result<Vec<_>, _>>()?;
    let sets = raw
        .source_sets
        .into_iter()
        .map(|s| compile_source_set(s, path, builtin))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((rules, sets))
}

/// Parses one rule file's text and links it against the built-in source sets and its own.
/// `pack` names the folder it belongs to; `docs` is the Markdown file beside it, which
/// documents a rule that has no `description`.
pub fn parse_rule_file(
    text: &str,
    path: &Path,
    pack: &str,
    builtin: bool,
    docs: Option<&str>,
) -> Result<Vec<Rule>, RuleError> {
    let mut loader = RuleLoader::new()?;
    let (rules, sets) = parse_file(text, path, pack, builtin, docs)?;
    loader.rules = rules;
    loader.sets.extend(sets);
    loader.finish()
}

fn yaml_error(path: &Path, err: &serde_saphyr::Error) -> RuleError {
    let (line, column) = err
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((0, 0));
    // The rendered error starts with "error: line L column C: message" and then draws a
    // snippet; keep only the message, the position is reported separately.
    let rendered = err.to_string();
    let first = rendered.lines().next().unwrap_or_default();
    let message = first.trim_start_matches("error: ");
    let message = match message.split_once(": ") {
        Some((pos, rest)) if pos.starts_with("line ") => rest,
        _ => message,
    };
    RuleError::new(path, line, column, message.to_string())
}

/// The rules that ship inside codeguard.
pub fn builtin_rules() -> Result<Vec<Rule>, RuleError> {
    let mut loader = RuleLoader::new()?;
    loader.add_builtin_rules()?;
    loader.finish()
}

/// Loads the rules under `dir` (with the built-in source sets, without the built-in rules).
pub fn load_rule_path(dir: &Path) -> Result<Vec<Rule>, RuleError> {
    let mut loader = RuleLoader::new()?;
    loader.add_path(dir)?;
    loader.finish()
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_yaml(&path, out)?;
        } else if is_rule_file(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// A `*.yaml`/`*.yml` file in a rule folder is a rule file, except a YAML fixture of a rule
/// (`<rule>.fixture.yaml`: a configuration file the rule scans as text).
pub fn is_rule_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    path.extension().is_some_and(|e| e == "yaml" || e == "yml")
        && !name.ends_with(".fixture.yaml")
        && !name.ends_with(".fixture.yml")
}

/// A fingerprint of the built-in pack's text (for caches keyed by the rules that produced them).
pub fn builtin_pack_fingerprint() -> u64 {
    let mut hash = crate::fnv::Fnv64::default();
    for file in BUILTIN_RULE_FILES {
        let matchers = file
            .rule_matchers
            .iter()
            .chain(file.set_matchers)
            .flat_map(|m| m.iter())
            .flat_map(|m| [m.language, m.json]);
        let parts = [file.rel, file.json, file.docs.unwrap_or_default()];
        for part in parts.into_iter().chain(matchers) {
            hash.write(part.as_bytes());
        }
    }
    hash.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::PrefilterPattern;

    /// The prefilter table as the compiler sees the pack now: per built-in matcher, the hash
    /// of its JSON and the groups of its compiled prefilter that hold only literals and names
    /// (those a snippet's bytes can be checked against before the matcher is read). Groups of
    /// regexes are left out, as are the groups a plan drops (past 64) and the source-set
    /// groups linking adds: fewer groups only keep more matchers.
    fn prefilter_table() -> String {
        let mut entries = Vec::new();
        for file in BUILTIN_RULE_FILES {
            if file.rule_matchers.is_empty() {
                continue;
            }
            let path = format!("rules/{}", file.rel);
            let raw = builtin_raw(file, None, None).unwrap();
            let (rules, _) = compile_file(raw, Path::new(&path), "pack", true, file.docs).unwrap();
            assert_eq!(rules.len(), file.rule_matchers.len(), "{path}");
            for (rule, matchers) in rules.iter().zip(file.rule_matchers) {
                assert_eq!(rule.matchers.len(), matchers.len(), "{path}");
                for (index, (compiled, builtin)) in rule.matchers.iter().zip(*matchers).enumerate()
                {
                    let groups: Vec<Vec<&str>> = compiled
                        .prefilter
                        .iter()
                        .flat_map(|groups| groups.iter().take(64))
                        .filter_map(|group| {
                            group
                                .iter()
                                .map(|pattern| match pattern {
                                    PrefilterPattern::Literal(l) | PrefilterPattern::Name(l) => {
                                        Some(l.as_str())
                                    }
                                    PrefilterPattern::Regex(_) => None,
                                })
                                .collect()
                        })
                        .collect();
                    entries.push(serde_json::json!({
                        "file": file.rel,
                        "rule": rule.id,
                        "matcher": index,
                        "hash": format!("{:016x}", crate::fnv::fnv1a(builtin.json.as_bytes())),
                        "groups": groups,
                    }));
                }
            }
        }
        // One matcher per line, so a rule change shows as a change of its lines.
        let lines: Vec<String> = entries.iter().map(|e| format!("    {e}")).collect();
        format!(
            "{{\n  \"about\": {},\n  \"matchers\": [\n{}\n  ]\n}}\n",
            serde_json::Value::from(
                "Generated by `CODEGUARD_UPDATE_GENERATED=1 cargo test -p codeguard_rules \
                 builtin_prefilters_are_current`: the literal groups of each built-in \
                 matcher's prefilter, which `check --stdin` tests a snippet against before \
                 reading the matcher. Do not edit."
            ),
            lines.join(",\n")
        )
    }

    #[test]
    fn builtin_prefilters_are_current() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/builtin_prefilters.json");
        let table = prefilter_table();
        if std::env::var_os("CODEGUARD_UPDATE_GENERATED").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &table).unwrap();
            return;
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == table,
            "{} is out of date with the rule pack (a stale table only makes `check --stdin` \
             read matchers it could skip): run `CODEGUARD_UPDATE_GENERATED=1 cargo test -p \
             codeguard_rules builtin_prefilters_are_current` and commit the file",
            path.display()
        );
        // Every built-in matcher found its groups in the table the build read.
        let unknown: Vec<&str> = BUILTIN_RULE_FILES
            .iter()
            .filter(|f| {
                f.rule_matchers
                    .iter()
                    .flat_map(|m| m.iter())
                    .any(|m| m.needs.is_none())
            })
            .map(|f| f.rel)
            .collect();
        assert!(
            unknown.is_empty(),
            "matchers the build's table lacked: {unknown:?}"
        );
    }
}
