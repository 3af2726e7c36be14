//! Intra-procedural taint tracking over the tree-sitter tree, with one level of same-file
//! function summaries: a helper that returns a source is a source; a helper that passes a
//! parameter to a sink is a sink for that argument. Module level counts as a scope whose
//! bindings functions can read.
//!
//! Deliberately small and precise: values flow through assignments (also tuple targets,
//! augmented assignments, `for ... in`, `with ... as`), string building (f-strings, `+`, `%`,
//! `.format`, `join`, `format!`), containers, attribute/subscript reads of a tainted object,
//! method calls on a tainted receiver, and a short list of value-preserving functions.
//! A re-assignment to a clean value clears a name; sanitizers stop taint.

use crate::node_ext::NodeExt;
use foldhash::{HashMap, HashMapExt, HashSet};

use codeguard_rules::compile::{Taint, TaintEndpoint};
use tree_sitter::Node;

use crate::semantic::{KeywordLookup, Semantic};
use crate::syntax::{Argument, Statement, Syntax, Value};

/// Where a tainted value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A source expression at this byte offset.
    Source { start: usize, label: Option<String> },
    /// Parameter `i` of the function being summarised.
    Param(usize),
}

/// A tainted value and the assignments it went through (byte offsets of the steps).
#[derive(Debug, Clone)]
pub(crate) struct Tainted {
    pub origin: Origin,
    pub steps: Vec<usize>,
    /// Members (rules) whose sanitizers this value went through: clean for their sinks.
    pub sanitized: u64,
}

impl Tainted {
    fn through(&self, step: usize) -> Tainted {
        let mut t = self.clone();
        if !t.steps.contains(&step) && t.steps.len() < 16 {
            t.steps.push(step);
        }
        t
    }
}

/// A source reaching a sink.
pub(crate) struct FlowHit<'t> {
    /// The argument that reached the sink.
    pub node: Node<'t>,
    pub call: Node<'t>,
    pub tainted: Tainted,
    pub sink_label: Option<String>,
    /// Which of the analysed rules this hit belongs to.
    pub member: usize,
}

#[derive(Default, Clone)]
struct Summary {
    /// The summary of a function of another project file: a source it returns starts at
    /// each call.
    imported: bool,
    returns: Option<Tainted>,
    /// Parameters that reach a sink inside the function, with the sink's label and rule.
    param_sinks: Vec<(usize, Option<String>, usize)>,
    /// Parameters the function checks at its top level, returning or raising when the check
    /// fails (`if not p.is_relative_to(ROOT): raise ...`): after a call, the argument is clean.
    guards: Vec<usize>,
    /// The parameters' names, for arguments passed by keyword (`helper(code=x)`).
    param_names: Vec<String>,
}

impl Summary {
    /// The argument a call passes for parameter `i`: by position, else by keyword.
    fn argument<'t>(&self, sem: &Semantic<'t>, call: Node<'t>, i: usize) -> Option<Node<'t>> {
        sem.positional(call, i).or_else(|| {
            let name = self.param_names.get(i)?;
            match sem.keyword(call, name) {
                KeywordLookup::Present(value) => Some(value),
                _ => None,
            }
        })
    }
}

/// What a function does with taint for one source set, as another file sees it (see
/// [`crate::project_flow`]): rules by id, sources by label.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExportedSummary {
    pub returns: Option<ExportedReturn>,
    /// (parameter, sink label, rule id).
    pub param_sinks: Vec<(usize, Option<String>, String)>,
    pub guards: Vec<usize>,
}

impl ExportedSummary {
    pub fn is_empty(&self) -> bool {
        self.returns.is_none() && self.param_sinks.is_empty() && self.guards.is_empty()
    }
}

/// What a function returns: a source (with its label), or what a parameter carries.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ExportedReturn {
    Source(Option<String>),
    Param(usize),
}

/// A function of another project file that this file imports: where it is (for messages)
/// and its summary per source set (keyed by the hash of [`Taint::sources_key`]).
#[derive(Debug, Clone, Default)]
pub struct ImportedFunction {
    pub location: String,
    pub summaries: HashMap<u64, ExportedSummary>,
}

/// Imported functions of other project files, by the qualified name calls resolve to.
pub type ImportedFunctions = HashMap<String, std::sync::Arc<ImportedFunction>>;

pub(crate) struct Analysis<'a, 't> {
    sem: &'a Semantic<'t>,
    /// The rules analysed together: they share their sources (checked by the caller).
    members: &'a [&'a Taint],
    matches: &'a dyn Fn(&[codeguard_rules::Condition], Node<'t>) -> bool,
    functions: HashMap<String, Node<'t>>,
    summaries: HashMap<String, Summary>,
    /// Summaries of functions imported from other project files, by qualified name.
    imported: HashMap<String, Summary>,
    /// Collecting summaries (parameters tainted symbolically, no findings reported).
    summarising: bool,
    current: Summary,
    hits: Vec<FlowHit<'t>>,
    /// Node id -> (is a sanitizer, source label if a source): conditions are evaluated once
    /// per node although taint queries revisit nodes many times.
    endpoint_cache: std::cell::RefCell<HashMap<usize, EndpointMatch>>,
    /// (call node id, sink index) -> whether the sink's conditions hold.
    sink_cache: std::cell::RefCell<HashMap<(usize, usize, usize), bool>>,
    /// Node kinds other than calls that some sink names.
    other_sink_kinds: Vec<&'a str>,
    /// Statements being visited inside one another (see [`MAX_NESTING`]).
    nesting: usize,
}

/// How deep statements are followed in order; deeper ones are only checked for sinks.
const MAX_NESTING: usize = 200;

type State = HashMap<String, Tainted>;

/// The state key of field `key` of `container` (`d["k"]`).
fn field_name(container: &str, key: &str) -> String {
    format!("{container}[{key:?}]")
}

/// The state key saying some field of `container` is tainted (a read of the whole container
/// is then tainted).
fn some_field(container: &str) -> String {
    format!("{container}[*]")
}

/// `key` names a field of `container` (see [`field_name`], [`some_field`]).
fn is_field_of(key: &str, container: &str) -> bool {
    key.strip_prefix(container)
        .is_some_and(|rest| rest.starts_with('['))
}

/// The members whose sanitizer a node is, and the label if it is a source.
type EndpointMatch = (u64, Option<Option<String>>);

