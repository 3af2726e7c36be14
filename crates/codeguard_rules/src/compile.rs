//! Stage two: validated, compiled rules ready for the engine.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use codeguard_language::Lang;
use regex::{Regex, RegexSet};

use crate::error::RuleError;
use crate::schema::{
    Applicability, ArtifactCheck, Confidence, InTests, Metadata, Predicate, RawFix, RawMatcher,
    RawRule, Severity,
};

/// A rule ready to run.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub name: String,
    /// The pack: the folder the rule file sits in (`ml`, `sec`, `core`, ...).
    pub pack: String,
    pub message: String,
    /// What an assistant should write instead (see the schema's `guidance`); validated.
    pub guidance: Option<String>,
    pub severity: Severity,
    pub confidence: Confidence,
    pub metadata: Metadata,
    pub supersedes: Vec<String>,
    /// What becomes of findings in test code.
    pub in_tests: InTests,
    /// Runs only when selected by id or name (see the schema's `opt-in`).
    pub opt_in: bool,
    /// One finding per distinct message in a file (see the schema's `once-per-file`).
    pub once_per_file: bool,
    pub matchers: Vec<Matcher>,
    /// For rules on model files: the reader's findings this rule reports (see the schema).
    pub artifact: Option<ArtifactCheck>,
    pub description: String,
    /// The file the rule came from (for built-in rules, relative to `rules/`).
    pub source: PathBuf,
    /// Whether the rule ships inside the binary.
    pub builtin: bool,
}

impl Rule {
    /// Compiles every regex of the rule now (rules are otherwise compiled lazily).
    pub fn check_regexes(&self) -> Result<(), String> {
        fn walk(c: &Condition) -> Result<(), String> {
            match c {
                Condition::Receiver(r)
                | Condition::Text { regex: r, .. }
                | Condition::InsideFunction(r)
                | Condition::Context(r)
                | Condition::CheckedBefore(r)
                | Condition::CheckedAfter(r) => r.check(),
                Condition::Keyword(k) => k.matches.as_ref().map_or(Ok(()), LazyRegex::check),
                Condition::Arg(a) => a.matches.as_ref().map_or(Ok(()), LazyRegex::check),
                Condition::String(s) => s.detectors.iter().try_for_each(|d| d.regex.check()),
                Condition::Not(inner) => walk(inner),
                Condition::Any(all) | Condition::All(all) => all.iter().try_for_each(walk),
                Condition::Calls { .. }
                | Condition::Method(_)
                | Condition::ReceiverBound(_)
                | Condition::WrittenHere(_)
                | Condition::ProjectFact(_) => Ok(()),
            }
        }
        for m in &self.matchers {
            m.conditions.iter().try_for_each(walk)?;
            if let Some(t) = &m.taint {
                let endpoints = t.sources.iter().chain(&t.sanitizers).chain(&t.propagators);
                endpoints
                    .flat_map(|e| &e.conditions)
                    .chain(t.sinks.iter().flat_map(|s| &s.conditions))
                    .try_for_each(walk)?;
            }
        }
        Ok(())
    }

    /// Languages the rule has matchers for, deduplicated, in order.
    pub fn languages(&self) -> Vec<Lang> {
        let mut langs: Vec<Lang> = self.matchers.iter().map(|m| m.lang).collect();
        langs.sort();
        langs.dedup();
        langs
    }

    /// Whether any matcher offers a fix.
    pub fn has_fix(&self) -> bool {
        self.matchers.iter().any(|m| m.fix.is_some())
    }

    /// Does `selector` (an id, a name, a pack or a CWE id such as `CWE-327`,
    /// case-insensitive) name this rule?
    /// Whether `selector` is this rule's id or name.
    pub fn is_named_by(&self, selector: &str) -> bool {
        self.id.eq_ignore_ascii_case(selector) || self.name.eq_ignore_ascii_case(selector)
    }

    pub fn is_selected_by(&self, selector: &str) -> bool {
        let cwe = |c: &String| {
            let id = c.split(':').next().unwrap_or(c).trim();
            id.eq_ignore_ascii_case(selector)
        };
        self.id.eq_ignore_ascii_case(selector)
            || self.name.eq_ignore_ascii_case(selector)
            || self.pack.eq_ignore_ascii_case(selector)
            || selector.eq_ignore_ascii_case("all")
            || self.metadata.cwe.iter().any(cwe)
    }
}

/// How a rule matches in one language.
#[derive(Debug)]
pub struct Matcher {
    pub lang: Lang,
    pub kind: MatcherKind,
    /// A check written in Rust that runs on every node the query finds.
    pub builtin: Option<String>,
    pub conditions: Vec<Condition>,
    /// At least one of these must occur in the file for the matcher to run; `None`: always run.
    pub prefilter: Option<Prefilter>,
    pub message: Option<String>,
    pub severity: Option<Severity>,
    pub confidence: Option<Confidence>,
    pub fix: Option<Fix>,
    /// A data-flow matcher's sources, sinks and sanitizers.
    pub taint: Option<Taint>,
}

/// Compiled data-flow specification.
#[derive(Debug)]
pub struct Taint {
    /// Identifies the sources: rules with equal keys are analysed together.
    pub sources_key: String,
    /// The named source set whose sources come first (merged in by [`link_source_sets`]).
    pub source_set: Option<SourceSetRef>,
    /// The literal group a file needs for the matcher's own sources (`None`: cannot tell).
    pub own_sources_prefilter: Option<Vec<PrefilterPattern>>,
    /// Which of the matcher's prefilter groups stands for its sources, and which for its
    /// sinks (`None`: any file may hold them): a file may then hold one side of a flow whose
    /// other side is in another file.
    pub source_group: Option<usize>,
    pub sink_group: Option<usize>,
    /// Flows are followed into functions of other project files (the source set's choice).
    pub across_files: bool,
    /// Shared with the source set they come from.
    pub sources: Vec<std::sync::Arc<TaintEndpoint>>,
    pub sinks: Vec<TaintSink>,
    pub sanitizers: Vec<std::sync::Arc<TaintEndpoint>>,
    /// Calls whose result carries their arguments' taint (part of `sources_key`).
    pub propagators: Vec<std::sync::Arc<TaintEndpoint>>,
}

/// Where a matcher names a source set (for errors).
#[derive(Debug, Clone)]
pub struct SourceSetRef {
    pub id: String,
    pub line: usize,
    pub column: usize,
}

/// A named set of taint sources shared by data-flow rules.
#[derive(Debug)]
pub struct SourceSet {
    pub id: String,
    pub description: Option<String>,
    pub languages: Vec<SourceSetLanguage>,
    /// Sets whose sources this one also holds, with where each was named (file, line, column).
    pub includes: Vec<(String, std::path::PathBuf, usize, usize)>,
    /// Flows from these sources are followed into other project files (`across-files`).
    pub across_files: bool,
}

#[derive(Debug)]
pub struct SourceSetLanguage {
    pub lang: Lang,
    pub sources: Vec<std::sync::Arc<TaintEndpoint>>,
    /// A file holds one of the set's sources only if it contains one of these (`None`: any file).
    pub prefilter: Option<Vec<PrefilterPattern>>,
}

#[derive(Debug)]
pub struct TaintEndpoint {
    pub kinds: Vec<String>,
    pub conditions: Vec<Condition>,
    pub label: Option<String>,
    /// For `method_parameter` sources: the methods whose parameters are sources.
    pub methods: Vec<String>,
    /// Parameter types the framework fills in (not sources).
    pub injected_types: Option<LazyRegex>,
}

#[derive(Debug)]
pub struct TaintSink {
    /// Node kinds other than calls (empty: calls).
    pub kinds: Vec<String>,
    pub keys: Vec<String>,
    pub conditions: Vec<Condition>,
    pub args: Vec<usize>,
    pub keywords: Vec<String>,
    pub label: Option<String>,
    /// A URL argument: a constant scheme and host make it safe.
    pub url: bool,
    /// The receiver of a method call is a sink too.
    pub receiver: bool,
}

