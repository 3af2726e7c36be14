//! What the engine knows about a file beyond its syntax tree: imports and `use` paths (so
//! `import torch as T; T.load(p)` is `torch.load`), names bound to constants in the same
//! scope, constant folding of strings, and keyword/argument lookup on calls.

use crate::deadline::Deadline;
use crate::node_ext::NodeExt;
use foldhash::{HashMap, HashMapExt};
use std::cell::RefCell;
use std::rc::Rc;

use codeguard_language::Lang;
use tree_sitter::Node;

use crate::syntax::{Argument, Binding, Entry, Imports, StringPart, Syntax};

mod code_defined;

/// A value known at scan time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constant {
    /// A string, by content (quotes and prefixes removed, escapes left as written).
    Str(String),
    /// Any other literal (number, boolean, `None`, a tuple of constants), by source text.
    Other(String),
}

impl Constant {
    /// The text compared by `equals`: a string's content, another literal's source.
    pub fn as_text(&self) -> &str {
        match self {
            Constant::Str(s) | Constant::Other(s) => s,
        }
    }
}

/// Result of looking up a keyword argument.
#[derive(Debug, Clone, Copy)]
pub enum KeywordLookup<'t> {
    /// Certainly not passed.
    Absent,
    /// Passed, with this value node.
    Present(Node<'t>),
    /// Maybe passed through a `**kwargs` the engine cannot see into.
    Unknown,
}

/// Name -> the values it is bound to in one scope (`None`: bound to something opaque,
/// such as a parameter or a loop variable).
type ScopeBindings<'t> = HashMap<String, Vec<Option<Node<'t>>>>;

/// A function-like scope and the scope around it.
struct Scope<'t> {
    node: Node<'t>,
    start: usize,
    end: usize,
    parent: Option<usize>,
}

/// Per-file semantic model.
pub struct Semantic<'t> {
    pub lang: Lang,
    /// What the language's grammar calls a call, a name, a string...
    pub(crate) syntax: &'static dyn Syntax,
    /// The file's time budget, shared by every analysis of it.
    deadline: Deadline,
    pub source: &'t [u8],
    /// The same source, as text.
    text: &'t str,
    pub root: Node<'t>,
    /// Local name -> qualified name.
    aliases: HashMap<String, String>,
    /// Modules imported with `*` (Python `from m import *`, Rust `use m::*`).
    star_modules: Vec<String>,
    /// Qualified names bound by relative imports -> with the import's dots (see
    /// [`crate::syntax::Imports::relative`]).
    relative_imports: HashMap<String, String>,
    /// Scope node id -> name -> bindings (`None` = bound to something not a plain value).
    bindings: RefCell<HashMap<usize, ScopeBindings<'t>>>,
    call_name_cache: RefCell<HashMap<usize, Rc<Vec<String>>>>,
    /// Call node id -> its callee, arguments and member parts: rules and analyses ask for
    /// them again and again, and each asked the grammar's field tables (an eighth of a
    /// language-server edit of a 5,000-line file).
    call_parts: RefCell<HashMap<usize, CallParts<'t>>>,
    /// Call nodes by method name (`load` for `x.load(..)`), built on first use.
    calls_by_method: std::cell::OnceCell<HashMap<&'t str, Vec<Node<'t>>>>,
    /// Call nodes by each of their qualified names, built on first use.
    calls_by_name: std::cell::OnceCell<HashMap<String, Vec<Node<'t>>>>,
    /// Node id -> the calls inside it (not inside nested functions), for the flow analysis,
    /// which asks again for every rule and pass.
    calls_cache: RefCell<HashMap<usize, std::rc::Rc<Vec<Node<'t>>>>>,
    /// The nodes of the kinds the flow analysis looks for, built by the scan's walk.
    kind_index: Option<KindIndex<'t>>,
    /// Node id -> its named children (the flow analysis walks the same blocks per rule).
    children_cache: RefCell<HashMap<usize, std::rc::Rc<Vec<Node<'t>>>>>,
    /// Function-like scopes in document order, collected on first use.
    scopes: std::cell::OnceCell<Vec<Scope<'t>>>,
    /// Attribute name -> values assigned to `self.name` or in a class body (Python).
    attribute_assignments: std::cell::OnceCell<HashMap<&'t str, Vec<Node<'t>>>>,
    /// The functions of the file, collected on first use (every flow analysis asks).
    functions: std::cell::OnceCell<Vec<Node<'t>>>,
    /// Source set key -> whether the file holds one of its sources, once an analysis found
    /// out (a project scan asks again for the sides of cross-file flows).
    source_checks: RefCell<HashMap<String, bool>>,
    /// Per flow source (by address: the rules' sources outlive the model), whether the file
    /// holds one: rules with different source keys share most sources (a source set's).
    source_endpoints: RefCell<HashMap<usize, bool>>,
}

/// What [`Semantic::call_parts`] keeps of a call.
#[derive(Debug, Clone, Copy)]
struct CallParts<'t> {
    callee: Node<'t>,
    arguments: Option<Node<'t>>,
    /// The callee's object and name when it is a member (`x.y.load`: `x.y` and `load`).
    member: Option<(Node<'t>, Node<'t>)>,
}

/// The nodes of chosen kinds, by kind id. Only the kinds the analyses ask for are kept: an
/// index of every node cost 70 MB on a 100,000-deep `else if` chain.
#[derive(Debug, Default)]
pub(crate) struct KindIndex<'t> {
    /// Indexed kind ids (`covered[id]`).
    covered: Vec<bool>,
    nodes: HashMap<u16, Vec<Node<'t>>>,
}

impl<'t> KindIndex<'t> {
    /// An empty index for the kinds named in `kinds` (names of `language`).
    pub(crate) fn for_kinds<'k>(root: &Node<'_>, kinds: impl IntoIterator<Item = &'k str>) -> Self {
        let names = crate::node_ext::kind_names(root);
        let mut covered = vec![false; names.len()];
        let mut seen: Vec<&str> = Vec::new();
        for kind in kinds {
            if seen.contains(&kind) {
                continue;
            }
            seen.push(kind);
            for (id, name) in names.iter().enumerate() {
                if *name == kind {
                    covered[id] = true;
                }
            }
        }
        Self {
            covered,
            nodes: HashMap::new(),
        }
    }

    pub(crate) fn covers(&self, id: u16) -> bool {
        self.covered.get(usize::from(id)).copied().unwrap_or(false)
    }

    /// Records `node`, of kind `kind` (its `kind_id`, read once by the walk), if the kind is
    /// indexed.
    pub(crate) fn add(&mut self, node: Node<'t>, kind: u16) {
        if self.covers(kind) {
            self.nodes.entry(kind).or_default().push(node);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        !self.covered.contains(&true)
    }
}

