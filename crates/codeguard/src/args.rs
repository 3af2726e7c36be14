//! Command-line interface definition.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Fast, rule-based security analyzer for code written by people and AI assistants.
///
/// Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error, or files
/// that could not be scanned.
#[derive(Debug, Parser)]
#[command(
    name = "codeguard",
    version,
    about,
    long_about = None,
    propagate_version = true,
    after_help = "Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error,\n\
                  or files that could not be scanned (see --allow-skipped).\n\n\
                  Examples:\n  codeguard check .\n  codeguard check --format sarif -o codeguard.sarif .\n  \
                  codeguard check --select ml,sec --fail-on high src/\n  codeguard explain CG-ML006"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories (default: the current directory).
    Check(CheckArgs),
    /// List the available rules.
    Rules(RulesArgs),
    /// Show a rule's documentation.
    Explain(ExplainArgs),
    /// Check rule fixtures: every `ruleid:` line is flagged, no `ok:` line is.
    Test(TestArgs),
    /// Record the current findings in a baseline file; `check --baseline FILE` then reports
    /// only new ones.
    Baseline(CheckArgs),
    /// Run the language server over stdio (for editors).
    Lsp,
    /// Run an MCP server over stdio (for AI assistants): tools scan_code, scan_files,
    /// explain_rule, list_rules; the rules' guidance as prompts (secure-coding, per topic).
    Mcp(McpArgs),
    /// Act as an AI-assistant hook: read the hook's JSON on stdin, answer on stdout.
    Hook(HookArgs),
    /// Add codeguard's hook entries to an assistant's project settings.
    InitHooks(InitHooksArgs),
    /// Write the enabled rules as instructions for AI assistants (Cursor, Claude Code,
    /// Copilot, AGENTS.md), so they write code that passes them in the first place.
    InitRules(InitRulesArgs),
}

/// The guardrail policy: which findings block an edit and which only warn.
#[derive(Debug, Args, Clone)]
pub struct PolicyArgs {
    /// Findings at or above this severity block (with enough confidence).
    #[arg(long, value_name = "LEVEL", default_value = "high", value_parser = ["info", "low", "medium", "high", "critical"])]
    pub block_severity: String,
    /// Minimum confidence for a finding to block.
    #[arg(long, value_name = "LEVEL", default_value = "high", value_parser = ["low", "medium", "high"])]
    pub block_confidence: String,
    /// Findings at or above this severity (that do not block) warn; lower ones are ignored.
    #[arg(long, value_name = "LEVEL", default_value = "low", value_parser = ["info", "low", "medium", "high", "critical"])]
    pub warn_severity: String,
}

#[derive(Debug, Args)]
pub struct McpArgs {
    #[command(flatten)]
    pub selection: RuleSelection,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// The workspace root; `scan_files` never reads outside it. Default: the current directory.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Honour `codeguard-ignore` comments in scanned code (refused by default: the model
    /// whose code is judged could add them; `inline-suppressions = false` in the project
    /// configuration refuses them even with this flag).
    #[arg(long)]
    pub allow_inline_suppressions: bool,
    /// Stop analysing the code after this many seconds; code not fully analysed is judged
    /// insecure (a failure, see --fail-closed for hooks).
    #[arg(long, value_name = "SECONDS", default_value = "1.5", value_parser = parse_seconds)]
    pub file_timeout: std::time::Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HookClient {
    /// Claude Code hooks (PreToolUse / PostToolUse).
    Claude,
    /// Cursor hooks (afterFileEdit / stop / preToolUse).
    Cursor,
}

#[derive(Debug, Args)]
pub struct HookArgs {
    /// The assistant whose hook protocol to speak.
    #[arg(value_enum)]
    pub client: HookClient,
    #[command(flatten)]
    pub selection: RuleSelection,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Block the edit when codeguard itself fails: an error, a crash, running out of memory
    /// or time (default: let it through with a message, exit 1). A configuration that fails
    /// to load always blocks.
    #[arg(long)]
    pub fail_closed: bool,
    /// Honour `codeguard-ignore` comments in the edited code (refused by default: the model
    /// whose edit is judged could add them; `inline-suppressions = false` in the project
    /// configuration refuses them even with this flag).
    #[arg(long)]
    pub allow_inline_suppressions: bool,
    /// Seconds the judgement may take before it counts as a failure.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
    /// Stop analysing the code after this many seconds; code not fully analysed is judged
    /// insecure (a failure, see --fail-closed for hooks).
    #[arg(long, value_name = "SECONDS", default_value = "1.5", value_parser = parse_seconds)]
    pub file_timeout: std::time::Duration,
}

#[derive(Debug, Args)]
pub struct InitHooksArgs {
    /// The assistant to configure.
    #[arg(value_enum)]
    pub client: HookClient,
    /// Print the settings instead of writing them.
    #[arg(long)]
    pub print: bool,
    /// The project folder (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
    /// The command that runs codeguard in the hook.
    #[arg(long, default_value = "codeguard")]
    pub command: String,
}

/// An assistant's instruction file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum InstructionsTarget {
    /// `.cursor/rules/codeguard.mdc`: a Cursor project rule attached to the project's source
    /// files (the whole file is codeguard's).
    Cursor,
    /// A marked section in `CLAUDE.md` (Claude Code).
    Claude,
    /// A marked section in `.github/copilot-instructions.md` (GitHub Copilot).
    Copilot,
    /// A marked section in `AGENTS.md` (Codex, Jules, Amp and other agents that read it).
    Agents,
}

