//! The rule file format as it is written on disk (stage one: deserialize only).
//!
//! Every field's doc comment is written for rule authors: schemars turns it into the
//! description editors show when they validate a rule file against `schemas/rule.schema.json`.

use std::collections::BTreeMap;

use codeguard_language::Lang;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A rule file. The semgrep envelope: a top-level `rules:` list, and optionally named source
/// sets that data-flow rules share.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "codeguard rule file")]
pub struct RawRuleFile {
    /// The rules in this file. Built-in rules hold exactly one rule per file.
    #[serde(default)]
    pub rules: Vec<RawRule>,
    /// Named sets of taint sources (`taint: {source-set: <id>}` uses one). Declaring a set with
    /// the id of an existing one (e.g. `llm-output`) adds its sources to that set, which is how
    /// a project teaches every rule of the set about its own LLM client.
    #[serde(default)]
    pub source_sets: Vec<RawSourceSet>,
}

/// A named set of taint sources, per language.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawSourceSet {
    /// The name rules refer to, e.g. `llm-output`, `mcp-tool-arguments`, `secrets`.
    #[schemars(with = "String")]
    pub id: serde_saphyr::Spanned<String>,
    /// What the values of this set are and why they are untrusted.
    #[serde(default)]
    pub description: Option<String>,
    /// Other sets whose sources this set also holds (`untrusted-input` includes
    /// `web-request`): rules can name the narrow set or the wide one.
    #[serde(default)]
    pub includes: Vec<String>,
    /// Whether flows from these sources are followed into functions of other project files
    /// (default true). Sets whose sinks are everywhere (logs) are followed within a file.
    #[serde(default)]
    pub across_files: Option<bool>,
    /// The sources of the set, one entry per language.
    pub matchers: Vec<RawSourceSetMatcher>,
}

/// The sources of a set in one language.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawSourceSetMatcher {
    pub language: Lang,
    /// Literals of which a file must contain one to hold any of these sources; derived from
    /// the sources when absent (needed when a source is a method on a receiver pattern).
    #[serde(default)]
    pub prefilter: Option<Vec<String>>,
    /// Like `prefilter`, for names the sources say as whole words in code (`request` of
    /// `request.args`, not of `requests` or of a docstring): they also tell where in a large
    /// file the sources are, so that only those parts of it are parsed. A file must contain
    /// one of `prefilter` and `prefilter-names` together.
    #[serde(default)]
    pub prefilter_names: Option<Vec<String>>,
    pub sources: Vec<RawTaintEndpoint>,
}

