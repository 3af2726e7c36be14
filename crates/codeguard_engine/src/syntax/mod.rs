//! Language profiles: what each grammar calls a call, a name, a string, an import or a
//! binding. The semantic model asks these questions through [`Syntax`] and never names a
//! node kind itself, so a new grammar cannot fall silently into another language's match
//! arms: what its profile does not recognise is opaque (no name, no constant).
//!
//! One module per language family. Each lists the kind names it uses in `KINDS`; a test
//! checks every one exists in the grammar, so a misspelt kind fails the build's tests
//! instead of matching nothing.

use crate::node_ext::NodeExt;
use codeguard_language::Lang;
use tree_sitter::Node;

use crate::semantic::{Constant, Semantic};

mod javascript;
mod python;
mod rust;

/// The profile of a language with a grammar.
pub(crate) fn of(lang: Lang) -> &'static dyn Syntax {
    match lang {
        Lang::Python => &python::Python,
        Lang::Rust => &rust::Rust,
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => &javascript::JavaScript,
        // Data files: nothing is a call, a name or an import.
        Lang::Json | Lang::Text => &Opaque,
    }
}

/// How an argument of a call is passed.
pub(crate) enum Argument<'t> {
    /// The next positional argument.
    Positional(Node<'t>),
    /// `name=value`.
    Keyword { name: Node<'t>, value: Node<'t> },
    /// `*args`, `...args`: later positions are unknown.
    Spread,
    /// `**kwargs` (the expression spread): keywords may come from it.
    KeywordSpread(Option<Node<'t>>),
    /// Not an argument (a comment, an attribute).
    Skip,
}

/// An entry of a dictionary or object literal.
pub(crate) enum Entry<'t> {
    /// `key: value`; `bare`: the key is a name, not an expression (`{shell: true}`).
    Pair {
        key: Node<'t>,
        value: Node<'t>,
        bare: bool,
    },
    /// `**other`, `...other`, or an entry whose key is not known.
    Unknown,
}