impl<'a, 't> Analysis<'a, 't> {
    fn new(
        sem: &'a Semantic<'t>,
        members: &'a [&'a Taint],
        matches: &'a dyn Fn(&[codeguard_rules::Condition], Node<'t>) -> bool,
    ) -> Self {
        Analysis {
            sem,
            members,
            matches,
            functions: HashMap::new(),
            summaries: HashMap::new(),
            imported: HashMap::new(),
            summarising: true,
            current: Summary::default(),
            hits: Vec::new(),
            endpoint_cache: std::cell::RefCell::new(HashMap::new()),
            sink_cache: std::cell::RefCell::new(HashMap::new()),
            other_sink_kinds: members
                .iter()
                .flat_map(|m| &m.sinks)
                .flat_map(|s| &s.kinds)
                .map(String::as_str)
                .filter(|k| !sem.syntax.is_call(k))
                .collect(),
            nesting: 0,
        }
    }

    /// What each function of the file does with taint, for other files that import it.
    pub(crate) fn export(
        sem: &'a Semantic<'t>,
        members: &'a [&'a Taint],
        rule_ids: &[&str],
        matches: &'a dyn Fn(&[codeguard_rules::Condition], Node<'t>) -> bool,
        only: Option<&HashSet<String>>,
    ) -> HashMap<String, (usize, ExportedSummary)> {
        let mut analysis = Analysis::new(sem, members, matches);
        let functions = sem.functions();
        analysis.summarise(functions, only);
        let export = |t: &Tainted| match &t.origin {
            Origin::Source { label, .. } => ExportedReturn::Source(label.clone()),
            Origin::Param(i) => ExportedReturn::Param(*i),
        };
        let lines: HashMap<&str, usize> = analysis
            .functions
            .iter()
            .map(|(name, f)| (name.as_str(), f.start_position().row + 1))
            .collect();
        analysis
            .summaries
            .iter()
            .map(|(name, summary)| {
                let exported = ExportedSummary {
                    returns: summary.returns.as_ref().map(export),
                    param_sinks: summary
                        .param_sinks
                        .iter()
                        .filter_map(|(i, label, member)| {
                            Some((*i, label.clone(), rule_ids.get(*member)?.to_string()))
                        })
                        .collect(),
                    guards: summary.guards.clone(),
                };
                let line = lines.get(name.as_str()).copied().unwrap_or(1);
                (name.clone(), (line, exported))
            })
            .filter(|(_, (_, e))| !e.is_empty())
            .collect()
    }

    /// Whether the file holds a source of `members` (rules sharing their sources).
    pub(crate) fn has_sources(
        sem: &'a Semantic<'t>,
        members: &'a [&'a Taint],
        matches: &'a dyn Fn(&[codeguard_rules::Condition], Node<'t>) -> bool,
    ) -> bool {
        // The file's own analysis of these rules may have found out already.
        if let Some(found) = members
            .first()
            .and_then(|m| sem.sources_checked(&m.sources_key))
        {
            return found;
        }
        let analysis = Analysis::new(sem, members, matches);
        analysis.has_any_source(sem.functions())
    }

    /// Analyses the file once for all `members` (rules with the same sources; at most 64,
    /// with their rule ids), knowing what the `imported` functions of other files do.
    pub(crate) fn run(
        sem: &'a Semantic<'t>,
        members: &'a [&'a Taint],
        rule_ids: &[&str],
        matches: &'a dyn Fn(&[codeguard_rules::Condition], Node<'t>) -> bool,
        imported: Option<&ImportedFunctions>,
    ) -> Vec<FlowHit<'t>> {
        let mut analysis = Analysis::new(sem, members, matches);
        if let (Some(imported), Some(first)) = (imported, members.first()) {
            analysis.import(imported, &first.sources_key, rule_ids);
        }
        let functions = sem.functions();
        // No source anywhere in the file (the usual case): nothing can flow, skip the passes.
        let found = analysis.has_any_source(functions);
        if imported.is_none()
            && let Some(first) = members.first()
        {
            sem.note_sources(&first.sources_key, found);
        }
        if !found {
            return Vec::new();
        }
        // Only a function some call here names can lend its summary (see `helper_summary`).
        let called = analysis.helper_names();
        analysis.summarise(functions, Some(&called));
        analysis.analyse(functions);
        analysis.hits
    }

    /// The names [`Analysis::helper_summary`] looks up for the calls of the file.
    fn helper_names(&self) -> HashSet<String> {
        let sem = self.sem;
        sem.all_calls()
            .into_iter()
            .filter_map(|call| {
                let names = sem.call_names(call);
                let first = names.first()?;
                Some(helper_name(first).to_string())
            })
            .collect()
    }

    /// Takes the summaries of imported functions for this source set, with sink labels that
    /// say where the sink is.
    fn import(&mut self, imported: &ImportedFunctions, sources_key: &str, rule_ids: &[&str]) {
        for (name, function) in imported {
            let Some(exported) = function
                .summaries
                .get(&crate::project_flow::key_hash(sources_key))
            else {
                continue;
            };
            let summary = Summary {
                imported: true,
                // Another file's parameters are matched by position only.
                param_names: Vec::new(),
                returns: exported.returns.as_ref().map(|r| Tainted {
                    origin: match r {
                        ExportedReturn::Source(label) => Origin::Source {
                            start: 0,
                            label: Some(format!(
                                "{} returned by {}",
                                label.as_deref().unwrap_or("a source"),
                                function.location
                            )),
                        },
                        ExportedReturn::Param(i) => Origin::Param(*i),
                    },
                    steps: Vec::new(),
                    sanitized: 0,
                }),
                param_sinks: exported
                    .param_sinks
                    .iter()
                    .filter_map(|(i, label, rule)| {
                        let member = rule_ids.iter().position(|r| r == rule)?;
                        let label = format!(
                            "{} in {}",
                            label.as_deref().unwrap_or("a sink"),
                            function.location
                        );
                        Some((*i, Some(label), member))
                    })
                    .collect(),
                guards: exported.guards.clone(),
            };
            self.imported.insert(name.clone(), summary);
        }
    }

    /// Summaries (one level, as the catalog asks: a helper of a helper is not followed),
    /// with parameters tainted symbolically.
    fn summarise(&mut self, functions: &[Node<'t>], only: Option<&HashSet<String>>) {
        let sem = self.sem;
        let analysis = self;
        for f in functions {
            if let Some(name) = f.field("name") {
                analysis.functions.insert(sem.text(name).to_string(), *f);
            }
        }
        analysis.summarising = true;
        for f in functions {
            let Some(name) = f
                .field("name")
                .map(|n| sem.text(n).to_string())
                .filter(|n| only.is_none_or(|only| only.contains(n)))
            else {
                continue;
            };
            analysis.current = Summary {
                param_names: analysis.params(*f),
                ..Summary::default()
            };
            let mut state = State::new();
            for (i, param) in analysis.params(*f).into_iter().enumerate() {
                state.insert(
                    param,
                    Tainted {
                        origin: Origin::Param(i),
                        steps: Vec::new(),
                        sanitized: 0,
                    },
                );
            }
            if let Some(body) = f.field("body") {
                analysis.body(body, &mut state);
            }
            let summary = std::mem::take(&mut analysis.current);
            analysis.summaries.insert(name, summary);
        }
        analysis.summarising = false;
    }

    /// Module code, whose state the functions start from; then every function with its
    /// parameters clean (or tainted, for tool and handler parameters).
    fn analyse(&mut self, functions: &[Node<'t>]) {
        let sem = self.sem;
        let analysis = self;
        let mut module_state = State::new();
        analysis.block(sem.root, &mut module_state);
        for f in functions {
            let mut state = module_state.clone();
            let tool = analysis.tool_parameters(*f);
            let callback = analysis.callback_parameters(*f);
            let first_param = analysis.param_nodes(*f).first().map(|(_, p)| p.id());
            for (param, node) in analysis.param_nodes(*f) {
                state.remove(&param);
                // A handler passed to a registration call (`server.tool("x", schema, async
                // ({path}) => ...)`): its first parameter holds what the model chose; the
                // others are the framework's (`extra`).
                let callback = callback.filter(|_| Some(node.id()) == first_param);
                // Parameters of a function registered as a model tool (`@mcp.tool()`, `@tool`)
                // are chosen by the model; typed ones (request extractors) by the sender.
                let source = tool
                    .or(callback)
                    .filter(|(_, endpoint)| !analysis.injected(endpoint, node))
                    .map(|(start, endpoint)| (start, endpoint.label.clone()))
                    .or_else(|| {
                        analysis
                            .typed_parameter_source(node)
                            .map(|label| (node.start_byte(), label))
                    });
                if let Some((start, label)) = source {
                    state.insert(
                        param,
                        Tainted {
                            origin: Origin::Source { start, label },
                            steps: Vec::new(),
                            sanitized: 0,
                        },
                    );
                }
            }
            if let Some(body) = f.field("body") {
                analysis.body(body, &mut state);
            }
        }
    }

    /// When a `parameter` source's conditions match one of the function's decorators (Python)
    /// or outer attributes (Rust, `#[tool(...)]`): where it is and the source's label.
    fn tool_parameters(&self, f: Node<'t>) -> Option<(usize, &'a TaintEndpoint)> {
        self.tool_method_parameters(f)
            .or_else(|| self.decorated_tool_parameters(f))
    }

    /// When `f` is passed as an argument to a call matching a `callback_parameter` source's
    /// conditions (`server.tool(name, schema, handler)`): where that call is and the source.
    fn callback_parameters(&self, f: Node<'t>) -> Option<(usize, &'a TaintEndpoint)> {
        let mut endpoints = self
            .sources()
            .iter()
            .filter(|e| e.kinds.iter().any(|k| k == "callback_parameter"))
            .peekable();
        endpoints.peek()?;
        let arguments = f.parent()?;
        let call = arguments.parent()?;
        if self.sem.arguments(call).map(|a| a.id()) != Some(arguments.id()) {
            return None;
        }
        endpoints
            .find(|e| (self.matches)(&e.conditions, call))
            .map(|e| (call.start_byte(), &**e))
    }

    /// A parameter the framework fills in (`ctx: Context`), per the source's `injected-types`.
    fn injected(&self, endpoint: &TaintEndpoint, param: Node<'t>) -> bool {
        endpoint.injected_types.as_ref().is_some_and(|types| {
            param
                .field("type")
                .is_some_and(|t| types.is_match(self.sem.text(t)))
        })
    }

    /// When `f` is one of a `method_parameter` source's methods and a base class of its class
    /// matches the source's conditions (`class Search(BaseTool): def _run(self, query)`).
    fn tool_method_parameters(&self, f: Node<'t>) -> Option<(usize, &'a TaintEndpoint)> {
        let name = self.sem.text(f.field("name")?);
        let mut endpoints = self
            .sources()
            .iter()
            .filter(|e| e.kinds.iter().any(|k| k == "method_parameter"))
            .filter(|e| e.methods.iter().any(|m| m == name))
            .peekable();
        endpoints.peek()?;
        let bases = self.sem.class_bases(f);
        endpoints.find_map(|e| {
            bases
                .iter()
                .find(|b| (self.matches)(&e.conditions, **b))
                .map(|b| (b.start_byte(), &**e))
        })
    }

    fn decorated_tool_parameters(&self, f: Node<'t>) -> Option<(usize, &'a TaintEndpoint)> {
        let markers = self.sem.function_markers(f);
        if markers.is_empty() {
            return None;
        }
        self.sources()
            .iter()
            .filter(|e| e.kinds.iter().any(|k| k == "parameter"))
            .find_map(|e| {
                markers
                    .iter()
                    .find(|d| (self.matches)(&e.conditions, **d))
                    .map(|d| (d.start_byte(), &**e))
            })
    }

    fn params(&self, f: Node<'t>) -> Vec<String> {
        self.param_nodes(f)
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    /// The names a function's parameters bind, with the parameter node each comes from.
    fn param_nodes(&self, f: Node<'t>) -> Vec<(String, Node<'t>)> {
        let syntax = self.sem.syntax;
        syntax
            .parameters(f)
            .into_iter()
            .map(|(ident, p)| (self.sem.text(ident).to_string(), p))
            .filter(|(name, _)| !syntax.is_receiver_parameter(name))
            .collect()
    }

    /// A `typed_parameter` source matching this parameter node (e.g. axum's `Json(body):
    /// Json<T>` extractor): the source's label.
    fn typed_parameter_source(&self, param: Node<'t>) -> Option<Option<String>> {
        self.sources()
            .iter()
            .filter(|e| e.kinds.iter().any(|k| k == "typed_parameter"))
            .find(|e| (self.matches)(&e.conditions, param))
            .map(|e| e.label.clone())
    }

    /// Visits a function's or a branch's body: a block, or one statement or expression.
    fn body(&mut self, node: Node<'t>, state: &mut State) {
        if self.sem.syntax.is_block(node.kind_name()) || node.id() == self.sem.root.id() {
            self.block(node, state);
        } else {
            self.statement(node, state);
        }
    }

    /// Visits the statements under `node` in order (not nested functions or classes).
    fn block(&mut self, node: Node<'t>, state: &mut State) {
        let children = self.sem.named_children_of(node);
        for child in children.iter() {
            self.statement(*child, state);
        }
    }

    fn statement(&mut self, node: Node<'t>, state: &mut State) {
        if self.sem.out_of_time() {
            return;
        }
        // Statements nest as deep as the input does (`else if` chains 100,000 long): past
        // MAX_NESTING the rest is checked for sinks with the state as it is, without
        // following assignments in order (no recursion that grows with the input).
        if self.nesting >= MAX_NESTING {
            self.sinks_in(node, state);
            return;
        }
        self.nesting += 1;
        self.statement_at(node, state);
        self.nesting -= 1;
    }

    fn statement_at(&mut self, node: Node<'t>, state: &mut State) {
        let syntax = self.sem.syntax;
        if syntax.is_block(node.kind_name()) {
            self.block(node, state);
            return;
        }
        match syntax.statement(node) {
            Statement::Inert => {}
            Statement::Evaluates(parts) => {
                for part in parts {
                    self.sinks_in(part, state);
                }
            }
            Statement::Expressions(parts) => {
                for part in parts {
                    self.expression_statement(part, state);
                }
            }
            Statement::Declarations(declarations) => {
                let single = declarations.len() == 1;
                for (pattern, value) in declarations {
                    let Some(value) = value else {
                        continue;
                    };
                    self.sinks_in(value, state);
                    let t = self.taint_of(value, state);
                    let at = if single {
                        node.start_byte()
                    } else {
                        pattern.start_byte()
                    };
                    self.bind(pattern, t, state, at);
                }
            }
            Statement::Return(value) => {
                self.sinks_in(node, state);
                if let Some(value) = value
                    && let Some(t) = self.taint_of(value, state)
                    && self.current.returns.is_none()
                {
                    self.current.returns = Some(t);
                }
            }
            // Allow-list guards: `if x not in ALLOWED: raise` (and `if not re.fullmatch(..., x)`)
            // clean `x` after the `if`; `if x in ALLOWED:` cleans it inside the branch.
            Statement::If => {
                let guard = node
                    .field("condition")
                    .and_then(|c| self.allow_list_guard(c, state));
                let consequence = node.field("consequence");
                match guard {
                    Some((name, false)) => {
                        let saved = state.remove(&name);
                        if let Some(body) = consequence {
                            self.body(body, state);
                        }
                        if let Some(t) = saved {
                            state.insert(name, t);
                        }
                        self.children_blocks_after_consequence(node, consequence, state);
                    }
                    Some((name, true)) => {
                        self.children_blocks(node, state, true);
                        let exits = consequence.is_some_and(|b| always_exits(self.sem, b));
                        if exits {
                            let removed = state.remove(&name);
                            // A helper's top-level check of its parameter guards its callers.
                            if self.summarising
                                && self.nesting <= 1
                                && let Some(Tainted {
                                    origin: Origin::Param(i),
                                    ..
                                }) = removed
                            {
                                self.current.guards.push(i);
                            }
                        }
                    }
                    None => self.children_blocks(node, state, true),
                }
            }
            Statement::For { target, iterable } => {
                if let Some(iterable) = iterable {
                    self.sinks_in(iterable, state);
                    let t = self.taint_of(iterable, state);
                    if let Some(target) = target {
                        self.bind(target, t, state, node.start_byte());
                    }
                }
                self.children_blocks(node, state, false);
            }
            Statement::With(items) => {
                for (value, alias) in items {
                    self.sinks_in(value, state);
                    let t = self.taint_of(value, state);
                    self.bind(alias, t, state, value.start_byte());
                }
                self.children_blocks(node, state, false);
            }
            Statement::Expression => {
                self.sinks_in(node, state);
                let is_tail = node.next_named_sibling().is_none()
                    && node
                        .parent()
                        .and_then(|b| b.parent())
                        .is_some_and(|f| syntax.is_function(f.kind_name()));
                if is_tail
                    && self.current.returns.is_none()
                    && let Some(t) = self.taint_of(node, state)
                {
                    self.current.returns = Some(t);
                }
            }
            // Compound statements: headers may call sinks; blocks are visited in order.
            Statement::Compound => self.children_blocks(node, state, true),
        }
    }

    /// `x in ALLOWED` / `x not in ALLOWED` / `[not] re.fullmatch(pattern, x)` where `x` is a
    /// tainted name and the allow-list is not tainted: the name, and whether the condition is
    /// negated (the branch runs for values outside the list).
    fn allow_list_guard(&self, condition: Node<'t>, state: &State) -> Option<(String, bool)> {
        let sem = self.sem;
        let syntax = sem.syntax;
        let mut condition = condition;
        while let Some(inner) = syntax.same_value(condition) {
            condition = inner;
        }
        let (inner, negated) = match syntax.negated(condition) {
            Some(argument) => {
                let mut argument = argument;
                while let Some(inner) = syntax.same_value(argument) {
                    argument = inner;
                }
                (argument, true)
            }
            None => (condition, false),
        };
        // A name or attribute whose value the state tracks.
        let tracked = |n: Node<'t>| {
            (syntax.is_name(n.kind_name()) || syntax.member(n).is_some())
                && state.contains_key(sem.text(n))
        };
        // `if url and is_safe(url):` holds both parts in its body; `if not url or not
        // is_safe(url): return` holds both after it.
        if let Some((and, left, right)) = syntax.boolean(sem, inner) {
            if negated {
                return None;
            }
            let wanted = !and;
            return [left, right]
                .into_iter()
                .filter_map(|operand| self.allow_list_guard(operand, state))
                .find(|(_, after)| *after == wanted);
        }
        if let Some((left, operators, right)) = syntax.comparison(sem, inner) {
            let not_in = match operators.as_slice() {
                ["in"] => false,
                ["not", "in"] | ["not in"] => true,
                // `Path(p).resolve().parent != ROOT: raise`, `mode == "read"`: equal to a
                // value the code chose.
                [op @ ("==" | "!=")] => {
                    let mut checked = left;
                    // Down a chain of calls and attributes to the name it starts from.
                    for _ in 0..8 {
                        checked = if let Some((object, _)) = syntax.member(checked) {
                            object
                        } else if sem.is_call(checked) {
                            // Methods of the value, and the path wrappers (`len(x) == 3`
                            // says nothing of what `x` holds).
                            match sem.receiver(checked) {
                                Some(receiver) => receiver,
                                None if sem.call_names(checked).iter().any(|n| {
                                    matches!(
                                        n.as_str(),
                                        "Path"
                                            | "pathlib.Path"
                                            | "str"
                                            | "os.path.realpath"
                                            | "os.path.abspath"
                                            | "os.path.normpath"
                                            | "os.path.dirname"
                                            | "path.resolve"
                                            | "path.normalize"
                                            | "path.dirname"
                                    )
                                }) =>
                                {
                                    sem.positional(checked, 0)?
                                }
                                None => return None,
                            }
                        } else {
                            break;
                        };
                    }
                    let name = sem.text(checked).to_string();
                    return (syntax.is_name(checked.kind_name())
                        && state.contains_key(&name)
                        && self.taint_of(right, state).is_none())
                    .then_some((name, (*op == "!=") != negated));
                }
                _ => return None,
            };
            let name = sem.text(left).to_string();
            return (tracked(left) && self.taint_of(right, state).is_none())
                .then_some((name, not_in != negated));
        }
        if !sem.is_call(inner) {
            return None;
        }
        // `p.is_relative_to(ROOT)`, `str(p).startswith(root)`, `p.startsWith(root)`: a path
        // kept inside a folder the code chose.
        if matches!(
            sem.method_name(inner),
            Some("is_relative_to" | "startswith" | "startsWith")
        ) && let Some(receiver) = sem.receiver(inner)
        {
            let receiver = self.checked_path(receiver, state)?;
            let name = sem.text(receiver).to_string();
            let bound = sem.positional(inner, 0)?;
            return (tracked(receiver) && self.taint_of(bound, state).is_none())
                .then_some((name, negated));
        }
        // `ALLOWED.includes(x)`, `allowed.has(x)`: membership in a list the code chose.
        if matches!(sem.method_name(inner), Some("includes" | "has"))
            && let (Some(list), Some(value)) = (sem.receiver(inner), sem.positional(inner, 0))
        {
            let name = sem.text(value).to_string();
            return (tracked(value) && self.taint_of(list, state).is_none())
                .then_some((name, negated));
        }
        // `if url_has_allowed_host_and_scheme(url, ...)`: a rule's sanitizer used as a check
        // guards the name it checks.
        if self.sanitizer_mask(inner) != 0 {
            let checked = sem.arguments(inner).and_then(|args| {
                sem.named_children_of(args)
                    .iter()
                    .filter_map(|a| match syntax.argument(*a) {
                        Argument::Positional(value) | Argument::Keyword { value, .. } => {
                            Some(value)
                        }
                        _ => None,
                    })
                    .find(|a| tracked(*a))
            });
            if let Some(checked) = checked {
                return Some((sem.text(checked).to_string(), negated));
            }
        }
        let names = sem.call_names(inner);
        if !names.iter().any(|n| n == "re.fullmatch" || n == "re.match") {
            return None;
        }
        let pattern = sem.positional(inner, 0)?;
        let value = sem.positional(inner, 1)?;
        let name = sem.text(value).to_string();
        (sem.constant(pattern).is_some() && tracked(value)).then_some((name, negated))
    }

    /// The name a path check checks: `str(p)`, `p.resolve()`, `(ROOT / p).resolve()` and
    /// `Path(p).resolve()` check `p` (joined only to values the code chose).
    fn checked_path(&self, node: Node<'t>, state: &State) -> Option<Node<'t>> {
        let sem = self.sem;
        let syntax = sem.syntax;
        let mut node = node;
        for _ in 0..8 {
            if let Some(inner) = syntax.same_value(node) {
                node = inner;
            } else if let Some((left, _, right)) = syntax.binary(node) {
                // `ROOT / p`: the tainted side, when the other is clean.
                node = match (
                    self.taint_of(left, state).is_some(),
                    self.taint_of(right, state).is_some(),
                ) {
                    (true, false) => left,
                    (false, true) => right,
                    _ => return None,
                };
            } else if sem.is_call(node) {
                node = match sem.receiver(node) {
                    Some(receiver) => receiver,
                    None if sem.call_names(node).iter().any(|n| {
                        matches!(
                            n.as_str(),
                            "str" | "String" | "Path" | "pathlib.Path" | "os.path.realpath"
                        )
                    }) =>
                    {
                        sem.positional(node, 0)?
                    }
                    None => return None,
                };
            } else {
                break;
            }
        }
        Some(node)
    }

    /// The `elif`/`else` clauses of an `if` after its consequence was visited separately.
    fn children_blocks_after_consequence(
        &mut self,
        node: Node<'t>,
        consequence: Option<Node<'t>>,
        state: &mut State,
    ) {
        let syntax = self.sem.syntax;
        let children = self.sem.named_children_of(node);
        for &child in children.iter() {
            if consequence.is_some_and(|c| c.id() == child.id()) {
                continue;
            }
            if syntax.is_clause(child.kind_name()) {
                self.statement(child, state);
            } else if !syntax.is_block(child.kind_name()) {
                self.sinks_in(child, state);
            }
        }
    }

    /// Visits the blocks and clauses of a compound statement in order; with `headers`, the
    /// other children (conditions, iterables) are checked for sinks too.
    fn children_blocks(&mut self, node: Node<'t>, state: &mut State, headers: bool) {
        let syntax = self.sem.syntax;
        let children = self.sem.named_children_of(node);
        for &child in children.iter() {
            if syntax.is_block(child.kind_name()) {
                self.block(child, state);
            } else if syntax.is_clause(child.kind_name()) {
                self.statement(child, state);
            } else if headers {
                self.sinks_in(child, state);
            }
        }
    }

    fn expression_statement(&mut self, node: Node<'t>, state: &mut State) {
        match self.sem.syntax.assignment(node) {
            Some((left, right, augmented)) => {
                self.sinks_in(right, state);
                // The assignment itself may be a sink (`el.innerHTML = html`).
                if self.other_sink_kinds.contains(&node.kind_name()) {
                    self.check_other_sink(node, state);
                }
                // `d = {"api_key": secret, "caching": True}`: field by field, as if each were
                // assigned on its own (`d["caching"]` stays clean).
                if !augmented
                    && self.sem.syntax.is_name(left.kind_name())
                    && let Some(fields) = self.literal_fields(right, state)
                {
                    self.bind(left, None, state, node.start_byte());
                    let container = self.sem.text(left);
                    for (key, t) in fields {
                        state.insert(some_field(container), t.through(node.start_byte()));
                        state.insert(field_name(container, &key), t.through(node.start_byte()));
                    }
                    return;
                }
                let t = self.taint_of(right, state);
                // `x += clean` keeps x's taint; `x = clean` clears it.
                if t.is_some() || !augmented {
                    self.bind(left, t, state, node.start_byte());
                }
            }
            None => {
                self.sinks_in(node, state);
                self.apply_helper_guards(node, state);
            }
        }
    }

    /// The summary of the function `call` calls: a same-file function (by its last name),
    /// or one imported from another project file (by its qualified name).
    fn helper_summary(&self, call: Node<'t>) -> Option<&Summary> {
        let names = self.sem.call_names(call);
        let name = helper_name(names.first()?);
        if self.functions.contains_key(name) {
            return self.summaries.get(name);
        }
        if self.imported.is_empty() {
            return None;
        }
        names.iter().find_map(|n| self.imported.get(n))
    }

    /// `validate_path(p)` as a statement, where the same-file helper returns or raises unless
    /// its parameter passes a check: `p` is clean after it.
    fn apply_helper_guards(&self, expression: Node<'t>, state: &mut State) {
        let sem = self.sem;
        let mut call = expression;
        while let Some(inner) = sem.syntax.awaited(call) {
            call = inner;
        }
        if !sem.is_call(call) {
            return;
        }
        let Some(summary) = self.helper_summary(call) else {
            return;
        };
        for i in &summary.guards {
            if let Some(arg) = summary.argument(sem, call, *i)
                && (sem.syntax.is_name(arg.kind_name()) || sem.syntax.member(arg).is_some())
            {
                state.remove(sem.text(arg));
            }
        }
    }

    /// Binds the names of an assignment target to `t` (or clears them). An explicit stack:
    /// targets (`[[[a]]] = x`, nested tuple patterns) nest as deep as the input does.
    fn bind(&mut self, target: Node<'t>, t: Option<Tainted>, state: &mut State, at: usize) {
        let syntax = self.sem.syntax;
        let mut stack = vec![target];
        while let Some(target) = stack.pop() {
            let kind = target.kind_name();
            if syntax.is_name(kind)
                || syntax.is_binding_name(kind)
                || syntax.is_self(kind)
                || syntax.member(target).is_some()
            {
                {
                    let key = self.sem.text(target).to_string();
                    // A new value replaces what its fields held (fields are only recorded
                    // with the `[*]` marker, so most bindings skip the scan).
                    if state.remove(&some_field(&key)).is_some() {
                        state.retain(|k, _| !is_field_of(k, &key));
                    }
                    match &t {
                        Some(t) => {
                            state.insert(key, t.through(at));
                        }
                        None => {
                            state.remove(&key);
                        }
                    }
                }
            } else if let Some((value, _)) = syntax.index(target) {
                {
                    // `d["k"] = tainted` taints that field (`d["other"]` stays clean) and the
                    // container as a whole (`log(d)`); any other key taints the container.
                    match (self.field_key(target), &t) {
                        (Some((container, field)), Some(t)) => {
                            state.insert(field, t.through(at));
                            state.insert(some_field(&container), t.through(at));
                        }
                        (Some((_, field)), None) => {
                            state.remove(&field);
                        }
                        (None, Some(_)) => stack.push(value),
                        (None, None) => {}
                    }
                }
            } else {
                stack.extend(target.each_named_child());
            }
        }
    }

    /// The tainted fields of a dict or object literal whose keys are all constants; `None`
    /// for other values (a spread, a computed key).
    fn literal_fields(&self, value: Node<'t>, state: &State) -> Option<Vec<(String, Tainted)>> {
        let entries = self.sem.syntax.entries(value)?;
        let mut fields = Vec::new();
        for entry in entries {
            let crate::syntax::Entry::Pair { key, value, bare } = entry else {
                return None;
            };
            let key = if bare {
                self.sem.text(key).to_string()
            } else {
                self.constant_key(key)?
            };
            if let Some(t) = self.taint_of(value, state) {
                fields.push((key, t));
            }
        }
        Some(fields)
    }

    /// For `d["k"]` (a name or attribute indexed by a constant string): the container's state
    /// key and the field's.
    fn field_key(&self, subscript: Node<'t>) -> Option<(String, String)> {
        let syntax = self.sem.syntax;
        let (value, index) = syntax.index(subscript)?;
        if !(syntax.is_name(value.kind_name()) || syntax.member(value).is_some()) {
            return None;
        }
        let index = index?;
        let key = self.constant_key(index)?;
        let container = self.sem.text(value).to_string();
        let field = field_name(&container, &key);
        Some((container, field))
    }

    fn constant_key(&self, node: Node<'t>) -> Option<String> {
        match self.sem.constant(node)? {
            crate::semantic::Constant::Str(s) => Some(s),
            _ => None,
        }
    }

    fn sources(&self) -> &'a [std::sync::Arc<TaintEndpoint>] {
        &self.members[0].sources
    }

    /// The members whose sanitizers match `node`.
    fn sanitizer_mask(&self, node: Node<'t>) -> u64 {
        let mut mask = 0;
        for (i, member) in self.members.iter().enumerate() {
            if self.endpoint_matches(&member.sanitizers, node).is_some() {
                mask |= 1 << i;
            }
        }
        mask
    }

    fn has_any_source(&self, functions: &[Node<'t>]) -> bool {
        // An imported function that returns a source (the call is found when analysed).
        if self.imported.values().any(|s| {
            matches!(
                s.returns,
                Some(Tainted {
                    origin: Origin::Source { .. },
                    ..
                })
            )
        }) {
            return true;
        }
        if functions.iter().any(|f| {
            self.tool_parameters(*f)
                .or(self.callback_parameters(*f))
                .is_some()
        }) {
            return true;
        }
        if self
            .sources()
            .iter()
            .any(|e| e.kinds.iter().any(|k| k == "typed_parameter"))
            && functions.iter().any(|f| {
                self.param_nodes(*f)
                    .iter()
                    .any(|(_, p)| self.typed_parameter_source(*p).is_some())
            })
        {
            return true;
        }
        // Asked once per source and file: the rules of a source set share its sources.
        self.sources().iter().any(|e| {
            self.sem.holds_source_of(e, || {
                e.kinds
                    .iter()
                    .filter(|k| {
                        !matches!(
                            k.as_str(),
                            "parameter"
                                | "typed_parameter"
                                | "method_parameter"
                                | "callback_parameter"
                        )
                    })
                    .any(|kind| {
                        // Conditions on the node's own text give one answer per text: a
                        // text seen before (`self.args` a hundred times) is not asked again.
                        // Long texts are not remembered: hashing every node of a chain nested
                        // 100,000 deep would cost the square of its length.
                        let by_text = e.conditions.iter().all(on_own_text);
                        let mut seen: HashSet<&str> = HashSet::default();
                        self.candidates(e, kind).iter().any(|n| {
                            let text = self.sem.text(*n);
                            (!by_text || text.len() > MAX_REMEMBERED_TEXT || seen.insert(text))
                                && (self.matches)(&e.conditions, *n)
                        })
                    })
            })
        })
    }

    /// The nodes of `kind` that can be sources of `endpoint`: the calls its `method` or
    /// `calls` condition names, found in the file's index of calls (testing every call of a
    /// large file against every source was a quarter of a language-server edit), else all.
    fn candidates(&self, endpoint: &TaintEndpoint, kind: &str) -> Vec<Node<'t>> {
        let sem = self.sem;
        if sem.syntax.is_call(kind) {
            for condition in &endpoint.conditions {
                let calls = match condition {
                    codeguard_rules::Condition::Method(names) => sem.calls_by_method(names),
                    codeguard_rules::Condition::Calls { matcher, .. }
                        if !matcher.through_constructor =>
                    {
                        sem.calls_named(matcher)
                    }
                    _ => continue,
                };
                return calls
                    .into_iter()
                    .filter(|c| c.kind_name() == kind)
                    .collect();
            }
        }
        sem.nodes_of_kind(kind)
    }

    fn endpoint_matches(
        &self,
        endpoints: &[std::sync::Arc<TaintEndpoint>],
        node: Node<'t>,
    ) -> Option<Option<String>> {
        endpoints
            .iter()
            .find(|e| {
                e.kinds.iter().any(|k| k == node.kind_name()) && (self.matches)(&e.conditions, node)
            })
            .map(|e| e.label.clone())
    }

    fn union(&self, nodes: impl Iterator<Item = Node<'t>>, state: &State) -> Option<Tainted> {
        let mut found = None;
        for n in nodes {
            if let Some(t) = self.taint_of(n, state) {
                // Prefer a real source over a parameter.
                if matches!(t.origin, Origin::Source { .. }) {
                    return Some(t);
                }
                found.get_or_insert(t);
            }
        }
        found
    }

    /// A URL whose scheme and host come from a clean value before any tainted part:
    /// `f"{url}?{query}"` with `url` from `reverse(...)`, `base + "/" + path`, `f"/users/{id}"`.
    /// Tainted text after a `/`, `?` or `#` the code wrote can change the path or the query,
    /// not the host.
    fn host_chosen_by_code(&self, target: Node<'t>, state: &State) -> bool {
        let sem = self.sem;
        let syntax = sem.syntax;
        let target = if syntax.is_name(target.kind_name()) {
            match sem.binding(target) {
                Some(value) => value,
                None => return false,
            }
        } else {
            target
        };
        // `new URL("/thanks/" + id, request.url)`: a path resolved against a base the code
        // chose keeps the base's host.
        if sem.is_call(target)
            && sem
                .call_names(target)
                .iter()
                .any(|n| n == "URL" || n == "url.URL")
            && let (Some(relative), Some(base)) =
                (sem.positional(target, 0), sem.positional(target, 1))
        {
            return self.taint_of(base, state).is_none()
                && self.host_chosen_by_code(relative, state);
        }
        // The parts in order: literal text, or an expression.
        let mut parts: Vec<Result<String, Node<'t>>> = Vec::new();
        let mut pending = vec![target];
        while let Some(node) = pending.pop() {
            if let Some((left, op, right)) = syntax.binary(node)
                && sem.text(op) == "+"
            {
                pending.extend([right, left]);
            } else if let Some(string) = syntax.string(node) {
                for part in string {
                    match part {
                        crate::syntax::StringPart::Text(text) => {
                            parts.push(Ok(sem.text(text).to_string()));
                        }
                        crate::syntax::StringPart::Value(Some(e)) => parts.push(Err(e)),
                        crate::syntax::StringPart::Value(None) => {}
                    }
                }
            } else {
                parts.push(Err(node));
            }
        }
        let mut leading = String::new();
        for (i, part) in parts.iter().enumerate() {
            match part {
                Ok(text) => {
                    leading.push_str(text);
                    // A literal start must be a path on this host: `/x`, never `//host`.
                    let literal_start = i == 0 || parts[..i].iter().all(Result::is_ok);
                    if literal_start {
                        let on_this_host = leading.starts_with('/')
                            && !leading.starts_with("//")
                            && !leading.starts_with("/\\")
                            && leading.len() > 1;
                        if on_this_host {
                            return true;
                        }
                    } else if text.contains(['/', '?', '#']) {
                        return true;
                    }
                }
                Err(expr) => {
                    if self.taint_of(*expr, state).is_some() {
                        return false;
                    }
                    if parts[..i].iter().all(Result::is_ok) && !leading.is_empty() {
                        // A literal start that is not a path (`"https://" + host`).
                        return false;
                    }
                }
            }
        }
        false
    }

    fn taint_of(&self, node: Node<'t>, state: &State) -> Option<Tainted> {
        self.taint_depth(node, state, 0)
    }

    fn taint_depth(&self, node: Node<'t>, state: &State, depth: usize) -> Option<Tainted> {
        if depth > 24 {
            return None;
        }
        let cached = self.endpoint_cache.borrow().get(&node.id()).cloned();
        let (sanitized, source) = cached.unwrap_or_else(|| {
            let entry = (
                self.sanitizer_mask(node),
                self.endpoint_matches(self.sources(), node),
            );
            self.endpoint_cache
                .borrow_mut()
                .insert(node.id(), entry.clone());
            entry
        });
        let everyone = if self.members.len() >= 64 {
            u64::MAX
        } else {
            (1u64 << self.members.len()) - 1
        };
        if sanitized == everyone {
            return None;
        }
        if let Some(label) = source {
            return Some(Tainted {
                origin: Origin::Source {
                    start: node.start_byte(),
                    label,
                },
                steps: Vec::new(),
                sanitized,
            });
        }
        let mut tainted = self.taint_inner(node, state, depth)?;
        tainted.sanitized |= sanitized;
        Some(tainted)
    }

    fn taint_inner(&self, node: Node<'t>, state: &State, depth: usize) -> Option<Tainted> {
        let sem = self.sem;
        let sub = |n: Node<'t>| self.taint_depth(n, state, depth + 1);
        // `"set" if token else "missing"`: the condition picks a value, it is not one.
        if let Some((a, b)) = sem.syntax.conditional(node) {
            return self.union([a, b].into_iter(), state);
        }
        match sem.syntax.value(node) {
            Value::Name => {
                let name = sem.text(node);
                state
                    .get(name)
                    .or_else(|| state.get(&some_field(name)))
                    .cloned()
            }
            Value::Member(object) => state.get(sem.text(node)).cloned().or_else(|| sub(object)),
            Value::Index(value) => {
                match self.field_key(node) {
                    // `d["k"]` where fields of `d` were assigned: that field, or `d` if it is
                    // tainted as a whole.
                    Some((container, field)) if state.contains_key(&some_field(&container)) => {
                        state.get(&field).or_else(|| state.get(&container)).cloned()
                    }
                    _ => sub(value),
                }
            }
            Value::Call => self.call_taint(node, state, depth),
            Value::Macro => {
                // format!("..{x}..", y): the names inside the token tree.
                let mut found = sem
                    .syntax
                    .macro_values(sem, node)
                    .into_iter()
                    .find_map(|ident| state.get(sem.text(ident)).cloned());
                if found.is_none() {
                    // Inline `{name}` captures in the format string.
                    let text = sem.text(node);
                    for (name, t) in state {
                        if text.contains(&format!("{{{name}}}"))
                            || text.contains(&format!("{{{name}:"))
                        {
                            found = Some(t.clone());
                            break;
                        }
                    }
                }
                found
            }
            Value::Of(inner) => sub(inner),
            Value::Composite => {
                let children: Vec<Node<'t>> = node.each_named_child().collect();
                self.union(children.into_iter(), state)
            }
            Value::Opaque => None,
        }
    }

    fn call_taint(&self, call: Node<'t>, state: &State, depth: usize) -> Option<Tainted> {
        let sem = self.sem;
        // `d.get("k")` reads one field, as `d["k"]` does: that field when fields of `d` were
        // assigned (the secret in `kwargs["api_key"]` is not in `kwargs.get("caching")`).
        if sem.method_name(call) == Some("get")
            && let Some(receiver) = sem.receiver(call)
            && (sem.syntax.is_name(receiver.kind_name()) || sem.syntax.member(receiver).is_some())
            && let Some(key) = sem.positional(call, 0).and_then(|k| self.constant_key(k))
        {
            let container = sem.text(receiver);
            if state.contains_key(&some_field(container)) {
                return state
                    .get(&field_name(container, &key))
                    .or_else(|| state.get(container))
                    .cloned();
            }
        }
        let names = sem.call_names(call);
        // A helper of this file or an imported one: its summary says what its result carries.
        if let Some(summary) = self.helper_summary(call) {
            return match &summary.returns {
                Some(Tainted {
                    origin: Origin::Param(i),
                    ..
                }) => summary
                    .argument(sem, call, *i)
                    .and_then(|a| self.taint_depth(a, state, depth + 1)),
                // A source another file's function returns starts at this call.
                Some(
                    t @ Tainted {
                        origin: Origin::Source { label, .. },
                        ..
                    },
                ) if summary.imported => Some(Tainted {
                    origin: Origin::Source {
                        start: call.start_byte(),
                        label: label.clone(),
                    },
                    ..t.clone()
                }),
                other => other.clone(),
            };
        }
        let args = || {
            sem.arguments(call)
                .map(|a| a.each_named_child().collect::<Vec<_>>())
                .unwrap_or_default()
        };
        let syntax = sem.syntax;
        if names
            .iter()
            .any(|n| syntax.propagators().contains(&n.as_str()))
            || self.members[0]
                .propagators
                .iter()
                .any(|p| (self.matches)(&p.conditions, call))
        {
            return self.union(args().into_iter(), state);
        }
        // An object built from tainted data carries it: `Fetch(**arguments)` (a class, by the
        // Python naming convention, unpacking a tainted mapping), `Fetch.model_validate(arguments)`
        // (pydantic). Not `Client(api_key=secret)`: a client holding a key is not the key.
        let last = names
            .first()
            .map(|n| n.rsplit(['.', ':']).next().unwrap_or(n))
            .unwrap_or_default();
        let constructor = syntax.capitalised_calls_construct()
            && last.starts_with(|c: char| c.is_ascii_uppercase())
            && last.chars().any(|c| c.is_ascii_lowercase());
        let validator = matches!(
            last,
            "model_validate" | "model_validate_json" | "parse_obj" | "parse_raw" | "from_dict"
        );
        let unpacked = || {
            args().into_iter().filter(|a| {
                matches!(
                    syntax.argument(*a),
                    Argument::Spread | Argument::KeywordSpread(_)
                )
            })
        };
        let carried = if validator {
            self.union(args().into_iter(), state)
        } else if constructor {
            self.union(unpacked(), state)
        } else {
            None
        };
        if carried.is_some() {
            return carried;
        }
        let function = sem.callee(call)?;
        if let Some((receiver, _)) = syntax.member(function) {
            let method = sem.method_name(call).unwrap_or_default();
            // "sep".join(parts), "..{}".format(x): the arguments flow into the string.
            if matches!(
                method,
                "join" | "format" | "format_map" | "replace" | "encode" | "decode"
            ) && let Some(t) = self.union(args().into_iter(), state)
            {
                return Some(t);
            }
            // `d.get("k")` reads one field, as `d["k"]` does.
            if method == "get"
                && let Some(key) = sem.positional(call, 0).and_then(|k| self.constant_key(k))
                && (syntax.is_name(receiver.kind_name()) || syntax.member(receiver).is_some())
                && state.contains_key(&some_field(sem.text(receiver)))
            {
                let container = sem.text(receiver);
                return state
                    .get(&field_name(container, &key))
                    .or_else(|| state.get(container))
                    .cloned();
            }
            // x.strip(), resp.choices[0].message.content: the receiver's taint.
            return self.taint_depth(receiver, state, depth + 1);
        }
        None
    }

    /// Checks every call inside `node` (not inside nested functions) against the sinks, and
    /// the nodes of other kinds some sinks name (dictionaries, subscripts, macros).
    fn sinks_in(&mut self, node: Node<'t>, state: &State) {
        let calls = self.sem.calls_in(node);
        for call in calls.iter() {
            self.check_sink(*call, state);
        }
        if self.other_sink_kinds.is_empty() {
            return;
        }
        let others = self
            .sem
            .nodes_in(node, |kind| self.other_sink_kinds.contains(&kind));
        for other in others {
            self.check_other_sink(other, state);
        }
    }

    /// A sink that is not a call: the dictionary values under `keys`, a subscript's index, or
    /// the node itself.
    fn check_other_sink(&mut self, node: Node<'t>, state: &State) {
        let members = self.members;
        for (member, taint) in members.iter().enumerate() {
            for sink in taint.sinks.iter() {
                if !sink.kinds.iter().any(|k| k == node.kind_name())
                    || !(self.matches)(&sink.conditions, node)
                {
                    continue;
                }
                let mut targets = Vec::new();
                let syntax = self.sem.syntax;
                if let Some(entries) = syntax.entries(node) {
                    for entry in entries {
                        let crate::syntax::Entry::Pair { key, value, .. } = entry else {
                            continue;
                        };
                        let key = self.sem.text(key).trim_matches(['"', '\'']);
                        if sink.keys.iter().any(|k| k == key) {
                            targets.push(value);
                        }
                    }
                } else if let Some((_, index)) = syntax.index(node) {
                    targets.extend(index);
                } else {
                    targets.push(node);
                }
                for target in targets {
                    if let Some(t) = self
                        .taint_of(target, state)
                        .filter(|t| t.sanitized & (1 << member) == 0)
                    {
                        self.record(target, node, t, sink.label.clone(), member);
                        break;
                    }
                }
            }
        }
    }

    fn check_sink(&mut self, call: Node<'t>, state: &State) {
        let sem = self.sem;
        // A helper that passes a parameter to a sink is a sink for that argument.
        if let Some(summary) = self.helper_summary(call).cloned() {
            for (i, label, member) in &summary.param_sinks {
                if let Some(arg) = summary.argument(sem, call, *i)
                    && let Some(t) = self.taint_of(arg, state)
                {
                    self.record(arg, call, t, label.clone(), *member);
                }
            }
        }
        let members = self.members;
        for (member, taint) in members.iter().enumerate() {
            for (index, sink) in taint.sinks.iter().enumerate() {
                if !sink.kinds.is_empty() && !sink.kinds.iter().any(|k| k == call.kind_name()) {
                    continue;
                }
                let key = (call.id(), member, index);
                let cached = self.sink_cache.borrow().get(&key).copied();
                let is_sink = cached.unwrap_or_else(|| {
                    let value = (self.matches)(&sink.conditions, call);
                    self.sink_cache.borrow_mut().insert(key, value);
                    value
                });
                if !is_sink {
                    continue;
                }
                let mut targets = Vec::new();
                for i in &sink.args {
                    if let Some(arg) = sem.positional(call, *i) {
                        targets.push(arg);
                    }
                }
                for k in &sink.keywords {
                    if let KeywordLookup::Present(value) = sem.keyword(call, k) {
                        targets.push(value);
                    }
                }
                if sink.receiver
                    && let Some(receiver) = sem.receiver(call)
                {
                    targets.push(receiver);
                }
                for target in targets {
                    if sink.url
                        && (sem.has_fixed_host(target) || self.host_chosen_by_code(target, state))
                    {
                        continue;
                    }
                    // A value that went through this rule's sanitizer is clean for its sinks.
                    if let Some(t) = self
                        .taint_of(target, state)
                        .filter(|t| t.sanitized & (1 << member) == 0)
                    {
                        self.record(target, call, t, sink.label.clone(), member);
                        break;
                    }
                }
            }
        }
    }

    fn record(
        &mut self,
        node: Node<'t>,
        call: Node<'t>,
        tainted: Tainted,
        sink_label: Option<String>,
        member: usize,
    ) {
        match (&tainted.origin, self.summarising) {
            (Origin::Param(i), true)
                if !self
                    .current
                    .param_sinks
                    .iter()
                    .any(|(j, _, m)| j == i && *m == member) =>
            {
                self.current.param_sinks.push((*i, sink_label, member));
            }
            (Origin::Source { .. }, false)
                if !self
                    .hits
                    .iter()
                    .any(|h| h.call.id() == call.id() && h.member == member) =>
            {
                self.hits.push(FlowHit {
                    node,
                    call,
                    tainted,
                    sink_label,
                    member,
                });
            }
            _ => {}
        }
    }
}

/// The name of the same-file function a call's qualified name may stand for: its last part
/// (`self.clean` and `utils::clean` name `clean`).
fn helper_name(qualified: &str) -> &str {
    qualified.rsplit(['.', ':']).next().unwrap_or(qualified)
}

/// Whether a block (or a single statement) always leaves its function or loop (ends in
/// `raise`, `throw`, `return`, `continue`, `break`, `sys.exit`/`abort(...)`).
fn always_exits<'t>(sem: &Semantic<'t>, block: Node<'t>) -> bool {
    let syntax = sem.syntax;
    let last = if syntax.is_block(block.kind_name()) {
        let Some(last) = block.each_named_child().last() else {
            return false;
        };
        last
    } else {
        block
    };
    if syntax.is_exit(last.kind_name()) {
        return true;
    }
    syntax.expression_of(last).is_some_and(|call| {
        sem.is_call(call)
            && sem.call_names(call).iter().any(|n| {
                matches!(
                    n.as_str(),
                    "sys.exit" | "exit" | "abort" | "flask.abort" | "os._exit" | "process.exit"
                )
            })
    })
}