/// The function-like scopes of a file (see [`Semantic::scope_of`]), collected from its nodes
/// in document order: by the scan's walk, or by a walk of their own on first use.
pub(crate) struct ScopeCollector<'t> {
    /// Scope kind ids (`is_scope[id]`).
    is_scope: Vec<bool>,
    root: usize,
    found: Vec<Scope<'t>>,
    /// Indexes in `found` of the scopes enclosing the last node added.
    open: Vec<usize>,
}

impl<'t> ScopeCollector<'t> {
    pub(crate) fn new(syntax: &dyn crate::syntax::Syntax, root: &Node<'_>) -> Self {
        Self {
            is_scope: crate::node_ext::kind_names(root)
                .iter()
                .map(|name| syntax.is_scope(name))
                .collect(),
            root: root.id(),
            found: Vec::new(),
            open: Vec::new(),
        }
    }

    /// Records `node`, of kind `kind` (its `kind_id`, read once by the walk), if it is a
    /// scope (the root is not); nodes come in document order.
    pub(crate) fn add(&mut self, node: Node<'t>, kind: u16) {
        if !self
            .is_scope
            .get(usize::from(kind))
            .copied()
            .unwrap_or(false)
            || node.id() == self.root
        {
            return;
        }
        let (start, end) = (node.start_byte(), node.end_byte());
        while self
            .open
            .last()
            .is_some_and(|&i| self.found[i].end <= start)
        {
            self.open.pop();
        }
        self.found.push(Scope {
            node,
            start,
            end,
            parent: self.open.last().copied(),
        });
        self.open.push(self.found.len() - 1);
    }
}

const MAX_DEPTH: usize = 6;

impl<'t> Semantic<'t> {
    pub fn new(lang: Lang, source: &'t str, root: Node<'t>) -> Self {
        Self::with_deadline(lang, source, root, Deadline::never())
    }

    /// A model whose analyses stop when `deadline` passes (see [`Semantic::out_of_time`]).
    pub(crate) fn with_deadline(
        lang: Lang,
        source: &'t str,
        root: Node<'t>,
        deadline: Deadline,
    ) -> Self {
        let mut model = Semantic {
            deadline,
            lang,
            syntax: crate::syntax::of(lang),
            source: source.as_bytes(),
            text: source,
            root,
            aliases: HashMap::new(),
            star_modules: Vec::new(),
            relative_imports: HashMap::new(),
            bindings: RefCell::new(HashMap::new()),
            scopes: std::cell::OnceCell::new(),
            attribute_assignments: std::cell::OnceCell::new(),
            call_name_cache: RefCell::new(HashMap::new()),
            call_parts: RefCell::new(HashMap::new()),
            calls_by_method: std::cell::OnceCell::new(),
            calls_by_name: std::cell::OnceCell::new(),
            calls_cache: RefCell::new(HashMap::new()),
            kind_index: None,
            children_cache: RefCell::new(HashMap::new()),
            functions: std::cell::OnceCell::new(),
            source_checks: RefCell::new(HashMap::new()),
            source_endpoints: RefCell::new(HashMap::new()),
        };
        model.collect_imports(root);
        model
    }

    /// True once the file's time budget is spent: analyses stop where they are (the scan
    /// reports the file as not fully scanned).
    pub(crate) fn out_of_time(&self) -> bool {
        self.deadline.passed()
    }

    /// True if an analysis found the time budget spent.
    pub(crate) fn was_out_of_time(&self) -> bool {
        self.deadline.was_passed()
    }

    /// Source text of a node.
    pub fn text(&self, node: Node<'_>) -> &'t str {
        // Slicing the text checks the two ends are character boundaries (a node's are), where
        // `from_utf8` on the bytes read them all.
        self.text.get(node.byte_range()).unwrap_or("")
    }

    fn sep(&self) -> &'static str {
        self.syntax.path_separator()
    }

    // ---------------------------------------------------------------- imports

    fn collect_imports(&mut self, root: Node<'t>) {
        let mut stack = vec![root];
        let mut imports = Imports {
            aliases: &mut self.aliases,
            star_modules: &mut self.star_modules,
            relative: &mut self.relative_imports,
        };
        while let Some(node) = stack.pop() {
            if self.deadline.passed() {
                return;
            }
            if self.syntax.import(node, self.source, &mut imports) {
                continue;
            }
            // Imports are statements: only look inside nodes that hold statements, not into
            // expressions (this walk used to cost as much as the rule matching itself).
            if self.syntax.is_statement_container(node.kind_name()) {
                stack.extend(node.each_named_child());
            }
        }
    }

    // ---------------------------------------------------------------- names

    /// The callee of a call (`None` if `call` is not one).
    pub(crate) fn callee(&self, call: Node<'t>) -> Option<Node<'t>> {
        self.call_parts(call).map(|parts| parts.callee)
    }

    /// The parts of `call`, if it is a call.
    fn call_parts(&self, call: Node<'t>) -> Option<CallParts<'t>> {
        if let Some(parts) = self.call_parts.borrow().get(&call.id()) {
            return Some(*parts);
        }
        let (callee, arguments) = self.syntax.call(call)?;
        let parts = CallParts {
            callee,
            arguments,
            member: self.syntax.member(callee),
        };
        self.call_parts.borrow_mut().insert(call.id(), parts);
        Some(parts)
    }

    /// `object.name`: the object and the name node.
    pub(crate) fn member(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        self.syntax.member(node)
    }

    /// `path::name`: the path (if any) and the name node.
    pub(crate) fn scoped(&self, node: Node<'t>) -> Option<(Option<Node<'t>>, Node<'t>)> {
        self.syntax.scoped(node)
    }

    /// Whether `node` is a call.
    pub(crate) fn is_call(&self, node: Node<'_>) -> bool {
        self.syntax.is_call(node.kind_name())
    }

    /// Qualified names a call's callee may stand for (several with `*` imports).
    pub fn call_names(&self, call: Node<'t>) -> Rc<Vec<String>> {
        // Cached per node: rules and the flow analysis ask for the same calls many times.
        if let Some(names) = self.call_name_cache.borrow().get(&call.id()) {
            return names.clone();
        }
        let names = Rc::new(match self.callee(call) {
            Some(function) => self.qualify(function, 0, false),
            None => Vec::new(),
        });
        self.call_name_cache
            .borrow_mut()
            .insert(call.id(), names.clone());
        names
    }

    /// The calls whose method name is one of `methods`.
    pub(crate) fn calls_by_method(&self, methods: &[String]) -> Vec<Node<'t>> {
        let index = self.calls_by_method.get_or_init(|| {
            let mut index: HashMap<&'t str, Vec<Node<'t>>> = HashMap::new();
            for call in self.all_calls() {
                if let Some(method) = self.method_name(call) {
                    index.entry(method).or_default().push(call);
                }
            }
            index
        });
        methods
            .iter()
            .filter_map(|m| index.get(m.as_str()))
            .flatten()
            .copied()
            .collect()
    }

    /// The calls with a name `matcher` accepts (see [`Semantic::call_names`]).
    pub(crate) fn calls_named(
        &self,
        matcher: &codeguard_rules::compile::NameMatcher,
    ) -> Vec<Node<'t>> {
        let index = self.calls_by_name.get_or_init(|| {
            let mut index: HashMap<String, Vec<Node<'t>>> = HashMap::new();
            for call in self.all_calls() {
                for name in self.call_names(call).iter() {
                    index.entry(name.clone()).or_default().push(call);
                }
            }
            index
        });
        let mut calls: Vec<Node<'t>> = matcher
            .exact()
            .filter_map(|name| index.get(name))
            .flatten()
            .copied()
            .collect();
        if matcher.has_globs() {
            calls.extend(
                index
                    .iter()
                    .filter(|(name, _)| matcher.is_match(name))
                    .flat_map(|(_, nodes)| nodes.iter().copied()),
            );
        }
        calls
    }