/// A part of a string literal.
pub(crate) enum StringPart<'t> {
    /// Literal text (as written: escapes are not decoded).
    Text(Node<'t>),
    /// An interpolated expression (`{x}` in an f-string, `${x}` in a template).
    Value(Option<Node<'t>>),
}

/// What a node binds in its scope.
pub(crate) enum Binding<'t> {
    /// `name = value` (a declaration without a value binds `None`).
    Value {
        name: Node<'t>,
        value: Option<Node<'t>>,
    },
    /// `for name in [a, b]`: bound to each element in turn (`None`: an element is spread).
    EachOf {
        name: Node<'t>,
        elements: Option<Vec<Node<'t>>>,
    },
    /// Every name in this pattern is bound to something the model cannot see.
    Opaque(Node<'t>),
    /// A parameter list: opaque bindings, and nothing inside to look at.
    Parameters(Node<'t>),
    /// Binds nothing.
    None,
}

/// What a statement does, for the data-flow analysis.
pub(crate) enum Statement<'t> {
    /// Runs nothing now: definitions, imports, comments.
    Inert,
    /// Only these expressions run now (the decorators of a definition).
    Evaluates(Vec<Node<'t>>),
    /// Expressions evaluated in order (an expression statement).
    Expressions(Vec<Node<'t>>),
    /// `let pattern = value`, one pair per declarator.
    Declarations(Vec<(Node<'t>, Option<Node<'t>>)>),
    /// `return value`.
    Return(Option<Node<'t>>),
    /// `if`, with fields `condition`, `consequence` and its clauses as children.
    If,
    /// `for target in iterable`.
    For {
        target: Option<Node<'t>>,
        iterable: Option<Node<'t>>,
    },
    /// `with value as alias, ...`.
    With(Vec<(Node<'t>, Node<'t>)>),
    /// An expression standing in a block (a Rust tail expression: also the return value).
    Expression,
    /// Any other compound statement: headers are checked for sinks, blocks visited in order.
    Compound,
}

/// What an expression carries, for the data-flow analysis.
pub(crate) enum Value<'t> {
    /// A name (also `self`, `this`): its state.
    Name,
    /// `object.name`: its own state, else the object's.
    Member(Node<'t>),
    /// `value[index]`.
    Index(Node<'t>),
    /// A call or construction.
    Call,
    /// A macro call (Rust `format!`): the names inside it.
    Macro,
    /// Built from its named children (strings, operators, containers, `await`).
    Composite,
    /// Carries what this child carries (the value of an assignment expression).
    Of(Node<'t>),
    /// Carries nothing the analysis follows (literals, lambdas).
    Opaque,
}

/// What an import-like node brings into scope.
pub(crate) struct Imports<'a> {
    /// Local name -> qualified name.
    pub aliases: &'a mut foldhash::HashMap<String, String>,
    /// Modules whose names are all imported (`from m import *`, `use m::*`).
    pub star_modules: &'a mut Vec<String>,
    /// Qualified names (and `*` modules) bound by relative imports, with the import's
    /// leading dots (`utils.logging` -> `..utils.logging`): the links resolve them from the
    /// importing file's folder, not as a path's end anywhere in the project.
    pub relative: &'a mut foldhash::HashMap<String, String>,
}

/// `*` imports that qualify unqualified names.
const MAX_STAR_MODULES: usize = 32;

impl Imports<'_> {
    /// Every `*` import multiplies the names of every unqualified call; past a few dozen
    /// (hostile input, not code) the rest are ignored.
    pub fn add_star_module(&mut self, module: String) {
        if self.star_modules.len() < MAX_STAR_MODULES {
            self.star_modules.push(module);
        }
    }
}

/// Where an imported name may be defined in the project: a module path, relative to the
/// importing file's folder or matched against the end of a file's path (without extension),
/// and the function, when the name is one (`None`: the module itself was imported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModuleRef {
    pub path: Vec<String>,
    pub relative: bool,
    pub function: Option<String>,
}

/// The two readings of an imported dotted name: a module, or a function of its parent module.
pub(crate) fn module_refs(parts: Vec<String>, relative: bool) -> Vec<ModuleRef> {
    let mut refs = Vec::new();
    if parts.len() >= 2 {
        let (module, function) = parts.split_at(parts.len() - 1);
        refs.push(ModuleRef {
            path: module.to_vec(),
            relative,
            function: Some(function[0].clone()),
        });
    }
    if !parts.is_empty() {
        refs.push(ModuleRef {
            path: parts,
            relative,
            function: None,
        });
    }
    refs
}

/// A file's top-level statements and where its comments and plain string literals are,
/// found by reading its text without parsing it (see [`crate::partial`]).
pub(crate) struct Outline {
    pub items: Vec<OutlineItem>,
    /// Comments and string literals holding no code (not f-strings), in order.
    pub not_code: Vec<std::ops::Range<usize>>,
    /// The attributes a piece of the text reads from its own object (`self.name`).
    pub attribute_reads: fn(&[u8]) -> Vec<&[u8]>,
}

/// A top-level statement of a file, or a piece of a top-level class (its header and
/// class-level statements, or one method), found by reading its text without parsing it (see
/// [`crate::partial`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutlineItem {
    /// From the statement's first byte to the next one's (comments and blank lines after it
    /// included), so the items of a file cover it.
    pub range: std::ops::Range<usize>,
    /// A function or class definition (with its decorators): parsed only when needed.
    pub definition: bool,
    /// What the item names: a definition, the functions it defines (itself, its methods and
    /// nested functions); another statement, the names its imports and top-level
    /// assignments bind.
    pub names: Vec<std::ops::Range<usize>>,
    /// The attributes a definition assigns (`self.name = ..`, class attributes): the
    /// semantic model reads `self.name` through every assignment of the file.
    pub attributes: Vec<std::ops::Range<usize>>,
    /// A piece of a top-level class (a large class is a file's worth of methods): the index
    /// of the class's first piece, its header. The header and the class-level statements are
    /// the class's frame, parsed with any of its methods.
    pub class: Option<usize>,
    /// Part of its class's frame (see `class`).
    pub frame: bool,
}

/// The questions the semantic model asks of a grammar. Every method answers "no" for nodes
/// the language does not know.
pub(crate) trait Syntax: Sync {
    /// Joins the parts of a module path (`.` or `::`).
    fn path_separator(&self) -> &'static str {
        "."
    }

    /// The project modules an imported qualified name may come from (see [`ModuleRef`]);
    /// empty for names of installed packages when the language tells them apart.
    fn project_modules(&self, _qualified: &str) -> Vec<ModuleRef> {
        Vec::new()
    }

    /// Whether an absolute import names a module from a source root (a folder on Python's
    /// path, which is no package itself): then a project file whose path ends with the
    /// module's but whose leading folder is a package is another module (`import logging`
    /// is not `pkg/utils/logging.py`), unless the importing file is in that folder.
    fn absolute_imports_start_at_a_root(&self) -> bool {
        false
    }

    /// The file name (without extension) that stands for its folder (`__init__`, `index`).
    fn package_file(&self) -> &'static str {
        ""
    }

    /// The top-level statements of `source`, read without parsing it, for parsing only the
    /// ones rules may match in; `None` when the language cannot tell them apart cheaply.
    fn outline(&self, _source: &[u8]) -> Option<Outline> {
        None
    }

    /// Whether `source` may define a function named `name`, as far as its text tells; `true`
    /// where the language cannot tell cheaply.
    fn may_define_function(&self, _source: &[u8], _name: &str) -> bool {
        true
    }

    /// Whether nodes of this kind hold statements (and so may hold imports).
    fn is_statement_container(&self, kind: &str) -> bool;

    /// Standard and well-known modules that snippets use without importing them (`os.system`
    /// in a fragment an assistant wrote): an unbound name of this list is taken for the module.
    fn well_known_modules(&self) -> &'static [&'static str] {
        &[]
    }

    /// Records the names `node` imports; `false` if it is not an import.
    fn import(&self, node: Node<'_>, source: &[u8], imports: &mut Imports<'_>) -> bool;

    /// A plain name (`x`): qualified through the imports.
    fn is_name(&self, kind: &str) -> bool;

    /// `object.name`: the object and the name node.
    fn member<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>)>;

    /// `path::name` (the path is absent in `::name`).
    fn scoped<'t>(&self, _node: Node<'t>) -> Option<(Option<Node<'t>>, Node<'t>)> {
        None
    }

    /// `Vec::<T>`, `f::<T>`: the generic thing named.
    fn generic_inner<'t>(&self, _node: Node<'t>) -> Option<Node<'t>> {
        None
    }

    /// Names that stand for themselves in paths (`crate`, `self`, `super`).
    fn is_path_keyword(&self, _kind: &str) -> bool {
        false
    }

    /// A call (or construction): the callee and the argument list.
    fn call<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)>;

    /// Whether nodes of this kind are calls (see [`Syntax::call`]).
    fn is_call(&self, kind: &str) -> bool;

    /// Expressions that name what they wrap (`(x)`, `await x`, `x?`).
    fn wrapped<'t>(&self, node: Node<'t>) -> Option<Node<'t>>;

    /// How one child of an argument list is passed.
    fn argument<'t>(&self, node: Node<'t>) -> Argument<'t>;

    /// Whether keyword options are passed as an object literal argument (`f(x, {shell: true})`)
    /// rather than as keyword arguments.
    fn options_objects(&self) -> bool {
        false
    }

    /// The entries of a dictionary or object literal; `None` if `node` is not one.
    fn entries<'t>(&self, node: Node<'t>) -> Option<Vec<Entry<'t>>>;

    /// A call that builds a dictionary from keyword arguments (Python `dict(a=1)`).
    fn dict_constructor(&self) -> Option<&'static str> {
        None
    }

    /// Function-like scopes: functions, lambdas, closures, and the module.
    fn is_scope(&self, kind: &str) -> bool;

    /// Nested code with its own body (walks of a function's calls stop there).
    fn is_nested_code(&self, kind: &str) -> bool;

    /// Named function definitions (`def`, `fn`, `function`).
    fn is_function(&self, kind: &str) -> bool;

    /// What `node` binds in the scope being collected.
    fn binding<'t>(&self, node: Node<'t>) -> Binding<'t>;

    /// What `node` binds, where that depends on names in the source (a method that appends
    /// to the string it is called on re-binds that string). By default [`Syntax::binding`].
    fn binding_in<'t>(&self, _sem: &Semantic<'t>, node: Node<'t>) -> Binding<'t> {
        self.binding(node)
    }

    /// Names a pattern binds (`x` in `Some(x)`, not the type `Some`).
    fn is_binding_name(&self, kind: &str) -> bool {
        self.is_name(kind)
    }

    /// Children of a pattern that are not bound names (type annotations, defaults).
    fn is_pattern_annotation(&self, _kind: &str) -> bool {
        false
    }

    /// The parts of a string literal; `None` if `node` is not one.
    fn string<'t>(&self, node: Node<'t>) -> Option<Vec<StringPart<'t>>>;

    /// Adjacent literals joined into one string (`"a" "b"`).
    fn is_concatenated_string(&self, _kind: &str) -> bool {
        false
    }

    /// Numbers, booleans, `None`/`null`, characters.
    fn is_scalar(&self, kind: &str) -> bool;

    /// `-x`, `not x`: the operand.
    fn unary_operand<'t>(&self, node: Node<'t>) -> Option<Node<'t>>;

    /// Expressions with the value of their last child (`(x)`, `&x`).
    fn same_value<'t>(&self, node: Node<'t>) -> Option<Node<'t>>;

    /// `left op right`.
    fn binary<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>, Node<'t>)>;

    /// Tuple, list and array literals.
    fn is_sequence(&self, kind: &str) -> bool;

    /// For a loop (or comprehension) at `node` that binds `name` while walking a sequence
    /// (`for name in items`, `for (const name of items)`, `(f(name) for name, _ in items)`):
    /// the sequence, and whether `name` is each whole item (not one part of an unpacked one).
    fn loop_iterable<'t>(
        &self,
        _node: Node<'t>,
        _name: &str,
        _source: &[u8],
    ) -> Option<(Node<'t>, bool)> {
        None
    }

    /// `c ? a : b`, `a if c else b`: the two values it may take.
    fn conditional<'t>(&self, _node: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        None
    }

    /// A language's own ways to build constants (Rust `concat!`, `"x".to_string()`):
    /// `Some(answer)` when this profile decides.
    fn fold_special<'t>(
        &self,
        _sem: &Semantic<'t>,
        _node: Node<'t>,
        _depth: usize,
    ) -> Option<Option<Constant>> {
        None
    }

    /// A language's own ways to build strings at run time (Python `"..".format(x)`, Rust
    /// `format!`): `Some(answer)` when this profile decides.
    fn dynamic_special<'t>(
        &self,
        _sem: &Semantic<'t>,
        _node: Node<'t>,
        _dynamic: &mut dyn FnMut(Node<'t>) -> bool,
    ) -> Option<bool> {
        None
    }

    /// Whether `node` builds a string (a literal, or a formatting macro).
    fn is_stringish<'t>(&self, sem: &Semantic<'t>, node: Node<'t>) -> bool {
        self.string(node).is_some()
            || self.is_concatenated_string(node.kind_name())
            || self.is_formatting(sem, node)
    }

    /// A formatting expression whose text starts with a template (Rust `format!`).
    fn is_formatting<'t>(&self, _sem: &Semantic<'t>, _node: Node<'t>) -> bool {
        false
    }

    /// The constant start of a formatting expression's template (`format!("https://h/{x}")`).
    fn formatting_prefix<'t>(&self, _sem: &Semantic<'t>, _node: Node<'t>) -> Option<String> {
        None
    }

    /// Binary operators that build a string from a format and values (Python `%`).
    fn is_format_operator(&self, _op: &str) -> bool {
        false
    }

    /// Decorators or outer attributes of a function definition.
    fn function_markers<'t>(&self, _f: Node<'t>) -> Vec<Node<'t>> {
        Vec::new()
    }

    /// Base classes of the class whose method `f` is.
    fn class_bases<'t>(&self, _f: Node<'t>) -> Vec<Node<'t>> {
        Vec::new()
    }

    /// Whether the taint analysis knows this language.
    fn has_flow(&self) -> bool {
        false
    }

    /// Whether the checks written in Rust (builtin matchers) and the judgement of values the
    /// code defines itself (`semantic/code_defined.rs`) apply: they are written against
    /// Python's and Rust's trees.
    fn has_builtins(&self) -> bool {
        false
    }

    // ------------------------------------------------------------ data flow

    /// What a statement does (see [`Statement`]).
    fn statement<'t>(&self, _node: Node<'t>) -> Statement<'t> {
        Statement::Compound
    }

    /// Blocks of statements (visited in order).
    fn is_block(&self, _kind: &str) -> bool {
        false
    }

    /// Clauses of a compound statement (`else`, `except`), visited as statements.
    fn is_clause(&self, _kind: &str) -> bool {
        false
    }

    /// Nodes that may hold function definitions (classes, modules, blocks, functions).
    fn may_hold_functions(&self, _kind: &str) -> bool {
        false
    }

    /// The names a function's parameters bind, each with the parameter node it comes from.
    fn parameters<'t>(&self, _f: Node<'t>) -> Vec<(Node<'t>, Node<'t>)> {
        Vec::new()
    }

    /// Parameters that stand for the object a method is called on (Python `self`, `cls`).
    fn is_receiver_parameter(&self, _name: &str) -> bool {
        false
    }

    /// `left = right` (`augmented`: `left += right`, which keeps what `left` held).
    fn assignment<'t>(&self, _node: Node<'t>) -> Option<(Node<'t>, Node<'t>, bool)> {
        None
    }

    /// `await x`: `x`.
    fn awaited<'t>(&self, _node: Node<'t>) -> Option<Node<'t>> {
        None
    }

    /// `value[index]`.
    fn index<'t>(&self, _node: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        None
    }

    /// Names of the receiver that act as variables (`self`, `this`).
    fn is_self(&self, _kind: &str) -> bool {
        false
    }

    /// What an expression carries (see [`Value`]).
    fn value<'t>(&self, _node: Node<'t>) -> Value<'t> {
        Value::Opaque
    }

    /// The names whose values a macro call uses (`format!("{}", x)`: `x`).
    fn macro_values<'t>(&self, _sem: &Semantic<'t>, _node: Node<'t>) -> Vec<Node<'t>> {
        Vec::new()
    }

    /// `not x`, `!x`: `x`.
    fn negated<'t>(&self, _node: Node<'t>) -> Option<Node<'t>> {
        None
    }

    /// `a and b` / `a or b` (`true`: and).
    fn boolean<'t>(
        &self,
        _sem: &Semantic<'t>,
        _node: Node<'t>,
    ) -> Option<(bool, Node<'t>, Node<'t>)> {
        None
    }

    /// A comparison: left, its operators (`in`, `not in`, `==`, `!=`, ...), right.
    fn comparison<'t>(
        &self,
        _sem: &Semantic<'t>,
        _node: Node<'t>,
    ) -> Option<(Node<'t>, Vec<&'t str>, Node<'t>)> {
        None
    }

    /// Statements that leave the function or loop (`raise`, `throw`, `return`, `break`).
    fn is_exit(&self, _kind: &str) -> bool {
        false
    }

    /// The expression of an expression statement.
    fn expression_of<'t>(&self, _node: Node<'t>) -> Option<Node<'t>> {
        None
    }

    /// The language's own functions whose result keeps its arguments' taint.
    fn propagators(&self) -> &'static [&'static str] {
        &[]
    }

    /// Whether a call of a capitalised name builds an object (Python classes): the object
    /// carries what is unpacked into it.
    fn capitalised_calls_construct(&self) -> bool {
        false
    }
}