/// Where a matcher's candidate nodes come from.
#[derive(Debug)]
pub enum MatcherKind {
    /// A tree-sitter query; `line` is where it starts in the rule file.
    Query {
        text: String,
        line: usize,
        column: usize,
    },
    /// A `language: text` matcher: its `string` conditions read the file's text, and each
    /// credential they find is a finding.
    Text,
}

/// A token that must occur in the raw bytes of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrefilterPattern {
    Literal(String),
    /// A name the code must say to match (of a called function or method): also a literal,
    /// but one that locates a match only as a whole word in code (see
    /// [`crate::plan::LangPlan::hit_offsets`]).
    Name(String),
    Regex(String),
}

impl PrefilterPattern {
    /// The pattern as a regex source.
    pub fn as_regex(&self) -> String {
        match self {
            PrefilterPattern::Literal(lit) | PrefilterPattern::Name(lit) => regex::escape(lit),
            PrefilterPattern::Regex(re) => re.clone(),
        }
    }
}

thread_local! {
    /// Set while compiling the built-in pack, whose regexes the pack tests validate.
    static TRUSTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A regex engine [`Lazy`] can hold.
pub trait RegexEngine: Clone + Send + Sync + 'static {
    fn compile(pattern: &str) -> Result<Self, String>;
    /// Checks the syntax at load, as cheaply as the engine allows.
    fn validate(pattern: &str) -> Result<(), String> {
        Self::compile(pattern).map(drop)
    }
    fn is_match(&self, text: &str) -> bool;
    /// Patterns compiled so far in this process (several rules share patterns).
    fn compiled() -> &'static std::sync::Mutex<std::collections::HashMap<String, Self>>;
}

impl RegexEngine for regex_lite::Regex {
    fn compile(pattern: &str) -> Result<Self, String> {
        regex_lite::Regex::new(pattern).map_err(|e| format!("invalid regex `{pattern}`: {e}"))
    }
    fn is_match(&self, text: &str) -> bool {
        regex_lite::Regex::is_match(self, text)
    }
    fn compiled() -> &'static std::sync::Mutex<std::collections::HashMap<String, Self>> {
        static COMPILED: std::sync::LazyLock<
            std::sync::Mutex<std::collections::HashMap<String, regex_lite::Regex>>,
        > = std::sync::LazyLock::new(Default::default);
        &COMPILED
    }
}

impl RegexEngine for Regex {
    fn compile(pattern: &str) -> Result<Self, String> {
        Regex::new(pattern).map_err(|e| format!("invalid regex `{pattern}`: {e}"))
    }
    /// Parsing only: compiling a credential detector takes milliseconds.
    fn validate(pattern: &str) -> Result<(), String> {
        regex_syntax::parse(pattern)
            .map(drop)
            .map_err(|e| format!("invalid regex `{pattern}`: {e}"))
    }
    fn is_match(&self, text: &str) -> bool {
        Regex::is_match(self, text)
    }
    fn compiled() -> &'static std::sync::Mutex<std::collections::HashMap<String, Self>> {
        static COMPILED: std::sync::LazyLock<
            std::sync::Mutex<std::collections::HashMap<String, Regex>>,
        > = std::sync::LazyLock::new(Default::default);
        &COMPILED
    }
}

/// The regex of a `where` condition. Most texts it sees are short (a receiver, an argument, a
/// line), and those run on `regex-lite`, which compiles a pattern twenty times faster than
/// `regex` (a snippet's dozen condition regexes took 3.7 ms with `regex`). Long texts (a
/// function's code, a hostile 300 KB expression) run on `regex`: `regex-lite`'s PikeVM took
/// minutes over them. So do short texts once a pattern has run `FULL_AFTER` times (a large
/// file or a long-lived server), if `regex` answers as `regex-lite` does for it (see
/// [`same_on_both_engines`]): `regex` skips most texts by their literals, and the PikeVM took
/// a tenth of a language-server edit. The pattern must be valid for both: `regex` syntax, and
/// its `\w`, `\d`, `\s` and `(?i)` are ASCII on short texts.
#[derive(Debug)]
pub struct LazyRegex {
    lite: Lazy<regex_lite::Regex>,
    full: Lazy<Regex>,
    /// Matches run so far, counted up to `FULL_AFTER`.
    uses: std::sync::atomic::AtomicU32,
    same_on_both: OnceLock<bool>,
    /// Literals one of which every match holds: a text without them is answered before the
    /// pattern is compiled or run (most texts a condition reads: names, call texts). From
    /// the build-time table for the pack's patterns, else worked out on first use.
    required: OnceLock<Option<RequiredLiterals>>,
}

#[derive(Debug)]
enum RequiredLiterals {
    Builtin(&'static [&'static [u8]]),
    Computed(Vec<Vec<u8>>),
}

impl RequiredLiterals {
    fn held_by(&self, text: &[u8]) -> bool {
        match self {
            RequiredLiterals::Builtin(literals) => holds_any(text, literals.iter().copied()),
            RequiredLiterals::Computed(literals) => {
                holds_any(text, literals.iter().map(Vec::as_slice))
            }
        }
    }
}

/// Whether `text` holds one of the (lowercase) `literals`, compared without ASCII case.
fn holds_any<'a>(text: &[u8], literals: impl IntoIterator<Item = &'a [u8]>) -> bool {
    literals.into_iter().any(|literal| {
        let Some((&first, rest)) = literal.split_first() else {
            return true;
        };
        memchr::memchr2_iter(first, first.to_ascii_uppercase(), text).any(|at| {
            text.get(at + 1..at + 1 + rest.len())
                .is_some_and(|after| after.eq_ignore_ascii_case(rest))
        })
    })
}

/// Texts up to this length are matched by `regex-lite`.
const LITE_TEXT_MAX: usize = 2048;

/// Matches on `regex-lite` before `regex` is compiled for a pattern (a snippet's patterns
/// stay below it).
const FULL_AFTER: u32 = 256;

impl LazyRegex {
    pub fn new(pattern: &str) -> Result<Self, String> {
        let builtin = crate::load::table_entry(crate::load::BUILTIN_REQUIRED, pattern)
            .map(|literals| literals.map(RequiredLiterals::Builtin));
        Ok(Self {
            lite: Lazy::new(pattern)?,
            full: Lazy::new(pattern)?,
            uses: std::sync::atomic::AtomicU32::new(0),
            same_on_both: OnceLock::new(),
            required: builtin.map_or_else(OnceLock::new, OnceLock::from),
        })
    }

    /// Whether `text` may match: it holds one of the literals every match holds (or none
    /// are known). The literals are `regex`'s reading of the pattern; `regex-lite`'s ASCII
    /// classes and case folding match no more than it (a contrived class such as
    /// `[^\w\x00-\x{E8}]` aside, where both engines now agree with `regex`).
    fn may_match(&self, text: &str) -> bool {
        self.required
            .get_or_init(|| {
                crate::literal_prefixes::required_literals(self.as_str())
                    .map(RequiredLiterals::Computed)
            })
            .as_ref()
            .is_none_or(|required| required.held_by(text.as_bytes()))
    }

    /// Compiles now for both engines, reporting an error instead of matching nothing.
    pub fn check(&self) -> Result<(), String> {
        self.lite.check()?;
        self.full.check()
    }

    pub fn is_match(&self, text: &str) -> bool {
        if !self.may_match(text) {
            return false;
        }
        if text.len() <= LITE_TEXT_MAX && !self.warm() {
            self.lite.is_match(text)
        } else {
            self.full.is_match(text)
        }
    }

