//! What the engine knows about a file beyond its syntax tree: imports and `use` paths (so
//! `import torch as T; T.load(p)` is `torch.load`), names bound to constants in the same
//! scope, constant folding of strings, and keyword/argument lookup on calls.

use crate::deadline::Deadline;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use codeguard_language::Lang;
use tree_sitter::Node;

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

/// Node kinds that hold statements (and so may hold imports or `use` declarations).
fn is_statement_container(lang: Lang, kind: &str) -> bool {
    match lang {
        Lang::Python => matches!(
            kind,
            "module"
                | "block"
                | "function_definition"
                | "class_definition"
                | "decorated_definition"
                | "if_statement"
                | "elif_clause"
                | "else_clause"
                | "try_statement"
                | "except_clause"
                | "finally_clause"
                | "with_statement"
                | "for_statement"
                | "while_statement"
                | "match_statement"
                | "case_clause"
                | "except_group_clause"
        ),
        Lang::Rust => matches!(
            kind,
            "source_file"
                | "mod_item"
                | "declaration_list"
                | "function_item"
                | "block"
                | "impl_item"
                | "trait_item"
                | "expression_statement"
                | "if_expression"
                | "else_clause"
                | "loop_expression"
                | "for_expression"
                | "while_expression"
                | "unsafe_block"
                | "async_block"
                | "closure_expression"
        ),
        // Data, no statements.
        Lang::Json | Lang::Text => false,
    }
}

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
    /// The file's time budget, shared by every analysis of it.
    deadline: Deadline,
    /// Project settings the model-signing builtin reads.
    pub model_signing: crate::scan::ModelSigning,
    /// See [`crate::ScanOptions::project_facts`].
    pub project_facts: Vec<String>,
    pub source: &'t [u8],
    pub root: Node<'t>,
    /// Local name -> qualified name.
    aliases: HashMap<String, String>,
    /// Modules imported with `*` (Python `from m import *`, Rust `use m::*`).
    star_modules: Vec<String>,
    /// Scope node id -> name -> bindings (`None` = bound to something not a plain value).
    bindings: RefCell<HashMap<usize, ScopeBindings<'t>>>,
    call_name_cache: RefCell<HashMap<usize, Rc<Vec<String>>>>,
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
    pub(crate) fn for_kinds<'k>(
        language: &tree_sitter::Language,
        kinds: impl IntoIterator<Item = &'k str>,
    ) -> Self {
        let mut covered = vec![false; language.node_kind_count()];
        let kinds: Vec<&str> = kinds.into_iter().collect();
        for (id, slot) in covered.iter_mut().enumerate() {
            *slot = u16::try_from(id)
                .ok()
                .and_then(|id| language.node_kind_for_id(id))
                .is_some_and(|name| kinds.contains(&name));
        }
        Self {
            covered,
            nodes: HashMap::new(),
        }
    }

    pub(crate) fn covers(&self, id: u16) -> bool {
        self.covered.get(usize::from(id)).copied().unwrap_or(false)
    }

    /// Records `node` if its kind is indexed.
    pub(crate) fn add(&mut self, node: Node<'t>) {
        if self.covers(node.kind_id()) {
            self.nodes.entry(node.kind_id()).or_default().push(node);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        !self.covered.contains(&true)
    }
}

const MAX_DEPTH: usize = 6;

/// `*` imports that qualify unqualified names (see [`Semantic::add_star_module`]).
const MAX_STAR_MODULES: usize = 32;

/// How deep a Rust `use` tree is followed.
const MAX_USE_NESTING: usize = 64;

impl<'t> Semantic<'t> {
    pub fn new(lang: Lang, source: &'t [u8], root: Node<'t>) -> Self {
        Self::with_deadline(lang, source, root, Deadline::never())
    }

    /// A model whose analyses stop when `deadline` passes (see [`Semantic::out_of_time`]).
    pub(crate) fn with_deadline(
        lang: Lang,
        source: &'t [u8],
        root: Node<'t>,
        deadline: Deadline,
    ) -> Self {
        let mut model = Semantic {
            deadline,
            lang,
            model_signing: crate::scan::ModelSigning::default(),
            project_facts: Vec::new(),
            source,
            root,
            aliases: HashMap::new(),
            star_modules: Vec::new(),
            bindings: RefCell::new(HashMap::new()),
            scopes: std::cell::OnceCell::new(),
            attribute_assignments: std::cell::OnceCell::new(),
            call_name_cache: RefCell::new(HashMap::new()),
            calls_cache: RefCell::new(HashMap::new()),
            kind_index: None,
            children_cache: RefCell::new(HashMap::new()),
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
        std::str::from_utf8(&self.source[node.byte_range()]).unwrap_or("")
    }

    fn sep(&self) -> &'static str {
        match self.lang {
            Lang::Python | Lang::Json | Lang::Text => ".",
            Lang::Rust => "::",
        }
    }