/// One rule: identity, metadata, documentation and one matcher per language.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRule {
    /// Stable id, e.g. `CG-ML001`. Letters, digits, `.`, `_` and `-`.
    #[schemars(with = "String")]
    pub id: serde_saphyr::Spanned<String>,
    /// Human name in kebab-case that names the flagged pattern, e.g. `torch-load-unpickles`.
    pub name: String,
    /// One-line message shown with every finding. `{label}` is replaced by the label of the
    /// detector that matched, when a `string` predicate set one.
    pub message: String,
    /// One imperative line telling an AI assistant what to write instead, e.g. "Load PyTorch
    /// checkpoints with `weights_only=True`, or use safetensors." `codeguard init-rules` and the
    /// MCP server's prompts give it to assistants before they write code, so what they are told
    /// and what this rule checks come from one place. Required for built-in rules; at most
    /// 100 characters, one line. A rule without it is presented by its fix title or message.
    #[serde(default)]
    pub guidance: Option<String>,
    /// How bad a finding is when the rule is right.
    pub severity: Severity,
    /// How sure the rule is that a finding is real (reported separately from severity).
    #[serde(default)]
    pub confidence: Confidence,
    /// CWE, OWASP LLM, CodeGuard rule and references.
    #[serde(default)]
    pub metadata: Metadata,
    /// Ids of rules whose findings at an overlapping range this rule replaces, so one
    /// site is reported once (a provider key assigned to `api_key` is one finding).
    #[serde(default)]
    pub supersedes: Vec<String>,
    /// What becomes of the rule's findings in test code (the project's `test-globs`):
    /// `downgrade` (default) lowers them one severity level; `off` drops them, for rules whose
    /// findings in tests are deliberate set-ups (a test server on all interfaces, a fixture
    /// password) rather than weaknesses.
    #[serde(default)]
    pub in_tests: InTests,
    /// An audit, not a default: the rule runs only when selected by its id or name
    /// (`--select request-without-timeout`, or `select` in the configuration), never through
    /// its pack, a CWE or `all`. For rules whose findings are correct but which most teams would
    /// not keep switched on.
    #[serde(default)]
    pub opt_in: bool,
    /// One finding per distinct message in a file: the first is reported, naming the lines
    /// of the others. With a `{label}` message (see `arg`'s `label`), one finding per thing
    /// named: a hub repository fetched unpinned in five places is one fix.
    #[serde(default)]
    pub once_per_file: bool,
    /// How the rule matches, one entry per language (or several per language with different
    /// severities or messages). A rule on model files (`artifact`) has none.
    #[serde(default)]
    pub matchers: Vec<RawMatcher>,
    /// The rule checks model files as they are stored instead of code: pickles, PyTorch
    /// checkpoints, NumPy arrays and safetensors files found in the walk (read as streams,
    /// whatever their size). The check names which findings of the model-file reader the rule
    /// reports. Such a rule has no `matchers`; its fixtures are model files beside it,
    /// `<name>.<case>.<ext>` (`.pkl`, `.pt`, `.npy`, ...), each of which must be flagged unless
    /// its case starts with `ok`.
    #[serde(default)]
    pub artifact: Option<ArtifactCheck>,
    /// The rule's documentation in Markdown, with ruff's sections: `## What it does`,
    /// `## Why is this bad?`, `## Example`, `## Use instead`, `## Fix safety` (when the rule
    /// has a suggested fix), `## References`. When absent, it is read from the Markdown file
    /// beside the rule file (`<name>.md`), which is how the built-in rules keep their docs.
    #[serde(default)]
    pub description: Option<String>,
}

/// Which findings of the model-file reader a rule reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactCheck {
    /// A pickle imports a global that runs code, commands, files or network when loaded
    /// (`os.system`, `builtins.exec`, `subprocess`, `runpy`, ...).
    DangerousImport,
    /// A pickle imports a global that plain weights, arrays and estimators do not need (a
    /// class of the saving script, a library function), or one whose name cannot be told.
    UnknownImport,
    /// A model file is malformed or truncated (a pickle that ends before `STOP`, a safetensors
    /// header that lies about its data), or could not be read to the end.
    Unreadable,
    /// A model file has no signature bundle beside it (OpenSSF model signing's `model.sig`
    /// for it or its folder, `<file>.sig`, `<file>.sigstore`, `<file>.sigstore.json`). The CLI
    /// and the guardrail report it only in projects that have adopted model signing.
    Unsigned,
}

/// What becomes of a rule's findings in test code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum InTests {
    /// Reported one severity level lower.
    #[default]
    Downgrade,
    /// Not reported.
    Off,
}

/// Severity of a finding. semgrep's `ERROR`/`WARNING`/`INFO` are accepted as aliases.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[serde(alias = "INFO")]
    Info,
    Low,
    #[serde(alias = "WARNING")]
    Medium,
    #[serde(alias = "ERROR")]
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown severity `{s}` (expected info, low, medium, high or critical)")
            })
    }
}

/// Confidence that a finding is a true positive.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    #[default]
    Medium,
    High,
}

