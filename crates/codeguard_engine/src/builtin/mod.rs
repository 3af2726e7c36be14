//! Matchers written in Rust, for rules a query plus conditions cannot express. Each lives in
//! its own file; its metadata, docs and fixtures stay in `rules/` like every other rule
//! (`builtin: <name>` in the rule's matcher).

use tree_sitter::Node;

use crate::semantic::Semantic;

mod rust_shell_command;
mod secret_named_literal;

/// A node a builtin matcher reports, with an optional `{label}` for the message.
pub struct Hit<'t> {
    pub node: Node<'t>,
    pub label: Option<String>,
}

type BuiltinFn = for<'t> fn(&Semantic<'t>) -> Vec<Hit<'t>>;

const BUILTINS: &[(&str, BuiltinFn)] = &[
    ("secret-named-literal", secret_named_literal::find),
    ("rust-shell-command", rust_shell_command::find),
];

/// Names of the registered builtin matchers.
pub fn names() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|(name, _)| *name)
}

pub(crate) fn run<'t>(name: &str, semantic: &Semantic<'t>) -> Vec<Hit<'t>> {
    BUILTINS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| f(semantic))
        .unwrap_or_default()
}

/// Every node of the tree, depth first.
pub(crate) fn walk<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>)) {
    let mut cursor = root.walk();
    loop {
        visit(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}
