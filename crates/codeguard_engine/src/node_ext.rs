//! `Node::kind` and `Node::child_by_field_name` without their string work. tree-sitter's
//! `kind` measures the C string of the kind's name and checks it is UTF-8 on every call, and
//! `child_by_field_name` compares the name with each of the grammar's field names: together a
//! fifth of a small file's scan. The names are read once per grammar into tables instead.

use std::cell::RefCell;
use std::collections::HashMap;

use tree_sitter::{Language, Node};

/// One grammar's names, read once per process.
struct Tables {
    /// The grammar, identified by its address.
    grammar: usize,
    /// Kind names by kind id.
    kinds: Vec<&'static str>,
    /// Field ids by name (FNV-1a: field names are a few bytes, where SipHash cost more than
    /// the lookup saved).
    fields: HashMap<&'static str, u16, std::hash::BuildHasherDefault<codeguard_rules::fnv::Fnv64>>,
}

thread_local! {
    /// This thread's view of the shared tables, so a lookup takes no lock.
    static TABLES: RefCell<Vec<&'static Tables>> = const { RefCell::new(Vec::new()) };
}

fn build(node: &Node<'_>, grammar: usize) -> &'static Tables {
    let language: &'static Language = Box::leak(Box::new((*node.language()).clone()));
    let kinds = (0..language.node_kind_count())
        .map(|id| {
            u16::try_from(id)
                .ok()
                .and_then(|id| language.node_kind_for_id(id))
                .unwrap_or("")
        })
        .collect();
    let fields = (1..=language.field_count())
        .filter_map(|id| {
            let id = u16::try_from(id).ok()?;
            Some((language.field_name_for_id(id)?, id))
        })
        .collect();
    Box::leak(Box::new(Tables {
        grammar,
        kinds,
        fields,
    }))
}

fn tables(node: &Node<'_>) -> &'static Tables {
    // Copying a grammar compiled in (not Wasm) returns the same pointer and counts nothing,
    // so forgetting the copy leaks nothing.
    let grammar = (*node.language()).clone().into_raw() as usize;
    TABLES.with(|cell| {
        if let Some(t) = cell.borrow().iter().find(|t| t.grammar == grammar) {
            return *t;
        }
        // Built once per grammar for the whole process (threads come and go: a rayon pool
        // per scan) and leaked: the names then live as long as the grammar they come from.
        static SHARED: std::sync::Mutex<Vec<&'static Tables>> = std::sync::Mutex::new(Vec::new());
        let mut shared = SHARED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let t = match shared.iter().find(|t| t.grammar == grammar) {
            Some(t) => *t,
            None => {
                let t = build(node, grammar);
                shared.push(t);
                t
            }
        };
        cell.borrow_mut().push(t);
        t
    })
}

/// The kind names of `node`'s grammar, by kind id.
pub(crate) fn kind_names(node: &Node<'_>) -> &'static [&'static str] {
    &tables(node).kinds
}

pub(crate) trait NodeExt<'t> {
    /// The node's kind, as [`Node::kind`].
    fn kind_name(&self) -> &'static str;
    /// The child in field `name`, as [`Node::child_by_field_name`].
    fn field(&self, name: &str) -> Option<Node<'t>>;
}

impl<'t> NodeExt<'t> for Node<'t> {
    fn kind_name(&self) -> &'static str {
        let t = tables(self);
        t.kinds
            .get(usize::from(self.kind_id()))
            .copied()
            .unwrap_or("")
    }

    fn field(&self, name: &str) -> Option<Node<'t>> {
        let id = *tables(self).fields.get(name)?;
        self.child_by_field_id(id)
    }
}

#[cfg(test)]
mod tests {
    use super::NodeExt;
    use codeguard_language::Lang;

    /// Same answers as tree-sitter's own lookups on every node of a small program.
    #[test]
    fn agrees_with_tree_sitter() {
        for (lang, code) in [
            (
                Lang::Python,
                "import os\nx = os.system(f'a {b}', shell=True)\n",
            ),
            (
                Lang::Rust,
                "fn main() { let x = std::env::var(\"A\").unwrap(); }\n",
            ),
            (Lang::TypeScript, "const x: number = f(a.b, ...c);\n"),
        ] {
            let mut parser = tree_sitter::Parser::new();
            parser.set_language(&lang.grammar().unwrap()).unwrap();
            let tree = parser.parse(code, None).unwrap();
            let mut stack = vec![tree.root_node()];
            let mut checked = 0;
            while let Some(node) = stack.pop() {
                assert_eq!(node.kind_name(), node.kind());
                for name in ["function", "arguments", "name", "value", "left", "body"] {
                    assert_eq!(node.field(name), node.child_by_field_name(name));
                }
                assert_eq!(node.field("no-such-field"), None);
                checked += 1;
                let mut cursor = node.walk();
                stack.extend(node.children(&mut cursor));
            }
            assert!(checked > 10, "{lang}: {checked} nodes");
        }
    }
}