impl Confidence {
    /// One level less sure (`Low` stays `Low`).
    pub fn lower(self) -> Self {
        match self {
            Confidence::High => Confidence::Medium,
            _ => Confidence::Low,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// Classification and references of a rule.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Metadata {
    /// CWE ids such as `CWE-502`.
    #[serde(default)]
    pub cwe: Vec<String>,
    /// OWASP Top 10 for LLM Applications (2025) ids such as `LLM03`.
    #[serde(default)]
    pub owasp_llm: Vec<String>,
    /// The Project CodeGuard rule(s) this rule enforces, e.g. `codeguard-0-supply-chain-security`.
    #[serde(default)]
    pub codeguard: Vec<String>,
    /// Links for the reader.
    #[serde(default)]
    pub references: Vec<String>,
    /// Ids of the same check in other tools (bandit `B301`, ruff `S301`): their suppression
    /// comments (`# nosec B301`, `# noqa: S301`, a bare `# nosec`) suppress this rule too.
    #[serde(default)]
    pub equivalents: Vec<String>,
    /// Any further keys, kept and passed through to JSON output.
    #[serde(default, flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// How a rule matches code in one language.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawMatcher {
    /// The language this matcher applies to. `text` (configuration and other text files,
    /// which have no grammar) takes no query: only `string` conditions on `finding`, which then
    /// read the whole text, and each credential they find is reported.
    pub language: Lang,
    /// A tree-sitter query for the language's grammar. The `@finding` capture is the node
    /// reported. All matchers of a language are combined into one query and run in one pass.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub query: Option<serde_saphyr::Spanned<String>>,
    /// A check written in Rust inside the engine (`crates/codeguard_engine/src/builtin/`),
    /// run on every node the query finds; it decides what to report.
    #[serde(default)]
    pub builtin: Option<String>,
    /// Conditions on the query's captures that must all hold.
    #[serde(default, rename = "where")]
    pub conditions: Vec<Predicate>,
    /// Literal strings of which at least one must occur in a file for this matcher to run, in
    /// addition to the tokens derived from `calls`, `method`, `keyword` and `string`
    /// conditions. Files that contain none of any enabled matcher's tokens are not parsed.
    #[serde(default)]
    pub prefilter: Option<Vec<String>>,
    /// Regexes (over raw bytes) of which at least one must match for this matcher to run, in
    /// addition to the other prefilters. A regex whose every match opens with a quote (for a
    /// string constant) counts only where code opens a string, not a quoted example in a
    /// docstring or a comment. Each regex runs over whole files: one with a literal for
    /// `regex` to search (`(?:a|b)\s*\(` rather than a leading class or a top-level
    /// alternation of such branches, which is better written as several regexes) costs a
    /// twentieth of one read byte by byte; a `(?i)` regex case-insensitive throughout is
    /// searched in the lowercased file. A regex whose every match starts with one of a few
    /// literals of four bytes or more is searched as those literals only, a looser filter
    /// (`\A(?:eval|exec)` lets every `eval` through; `\A\s*(?:eval|exec)` stays a regex).
    #[serde(default)]
    pub prefilter_regex: Option<Vec<String>>,
    /// Like `prefilter`, for names of functions or methods the matcher's matches call
    /// (`load_model`, `InferenceSession`): they also tell where in a large file a match can
    /// be (as whole words in code, not in comments or strings), so that only those parts of
    /// it are parsed.
    #[serde(default)]
    pub prefilter_names: Option<Vec<String>>,
    /// Overrides the rule's message for findings of this matcher.
    #[serde(default)]
    pub message: Option<String>,
    /// Overrides the rule's severity for findings of this matcher.
    #[serde(default)]
    pub severity: Option<Severity>,
    /// Overrides the rule's confidence for findings of this matcher.
    #[serde(default)]
    pub confidence: Option<Confidence>,
    /// An automatic fix for findings of this matcher.
    #[serde(default)]
    pub fix: Option<RawFix>,
    /// A data-flow matcher: findings where a value from a source reaches a sink without
    /// passing a sanitizer, inside a function or module (with one level of same-file
    /// function summaries). Use with `query: "(module) @finding"` (Python) or
    /// `"(source_file) @finding"` (Rust): the analysis runs once per file.
    #[serde(default)]
    pub taint: Option<RawTaint>,
}

/// Sources, sinks and sanitizers of a data-flow matcher.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawTaint {
    /// A named source set (see `source-sets`) whose sources this matcher uses, before its own.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub source_set: Option<serde_saphyr::Spanned<String>>,
    /// Expressions whose value is tainted.
    #[serde(default)]
    pub sources: Vec<RawTaintEndpoint>,
    /// Literals of which a file holding one of `sources` holds one, when the sources' own
    /// conditions give none (a `text` regex): a project scan then knows which files hold
    /// sources without parsing the others for it, and a large file's parts holding them are
    /// parsed.
    #[serde(default)]
    pub sources_prefilter: Option<Vec<String>>,
    /// Calls where a tainted argument is a finding.
    pub sinks: Vec<RawTaintSink>,
    /// Calls whose result is clean whatever their arguments.
    #[serde(default)]
    pub sanitizers: Vec<RawTaintEndpoint>,
    /// Calls whose result carries the taint of their arguments (besides the built-in ones:
    /// `str`, `repr`, `format`, `json.dumps`/`loads`, containers, `base64`, ...), e.g. a
    /// project's `render_prompt(x)` helper defined in another file.
    #[serde(default)]
    pub propagators: Vec<RawTaintEndpoint>,
}

/// A source or sanitizer: nodes of some kinds that satisfy the conditions.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawTaintEndpoint {
    /// Node kinds to consider (default: calls). `parameter` marks the parameters of functions
    /// whose decorator or attribute satisfies the conditions (model or MCP tools) as sources;
    /// `typed_parameter` marks each parameter whose own text (pattern and type) satisfies them
    /// (`Json(body): Json<Ask>`); `method_parameter` marks the parameters of the `methods`
    /// of classes one of whose base classes satisfies them (LangChain `BaseTool._run`);
    /// `callback_parameter` marks the first parameter of a function passed as an argument to
    /// a call that satisfies them (`server.tool("x", schema, async ({path}) => ...)`).
    #[serde(default)]
    pub kinds: Vec<String>,
    /// With the kind `method_parameter`: the methods whose parameters are sources.
    #[serde(default)]
    pub methods: Vec<String>,
    /// With `parameter` and `method_parameter`: parameters whose type annotation matches this
    /// regex are filled in by the framework (`ctx: Context`), not chosen by the model.
    #[serde(default)]
    pub injected_types: Option<String>,
    /// Conditions on the node (the node is `@finding`).
    #[serde(default, rename = "where")]
    pub conditions: Vec<Predicate>,
    /// Names the source in messages (`{source}`).
    #[serde(default)]
    pub label: Option<String>,
}

