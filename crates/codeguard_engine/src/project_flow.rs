//! Flows through functions of other project files, one level deep, as the same-file
//! summaries do within a file: `from .tools import run_command; run_command(answer)` where
//! `tools.py` passes its parameter to a shell, or `answer = ask(prompt)` where `llm.py`'s
//! `ask` returns model output.
//!
//! The walk scans every file on its own first. In a project scan, a parsed file records the
//! names it imports and which sides of each source set's flows it holds: its sources (found
//! by the analysis) and its sinks (by their tokens). Afterwards the names are resolved to
//! project files; where an importer holds one side of a flow and the defining file the other
//! (or the importer has findings a check could clear), the imported functions are summarised
//! (those files parsed again) and the importer is scanned again knowing them.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::path::Path;
use std::sync::Arc;

use codeguard_language::Lang;
use codeguard_rules::{RuleError, RuleSet};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::deadline::Deadline;
use crate::flow::{Analysis, ExportedSummary, ImportedFunction, ImportedFunctions};
use crate::scan::{MatchContext, ScanOptions};
use crate::semantic::Semantic;
use crate::walk::FileOutcome;

/// What one file's scan records for linking (only for files it parsed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleLinks {
    /// The qualified names the file imports.
    #[serde(default)]
    pub imports: Option<Vec<String>>,
    /// The sides of data-flow rules' flows the file holds.
    #[serde(default)]
    pub sides: Vec<FlowSides>,
    /// The imports of `imports` a relative import bound, as it wrote them (`utils.logging`,
    /// `..utils.logging`): resolved from the file's folder.
    #[serde(default)]
    pub relative: Vec<(String, String)>,
}

/// A function of a file and what it does with taint, per source set (by key hash).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedFunction {
    pub name: String,
    pub line: usize,
    pub summaries: Vec<(u64, ExportedSummary)>,
}

/// Whether a file holds the sources and the sinks of the rules sharing one source set (by
/// their tokens: a file without them cannot hold them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowSides {
    /// The source set's key ([`codeguard_rules::compile::Taint::sources_key`]), hashed.
    pub key: u64,
    pub sources: bool,
    pub sinks: bool,
}

impl FlowSides {
    pub(crate) fn add(sides: &mut Vec<FlowSides>, key: &str, sources: bool, sinks: bool) {
        let key = key_hash(key);
        match sides.iter_mut().find(|s| s.key == key) {
            Some(s) => {
                s.sources |= sources;
                s.sinks |= sinks;
            }
            None => sides.push(FlowSides {
                key,
                sources,
                sinks,
            }),
        }
    }
}

/// A stable hash of a source set's key (FNV-1a): recorded in the result cache.
pub(crate) fn key_hash(key: &str) -> u64 {
    codeguard_rules::fnv::fnv1a(key.as_bytes())
}

/// What a file wants from the functions it imports, per source set.
#[derive(Default, Clone, Copy)]
struct Wants {
    /// It holds sources: functions that pass a parameter to a sink.
    sinks: bool,
    /// It holds sinks: functions that return a source.
    sources: bool,
    /// It has findings of the set's rules: functions that check their parameter.
    guards: bool,
}

