//! The `codeguard` command line: argument parsing, rule selection, running scans and
//! rendering reports. Library and binary are split so integration tests can render reports.

mod args;
pub mod cache;
pub mod config;
#[doc(hidden)]
pub mod fuzzing;
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
use codeguard_engine::{FileOutcome, ScanOptions, ScanSummary, scan_source};
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
/// (command-line `--select` replaces the configured one; ignores add up).
pub fn load_rules(selection: &RuleSelection) -> Result<Vec<Rule>> {
    let project = project_config(selection)?;
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
    let mut loader = RuleLoader::new()?;
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
        (selection.select.is_empty() || selection.select.iter().any(|s| r.is_selected_by(s)))
            && !selection.ignore.iter().any(|s| r.is_selected_by(s))
    });
    Ok(rules)
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    let project = project_config(&args.selection)?;
    let rules = RuleSet::new(load_rules(&args.selection)?);
    let options = ScanOptions {
        max_file_bytes: args.max_file_size,
        inline_suppressions: !args.no_inline_suppressions
            && project.config.inline_suppressions.unwrap_or(true),
        model_signing: codeguard_engine::ModelSigning {
            verifiers: project.config.model_signing.verifiers.clone(),
            untrusted_only: project.config.model_signing.require
                == Some(config::RequireVerification::Untrusted),
        },
        ..ScanOptions::default()
    };
    let excluded = globs(&project.config.exclude)?;
    let fail_on: Option<Severity> = match args.fail_on.as_deref() {
        Some(level) => Some(level.parse().map_err(anyhow::Error::msg)?),
        None => project.config.fail_on,
    };
    let threshold: Option<Severity> = args
        .severity
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let started = std::time::Instant::now();

    let mut summary = if args.stdin {
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
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        let text = decode(&bytes)
            .map_err(|reason| anyhow::anyhow!("standard input is not UTF-8 text ({reason:?})"))?;
        let report = scan_source(&rules, lang, &name, text, &options)?;
        ScanSummary {
            files: vec![FileOutcome {
                path: name,
                lang,
                diagnostics: report.diagnostics,
                syntax_errors: report.syntax_errors,
                skipped: None,
                bytes: bytes.len() as u64,
                lines: text.lines().count(),
                suppressed: report.suppressed,
                unused_suppressions: report.unused_suppressions,
            }],
        }
    } else {
        let paths = if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(args.threads.unwrap_or(0))
            .build()?;
        let files: Vec<_> = codeguard_engine::walk::collect_files(&paths)?
            .into_iter()
            .filter(|(path, _)| !matches_relative(&excluded, &project.root, path))
            .collect();
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
            let result = pool.install(|| -> Result<ScanSummary> {
                if args.no_cache {
                    return Ok(codeguard_engine::walk::scan_files_with_progress(
                        &rules, files, &options, &done,
                    )?);
                }
                // Unchanged files under an unchanged rule set come from the cache.
                let key = cache::key(
                    rules.rules(),
                    // Everything in the options that changes results.
                    &format!(
                        "{}:{}:{:?}",
                        options.inline_suppressions, options.max_file_bytes, options.model_signing
                    ),
                );
                let mut store = cache::Cache::open(std::path::Path::new(".codeguard_cache"), key);
                let mut outcomes = Vec::new();
                let mut misses = Vec::new();
                let mut miss_hashes = Vec::new();
                for (path, lang) in files {
                    let hash = cache::content_hash(&path);
                    match hash.and_then(|h| {
                        store.get(&codeguard_engine::walk::display_path(&path), lang, h)
                    }) {
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
                let fresh = codeguard_engine::walk::scan_files_with_progress(
                    &rules, misses, &options, &done,
                )?;
                for (outcome, hash) in fresh.files.into_iter().zip(miss_hashes) {
                    if let Some(hash) = hash {
                        store.put(&outcome, hash);
                    }
                    outcomes.push(outcome);
                }
                store.save();
                outcomes.sort_by(|a, b| a.path.cmp(&b.path));
                Ok(ScanSummary { files: outcomes })
            });
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            result
        })?
    };
    apply_project_overrides(&project, &mut summary)?;

    if let Some(reference) = &args.new_since {
        let dropped = keep_changed_lines(reference, &mut summary)?;
        eprintln!("{dropped} finding(s) on lines unchanged since {reference} are not shown.");
    }
    if let Some(path) = &args.baseline {
        let (known, stale) = apply_baseline(path, &mut summary)?;
        eprintln!(
            "{known} finding(s) are in the baseline {}; {} stale entr{} (fixed since).",
            path.display(),
            stale,
            if stale == 1 { "y" } else { "ies" }
        );
    }
    if args.fix || args.diff {
        if args.stdin {
            bail!("--fix and --diff work on files, not on --stdin");
        }
        let outcome = apply_fixes(&rules, &mut summary, &options, args.unsafe_fixes, args.diff)?;
        if args.diff {
            print!("{}", outcome.diff);
            eprintln!(
                "{} fix(es) would be applied to {} file(s).",
                outcome.applied, outcome.files
            );
            return Ok(if outcome.applied > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            });
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
    }
    if let Some(min) = threshold {
        for file in &mut summary.files {
            file.diagnostics.retain(|d| d.severity >= min);
        }
    }

    let elapsed = started.elapsed();
    let findings = summary
        .diagnostics()
        .filter(|d| fail_on.is_none_or(|min| d.severity >= min))
        .count();

    let rendered = match args.format {
        OutputFormat::Text => report::text(&summary, elapsed),
        OutputFormat::Json => report::json(&summary, &rules, &policy(&args.policy)?)?,
        OutputFormat::Sarif => sarif::sarif(&summary, &rules)?,
        OutputFormat::Github => report::github(&summary),
        OutputFormat::Gitlab => report::gitlab(&summary)?,
        OutputFormat::Junit => report::junit(&summary),
    };
    match &args.output {
        Some(path) => std::fs::write(path, rendered)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(rendered.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(if findings > 0 && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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

fn mcp(args: McpArgs) -> Result<ExitCode> {
    let rules = RuleSet::new(load_rules(&args.selection)?);
    let root = match args.root {
        Some(root) => root,
        None => std::env::current_dir()?,
    };
    if !root.is_dir() {
        bail!("--root {}: not a directory", root.display());
    }
    let mut config = codeguard_guardrail::mcp::ServerConfig::new(&rules, root);
    config.policy = policy(&args.policy)?;
    eprintln!(
        "codeguard {} MCP server on stdio ({} rules)",
        env!("CARGO_PKG_VERSION"),
        rules.rules().len()
    );
    codeguard_guardrail::mcp::serve(&config, std::io::stdin().lock(), std::io::stdout().lock())?;
    Ok(ExitCode::SUCCESS)
}

fn hook(args: HookArgs) -> Result<ExitCode> {
    let fail = |message: String| {
        eprintln!("codeguard hook: {message}");
        Ok(ExitCode::from(if args.fail_closed { 2 } else { 1 }))
    };
    let rules = match load_rules(&args.selection) {
        Ok(rules) => RuleSet::new(rules),
        Err(e) => return fail(format!("{e:#}")),
    };
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        return fail(format!("cannot read the hook input: {e}"));
    }
    let config = codeguard_guardrail::hooks::HookConfig {
        rules: &rules,
        policy: policy(&args.policy)?,
        fail_closed: args.fail_closed,
        state_dir: std::env::temp_dir().join("codeguard-cursor-hooks"),
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
    // Write beside the target, then rename: an interrupted run never leaves half a file.
    let tmp = dir.join(format!(
        ".{}.codeguard-tmp",
        file.file_name().unwrap_or_default().to_string_lossy()
    ));
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &file).with_context(|| format!("cannot replace {}", file.display()))?;
    eprintln!(
        "codeguard: wrote the {client} hook settings to {}",
        file.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn lsp() -> Result<ExitCode> {
    let loader: codeguard_lsp::RuleLoader = std::sync::Arc::new(|settings, root| {
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
            // is found from the workspace root, as the CLI finds it from the current folder.
            config: root.and_then(|r| {
                config::discover(None, r)
                    .ok()
                    .and_then(|loaded| loaded.file)
            }),
            isolated: false,
        };
        load_rules(&selection).map_err(|e| format!("{e:#}"))
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
        let source = std::fs::read_to_string(&file.path)
            .with_context(|| format!("cannot read {}", file.path.display()))?;
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
        write_atomically(&file.path, &fixed.source)?;
        let rescanned = codeguard_engine::walk::scan_file(rules, &file.path, file.lang, options)?;
        file.diagnostics = rescanned.diagnostics;
    }
    Ok(outcome)
}

/// Writes beside the file and renames over it, keeping its permissions: an interrupted run
/// leaves either the old file or the new one, never half of each.
fn write_atomically(path: &std::path::Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path.file_name().context("a file name")?.to_string_lossy();
    let tmp = dir.join(format!(".{name}.codeguard-{}", std::process::id()));
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, path).with_context(|| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot replace {}", path.display())
    })
}

fn globs(patterns: &[String]) -> Result<globset::GlobSet> {
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
        builder
            .add(globset::Glob::new(pattern).with_context(|| format!("invalid glob `{pattern}`"))?);
        // `dir` and `dir/**` both exclude what is inside the folder.
        if !pattern.ends_with("**") {
            builder.add(globset::Glob::new(&format!("{pattern}/**"))?);
        }
    }
    Ok(builder.build()?)
}

fn matches_relative(
    set: &globset::GlobSet,
    root: &std::path::Path,
    path: &std::path::Path,
) -> bool {
    if set.is_empty() {
        return false;
    }
    let absolute = std::env::current_dir()
        .map(|d| d.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let absolute = absolute.canonicalize().unwrap_or(absolute);
    let relative = absolute.strip_prefix(&root).unwrap_or(path);
    set.is_match(relative)
}

/// Severity overrides and per-file ignores from the configuration.
fn apply_project_overrides(
    project: &config::LoadedConfig,
    summary: &mut ScanSummary,
) -> Result<()> {
    let per_file: Vec<(globset::GlobSet, &Vec<String>)> = project
        .config
        .per_file_ignores
        .iter()
        .map(|(glob, rules)| Ok((globs(std::slice::from_ref(glob))?, rules)))
        .collect::<Result<_>>()?;
    let overrides = &project.config.severity;
    let default_tests = [
        "**/tests/**",
        "**/test/**",
        "**/test_*.py",
        "**/*_test.py",
        "**/*_tests.rs",
        "**/conftest.py",
    ];
    let test_globs: Vec<String> = match &project.config.test_globs {
        Some(globs) => globs.clone(),
        None => default_tests.iter().map(|g| (*g).to_string()).collect(),
    };
    let tests = globs(&test_globs)?;
    for file in &mut summary.files {
        // Findings in tests are downgraded one level (not dropped); critical secrets stay
        // critical: a live key in a test is still a leaked key.
        if matches_relative(&tests, &project.root, &file.path) {
            for d in &mut file.diagnostics {
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
            .filter(|(set, _)| matches_relative(set, &project.root, &file.path))
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

fn baseline(mut args: CheckArgs) -> Result<ExitCode> {
    let path = args
        .output
        .take()
        .unwrap_or_else(|| PathBuf::from(".codeguard-baseline.json"));
    args.format = OutputFormat::Json;
    args.exit_zero = true;
    let tmp = std::env::temp_dir().join(format!("codeguard-baseline-{}.json", std::process::id()));
    args.output = Some(tmp.clone());
    check(args)?;
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&tmp)?)?;
    let _ = std::fs::remove_file(&tmp);
    let entries: Vec<serde_json::Value> = report["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|d| {
                    serde_json::json!({
                        "fingerprint": d["fingerprint"], "rule_id": d["rule_id"], "path": d["path"],
                        "line": d["range"]["start"]["line"], "message": d["message"],
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let doc =
        serde_json::json!({"version": BASELINE_VERSION, "tool": "codeguard", "findings": entries});
    write_atomically(&path, &(serde_json::to_string_pretty(&doc)? + "\n"))?;
    eprintln!("Wrote {} finding(s) to {}.", entries.len(), path.display());
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
    let mut dropped = 0;
    for file in &mut summary.files {
        let absolute = cwd.join(&file.path);
        let absolute = absolute.canonicalize().unwrap_or(absolute);
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
