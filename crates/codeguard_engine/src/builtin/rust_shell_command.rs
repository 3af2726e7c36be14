//! CG-CORE007 (Rust): `Command::new("sh").arg("-c").arg(format!(..))` and the `args([...])`
//! form: a shell started with a command line built at run time.

use crate::node_ext::NodeExt;
use tree_sitter::Node;

use super::Hit;
use crate::semantic::{Constant, Semantic};

const SHELLS: [&str; 9] = [
    "sh",
    "bash",
    "zsh",
    "dash",
    "cmd",
    "cmd.exe",
    "powershell",
    "pwsh",
    "/bin/sh",
];
const COMMAND_FLAGS: [&str; 5] = ["-c", "-lc", "/C", "/c", "-Command"];

pub(super) fn find<'t>(
    sem: &Semantic<'t>,
    _options: &crate::scan::ScanOptions,
    node: Node<'t>,
) -> Vec<Hit<'t>> {
    let mut hits = Vec::new();
    {
        if node.kind_name() != "call_expression" || !is_shell_command_new(sem, node) {
            return hits;
        }
        // Walk up the builder chain: Command::new(..).arg(..).args(..)...
        let mut seen_flag = false;
        // Ancestors found once (a chain can be as long as the input).
        let mut ancestors = crate::tree_walk::ancestors(sem.root, node);
        while let Some(field) = ancestors
            .pop()
            .filter(|p| p.kind_name() == "field_expression")
        {
            let Some(call) = ancestors
                .pop()
                .filter(|p| p.kind_name() == "call_expression")
            else {
                break;
            };
            let method = field
                .field("field")
                .map(|f| sem.text(f))
                .unwrap_or_default();
            let args: Vec<Node<'t>> = match method {
                "arg" => sem.positional(call, 0).into_iter().collect(),
                "args" => sem
                    .positional(call, 0)
                    .and_then(|a| sem.resolve_node(a, 0))
                    .map(|a| a.each_named_child().collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            // `sh -c COMMAND arg0 arg1...`: only the argument right after the flag is the
            // command line; the ones after it are the script's positional parameters,
            // passed without the shell parsing them.
            for arg in args {
                let constant = sem.constant(arg);
                if seen_flag {
                    if constant.is_none() {
                        hits.push(Hit {
                            node: arg,
                            label: None,
                        });
                    }
                    return hits;
                }
                if matches!(&constant, Some(Constant::Str(s)) if COMMAND_FLAGS.contains(&s.as_str()))
                {
                    seen_flag = true;
                }
            }
        }
    }
    hits
}

/// `std::process::Command::new(shell)` (or tokio's): through its path, a `use` line, or,
/// in a fragment without one, the bare `Command::new` when the file defines no `Command` of
/// its own (`clap::Command::new("sh")` or an application's `enum Command` is something else).
fn is_shell_command_new<'t>(sem: &Semantic<'t>, call: Node<'t>) -> bool {
    let names = sem.call_names(call);
    let process = names.iter().any(|n| n.ends_with("process::Command::new"));
    let bare = names.iter().any(|n| n == "Command::new")
        && !names
            .iter()
            .any(|n| n.ends_with("::Command::new") && n != "Command::new");
    if !process && (!bare || defines_command_type(sem)) {
        return false;
    }
    let program = sem.positional(call, 0).and_then(|a| sem.constant(a));
    matches!(program, Some(Constant::Str(p)) if SHELLS.contains(&p.as_str()))
}

/// The file defines its own type named `Command`.
fn defines_command_type(sem: &Semantic<'_>) -> bool {
    sem.nodes_in(sem.root, |kind| {
        matches!(
            kind,
            "struct_item" | "enum_item" | "type_item" | "trait_item"
        )
    })
    .iter()
    .any(|item| {
        item.field("name")
            .is_some_and(|name| sem.text(name) == "Command")
    })
}