/// Text of `node` in `source`.
fn text<'s>(source: &'s [u8], node: Node<'_>) -> &'s str {
    std::str::from_utf8(&source[node.byte_range()]).unwrap_or("")
}

/// Data files: nothing to ask.
struct Opaque;

impl Syntax for Opaque {
    fn is_statement_container(&self, _: &str) -> bool {
        false
    }
    fn import(&self, _: Node<'_>, _: &[u8], _: &mut Imports<'_>) -> bool {
        false
    }
    fn is_name(&self, _: &str) -> bool {
        false
    }
    fn member<'t>(&self, _: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        None
    }
    fn call<'t>(&self, _: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        None
    }
    fn is_call(&self, _: &str) -> bool {
        false
    }
    fn wrapped<'t>(&self, _: Node<'t>) -> Option<Node<'t>> {
        None
    }
    fn argument<'t>(&self, _: Node<'t>) -> Argument<'t> {
        Argument::Skip
    }
    fn entries<'t>(&self, _: Node<'t>) -> Option<Vec<Entry<'t>>> {
        None
    }
    fn is_scope(&self, _: &str) -> bool {
        false
    }
    fn is_nested_code(&self, _: &str) -> bool {
        false
    }
    fn is_function(&self, _: &str) -> bool {
        false
    }
    fn binding<'t>(&self, _: Node<'t>) -> Binding<'t> {
        Binding::None
    }
    fn string<'t>(&self, _: Node<'t>) -> Option<Vec<StringPart<'t>>> {
        None
    }
    fn is_scalar(&self, _: &str) -> bool {
        false
    }
    fn unary_operand<'t>(&self, _: Node<'t>) -> Option<Node<'t>> {
        None
    }
    fn same_value<'t>(&self, _: Node<'t>) -> Option<Node<'t>> {
        None
    }
    fn binary<'t>(&self, _: Node<'t>) -> Option<(Node<'t>, Node<'t>, Node<'t>)> {
        None
    }
    fn is_sequence(&self, _: &str) -> bool {
        false
    }
}