/// Rescans the files of `files` that import functions of other files in the list which
/// complete a flow they hold one side of, or check a value they report. Returns how many
/// files were scanned again.
pub fn link_modules(
    rules: &RuleSet,
    options: &ScanOptions,
    files: &mut [FileOutcome],
) -> Result<usize, RuleError> {
    let stats = Stats::new();
    let modules = ModuleIndex::new(files);
    // Rule id -> its source set, per language family: a finding says which set it belongs to.
    let mut rule_sets: HashMap<(Lang, String), u64> = HashMap::new();
    for f in files.iter() {
        let Some(lang) = modules.lang_of(f) else {
            continue;
        };
        if rule_sets.keys().any(|(l, _)| *l == lang) {
            continue;
        }
        for m in &rules.plan(lang)?.matchers {
            let rule = &rules.rules()[m.rule];
            if let Some(taint) = rule.matchers[m.matcher]
                .taint
                .as_ref()
                .filter(|t| t.across_files)
            {
                rule_sets.insert((lang, rule.id.clone()), key_hash(&taint.sources_key));
            }
        }
    }
    // What each file imports from other project files: (qualified call name, defining
    // file, function; `None`: the module, so all of them).
    let resolved: Vec<Vec<(String, usize, Option<String>)>> = files
        .iter()
        .enumerate()
        .map(|(a, file)| {
            let (Some(lang), Some(names)) = (modules.lang_of(file), &file.links.imports) else {
                return Vec::new();
            };
            let syntax = crate::syntax::of(lang);
            let relative = &file.links.relative;
            let written = |name: &'_ String| -> String {
                relative
                    .iter()
                    .find(|(qualified, _)| qualified == name)
                    .map_or_else(|| name.clone(), |(_, written)| written.clone())
            };
            names
                .iter()
                .flat_map(|name| {
                    syntax
                        .project_modules(&written(name))
                        .into_iter()
                        .filter_map(|module| {
                            let b = modules.resolve(a, &module)?;
                            Some((name.clone(), b, module.function))
                        })
                })
                .collect()
        })
        .collect();
    let sides_of = |b: usize, key: u64| {
        files[b]
            .links
            .sides
            .iter()
            .find(|s| s.key == key)
            .map_or((false, false), |s| (s.sources, s.sinks))
    };
    // A file wants sinks where it holds sources, itself or through a function it imports
    // (`answer = ask(q)` from one module, `run_shell(answer)` from another), and so on.
    let wants_of = |a: usize| -> HashMap<u64, Wants> {
        let f = &files[a];
        let mut wants: HashMap<u64, Wants> = HashMap::new();
        let imported_sides = resolved[a]
            .iter()
            .flat_map(|(_, b, _)| files[*b].links.sides.iter());
        for side in f.links.sides.iter().chain(imported_sides) {
            let w = wants.entry(side.key).or_default();
            w.sinks |= side.sources;
            w.sources |= side.sinks;
        }
        for d in &f.diagnostics {
            if let Some(key) = rule_sets.get(&(f.lang, d.rule_id.clone())) {
                wants.entry(*key).or_default().guards = true;
            }
        }
        wants
    };
    let mut wanted: Vec<(usize, String, usize, Option<String>)> = Vec::new();
    // Defining file -> the source sets some importer needs summarised there.
    #[allow(clippy::type_complexity)]
    let mut needed: HashMap<usize, (HashSet<u64>, Option<HashSet<String>>)> = HashMap::new();
    let mut wants_per_file: HashMap<usize, HashMap<u64, Wants>> = HashMap::new();
    for (a, imports) in resolved.iter().enumerate() {
        if imports.is_empty() {
            continue;
        }
        let wants = wants_of(a);
        for (name, b, function) in imports {
            let sets: Vec<u64> = wants
                .iter()
                .filter(|(key, w)| {
                    let (sources, sinks) = sides_of(*b, **key);
                    (w.sinks && sinks) || (w.sources && sources) || w.guards
                })
                .map(|(key, _)| *key)
                .collect();
            if sets.is_empty() {
                continue;
            }
            let need = needed
                .entry(*b)
                .or_insert_with(|| (HashSet::new(), Some(HashSet::new())));
            need.0.extend(sets);
            // Only the functions imported by name are summarised (all, for a module).
            match function {
                Some(f) => {
                    if let Some(names) = &mut need.1 {
                        names.insert(f.clone());
                    }
                }
                None => need.1 = None,
            }
            wanted.push((a, name.clone(), *b, function.clone()));
        }
        wants_per_file.insert(a, wants);
    }
    stats.phase("link");
    stats.count(
        "importers",
        resolved.iter().filter(|r| !r.is_empty()).count(),
    );
    stats.count("pairs", wanted.len());
    stats.count("modules", needed.len());
    if wanted.is_empty() {
        return Ok(0);
    }
    #[allow(clippy::type_complexity)]
    let needed: Vec<(usize, (HashSet<u64>, Option<HashSet<String>>))> =
        needed.into_iter().collect();
    let late: HashMap<usize, Vec<ExportedFunction>> = needed
        .par_iter()
        .map(|(b, (sets, names))| {
            let f = &files[*b];
            export_file(rules, f.lang, &f.path, options, sets, names.as_ref()).map(|e| (*b, e))
        })
        .collect::<Result<_, _>>()?;
    stats.phase("exports");
    stats.count("exported-fns", late.values().map(|v| v.len()).sum());
    // Defining file -> its functions, from its scan and from the late summaries.
    let mut exports: HashMap<usize, HashMap<String, Arc<ImportedFunction>>> = HashMap::new();
    for b in wanted.iter().map(|(_, _, b, _)| *b) {
        if exports.contains_key(&b) {
            continue;
        }
        let display = &files[b].path;
        let mut functions: HashMap<String, ImportedFunction> = HashMap::new();
        let all = late.get(&b).into_iter().flatten();
        for exported in all {
            let f = functions
                .entry(exported.name.clone())
                .or_insert_with(|| ImportedFunction {
                    location: format!(
                        "`{}` ({}:{})",
                        exported.name,
                        display.display(),
                        exported.line
                    ),
                    summaries: HashMap::new(),
                });
            f.summaries.extend(exported.summaries.iter().cloned());
        }
        exports.insert(
            b,
            functions
                .into_iter()
                .map(|(name, f)| (name, Arc::new(f)))
                .collect(),
        );
    }
    let mut per_file: HashMap<usize, ImportedFunctions> = HashMap::new();
    for (a, name, b, function) in wanted {
        let Some(functions) = exports.get(&b) else {
            continue;
        };
        let wants = &wants_per_file[&a];
        // Only what completes a flow here: a function that sinks its parameter where this
        // file has sources, and so on.
        let useful = |f: &ImportedFunction| {
            f.summaries.iter().any(|(key, summary)| {
                wants.get(key).is_some_and(|w| {
                    (w.sinks && !summary.param_sinks.is_empty())
                        || (w.sources
                            && matches!(
                                summary.returns,
                                Some(crate::flow::ExportedReturn::Source(_))
                            ))
                        || (w.guards && !summary.guards.is_empty())
                })
            })
        };
        let sep = crate::syntax::of(files[a].lang).path_separator();
        let imported = per_file.entry(a).or_default();
        match function {
            Some(function) => {
                if let Some(f) = functions.get(&function).filter(|f| useful(f)) {
                    imported.insert(name, f.clone());
                }
            }
            None => {
                for (function, f) in functions {
                    if useful(f) {
                        imported.insert(format!("{name}{sep}{function}"), f.clone());
                    }
                }
            }
        }
    }
    per_file.retain(|_, imported| !imported.is_empty());
    let rescans: Vec<(usize, ImportedFunctions)> = per_file.into_iter().collect();
    let rescanned: Vec<(usize, FileOutcome)> = rescans
        .into_par_iter()
        .map(|(a, imported)| {
            let options = ScanOptions {
                imported: Some(Arc::new(imported)),
                ..options.clone()
            };
            let f = &files[a];
            crate::walk::scan_file(rules, &f.path, f.lang, &options).map(|o| (a, o))
        })
        .collect::<Result<_, _>>()?;
    stats.phase("rescans");
    stats.count("rescanned", rescanned.len());
    let count = rescanned.len();
    for (a, fresh) in rescanned {
        // Read again meanwhile: keep what the first scan found if the file went away.
        if fresh.skipped.is_some() {
            continue;
        }
        let file = &mut files[a];
        file.diagnostics = fresh.diagnostics;
        file.syntax_errors = fresh.syntax_errors;
        file.suppressed = fresh.suppressed;
        file.unused_suppressions = fresh.unused_suppressions;
    }
    Ok(count)
}