    /// Whether the pattern has run often enough to compile it for `regex`, and answers the
    /// same there.
    fn warm(&self) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        // A lost update between threads only delays the switch.
        let uses = self.uses.load(Relaxed);
        if uses < FULL_AFTER {
            self.uses.store(uses + 1, Relaxed);
            return false;
        }
        *self
            .same_on_both
            .get_or_init(|| same_on_both_engines(self.lite.as_str()) && self.full.check().is_ok())
    }

    pub fn as_str(&self) -> &str {
        self.lite.as_str()
    }
}

/// Whether `regex` and `regex-lite` accept the same texts for `pattern`: they differ only in
/// what is Unicode-aware in `regex` and ASCII in `regex-lite` (Perl classes `\w \d \s`,
/// Unicode classes, word boundaries, case folding without `-u`).
fn same_on_both_engines(pattern: &str) -> bool {
    use regex_syntax::ast::{self, AssertionKind, Ast, ClassSetItem, Flag, Flags};
    struct Ascii;
    fn flags_ascii(flags: &Flags) -> bool {
        flags.flag_state(Flag::Unicode) != Some(true)
            && (flags.flag_state(Flag::CaseInsensitive) != Some(true)
                || flags.flag_state(Flag::Unicode) == Some(false))
    }
    impl ast::Visitor for Ascii {
        type Output = ();
        type Err = ();
        fn finish(self) -> Result<(), ()> {
            Ok(())
        }
        fn visit_pre(&mut self, node: &Ast) -> Result<(), ()> {
            let ascii = match node {
                Ast::ClassPerl(_) | Ast::ClassUnicode(_) => false,
                Ast::Assertion(a) => !matches!(
                    a.kind,
                    AssertionKind::WordBoundary
                        | AssertionKind::NotWordBoundary
                        | AssertionKind::WordBoundaryStart
                        | AssertionKind::WordBoundaryEnd
                        | AssertionKind::WordBoundaryStartAngle
                        | AssertionKind::WordBoundaryEndAngle
                        | AssertionKind::WordBoundaryStartHalf
                        | AssertionKind::WordBoundaryEndHalf
                ),
                Ast::Flags(set) => flags_ascii(&set.flags),
                Ast::Group(group) => group.flags().is_none_or(flags_ascii),
                _ => true,
            };
            if ascii { Ok(()) } else { Err(()) }
        }
        fn visit_class_set_item_pre(&mut self, item: &ClassSetItem) -> Result<(), ()> {
            match item {
                ClassSetItem::Perl(_) | ClassSetItem::Unicode(_) => Err(()),
                _ => Ok(()),
            }
        }
    }
    ast::parse::Parser::new()
        .parse(pattern)
        .is_ok_and(|parsed| ast::visit(&parsed, Ascii).is_ok())
}

/// The regex of a credential detector: run over every string literal a set of detectors
/// matched, so it keeps the full `regex` engine.
pub type DetectorRegex = Lazy<Regex>;

/// A regex compiled on first use. Loading a rule only checks the syntax, so start-up stays
/// fast (the credential detectors alone took milliseconds to compile).
#[derive(Debug)]
pub struct Lazy<R> {
    pattern: String,
    cell: OnceLock<R>,
}

impl<R: RegexEngine> Lazy<R> {
    pub fn new(pattern: &str) -> Result<Self, String> {
        // The built-in pack is checked by its tests (`Rule::check_regexes`); parsing its
        // sixty-odd patterns again at every start-up would cost about a millisecond.
        if !TRUSTED.with(std::cell::Cell::get) {
            R::validate(pattern)?;
        }
        Ok(Self {
            pattern: pattern.to_string(),
            cell: OnceLock::new(),
        })
    }

    /// Compiles now, reporting an error instead of matching nothing.
    pub fn check(&self) -> Result<(), String> {
        R::compile(&self.pattern).map(drop)
    }

    pub fn get(&self) -> &R {
        self.cell.get_or_init(|| {
            // A pattern that parses but exceeds the compiled-size limit matches nothing.
            let mut compiled = R::compiled()
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            compiled
                .entry(self.pattern.clone())
                .or_insert_with(|| {
                    R::compile(&self.pattern).unwrap_or_else(|_| {
                        R::compile(r"[^\s\S]").expect("a regex that matches nothing")
                    })
                })
                .clone()
        })
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.get().is_match(text)
    }

    pub fn as_str(&self) -> &str {
        &self.pattern
    }
}

/// A compiled `where` condition.
#[derive(Debug)]
pub enum Condition {
    Calls {
        names: Vec<String>,
        matcher: NameMatcher,
    },
    Method(Vec<String>),
    Receiver(LazyRegex),
    Keyword(KeywordTest),
    Arg(ArgTest),
    Text {
        capture: String,
        regex: LazyRegex,
    },
    String(StringTest),
    /// Inside a function whose decorator or attribute text matches.
    InsideFunction(LazyRegex),
    /// The receiver is (not) a name bound to one value.
    ReceiverBound(bool),
    /// The loaded argument was (not) written earlier in the same function.
    WrittenHere(bool),
    /// The project has this fact (see the scan options).
    ProjectFact(String),
    /// The lines of the match or the enclosing function's name match.
    Context(LazyRegex),
    /// The enclosing function's code before the match matches.
    CheckedBefore(LazyRegex),
    /// The enclosing function's code after the match matches.
    CheckedAfter(LazyRegex),
    Not(Box<Condition>),
    Any(Vec<Condition>),
    All(Vec<Condition>),
}

#[derive(Debug)]
pub struct KeywordTest {
    pub name: String,
    pub missing: Option<bool>,
    pub equals: Option<Vec<String>>,
    pub not_equals: Option<Vec<String>>,
    pub matches: Option<LazyRegex>,
}

#[derive(Debug)]
pub struct ArgTest {
    pub index: Option<usize>,
    pub capture: Option<String>,
    pub keyword: Option<String>,
    pub missing: Option<bool>,
    pub constant: Option<bool>,
    pub dynamic_string: Option<bool>,
    pub trust_code_defined: bool,
    pub matches: Option<LazyRegex>,
    /// The constant value names the finding (`{label}`).
    pub label: bool,
}

#[derive(Debug)]
pub struct StringTest {
    pub capture: String,
    pub set: LazyRegexSet,
    pub detectors: Vec<CompiledDetector>,
    pub reject_placeholders: bool,
}

#[derive(Debug)]
pub struct CompiledDetector {
    pub label: String,
    pub regex: DetectorRegex,
    pub min_entropy: Option<f64>,
}

/// A regex set compiled on first use.
#[derive(Debug)]
pub struct LazyRegexSet {
    patterns: Vec<String>,
    cell: OnceLock<RegexSet>,
}

impl LazyRegexSet {
    pub fn get(&self) -> &RegexSet {
        self.cell
            .get_or_init(|| RegexSet::new(&self.patterns).unwrap_or_else(|_| RegexSet::empty()))
    }
}

/// A compiled fix.
#[derive(Debug, Clone)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub action: FixAction,
}

#[derive(Debug, Clone)]
pub enum FixAction {
    SetKeyword { name: String, value: String },
    RemoveKeyword(String),
    Replace { capture: String, with: String },
    RenameCall(String),
    DropMethodCall,
}

/// Sections every rule's description must contain.
pub const REQUIRED_SECTIONS: [&str; 4] = [
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## References",
];

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// The longest `guidance` line, in characters: assistants get one line per rule, and the
/// generated instructions must fit their context budget.
pub const MAX_GUIDANCE_CHARS: usize = 100;

