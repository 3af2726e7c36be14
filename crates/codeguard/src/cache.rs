//! The result cache: a file whose content is unchanged since the last run under the same
//! build, rules and options is not scanned again. It lives in the user's cache folder, never
//! in the scanned tree: a repository could otherwise commit results that hide its own
//! findings. One folder per project (a hash of its canonical path), one JSON file per key;
//! `--no-cache` skips it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use codeguard_engine::{Diagnostic, FileOutcome};
use codeguard_language::Lang;
use codeguard_rules::Rule;
use codeguard_rules::fnv::{Fnv64, fnv1a};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    hash: u64,
    diagnostics: Vec<Diagnostic>,
    syntax_errors: bool,
    suppressed: usize,
    unused_suppressions: Vec<(usize, String)>,
    #[serde(default)]
    uses_model_signing: bool,
    lines: usize,
    #[serde(default)]
    links: codeguard_engine::ModuleLinks,
}

/// Cached results for one project and key.
pub struct Cache {
    file: PathBuf,
    entries: HashMap<PathBuf, Entry>,
}

/// codeguard's folder in the user's cache: `CODEGUARD_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/codeguard`, else `~/.cache/codeguard` (`%LOCALAPPDATA%\codeguard` on
/// Windows). `None` when there is no home to put it in.
pub fn user_cache_dir() -> Option<PathBuf> {
    absolute_env("CODEGUARD_CACHE_DIR").or_else(|| user_dir("XDG_CACHE_HOME", ".cache"))
}

/// codeguard's folder for state kept between runs (the Cursor hook's records):
/// `$XDG_STATE_HOME/codeguard`, else `~/.local/state/codeguard` (`%LOCALAPPDATA%` on Windows).
pub fn user_state_dir() -> Option<PathBuf> {
    user_dir("XDG_STATE_HOME", ".local/state")
}

/// An absolute path from the environment variable `var`.
fn absolute_env(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
}

/// `$XDG_VAR/codeguard`, else `~/HOME_RELATIVE/codeguard`.
fn user_dir(xdg_var: &str, home_relative: &str) -> Option<PathBuf> {
    if cfg!(windows) {
        return absolute_env("LOCALAPPDATA").map(|d| d.join("codeguard"));
    }
    absolute_env(xdg_var)
        .or_else(|| absolute_env("HOME").map(|h| h.join(home_relative)))
        .map(|d| d.join("codeguard"))
}

/// The running executable's size and modification time. Every build rewrites the binary, so
/// two builds of the same version never share results; it needs no build script and works
/// where the git commit is unknown (source tarballs, `cargo install`). `None` when the
/// executable cannot be found: then nothing is cached.
fn build_identity() -> Option<u64> {
    let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let mut hash = Fnv64::default();
    hash.write(&meta.len().to_le_bytes());
    hash.write(&modified.as_nanos().to_le_bytes());
    Some(hash.finish())
}

/// The key of this build, rule set and the options that change results; `None` when the
/// build cannot be identified.
pub fn key(rules: &[Rule], options: &str) -> Option<u64> {
    let mut hash = Fnv64::default();
    hash.write(env!("CARGO_PKG_VERSION").as_bytes());
    hash.write(&build_identity()?.to_le_bytes());
    hash.write(&codeguard_rules::load::builtin_pack_fingerprint().to_le_bytes());
    hash.write(options.as_bytes());
    for rule in rules {
        hash.write(rule.id.as_bytes());
        if !rule.builtin {
            // User rules: their text (and docs) decide the results.
            hash.write(&std::fs::read(&rule.source).unwrap_or_default());
        }
        // Source sets can be extended from other files and the configuration.
        for taint in rule.matchers.iter().filter_map(|m| m.taint.as_ref()) {
            hash.write(format!("{:?}", taint.sources).as_bytes());
        }
    }
    Some(hash.finish())
}

/// True when `path` is a regular file, not a symbolic link to one.
fn is_plain_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file())
}

impl Cache {
    /// Opens (or starts) the cache of the project at `root` (canonical) for `key`, in
    /// `cache_dir` (see [`user_cache_dir`]).
    pub fn open(cache_dir: &Path, root: &Path, key: u64) -> Cache {
        let project = fnv1a(root.as_os_str().as_encoded_bytes());
        let file = cache_dir
            .join(format!("{project:016x}"))
            .join(format!("results-{key:016x}.json"));
        let entries = Some(&file)
            .filter(|f| is_plain_file(f))
            .and_then(|f| std::fs::read(f).ok())
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
            uses_model_signing: entry.uses_model_signing,
            links: entry.links.clone(),
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
                uses_model_signing: outcome.uses_model_signing,
                lines: outcome.lines,
                links: outcome.links.clone(),
            },
        );
    }

    /// Writes the cache; failures only cost the next run its speed-up.
    pub fn save(&self) {
        let Some(dir) = self.file.parent() else {
            return;
        };
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        // Results name the user's files; other users have no business reading them.
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        let is_dir = |d: &Path| std::fs::symlink_metadata(d).is_ok_and(|m| m.is_dir());
        if builder.create(dir).is_err() || !is_dir(dir) {
            return;
        }
        // Old result files belong to other builds and rule sets; keep the folder small.
        if let Ok(read) = std::fs::read_dir(dir) {
            for entry in read.flatten() {
                let path = entry.path();
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if path != self.file
                    && name.starts_with("results-")
                    && name.ends_with(".json")
                    && is_plain_file(&path)
                {
                    let _ = std::fs::remove_file(path);
                }
            }
        }
        if let Ok(bytes) = serde_json::to_vec(&self.entries) {
            let _ = crate::atomic::write(&self.file, &bytes);
        }
    }
}

/// The content hash used as the cache key of one file.
pub fn content_hash(path: &Path) -> Option<u64> {
    std::fs::read(path).ok().map(|bytes| fnv1a(&bytes))
}
