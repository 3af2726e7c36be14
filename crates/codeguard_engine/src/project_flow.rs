//! Flows through functions of other project files, one level deep, as the same-file
//! summaries do within a file: `from .tools import run_command; run_command(answer)` where
//! `tools.py` passes its parameter to a shell, or `answer = ask(prompt)` where `llm.py`'s
//! `ask` returns model output.
//!
//! The walk scans every file on its own first. A file where a data-flow rule found its
//! sources or its sinks (a *candidate*) records the names it imports. Afterwards those names
//! are resolved to project files, the functions they name are summarised (parsed again, only
//! those files), and each candidate importing a function that does something with taint is
//! scanned again knowing it. Files with nothing to link cost nothing more.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codeguard_language::Lang;
use codeguard_rules::{RuleError, RuleSet};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::deadline::Deadline;
use crate::flow::{Analysis, ImportedFunction, ImportedFunctions};
use crate::scan::{MatchContext, ScanOptions};
use crate::semantic::Semantic;
use crate::walk::FileOutcome;

/// What one file's scan records for linking.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleLinks {
    /// A data-flow rule found its sources or its sinks here.
    #[serde(default)]
    pub candidate: bool,
    /// The qualified names the file imports (`None`: the file was not parsed).
    #[serde(default)]
    pub imports: Option<Vec<String>>,
}