/// Timings of the link step, on stderr with `CODEGUARD_LINK_STATS` set (to tell where its
/// cost goes).
struct Stats {
    on: bool,
    last: std::cell::Cell<(std::time::Instant, f64)>,
}

impl Stats {
    fn new() -> Self {
        let on = std::env::var_os("CODEGUARD_LINK_STATS").is_some();
        if on {
            eprintln!("link: before {:.2}s cpu", Self::cpu());
        }
        Stats {
            on,
            last: std::cell::Cell::new((std::time::Instant::now(), Self::cpu())),
        }
    }

    /// The process's CPU seconds so far (Linux; 0 elsewhere).
    fn cpu() -> f64 {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
        let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
        // utime and stime, in clock ticks (100 a second).
        ticks(11)
            .zip(ticks(12))
            .map_or(0.0, |(u, s)| (u + s) / 100.0)
    }

    fn phase(&self, name: &str) {
        if self.on {
            let (now, cpu) = (std::time::Instant::now(), Self::cpu());
            let (then, before) = self.last.get();
            eprintln!(
                "link: {name} {:.3}s, {:.2}s cpu",
                (now - then).as_secs_f64(),
                cpu - before
            );
            self.last.set((now, cpu));
        }
    }

    fn count(&self, name: &str, n: usize) {
        if self.on {
            eprintln!("link: {name} {n}");
        }
    }
}