/// A rule's `guidance`: one non-empty line of at most [`MAX_GUIDANCE_CHARS`] characters, with
/// nothing that could end the marked section of an instructions file (`-->`).
fn check_guidance(guidance: &str) -> Result<(), String> {
    let text = guidance.trim();
    if text.is_empty() {
        return Err("is empty".into());
    }
    if text.chars().any(char::is_control) {
        return Err("must be one line without control characters".into());
    }
    let chars = text.chars().count();
    if chars > MAX_GUIDANCE_CHARS {
        return Err(format!(
            "is {chars} characters long; the limit is {MAX_GUIDANCE_CHARS}"
        ));
    }
    if text.contains("<!--") || text.contains("-->") {
        return Err("must not contain HTML comment markers (`<!--`, `-->`)".into());
    }
    Ok(())
}

/// Validates and compiles one deserialized rule.
/// `docs` is the Markdown file beside the rule file, used when the rule has no `description`.
pub fn compile_rule(
    raw: RawRule,
    path: &Path,
    pack: &str,
    builtin: bool,
    docs: Option<&str>,
) -> Result<Rule, RuleError> {
    TRUSTED.with(|t| t.set(builtin));
    let result = compile_rule_inner(raw, path, pack, builtin, docs);
    TRUSTED.with(|t| t.set(false));
    result
}

fn compile_rule_inner(
    raw: RawRule,
    path: &Path,
    pack: &str,
    builtin: bool,
    docs: Option<&str>,
) -> Result<Rule, RuleError> {
    let id_line = raw.id.defined.line() as usize;
    let id_col = raw.id.defined.column() as usize;
    let err = |msg: String| RuleError::new(path, id_line, id_col, msg);
    let id = raw.id.value;
    if !valid_id(&id) {
        return Err(err(format!(
            "rule id `{id}` may only contain letters, digits, `.`, `_` and `-`"
        )));
    }
    if !valid_name(&raw.name) {
        return Err(err(format!(
            "rule `{id}`: name `{}` must be kebab-case",
            raw.name
        )));
    }
    // (A rule with neither matchers nor `artifact` is refused when its file is read: a load
    // scoped to some languages leaves rules without matchers.)
    if !raw.matchers.is_empty() && raw.artifact.is_some() {
        return Err(err(format!(
            "rule `{id}` checks model files (`artifact`), so it takes no `matchers`"
        )));
    }
    match &raw.guidance {
        Some(guidance) => {
            check_guidance(guidance).map_err(|e| err(format!("rule `{id}`: `guidance` {e}")))?
        }
        None if builtin => {
            return Err(err(format!(
                "rule `{id}` has no `guidance`: built-in rules say in one line what to write instead"
            )));
        }
        None => {}
    }
    let Some(description) = raw.description.or_else(|| docs.map(str::to_string)) else {
        return Err(err(format!(
            "rule `{id}` has no documentation: add `description:` or a `{}` file beside the rule",
            path.with_extension("md")
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        )));
    };
    // The built-in pack's docs are checked where its tests load `rules/` as a user folder
    // (`codeguard test rules`): searching a hundred documents at every start-up cost more
    // than compiling a snippet's matchers.
    for section in REQUIRED_SECTIONS.iter().filter(|_| !builtin) {
        if !description.contains(section) {
            return Err(err(format!(
                "rule `{id}`: description lacks the section `{section}`"
            )));
        }
    }
    let mut matchers = Vec::with_capacity(raw.matchers.len());
    for raw_matcher in raw.matchers {
        matchers.push(compile_matcher(raw_matcher, &id, path, id_line, id_col)?);
    }
    if matchers.iter().any(|m| {
        m.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Suggested)
    }) && !description.contains("## Fix safety")
    {
        return Err(err(format!(
            "rule `{id}` offers a suggested fix, so its description needs `## Fix safety`"
        )));
    }
    Ok(Rule {
        id,
        name: raw.name,
        pack: pack.to_string(),
        message: raw.message,
        guidance: raw.guidance.map(|g| g.trim().to_string()),
        severity: raw.severity,
        confidence: raw.confidence,
        metadata: raw.metadata,
        supersedes: raw.supersedes,
        in_tests: raw.in_tests,
        opt_in: raw.opt_in,
        once_per_file: raw.once_per_file,
        matchers,
        artifact: raw.artifact,
        description,
        source: path.to_path_buf(),
        builtin,
    })
}

fn compile_matcher(
    raw: RawMatcher,
    id: &str,
    path: &Path,
    line: usize,
    column: usize,
) -> Result<Matcher, RuleError> {
    let err = |msg: String| RuleError::new(path, line, column, format!("rule `{id}`: {msg}"));
    if raw.language == Lang::Text {
        check_text_matcher(&raw).map_err(&err)?;
    }
    let kind = match raw.query {
        None if raw.language == Lang::Text => MatcherKind::Text,
        Some(query) => {
            if !query.value.contains("@finding") {
                return Err(RuleError::new(
                    path,
                    query.defined.line() as usize,
                    query.defined.column() as usize,
                    format!("rule `{id}`: the query has no `@finding` capture"),
                ));
            }
            MatcherKind::Query {
                text: query.value,
                line: query.defined.line() as usize,
                column: query.defined.column() as usize,
            }
        }
        None => {
            return Err(err(
                "a matcher needs a `query` (for a builtin, the node kinds it inspects)".into(),
            ));
        }
    };
    let mut conditions = Vec::with_capacity(raw.conditions.len());
    for predicate in &raw.conditions {
        let condition = compile_condition(predicate).map_err(&err)?;
        if let MatcherKind::Query { text, .. } = &kind {
            check_captures(&condition, text).map_err(&err)?;
        }
        conditions.push(condition);
    }
    // Explicit prefilters add groups to those derived from the conditions: a file must
    // contain one of the `prefilter` literals and match one of the `prefilter-regex`es.
    let mut groups = all_prefilter(&raw.conditions).unwrap_or_default();
    let explicit = raw.prefilter.as_ref().is_some_and(|l| !l.is_empty())
        || raw.prefilter_names.as_ref().is_some_and(|l| !l.is_empty());
    if explicit {
        // The author's literals narrow enough; regex groups derived from detectors would only
        // cost start-up time (their literal prefixes are extracted when the plan is built).
        groups.retain(|g| g.iter().all(|p| !matches!(p, PrefilterPattern::Regex(_))));
    }
    if let Some(literals) = raw.prefilter.filter(|l| !l.is_empty()) {
        groups.push(
            literals
                .into_iter()
                .map(PrefilterPattern::Literal)
                .collect(),
        );
    }
    if let Some(names) = raw.prefilter_names.filter(|l| !l.is_empty()) {
        groups.push(names.into_iter().map(PrefilterPattern::Name).collect());
    }
    if let Some(regexes) = raw.prefilter_regex.filter(|r| !r.is_empty()) {
        for re in &regexes {
            if !TRUSTED.with(std::cell::Cell::get) {
                regex::bytes::Regex::new(re)
                    .map_err(|e| err(format!("invalid prefilter regex `{re}`: {e}")))?;
            }
        }
        groups.push(regexes.into_iter().map(PrefilterPattern::Regex).collect());
    }
    let mut prefilter = (!groups.is_empty()).then_some(groups);
    let fix = raw.fix.map(compile_fix).transpose().map_err(err)?;
    let taint = match raw.taint {
        None => None,
        Some(t) => {
            let endpoint = compile_endpoint;
            let sources = t
                .sources
                .iter()
                .map(|e| endpoint(e).map(std::sync::Arc::new))
                .collect::<Result<Vec<_>, _>>()
                .map_err(err)?;
            let sanitizers = t
                .sanitizers
                .iter()
                .map(|e| endpoint(e).map(std::sync::Arc::new))
                .collect::<Result<Vec<_>, _>>()
                .map_err(err)?;
            let propagators = t
                .propagators
                .iter()
                .map(|e| endpoint(e).map(std::sync::Arc::new))
                .collect::<Result<Vec<_>, _>>()
                .map_err(err)?;
            let mut sinks = Vec::new();
            for sink in &t.sinks {
                if sink.kinds.is_empty()
                    && sink.args.is_empty()
                    && sink.keywords.is_empty()
                    && !sink.receiver
                {
                    return Err(err(
                        "a taint sink on calls needs `args`, `keywords` or `receiver: true`".into(),
                    ));
                }
                if !sink.keys.is_empty() && !sink.kinds.iter().any(|k| k == "dictionary") {
                    return Err(err("`keys` needs `kinds: [dictionary]`".into()));
                }
                sinks.push(TaintSink {
                    kinds: sink.kinds.clone(),
                    keys: sink.keys.clone(),
                    conditions: sink
                        .conditions
                        .iter()
                        .map(compile_condition)
                        .collect::<Result<_, _>>()
                        .map_err(err)?,
                    args: sink.args.clone(),
                    keywords: sink.keywords.clone(),
                    label: sink.label.clone(),
                    url: sink.url,
                    receiver: sink.receiver,
                });
            }
            if (sources.is_empty() && t.source_set.is_none()) || sinks.is_empty() {
                return Err(err(
                    "a taint matcher needs sources (or a source-set) and sinks".into(),
                ));
            }
            // A file needs a source token and a sink token for a finding to be possible.
            // With a source set, the source side is added when the set is linked.
            let own_sources_prefilter = side_prefilter(t.sources.iter().map(|e| &e.conditions))
                .or_else(|| {
                    t.sources_prefilter
                        .clone()
                        .filter(|l| !l.is_empty())
                        .map(|l| l.into_iter().map(PrefilterPattern::Literal).collect())
                });
            let groups = prefilter.get_or_insert_with(Vec::new);
            let mut source_group = None;
            if t.source_set.is_none()
                && let Some(g) = own_sources_prefilter.clone()
            {
                groups.push(g);
                source_group = Some(groups.len() - 1);
            }
            let mut sink_group = None;
            if let Some(g) = side_prefilter(t.sinks.iter().map(|e| &e.conditions)) {
                groups.push(g);
                sink_group = Some(groups.len() - 1);
            }
            if groups.is_empty() {
                prefilter = None;
            }
            let source_set = t.source_set.as_ref().map(|s| SourceSetRef {
                id: s.value.clone(),
                line: s.defined.line() as usize,
                column: s.defined.column() as usize,
            });
            Some(Taint {
                // Rules analysed together share how values flow: sources and propagators.
                sources_key: format!(
                    "{}|{:?}|{:?}",
                    source_set.as_ref().map_or("", |s| s.id.as_str()),
                    t.sources,
                    t.propagators
                ),
                propagators,
                source_set,
                own_sources_prefilter,
                source_group,
                sink_group,
                across_files: true,
                sources,
                sinks,
                sanitizers,
            })
        }
    };
    Ok(Matcher {
        lang: raw.language,
        kind,
        builtin: raw.builtin,
        taint,
        conditions,
        prefilter,
        message: raw.message,
        severity: raw.severity,
        confidence: raw.confidence,
        fix,
    })
}