/// The functions under `node` (in classes, blocks, `impl`s, modules and other functions), in
/// document order. An explicit stack: `mod a { mod a { ...` nests as deep as the input does.
pub(crate) fn collect_functions<'t>(syntax: &dyn Syntax, node: Node<'t>, out: &mut Vec<Node<'t>>) {
    let children = |n: Node<'t>| {
        let mut c: Vec<Node<'t>> = n.each_named_child().collect();
        c.reverse();
        c
    };
    let mut stack = children(node);
    while let Some(child) = stack.pop() {
        if syntax.is_function(child.kind_name()) {
            out.push(child);
        }
        if syntax.may_hold_functions(child.kind_name()) {
            stack.extend(children(child));
        }
    }
}

/// The longest source text [`Analysis::has_any_source`] remembers as asked.
const MAX_REMEMBERED_TEXT: usize = 256;

/// Whether `condition` asks only about the text of the node itself (`text` on the
/// `finding`), so that nodes of one text answer alike.
fn on_own_text(condition: &codeguard_rules::Condition) -> bool {
    use codeguard_rules::Condition;
    match condition {
        Condition::Text { capture, .. } => capture == "finding",
        Condition::Not(inner) => on_own_text(inner),
        Condition::Any(all) | Condition::All(all) => all.iter().all(on_own_text),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::on_own_text;
    use codeguard_rules::Condition;
    use codeguard_rules::compile::LazyRegex;

    /// Only conditions on the node's own text let nodes of one text be asked once.
    #[test]
    fn only_conditions_on_the_node_text_are_answered_by_text() {
        let text = |capture: &str| Condition::Text {
            capture: capture.to_string(),
            regex: LazyRegex::new("(?i)api_key").unwrap(),
        };
        assert!(on_own_text(&text("finding")));
        assert!(on_own_text(&Condition::Not(Box::new(text("finding")))));
        assert!(on_own_text(&Condition::Any(vec![
            text("finding"),
            text("finding")
        ])));
        assert!(!on_own_text(&text("call")));
        assert!(!on_own_text(&Condition::Method(vec!["get".into()])));
        assert!(!on_own_text(&Condition::All(vec![
            text("finding"),
            Condition::Method(vec!["get".into()])
        ])));
    }
}
