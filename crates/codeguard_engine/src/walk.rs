//! Walking paths (respecting `.gitignore`) and scanning files in parallel.

use std::path::{Path, PathBuf};

use codeguard_language::Lang;
use codeguard_rules::{RuleError, RuleSet};
use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::scan::ScanOptions;

/// Why a file was not scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    Binary,
    TooLarge(u64),
    Unreadable(String),
    /// The file's time budget ran out (its findings until then are kept).
    TimedOut(std::time::Duration),
    /// Minified or bundled code (`app.min.js`, a webpack bundle on one line): built from
    /// sources that are scanned where they live, and vendored libraries, not code anyone
    /// here edits.
    Generated,
}

impl SkipReason {
    /// True when code went unchecked: binary data is not code, generated bundles are built
    /// from other code; everything else is a hole in the scan that a clean report must not
    /// hide.
    pub fn leaves_code_unscanned(&self) -> bool {
        !matches!(self, SkipReason::Binary | SkipReason::Generated)
    }
}

/// The result for one file.
#[derive(Debug)]
pub struct FileOutcome {
    pub path: PathBuf,
    pub lang: Lang,
    pub diagnostics: Vec<Diagnostic>,
    pub syntax_errors: bool,
    pub skipped: Option<SkipReason>,
    pub bytes: u64,
    pub lines: usize,
    /// Findings removed by `codeguard-ignore` comments.
    pub suppressed: usize,
    /// `codeguard-ignore` entries (line, rule) that matched no finding.
    pub unused_suppressions: Vec<(usize, String)>,
    /// The file mentions OpenSSF model signing (`model_signing`): the project has adopted it.
    pub uses_model_signing: bool,
    /// What following flows into other project files needs (see [`crate::project_flow`]).
    pub links: crate::project_flow::ModuleLinks,
}

/// The result of scanning paths.
#[derive(Debug, Default)]
pub struct ScanSummary {
    pub files: Vec<FileOutcome>,
    /// Observations about the project as a whole, reported once instead of per finding.
    pub project_notes: Vec<ProjectNote>,
}

/// One observation about the project (one result on the project, not on a line).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProjectNote {
    /// The rule whose per-line findings the note stands for.
    pub rule_id: String,
    /// One paragraph a person can act on.
    pub message: String,
    /// The main places, most findings first: (path, count).
    pub locations: Vec<(PathBuf, usize)>,
}

impl ScanSummary {
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|f| f.diagnostics.iter())
    }
    pub fn scanned(&self) -> usize {
        self.files.iter().filter(|f| f.skipped.is_none()).count()
    }
    pub fn skipped(&self) -> impl Iterator<Item = &FileOutcome> {
        self.files.iter().filter(|f| f.skipped.is_some())
    }
    /// Files of code that were not (fully) scanned: too large, unreadable, out of time.
    pub fn unscanned(&self) -> impl Iterator<Item = &FileOutcome> {
        self.files.iter().filter(|f| f.leaves_code_unscanned())
    }
    /// Line-independent fingerprints of every finding, in `diagnostics()` order: rule, path,
    /// the normalised flagged line and its occurrence among identical ones.
    pub fn fingerprints(&self) -> Vec<String> {
        let mut seen: std::collections::HashMap<(String, String, String), usize> =
            std::collections::HashMap::new();
        self.diagnostics()
            .map(|d| {
                let key = (
                    d.rule_id.clone(),
                    d.path.to_string_lossy().replace('\\', "/"),
                    d.source_line
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                );
                let n = seen.entry(key).or_default();
                *n += 1;
                d.fingerprint(*n)
            })
            .collect()
    }

    pub fn with_syntax_errors(&self) -> usize {
        self.files.iter().filter(|f| f.syntax_errors).count()
    }
}

/// An error that stops a scan before it starts.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("{0}: no such file or directory")]
    NotFound(PathBuf),
    #[error(transparent)]
    Rule(#[from] RuleError),
}

/// Hidden files and folders that hold MCP client configurations (`.mcp.json`,
/// `.cursor/mcp.json`, `.vscode/mcp.json`, ...); other hidden entries are not walked.
const HIDDEN_CONFIG_PLACES: [&str; 8] = [
    ".mcp.json",
    ".cursor",
    ".vscode",
    ".roo",
    ".kiro",
    ".gemini",
    ".windsurf",
    ".claude",
];

/// A `.env` or `.env.*` file (not a folder: `.env/` is often a virtualenv): hidden, but where
/// projects keep their credentials.
fn is_env_file(entry: &ignore::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    (name == ".env" || name.starts_with(".env.")) && entry.file_type().is_some_and(|t| t.is_file())
}