fn compile_endpoint(e: &crate::schema::RawTaintEndpoint) -> Result<TaintEndpoint, String> {
    let method_sources = e.kinds.iter().any(|k| k == "method_parameter");
    if method_sources == e.methods.is_empty() {
        return Err(
            "`methods` goes with the kind `method_parameter`, and that kind needs `methods`".into(),
        );
    }
    Ok(TaintEndpoint {
        methods: e.methods.clone(),
        injected_types: e.injected_types.as_deref().map(regex).transpose()?,
        kinds: if e.kinds.is_empty() {
            vec!["call".into(), "call_expression".into()]
        } else {
            e.kinds.clone()
        },
        conditions: e
            .conditions
            .iter()
            .map(compile_condition)
            .collect::<Result<_, _>>()?,
        label: e.label.clone(),
    })
}

/// One literal group that a file holding any of the alternatives must contain (each
/// alternative contributes its most selective group); `None` when an alternative has none.
fn side_prefilter<'a>(
    alternatives: impl Iterator<Item = &'a Vec<Predicate>>,
) -> Option<Vec<PrefilterPattern>> {
    let mut group = Vec::new();
    for conditions in alternatives {
        let best = all_prefilter(conditions)?
            .into_iter()
            .max_by_key(|g| selectivity(g))?;
        for pattern in best {
            if !group.contains(&pattern) {
                group.push(pattern);
            }
        }
    }
    Some(group)
}

/// Compiles a source set declared in `path` (sets from several files with one id are merged
/// by [`link_source_sets`]).
pub fn compile_source_set(
    raw: crate::schema::RawSourceSet,
    path: &Path,
    builtin: bool,
) -> Result<SourceSet, RuleError> {
    TRUSTED.with(|t| t.set(builtin));
    let line = raw.id.defined.line() as usize;
    let column = raw.id.defined.column() as usize;
    let id = raw.id.value;
    let result = (|| {
        if !valid_name(&id) {
            return Err(format!("source set id `{id}` must be kebab-case"));
        }
        let languages = raw
            .matchers
            .into_iter()
            .map(compile_source_set_language)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("source set `{id}`: {e}"))?;
        Ok(SourceSet {
            id: id.clone(),
            description: raw.description,
            languages,
            across_files: raw.across_files.unwrap_or(true),
            includes: raw
                .includes
                .into_iter()
                .map(|included| (included, path.to_path_buf(), line, column))
                .collect(),
        })
    })();
    TRUSTED.with(|t| t.set(false));
    result.map_err(|msg| RuleError::new(path, line, column, msg))
}

/// Compiles the sources of a set in one language.
pub fn compile_source_set_language(
    m: crate::schema::RawSourceSetMatcher,
) -> Result<SourceSetLanguage, String> {
    let sources = m
        .sources
        .iter()
        .map(|e| compile_endpoint(e).map(std::sync::Arc::new))
        .collect::<Result<Vec<_>, _>>()?;
    if sources.is_empty() {
        return Err(format!("no sources for {}", m.language));
    }
    let literals = m.prefilter.unwrap_or_default().into_iter();
    let names = m.prefilter_names.unwrap_or_default().into_iter();
    let explicit: Vec<PrefilterPattern> = literals
        .map(PrefilterPattern::Literal)
        .chain(names.map(PrefilterPattern::Name))
        .collect();
    let prefilter = match explicit.is_empty() {
        false => Some(explicit),
        true => side_prefilter(m.sources.iter().map(|e| &e.conditions)),
    };
    Ok(SourceSetLanguage {
        lang: m.language,
        sources,
        prefilter,
    })
}

/// Merges sets with the same id (later declarations add sources to earlier ones).
pub fn merge_source_sets(sets: Vec<SourceSet>) -> Vec<SourceSet> {
    let mut merged: Vec<SourceSet> = Vec::new();
    for set in sets {
        let Some(existing) = merged.iter_mut().find(|s| s.id == set.id) else {
            merged.push(set);
            continue;
        };
        if existing.description.is_none() {
            existing.description = set.description;
        }
        existing.includes.extend(set.includes);
        existing.across_files &= set.across_files;
        add_languages(existing, set.languages);
    }
    merged
}

/// Gives every set the sources of the sets it includes (and of the sets those include).
pub fn include_source_sets(mut sets: Vec<SourceSet>) -> Result<Vec<SourceSet>, RuleError> {
    for i in 0..sets.len() {
        let mut pending: Vec<String> = sets[i].includes.iter().map(|inc| inc.0.clone()).collect();
        let mut done: Vec<String> = vec![sets[i].id.clone()];
        while let Some(id) = pending.pop() {
            if done.contains(&id) {
                continue;
            }
            let Some(j) = sets.iter().position(|s| s.id == id) else {
                let (_, path, line, column) = sets[i]
                    .includes
                    .iter()
                    .find(|inc| inc.0 == id)
                    .cloned()
                    .unwrap_or_default();
                let known: Vec<&str> = sets.iter().map(|s| s.id.as_str()).collect();
                return Err(RuleError::new(
                    path,
                    line,
                    column,
                    format!(
                        "source set `{}` includes unknown set `{id}` (known: {})",
                        sets[i].id,
                        known.join(", ")
                    ),
                ));
            };
            pending.extend(sets[j].includes.iter().map(|inc| inc.0.clone()));
            let languages: Vec<SourceSetLanguage> = sets[j]
                .languages
                .iter()
                .map(|l| SourceSetLanguage {
                    lang: l.lang,
                    sources: l.sources.clone(),
                    prefilter: l.prefilter.clone(),
                })
                .collect();
            add_languages(&mut sets[i], languages);
            done.push(id);
        }
    }
    Ok(sets)
}