/// The project's source files by module path (path without extension, a package file
/// standing for its folder).
struct ModuleIndex {
    keys: Vec<Option<Vec<String>>>,
    langs: Vec<Option<Lang>>,
    /// Last path component -> files.
    by_name: HashMap<String, Vec<usize>>,
    /// The folders holding a package file (`__init__.py`), by key.
    packages: HashSet<Vec<String>>,
}

impl ModuleIndex {
    fn new(files: &[FileOutcome]) -> Self {
        let langs: Vec<Option<Lang>> = files
            .iter()
            .map(|f| {
                let syntax = crate::syntax::of(f.lang);
                (f.skipped.is_none() && syntax.has_flow() && !crate::notebook::is_notebook(&f.path))
                    .then_some(f.lang)
            })
            .collect();
        let mut packages = HashSet::new();
        let keys: Vec<Option<Vec<String>>> = files
            .iter()
            .zip(&langs)
            .map(|(f, lang)| {
                let lang = (*lang)?;
                let mut key: Vec<String> = f
                    .path
                    .with_extension("")
                    .components()
                    .filter_map(|c| match c {
                        std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                        std::path::Component::ParentDir => Some("..".to_string()),
                        _ => None,
                    })
                    .collect();
                if key.last().map(String::as_str) == Some(crate::syntax::of(lang).package_file()) {
                    key.pop();
                    packages.insert(key.clone());
                }
                Some(key)
            })
            .collect();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, key) in keys.iter().enumerate() {
            if let Some(last) = key.as_ref().and_then(|k| k.last()) {
                by_name.entry(last.clone()).or_default().push(i);
            }
        }
        ModuleIndex {
            keys,
            langs,
            by_name,
            packages,
        }
    }

    fn lang_of(&self, file: &FileOutcome) -> Option<Lang> {
        let syntax = crate::syntax::of(file.lang);
        (file.skipped.is_none() && syntax.has_flow() && !crate::notebook::is_notebook(&file.path))
            .then_some(file.lang)
    }

    /// The file `module` names, seen from file `from`: for a path matched by its end, the
    /// one nearest the importing file (most leading folders in common).
    fn resolve(&self, from: usize, module: &crate::syntax::ModuleRef) -> Option<usize> {
        let from_key = self.keys[from].as_ref()?;
        let from_lang = self.langs[from]?;
        let target: Vec<String> = if module.relative {
            let mut dir: Vec<String> = from_key[..from_key.len().saturating_sub(1)].to_vec();
            for part in &module.path {
                if part == ".." {
                    dir.pop()?;
                } else {
                    dir.push(part.clone());
                }
            }
            dir
        } else {
            module.path.clone()
        };
        let last = target.last()?;
        // A JavaScript file imports TypeScript and the other way round.
        let same_family =
            |b: usize| self.langs[b].is_some_and(|l| l.runs_on(from_lang) || from_lang.runs_on(l));
        self.by_name
            .get(last)?
            .iter()
            .copied()
            .filter(|b| *b != from && same_family(*b))
            .filter(|b| {
                let key = self.keys[*b].as_deref().unwrap_or_default();
                if module.relative {
                    key == target.as_slice()
                } else {
                    // The folder the module path starts from must be able to be on the
                    // import path: not a package, unless the importing file is in it (a
                    // script run from there, or the scanned folder itself).
                    let root = &key[..key.len().saturating_sub(target.len())];
                    key.ends_with(&target)
                        && !(self.langs[*b].is_some_and(|l| {
                            crate::syntax::of(l).absolute_imports_start_at_a_root()
                        }) && self.packages.contains(root)
                            && !from_key.starts_with(root))
                }
            })
            .max_by_key(|b| {
                let key = self.keys[*b].as_deref().unwrap_or_default();
                let shared = key.iter().zip(from_key).take_while(|(x, y)| x == y).count();
                (shared, std::cmp::Reverse(*b))
            })
    }
}

fn read_source(path: &Path, options: &ScanOptions) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.len() > options.max_file_bytes {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    crate::walk::decode(&bytes).ok().map(|t| t.into_owned())
}