/// `init-rules`: what to write, where, and in which mode.
#[derive(Debug, Args)]
#[command(
    after_help = "One line of guidance per enabled rule, grouped by topic (model loading, secrets and \
                  prompts, model output handling, MCP servers, classic injection and crypto), each naming \
                  its rule id. Rules are those the project's configuration enables (select, ignore, \
                  opt-in rules only when selected by id or name), for the languages found in the \
                  project (--lang overrides). Only the section between `<!-- codeguard:begin` and \
                  `<!-- codeguard:end -->` is rewritten; the rest of the file is kept.\n\n\
                  Examples:\n  codeguard init-rules cursor claude\n  codeguard init-rules agents --print\n  \
                  codeguard init-rules copilot --check   # in CI: exit 1 when the file is stale"
)]
pub struct InitRulesArgs {
    /// The assistants to write instructions for (one or more).
    #[arg(value_enum, required = true, num_args = 1..)]
    pub targets: Vec<InstructionsTarget>,
    #[command(flatten)]
    pub selection: RuleSelection,
    /// The project folder: languages are detected here, the configuration is found from here,
    /// and nothing is written outside it (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub project: PathBuf,
    /// Write guidance for these languages (`python`, `rust`, `json` for MCP client
    /// configurations) instead of the ones found in the project. Comma-separated or repeated.
    #[arg(long = "lang", value_delimiter = ',', value_name = "LANG")]
    pub langs: Vec<String>,
    /// Print the files as they would be written instead of writing them.
    #[arg(long, conflicts_with = "check")]
    pub print: bool,
    /// Write nothing; exit 1 when a file is missing or differs from what would be written
    /// (for CI), 0 when all are current.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Human-readable diagnostics with source context.
    Text,
    /// One JSON document with findings and a summary.
    Json,
    /// SARIF 2.1.0, as GitHub code scanning ingests it.
    Sarif,
    /// GitHub Actions workflow annotations (`::error file=...`).
    Github,
    /// GitLab Code Quality report (JSON).
    Gitlab,
    /// JUnit XML, one test case per finding.
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

/// Options that choose which rules run.
#[derive(Debug, Args, Clone, Default)]
pub struct RuleSelection {
    /// Only run these rules: ids (`CG-ML001`), names (`torch-load-unpickles`), packs (`ml`,
    /// `sec`, `llm`, `mcp`, `core`) or CWE ids (`CWE-502`). Comma-separated or repeated.
    /// Opt-in rules (audits, marked in `codeguard rules`) run only when named by id or name.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Vec<String>,
    /// Do not run these rules (ids, names, packs or CWE ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Also load rules from this folder or file (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    pub rule_paths: Vec<PathBuf>,
    /// Do not load the built-in rules (use with --rules).
    #[arg(long)]
    pub no_builtin_rules: bool,
    /// Use this configuration file instead of the nearest codeguard.toml, .codeguard.toml or
    /// pyproject.toml [tool.codeguard].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
    /// Keep opt-in rules (audits) whatever the selection: for listing rules, not scanning.
    #[arg(skip)]
    pub list_opt_in: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to scan: Python, Rust and MCP client configurations (`.mcp.json`,
    /// `.cursor/mcp.json`, `claude_desktop_config.json`, ...). Directories are walked honouring
    /// .gitignore; hidden entries are skipped except the AI tools' folders (`.cursor`, `.vscode`,
    /// `.claude`, ...).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub selection: RuleSelection,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also print the same results in this format on standard output (with -o): one scan
    /// gives SARIF for code scanning and annotations for the CI log.
    #[arg(long, value_enum, value_name = "FORMAT", requires = "output")]
    pub also_format: Option<OutputFormat>,
    /// Only report findings of this severity or higher.
    #[arg(long, value_name = "LEVEL", value_parser = ["info", "low", "medium", "high", "critical"])]
    pub severity: Option<String>,
    /// Exit with 0 even when there are findings.
    #[arg(long)]
    pub exit_zero: bool,
    /// Only findings at or above this severity make the exit code 1 (all are reported).
    #[arg(long, value_name = "LEVEL", value_parser = ["info", "low", "medium", "high", "critical"])]
    pub fail_on: Option<String>,
    /// Read the code to scan from standard input.
    #[arg(long)]
    pub stdin: bool,
    /// The file name of the code read with --stdin (its extension picks the language).
    #[arg(long, value_name = "NAME", requires = "stdin")]
    pub stdin_filename: Option<PathBuf>,
    /// Skip files larger than this many bytes (and refuse larger --stdin input).
    #[arg(long, value_name = "BYTES", default_value_t = 4 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Stop analysing a file after this many seconds (it is then reported as not fully
    /// scanned). Real files take milliseconds; hostile ones can take far longer.
    #[arg(long, value_name = "SECONDS", default_value = "1.5", value_parser = parse_seconds)]
    pub file_timeout: std::time::Duration,
    /// Exit as if every file was scanned when some were skipped (too large, unreadable, out of
    /// time, see --file-timeout); by default such a run exits 2. Binary files never count.
    #[arg(long)]
    pub allow_skipped: bool,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Apply safe fixes to the files (atomically; a fix that would break parsing is skipped).
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, also apply suggested fixes (they may change behaviour).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them (exit 1 if there are any).
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Parse every file whole. Large files are otherwise parsed only where rules may match
    /// (with the same findings, several times faster); for comparing the two.
    #[arg(long, hide = true)]
    pub parse_whole: bool,
    /// Do not read or write the result cache (in `$XDG_CACHE_HOME/codeguard`,
    /// `~/.cache/codeguard` or `CODEGUARD_CACHE_DIR`).
    #[arg(long)]
    pub no_cache: bool,
    /// Report only findings on lines added or changed since this git ref (e.g. `origin/main`).
    #[arg(long, value_name = "REF")]
    pub new_since: Option<String>,
    /// Report only findings that are not in this baseline (see `codeguard baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Ignore `codeguard-ignore` comments (so assistants cannot silence findings in CI).
    #[arg(long)]
    pub no_inline_suppressions: bool,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(flatten)]
    pub selection: RuleSelection,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule id or name, e.g. `CG-ML001` or `torch-load-unpickles`.
    pub rule: String,
    /// Also search rules in this folder or file (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    pub rule_paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Rule folders or files whose fixtures to check (`<rule>.py`, `<rule>.rs`, `<rule>.mcp.json`
    /// beside each rule file).
    #[arg(value_name = "PATH", default_value = "rules")]
    pub paths: Vec<PathBuf>,
}

/// A positive number of seconds (`1.5`).
fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if seconds.is_nan() || seconds <= 0.0 {
        return Err(format!("`{text}`: the timeout must be more than 0 seconds"));
    }
    std::time::Duration::try_from_secs_f64(seconds).map_err(|e| format!("`{text}`: {e}"))
}