/// Adds sources per language to a set, merging the prefilters.
fn add_languages(existing: &mut SourceSet, languages: Vec<SourceSetLanguage>) {
    {
        for lang in languages {
            match existing.languages.iter_mut().find(|l| l.lang == lang.lang) {
                Some(target) => {
                    target.sources.extend(lang.sources);
                    target.prefilter = match (target.prefilter.take(), lang.prefilter) {
                        (Some(mut a), Some(b)) => {
                            for p in b {
                                if !a.contains(&p) {
                                    a.push(p);
                                }
                            }
                            Some(a)
                        }
                        _ => None,
                    };
                }
                None => existing.languages.push(lang),
            }
        }
    }
}

/// Gives every data-flow matcher that names a source set the set's sources (first) and the
/// set's prefilter. Errors name the rule file and the line of the `source-set` key.
pub fn link_source_sets(rules: &mut [Rule], sets: &[SourceSet]) -> Result<(), RuleError> {
    for rule in rules.iter_mut() {
        for matcher in &mut rule.matchers {
            let Some(taint) = matcher.taint.as_mut() else {
                continue;
            };
            let Some(reference) = taint.source_set.clone() else {
                continue;
            };
            let err =
                |msg: String| RuleError::new(&rule.source, reference.line, reference.column, msg);
            let Some(set) = sets.iter().find(|s| s.id == reference.id) else {
                let known: Vec<&str> = sets.iter().map(|s| s.id.as_str()).collect();
                return Err(err(format!(
                    "rule `{}`: unknown source set `{}` (known: {})",
                    rule.id,
                    reference.id,
                    known.join(", ")
                )));
            };
            let Some(lang) = set.languages.iter().find(|l| l.lang == matcher.lang) else {
                return Err(err(format!(
                    "rule `{}`: source set `{}` has no sources for {}",
                    rule.id, set.id, matcher.lang
                )));
            };
            taint.across_files = set.across_files;
            let own = std::mem::take(&mut taint.sources);
            taint.sources = lang.sources.clone();
            taint.sources.extend(own);
            // The source side of the prefilter: the set's group plus the matcher's own sources.
            let group = match (&lang.prefilter, &taint.own_sources_prefilter) {
                (Some(a), Some(b)) => {
                    let mut g = a.clone();
                    g.extend(b.iter().filter(|p| !a.contains(p)).cloned());
                    Some(g)
                }
                _ => None,
            };
            if let Some(group) = group {
                let groups = matcher.prefilter.get_or_insert_with(Vec::new);
                groups.push(group);
                taint.source_group = Some(groups.len() - 1);
            }
        }
    }
    Ok(())
}

fn compile_fix(raw: RawFix) -> Result<Fix, String> {
    let mut actions = Vec::new();
    if let Some(set) = raw.set_keyword {
        actions.push(FixAction::SetKeyword {
            name: set.name,
            value: set.value,
        });
    }
    if let Some(name) = raw.remove_keyword {
        actions.push(FixAction::RemoveKeyword(name));
    }
    if let Some(replace) = raw.replace {
        actions.push(FixAction::Replace {
            capture: replace.capture,
            with: replace.with,
        });
    }
    if let Some(name) = raw.rename_call {
        actions.push(FixAction::RenameCall(name));
    }
    if raw.drop_method_call == Some(true) {
        actions.push(FixAction::DropMethodCall);
    }
    if actions.len() != 1 {
        return Err(
            "a fix needs exactly one of `set-keyword`, `remove-keyword`, `replace`, `rename-call`, `drop-method-call`"
                .into(),
        );
    }
    Ok(Fix {
        title: raw.title,
        applicability: raw.applicability,
        action: actions.remove(0),
    })
}

fn regex(pattern: &str) -> Result<LazyRegex, String> {
    LazyRegex::new(pattern)
}

/// Qualified names and globs for `calls`: exact names are a hash lookup; `*` matches within
/// one path segment and `**` across segments. (A regex per condition took longer to compile
/// than a whole snippet takes to scan.)
pub struct NameMatcher {
    /// foldhash, not SipHash: call names are short, and hashing them was most of a lookup.
    exact: foldhash::HashSet<String>,
    globs: Vec<String>,
    /// Some name goes through a constructor call (`jinja2.Environment().from_string`).
    pub through_constructor: bool,
}

/// Sorted, so the text is the same in every process (result caches are keyed by it).
impl std::fmt::Debug for NameMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut exact: Vec<&String> = self.exact.iter().collect();
        exact.sort();
        f.debug_struct("NameMatcher")
            .field("exact", &exact)
            .field("globs", &self.globs)
            .finish()
    }
}

impl NameMatcher {
    pub fn new(names: &[String]) -> Self {
        let (globs, exact): (Vec<String>, Vec<String>) =
            names.iter().cloned().partition(|n| n.contains('*'));
        Self {
            through_constructor: names.iter().any(|n| n.contains("().")),
            exact: exact.into_iter().collect(),
            globs,
        }
    }

    /// The names matched exactly.
    pub fn exact(&self) -> impl Iterator<Item = &str> {
        self.exact.iter().map(String::as_str)
    }

    /// Whether some name is a glob.
    pub fn has_globs(&self) -> bool {
        !self.globs.is_empty()
    }

    pub fn is_match(&self, name: &str) -> bool {
        self.exact.contains(name)
            || self.globs.iter().any(|g| match g.strip_prefix("**") {
                // `**.a.b` (the common form) is a suffix test.
                Some(suffix) if !suffix.contains('*') => name.ends_with(suffix),
                _ => glob_match(g.as_bytes(), name.as_bytes()),
            })
    }
}

fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => {
            if let Some(rest) = rest.strip_prefix(b"*") {
                (0..=text.len()).any(|i| glob_match(rest, &text[i..]))
            } else {
                // One segment: stop at a separator.
                let limit = text
                    .iter()
                    .position(|c| *c == b'.' || *c == b':')
                    .unwrap_or(text.len());
                (0..=limit).any(|i| glob_match(rest, &text[i..]))
            }
        }
        Some((c, rest)) => text.first() == Some(c) && glob_match(rest, &text[1..]),
    }
}

