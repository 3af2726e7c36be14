//! Checks written in Rust, for rules a query plus conditions cannot express. Each lives in
//! its own file; its metadata, docs and fixtures stay in `rules/` like every other rule. The
//! rule's matcher names the node kinds (`query: "[(assignment) (pair)] @finding"`) and the
//! check (`builtin: <name>`); the engine calls the check on each such node during its one
//! walk over the tree.

use tree_sitter::Node;

use crate::scan::ScanOptions;
use crate::semantic::Semantic;

mod mcp_server_auth;
mod model_verification;
mod rust_shell_command;
mod secret_named_literal;

/// Whether the check `name` looks only at the node and the definition around it (for
/// [`crate::partial`], which then parses no other function for it). The others resolve
/// calls and follow paths through the file.
pub(crate) fn needs_only_its_definition(name: &str) -> bool {
    name == "secret-named-literal"
}

/// For a check that can tell from the text at a hit of its prefilter regex that no node
/// there can match, that test (on the source and the hit's offset): [`crate::partial`]
/// then leaves the hit's definition unparsed.
pub(crate) fn hit_may_match(name: &str) -> Option<fn(&[u8], usize) -> bool> {
    match name {
        "secret-named-literal" => Some(secret_named_literal::may_bind_a_secret),
        _ => None,
    }
}

/// A node a builtin matcher reports, with an optional `{label}` for the message.
pub struct Hit<'t> {
    pub node: Node<'t>,
    pub label: Option<String>,
}

/// A check: the file's semantic model, the scan's settings (model-signing policy, project
/// facts) and the node to look at.
type BuiltinFn = for<'t> fn(&Semantic<'t>, &ScanOptions, Node<'t>) -> Vec<Hit<'t>>;

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
pub(crate) fn check<'t>(
    name: &str,
    semantic: &Semantic<'t>,
    options: &ScanOptions,
    node: Node<'t>,
) -> Vec<Hit<'t>> {
    BUILTINS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| f(semantic, options, node))
        .unwrap_or_default()
}