/// Rescans the candidates of `files` that import functions of other files in the list which
/// do something with taint. Returns how many files were scanned again.
pub fn link_modules(
    rules: &RuleSet,
    options: &ScanOptions,
    files: &mut [FileOutcome],
) -> Result<usize, RuleError> {
    let modules = ModuleIndex::new(files);
    // The imports of each candidate: recorded by its scan, or read now when no rule needed
    // its tree.
    let imports: Vec<Vec<String>> = files
        .par_iter()
        .map(|f| {
            if !f.links.candidate || modules.lang_of(f).is_none() {
                return Vec::new();
            }
            match &f.links.imports {
                Some(imports) => imports.clone(),
                None => read_imports(f.lang, &f.path, options),
            }
        })
        .collect();
    // (importing file, qualified call name, defining file, function; `None`: all of them).
    let mut wanted: Vec<(usize, String, usize, Option<String>)> = Vec::new();
    for (a, names) in imports.iter().enumerate() {
        let Some(lang) = modules.lang_of(&files[a]) else {
            continue;
        };
        let syntax = crate::syntax::of(lang);
        for name in names {
            for module in syntax.project_modules(name) {
                if let Some(b) = modules.resolve(a, &module) {
                    wanted.push((a, name.clone(), b, module.function));
                }
            }
        }
    }
    if wanted.is_empty() {
        return Ok(0);
    }
    let defining: Vec<usize> = {
        let set: HashSet<usize> = wanted.iter().map(|(_, _, b, _)| *b).collect();
        let mut v: Vec<usize> = set.into_iter().collect();
        v.sort_unstable();
        v
    };
    let exports: HashMap<usize, HashMap<String, Arc<ImportedFunction>>> = defining
        .par_iter()
        .map(|b| {
            let f = &files[*b];
            export_file(rules, f.lang, &f.path, options).map(|e| (*b, e))
        })
        .collect::<Result<_, _>>()?;
    let mut per_file: HashMap<usize, ImportedFunctions> = HashMap::new();
    for (a, name, b, function) in wanted {
        let Some(functions) = exports.get(&b) else {
            continue;
        };
        let imported = per_file.entry(a).or_default();
        let sep = crate::syntax::of(files[a].lang).path_separator();
        match function {
            Some(function) => {
                if let Some(f) = functions.get(&function) {
                    imported.insert(name, f.clone());
                }
            }
            None => {
                for (function, f) in functions {
                    imported.insert(format!("{name}{sep}{function}"), f.clone());
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

/// The project's source files by module path (path without extension, a package file
/// standing for its folder).
struct ModuleIndex {
    keys: Vec<Option<Vec<String>>>,
    langs: Vec<Option<Lang>>,
    /// Last path component -> files.
    by_name: HashMap<String, Vec<usize>>,
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
                    key.ends_with(&target)
                }
            })
            .max_by_key(|b| {
                let key = self.keys[*b].as_deref().unwrap_or_default();
                let shared = key.iter().zip(from_key).take_while(|(x, y)| x == y).count();
                (shared, std::cmp::Reverse(*b))
            })
    }
}

/// Reads a file's imports (for a candidate whose scan did not parse it).
fn read_imports(lang: Lang, path: &Path, options: &ScanOptions) -> Vec<String> {
    let Some(text) = read_source(path, options) else {
        return Vec::new();
    };
    let deadline = Deadline::after(options.file_timeout);
    let Some(tree) = crate::scan::parse(lang, &text, &deadline, None) else {
        return Vec::new();
    };
    Semantic::with_deadline(lang, text.as_bytes(), tree.root_node(), deadline).imports()
}

fn read_source(path: &Path, options: &ScanOptions) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.len() > options.max_file_bytes {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    crate::walk::decode(&bytes).ok().map(|t| t.into_owned())
}

/// What each function of a file does with taint, for every data-flow rule of its language.
fn export_file(
    rules: &RuleSet,
    lang: Lang,
    path: &Path,
    options: &ScanOptions,
) -> Result<HashMap<String, Arc<ImportedFunction>>, RuleError> {
    let plan = rules.plan(lang)?;
    let Some(text) = read_source(path, options) else {
        return Ok(HashMap::new());
    };
    // Source sets group the rules: one summary pass per group.
    let mut groups: Vec<(&str, Vec<&codeguard_rules::compile::Taint>, Vec<&str>)> = Vec::new();
    for m in &plan.matchers {
        let rule = &rules.rules()[m.rule];
        let Some(taint) = &rule.matchers[m.matcher].taint else {
            continue;
        };
        match groups
            .iter_mut()
            .find(|(key, members, _)| *key == taint.sources_key && members.len() < 64)
        {
            Some((_, members, ids)) => {
                members.push(taint);
                ids.push(rule.id.as_str());
            }
            None => groups.push((&taint.sources_key, vec![taint], vec![rule.id.as_str()])),
        }
    }
    if groups.is_empty() {
        return Ok(HashMap::new());
    }
    let deadline = Deadline::after(options.file_timeout);
    let Some(tree) = crate::scan::parse(lang, &text, &deadline, None) else {
        return Ok(HashMap::new());
    };
    let sem = Semantic::with_deadline(lang, text.as_bytes(), tree.root_node(), deadline);
    let display = display_path(path);
    let mut functions: HashMap<String, ImportedFunction> = HashMap::new();
    for (key, members, ids) in &groups {
        for (name, (line, summary)) in export_group(&sem, options, members, ids) {
            let f = functions
                .entry(name.clone())
                .or_insert_with(|| ImportedFunction {
                    location: format!("`{name}` ({}:{line})", display.display()),
                    summaries: HashMap::new(),
                });
            f.summaries.insert(key.to_string(), summary);
        }
    }
    Ok(functions
        .into_iter()
        .map(|(name, f)| (name, Arc::new(f)))
        .collect())
}

fn export_group<'t>(
    sem: &Semantic<'t>,
    options: &ScanOptions,
    members: &[&codeguard_rules::compile::Taint],
    rule_ids: &[&str],
) -> HashMap<String, (usize, crate::flow::ExportedSummary)> {
    let matches = |conditions: &[codeguard_rules::Condition], node: tree_sitter::Node<'t>| {
        let ctx = MatchContext::new(None, &[], node, sem, options);
        conditions
            .iter()
            .all(|c| crate::scan::holds(c, &ctx, &mut None))
    };
    Analysis::export(sem, members, rule_ids, &matches)
}

fn display_path(path: &Path) -> PathBuf {
    crate::walk::display_path(path)
}