/// The language `path` is scanned as: its own, or text for a model file (`.pt`, `.pkl`, ...),
/// which [`scan_file`] reads as a model file.
fn lang_of(path: &Path) -> Option<Lang> {
    Lang::from_path(path).or_else(|| crate::artifact::is_model_file(path).then_some(Lang::Text))
}

/// Collects the files under `paths` that codeguard can scan. Explicitly named files are
/// always included when their language is known; directories are walked honouring
/// `.gitignore`, `.ignore` and hidden-file rules, following no links: what a walk finds is a
/// regular file (callers rely on it, see `ProjectPaths::matches_file`).
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<(PathBuf, Lang)>, WalkError> {
    let mut files = Vec::new();
    for path in paths {
        if !path.exists() {
            return Err(WalkError::NotFound(path.clone()));
        }
        if path.is_file() {
            if let Some(lang) = lang_of(path) {
                files.push((path.clone(), lang));
            }
            continue;
        }
        // `require_git(false)`: honour .gitignore files in projects that are not git checkouts.
        // In parallel: reading 8,000 folders one by one kept a core idle for 70 ms before
        // the first file was scanned; the files are sorted below.
        let found = std::sync::Mutex::new(Vec::new());
        ignore::WalkBuilder::new(path)
            .require_git(false)
            // Hidden entries are skipped, except where AI tools keep MCP client configurations.
            .hidden(false)
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                e.depth() == 0
                    || !name.starts_with('.')
                    || HIDDEN_CONFIG_PLACES.contains(&name.as_ref())
                    || is_env_file(e)
            })
            .build_parallel()
            .run(|| {
                // Each walking thread keeps its files and hands them over when it is done.
                let mut mine = Found {
                    files: Vec::new(),
                    into: &found,
                };
                Box::new(move |entry| {
                    if let Ok(entry) = entry
                        && entry.file_type().is_some_and(|t| t.is_file())
                        && let Some(lang) = lang_of(entry.path())
                    {
                        mine.files.push((entry.into_path(), lang));
                    }
                    ignore::WalkState::Continue
                })
            });
        files.append(&mut found.into_inner().unwrap_or_else(|e| e.into_inner()));
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// The files one thread of the parallel walk found, added to the shared list when the
/// thread is done with them.
struct Found<'a> {
    files: Vec<(PathBuf, Lang)>,
    into: &'a std::sync::Mutex<Vec<(PathBuf, Lang)>>,
}

impl Drop for Found<'_> {
    fn drop(&mut self) {
        self.into
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .append(&mut self.files);
    }
}

/// Scans every supported file under `paths` in parallel.
pub fn scan_paths(
    rules: &RuleSet,
    paths: &[PathBuf],
    options: &ScanOptions,
) -> Result<ScanSummary, WalkError> {
    scan_files(rules, collect_files(paths)?, options)
}

/// Scans the given files in parallel.
pub fn scan_files(
    rules: &RuleSet,
    files: Vec<(PathBuf, Lang)>,
    options: &ScanOptions,
) -> Result<ScanSummary, WalkError> {
    scan_files_with_progress(rules, files, options, &|| {})
}

/// Like [`scan_files`], calling `done` after each file (front ends draw progress with it).
pub fn scan_files_with_progress(
    rules: &RuleSet,
    files: Vec<(PathBuf, Lang)>,
    options: &ScanOptions,
    done: &(dyn Fn() + Sync),
) -> Result<ScanSummary, WalkError> {
    for (_, lang) in &files {
        rules.plan(*lang)?;
    }
    let outcomes: Result<Vec<FileOutcome>, RuleError> = files
        .par_iter()
        // One file per job: rayon otherwise runs a thread's last share of the list as one
        // sequential job that no idle thread can take from, and a core idled for the last
        // 0.3 s of a 2.5 s scan.
        .with_max_len(1)
        .map(|(path, lang)| {
            let outcome = scan_file(rules, path, *lang, options);
            done();
            outcome
        })
        .collect();
    Ok(ScanSummary {
        files: outcomes?,
        ..ScanSummary::default()
    })
}