    /// The file's calls, kind by kind.
    pub(crate) fn all_calls(&self) -> Vec<Node<'t>> {
        self.call_kinds()
            .iter()
            .flat_map(|kind| self.nodes_of_kind(kind))
            .collect()
    }

    /// Like [`Semantic::call_names`], with receivers bound once to a constructor call also
    /// named by it: `env = jinja2.Environment(); env.from_string(..)` ->
    /// `jinja2.Environment().from_string` (besides `env.from_string`). Only rules whose names
    /// contain `()` ask for these (finding the binding costs a scope lookup per receiver).
    pub fn constructed_call_names(&self, call: Node<'t>) -> Vec<String> {
        match self.callee(call) {
            Some(function) => self.qualify(function, 0, true),
            None => Vec::new(),
        }
    }

    fn qualify(&self, node: Node<'t>, depth: usize, constructed: bool) -> Vec<String> {
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        let sep = self.sep();
        let syntax = self.syntax;
        if syntax.is_name(node.kind_name()) {
            let name = self.text(node);
            if let Some(q) = self.aliases.get(name) {
                return vec![q.clone()];
            }
            // `requests.get` where `requests` is a parameter or a local: not the module.
            if depth > 0 && self.is_bound_module_name(node) {
                return Vec::new();
            }
            let mut names = vec![name.to_string()];
            names.extend(self.star_modules.iter().map(|m| format!("{m}{sep}{name}")));
            // A receiver bound once to a constructor call is also named by it:
            // `env = jinja2.Environment(); env.from_string` -> `jinja2.Environment().from_string`.
            if constructed
                && depth > 0
                && let Some(value) = self.binding(node)
                && let Some(function) = self.callee(value)
            {
                // Not `call_names`: its depth restarts, and `x = x.f()` would recurse forever.
                let built = self.qualify(function, depth + 1, constructed);
                names.extend(built.into_iter().map(|q| format!("{q}()")));
            }
            return names;
        }
        if let Some((object, attr)) = syntax.member(node) {
            let attr = self.text(attr);
            return self
                .qualify(object, depth + 1, constructed)
                .into_iter()
                .map(|q| format!("{q}.{attr}"))
                .collect();
        }
        if let Some((path, name)) = syntax.scoped(node) {
            let name = self.text(name);
            return match path {
                Some(path) => self
                    .qualify(path, depth + 1, constructed)
                    .into_iter()
                    .map(|q| format!("{q}{sep}{name}"))
                    .collect(),
                None => vec![name.to_string()],
            };
        }
        if let Some(inner) = syntax.generic_inner(node) {
            return self.qualify(inner, depth + 1, constructed);
        }
        if let Some((function, _)) = syntax.call(node) {
            // The depth carries on (receivers bound to calls can refer to themselves).
            let cached = if constructed {
                None
            } else {
                let cache = self.call_name_cache.borrow();
                cache.get(&node.id()).map(|names| names.to_vec())
            };
            return cached
                .unwrap_or_else(|| self.qualify(function, depth + 1, constructed))
                .into_iter()
                .map(|q| format!("{q}()"))
                .collect();
        }
        if let Some(inner) = syntax.wrapped(node) {
            return self.qualify(inner, depth + 1, constructed);
        }
        if syntax.is_path_keyword(node.kind_name()) {
            return vec![self.text(node).to_string()];
        }
        Vec::new()
    }

    /// A well-known module's name (`requests`) that the code binds to something else: a
    /// parameter, a local, a loop variable.
    fn is_bound_module_name(&self, ident: Node<'t>) -> bool {
        let name = self.text(ident);
        // A `from x import *` may bind the name to whatever `x` holds.
        if !self.syntax.well_known_modules().contains(&name) || !self.star_modules.is_empty() {
            return false;
        }
        let scope = self.scope_of(ident);
        self.with_scope_bindings(scope, name, |v| v.is_some())
            || self.with_scope_bindings(self.root, name, |v| v.is_some())
    }

    /// Whether a call's callee starts at a well-known module the file never imports
    /// (`os.system(cmd)` in a fragment without `import os`): the match is a guess at what the
    /// snippet means.
    pub(crate) fn calls_unimported_module(&self, call: Node<'t>) -> bool {
        let Some(mut node) = self.callee(call) else {
            return false;
        };
        while let Some((object, _)) = self.syntax.member(node) {
            node = object;
        }
        self.syntax.is_name(node.kind_name())
            && node.id() != self.callee(call).map_or(0, |c| c.id())
            && self.syntax.well_known_modules().contains(&self.text(node))
            && !self.aliases.contains_key(self.text(node))
            && self.star_modules.is_empty()
    }

    /// Every qualified name the file imports (`from .helpers import run` -> `helpers.run`),
    /// and the modules imported with `*`.
    pub(crate) fn imports(&self) -> Vec<String> {
        let mut names: Vec<String> = self.aliases.values().cloned().collect();
        names.extend(self.star_modules.iter().cloned());
        names.sort();
        names.dedup();
        names
    }

    /// The functions of the file, nested ones included, in document order.
    pub(crate) fn functions(&self) -> &[Node<'t>] {
        self.functions.get_or_init(|| {
            let mut functions = Vec::new();
            crate::flow::collect_functions(self.syntax, self.root, &mut functions);
            functions
        })
    }

    /// Whether the file holds a source of the source set `key`, if an analysis found out.
    pub(crate) fn sources_checked(&self, key: &str) -> Option<bool> {
        self.source_checks.borrow().get(key).copied()
    }

    /// Whether the file holds a node of source `endpoint`, asked of `holds` once per file.
    pub(crate) fn holds_source_of<E>(
        &self,
        endpoint: &std::sync::Arc<E>,
        holds: impl FnOnce() -> bool,
    ) -> bool {
        let key = std::sync::Arc::as_ptr(endpoint) as usize;
        if let Some(found) = self.source_endpoints.borrow().get(&key) {
            return *found;
        }
        let found = holds();
        self.source_endpoints.borrow_mut().insert(key, found);
        found
    }

    pub(crate) fn note_sources(&self, key: &str, found: bool) {
        self.source_checks
            .borrow_mut()
            .insert(key.to_string(), found);
    }

    /// The node kinds of calls in the file's language.
    pub(crate) fn call_kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = crate::node_ext::kind_names(&self.root)
            .iter()
            .filter(|kind| self.syntax.is_call(kind))
            .map(|kind| kind.to_string())
            .collect();
        kinds.dedup();
        kinds
    }

    /// The imports ([`Semantic::imports`]) a call's qualified name can start with: `helpers`
    /// for `helpers.run(x)`, `helpers.run` for `run(x)` after `from helpers import run`. Only
    /// those can name a function of another file that a flow goes through (see
    /// [`crate::project_flow`]): most imports are classes, constants and modules never called.
    ///
    /// `unparsed_words`: the words of parts of the file left unparsed (see [`crate::partial`]),
    /// any of which may start a call there.
    pub(crate) fn called_imports(&self, unparsed_words: &[&str]) -> Vec<String> {
        let mut imports = self.imports();
        // The names `qualify` starts from: the callee's innermost object or path.
        let mut heads: std::collections::HashSet<&str> = unparsed_words
            .iter()
            .filter_map(|w| self.aliases.get(*w).map(String::as_str))
            .collect();
        let mut plain = !unparsed_words.is_empty();
        // A chain `a.b().c()...` holds its inner calls: each node is followed down once, or
        // a chain of n calls would cost n^2 steps.
        let mut followed = std::collections::HashSet::new();
        for call in self.all_calls() {
            if self.out_of_time() {
                return imports;
            }
            let mut node = self.callee(call);
            while let Some(n) = node {
                if !followed.insert(n.id()) {
                    break;
                }
                if self.syntax.is_name(n.kind_name()) {
                    match self.aliases.get(self.text(n)) {
                        Some(q) => {
                            heads.insert(q);
                        }
                        None => plain = true,
                    }
                    break;
                }
                node = self
                    .syntax
                    .member(n)
                    .map(|(object, _)| object)
                    .or_else(|| self.syntax.scoped(n).and_then(|(path, _)| path))
                    .or_else(|| self.syntax.generic_inner(n))
                    .or_else(|| self.callee(n))
                    .or_else(|| self.syntax.wrapped(n));
            }
        }
        // A walk cut short saw only some calls.
        if self.out_of_time() {
            return imports;
        }
        if plain {
            // `run(x)` after `from helpers import *` is named `helpers.run`.
            heads.extend(self.star_modules.iter().map(String::as_str));
        }
        imports.retain(|v| {
            heads
                .iter()
                .any(|h| v.starts_with(h) || h.starts_with(v.as_str()))
        });
        imports
    }

    /// How a relative import wrote the qualified name `name` (with its dots), if one bound it.
    pub(crate) fn relative_import(&self, name: &str) -> Option<&str> {
        self.relative_imports.get(name).map(String::as_str)
    }

    /// The qualified name an imported identifier stands for (`CORSMiddleware` ->
    /// `fastapi.middleware.cors.CORSMiddleware`), if it was imported.
    pub fn imported_name(&self, ident: Node<'t>) -> Option<&str> {
        self.syntax
            .is_name(ident.kind_name())
            .then(|| self.aliases.get(self.text(ident)))
            .flatten()
            .map(String::as_str)
    }

    /// The final name of a method or attribute call (`x.y.load(...)` -> `load`).
    pub fn method_name(&self, call: Node<'t>) -> Option<&'t str> {
        let (_, field) = self.call_parts(call)?.member?;
        Some(self.text(field))
    }

    /// The receiver of a method call (`client` in `client.get(..)`).
    pub fn receiver(&self, call: Node<'t>) -> Option<Node<'t>> {
        let (object, _) = self.call_parts(call)?.member?;
        Some(object)
    }

    // ---------------------------------------------------------------- arguments

    /// The argument list node of a call.
    pub fn arguments(&self, call: Node<'t>) -> Option<Node<'t>> {
        self.call_parts(call).and_then(|parts| parts.arguments)
    }

    /// Positional argument `index`, unless a `*args` splat hides its position.
    pub fn positional(&self, call: Node<'t>, index: usize) -> Option<Node<'t>> {
        let args = self.arguments(call)?;
        let mut position = 0;
        for child in args.each_named_child() {
            match self.syntax.argument(child) {
                Argument::Positional(node) => {
                    if position == index {
                        return Some(node);
                    }
                    position += 1;
                }
                Argument::Spread => return None,
                Argument::Keyword { .. } | Argument::KeywordSpread(_) | Argument::Skip => {}
            }
        }
        None
    }

    /// Looks up keyword `name` (`a.b` looks up key `b` in the dict passed as keyword `a`).
    pub fn keyword(&self, call: Node<'t>, name: &str) -> KeywordLookup<'t> {
        let mut parts = name.split('.');
        let first = parts.next().unwrap_or(name);
        let mut current = match self.direct_keyword(call, first) {
            KeywordLookup::Present(node) => node,
            other => return other,
        };
        for key in parts {
            let Some(dict) = self.resolve_node(current, 0) else {
                return KeywordLookup::Unknown;
            };
            match self.dict_lookup(dict, key) {
                KeywordLookup::Present(node) => current = node,
                other => return other,
            }
        }
        KeywordLookup::Present(current)
    }

    fn direct_keyword(&self, call: Node<'t>, name: &str) -> KeywordLookup<'t> {
        let Some(args) = self.arguments(call) else {
            return KeywordLookup::Absent;
        };
        let options_objects = self.syntax.options_objects();
        let mut unknown = false;
        for child in args.each_named_child() {
            let spread = match self.syntax.argument(child) {
                Argument::Keyword { name: key, value } => {
                    if self.text(key) == name {
                        return KeywordLookup::Present(value);
                    }
                    continue;
                }
                Argument::KeywordSpread(inner) => inner,
                // `f(x, {shell: true})`: options passed as an object stand for keywords.
                Argument::Positional(node) if options_objects => match self.resolve_node(node, 0) {
                    Some(object) if self.syntax.entries(object).is_some() => Some(object),
                    _ => continue,
                },
                _ => continue,
            };
            let inner = spread.and_then(|n| self.resolve_node(n, 0));
            match inner.map(|dict| self.dict_lookup(dict, name)) {
                Some(KeywordLookup::Present(value)) => {
                    return KeywordLookup::Present(value);
                }
                Some(KeywordLookup::Absent) => {}
                _ => unknown = true,
            }
        }
        if unknown {
            KeywordLookup::Unknown
        } else {
            KeywordLookup::Absent
        }
    }

    /// Looks up `key` in a dict literal or a `dict(...)` call.
    fn dict_lookup(&self, dict: Node<'t>, key: &str) -> KeywordLookup<'t> {
        if let Some(entries) = self.syntax.entries(dict) {
            let mut unknown = false;
            for entry in entries {
                let Entry::Pair {
                    key: k,
                    value: v,
                    bare,
                } = entry
                else {
                    unknown = true;
                    continue;
                };
                let name = if bare {
                    Some(Constant::Str(self.text(k).to_string()))
                } else {
                    self.constant(k)
                };
                match name {
                    Some(Constant::Str(s)) if s == key => return KeywordLookup::Present(v),
                    Some(_) => {}
                    None => unknown = true,
                }
            }
            return if unknown {
                KeywordLookup::Unknown
            } else {
                KeywordLookup::Absent
            };
        }
        if let Some(constructor) = self.syntax.dict_constructor()
            && self.is_call(dict)
            && self.call_names(dict).iter().any(|n| n == constructor)
        {
            return self.direct_keyword(dict, key);
        }
        KeywordLookup::Unknown
    }

    // ---------------------------------------------------------------- bindings

    fn is_scope(&self, node: Node<'_>) -> bool {
        self.syntax.is_scope(node.kind_name())
    }

    /// The innermost function (or lambda, closure) containing `node`, else the module.
    /// `Node::parent` walks down from the root each time, which made scope lookups quadratic
    /// in long modules; scopes are collected once (with their byte ranges and enclosing
    /// scope) and found by binary search.
    /// The named children of `node` (cached).
    pub(crate) fn named_children_of(&self, node: Node<'t>) -> std::rc::Rc<Vec<Node<'t>>> {
        if let Some(children) = self.children_cache.borrow().get(&node.id()) {
            return children.clone();
        }
        let children = std::rc::Rc::new(node.each_named_child().collect::<Vec<_>>());
        self.children_cache
            .borrow_mut()
            .insert(node.id(), children.clone());
        children
    }

    /// The nodes inside `node` (itself included) whose kind `wanted` accepts, in document
    /// order, not descending into nested functions, lambdas or closures.
    pub(crate) fn nodes_in(&self, node: Node<'t>, wanted: impl Fn(&str) -> bool) -> Vec<Node<'t>> {
        let mut found = Vec::new();
        crate::tree_walk::for_each_descendant(
            node,
            |n| !self.syntax.is_nested_code(n.kind_name()),
            |n| {
                if wanted(n.kind_name()) {
                    found.push(n);
                }
            },
        );
        found
    }

    /// The calls inside `node`, in document order, not descending into nested functions.
    pub(crate) fn calls_in(&self, node: Node<'t>) -> std::rc::Rc<Vec<Node<'t>>> {
        if let Some(calls) = self.calls_cache.borrow().get(&node.id()) {
            return calls.clone();
        }
        let calls = std::rc::Rc::new(self.nodes_in(node, |kind| self.syntax.is_call(kind)));
        self.calls_cache
            .borrow_mut()
            .insert(node.id(), calls.clone());
        calls
    }

    /// Hands over the file's scopes, collected by a walk the caller does anyway.
    pub(crate) fn set_scopes(&mut self, scopes: ScopeCollector<'t>) {
        let _ = self.scopes.set(scopes.found);
    }

    /// Hands over an index of the nodes of some kinds, built by a walk the caller does anyway.
    pub(crate) fn set_kind_index(&mut self, index: KindIndex<'t>) {
        self.kind_index = Some(index);
    }

    /// The nodes of the file with this kind, in document order: from the index when it holds
    /// the kind, else by a walk.
    pub(crate) fn nodes_of_kind(&self, kind: &str) -> Vec<Node<'t>> {
        // A grammar may give one kind name several ids (aliases).
        let ids: Vec<u16> = crate::node_ext::kind_names(&self.root)
            .iter()
            .enumerate()
            .filter(|(_, name)| **name == kind)
            .filter_map(|(id, _)| u16::try_from(id).ok())
            .collect();
        if let Some(index) = &self.kind_index
            && ids.iter().all(|id| index.covers(*id))
        {
            let mut nodes: Vec<Node<'t>> = ids
                .iter()
                .flat_map(|id| index.nodes.get(id).into_iter().flatten().copied())
                .collect();
            if ids.len() > 1 {
                nodes.sort_by_key(|n| n.start_byte());
            }
            return nodes;
        }
        let mut nodes = Vec::new();
        let _ = crate::tree_walk::walk_until(
            self.root,
            |_| true,
            |n| {
                if ids.contains(&n.kind_id()) {
                    nodes.push(n);
                }
                if self.out_of_time() {
                    std::ops::ControlFlow::Break(())
                } else {
                    std::ops::ControlFlow::Continue(())
                }
            },
        );
        nodes
    }

    /// The decorators (Python) or outer attributes (Rust) of a function definition.
    pub(crate) fn function_markers(&self, f: Node<'t>) -> Vec<Node<'t>> {
        self.syntax.function_markers(f)
    }

    /// The base classes of the class whose method `f` is (none for a plain function).
    pub(crate) fn class_bases(&self, f: Node<'t>) -> Vec<Node<'t>> {
        self.syntax.class_bases(f)
    }

    /// The innermost `def` around `node` (lambdas and closures skipped), if any.
    pub(crate) fn enclosing_function(&self, node: Node<'t>) -> Option<Node<'t>> {
        let mut scope = self.scope_of(node);
        loop {
            if scope.id() == self.root.id() {
                return None;
            }
            if self.syntax.is_function(scope.kind_name()) {
                return Some(scope);
            }
            scope = self.scope_of(scope);
        }
    }

    pub(crate) fn scope_of(&self, node: Node<'t>) -> Node<'t> {
        let scopes = self.scopes.get_or_init(|| {
            let mut scopes = ScopeCollector::new(self.syntax, &self.root);
            crate::tree_walk::for_each_descendant(
                self.root,
                |_| true,
                |n| scopes.add(n, n.kind_id()),
            );
            scopes.found
        });
        let (start, end) = (node.start_byte(), node.end_byte());
        let mut candidate = scopes.partition_point(|s| s.start <= start).checked_sub(1);
        while let Some(i) = candidate {
            let scope = &scopes[i];
            if scope.end >= end && scope.node.id() != node.id() {
                return scope.node;
            }
            candidate = scope.parent;
        }
        self.root
    }

    /// Whether the first argument of `call` (what it loads) was passed, earlier in the same
    /// function, to a call that writes: `torch.save(x, p)` then `torch.load(p)`,
    /// `index.save_local(d)` then `FAISS.load_local(d)`, `open(p, "wb")` then `pickle.load`.
    /// Arguments are compared by source text (and a name by the value it is bound to).
    pub(crate) fn loads_what_it_wrote(&self, call: Node<'t>) -> bool {
        let Some(mut loaded) = self.positional(call, 0) else {
            return false;
        };
        // `pickle.load(open(p, "rb"))` loads `p`.
        if self.callee(loaded).is_some_and(|f| self.text(f) == "open")
            && let Some(path) = self.positional(loaded, 0)
        {
            loaded = path;
        }
        let mut wanted = vec![self.text(loaded)];
        let bound = self
            .binding(loaded)
            .filter(|_| self.syntax.is_name(loaded.kind_name()));
        if let Some(value) = bound {
            wanted.push(self.text(value));
        }
        let scope = self.enclosing_function(call).unwrap_or(self.root);
        // A path inside a temporary directory this function created: only this process
        // writes there (`TemporaryDirectory` and `mkdtemp` make it private to the user).
        if [Some(loaded), bound]
            .into_iter()
            .flatten()
            .any(|path| self.inside_own_temp_dir(path, scope))
        {
            return true;
        }
        self.calls_in(scope)
            .iter()
            .take_while(|c| c.end_byte() <= call.start_byte())
            .any(|writer| {
                let Some(function) = self.callee(*writer) else {
                    return false;
                };
                let name = self
                    .text(function)
                    .rsplit(['.', ':'])
                    .next()
                    .unwrap_or_default();
                let lower = name.to_ascii_lowercase();
                let args = self.arguments(*writer).map(|a| self.named_children_of(a));
                let args = args.as_deref().map(Vec::as_slice).unwrap_or_default();
                // (keyword name, value) of each argument.
                let args: Vec<(Option<&str>, Node<'t>)> = args
                    .iter()
                    .filter_map(|a| match self.syntax.argument(*a) {
                        Argument::Positional(value) => Some((None, value)),
                        Argument::Keyword { name, value } => Some((Some(self.text(name)), value)),
                        _ => None,
                    })
                    .collect();
                let writes = lower.contains("save")
                    || lower.contains("dump")
                    || lower.starts_with("write")
                    || (name == "open"
                        && args
                            .iter()
                            .enumerate()
                            .filter(|(i, (keyword, _))| *i > 0 || *keyword == Some("mode"))
                            .any(|(_, (_, a))| {
                                self.constant(*a)
                                    .is_some_and(|m| m.as_text().contains(['w', 'a', 'x']))
                            }));
                writes
                    && args.iter().map(|(_, a)| *a).any(|a| {
                        wanted.contains(&self.text(a))
                            || (self.syntax.is_name(a.kind_name())
                                && self
                                    .binding(a)
                                    .is_some_and(|v| wanted.contains(&self.text(v))))
                    })
            })
    }

    /// Whether `path` names, or is built from, a directory that `scope` created with
    /// `tempfile.TemporaryDirectory()` / `tempfile.mkdtemp()`.
    fn inside_own_temp_dir(&self, path: Node<'t>, scope: Node<'t>) -> bool {
        crate::tree_walk::walk_until(
            path,
            |_| true,
            |n| {
                let temp_dir = self.syntax.is_name(n.kind_name())
                    && self.scope_of(n).id() == scope.id()
                    && self
                        .binding(n)
                        .and_then(|v| self.callee(v))
                        .is_some_and(|f| {
                            self.qualify(f, 0, false).iter().any(|q| {
                                matches!(
                                    q.as_str(),
                                    "tempfile.TemporaryDirectory" | "tempfile.mkdtemp"
                                )
                            })
                        });
                if temp_dir {
                    std::ops::ControlFlow::Break(())
                } else {
                    std::ops::ControlFlow::Continue(())
                }
            },
        )
        .is_break()
    }

    /// The single value an identifier is bound to in its scope (then module scope).
    pub(crate) fn binding(&self, ident: Node<'t>) -> Option<Node<'t>> {
        let name = self.text(ident);
        let mut scope = self.scope_of(ident);
        loop {
            // Looked at in place: a name bound 50,000 times must not be copied per lookup.
            let found = self.with_scope_bindings(scope, name, |values| match values {
                Some([Some(value)]) => Some(Some(*value)),
                Some(_) => Some(None),
                None => None,
            });
            if let Some(value) = found {
                return value;
            }
            if scope.id() == self.root.id() {
                return None;
            }
            scope = self.root;
        }
    }

    /// The values of a string built in steps, each on the one before (`sql = "SELECT .."`,
    /// then `sql += x` or `sql = sql + x`): every value the name is bound to, when one of them
    /// refers to the name itself. Empty for other names (bound to unrelated values in turn)
    /// and other nodes.
    pub(crate) fn built_in_steps(&self, node: Node<'t>) -> Vec<Node<'t>> {
        let values = self.bound_values(node);
        let mut name = node;
        while let Some(inner) = self.syntax.same_value(name) {
            name = inner;
        }
        let name = self.text(name);
        let refers = |value: Node<'t>| {
            crate::tree_walk::walk_until(
                value,
                |_| true,
                |n| {
                    if self.syntax.is_name(n.kind_name()) && self.text(n) == name {
                        std::ops::ControlFlow::Break(())
                    } else {
                        std::ops::ControlFlow::Continue(())
                    }
                },
            )
            .is_break()
        };
        if values.iter().any(|v| refers(*v)) {
            values
        } else {
            Vec::new()
        }
    }

    /// Every value a name is bound to (`sql = "SELECT .."` then `sql += x`): for a name
    /// bound more than once, where [`Semantic::binding`] gives none. Empty for other nodes.
    pub(crate) fn bound_values(&self, node: Node<'t>) -> Vec<Node<'t>> {
        let mut node = node;
        while let Some(inner) = self.syntax.same_value(node) {
            node = inner;
        }
        if !self.syntax.is_name(node.kind_name()) {
            return Vec::new();
        }
        let name = self.text(node);
        let scope = self.scope_of(node);
        let values = self
            .scope_bindings(scope, name)
            .or_else(|| self.scope_bindings(self.root, name))
            .unwrap_or_default();
        values.into_iter().flatten().take(64).collect()
    }

    fn scope_bindings(&self, scope: Node<'t>, name: &str) -> Option<Vec<Option<Node<'t>>>> {
        self.with_scope_bindings(scope, name, |values| values.map(<[_]>::to_vec))
    }

    fn with_scope_bindings<R>(
        &self,
        scope: Node<'t>,
        name: &str,
        f: impl FnOnce(Option<&[Option<Node<'t>>]>) -> R,
    ) -> R {
        let mut cache = self.bindings.borrow_mut();
        let map = cache
            .entry(scope.id())
            .or_insert_with(|| self.collect_bindings(scope));
        f(map.get(name).map(Vec::as_slice))
    }

    fn collect_bindings(&self, scope: Node<'t>) -> ScopeBindings<'t> {
        let mut map: ScopeBindings<'t> = HashMap::new();
        let mut stack: Vec<Node<'t>> = Vec::new();
        stack.extend(scope.each_named_child());
        while let Some(node) = stack.pop() {
            if self.is_scope(node) {
                // A nested function binds its own name in this scope; its body is its own.
                if let Some(name) = node.field("name") {
                    map.entry(self.text(name).to_string())
                        .or_default()
                        .push(None);
                }
                continue;
            }
            match self.syntax.binding_in(self, node) {
                Binding::Value { name, value } => map
                    .entry(self.text(name).to_string())
                    .or_default()
                    .push(value),
                Binding::EachOf { name, elements } => {
                    let values = map.entry(self.text(name).to_string()).or_default();
                    match elements {
                        Some(elements) => values.extend(elements.into_iter().map(Some)),
                        None => values.push(None),
                    }
                }
                Binding::Opaque(pattern) => self.bind_opaque(pattern, &mut map),
                Binding::Parameters(params) => {
                    self.bind_opaque(params, &mut map);
                    continue;
                }
                Binding::None => {}
            }
            stack.extend(node.each_named_child());
        }
        // Function parameters live on the scope node itself.
        if let Some(params) = scope.field("parameters") {
            self.bind_opaque(params, &mut map);
        }
        map
    }

    /// Binds every identifier in a pattern to an opaque value (an explicit stack: patterns
    /// nest as deep as the input does).
    fn bind_opaque(&self, node: Node<'t>, map: &mut ScopeBindings<'t>) {
        let mut stack = vec![node];
        while let Some(node) = stack.pop() {
            if self.syntax.is_binding_name(node.kind_name()) {
                map.entry(self.text(node).to_string())
                    .or_default()
                    .push(None);
                continue;
            }
            stack.extend(
                node.each_named_child()
                    .filter(|c| !self.syntax.is_pattern_annotation(c.kind_name())),
            );
        }
    }

    /// Follows identifiers to the single value they are bound to.
    pub fn resolve_node(&self, node: Node<'t>, depth: usize) -> Option<Node<'t>> {
        if depth > MAX_DEPTH {
            return None;
        }
        if self.syntax.is_name(node.kind_name()) {
            return self
                .binding(node)
                .and_then(|v| self.resolve_node(v, depth + 1));
        }
        match self.syntax.same_value(node) {
            Some(inner) => self.resolve_node(inner, depth + 1).or(Some(node)),
            None => Some(node),
        }
    }

    /// A URL whose scheme and host come from constant text at its start
    /// (`f"{BASE}/{path}"` with `BASE = "https://api.example.com"`).
    pub fn has_fixed_host(&self, node: Node<'t>) -> bool {
        let prefix = self.constant_prefix(node, 0);
        let Some((scheme, rest)) = prefix.split_once("://") else {
            return false;
        };
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            && rest
                .find(['/', '?', '#'])
                .is_some_and(|end| end > 0 && !rest[..end].contains(['{', '@']))
    }

    /// The constant text a string expression starts with (empty when it starts with a value
    /// only known at run time).
    fn constant_prefix(&self, node: Node<'t>, depth: usize) -> String {
        if depth > MAX_DEPTH {
            return String::new();
        }
        if let Some(c) = self.fold(node, 0) {
            return c.as_text().to_string();
        }
        let syntax = self.syntax;
        if syntax.is_name(node.kind_name()) {
            return self
                .binding(node)
                .map(|v| self.constant_prefix(v, depth + 1))
                .unwrap_or_default();
        }
        if let Some(inner) = syntax.same_value(node) {
            return self.constant_prefix(inner, depth + 1);
        }
        if let Some(prefix) = syntax.formatting_prefix(self, node) {
            return prefix;
        }
        if let Some((left, op, _)) = syntax.binary(node) {
            return if self.text(op) == "+" {
                self.constant_prefix(left, depth + 1)
            } else {
                String::new()
            };
        }
        if let Some(parts) = syntax.string(node) {
            let mut out = String::new();
            for part in parts {
                match part {
                    StringPart::Text(text) => out.push_str(self.text(text)),
                    StringPart::Value(value) => match value.and_then(|e| self.fold(e, depth + 1)) {
                        Some(c) => out.push_str(c.as_text()),
                        None => break,
                    },
                }
            }
            return out;
        }
        String::new()
    }

    // ---------------------------------------------------------------- constants

    /// Folds a node to a constant: literals, constant concatenations, names bound once to a
    /// constant, `concat!`, `"..".to_string()`.
    pub fn constant(&self, node: Node<'t>) -> Option<Constant> {
        self.fold(node, 0)
    }

    /// [`Semantic::constant`] at a nesting depth (for the language profiles).
    pub(crate) fn fold_at(&self, node: Node<'t>, depth: usize) -> Option<Constant> {
        self.fold(node, depth)
    }

    fn fold(&self, node: Node<'t>, depth: usize) -> Option<Constant> {
        if depth > MAX_DEPTH {
            return None;
        }
        let syntax = self.syntax;
        let kind = node.kind_name();
        if let Some(parts) = syntax.string(node) {
            let mut out = String::new();
            for part in parts {
                match part {
                    StringPart::Text(text) => out.push_str(self.text(text)),
                    StringPart::Value(value) => {
                        out.push_str(self.fold(value?, depth + 1)?.as_text());
                    }
                }
            }
            return Some(Constant::Str(out));
        }
        if syntax.is_concatenated_string(kind) {
            let mut out = String::new();
            for part in node.each_named_child() {
                match self.fold(part, depth + 1)? {
                    Constant::Str(s) => out.push_str(&s),
                    Constant::Other(_) => return None,
                }
            }
            return Some(Constant::Str(out));
        }
        if syntax.is_scalar(kind) {
            return Some(Constant::Other(self.text(node).to_string()));
        }
        if let Some(inner) = syntax.unary_operand(node) {
            self.fold(inner, depth + 1)?;
            return Some(Constant::Other(self.text(node).to_string()));
        }
        if let Some(inner) = syntax.same_value(node) {
            return self.fold(inner, depth + 1);
        }
        if let Some((left, op, right)) = syntax.binary(node) {
            let left = self.fold(left, depth + 1)?;
            let right = self.fold(right, depth + 1)?;
            return match (self.text(op), left, right) {
                ("+", Constant::Str(a), Constant::Str(b)) => Some(Constant::Str(a + &b)),
                _ => Some(Constant::Other(self.text(node).to_string())),
            };
        }
        if syntax.is_sequence(kind) {
            for child in node.each_named_child() {
                self.fold(child, depth + 1)?;
            }
            return Some(Constant::Other(self.text(node).to_string()));
        }
        if syntax.is_name(kind) {
            return match self.binding(node) {
                Some(value) => self.fold(value, depth + 1),
                None => self.fold_alternatives(node, depth),
            };
        }
        // `c ? "rg.exe" : "rg"`: one of two constants.
        if let Some((a, b)) = syntax.conditional(node) {
            let (a, b) = (self.fold(a, depth + 1)?, self.fold(b, depth + 1)?);
            return Some(if a == b {
                a
            } else {
                Constant::Other("<one of 2 constants>".to_string())
            });
        }
        syntax.fold_special(self, node, depth).flatten()
    }

    /// A name bound several times, each time to a constant (`for cmd in ["npx.cmd", "npx"]`,
    /// or re-assigned): constant, though which one is known only at run time. Its text is the
    /// common value, or a marker no rule pattern matches.
    fn fold_alternatives(&self, ident: Node<'t>, depth: usize) -> Option<Constant> {
        let name = self.text(ident);
        // Looked at in place first: a name bound 50,000 times is not copied per lookup.
        let few = |values: Option<&[Option<Node<'t>>]>| {
            values.map(|v| (2..=64).contains(&v.len()).then(|| v.to_vec()))
        };
        let mut scope = self.scope_of(ident);
        let mut values = self.with_scope_bindings(scope, name, few);
        if values.is_none() && scope.id() != self.root.id() {
            scope = self.root;
            values = self.with_scope_bindings(scope, name, few);
        }
        // A name something opaque binds, inside a loop over a sequence: one of its items
        // (whatever other loops bind the same name to).
        let values = match values.flatten() {
            Some(values) if values.iter().all(Option::is_some) => values,
            _ => self.loop_items(ident, depth)?,
        };
        let mut folded = Vec::with_capacity(values.len());
        for value in values {
            let value = value?;
            // A value that names itself (`x = x + "a"`) is not followed again.
            if value.byte_range().contains(&ident.start_byte()) {
                return None;
            }
            folded.push(self.fold(value, depth + 1)?);
        }
        let first = folded[0].as_text().to_string();
        if folded.iter().all(|c| c.as_text() == first) {
            return Some(folded.swap_remove(0));
        }
        Some(Constant::Other(format!(
            "<one of {} constants>",
            folded.len()
        )))
    }

    /// The loop or comprehension around `ident` that binds its name: the sequence it walks,
    /// and whether the name is each whole item (see [`Syntax::loop_iterable`]).
    pub(crate) fn enclosing_loop(&self, ident: Node<'t>) -> Option<(Node<'t>, bool)> {
        let name = self.text(ident);
        // Innermost first, from one walk down (each `parent()` walks down from the root).
        for n in crate::tree_walk::ancestors(self.root, ident)
            .into_iter()
            .rev()
        {
            if self.syntax.is_nested_code(n.kind_name()) || self.syntax.is_scope(n.kind_name()) {
                return None;
            }
            if let Some(found) = self.syntax.loop_iterable(n, name, self.source) {
                return Some(found);
            }
        }
        None
    }

    /// The items a loop variable takes, when the loop walks a sequence literal, directly, by
    /// a name bound to one, or through a conditional choosing between them
    /// (`const cmds = win ? ["py"] : ["python3"]; for (const cmd of cmds)`).
    fn loop_items(&self, ident: Node<'t>, depth: usize) -> Option<Vec<Option<Node<'t>>>> {
        let (iterable, whole) = self.enclosing_loop(ident)?;
        if !whole {
            return None;
        }
        let mut items = Vec::new();
        let mut pending = vec![(iterable, depth)];
        while let Some((node, depth)) = pending.pop() {
            if depth > MAX_DEPTH || items.len() > 64 {
                return None;
            }
            if self.syntax.is_sequence(node.kind_name()) {
                items.extend(self.named_children_of(node).iter().map(|i| Some(*i)));
            } else if let Some((a, b)) = self.syntax.conditional(node) {
                pending.extend([(a, depth + 1), (b, depth + 1)]);
            } else if self.syntax.is_name(node.kind_name()) {
                pending.push((self.binding(node)?, depth + 1));
            } else if let Some(inner) = self.syntax.wrapped(node) {
                pending.push((inner, depth + 1));
            } else {
                return None;
            }
        }
        (!items.is_empty()).then_some(items)
    }

    /// A string built at run time from non-constant parts: f-strings with placeholders,
    /// `+`/`%` with a string, `"...".format(x)`, `format!` with arguments.
    pub fn is_dynamic_string(&self, node: Node<'t>) -> bool {
        self.dynamic(node, 0, &mut std::collections::HashSet::new())
    }

    fn is_stringish(&self, node: Node<'t>) -> bool {
        self.syntax.is_stringish(self, node)
    }

    /// `seen`: the (scope, name) pairs already followed in this query. A name re-bound many
    /// times (`q = q + y` 50,000 times) is followed once, not once per occurrence: the
    /// search asks whether any binding is dynamic, so a second visit cannot add anything.
    fn dynamic(
        &self,
        node: Node<'t>,
        depth: usize,
        seen: &mut std::collections::HashSet<(usize, &'t str)>,
    ) -> bool {
        if depth > MAX_DEPTH || self.fold(node, 0).is_some() {
            return false;
        }
        let syntax = self.syntax;
        let kind = node.kind_name();
        if syntax.string(node).is_some() || syntax.is_concatenated_string(kind) {
            // A string literal that does not fold has interpolations (an f-string), unless
            // the profile says otherwise below (templates).
            return syntax
                .dynamic_special(self, node, &mut |n| self.dynamic(n, depth + 1, seen))
                .unwrap_or(true);
        }
        if let Some((left, op, right)) = syntax.binary(node) {
            let op = self.text(op);
            if op == "+" {
                return self.is_stringish(left)
                    || self.is_stringish(right)
                    || self.dynamic(left, depth + 1, seen)
                    || self.dynamic(right, depth + 1, seen);
            }
            return syntax.is_format_operator(op) && self.is_stringish(left);
        }
        if syntax.is_name(kind) {
            let name = self.text(node);
            let scope = self.scope_of(node);
            if !seen.insert((scope.id(), name)) {
                return false;
            }
            let values = self.scope_bindings(scope, name).unwrap_or_default();
            return values
                .into_iter()
                .flatten()
                .any(|v| self.dynamic(v, depth + 1, seen));
        }
        if let Some(inner) = syntax.same_value(node).or_else(|| syntax.wrapped(node)) {
            return self.dynamic(inner, depth + 1, seen);
        }
        syntax
            .dynamic_special(self, node, &mut |n| self.dynamic(n, depth + 1, seen))
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_of_calls(source: &str, constructed: bool) -> Vec<Vec<String>> {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&Lang::Python.grammar().unwrap())
            .unwrap();
        let tree = parser.parse(source, None).unwrap();
        let sem = Semantic::new(Lang::Python, source, tree.root_node());
        let mut calls = Vec::new();
        crate::tree_walk::for_each_descendant(
            tree.root_node(),
            |_| true,
            |n| {
                if n.kind_name() == "call" {
                    calls.push(n);
                }
            },
        );
        calls
            .iter()
            .map(|c| {
                if constructed {
                    sem.constructed_call_names(*c)
                } else {
                    sem.call_names(*c).to_vec()
                }
            })
            .collect()
    }

    #[test]
    fn receivers_bound_to_constructors_are_named_by_them() {
        let source = "import jinja2\nenv = jinja2.Environment()\nenv.from_string(t)\n";
        assert_eq!(names_of_calls(source, false)[1], ["env.from_string"]);
        let names = names_of_calls(source, true);
        assert!(
            names[1].contains(&"jinja2.Environment().from_string".to_string()),
            "{names:?}"
        );
        assert!(names[1].contains(&"env.from_string".to_string()));
    }

    #[test]
    fn self_referential_bindings_terminate() {
        // `y` is bound to a call on `y`: naming it must not recurse forever.
        let source = "y = y.g().h()\nm = torch.load\nx = x.f()\nx.run(y.k())\n";
        assert_eq!(names_of_calls(source, true).len(), 5);
    }
}
