//! The `codeguard` command line: argument parsing, rule selection, running scans and
//! rendering reports. Library and binary are split so integration tests can render reports.

mod args;
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
use codeguard_engine::{FileOutcome, ScanOptions, ScanSummary, scan_paths, scan_source};
use codeguard_language::Lang;
use codeguard_rules::{Rule, RuleSet, Severity, builtin_rules, check_unique, load_rule_path};

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

/// Loads built-in and user rules and applies --select/--ignore.
pub fn load_rules(selection: &RuleSelection) -> Result<Vec<Rule>> {
    let mut rules = if selection.no_builtin_rules {
        Vec::new()
    } else {
        builtin_rules()?
    };
    for path in &selection.rule_paths {
        rules.extend(load_rule_path(path)?);
    }
    check_unique(&rules)?;
    codeguard_engine::validate_rules(&rules)?;
    for selector in selection.select.iter().chain(&selection.ignore) {
        if !rules.iter().any(|r| r.is_selected_by(selector)) {
            bail!("`{selector}` names no rule, rule name or pack (see `codeguard rules`)");
        }
    }
    rules.retain(|r| {
        (selection.select.is_empty() || selection.select.iter().any(|s| r.is_selected_by(s)))
            && !selection.ignore.iter().any(|s| r.is_selected_by(s))
    });
    Ok(rules)
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    let rules = RuleSet::new(load_rules(&args.selection)?);
    let options = ScanOptions {
        max_file_bytes: args.max_file_size,
        inline_suppressions: !args.no_inline_suppressions,
        ..ScanOptions::default()
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
        pool.install(|| scan_paths(&rules, &paths, &options))?
    };

    if let Some(min) = threshold {
        for file in &mut summary.files {
            file.diagnostics.retain(|d| d.severity >= min);
        }
    }
    let elapsed = started.elapsed();
    let findings = summary.diagnostics().count();

    let rendered = match args.format {
        OutputFormat::Text => report::text(&summary, elapsed),
        OutputFormat::Json => report::json(&summary, &rules, &policy(&args.policy)?)?,
        OutputFormat::Sarif => sarif::sarif(&summary, &rules)?,
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
            let single = load_rule_path(&rule.source)?
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
        };
        load_rules(&selection).map_err(|e| format!("{e:#}"))
    });
    codeguard_lsp::run_stdio(loader)?;
    Ok(ExitCode::SUCCESS)
}