/// A sink: a call satisfying the conditions, and which of its arguments must not be tainted.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawTaintSink {
    /// Node kinds of the sink (default: calls). For a `dictionary`, the values of `keys` are
    /// the sink (`{"role": "system", "content": x}`); for a `subscript`/`index_expression`, the
    /// index (`globals()[name]`); for any other kind (e.g. `macro_invocation`), the node itself.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// With `kinds: [dictionary]`: the keys whose values are sinks.
    #[serde(default)]
    pub keys: Vec<String>,
    #[serde(default, rename = "where")]
    pub conditions: Vec<Predicate>,
    /// Positional arguments (zero-based) that are sinks.
    #[serde(default)]
    pub args: Vec<usize>,
    /// Keyword arguments that are sinks.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Names the sink in messages (`{sink}`).
    #[serde(default)]
    pub label: Option<String>,
    /// The argument is a URL: one whose scheme and host come from a constant prefix
    /// (`f"https://api.example.com/{path}"`) is not this sink, since the tainted part picks
    /// only a path or a query on a server the code chose.
    #[serde(default)]
    pub url: bool,
    /// The receiver of a method call is a sink too (`p.read_text()` with `p` tainted).
    #[serde(default)]
    pub receiver: bool,
}

/// A condition on a match, evaluated by the engine.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub enum Predicate {
    /// The call (`@call`, else `@finding`) resolves, through imports and aliases, to one of
    /// these qualified names. `*` matches within one path segment, `**` across segments.
    /// Python names use dots (`torch.load`), Rust names `::` (`tch::CModule::load`).
    Calls(Vec<String>),
    /// The call is a method call (or attribute call) whose final name is one of these.
    Method(Vec<String>),
    /// The receiver of a method call (`x` in `x.run(...)`) has source text matching this regex.
    Receiver(String),
    /// `true`: the receiver is a name bound to one value in this function or module
    /// (`client = Memcached(...)`, `with httpx.Client() as c`), so what it is can be told from
    /// that value rather than from its name.
    ReceiverBound(bool),
    /// `true`: the call's first argument (the path or bytes it loads) was passed earlier in the
    /// same function to a call that writes (a name with `save`, `dump` or `write`, or `open`
    /// in a write mode): a save-then-load round trip of the code's own data.
    WrittenHere(bool),
    /// The project is known to have this property, from its dependency declarations:
    /// `torch>=2.6` (PyTorch 2.6 or later is required, so `torch.load` defaults to
    /// `weights_only=True`).
    ProjectFact(String),
    /// A keyword argument of the call (Python), after folding `**{...}` dicts and names bound
    /// to constants in the same scope.
    Keyword(KeywordCondition),
    /// An argument of the call, by position and/or keyword name.
    Arg(ArgCondition),
    /// The source text of a capture matches a regular expression.
    Text(TextCondition),
    /// A string literal capture matches one of several detectors (regex + entropy floor).
    String(StringCondition),
    /// The match is inside a function with a decorator (Python) or outer attribute (Rust)
    /// whose source text matches: `{decorated: "^@\\w+\\.tool\\b"}` for MCP tool handlers.
    InsideFunction(InsideFunctionCondition),
    /// The lines of the match, or the name of the function around it, match this regex: what
    /// the code around a call is about (`password` near an MD5 call).
    Context(String),
    /// The code of the enclosing function before the match matches this regex: a check the
    /// function made first (`.resolve()` then `.parents` before `tar.extract(member)`).
    CheckedBefore(String),
    /// The code of the enclosing function after the match matches this regex: what the
    /// function does next (an unverified JWT decode read for its header, then a verifying one).
    CheckedAfter(String),
    /// The inner condition does not hold.
    Not(Box<Predicate>),
    /// At least one of the conditions holds.
    Any(Vec<Predicate>),
    /// All of the conditions hold.
    All(Vec<Predicate>),
}