/// Two fields of a node of `kind` (`object`/`attribute`, `left`/`right`).
fn fields<'t>(
    node: Node<'t>,
    kind: &str,
    first: &str,
    second: &str,
) -> Option<(Node<'t>, Node<'t>)> {
    if node.kind_name() != kind {
        return None;
    }
    Some((node.field(first)?, node.field(second)?))
}

/// `left op right` for a node of `kind`.
fn binary_fields<'t>(node: Node<'t>, kind: &str) -> Option<(Node<'t>, Node<'t>, Node<'t>)> {
    let (left, right) = fields(node, kind, "left", "right")?;
    Some((left, node.field("operator")?, right))
}

/// `left = right` for a node of kind `plain`, `left op= right` for one of kind `augmented`.
fn assignment_fields<'t>(
    node: Node<'t>,
    plain: &str,
    augmented: &str,
) -> Option<(Node<'t>, Node<'t>, bool)> {
    let is_augmented = node.kind_name() == augmented;
    let kind = if is_augmented { augmented } else { plain };
    let (left, right) = fields(node, kind, "left", "right")?;
    Some((left, right, is_augmented))
}

/// The callee (in field `callee`) and the argument list of a node of `kind`.
fn call_fields<'t>(
    node: Node<'t>,
    kind: &str,
    callee: &str,
) -> Option<(Node<'t>, Option<Node<'t>>)> {
    if node.kind_name() != kind {
        return None;
    }
    Some((node.field(callee)?, node.field("arguments")))
}