    // ---------------------------------------------------------------- imports

    fn collect_imports(&mut self, root: Node<'t>) {
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            if self.out_of_time() {
                return;
            }
            match (self.lang, node.kind()) {
                (Lang::Python, "import_statement") => self.python_import(node),
                (Lang::Python, "import_from_statement") => self.python_from_import(node),
                (Lang::Rust, "use_declaration") => {
                    if let Some(arg) = node.child_by_field_name("argument") {
                        self.rust_use(arg, "");
                    }
                    continue;
                }
                _ => {}
            }
            // Imports are statements: only look inside nodes that hold statements, not into
            // expressions (this walk used to cost as much as the rule matching itself).
            if is_statement_container(self.lang, node.kind()) {
                let mut cursor = node.walk();
                stack.extend(node.named_children(&mut cursor));
            }
        }
    }

    fn python_import(&mut self, node: Node<'t>) {
        let mut cursor = node.walk();
        for name in node.children_by_field_name("name", &mut cursor) {
            match name.kind() {
                "dotted_name" => {
                    // `import a.b` binds `a`.
                    let full = self.text(name);
                    let head = full.split('.').next().unwrap_or(full);
                    self.aliases.insert(head.to_string(), head.to_string());
                }
                "aliased_import" => {
                    if let (Some(path), Some(alias)) = (
                        name.child_by_field_name("name"),
                        name.child_by_field_name("alias"),
                    ) {
                        self.aliases
                            .insert(self.text(alias).to_string(), self.text(path).to_string());
                    }
                }
                _ => {}
            }
        }
    }

    fn python_from_import(&mut self, node: Node<'t>) {
        let Some(module) = node.child_by_field_name("module_name") else {
            return;
        };
        let module = self.text(module).trim_start_matches('.').to_string();
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind() == "wildcard_import" {
                self.add_star_module(module.clone());
            }
        }
        let mut cursor = node.walk();
        for name in node.children_by_field_name("name", &mut cursor) {
            match name.kind() {
                "dotted_name" => {
                    let n = self.text(name);
                    self.aliases.insert(n.to_string(), format!("{module}.{n}"));
                }
                "aliased_import" => {
                    if let (Some(path), Some(alias)) = (
                        name.child_by_field_name("name"),
                        name.child_by_field_name("alias"),
                    ) {
                        let qualified = format!("{module}.{}", self.text(path));
                        self.aliases.insert(self.text(alias).to_string(), qualified);
                    }
                }
                _ => {}
            }
        }
    }

    /// Records the names a `use` tree brings in. An explicit stack: `use a::{b::{c::{...}}}`
    /// nests as deep as the input does.
    fn rust_use(&mut self, node: Node<'t>, prefix: &str) {
        let join = |p: &str, s: &str| {
            if p.is_empty() {
                s.to_string()
            } else {
                format!("{p}::{s}")
            }
        };
        // (node, path prefix, nesting): trees deeper than MAX_USE_NESTING are not code, and
        // their prefixes would grow with the depth; the rest of such a tree is not followed.
        let mut stack: Vec<(Node<'t>, String, usize)> = vec![(node, prefix.to_string(), 0)];
        while let Some((node, prefix, nesting)) = stack.pop() {
            if nesting > MAX_USE_NESTING {
                continue;
            }
            match node.kind() {
                "identifier" | "scoped_identifier" | "crate" | "super" => {
                    let path = join(&prefix, self.text(node));
                    let last = path.rsplit("::").next().unwrap_or(&path).to_string();
                    self.aliases.insert(last, path);
                }
                "self" => {
                    let last = prefix.rsplit("::").next().unwrap_or(&prefix).to_string();
                    self.aliases.insert(last, prefix.clone());
                }
                "use_as_clause" => {
                    if let (Some(path), Some(alias)) = (
                        node.child_by_field_name("path"),
                        node.child_by_field_name("alias"),
                    ) {
                        self.aliases
                            .insert(self.text(alias).to_string(), join(&prefix, self.text(path)));
                    }
                }
                "scoped_use_list" => {
                    let path = node
                        .child_by_field_name("path")
                        .map(|p| join(&prefix, self.text(p)));
                    let path = path.unwrap_or_else(|| prefix.clone());
                    if let Some(list) = node.child_by_field_name("list") {
                        stack.push((list, path, nesting + 1));
                    }
                }
                "use_list" => {
                    let mut cursor = node.walk();
                    let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                    // Reversed: the stack pops them in source order.
                    for child in children.into_iter().rev() {
                        stack.push((child, prefix.clone(), nesting + 1));
                    }
                }
                "use_wildcard" => {
                    let mut cursor = node.walk();
                    if let Some(path) = node.named_children(&mut cursor).next() {
                        self.add_star_module(join(&prefix, self.text(path)));
                    }
                }
                _ => {}
            }
        }
    }

    /// Every `*` import multiplies the names of every unqualified call; past a few dozen
    /// (hostile input, not code) the rest are ignored.
    fn add_star_module(&mut self, module: String) {
        if self.star_modules.len() < MAX_STAR_MODULES {
            self.star_modules.push(module);
        }
    }

    // ---------------------------------------------------------------- names

    /// Qualified names a call's callee may stand for (several with `*` imports).
    pub fn call_names(&self, call: Node<'t>) -> Rc<Vec<String>> {
        // Cached per node: rules and the flow analysis ask for the same calls many times.
        if let Some(names) = self.call_name_cache.borrow().get(&call.id()) {
            return names.clone();
        }
        let names = Rc::new(match call.child_by_field_name("function") {
            Some(function) => self.qualify(function, 0, false),
            None => Vec::new(),
        });
        self.call_name_cache
            .borrow_mut()
            .insert(call.id(), names.clone());
        names
    }

    /// Like [`Semantic::call_names`], with receivers bound once to a constructor call also
    /// named by it: `env = jinja2.Environment(); env.from_string(..)` ->
    /// `jinja2.Environment().from_string` (besides `env.from_string`). Only rules whose names
    /// contain `()` ask for these (finding the binding costs a scope lookup per receiver).
    pub fn constructed_call_names(&self, call: Node<'t>) -> Vec<String> {
        match call.child_by_field_name("function") {
            Some(function) => self.qualify(function, 0, true),
            None => Vec::new(),
        }
    }

    fn qualify(&self, node: Node<'t>, depth: usize, constructed: bool) -> Vec<String> {
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        let sep = self.sep();
        match node.kind() {
            "identifier" | "type_identifier" => {
                let name = self.text(node);
                if let Some(q) = self.aliases.get(name) {
                    return vec![q.clone()];
                }
                let mut names = vec![name.to_string()];
                names.extend(self.star_modules.iter().map(|m| format!("{m}{sep}{name}")));
                // A receiver bound once to a constructor call is also named by it:
                // `env = jinja2.Environment(); env.from_string` -> `jinja2.Environment().from_string`.
                if constructed
                    && depth > 0
                    && let Some(value) = self.binding(node)
                    && matches!(value.kind(), "call" | "call_expression")
                    && let Some(function) = value.child_by_field_name("function")
                {
                    // Not `call_names`: its depth restarts, and `x = x.f()` would recurse forever.
                    let built = self.qualify(function, depth + 1, constructed);
                    names.extend(built.into_iter().map(|q| format!("{q}()")));
                }
                names
            }
            "attribute" => {
                let (Some(object), Some(attr)) = (
                    node.child_by_field_name("object"),
                    node.child_by_field_name("attribute"),
                ) else {
                    return Vec::new();
                };
                let attr = self.text(attr);
                self.qualify(object, depth + 1, constructed)
                    .into_iter()
                    .map(|q| format!("{q}.{attr}"))
                    .collect()
            }
            "scoped_identifier" | "scoped_type_identifier" => {
                let Some(name) = node.child_by_field_name("name") else {
                    return Vec::new();
                };
                let name = self.text(name);
                match node.child_by_field_name("path") {
                    Some(path) => self
                        .qualify(path, depth + 1, constructed)
                        .into_iter()
                        .map(|q| format!("{q}::{name}"))
                        .collect(),
                    None => vec![name.to_string()],
                }
            }
            "generic_type" | "generic_function" => node
                .child_by_field_name("type")
                .or_else(|| node.child_by_field_name("function"))
                .map(|n| self.qualify(n, depth + 1, constructed))
                .unwrap_or_default(),
            "field_expression" => {
                let (Some(value), Some(field)) = (
                    node.child_by_field_name("value"),
                    node.child_by_field_name("field"),
                ) else {
                    return Vec::new();
                };
                let field = self.text(field);
                self.qualify(value, depth + 1, constructed)
                    .into_iter()
                    .map(|q| format!("{q}.{field}"))
                    .collect()
            }
            "call" | "call_expression" => {
                // The depth carries on (receivers bound to calls can refer to themselves).
                let cached = if constructed {
                    None
                } else {
                    let cache = self.call_name_cache.borrow();
                    cache.get(&node.id()).map(|names| names.to_vec())
                };
                cached
                    .or_else(|| {
                        node.child_by_field_name("function")
                            .map(|f| self.qualify(f, depth + 1, constructed))
                    })
                    .unwrap_or_default()
                    .into_iter()
                    .map(|q| format!("{q}()"))
                    .collect()
            }
            "try_expression" | "parenthesized_expression" | "await_expression" => node
                .named_child(0)
                .map(|n| self.qualify(n, depth + 1, constructed))
                .unwrap_or_default(),
            "crate" | "self" | "super" => vec![self.text(node).to_string()],
            _ => Vec::new(),
        }
    }

    /// The qualified name an imported identifier stands for (`CORSMiddleware` ->
    /// `fastapi.middleware.cors.CORSMiddleware`), if it was imported.
    pub fn imported_name(&self, ident: Node<'t>) -> Option<&str> {
        (ident.kind() == "identifier")
            .then(|| self.aliases.get(self.text(ident)))
            .flatten()
            .map(String::as_str)
    }

    /// The final name of a method or attribute call (`x.y.load(...)` -> `load`).
    pub fn method_name(&self, call: Node<'t>) -> Option<&'t str> {
        let function = call.child_by_field_name("function")?;
        let field = match function.kind() {
            "attribute" => function.child_by_field_name("attribute")?,
            "field_expression" => function.child_by_field_name("field")?,
            _ => return None,
        };
        Some(self.text(field))
    }

    /// The receiver of a method call (`client` in `client.get(..)`).
    pub fn receiver(&self, call: Node<'t>) -> Option<Node<'t>> {
        let function = call.child_by_field_name("function")?;
        match function.kind() {
            "attribute" => function.child_by_field_name("object"),
            "field_expression" => function.child_by_field_name("value"),
            _ => None,
        }
    }

    // ---------------------------------------------------------------- arguments

    /// The argument list node of a call.
    pub fn arguments(&self, call: Node<'t>) -> Option<Node<'t>> {
        call.child_by_field_name("arguments")
    }

    /// Positional argument `index`, unless a `*args` splat hides its position.
    pub fn positional(&self, call: Node<'t>, index: usize) -> Option<Node<'t>> {
        let args = self.arguments(call)?;
        let mut cursor = args.walk();
        let mut position = 0;
        for child in args.named_children(&mut cursor) {
            match child.kind() {
                "keyword_argument" | "dictionary_splat" | "comment" | "attribute_item" => continue,
                "list_splat" => return None,
                _ => {}
            }
            if position == index {
                return Some(child);
            }
            position += 1;
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
        if self.lang != Lang::Python {
            return KeywordLookup::Absent;
        }
        let Some(args) = self.arguments(call) else {
            return KeywordLookup::Absent;
        };
        let mut unknown = false;
        let mut cursor = args.walk();
        for child in args.named_children(&mut cursor) {
            match child.kind() {
                "keyword_argument" => {
                    if child
                        .child_by_field_name("name")
                        .is_some_and(|n| self.text(n) == name)
                        && let Some(value) = child.child_by_field_name("value")
                    {
                        return KeywordLookup::Present(value);
                    }
                }
                "dictionary_splat" => {
                    let inner = child.named_child(0).and_then(|n| self.resolve_node(n, 0));
                    match inner.map(|dict| self.dict_lookup(dict, name)) {
                        Some(KeywordLookup::Present(value)) => {
                            return KeywordLookup::Present(value);
                        }
                        Some(KeywordLookup::Absent) => {}
                        _ => unknown = true,
                    }
                }
                _ => {}
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
        match dict.kind() {
            "dictionary" => {
                let mut unknown = false;
                let mut cursor = dict.walk();
                for pair in dict.named_children(&mut cursor) {
                    if pair.kind() == "dictionary_splat" {
                        unknown = true;
                        continue;
                    }
                    if pair.kind() != "pair" {
                        continue;
                    }
                    let (Some(k), Some(v)) = (
                        pair.child_by_field_name("key"),
                        pair.child_by_field_name("value"),
                    ) else {
                        continue;
                    };
                    match self.constant(k) {
                        Some(Constant::Str(s)) if s == key => return KeywordLookup::Present(v),
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
                if unknown {
                    KeywordLookup::Unknown
                } else {
                    KeywordLookup::Absent
                }
            }
            "call" if self.call_names(dict).iter().any(|n| n == "dict") => {
                self.direct_keyword(dict, key)
            }
            _ => KeywordLookup::Unknown,
        }
    }

    // ---------------------------------------------------------------- bindings

    fn is_scope(&self, node: Node<'_>) -> bool {
        matches!(
            node.kind(),
            "module"
                | "function_definition"
                | "lambda"
                | "source_file"
                | "function_item"
                | "closure_expression"
        )
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
        let mut cursor = node.walk();
        let children = std::rc::Rc::new(node.named_children(&mut cursor).collect::<Vec<_>>());
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
            |n| {
                !matches!(
                    n.kind(),
                    "lambda" | "function_definition" | "closure_expression" | "function_item"
                )
            },
            |n| {
                if wanted(n.kind()) {
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
        let calls = std::rc::Rc::new(
            self.nodes_in(node, |kind| matches!(kind, "call" | "call_expression")),
        );
        self.calls_cache
            .borrow_mut()
            .insert(node.id(), calls.clone());
        calls
    }

    /// Hands over an index of the nodes of some kinds, built by a walk the caller does anyway.
    pub(crate) fn set_kind_index(&mut self, index: KindIndex<'t>) {
        self.kind_index = Some(index);
    }

    /// The nodes of the file with this kind, in document order: from the index when it holds
    /// the kind, else by a walk.
    pub(crate) fn nodes_of_kind(&self, kind: &str) -> Vec<Node<'t>> {
        // A grammar may give one kind name several ids (aliases).
        let language = self.root.language();
        let ids: Vec<u16> = (0..language.node_kind_count() as u16)
            .filter(|id| language.node_kind_for_id(*id) == Some(kind))
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
        let mut markers: Vec<Node<'t>> = Vec::new();
        if let Some(decorated) = f.parent().filter(|p| p.kind() == "decorated_definition") {
            let mut cursor = decorated.walk();
            markers.extend(
                decorated
                    .named_children(&mut cursor)
                    .filter(|d| d.kind() == "decorator"),
            );
        }
        // Rust attributes are the siblings right before the item (comments may sit between).
        let mut prev = f.prev_named_sibling();
        while let Some(p) = prev.filter(|p| {
            matches!(
                p.kind(),
                "attribute_item" | "line_comment" | "block_comment"
            )
        }) {
            if p.kind() == "attribute_item" {
                markers.push(p);
            }
            prev = p.prev_named_sibling();
        }
        markers
    }

    /// The base classes of the class whose method `f` is (none for a plain function).
    pub(crate) fn class_bases(&self, f: Node<'t>) -> Vec<Node<'t>> {
        let mut node = f;
        // def -> (decorated_definition) -> block -> class_definition
        for _ in 0..3 {
            let Some(parent) = node.parent() else {
                return Vec::new();
            };
            if parent.kind() == "class_definition" {
                let Some(bases) = parent.child_by_field_name("superclasses") else {
                    return Vec::new();
                };
                let mut cursor = bases.walk();
                return bases
                    .named_children(&mut cursor)
                    .filter(|b| matches!(b.kind(), "identifier" | "attribute"))
                    .collect();
            }
            node = parent;
        }
        Vec::new()
    }

    /// The innermost `def` around `node` (lambdas and closures skipped), if any.
    pub(crate) fn enclosing_function(&self, node: Node<'t>) -> Option<Node<'t>> {
        let mut scope = self.scope_of(node);
        loop {
            if scope.id() == self.root.id() {
                return None;
            }
            if matches!(scope.kind(), "function_definition" | "function_item") {
                return Some(scope);
            }
            scope = self.scope_of(scope);
        }
    }

    pub(crate) fn scope_of(&self, node: Node<'t>) -> Node<'t> {
        let scopes = self.scopes.get_or_init(|| {
            let mut found: Vec<Scope<'t>> = Vec::new();
            let mut open: Vec<usize> = Vec::new();
            let mut cursor = self.root.walk();
            loop {
                let n = cursor.node();
                if n.id() != self.root.id() && self.is_scope(n) {
                    let (start, end) = (n.start_byte(), n.end_byte());
                    while open.last().is_some_and(|&i| found[i].end <= start) {
                        open.pop();
                    }
                    found.push(Scope {
                        node: n,
                        start,
                        end,
                        parent: open.last().copied(),
                    });
                    open.push(found.len() - 1);
                }
                if cursor.goto_first_child() {
                    continue;
                }
                while !cursor.goto_next_sibling() {
                    if !cursor.goto_parent() {
                        return found;
                    }
                }
            }
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
        if loaded.kind() == "call"
            && loaded
                .child_by_field_name("function")
                .is_some_and(|f| self.text(f) == "open")
            && let Some(path) = self.positional(loaded, 0)
        {
            loaded = path;
        }
        let mut wanted = vec![self.text(loaded)];
        if let Some(value) = self
            .binding(loaded)
            .filter(|_| loaded.kind() == "identifier")
        {
            wanted.push(self.text(value));
        }
        let scope = self.enclosing_function(call).unwrap_or(self.root);
        self.calls_in(scope)
            .iter()
            .take_while(|c| c.end_byte() <= call.start_byte())
            .any(|writer| {
                let Some(function) = writer.child_by_field_name("function") else {
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
                let value = |a: &Node<'t>| a.child_by_field_name("value").unwrap_or(*a);
                let writes = lower.contains("save")
                    || lower.contains("dump")
                    || lower.starts_with("write")
                    || (name == "open"
                        && args
                            .iter()
                            .skip(1)
                            .chain(args.iter().filter(|a| {
                                a.child_by_field_name("name")
                                    .is_some_and(|n| self.text(n) == "mode")
                            }))
                            .any(|a| {
                                self.constant(value(a))
                                    .is_some_and(|m| m.as_text().contains(['w', 'a', 'x']))
                            }));
                writes
                    && args.iter().map(value).any(|a| {
                        wanted.contains(&self.text(a))
                            || (a.kind() == "identifier"
                                && self
                                    .binding(a)
                                    .is_some_and(|v| wanted.contains(&self.text(v))))
                    })
            })
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
        let mut cursor = scope.walk();
        stack.extend(scope.named_children(&mut cursor));
        while let Some(node) = stack.pop() {
            if self.is_scope(node) {
                // A nested function binds its own name in this scope; its body is its own.
                if let Some(name) = node.child_by_field_name("name") {
                    map.entry(self.text(name).to_string())
                        .or_default()
                        .push(None);
                }
                continue;
            }
            match node.kind() {
                "assignment" => {
                    if let Some(left) = node.child_by_field_name("left") {
                        let value = node.child_by_field_name("right");
                        if left.kind() == "identifier" {
                            map.entry(self.text(left).to_string())
                                .or_default()
                                .push(value);
                        } else {
                            self.bind_opaque(left, &mut map);
                        }
                    }
                }
                "let_declaration" | "const_item" | "static_item" => {
                    if let Some(pattern) = node
                        .child_by_field_name("pattern")
                        .or_else(|| node.child_by_field_name("name"))
                    {
                        let value = node.child_by_field_name("value");
                        if pattern.kind() == "identifier" {
                            map.entry(self.text(pattern).to_string())
                                .or_default()
                                .push(value);
                        } else {
                            self.bind_opaque(pattern, &mut map);
                        }
                    }
                }
                // `with httpx.Client() as c`: `c` is (for clients and files) what the
                // expression built, as if `c = httpx.Client()`.
                "as_pattern"
                    if node.parent().is_some_and(|p| p.kind() == "with_item")
                        && node
                            .child_by_field_name("alias")
                            .and_then(|a| a.named_child(0))
                            .is_some_and(|a| a.kind() == "identifier") =>
                {
                    if let (Some(alias), Some(value)) = (
                        node.child_by_field_name("alias")
                            .and_then(|a| a.named_child(0)),
                        node.named_child(0),
                    ) {
                        map.entry(self.text(alias).to_string())
                            .or_default()
                            .push(Some(value));
                    }
                }
                // `for cmd in ["npx.cmd", "npx"]:` binds `cmd` to each element in turn.
                "for_statement"
                    if node
                        .child_by_field_name("left")
                        .is_some_and(|l| l.kind() == "identifier")
                        && node
                            .child_by_field_name("right")
                            .is_some_and(|r| matches!(r.kind(), "list" | "tuple")) =>
                {
                    if let (Some(left), Some(right)) = (
                        node.child_by_field_name("left"),
                        node.child_by_field_name("right"),
                    ) {
                        let elements = self.named_children_of(right);
                        let values = map.entry(self.text(left).to_string()).or_default();
                        if elements.is_empty() || elements.iter().any(|e| e.kind() == "list_splat")
                        {
                            values.push(None);
                        } else {
                            values.extend(elements.iter().map(|e| Some(*e)));
                        }
                    }
                }
                "augmented_assignment"
                | "for_statement"
                | "for_in_clause"
                | "named_expression"
                | "as_pattern"
                | "for_expression"
                | "compound_assignment_expr" => {
                    if let Some(left) = node
                        .child_by_field_name("left")
                        .or_else(|| node.child_by_field_name("name"))
                        .or_else(|| node.child_by_field_name("alias"))
                        .or_else(|| node.child_by_field_name("pattern"))
                    {
                        self.bind_opaque(left, &mut map);
                    }
                }
                "parameters" | "lambda_parameters" | "closure_parameters" => {
                    self.bind_opaque(node, &mut map);
                    continue;
                }
                _ => {}
            }
            let mut cursor = node.walk();
            stack.extend(node.named_children(&mut cursor));
        }
        // Function parameters live on the scope node itself.
        if let Some(params) = scope.child_by_field_name("parameters") {
            self.bind_opaque(params, &mut map);
        }
        map
    }

    /// Binds every identifier in a pattern to an opaque value (an explicit stack: patterns
    /// nest as deep as the input does).
    fn bind_opaque(&self, node: Node<'t>, map: &mut ScopeBindings<'t>) {
        let mut stack = vec![node];
        while let Some(node) = stack.pop() {
            if node.kind() == "identifier" {
                map.entry(self.text(node).to_string())
                    .or_default()
                    .push(None);
                continue;
            }
            let mut cursor = node.walk();
            stack.extend(
                node.named_children(&mut cursor)
                    .filter(|c| c.kind() != "type" && c.kind() != "default"),
            );
        }
    }

    /// Follows identifiers to the single value they are bound to.
    pub fn resolve_node(&self, node: Node<'t>, depth: usize) -> Option<Node<'t>> {
        if depth > MAX_DEPTH {
            return None;
        }
        match node.kind() {
            "identifier" => self
                .binding(node)
                .and_then(|v| self.resolve_node(v, depth + 1)),
            "parenthesized_expression" | "reference_expression" => node
                .named_child(0)
                .and_then(|n| self.resolve_node(n, depth + 1))
                .or(Some(node)),
            _ => Some(node),
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
        match node.kind() {
            "identifier" => self
                .binding(node)
                .map(|v| self.constant_prefix(v, depth + 1))
                .unwrap_or_default(),
            "parenthesized_expression" => node
                .named_child(0)
                .map(|n| self.constant_prefix(n, depth + 1))
                .unwrap_or_default(),
            // Rust `&url`.
            "reference_expression" => node
                .named_child(node.named_child_count().saturating_sub(1) as u32)
                .map(|n| self.constant_prefix(n, depth + 1))
                .unwrap_or_default(),
            // Rust `format!("https://host/{x}")`: the template up to its first placeholder.
            "macro_invocation" if self.macro_name(node) == Some("format") => {
                let template = self
                    .nodes_in(node, |kind| kind == "string_literal")
                    .first()
                    .and_then(|t| self.fold(*t, depth + 1));
                template
                    .map(|t| {
                        let text = t.as_text();
                        text[..text.find('{').unwrap_or(text.len())].to_string()
                    })
                    .unwrap_or_default()
            }
            "binary_operator"
                if node
                    .child_by_field_name("operator")
                    .is_some_and(|o| self.text(o) == "+") =>
            {
                node.child_by_field_name("left")
                    .map(|l| self.constant_prefix(l, depth + 1))
                    .unwrap_or_default()
            }
            "string" => {
                let mut out = String::new();
                for part in self.named_children_of(node).iter() {
                    match part.kind() {
                        "string_content" | "escape_sequence" => out.push_str(self.text(*part)),
                        "interpolation" => {
                            let folded = part
                                .child_by_field_name("expression")
                                .and_then(|e| self.fold(e, depth + 1));
                            match folded {
                                Some(c) => out.push_str(c.as_text()),
                                None => break,
                            }
                        }
                        _ => {}
                    }
                }
                out
            }
            _ => String::new(),
        }
    }

    // ---------------------------------------------------------------- constants

    /// Folds a node to a constant: literals, constant concatenations, names bound once to a
    /// constant, `concat!`, `"..".to_string()`.
    pub fn constant(&self, node: Node<'t>) -> Option<Constant> {
        self.fold(node, 0)
    }

    fn fold(&self, node: Node<'t>, depth: usize) -> Option<Constant> {
        if depth > MAX_DEPTH {
            return None;
        }
        match node.kind() {
            "string" => self.python_string(node, depth),
            "concatenated_string" => {
                let mut out = String::new();
                let mut cursor = node.walk();
                for part in node.named_children(&mut cursor) {
                    match self.fold(part, depth + 1)? {
                        Constant::Str(s) => out.push_str(&s),
                        Constant::Other(_) => return None,
                    }
                }
                Some(Constant::Str(out))
            }
            "string_literal" | "raw_string_literal" => {
                let mut out = String::new();
                let mut cursor = node.walk();
                for part in node.named_children(&mut cursor) {
                    if matches!(part.kind(), "string_content" | "escape_sequence") {
                        out.push_str(self.text(part));
                    }
                }
                Some(Constant::Str(out))
            }
            "integer" | "float" | "true" | "false" | "none" | "integer_literal"
            | "float_literal" | "boolean_literal" | "char_literal" => {
                Some(Constant::Other(self.text(node).to_string()))
            }
            "unary_operator" | "unary_expression" => {
                let inner = node.named_child(node.named_child_count().saturating_sub(1) as u32)?;
                self.fold(inner, depth + 1)?;
                Some(Constant::Other(self.text(node).to_string()))
            }
            "parenthesized_expression" | "reference_expression" | "expression_statement" => {
                let inner = node.named_child(node.named_child_count().saturating_sub(1) as u32)?;
                self.fold(inner, depth + 1)
            }
            "binary_operator" | "binary_expression" => {
                let op = node.child_by_field_name("operator").map(|o| self.text(o));
                let left = self.fold(node.child_by_field_name("left")?, depth + 1)?;
                let right = self.fold(node.child_by_field_name("right")?, depth + 1)?;
                match (op, left, right) {
                    (Some("+"), Constant::Str(a), Constant::Str(b)) => Some(Constant::Str(a + &b)),
                    _ => Some(Constant::Other(self.text(node).to_string())),
                }
            }
            "tuple" | "list" | "array_expression" | "tuple_expression" => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    self.fold(child, depth + 1)?;
                }
                Some(Constant::Other(self.text(node).to_string()))
            }
            "identifier" => match self.binding(node) {
                Some(value) => self.fold(value, depth + 1),
                None => self.fold_alternatives(node, depth),
            },
            "macro_invocation" => {
                let name = node.child_by_field_name("macro").map(|m| self.text(m))?;
                if name != "concat" {
                    return None;
                }
                let mut out = String::new();
                let tokens = node
                    .named_children(&mut node.walk())
                    .find(|c| c.kind() == "token_tree")?;
                let mut cursor = tokens.walk();
                for tok in tokens.named_children(&mut cursor) {
                    match self.fold(tok, depth + 1)? {
                        Constant::Str(s) | Constant::Other(s) => out.push_str(&s),
                    }
                }
                Some(Constant::Str(out))
            }
            "call_expression" => {
                // `"x".to_string()`, `"x".into()`, `String::from("x")`, `"x".to_owned()`.
                let function = node.child_by_field_name("function")?;
                match function.kind() {
                    "field_expression" => {
                        let field = self.text(function.child_by_field_name("field")?);
                        if matches!(field, "to_string" | "into" | "to_owned") {
                            return self.fold(function.child_by_field_name("value")?, depth + 1);
                        }
                        None
                    }
                    _ if self.text(function) == "String::from" => {
                        self.fold(self.positional(node, 0)?, depth + 1)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
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
        let values = values.flatten()?;
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

    fn python_string(&self, node: Node<'t>, depth: usize) -> Option<Constant> {
        let mut out = String::new();
        let mut cursor = node.walk();
        for part in node.named_children(&mut cursor) {
            match part.kind() {
                "string_content" | "escape_sequence" => out.push_str(self.text(part)),
                "interpolation" => {
                    let expr = part.child_by_field_name("expression")?;
                    out.push_str(self.fold(expr, depth + 1)?.as_text());
                }
                _ => {}
            }
        }
        Some(Constant::Str(out))
    }

    /// A string built at run time from non-constant parts: f-strings with placeholders,
    /// `+`/`%` with a string, `"...".format(x)`, `format!` with arguments.
    pub fn is_dynamic_string(&self, node: Node<'t>) -> bool {
        self.dynamic(node, 0, &mut std::collections::HashSet::new())
    }

    fn is_stringish(&self, node: Node<'t>) -> bool {
        matches!(
            node.kind(),
            "string" | "concatenated_string" | "string_literal" | "raw_string_literal"
        ) || (node.kind() == "macro_invocation" && self.macro_name(node) == Some("format"))
    }

    fn macro_name(&self, node: Node<'t>) -> Option<&'t str> {
        node.child_by_field_name("macro")
            .map(|m| self.text(m).rsplit("::").next().unwrap_or_default())
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
        match node.kind() {
            "string" | "concatenated_string" => true,
            "binary_operator" | "binary_expression" => {
                let op = node.child_by_field_name("operator").map(|o| self.text(o));
                let (Some(left), Some(right)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) else {
                    return false;
                };
                match op {
                    Some("+") => {
                        self.is_stringish(left)
                            || self.is_stringish(right)
                            || self.dynamic(left, depth + 1, seen)
                            || self.dynamic(right, depth + 1, seen)
                    }
                    Some("%") => self.is_stringish(left),
                    _ => false,
                }
            }
            "call" => {
                let Some(function) = node.child_by_field_name("function") else {
                    return false;
                };
                function.kind() == "attribute"
                    && function
                        .child_by_field_name("attribute")
                        .is_some_and(|a| self.text(a) == "format")
                    && function
                        .child_by_field_name("object")
                        .is_some_and(|o| self.is_stringish(o))
            }
            "macro_invocation" => {
                matches!(
                    self.macro_name(node),
                    Some("format" | "format_args" | "concat")
                )
            }
            "call_expression" => {
                // `format!(..).as_str()`, `x.to_string()` on a dynamic value.
                node.child_by_field_name("function")
                    .filter(|f| f.kind() == "field_expression")
                    .and_then(|f| f.child_by_field_name("value"))
                    .is_some_and(|v| self.dynamic(v, depth + 1, seen))
            }
            "identifier" => {
                let name = self.text(node);
                let scope = self.scope_of(node);
                if !seen.insert((scope.id(), name)) {
                    return false;
                }
                let values = self.scope_bindings(scope, name).unwrap_or_default();
                values
                    .into_iter()
                    .flatten()
                    .any(|v| self.dynamic(v, depth + 1, seen))
            }
            "parenthesized_expression" | "reference_expression" | "await_expression" => node
                .named_child(node.named_child_count().saturating_sub(1) as u32)
                .is_some_and(|n| self.dynamic(n, depth + 1, seen)),
            _ => false,
        }
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
        let sem = Semantic::new(Lang::Python, source.as_bytes(), tree.root_node());
        let mut calls = Vec::new();
        crate::tree_walk::for_each_descendant(
            tree.root_node(),
            |_| true,
            |n| {
                if n.kind() == "call" {
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