fn compile_condition(predicate: &Predicate) -> Result<Condition, String> {
    Ok(match predicate {
        Predicate::Calls(names) => {
            if names.is_empty() {
                return Err("`calls` needs at least one name".into());
            }
            Condition::Calls {
                names: names.clone(),
                matcher: NameMatcher::new(names),
            }
        }
        Predicate::Method(names) => Condition::Method(names.clone()),
        Predicate::Receiver(pattern) => Condition::Receiver(regex(pattern)?),
        Predicate::Keyword(k) => Condition::Keyword(KeywordTest {
            name: k.name.clone(),
            missing: k.missing,
            equals: k.equals.clone(),
            not_equals: k.not_equals.clone(),
            matches: k.matches.as_deref().map(regex).transpose()?,
        }),
        Predicate::Arg(a) => {
            if a.index.is_none() && a.keyword.is_none() && a.capture.is_none() {
                return Err("`arg` needs an `index`, a `keyword` or a `capture`".into());
            }
            Condition::Arg(ArgTest {
                index: a.index,
                capture: a.capture.clone(),
                keyword: a.keyword.clone(),
                missing: a.missing,
                constant: a.constant,
                dynamic_string: a.dynamic_string,
                trust_code_defined: a.trust_code_defined == Some(true),
                matches: a.matches.as_deref().map(regex).transpose()?,
                label: a.label == Some(true),
            })
        }
        Predicate::InsideFunction(f) => Condition::InsideFunction(regex(&f.decorated)?),
        Predicate::Context(r) => Condition::Context(regex(r)?),
        Predicate::CheckedBefore(r) => Condition::CheckedBefore(regex(r)?),
        Predicate::CheckedAfter(r) => Condition::CheckedAfter(regex(r)?),
        Predicate::ReceiverBound(b) => Condition::ReceiverBound(*b),
        Predicate::WrittenHere(b) => Condition::WrittenHere(*b),
        Predicate::ProjectFact(f) => Condition::ProjectFact(f.clone()),
        Predicate::Text(t) => Condition::Text {
            capture: t.capture.clone(),
            regex: regex(&t.matches)?,
        },
        Predicate::String(s) => {
            let mut detectors = Vec::with_capacity(s.detectors.len());
            for d in &s.detectors {
                detectors.push(CompiledDetector {
                    label: d.label.clone(),
                    regex: DetectorRegex::new(&d.pattern)?,
                    min_entropy: d.min_entropy,
                });
            }
            let set = LazyRegexSet {
                patterns: s.detectors.iter().map(|d| d.pattern.clone()).collect(),
                cell: OnceLock::new(),
            };
            Condition::String(StringTest {
                capture: s.capture.clone(),
                set,
                detectors,
                reject_placeholders: s.reject_placeholders,
            })
        }
        Predicate::Not(inner) => Condition::Not(Box::new(compile_condition(inner)?)),
        Predicate::Any(inner) => Condition::Any(
            inner
                .iter()
                .map(compile_condition)
                .collect::<Result<_, _>>()?,
        ),
        Predicate::All(inner) => Condition::All(
            inner
                .iter()
                .map(compile_condition)
                .collect::<Result<_, _>>()?,
        ),
    })
}

/// A `language: text` matcher has no syntax tree to query: only credential detectors
/// (`string` conditions on `finding`, the text itself) can run on it.
fn check_text_matcher(raw: &RawMatcher) -> Result<(), String> {
    if raw.query.is_some() || raw.builtin.is_some() || raw.taint.is_some() || raw.fix.is_some() {
        return Err(
            "a `language: text` matcher takes no `query`, `builtin`, `taint` or `fix`: its \
             `string` conditions read the text"
                .into(),
        );
    }
    let only_detectors = !raw.conditions.is_empty()
        && raw
            .conditions
            .iter()
            .all(|p| matches!(p, Predicate::String(s) if s.capture == "finding"));
    if !only_detectors {
        return Err(
            "a `language: text` matcher needs `string` conditions (on `finding`) and no others"
                .into(),
        );
    }
    Ok(())
}