/// A loop whose target is a plain name and whose iterable is a literal list (of one of the
/// `lists` kinds): the name is bound to each element in turn (to something unknown when an
/// element is spread, of kind `spread`). `None` for other loops.
fn each_of_literal<'t>(node: Node<'t>, lists: &[&str], spread: &str) -> Option<Binding<'t>> {
    let name = node
        .field("left")
        .filter(|l| l.kind_name() == "identifier")?;
    let right = node
        .field("right")
        .filter(|r| lists.contains(&r.kind_name()))?;
    let elements: Vec<Node<'t>> = right.each_named_child().collect();
    let spread = elements.is_empty() || elements.iter().any(|e| e.kind_name() == spread);
    Some(Binding::EachOf {
        name,
        elements: (!spread).then_some(elements),
    })
}

/// The first named child of a node of `kind` (`await x`: `x`).
fn first_child_of<'t>(node: Node<'t>, kind: &str) -> Option<Node<'t>> {
    (node.kind_name() == kind)
        .then(|| node.named_child(0))
        .flatten()
}

/// The last named child (the value of `(x)`, `&x`, `-x`).
fn last_named_child(node: Node<'_>) -> Option<Node<'_>> {
    node.named_child(node.named_child_count().checked_sub(1)? as u32)
}

/// The children of a string node as parts: `text` kinds are literal text, `value` kinds hold
/// an interpolated expression (in field `expression`, else the first named child).
fn string_parts<'t>(node: Node<'t>, text: &[&str], value: &[&str]) -> Vec<StringPart<'t>> {
    node.each_named_child()
        .filter_map(|part| {
            if text.contains(&part.kind_name()) {
                Some(StringPart::Text(part))
            } else if value.contains(&part.kind_name()) {
                Some(StringPart::Value(
                    part.field("expression").or_else(|| part.named_child(0)),
                ))
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Python's relative imports keep their dots for the links: one for the importing file's
    /// folder, each further one a folder up; absolute names are matched by their end.
    #[test]
    fn python_relative_imports_resolve_from_the_importing_folder() {
        let python = of(Lang::Python);
        let refs = |name: &str| -> Vec<(Vec<String>, bool, Option<String>)> {
            python
                .project_modules(name)
                .into_iter()
                .map(|m| (m.path, m.relative, m.function))
                .collect()
        };
        let owned = |parts: &[&str]| parts.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        assert_eq!(
            refs(".llm.ask"),
            [
                (owned(&["llm"]), true, Some("ask".to_string())),
                (owned(&["llm", "ask"]), true, None),
            ]
        );
        assert_eq!(
            refs("..utils.logging"),
            [
                (owned(&["..", "utils"]), true, Some("logging".to_string())),
                (owned(&["..", "utils", "logging"]), true, None),
            ]
        );
        assert_eq!(refs("logging"), [(owned(&["logging"]), false, None)]);
    }

    /// Every kind and field a profile names exists in its grammar: a misspelt kind would
    /// silently match nothing. Checked on the profile's source text, so a new literal is
    /// checked without being listed anywhere.
    #[test]
    fn profiles_name_only_kinds_and_fields_their_grammars_have() {
        let profiles: [(&[Lang], &str, &[&str]); 3] = [
            (
                &[Lang::Python],
                include_str!("python.rs"),
                python::NOT_KINDS,
            ),
            (&[Lang::Rust], include_str!("rust.rs"), rust::NOT_KINDS),
            (
                &[Lang::JavaScript, Lang::TypeScript, Lang::Tsx],
                include_str!("javascript.rs"),
                javascript::NOT_KINDS,
            ),
        ];
        for (langs, source, not_kinds) in profiles {
            // Function and module names the profile lists are not kinds either.
            let propagators = of(langs[0]).propagators();
            let not_kinds: Vec<&str> = not_kinds
                .iter()
                .copied()
                .chain(propagators.iter().copied())
                .chain(of(langs[0]).well_known_modules().iter().copied())
                .collect();
            let code: String = source
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            let words = code.split('"').skip(1).step_by(2).filter(|w| {
                !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
            });
            let mut checked = 0;
            let mut unknown = Vec::new();
            for word in words {
                if not_kinds.contains(&word) {
                    continue;
                }
                // A JavaScript kind may be TypeScript-only (or JSX-only): one grammar suffices.
                let known = langs.iter().any(|lang| {
                    let grammar = lang.grammar().unwrap();
                    grammar.id_for_node_kind(word, true) != 0
                        || grammar.field_id_for_name(word).is_some()
                });
                if !known {
                    unknown.push(word);
                }
                checked += 1;
            }
            assert!(
                unknown.is_empty(),
                "{langs:?}: neither node kinds nor fields: {unknown:?}"
            );
            assert!(checked > 20, "{langs:?}: only {checked} kinds found");
        }
    }
}