/// Reads and scans one file, turning unreadable input into a skip reason.
pub fn scan_file(
    rules: &RuleSet,
    path: &Path,
    lang: Lang,
    options: &ScanOptions,
) -> Result<FileOutcome, RuleError> {
    // Model files are streamed whatever their size: the size limit is for source text.
    if lang == Lang::Text && crate::artifact::is_model_file(path) {
        return Ok(crate::artifact::scan_model_file(rules, path));
    }
    let mut outcome = FileOutcome {
        path: display_path(path),
        lang,
        diagnostics: Vec::new(),
        syntax_errors: false,
        skipped: None,
        bytes: 0,
        lines: 0,
        suppressed: 0,
        unused_suppressions: Vec::new(),
        uses_model_signing: false,
        links: Default::default(),
    };
    let bytes = match std::fs::metadata(path) {
        Ok(meta) if meta.len() > options.max_file_bytes => {
            outcome.bytes = meta.len();
            outcome.skipped = Some(SkipReason::TooLarge(meta.len()));
            return Ok(outcome);
        }
        Ok(_) => match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                outcome.skipped = Some(SkipReason::Unreadable(e.to_string()));
                return Ok(outcome);
            }
        },
        Err(e) => {
            outcome.skipped = Some(SkipReason::Unreadable(e.to_string()));
            return Ok(outcome);
        }
    };
    outcome.bytes = bytes.len() as u64;
    let text = match decode(&bytes) {
        Ok(text) => text,
        Err(reason) => {
            outcome.skipped = Some(reason);
            return Ok(outcome);
        }
    };
    outcome.lines = line_count(text.as_bytes());
    if lang.is_generated(path, &text) {
        outcome.skipped = Some(SkipReason::Generated);
        return Ok(outcome);
    }
    // Adoption shows in code, not in a README that mentions it.
    outcome.uses_model_signing = lang.has_grammar() && text.contains("model_signing");
    if crate::notebook::is_notebook(path) {
        outcome.uses_model_signing = text.contains("model_signing");
    }
    let report = crate::scan_document(rules, lang, &outcome.path, &text, options)?;
    outcome.record(report, options);
    Ok(outcome)
}

impl FileOutcome {
    /// True when this file is code that went unchecked (see
    /// [`SkipReason::leaves_code_unscanned`]). A text file that was skipped (a 50 MB JSON data
    /// file) is listed, but is not a hole in the scan of the code: it fails nothing.
    pub fn leaves_code_unscanned(&self) -> bool {
        self.lang.has_grammar()
            && self
                .skipped
                .as_ref()
                .is_some_and(SkipReason::leaves_code_unscanned)
    }

    /// Takes the findings and flags of the scan of this file's text.
    pub fn record(&mut self, report: crate::SourceReport, options: &ScanOptions) {
        self.diagnostics = report.diagnostics;
        self.syntax_errors = report.syntax_errors;
        self.suppressed = report.suppressed;
        self.unused_suppressions = report.unused_suppressions;
        self.links = report.links;
        if report.timed_out {
            self.skipped = Some(SkipReason::TimedOut(options.file_timeout));
        }
    }
}

/// Text from a file's bytes (a BOM is dropped). Bytes that are not UTF-8 become U+FFFD rather
/// than a skip: code in another encoding is still code, and skipping it would hide it.
/// Binary data (a NUL byte near the start) is rejected.
pub fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, SkipReason> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(SkipReason::Binary);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // `from_utf8` checks ASCII a word at a time; the lossy decoder goes byte by byte (1% of a
    // cold scan).
    Ok(match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    })
}

/// Paths as users expect to read them: relative to the working directory, no `./`.
pub fn display_path(path: &Path) -> PathBuf {
    let stripped = path.strip_prefix("./").unwrap_or(path);
    if let Ok(cwd) = std::env::current_dir()
        && let Ok(rel) = stripped.strip_prefix(&cwd)
    {
        return rel.to_path_buf();
    }
    stripped.to_path_buf()
}

/// How many lines `text` has, as `str::lines` counts them (a last line without its newline
/// counts, a last newline starts no line): newlines found with `memchr`, where `lines` cost
/// 1% of a cold scan.
pub fn line_count(text: &[u8]) -> usize {
    let newlines = memchr::memchr_iter(b'\n', text).count();
    newlines + usize::from(text.last().is_some_and(|b| *b != b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_as_str_lines_counts_them() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "\n\n",
            "a\n\nb\n",
            "é\nü",
        ] {
            assert_eq!(
                line_count(text.as_bytes()),
                text.lines().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn decode_keeps_other_encodings_and_rejects_binary() {
        assert_eq!(decode(b"\xEF\xBB\xBFeval(x)").unwrap(), "eval(x)");
        assert_eq!(
            decode(b"# caf\xe9\neval(x)\n").unwrap(),
            "# caf\u{FFFD}\neval(x)\n"
        );
        assert_eq!(decode(b"eval(x)\0\x01"), Err(SkipReason::Binary));
    }
}