/// See [`Predicate::InsideFunction`].
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct InsideFunctionCondition {
    /// Regex on the text of one of the function's decorators or attributes.
    pub decorated: String,
}

/// Tests a keyword argument.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct KeywordCondition {
    /// The keyword's name, e.g. `weights_only`.
    pub name: String,
    /// `true`: the keyword is certainly absent (a `**kwargs` that cannot be resolved makes
    /// this false). `false`: the keyword is present.
    #[serde(default)]
    pub missing: Option<bool>,
    /// The keyword is present and its constant value is one of these (strings compare by
    /// content, other literals by source text: `False`, `None`, `0`).
    #[serde(default)]
    pub equals: Option<Vec<String>>,
    /// The keyword is present and its value is not one of these constants (a non-constant
    /// value counts as "not equal").
    #[serde(default)]
    pub not_equals: Option<Vec<String>>,
    /// The keyword is present and its constant string value matches this regex.
    #[serde(default)]
    pub matches: Option<String>,
}

/// Tests an argument of a call.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ArgCondition {
    /// Zero-based position among positional arguments.
    #[serde(default)]
    pub index: Option<usize>,
    /// A capture of the query (without `@`) tested instead of an argument: the value of an
    /// assignment or of an object entry (`right: (_) @value`).
    #[serde(default)]
    pub capture: Option<String>,
    /// Keyword name that may carry the same argument (`subprocess.run(args=...)`).
    #[serde(default)]
    pub keyword: Option<String>,
    /// `false`: the argument is present. `true`: it is absent.
    #[serde(default)]
    pub missing: Option<bool>,
    /// `true`: the argument folds to a constant. `false`: it does not (a variable, a call,
    /// an f-string with placeholders...).
    #[serde(default)]
    pub constant: Option<bool>,
    /// `true`: the argument (or the variable it names) is a string built from non-constant
    /// parts: f-string, `+`, `%`, `.format(...)`, `format!`.
    #[serde(default)]
    pub dynamic_string: Option<bool>,
    /// With `dynamic-string: true`: only a string with a part that may carry data from
    /// outside the code counts. Parts the code itself defines do not: constants, UPPER_CASE
    /// names, names of tables, columns, schemas and other identifiers (`self.table_name`,
    /// `model._meta.db_table`), quoting calls (`quote_name(x)`), placeholder lists
    /// (`", ".join("?" * n)`) and numbers (`len(x)`, `int(x)`).
    #[serde(default)]
    pub trust_code_defined: Option<bool>,
    /// The argument's constant string value (or its source text when not constant) matches
    /// this regex.
    #[serde(default)]
    pub matches: Option<String>,
    /// `true`: the argument's constant value names the finding (`{label}` in the message).
    #[serde(default)]
    pub label: Option<bool>,
}

