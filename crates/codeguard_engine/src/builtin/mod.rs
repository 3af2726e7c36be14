//! Checks written in Rust, for rules a query plus conditions cannot express. Each lives in
//! its own file; its metadata, docs and fixtures stay in `rules/` like every other rule. The
//! rule's matcher names the node kinds (`query: "[(assignment) (pair)] @finding"`) and the
//! check (`builtin: <name>`); the engine calls the check on each such node during its one
//! walk over the tree.

use tree_sitter::Node;

use crate::semantic::Semantic;

mod mcp_server_auth;
mod model_verification;
mod rust_shell_command;
mod secret_named_literal;

/// A node a builtin matcher reports, with an optional `{label}` for the message.
pub struct Hit<'t> {
    pub node: Node<'t>,
    pub label: Option<String>,
}

type BuiltinFn = for<'t> fn(&Semantic<'t>, Node<'t>) -> Vec<Hit<'t>>;

const BUILTINS: &[(&str, BuiltinFn)] = &[
    ("secret-named-literal", secret_named_literal::find),
    ("rust-shell-command", rust_shell_command::find),
    ("mcp-server-without-auth", mcp_server_auth::find),
    (
        "unverified-model-load",
        model_verification::unverified_loads,
    ),
    (
        "swallowed-model-verification",
        model_verification::swallowed_verifications,
    ),
];

/// Names of the registered builtin matchers.
pub fn names() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|(name, _)| *name)
}

/// Runs builtin `name` on `node`.
pub(crate) fn check<'t>(name: &str, semantic: &Semantic<'t>, node: Node<'t>) -> Vec<Hit<'t>> {
    BUILTINS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| f(semantic, node))
        .unwrap_or_default()
}
