//! The `codeguard` command line: argument parsing, rule selection, running scans and
//! rendering reports. Library and binary are split so integration tests can render reports.

mod args;
pub mod atomic;
pub mod cache;
pub mod config;
#[doc(hidden)]
pub mod fuzzing;
mod init_rules;
mod project_facts;
pub mod report;
pub mod sarif;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Parser;
use codeguard_engine::fixture::check_rule_fixtures;
use codeguard_engine::walk::decode;
use codeguard_engine::{FileOutcome, ScanOptions, ScanSummary, scan_document};
use codeguard_language::Lang;
use codeguard_rules::{Rule, RuleLoader, RuleSet, Severity, check_unique, load_rule_path};

use args::{
    CheckArgs, Cli, Command, ExplainArgs, HookArgs, HookClient, InitHooksArgs, ListFormat, McpArgs,
    OutputFormat, PolicyArgs, RuleSelection, RulesArgs, TestArgs,
};
use codeguard_engine::Policy;

/// Runs the CLI and returns the process exit code (0 clean, 1 findings, 2 error).
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Rules(args) => rules(args),
        Command::Explain(args) => explain(args),
        Command::Test(args) => test(args),
        Command::Lsp => lsp(),
        Command::Baseline(args) => baseline(args),
        Command::Mcp(args) => mcp(args),
        Command::Hook(args) => hook(args),
        Command::InitHooks(args) => init_hooks(args),
        Command::InitRules(args) => init_rules::init_rules(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The project configuration for these options (none with `--isolated`).
pub fn project_config(selection: &RuleSelection) -> Result<config::LoadedConfig> {
    if selection.isolated {
        return Ok(config::LoadedConfig::default());
    }
    config::discover(selection.config.as_deref(), &std::env::current_dir()?)
}

/// Loads built-in and user rules and applies --select/--ignore and the project configuration
/// (command-line `--select` replaces the configured one; ignores add up). Opt-in rules are
/// kept too, for listings and docs: scans use [`load_project_rules`].
pub fn load_rules(selection: &RuleSelection) -> Result<Vec<Rule>> {
    let project = project_config(selection)?;
    let mut listing = selection.clone();
    listing.list_opt_in = true;
    load_project_rules(&listing, &project)
}

/// [`load_rules`] with the project configuration already loaded.
fn load_project_rules(
    selection: &RuleSelection,
    project: &config::LoadedConfig,
) -> Result<Vec<Rule>> {
    load_rules_for(selection, project, RuleScope::All)
}

/// Which built-in matchers a run needs: all, those of some languages, or those one snippet
/// can satisfy (see [`RuleLoader::for_snippet`]).
enum RuleScope<'a> {
    All,
    Languages(&'a [Lang]),
    Snippet(Lang, &'a str),
}

/// [`load_project_rules`] for the matchers `scope` needs only: the built-in rules then bring
/// only the matchers that run on those languages, or that can match in that snippet.
fn load_rules_for(
    selection: &RuleSelection,
    project: &config::LoadedConfig,
    scope: RuleScope,
) -> Result<Vec<Rule>> {
    let mut selection = selection.clone();
    if selection.select.is_empty() {
        selection.select = project.config.select.clone();
    }
    selection
        .ignore
        .extend(project.config.ignore.iter().cloned());
    let mut rule_paths: Vec<PathBuf> = project
        .config
        .extend_rules
        .iter()
        .map(|p| project.root.join(p))
        .collect();
    rule_paths.extend(selection.rule_paths.iter().cloned());
    selection.rule_paths = rule_paths;
    let selection = &selection;
    let mut loader = match scope {
        RuleScope::All => RuleLoader::new()?,
        RuleScope::Languages(languages) => RuleLoader::for_languages(languages)?,
        RuleScope::Snippet(lang, text) => RuleLoader::for_snippet(lang, text)?,
    };
    if !selection.no_builtin_rules {
        loader.add_builtin_rules()?;
    }
    for path in &selection.rule_paths {
        loader.add_path(path)?;
    }
    let origin = project.file.clone().unwrap_or_default();
    for (id, additions) in &project.config.source_sets {
        for (lang, calls) in [
            (Lang::Python, &additions.python),
            (Lang::Rust, &additions.rust),
        ] {
            if !calls.is_empty() {
                loader.add_source_calls(id, lang, calls, &origin)?;
            }
        }
    }
    let mut rules = loader.finish()?;
    check_unique(&rules)?;
    codeguard_engine::validate_rules(&rules)?;
    for selector in selection.select.iter().chain(&selection.ignore) {
        if !rules.iter().any(|r| r.is_selected_by(selector)) {
            bail!("`{selector}` names no rule id, rule name, pack or CWE (see `codeguard rules`)");
        }
    }
    rules.retain(|r| {
        let selected = if r.opt_in && !selection.list_opt_in {
            // An audit runs only when named.
            selection.select.iter().any(|s| r.is_named_by(s))
        } else {
            selection.select.is_empty() || selection.select.iter().any(|s| r.is_selected_by(s))
        };
        selected && !selection.ignore.iter().any(|s| r.is_selected_by(s))
    });
    Ok(rules)
}

/// What `check` and `baseline` settle before reading a file: the configuration (loaded once),
/// the rules and the options.
struct CheckPlan {
    project: config::LoadedConfig,
    rules: RuleSet,
    options: ScanOptions,
    excluded: globset::GlobSet,
    fail_on: Option<Severity>,
    threshold: Option<Severity>,
    /// Files of code that were not scanned do not fail the run.
    allow_skipped: bool,
    /// The document read from standard input (`--stdin`).
    stdin: Option<StdinDocument>,
}

/// The code read with `--stdin`.
struct StdinDocument {
    name: PathBuf,
    lang: Lang,
    bytes: Vec<u8>,
    text: String,
}

/// Reads the document on standard input (before the rules: which rules it needs depends on it).
fn read_stdin(args: &CheckArgs) -> Result<StdinDocument> {
    if !args.paths.is_empty() {
        bail!("--stdin reads the code from standard input; do not pass paths as well");
    }
    let name = args
        .stdin_filename
        .clone()
        .context("--stdin needs --stdin-filename NAME (its extension picks the language)")?;
    let lang = Lang::from_path(&name).with_context(|| {
        format!(
            "cannot tell the language of `{}` from its extension (supported: .py, .rs)",
            name.display()
        )
    })?;
    let limit = args.max_file_size;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .context("cannot read standard input")?;
    if bytes.len() as u64 > limit {
        bail!("standard input is larger than --max-file-size ({limit} bytes)");
    }
    // Code piped in is scanned whatever it holds (a file with NUL bytes in a walk is skipped
    // as binary; here the caller asked for this text to be judged).
    let text = decode(&bytes)
        .unwrap_or_else(|_| String::from_utf8_lossy(&bytes))
        .into_owned();
    Ok(StdinDocument {
        name,
        lang,
        bytes,
        text,
    })
}

fn resolve(args: &CheckArgs) -> Result<CheckPlan> {
    let project = project_config(&args.selection)?;
    let stdin = args.stdin.then(|| read_stdin(args)).transpose()?;
    // A snippet on standard input is one document of a known language: its plain source needs
    // only the matchers it can satisfy; a notebook's code is escaped in JSON, so it needs all
    // of its languages' matchers.
    let languages = stdin
        .as_ref()
        .map(|doc| codeguard_engine::document_languages(&doc.name, doc.lang));
    let scope = match (&stdin, languages.as_deref()) {
        (Some(doc), Some([only])) if *only == doc.lang => RuleScope::Snippet(doc.lang, &doc.text),
        (_, Some(languages)) => RuleScope::Languages(languages),
        (_, None) => RuleScope::All,
    };
    let rules = RuleSet::new(load_rules_for(&args.selection, &project, scope)?);
    let mut options = project_scan_options(&project);
    options.max_file_bytes = args.max_file_size;
    options.file_timeout = args.file_timeout;
    options.inline_suppressions &= !args.no_inline_suppressions;
    if args.parse_whole {
        options.partial_parse_min_bytes = usize::MAX;
    }
    // Files record what their functions do with taint for the files importing them; a
    // snippet on standard input has no other files.
    options.cross_file = !args.stdin;
    // A snippet on standard input is matched against no excludes: they are only checked
    // (building the set was half a million instructions of a 13-million snippet scan).
    let excluded = if args.stdin {
        glob_list(&project.config.exclude)?;
        globset::GlobSet::empty()
    } else {
        globs(&project.config.exclude)?
    };
    let fail_on = match args.fail_on.as_deref() {
        Some(level) => Some(level.parse().map_err(anyhow::Error::msg)?),
        None => project.config.fail_on,
    };
    let threshold = args
        .severity
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let allow_skipped = args.allow_skipped || project.config.allow_skipped == Some(true);
    Ok(CheckPlan {
        project,
        rules,
        options,
        excluded,
        fail_on,
        threshold,
        allow_skipped,
        stdin,
    })
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    let plan = resolve(&args)?;
    let started = std::time::Instant::now();
    let mut summary = scan(&args, &plan, started)?;
    post_process(&args, &plan, &mut summary)?;
    if (args.fix || args.diff)
        && let Some(diff_status) = fix(&args, &plan, &mut summary)?
    {
        return Ok(diff_status);
    }
    apply_threshold(plan.threshold, &mut summary);

    let rendered = render(args.format, &summary, &plan, &args, started.elapsed())?;
    write_report(args.output.as_deref(), &rendered)?;
    if let Some(format) = args.also_format {
        write_report(
            None,
            &render(format, &summary, &plan, &args, started.elapsed())?,
        )?;
    }
    let status = exit_status(&args, &plan, &summary);
    // The process ends here: freeing the rules and the findings piece by piece would only
    // delay the exit (a tenth of a snippet's run).
    std::mem::forget((plan, summary));
    Ok(status)
}

/// 2 when files of code went unscanned (unless allowed), 1 for findings at or above
/// `--fail-on` (unless `--exit-zero`), else 0.
fn exit_status(args: &CheckArgs, plan: &CheckPlan, summary: &ScanSummary) -> ExitCode {
    let unscanned = summary.unscanned().count();
    if unscanned > 0 && !plan.allow_skipped {
        // A run that did not read all the code must not pass as clean.
        eprintln!(
            "error: {unscanned} file(s) were not scanned (listed in the report); \
             --allow-skipped or `allow-skipped = true` lets such a run pass"
        );
        return ExitCode::from(2);
    }
    let failing = summary
        .diagnostics()
        .filter(|d| plan.fail_on.is_none_or(|min| d.severity >= min))
        .count();
    ExitCode::from(u8::from(failing > 0 && !args.exit_zero))
}

/// `--fix` writes the fixes and re-scans; `--diff` prints them and returns the exit status
/// (1 when there are fixes), ending the run.
fn fix(args: &CheckArgs, plan: &CheckPlan, summary: &mut ScanSummary) -> Result<Option<ExitCode>> {
    if args.stdin {
        bail!("--fix and --diff work on files, not on --stdin");
    }
    let outcome = apply_fixes(
        &plan.rules,
        summary,
        &plan.options,
        args.unsafe_fixes,
        args.diff,
    )?;
    if args.diff {
        print!("{}", outcome.diff);
        eprintln!(
            "{} fix(es) would be applied to {} file(s).",
            outcome.applied, outcome.files
        );
        return Ok(Some(ExitCode::from(u8::from(outcome.applied > 0))));
    }
    if outcome.applied > 0 || outcome.refused > 0 {
        eprintln!(
            "Fixed {} finding(s) in {} file(s).",
            outcome.applied, outcome.files
        );
    }
    if outcome.refused > 0 {
        eprintln!(
            "{} fix(es) were not applied: the result would not parse.",
            outcome.refused
        );
    }
    Ok(None)
}

/// Scans standard input or the paths (through the result cache unless `--no-cache`).
fn scan(args: &CheckArgs, plan: &CheckPlan, started: std::time::Instant) -> Result<ScanSummary> {
    if args.stdin {
        scan_stdin(plan)
    } else {
        scan_paths(args, plan, started)
    }
}

fn scan_stdin(plan: &CheckPlan) -> Result<ScanSummary> {
    let StdinDocument {
        name,
        lang,
        bytes,
        text,
    } = plan.stdin.as_ref().context("standard input was not read")?;
    let (name, lang) = (name.clone(), *lang);
    let report = scan_document(&plan.rules, lang, &name, text, &plan.options)?;
    let mut file = FileOutcome {
        path: name,
        lang,
        diagnostics: Vec::new(),
        syntax_errors: false,
        skipped: None,
        bytes: bytes.len() as u64,
        lines: codeguard_engine::walk::line_count(text.as_bytes()),
        suppressed: 0,
        unused_suppressions: Vec::new(),
        uses_model_signing: text.contains("model_signing"),
        links: Default::default(),
    };
    // Out of time is reported as for a file: a partial scan must not pass as a clean one.
    file.record(report, &plan.options);
    Ok(ScanSummary {
        project_notes: Vec::new(),
        files: vec![file],
    })
}

fn scan_paths(
    args: &CheckArgs,
    plan: &CheckPlan,
    started: std::time::Instant,
) -> Result<ScanSummary> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    // The scanning threads get the main thread's deep stack too (reserved, not used).
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .stack_size(64 * 1024 * 1024)
        .build()?;
    let project_paths = ProjectPaths::new(&plan.project.root);
    // Files named on the command line may be links; those found in folders are not.
    let named: std::collections::HashSet<&PathBuf> = paths.iter().collect();
    let files: Vec<_> = codeguard_engine::walk::collect_files(&paths)?
        .into_iter()
        .filter(|(path, _)| {
            !project_paths.matches_file(&plan.excluded, path, !named.contains(path))
        })
        .collect();
    // Rules off in tests need not run on test files: their findings there are dropped.
    let test_files = TestFiles::new(&plan.project)?;
    let tests: std::collections::HashSet<PathBuf> = files
        .iter()
        .filter(|(path, _)| test_files.contains(&project_paths, path, !named.contains(path)))
        .map(|(path, _)| codeguard_engine::walk::display_path(path))
        .collect();
    let options = ScanOptions {
        test_files: Some(std::sync::Arc::new(tests)),
        ..plan.options.clone()
    };
    let total = files.len();
    let finished = std::sync::atomic::AtomicUsize::new(0);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let show_progress = std::io::IsTerminal::is_terminal(&std::io::stderr()) && total >= 200;
    std::thread::scope(|scope| {
        if show_progress {
            scope.spawn(|| progress(&finished, &stop, total, started));
        }
        let done = || {
            finished.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        };
        let result =
            pool.install(|| scan_files_cached(plan, &options, files, !args.no_cache, &done));
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        result
    })
}

/// Scans `files`; with `use_cache`, unchanged files under the same build, rules and options
/// come from the user's result cache.
fn scan_files_cached(
    plan: &CheckPlan,
    options: &ScanOptions,
    files: Vec<(PathBuf, Lang)>,
    use_cache: bool,
    done: &(dyn Fn() + Sync),
) -> Result<ScanSummary> {
    let rules = &plan.rules;
    let key = || {
        cache::key(
            rules.rules(),
            // Everything in the options that changes results (which files are tests: the
            // globs that tell them and the root they are relative to).
            &format!(
                "{}:{}:{:?}:{:?}:{:?}:{}:{:?}:{:?}",
                options.inline_suppressions,
                options.max_file_bytes,
                options.model_signing,
                options.project_facts,
                options.file_timeout,
                options.cross_file,
                plan.project.config.test_globs,
                plan.project.root
            ),
        )
    };
    let cache_dir = use_cache.then(cache::user_cache_dir).flatten();
    let (Some(cache_dir), Some(key)) = (cache_dir, use_cache.then(key).flatten()) else {
        let mut summary =
            codeguard_engine::walk::scan_files_with_progress(rules, files, options, done)?;
        // Flows through functions of other project files (never cached: they depend on
        // other files).
        codeguard_engine::link_modules(rules, options, &mut summary.files)?;
        return Ok(summary);
    };
    // Cached paths are relative to the working directory: it names the project.
    let root = std::env::current_dir()?.canonicalize()?;
    let mut store = cache::Cache::open(&cache_dir, &root, key);
    let mut outcomes = Vec::new();
    let mut misses = Vec::new();
    let mut miss_hashes = Vec::new();
    for (path, lang) in files {
        // Model files are streamed, never read whole to hash: they are not cached.
        let hash = (!codeguard_engine::artifact::is_model_file(&path))
            .then(|| cache::content_hash(&path))
            .flatten();
        match hash.and_then(|h| store.get(&codeguard_engine::walk::display_path(&path), lang, h)) {
            Some(outcome) => {
                done();
                outcomes.push(outcome);
            }
            None => {
                misses.push((path, lang));
                miss_hashes.push(hash);
            }
        }
    }
    let fresh = codeguard_engine::walk::scan_files_with_progress(rules, misses, options, done)?;
    for (outcome, hash) in fresh.files.into_iter().zip(miss_hashes) {
        if let Some(hash) = hash {
            store.put(&outcome, hash);
        }
        outcomes.push(outcome);
    }
    store.save();
    outcomes.sort_by(|a, b| a.path.cmp(&b.path));
    codeguard_engine::link_modules(rules, options, &mut outcomes)?;
    Ok(ScanSummary {
        files: outcomes,
        ..ScanSummary::default()
    })
}

/// The project's severity overrides and per-file ignores, then `--new-since` and
/// `--baseline`.
fn post_process(args: &CheckArgs, plan: &CheckPlan, summary: &mut ScanSummary) -> Result<()> {
    apply_project_overrides(&plan.project, &plan.rules, summary)?;
    codeguard_engine::artifact::describe_loaded_models(summary);
    if !model_signing_adopted(args, plan, summary) {
        fold_unverified_loads(summary);
        // Model files without a signature bundle are the same policy, not reported before it.
        for file in &mut summary.files {
            file.diagnostics
                .retain(|d| d.rule_id != UNSIGNED_MODEL_FILE);
        }
    }
    if let Some(reference) = &args.new_since {
        let dropped = keep_changed_lines(reference, summary)?;
        eprintln!("{dropped} finding(s) on lines unchanged since {reference} are not shown.");
    }
    if let Some(path) = &args.baseline {
        let (known, stale) = apply_baseline(path, summary)?;
        eprintln!(
            "{known} finding(s) are in the baseline {}; {} stale entr{} (fixed since).",
            path.display(),
            stale,
            if stale == 1 { "y" } else { "ies" }
        );
    }
    for file in &mut summary.files {
        codeguard_engine::fold_same_code(&mut file.diagnostics);
    }
    Ok(())
}

/// The rule for loads whose model signature was never verified.
const UNVERIFIED_LOAD: &str = "CG-ML006";
/// The rule for model files without a signature bundle (the same policy as CG-ML006).
const UNSIGNED_MODEL_FILE: &str = "CG-ML013";

/// Whether the command line or the configuration adopts model signing: CG-ML006 selected by
/// id or name, or model-signing verifiers or a requirement configured.
fn signing_adopted_by_configuration(
    selection: &RuleSelection,
    project: &config::LoadedConfig,
) -> bool {
    let signing = &project.config.model_signing;
    selection
        .select
        .iter()
        .chain(&project.config.select)
        .any(|s| {
            s.eq_ignore_ascii_case(UNVERIFIED_LOAD)
                || s == "unverified-model-load"
                || s.eq_ignore_ascii_case(UNSIGNED_MODEL_FILE)
                || s == "model-artifact-unsigned"
        })
        || !signing.verifiers.is_empty()
        || signing.require.is_some()
}

/// Whether the project asks for every model load to be verified: it selects CG-ML006 by name,
/// configures model-signing verifiers or a requirement, uses `model_signing` in its code, or
/// keeps signature bundles (`*.sig`, `*.sigstore`, `*.sigstore.json`) in its tree.
fn model_signing_adopted(args: &CheckArgs, plan: &CheckPlan, summary: &ScanSummary) -> bool {
    let loads = summary
        .diagnostics()
        .filter(|d| d.rule_id == UNVERIFIED_LOAD || d.rule_id == UNSIGNED_MODEL_FILE)
        .count();
    if loads == 0 {
        return true;
    }
    if signing_adopted_by_configuration(&args.selection, &plan.project) {
        return true;
    }
    // Code piped in has no project around it to look at.
    if args.stdin {
        return false;
    }
    if summary.files.iter().any(|f| f.uses_model_signing) {
        return true;
    }
    let roots = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    // On every core, stopping at the first signature: one folder at a time, this second
    // walk of the project was 60 ms after the scan of an 8,000-file corpus.
    let found = std::sync::atomic::AtomicBool::new(false);
    for root in roots.iter().filter(|r| r.is_dir()) {
        ignore::WalkBuilder::new(root)
            .require_git(false)
            .build_parallel()
            .run(|| {
                Box::new(|entry| {
                    let signature = entry.is_ok_and(|entry| {
                        let name = entry.file_name().to_string_lossy();
                        name.ends_with(".sig")
                            || name.ends_with(".sigstore")
                            || name.ends_with(".sigstore.json")
                    });
                    if signature {
                        found.store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                    if found.load(std::sync::atomic::Ordering::Relaxed) {
                        ignore::WalkState::Quit
                    } else {
                        ignore::WalkState::Continue
                    }
                })
            });
        if found.load(std::sync::atomic::Ordering::Relaxed) {
            return true;
        }
    }
    false
}

/// Outside a project that adopted model signing, one project note takes the place of every
/// CG-ML006 finding: how many loads, where most of them are, how to adopt signing.
fn fold_unverified_loads(summary: &mut ScanSummary) {
    let mut per_file: Vec<(PathBuf, usize)> = Vec::new();
    for file in &mut summary.files {
        let before = file.diagnostics.len();
        file.diagnostics.retain(|d| d.rule_id != UNVERIFIED_LOAD);
        let folded = before - file.diagnostics.len();
        if folded > 0 {
            per_file.push((file.path.clone(), folded));
        }
    }
    let loads: usize = per_file.iter().map(|(_, n)| n).sum();
    if loads == 0 {
        return;
    }
    per_file.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    per_file.truncate(5);
    summary.project_notes.push(codeguard_engine::ProjectNote {
        rule_id: UNVERIFIED_LOAD.to_string(),
        message: format!(
            "{loads} load(s) of model weights, 0 verified: none checks the model's signature first \
             ({UNVERIFIED_LOAD}). This project has \
             not adopted model signing, so they are summarised here rather than reported one by one. To adopt it, \
             sign your models with OpenSSF model signing (`model_signing sign`) and verify them where they are \
             loaded (`model_signing.verify(...)`, or your own verifier listed in \
             `[tool.codeguard.model-signing] verifiers`); codeguard then reports every unverified load. \
             `--select {UNVERIFIED_LOAD}` lists them now."
        ),
        locations: per_file,
    });
}

/// `--severity`: hides findings below `min`.
fn apply_threshold(min: Option<Severity>, summary: &mut ScanSummary) {
    if let Some(min) = min {
        for file in &mut summary.files {
            file.diagnostics.retain(|d| d.severity >= min);
        }
    }
}

fn render(
    format: OutputFormat,
    summary: &ScanSummary,
    plan: &CheckPlan,
    args: &CheckArgs,
    elapsed: std::time::Duration,
) -> Result<String> {
    Ok(match format {
        OutputFormat::Text => report::text(summary, elapsed),
        OutputFormat::Json => report::json(summary, &plan.rules, &policy(&args.policy)?)?,
        OutputFormat::Sarif => sarif::sarif(summary, &plan.rules)?,
        OutputFormat::Github => report::github(summary),
        OutputFormat::Gitlab => report::gitlab(summary)?,
        OutputFormat::Junit => report::junit(summary),
    })
}

/// Writes the report to `output` (atomically, never through a symlink) or standard output.
fn write_report(output: Option<&std::path::Path>, rendered: &str) -> Result<()> {
    match output {
        Some(path) => atomic::write(path, rendered.as_bytes()),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(rendered.as_bytes())?;
            Ok(out.flush()?)
        }
    }
}

fn rules(args: RulesArgs) -> Result<ExitCode> {
    let rules = load_rules(&args.selection)?;
    let out = match args.format {
        ListFormat::Json => {
            serde_json::to_string_pretty(&rules.iter().map(report::rule_json).collect::<Vec<_>>())?
                + "\n"
        }
        ListFormat::Table => report::rules_table(&rules),
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn explain(args: ExplainArgs) -> Result<ExitCode> {
    let selection = RuleSelection {
        rule_paths: args.rule_paths,
        ..RuleSelection::default()
    };
    let rules = load_rules(&selection)?;
    let Some(rule) = rules
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(&args.rule) || r.name.eq_ignore_ascii_case(&args.rule))
    else {
        bail!(
            "no rule has the id or name `{}` (see `codeguard rules`)",
            args.rule
        );
    };
    print!("{}", report::explain(rule));
    Ok(ExitCode::SUCCESS)
}

fn test(args: TestArgs) -> Result<ExitCode> {
    let mut failed = 0;
    let mut passed = 0;
    for path in &args.paths {
        let rules = load_rule_path(path)?;
        codeguard_engine::validate_rules(&rules)?;
        if rules.is_empty() {
            bail!("{}: no rule files (*.yaml) found", path.display());
        }
        for rule in &rules {
            let single = load_rule_path(path)?
                .into_iter()
                .filter(|r| r.id == rule.id)
                .collect::<Vec<_>>();
            for result in check_rule_fixtures(rule, &rule.source, RuleSet::new(single)) {
                if result.passed() {
                    passed += 1;
                    println!(
                        "ok     {} {} ({} flagged, {} ok)",
                        result.rule_id,
                        result.path.display(),
                        result.expected_count,
                        result.ok_count
                    );
                } else {
                    failed += 1;
                    println!("FAILED {} {}", result.rule_id, result.path.display());
                    for line in &result.missed {
                        println!("       line {line}: annotated `ruleid:` but not flagged");
                    }
                    for line in &result.unexpected {
                        println!("       line {line}: flagged but not annotated `ruleid:`");
                    }
                    for problem in &result.problems {
                        println!("       {problem}");
                    }
                }
            }
        }
    }
    println!("\n{passed} fixture(s) passed, {failed} failed");
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn policy(args: &PolicyArgs) -> Result<Policy> {
    let confidence = match args.block_confidence.as_str() {
        "low" => codeguard_rules::Confidence::Low,
        "medium" => codeguard_rules::Confidence::Medium,
        _ => codeguard_rules::Confidence::High,
    };
    Ok(Policy {
        block_severity: args.block_severity.parse().map_err(anyhow::Error::msg)?,
        block_confidence: confidence,
        warn_severity: args.warn_severity.parse().map_err(anyhow::Error::msg)?,
    })
}

/// The scan options the project configuration asks for: inline suppressions and the
/// model-signing settings.
fn project_scan_options(project: &config::LoadedConfig) -> ScanOptions {
    ScanOptions {
        inline_suppressions: project.config.inline_suppressions.unwrap_or(true),
        model_signing: codeguard_engine::ModelSigning {
            verifiers: project.config.model_signing.verifiers.clone(),
            untrusted_only: project.config.model_signing.require
                == Some(config::RequireVerification::Untrusted),
        },
        project_facts: project_facts::project_facts(&project.root),
        ..ScanOptions::default()
    }
}

/// Scan options for the guardrail: the project's, with inline suppressions only when both
/// the flag and the project allow them.
fn guardrail_options(project: &config::LoadedConfig, allow_inline: bool) -> ScanOptions {
    codeguard_guardrail::guardrail_options(project_scan_options(project), allow_inline)
}

/// The guardrail's rules and options, or why they failed to load (the guardrail then fails
/// closed instead of exiting).
fn guardrail_setup(
    selection: &RuleSelection,
    allow_inline: bool,
) -> (RuleSet, ScanOptions, Option<String>) {
    let loaded = project_config(selection).and_then(|project| {
        Ok((
            guardrail_rules(selection, &project, RuleScope::All)?,
            guardrail_options(&project, allow_inline),
        ))
    });
    match loaded {
        Ok((rules, options)) => (rules, options, None),
        Err(e) => (
            RuleSet::new(Vec::new()),
            ScanOptions::default(),
            Some(format!("{e:#}")),
        ),
    }
}

/// The rules the guardrail runs in `project`, for the matchers `scope` needs.
fn guardrail_rules(
    selection: &RuleSelection,
    project: &config::LoadedConfig,
    scope: RuleScope,
) -> Result<RuleSet> {
    Ok(RuleSet::new(rules_one_file_at_a_time(
        selection, project, scope,
    )?))
}

/// The rules for judging code one file at a time (the guardrail, the language server): those
/// of `check`, but unverified model loads only once the project's configuration adopts model
/// signing. `check` sees the whole project and summarises them in one note until then; one
/// file cannot tell, and listing every model load an assistant writes or an editor shows is
/// what an expert would not fix.
fn rules_one_file_at_a_time(
    selection: &RuleSelection,
    project: &config::LoadedConfig,
    scope: RuleScope,
) -> Result<Vec<Rule>> {
    let mut rules = load_rules_for(selection, project, scope)?;
    if !signing_adopted_by_configuration(selection, project) {
        rules.retain(|r| r.id != UNVERIFIED_LOAD && r.id != UNSIGNED_MODEL_FILE);
    }
    Ok(rules)
}

/// A hook's rules, loaded on first need: for the first document judged, only the built-in
/// matchers its code can satisfy (as `check --stdin` loads them); for any other document or a
/// model file, all of them.
struct HookRuleLoader<'a> {
    selection: &'a RuleSelection,
    /// The project's configuration, or why it failed to load.
    project: Result<config::LoadedConfig, String>,
    /// The first document judged (its language and code) and the rules loaded for it.
    for_first_document: std::cell::OnceCell<((Lang, String), Result<RuleSet, String>)>,
    /// Every rule.
    every_rule: std::cell::OnceCell<Result<RuleSet, String>>,
    /// Whether the configuration and the rules load, when no document needed them.
    load_check: std::cell::OnceCell<Result<(), String>>,
}

impl HookRuleLoader<'_> {
    fn load(&self, scope: RuleScope) -> Result<RuleSet, String> {
        let project = self.project.as_ref().map_err(Clone::clone)?;
        guardrail_rules(self.selection, project, scope).map_err(|e| format!("{e:#}"))
    }

    fn every_rule(&self) -> Result<&RuleSet, String> {
        self.every_rule
            .get_or_init(|| self.load(RuleScope::All))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl codeguard_guardrail::hooks::HookRules for HookRuleLoader<'_> {
    fn rules_for(
        &self,
        document: Option<codeguard_guardrail::hooks::HookDocument<'_>>,
    ) -> Result<&RuleSet, String> {
        // A notebook's code is escaped in JSON: its rules are not picked by its text.
        let Some(document) = document.filter(|d| {
            codeguard_engine::document_languages(d.path, d.lang).as_slice() == [d.lang]
        }) else {
            return self.every_rule();
        };
        let ((lang, code), rules) = self.for_first_document.get_or_init(|| {
            (
                (document.lang, document.code.to_string()),
                self.load(RuleScope::Snippet(document.lang, document.code)),
            )
        });
        if *lang == document.lang && code == document.code {
            rules.as_ref().map_err(Clone::clone)
        } else {
            self.every_rule()
        }
    }

    fn check(&self) -> Result<(), String> {
        let loaded = self
            .every_rule
            .get()
            .or(self.for_first_document.get().map(|(_, rules)| rules));
        if let Some(loaded) = loaded {
            return loaded.as_ref().map(drop).map_err(Clone::clone);
        }
        // The user's rules and the built-in sources, without the built-in matchers.
        self.load_check
            .get_or_init(|| self.load(RuleScope::Languages(&[])).map(drop))
            .clone()
    }
}

fn mcp(args: McpArgs) -> Result<ExitCode> {
    let (rules, mut options, setup_error) =
        guardrail_setup(&args.selection, args.allow_inline_suppressions);
    options.file_timeout = args.file_timeout;
    let root = match args.root {
        Some(root) => root,
        None => std::env::current_dir()?,
    };
    if !root.is_dir() {
        bail!("--root {}: not a directory", root.display());
    }
    let mut config = codeguard_guardrail::mcp::ServerConfig::new(&rules, root);
    config.policy = policy(&args.policy)?;
    config.options = options;
    match &setup_error {
        Some(error) => eprintln!(
            "codeguard MCP server: the configuration failed to load; every scan answers \"insecure\" until it is fixed: {error}"
        ),
        None => eprintln!(
            "codeguard {} MCP server on stdio ({} rules)",
            env!("CARGO_PKG_VERSION"),
            rules.rules().len()
        ),
    }
    config.setup_error = setup_error;
    // A large stack as a second line of defence against deeply nested input.
    std::thread::scope(|scope| -> Result<()> {
        let server = std::thread::Builder::new()
            .stack_size(256 * 1024 * 1024)
            .spawn_scoped(scope, || {
                codeguard_guardrail::mcp::serve(
                    &config,
                    std::io::stdin().lock(),
                    std::io::stdout().lock(),
                )
            })?;
        server
            .join()
            .map_err(|_| anyhow::anyhow!("the MCP server crashed"))??;
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The exit status after a panic: an internal error (2) for the commands, but not for the
/// process that judges a hook's edit, where 2 means "deny" and a crash must stay
/// recognisable as one to its supervisor (101, Rust's own status for a panic).
pub fn exit_code_after_panic() -> ExitCode {
    if std::env::var_os(HOOK_WORKER).is_some() {
        ExitCode::from(101)
    } else {
        ExitCode::from(2)
    }
}

/// Set in the environment of the process that judges a hook's edit.
const HOOK_WORKER: &str = "CODEGUARD_HOOK_WORKER";
/// The largest hook input read, in bytes.
const MAX_HOOK_INPUT: u64 = 32 * 1024 * 1024;

/// A hook invocation: this process reads the input and supervises a second codeguard process
/// that judges it, so that a panic, a stack overflow, running out of memory or time in the
/// judgement still gives the documented answer (deny with `--fail-closed`, a loud pass
/// otherwise) instead of a crash the assistant takes for "allow".
fn hook(args: HookArgs) -> Result<ExitCode> {
    if std::env::var_os(HOOK_WORKER).is_some() {
        return hook_worker(args);
    }
    let outcome = supervise_hook(&args);
    if let Some(out) = &outcome.stdout {
        println!("{out}");
    }
    if let Some(err) = &outcome.stderr {
        eprintln!("{err}");
    }
    Ok(ExitCode::from(outcome.exit_code))
}

fn supervise_hook(args: &HookArgs) -> codeguard_guardrail::hooks::HookOutcome {
    use codeguard_guardrail::hooks::{HookOutcome, failure};
    use std::process::{Command, Stdio};
    let fail = |message: String| failure(args.fail_closed, &message);
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin()
        .take(MAX_HOOK_INPUT + 1)
        .read_to_end(&mut input)
    {
        return fail(format!("cannot read the hook input: {e}"));
    }
    if input.len() as u64 > MAX_HOOK_INPUT {
        return fail(format!(
            "the hook input is larger than {} MiB",
            MAX_HOOK_INPUT / 1024 / 1024
        ));
    }
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return fail(format!("cannot find the codeguard executable: {e}")),
    };
    let child = Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env(HOOK_WORKER, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => return fail(format!("cannot start the judging process: {e}")),
    };
    let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        return fail("cannot talk to the judging process".into());
    };
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    // The judging process's stdout closes when it exits: waiting on it (instead of polling
    // the process) answers as soon as the judgement is done.
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        let _ = done.send(text);
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let stdout = match finished.recv_timeout(std::time::Duration::from_secs(args.timeout)) {
        Ok(text) => text,
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            return fail(format!(
                "judging the edit took longer than {} s",
                args.timeout
            ));
        }
    };
    let status = match child.wait() {
        Ok(status) => status,
        Err(e) => return fail(format!("cannot wait for the judging process: {e}")),
    };
    let _ = feeder.join();
    let stderr = err_reader.join().unwrap_or_default();
    match status.code() {
        Some(code @ 0..=2) => HookOutcome {
            stdout: Some(stdout.trim_end().to_string()).filter(|s| !s.is_empty()),
            stderr: Some(stderr.trim_end().to_string()).filter(|s| !s.is_empty()),
            exit_code: code as u8,
        },
        _ => {
            let detail = stderr.trim();
            let tail: String = detail
                .char_indices()
                .rev()
                .nth(2000)
                .map_or(detail, |(i, _)| &detail[i..])
                .to_string();
            fail(format!(
                "the judging process failed ({status}){}",
                if tail.is_empty() {
                    String::new()
                } else {
                    format!(": {tail}")
                }
            ))
        }
    }
}

/// Where Cursor's hook keeps its per-conversation records: a private folder of the user's,
/// not a predictable name in the shared temporary folder.
fn hook_state_dir() -> PathBuf {
    cache::user_state_dir()
        .unwrap_or_else(|| std::env::temp_dir().join("codeguard"))
        .join("cursor-hooks")
}

/// Test builds only: `CODEGUARD_TEST_HOOK_FAILURE=panic|abort|hang|stack` makes the judging
/// process fail that way, so the tests can show each failure still gives the documented answer.
#[cfg(debug_assertions)]
fn injected_failure() {
    fn overflow(depth: u64) -> u64 {
        let frame = [depth; 512];
        if std::hint::black_box(depth) == u64::MAX {
            return 0;
        }
        overflow(std::hint::black_box(frame[depth as usize % 512]) + 1) + frame[0]
    }
    match std::env::var("CODEGUARD_TEST_HOOK_FAILURE").as_deref() {
        Ok("panic") => panic!("injected failure"),
        Ok("abort") => std::process::abort(),
        Ok("hang") => std::thread::sleep(std::time::Duration::from_secs(3600)),
        Ok("stack") => {
            std::hint::black_box(overflow(0));
        }
        _ => {}
    }
}

fn hook_worker(args: HookArgs) -> Result<ExitCode> {
    #[cfg(debug_assertions)]
    injected_failure();
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        let outcome = codeguard_guardrail::hooks::failure(
            args.fail_closed,
            &format!("cannot read the hook input: {e}"),
        );
        eprintln!("{}", outcome.stderr.unwrap_or_default());
        return Ok(ExitCode::from(outcome.exit_code));
    }
    // The policy that applies is the one nearest the edited file (as `check` would find it
    // for that file), not the one of wherever the assistant's shell happens to be.
    let mut selection = args.selection.clone();
    let mut discovery_error = None;
    if selection.config.is_none()
        && !selection.isolated
        && let Some(start) = codeguard_guardrail::hooks::policy_start(&input)
    {
        match config::discover(None, &start) {
            Ok(found) => {
                selection.isolated = found.file.is_none();
                selection.config = found.file;
            }
            Err(e) => discovery_error = Some(format!("{e:#}")),
        }
    }
    // The configuration now; the rules when a document needs them (see `HookRuleLoader`).
    let (project, mut options) = match project_config(&selection) {
        Ok(project) => {
            let options = guardrail_options(&project, args.allow_inline_suppressions);
            (Ok(project), options)
        }
        Err(e) => (Err(format!("{e:#}")), ScanOptions::default()),
    };
    options.file_timeout = args.file_timeout;
    let setup_error = discovery_error.or(project.as_ref().err().cloned());
    let rules = HookRuleLoader {
        selection: &selection,
        project: match (&setup_error, project) {
            (Some(error), _) => Err(error.clone()),
            (None, project) => project,
        },
        for_first_document: std::cell::OnceCell::new(),
        every_rule: std::cell::OnceCell::new(),
        load_check: std::cell::OnceCell::new(),
    };
    let config = codeguard_guardrail::hooks::HookConfig {
        rules: &rules,
        policy: policy(&args.policy)?,
        options,
        fail_closed: args.fail_closed,
        state_dir: hook_state_dir(),
        setup_error,
    };
    let outcome = match args.client {
        HookClient::Claude => codeguard_guardrail::hooks::claude(&config, &input),
        HookClient::Cursor => codeguard_guardrail::hooks::cursor(&config, &input),
    };
    if let Some(out) = &outcome.stdout {
        println!("{out}");
    }
    if let Some(err) = &outcome.stderr {
        eprintln!("{err}");
    }
    Ok(ExitCode::from(outcome.exit_code))
}

fn init_hooks(args: InitHooksArgs) -> Result<ExitCode> {
    let (client, file) = match args.client {
        HookClient::Claude => ("claude", args.project.join(".claude").join("settings.json")),
        HookClient::Cursor => ("cursor", args.project.join(".cursor").join("hooks.json")),
    };
    let existing = match std::fs::read_to_string(&file) {
        Ok(text) => Some(
            serde_json::from_str(&text)
                .with_context(|| format!("{} is not valid JSON; fix it first", file.display()))?,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", file.display())),
    };
    let merged = codeguard_guardrail::hooks::merge_hook_settings(client, existing, &args.command)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let text = serde_json::to_string_pretty(&merged)? + "\n";
    if args.print {
        print!("{text}");
        return Ok(ExitCode::SUCCESS);
    }
    let dir = file.parent().context("settings file has a parent folder")?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    atomic::write(&file, text.as_bytes())?;
    eprintln!(
        "codeguard: wrote the {client} hook settings to {}",
        file.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn lsp() -> Result<ExitCode> {
    let loader: codeguard_lsp::RuleLoader = std::sync::Arc::new(|settings, root| {
        let config_file = match root {
            Some(root) => {
                config::discover(None, root)
                    .map_err(|e| format!("{e:#}"))?
                    .file
            }
            None => None,
        };
        let rule_paths = settings
            .rules
            .iter()
            .map(|p| match root {
                Some(root) if p.is_relative() => root.join(p),
                _ => p.clone(),
            })
            .collect();
        let selection = RuleSelection {
            select: settings.select.clone(),
            ignore: settings.ignore.clone(),
            rule_paths,
            no_builtin_rules: false,
            // The project's configuration (codeguard.toml, .codeguard.toml or pyproject.toml)
            // is found from the workspace root, as the CLI finds it from the current folder;
            // a broken one is an error the user sees, not a silent "no configuration".
            config: config_file.clone(),
            isolated: root.is_some() && config_file.is_none(),
            list_opt_in: false,
        };
        let loaded = project_config(&selection).and_then(|project| {
            Ok((
                rules_one_file_at_a_time(&selection, &project, RuleScope::All)?,
                project_scan_options(&project),
            ))
        });
        loaded.map_err(|e| format!("{e:#}"))
    });
    codeguard_lsp::run_stdio(loader)?;
    Ok(ExitCode::SUCCESS)
}

struct FixOutcome {
    applied: usize,
    refused: usize,
    files: usize,
    diff: String,
}

/// Fixes (or diffs) every file with an applicable fix, then re-scans the changed files so the
/// report shows what is left.
fn apply_fixes(
    rules: &RuleSet,
    summary: &mut ScanSummary,
    options: &ScanOptions,
    unsafe_fixes: bool,
    diff_only: bool,
) -> Result<FixOutcome> {
    let mut outcome = FixOutcome {
        applied: 0,
        refused: 0,
        files: 0,
        diff: String::new(),
    };
    for file in &mut summary.files {
        let fixable = file
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .any(|f| unsafe_fixes || f.applicability == codeguard_rules::Applicability::Safe);
        if !fixable {
            continue;
        }
        let bytes = std::fs::read(&file.path)
            .with_context(|| format!("cannot read {}", file.path.display()))?;
        // Scanned after a lossy decode; writing that text back would corrupt the file.
        let Ok(source) = String::from_utf8(bytes) else {
            eprintln!("{}: not fixed: not UTF-8", file.path.display());
            continue;
        };
        let fixed =
            codeguard_engine::fix::fix_source(rules, file.lang, &file.path, &source, unsafe_fixes)?;
        outcome.refused += fixed.refused;
        if fixed.source == source {
            continue;
        }
        outcome.applied += fixed.applied;
        outcome.files += 1;
        let display = file.path.to_string_lossy().replace('\\', "/");
        if diff_only {
            let diff = similar::TextDiff::from_lines(&source, &fixed.source);
            outcome.diff.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{display}"), &format!("b/{display}"))
                    .to_string(),
            );
            continue;
        }
        atomic::write(&file.path, fixed.source.as_bytes())?;
        let rescanned = codeguard_engine::walk::scan_file(rules, &file.path, file.lang, options)?;
        file.diagnostics = rescanned.diagnostics;
    }
    Ok(outcome)
}

fn globs(patterns: &[String]) -> Result<globset::GlobSet> {
    let mut builder = globset::GlobSetBuilder::new();
    for glob in glob_list(patterns)? {
        builder.add(glob);
    }
    Ok(builder.build()?)
}

/// The globs of `patterns`, checked (building their set compiles a regex, which a caller
/// that only validates them need not pay).
fn glob_list(patterns: &[String]) -> Result<Vec<globset::Glob>> {
    let mut list = Vec::new();
    for pattern in patterns {
        let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
        list.push(
            globset::Glob::new(pattern).with_context(|| format!("invalid glob `{pattern}`"))?,
        );
        // `dir` and `dir/**` both exclude what is inside the folder.
        if !pattern.ends_with("**") {
            list.push(globset::Glob::new(&format!("{pattern}/**"))?);
        }
    }
    Ok(list)
}

/// Paths relative to a project's root, for matching its globs: symbolic links resolved (as
/// `realpath` does), else the path as given. Resolving each file's whole path (and the root,
/// and asking for the working directory) per file took 100,000 system calls on the main
/// thread before a 6,900-file scan began; a folder is resolved once for all its files.
pub(crate) struct ProjectPaths {
    cwd: Option<PathBuf>,
    root: PathBuf,
    folders: std::cell::RefCell<std::collections::HashMap<PathBuf, Option<PathBuf>>>,
}

impl ProjectPaths {
    pub(crate) fn new(root: &std::path::Path) -> Self {
        Self {
            cwd: std::env::current_dir().ok(),
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            folders: Default::default(),
        }
    }

    /// Whether `path`, relative to the root, matches `set`.
    pub(crate) fn matches(&self, set: &globset::GlobSet, path: &std::path::Path) -> bool {
        self.matches_file(set, path, false)
    }

    /// [`Self::matches`], told whether `path` is known to be a regular file (not a link):
    /// what a folder's walk found, which follows no links. Its name then needs no `lstat`,
    /// which for 8,000 files was 40 ms before the scan could start.
    pub(crate) fn matches_file(
        &self,
        set: &globset::GlobSet,
        path: &std::path::Path,
        regular: bool,
    ) -> bool {
        if set.is_empty() {
            return false;
        }
        let absolute = match &self.cwd {
            Some(cwd) => cwd.join(path),
            None => path.to_path_buf(),
        };
        let absolute = self.canonical_file(absolute, regular);
        let relative = absolute.strip_prefix(&self.root).unwrap_or(path);
        set.is_match(relative)
    }

    /// `absolute` with its symbolic links resolved, or as given when it does not exist.
    pub(crate) fn canonical(&self, absolute: PathBuf) -> PathBuf {
        self.canonical_file(absolute, false)
    }

    /// [`Self::canonical`], told whether `absolute` is known to be a regular file.
    fn canonical_file(&self, absolute: PathBuf, regular: bool) -> PathBuf {
        // realpath(folder/name) is realpath(folder)/name when `name` is a regular file (not
        // a link, `.` or `..`), on systems whose canonical paths keep names as given (macOS
        // and Windows return each name's case on disk, Windows its long form).
        let plain = cfg!(all(unix, not(target_os = "macos")))
            && matches!(
                absolute.components().next_back(),
                Some(std::path::Component::Normal(_))
            )
            && (regular
                || std::fs::symlink_metadata(&absolute).is_ok_and(|m| m.file_type().is_file()));
        if plain && let (Some(folder), Some(name)) = (absolute.parent(), absolute.file_name()) {
            let mut folders = self.folders.borrow_mut();
            let resolved = folders
                .entry(folder.to_path_buf())
                .or_insert_with(|| folder.canonicalize().ok());
            if let Some(resolved) = resolved {
                return resolved.join(name);
            }
        }
        absolute.canonicalize().unwrap_or(absolute)
    }
}

/// Severity overrides and per-file ignores from the configuration.
/// Test folders and file names recognised when the configuration names none.
fn default_test_globs() -> Vec<String> {
    ["**/tests/**", "**/test/**"]
        .into_iter()
        .chain(
            Lang::ALL
                .iter()
                .flat_map(|l| l.test_file_globs().iter().copied()),
        )
        .map(str::to_string)
        .collect()
}

/// Every default test glob names `test` or `.spec.` literally, so a path without either
/// cannot match (checked by a test below).
fn may_match_default_test_globs(path: &std::path::Path) -> bool {
    let text = path.to_string_lossy();
    text.contains("test") || text.contains(".spec.")
}

/// Which files the project counts as tests: its `test-globs`, or test folders and the
/// languages' test file names.
struct TestFiles {
    configured: Option<globset::GlobSet>,
    /// The default set, built only for a path that can match it: compiling a glob set is a
    /// regex build, 1.5 ms of a 10 ms snippet scan.
    defaults: std::cell::OnceCell<globset::GlobSet>,
}

impl TestFiles {
    /// Configured globs are checked now: a broken one is an error.
    fn new(project: &config::LoadedConfig) -> Result<Self> {
        let configured = match &project.config.test_globs {
            Some(test_globs) => Some(globs(test_globs)?),
            None => None,
        };
        Ok(Self {
            configured,
            defaults: std::cell::OnceCell::new(),
        })
    }

    /// Whether `path` is a test file (`regular`: see [`ProjectPaths::matches_file`]).
    fn contains(&self, paths: &ProjectPaths, path: &std::path::Path, regular: bool) -> bool {
        match &self.configured {
            Some(set) => paths.matches_file(set, path, regular),
            None => {
                may_match_default_test_globs(path)
                    && paths.matches_file(
                        self.defaults.get_or_init(|| {
                            globs(&default_test_globs())
                                .unwrap_or_else(|_| globset::GlobSet::empty())
                        }),
                        path,
                        regular,
                    )
            }
        }
    }
}

fn apply_project_overrides(
    project: &config::LoadedConfig,
    rules: &RuleSet,
    summary: &mut ScanSummary,
) -> Result<()> {
    let off_in_tests: std::collections::HashSet<&str> = rules
        .rules()
        .iter()
        .filter(|r| r.in_tests == codeguard_rules::InTests::Off)
        .map(|r| r.id.as_str())
        .collect();
    let per_file: Vec<(globset::GlobSet, &Vec<String>)> = project
        .config
        .per_file_ignores
        .iter()
        .map(|(glob, rules)| Ok((globs(std::slice::from_ref(glob))?, rules)))
        .collect::<Result<_>>()?;
    let overrides = &project.config.severity;
    let test_files = TestFiles::new(project)?;
    let project_paths = ProjectPaths::new(&project.root);
    let is_test_file = |path: &std::path::Path| test_files.contains(&project_paths, path, false);
    for file in &mut summary.files {
        // Findings in tests are downgraded one level, or dropped for rules whose findings
        // there are deliberate set-ups (`in-tests: off`); critical secrets stay critical: a
        // live key in a test is still a leaked key.
        // Test code inside other files (Rust `#[cfg(test)]` modules) counts as tests too.
        let test_file = !file.diagnostics.is_empty() && is_test_file(&file.path);
        if test_file || file.diagnostics.iter().any(|d| d.in_test_code) {
            file.diagnostics.retain(|d| {
                !((test_file || d.in_test_code) && off_in_tests.contains(d.rule_id.as_str()))
            });
            for d in &mut file.diagnostics {
                if !test_file && !d.in_test_code {
                    continue;
                }
                if d.severity != Severity::Critical || d.pack != "sec" {
                    d.severity = match d.severity {
                        Severity::Critical => Severity::High,
                        Severity::High => Severity::Medium,
                        Severity::Medium => Severity::Low,
                        Severity::Low | Severity::Info => Severity::Info,
                    };
                }
            }
        }
        let ignored: Vec<&String> = per_file
            .iter()
            .filter(|(set, _)| project_paths.matches(set, &file.path))
            .flat_map(|(_, rules)| rules.iter())
            .collect();
        file.diagnostics.retain(|d| {
            !ignored.iter().any(|s| {
                s.eq_ignore_ascii_case(&d.rule_id)
                    || s.eq_ignore_ascii_case(&d.rule_name)
                    || s.eq_ignore_ascii_case(&d.pack)
                    || d.cwe.iter().any(|c| {
                        c.split(':')
                            .next()
                            .is_some_and(|id| id.trim().eq_ignore_ascii_case(s))
                    })
            })
        });
        for d in &mut file.diagnostics {
            if let Some(severity) = overrides
                .get(&d.rule_id)
                .or_else(|| overrides.get(&d.rule_name))
            {
                d.severity = *severity;
            }
        }
    }
    Ok(())
}

const BASELINE_VERSION: u32 = 1;

/// Records the findings `check` would report (same configuration and filters) in a baseline.
fn baseline(args: CheckArgs) -> Result<ExitCode> {
    if args.fix || args.diff {
        bail!("baseline records findings and applies no fixes; run `check --fix` first");
    }
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(".codeguard-baseline.json"));
    let plan = resolve(&args)?;
    let mut summary = scan(&args, &plan, std::time::Instant::now())?;
    post_process(&args, &plan, &mut summary)?;
    apply_threshold(plan.threshold, &mut summary);
    let entries: Vec<serde_json::Value> = summary
        .diagnostics()
        .zip(summary.fingerprints())
        .map(|(d, fingerprint)| {
            serde_json::json!({
                "fingerprint": fingerprint, "rule_id": d.rule_id,
                "path": d.path.to_string_lossy().replace('\\', "/"),
                "line": d.range.start.line, "message": d.message,
            })
        })
        .collect();
    let doc =
        serde_json::json!({"version": BASELINE_VERSION, "tool": "codeguard", "findings": entries});
    atomic::write(
        &path,
        (serde_json::to_string_pretty(&doc)? + "\n").as_bytes(),
    )?;
    eprintln!("Wrote {} finding(s) to {}.", entries.len(), path.display());
    let unscanned = summary.unscanned().count();
    if unscanned > 0 {
        // Harmless for later checks (those findings will show as new), but worth knowing.
        eprintln!(
            "warning: {unscanned} file(s) were not scanned; their findings are not in the baseline."
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Drops findings recorded in the baseline; returns (known, stale entries).
fn apply_baseline(path: &std::path::Path, summary: &mut ScanSummary) -> Result<(usize, usize)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the baseline {}", path.display()))?;
    let doc: serde_json::Value = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a codeguard baseline (invalid JSON)",
            path.display()
        )
    })?;
    if doc["version"] != BASELINE_VERSION {
        bail!(
            "{}: unsupported baseline version {} (expected {BASELINE_VERSION})",
            path.display(),
            doc["version"]
        );
    }
    let recorded: std::collections::HashSet<String> = doc["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|e| e["fingerprint"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let fingerprints = summary.fingerprints();
    let mut index = 0;
    let mut seen = std::collections::HashSet::new();
    for file in &mut summary.files {
        file.diagnostics.retain(|_| {
            let fp = &fingerprints[index];
            index += 1;
            if recorded.contains(fp) {
                seen.insert(fp.clone());
                false
            } else {
                true
            }
        });
    }
    Ok((seen.len(), recorded.len() - seen.len()))
}

/// Draws `files done/total (files/s)` on stderr until `stop`; only used on a terminal.
fn progress(
    finished: &std::sync::atomic::AtomicUsize,
    stop: &std::sync::atomic::AtomicBool,
    total: usize,
    started: std::time::Instant,
) {
    use std::sync::atomic::Ordering;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(std::time::Duration::from_millis(150));
        let done = finished.load(Ordering::Relaxed);
        let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
        eprint!("\r\x1b[2Kscanning {done}/{total} files ({rate:.0} files/s)");
    }
    eprint!("\r\x1b[2K");
}

/// Keeps only findings on lines added or changed since the git `reference` (untracked files
/// count as new). Returns how many were dropped.
fn keep_changed_lines(reference: &str, summary: &mut ScanSummary) -> Result<usize> {
    use std::collections::HashMap;
    let git = |args: &[&str]| -> Result<String> {
        let out = std::process::Command::new("git")
            .args(args)
            .output()
            .context("cannot run git")?;
        if !out.status.success() {
            bail!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?.trim());
    let diff = git(&[
        "diff",
        "--unified=0",
        "--no-color",
        "--no-ext-diff",
        reference,
        "--",
    ])?;
    let mut changed: HashMap<PathBuf, Vec<(usize, usize)>> = HashMap::new();
    let mut current: Option<PathBuf> = None;
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ ") {
            current = path.strip_prefix("b/").map(|p| top.join(p));
        } else if let (Some(hunk), Some(file)) = (line.strip_prefix("@@ "), &current) {
            // @@ -a,b +c,d @@
            let added = hunk
                .split_whitespace()
                .find(|p| p.starts_with('+'))
                .unwrap_or("+0");
            let mut parts = added[1..].split(',');
            let start: usize = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            let count: usize = parts.next().and_then(|n| n.parse().ok()).unwrap_or(1);
            if count > 0 {
                changed
                    .entry(file.clone())
                    .or_default()
                    .push((start, start + count - 1));
            }
        }
    }
    for path in git(&["ls-files", "--others", "--exclude-standard", "--full-name"])?.lines() {
        changed
            .entry(top.join(path))
            .or_default()
            .push((1, usize::MAX));
    }
    let cwd = std::env::current_dir()?;
    let paths = ProjectPaths::new(&cwd);
    let mut dropped = 0;
    for file in &mut summary.files {
        let absolute = paths.canonical(cwd.join(&file.path));
        let ranges = changed.get(&absolute);
        let before = file.diagnostics.len();
        file.diagnostics.retain(|d| {
            ranges.is_some_and(|r| {
                r.iter()
                    .any(|(a, b)| (*a..=*b).contains(&d.range.start.line))
            })
        });
        dropped += before - file.diagnostics.len();
    }
    Ok(dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Folders resolved once give what resolving each whole path gave: through a linked
    /// folder, for a linked file, for `..`, and for a path that does not exist.
    #[cfg(unix)]
    #[test]
    fn project_paths_resolve_links_as_canonicalize_does() {
        let dir = std::env::temp_dir().join(format!("codeguard-paths-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("real/sub")).unwrap();
        std::fs::create_dir_all(dir.join("elsewhere")).unwrap();
        std::fs::write(dir.join("real/sub/a.py"), "").unwrap();
        std::fs::write(dir.join("elsewhere/b.py"), "").unwrap();
        std::os::unix::fs::symlink(dir.join("real"), dir.join("link")).unwrap();
        std::os::unix::fs::symlink(dir.join("elsewhere/b.py"), dir.join("real/b.py")).unwrap();
        let paths = ProjectPaths::new(&dir);
        for path in [
            "real/sub/a.py",
            "link/sub/a.py",
            "real/b.py",
            "link/sub/../b.py",
            "real/sub/..",
            "real/missing.py",
            "link/.",
            "link/",
        ] {
            let absolute = dir.join(path);
            let expected = absolute.canonicalize().unwrap_or(absolute.clone());
            assert_eq!(paths.canonical(absolute), expected, "{path}");
        }
        let set = globs(&["elsewhere/**".to_string()]).unwrap();
        assert!(paths.matches(&set, &dir.join("link/b.py")));
        assert!(!paths.matches(&set, &dir.join("link/sub/a.py")));
        // A file a walk found is a regular file: through a linked folder it resolves as
        // before, without asking what the file is.
        let set = globs(&["real/sub/**".to_string()]).unwrap();
        assert!(paths.matches_file(&set, &dir.join("link/sub/a.py"), true));
        assert!(!paths.matches_file(&set, &dir.join("elsewhere/b.py"), true));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn every_default_test_glob_names_test_or_spec() {
        for glob in default_test_globs() {
            assert!(
                glob.contains("test") || glob.contains(".spec."),
                "`{glob}`: may_match_default_test_globs would skip paths it matches"
            );
        }
        assert!(may_match_default_test_globs(std::path::Path::new(
            "src/tests/x.py"
        )));
        assert!(may_match_default_test_globs(std::path::Path::new(
            "web/a.spec.ts"
        )));
        assert!(!may_match_default_test_globs(std::path::Path::new(
            "src/agent.py"
        )));
    }
}