/// Tests the text of a capture.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TextCondition {
    /// The capture name without `@`.
    pub capture: String,
    /// A regular expression (Rust `regex` syntax) searched in the capture's text.
    pub matches: String,
}

/// Tests a string literal against credential detectors.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StringCondition {
    /// The capture holding the string literal or comment.
    pub capture: String,
    /// Detectors; the first that matches wins and sets `{label}`.
    pub detectors: Vec<Detector>,
    /// Drop matches that look like placeholders (`xxxx`, `your`, `example`, `<...>`, ...).
    #[serde(default = "default_true")]
    pub reject_placeholders: bool,
}

fn default_true() -> bool {
    true
}

/// One credential format.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Detector {
    /// Name shown in the message, e.g. `Anthropic API key`.
    pub label: String,
    /// Regex for the token. Named groups refine the placeholder checks: they apply to the
    /// `secret` group when there is one, and a `secret` equal to the `user` group or a `host`
    /// on the local machine (`localhost`, `127.0.0.1`, `example.com`) is a development set-up.
    pub pattern: String,
    /// Minimum Shannon entropy (bits per character) of the matched token.
    #[serde(default)]
    pub min_entropy: Option<f64>,
}

/// An automatic fix.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawFix {
    /// Short imperative description, e.g. "Pass `weights_only=True`".
    pub title: String,
    /// `safe` fixes are applied by `--fix`; `suggested` ones only with `--unsafe-fixes`.
    pub applicability: Applicability,
    /// Set a keyword argument to a value, adding it when absent.
    #[serde(default)]
    pub set_keyword: Option<SetKeyword>,
    /// Remove a keyword argument.
    #[serde(default)]
    pub remove_keyword: Option<String>,
    /// Replace a capture by a template; `$name` inserts the text of capture `name`.
    #[serde(default)]
    pub replace: Option<ReplaceCapture>,
    /// Rename the called function or method, keeping its receiver or module
    /// (`yaml.load(x)` -> `yaml.safe_load(x)`).
    #[serde(default)]
    pub rename_call: Option<String>,
    /// Remove a method call from a builder chain, keeping its receiver
    /// (`b.danger_accept_invalid_certs(true).build()` -> `b.build()`).
    #[serde(default)]
    pub drop_method_call: Option<bool>,
}

/// Whether a fix preserves behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Preserves the behaviour of correct programs or only removes a dangerous mode.
    Safe,
    /// May change behaviour; offered, applied only on request.
    Suggested,
}

/// `set-keyword` fix.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetKeyword {
    pub name: String,
    pub value: String,
}

/// `replace` fix.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplaceCapture {
    pub capture: String,
    pub with: String,
}