/// What each function of a file does with taint for the source sets `sets`, reading and
/// parsing it again (for a module its own scan did not summarise).
fn export_file(
    rules: &RuleSet,
    lang: Lang,
    path: &Path,
    options: &ScanOptions,
    sets: &HashSet<u64>,
    names: Option<&HashSet<String>>,
) -> Result<Vec<ExportedFunction>, RuleError> {
    let plan = rules.plan(lang)?;
    let Some(text) = read_source(path, options) else {
        return Ok(Vec::new());
    };
    // Only functions are summarised: names the file never defines as one (classes,
    // constants, names it imports itself) leave nothing to parse.
    let syntax = crate::syntax::of(lang);
    if names.is_some_and(|names| {
        !names
            .iter()
            .any(|name| syntax.may_define_function(text.as_bytes(), name))
    }) {
        return Ok(Vec::new());
    }
    let deadline = Deadline::for_scan(options);
    // Named functions: only they and what they call need parsing (see `partial`), and the
    // assignments of the attributes they read if a summarised flow asks whether values are
    // code-defined.
    let attributes = plan.matchers.iter().any(|m| {
        let matcher = &rules.rules()[m.rule].matchers[m.matcher];
        matcher
            .taint
            .as_ref()
            .is_some_and(|t| t.across_files && sets.contains(&key_hash(&t.sources_key)))
            && crate::partial::reach(matcher) == codeguard_rules::plan::Reach::Attributes
    });
    let ranges = names
        .filter(|_| text.len() >= options.partial_parse_min_bytes)
        .and_then(|names| {
            crate::partial::ranges_of_functions(lang, text.as_bytes(), names, attributes)
        });
    let Some(tree) = crate::scan::parse_parts(lang, &text, &deadline, ranges).0 else {
        return Ok(Vec::new());
    };
    let sem = Semantic::with_deadline(lang, &text, tree.root_node(), deadline);
    let keys: Vec<u64> = sets.iter().copied().collect();
    Ok(export_sets(rules, plan, &sem, options, &keys, names))
}

/// What the functions of a parsed file (`names`, or all) do with taint for the source sets
/// `keys` (one summary pass per set), leaving out functions that do nothing with it.
fn export_sets(
    rules: &RuleSet,
    plan: &codeguard_rules::LangPlan,
    sem: &Semantic<'_>,
    options: &ScanOptions,
    keys: &[u64],
    names: Option<&HashSet<String>>,
) -> Vec<ExportedFunction> {
    // Source sets group the rules: one summary pass per group.
    let mut groups: Vec<(u64, Vec<&codeguard_rules::compile::Taint>, Vec<&str>)> = Vec::new();
    for m in &plan.matchers {
        let rule = &rules.rules()[m.rule];
        let Some(taint) = rule.matchers[m.matcher]
            .taint
            .as_ref()
            .filter(|t| t.across_files)
        else {
            continue;
        };
        let key = key_hash(&taint.sources_key);
        if !keys.contains(&key) {
            continue;
        }
        match groups
            .iter_mut()
            .find(|(k, members, _)| *k == key && members.len() < 64)
        {
            Some((_, members, ids)) => {
                if !ids.contains(&rule.id.as_str()) {
                    members.push(taint);
                    ids.push(rule.id.as_str());
                }
            }
            None => groups.push((key, vec![taint], vec![rule.id.as_str()])),
        }
    }
    let mut functions: Vec<ExportedFunction> = Vec::new();
    for (key, members, ids) in &groups {
        for (name, (line, summary)) in export_group(sem, options, members, ids, names) {
            let at = match functions.iter().position(|f| f.name == name) {
                Some(at) => at,
                None => {
                    functions.push(ExportedFunction {
                        name,
                        line,
                        summaries: Vec::new(),
                    });
                    functions.len() - 1
                }
            };
            functions[at].summaries.push((*key, summary));
        }
    }
    functions.sort_by(|a, b| a.name.cmp(&b.name));
    functions
}

fn export_group<'t>(
    sem: &Semantic<'t>,
    options: &ScanOptions,
    members: &[&codeguard_rules::compile::Taint],
    rule_ids: &[&str],
    names: Option<&HashSet<String>>,
) -> HashMap<String, (usize, crate::flow::ExportedSummary)> {
    let matches = |conditions: &[codeguard_rules::Condition], node: tree_sitter::Node<'t>| {
        let ctx = MatchContext::new(None, &[], node, sem, options);
        conditions
            .iter()
            .all(|c| crate::scan::holds(c, &ctx, &mut None))
    };
    Analysis::export(sem, members, rule_ids, &matches, names)
}
