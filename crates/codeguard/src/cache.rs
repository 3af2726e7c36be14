//! The result cache: a file whose content and rule set are unchanged since the last run is
//! not scanned again. Stored in `.codeguard_cache/` (git-ignored by a file inside it),
//! one JSON file per rule-set key; `--no-cache` skips it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use codeguard_engine::{Diagnostic, FileOutcome};
use codeguard_language::Lang;
use codeguard_rules::Rule;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    hash: u64,
    diagnostics: Vec<Diagnostic>,
    syntax_errors: bool,
    suppressed: usize,
    unused_suppressions: Vec<(usize, String)>,
    lines: usize,
}

/// Cached results for one rule set.
pub struct Cache {
    file: PathBuf,
    entries: HashMap<PathBuf, Entry>,
}

fn fnv(bytes: &[u8], mut hash: u64) -> u64 {
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

const SEED: u64 = 0xcbf2_9ce4_8422_2325;

/// The key of a rule set and the options that change results.
pub fn key(rules: &[Rule], options: &str) -> u64 {
    let mut hash = fnv(env!("CARGO_PKG_VERSION").as_bytes(), SEED);
    hash = fnv(
        &codeguard_rules::load::builtin_pack_fingerprint().to_le_bytes(),
        hash,
    );
    hash = fnv(options.as_bytes(), hash);
    for rule in rules {
        hash = fnv(rule.id.as_bytes(), hash);
        if !rule.builtin {
            // User rules: their text (and docs) decide the results.
            hash = fnv(&std::fs::read(&rule.source).unwrap_or_default(), hash);
        }
        // Source sets can be extended from other files and the configuration.
        for taint in rule.matchers.iter().filter_map(|m| m.taint.as_ref()) {
            hash = fnv(format!("{:?}", taint.sources).as_bytes(), hash);
        }
    }
    hash
}

impl Cache {
    /// Opens (or starts) the cache for `key` under `dir`.
    pub fn open(dir: &Path, key: u64) -> Cache {
        let file = dir.join(format!("results-{key:016x}.json"));
        let entries = std::fs::read(&file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<HashMap<PathBuf, Entry>>(&bytes).ok())
            .unwrap_or_default();
        Cache { file, entries }
    }

    /// The cached outcome of `path` when its content hashes to `hash`.
    pub fn get(&self, path: &Path, lang: Lang, hash: u64) -> Option<FileOutcome> {
        let entry = self.entries.get(path).filter(|e| e.hash == hash)?;
        Some(FileOutcome {
            path: path.to_path_buf(),
            lang,
            diagnostics: entry.diagnostics.clone(),
            syntax_errors: entry.syntax_errors,
            skipped: None,
            bytes: 0,
            lines: entry.lines,
            suppressed: entry.suppressed,
            unused_suppressions: entry.unused_suppressions.clone(),
        })
    }

    /// Records a fresh outcome.
    pub fn put(&mut self, outcome: &FileOutcome, hash: u64) {
        if outcome.skipped.is_some() {
            return;
        }
        self.entries.insert(
            outcome.path.clone(),
            Entry {
                hash,
                diagnostics: outcome.diagnostics.clone(),
                syntax_errors: outcome.syntax_errors,
                suppressed: outcome.suppressed,
                unused_suppressions: outcome.unused_suppressions.clone(),
                lines: outcome.lines,
            },
        );
    }

    /// Writes the cache; failures only cost the next run its speed-up.
    pub fn save(&self) {
        let Some(dir) = self.file.parent() else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let _ = std::fs::write(dir.join(".gitignore"), "# Created by codeguard.\n*\n");
        // Old result files belong to other rule sets; keep the folder small.
        if let Ok(read) = std::fs::read_dir(dir) {
            for entry in read.flatten() {
                let path = entry.path();
                if path != self.file && path.extension().is_some_and(|e| e == "json") {
                    let _ = std::fs::remove_file(path);
                }
            }
        }
        let Ok(bytes) = serde_json::to_vec(&self.entries) else {
            return;
        };
        let tmp = self.file.with_extension("tmp");
        if std::fs::write(&tmp, bytes).is_ok() {
            let _ = std::fs::rename(&tmp, &self.file);
        }
    }
}

/// The content hash used as the cache key of one file.
pub fn content_hash(path: &Path) -> Option<u64> {
    std::fs::read(path).ok().map(|bytes| fnv(&bytes, SEED))
}