fn check_captures(condition: &Condition, query: &str) -> Result<(), String> {
    let has = |name: &str| {
        let needle = format!("@{name}");
        query.match_indices(&needle).any(|(i, _)| {
            !query[i + needle.len()..]
                .starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
        })
    };
    match condition {
        Condition::Text { capture, .. }
        | Condition::String(StringTest { capture, .. })
        | Condition::Arg(ArgTest {
            capture: Some(capture),
            ..
        }) if !has(capture) => {
            return Err(format!(
                "condition refers to capture `@{capture}`, which the query does not define"
            ));
        }
        Condition::Not(inner) => check_captures(inner, query)?,
        Condition::Any(all) | Condition::All(all) => {
            for c in all {
                check_captures(c, query)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// A prefilter in conjunctive normal form: every group must have a pattern in the file.
pub type Prefilter = Vec<Vec<PrefilterPattern>>;

/// Literals shorter than this do not narrow anything down (`get`, `sk-`).
const MIN_LITERAL: usize = 4;

fn selectivity(group: &[PrefilterPattern]) -> usize {
    group
        .iter()
        .map(|p| match p {
            PrefilterPattern::Literal(l) | PrefilterPattern::Name(l) => l.len(),
            PrefilterPattern::Regex(_) => 8,
        })
        .min()
        .unwrap_or(0)
}

/// Groups that must all be present in a file for all of `conditions` to hold.
fn all_prefilter(conditions: &[Predicate]) -> Option<Prefilter> {
    let groups: Prefilter = conditions
        .iter()
        .filter_map(prefilter_of)
        .flatten()
        .collect();
    (!groups.is_empty()).then_some(groups)
}

fn literal_group<'a>(items: impl Iterator<Item = &'a str>) -> Option<Vec<PrefilterPattern>> {
    token_group(items, PrefilterPattern::Literal)
}

/// Like [`literal_group`], for names the code says where it calls them (keyword names are
/// literals: `**{"trust_remote_code": True}` says one in a string).
fn name_group<'a>(items: impl Iterator<Item = &'a str>) -> Option<Vec<PrefilterPattern>> {
    token_group(items, PrefilterPattern::Name)
}

fn token_group<'a>(
    items: impl Iterator<Item = &'a str>,
    pattern: fn(String) -> PrefilterPattern,
) -> Option<Vec<PrefilterPattern>> {
    let mut group = Vec::new();
    for item in items {
        if item.len() < MIN_LITERAL && !item.starts_with("__") {
            return None;
        }
        let lit = pattern(item.to_string());
        if !group.contains(&lit) {
            group.push(lit);
        }
    }
    (!group.is_empty()).then_some(group)
}

fn prefilter_of(predicate: &Predicate) -> Option<Prefilter> {
    match predicate {
        Predicate::Calls(names) => {
            // A file that makes one of these calls contains the name's root (named by its
            // import, or by the call) and its last segment (named at the call, or in
            // `from x import y as z`).
            let segments = |name: &String, last: bool| -> Option<String> {
                let parts: Vec<&str> = name.split(['.', ':']).filter(|s| !s.is_empty()).collect();
                let part = if last { parts.last()? } else { parts.first()? };
                (!part.contains('*') && !part.contains('(')).then(|| (*part).to_string())
            };
            let mut groups = Vec::new();
            for last in [false, true] {
                let parts: Option<Vec<String>> = names.iter().map(|n| segments(n, last)).collect();
                let group = parts.and_then(|p| name_group(p.iter().map(String::as_str)));
                if let Some(group) = group.filter(|g| !groups.contains(g)) {
                    groups.push(group);
                }
            }
            // Mixed lists (`os.system`, `popen2.*`) have neither a usable root (`os` is too
            // short) nor a usable last segment (`*`) for every name: each name then brings
            // its longest plain segment, which the file names at the call or its import.
            if groups.is_empty() {
                fn longest(name: &str) -> Option<&str> {
                    name.split(['.', ':'])
                        .filter(|s| !s.contains('*') && !s.contains('('))
                        .max_by_key(|s| s.len())
                }
                let parts: Option<Vec<&str>> = names.iter().map(|n| longest(n)).collect();
                if let Some(group) = parts.and_then(|p| name_group(p.into_iter())) {
                    groups.push(group);
                }
            }
            (!groups.is_empty()).then_some(groups)
        }
        Predicate::Method(names) => {
            // A short method name is still a useful token with its call syntax: `.raw(`.
            let tokens: Vec<String> = names
                .iter()
                .map(|n| {
                    if n.len() < MIN_LITERAL {
                        format!(".{n}(")
                    } else {
                        n.clone()
                    }
                })
                .collect();
            name_group(tokens.iter().map(String::as_str)).map(|g| vec![g])
        }
        Predicate::Keyword(k) if k.missing != Some(true) => {
            let key = k.name.rsplit('.').next().unwrap_or(&k.name);
            literal_group(std::iter::once(key)).map(|g| vec![g])
        }
        Predicate::String(s) => Some(vec![
            s.detectors
                .iter()
                .map(|d| PrefilterPattern::Regex(d.pattern.clone()))
                .collect(),
        ]),
        Predicate::All(inner) => all_prefilter(inner),
        Predicate::Any(inner) => {
            let mut group = Vec::new();
            for branch in inner {
                let best = prefilter_of(branch)?
                    .into_iter()
                    .max_by_key(|g| selectivity(g))?;
                for pattern in best {
                    if !group.contains(&pattern) {
                        group.push(pattern);
                    }
                }
            }
            Some(vec![group])
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_time_required_literals_are_the_runtime_ones() {
        let table = crate::load::BUILTIN_REQUIRED;
        // The pack's condition regexes (`matches`, `receiver`, `context`...) are all there.
        assert!(table.len() >= 100, "{} patterns", table.len());
        assert!(table.iter().any(|(p, _)| *p == r"\.final_output$"));
        crate::load::assert_table_is_runtime(table, crate::literal_prefixes::required_literals);
    }

    #[test]
    fn required_literals_come_from_prefixes_or_suffixes_lowercased() {
        let required = |p: &str| {
            crate::literal_prefixes::required_literals(p).map(|set| {
                set.into_iter()
                    .map(|l| String::from_utf8(l).unwrap())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            required("(?i-u)(LLM|chain|Agent)"),
            Some(vec!["agent".into(), "chain".into(), "llm".into()])
        );
        // No literal prefix (`^` or `.`), so the suffixes.
        assert_eq!(
            required(r"(^|\.)(graph|tx)$"),
            Some(vec!["graph".into(), "tx".into()])
        );
        // Neither end is literal.
        assert_eq!(
            required(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+$"),
            None
        );
        assert_eq!(required(r"\w+"), None);
        // Patterns that match the empty string need no literal (and must not panic).
        for pattern in [r"^$|^none$", r"^(true|1)?$", "x?", "token|"] {
            assert_eq!(required(pattern), None, "{pattern}");
        }
    }

    /// A text without the required literals is answered "no" without the regex; with them,
    /// in any ASCII case, the regex decides.
    #[test]
    fn texts_without_required_literals_do_not_match() {
        let regex = LazyRegex::new("(?i-u)(llm|chain|agent)").unwrap();
        assert!(regex.is_match("my_LLM_client"));
        assert!(regex.is_match("Chain"));
        assert!(!regex.is_match("tokenizer"));
        assert!(!regex.is_match("lm.chai"));
        let suffix = LazyRegex::new(r"\.final_output$").unwrap();
        assert!(suffix.is_match("result.final_output"));
        assert!(!suffix.is_match("result.final_output()"));
        assert!(!suffix.is_match("result.FINAL_OUTPUT"));
        // The literals only rule texts out: whether a text holding them matches is the
        // regex's answer.
        let anchored = LazyRegex::new(r"^(?:db|database)$").unwrap();
        assert!(!anchored.is_match("my_database"));
        assert!(anchored.is_match("db"));
    }

    /// On every line and word of the pack's fixtures, a built-in condition regex that
    /// matches finds its required literals (they are necessary, never wrong).
    #[test]
    fn required_literals_never_rule_out_a_match_in_the_fixtures() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
        let mut texts = Vec::new();
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e != "md" && e != "yaml") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    for line in text.lines() {
                        texts.push(line.trim().to_string());
                        texts.extend(
                            line.split(|c: char| c.is_whitespace() || "(),=:".contains(c))
                                .filter(|w| !w.is_empty())
                                .map(str::to_string),
                        );
                    }
                }
            }
        }
        assert!(texts.len() > 5_000, "{} texts", texts.len());
        let mut matched = 0;
        for (pattern, literals) in crate::load::BUILTIN_REQUIRED {
            let (Some(literals), Ok(regex)) = (literals, Regex::new(pattern)) else {
                continue;
            };
            for text in &texts {
                if regex.is_match(text) {
                    matched += 1;
                    assert!(
                        holds_any(text.as_bytes(), literals.iter().copied()),
                        "{pattern} matches {text:?}"
                    );
                }
            }
        }
        assert!(matched > 1_000, "{matched} matches");
    }

    #[test]
    fn only_ascii_patterns_switch_engines() {
        for pattern in [
            r"\.final_output$",
            r"^request\.(?:args|form)$",
            r"(?i-u)(API_?KEY|TOKEN)",
            r"^(?:self\.)?(?i-u:settings|config)\.[a-z_]+$",
            r#"["'](?:[^"']*/)?\.env["']"#,
        ] {
            assert!(same_on_both_engines(pattern), "{pattern}");
        }
        for pattern in [
            r"\w+",
            r"[\s,]",
            r"\bkey\b",
            r"(?i)token",
            r"(?i:token)",
            r"\p{L}",
            r"(?u)x",
        ] {
            assert!(!same_on_both_engines(pattern), "{pattern}");
        }
    }

    #[test]
    fn a_warm_regex_answers_as_before() {
        let regex = LazyRegex::new(r"^(?:self\.)?(?i-u:settings)\.(?i-u:api_?key)$").unwrap();
        let texts = [
            "settings.API_KEY",
            "self.Settings.apikey",
            "settings.api_key_id",
            "é.settings.api_key",
        ];
        let cold: Vec<bool> = texts.iter().map(|t| regex.is_match(t)).collect();
        for _ in 0..FULL_AFTER {
            // (A text without the pattern's literals would not count as a use.)
            regex.is_match("settings.api_keys");
        }
        assert!(regex.warm());
        let warm: Vec<bool> = texts.iter().map(|t| regex.is_match(t)).collect();
        assert_eq!(cold, warm);
        assert_eq!(cold, [true, true, false, false]);
    }

    #[test]
    fn call_globs_stay_within_one_segment() {
        let re = NameMatcher::new(&[
            "transformers.*.from_pretrained".into(),
            "tch::**::load".into(),
            "os.system".into(),
        ]);
        assert!(re.is_match("os.system"));
        assert!(!re.is_match("os.systems"));
        assert!(re.is_match("transformers.AutoModel.from_pretrained"));
        assert!(!re.is_match("transformers.a.b.from_pretrained"));
        assert!(re.is_match("tch::nn::VarStore::load"));
        assert!(!re.is_match("xtransformers.AutoModel.from_pretrained"));
    }

    fn literals(prefilter: Option<Prefilter>) -> Vec<Vec<String>> {
        prefilter
            .unwrap_or_default()
            .into_iter()
            .map(|group| {
                group
                    .into_iter()
                    .map(|p| match p {
                        PrefilterPattern::Literal(l) | PrefilterPattern::Name(l) => l,
                        PrefilterPattern::Regex(r) => format!("/{r}/"),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn call_prefilters_use_root_and_last_segments() {
        let calls = |names: &[&str]| {
            literals(prefilter_of(&Predicate::Calls(
                names.iter().map(|n| n.to_string()).collect(),
            )))
        };
        assert_eq!(
            calls(&["subprocess.*"]),
            vec![vec!["subprocess".to_string()]]
        );
        assert_eq!(
            calls(&["torch.load", "torch.jit.load"]),
            vec![vec!["torch".to_string()], vec!["load".to_string()]]
        );
        // Neither `os` (too short) nor `*` narrows anything down: each name brings its
        // longest segment instead of leaving the matcher to run on every file.
        assert_eq!(
            calls(&["os.system", "popen2.*", "commands.getoutput"]),
            vec![vec![
                "system".to_string(),
                "popen2".to_string(),
                "getoutput".to_string()
            ]]
        );
        assert!(calls(&["os.*"]).is_empty());
    }
}
