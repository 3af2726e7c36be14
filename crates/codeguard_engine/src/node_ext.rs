//! `Node::kind` and `Node::child_by_field_name` without their string work. tree-sitter's
//! `kind` measures the C string of the kind's name and checks it is UTF-8 on every call, and
//! `child_by_field_name` compares the name with each of the grammar's field names: together a
//! fifth of a small file's scan. The names are read once per grammar into tables instead.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use tree_sitter::{Language, Node};

/// One grammar's names, read once per process.
struct Tables {
    /// The grammar (compared by address: tree-sitter's `Language` equality).
    grammar: &'static Language,
    /// Kind names by kind id.
    kinds: Vec<&'static str>,
    /// Field ids by name (FNV-1a: field names are a few bytes, where SipHash cost more than
    /// the lookup saved).
    fields: HashMap<&'static str, u16, std::hash::BuildHasherDefault<codeguard_rules::fnv::Fnv64>>,
}

thread_local! {
    /// The tables this thread used last: a scan asks thousands of times for one grammar's,
    /// so the common lookup is one pointer comparison, without a lock or a copy of the grammar.
    static LAST: Cell<Option<&'static Tables>> = const { Cell::new(None) };
}

fn build(language: &Language) -> &'static Tables {
    let language: &'static Language = Box::leak(Box::new(language.clone()));
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
        grammar: language,
        kinds,
        fields,
    }))
}

fn tables(node: &Node<'_>) -> &'static Tables {
    let language = node.language();
    LAST.with(|last| {
        if let Some(t) = last.get()
            && *t.grammar == *language
        {
            return t;
        }
        // Built once per grammar for the whole process (threads come and go: a rayon pool
        // per scan) and leaked: the names then live as long as the grammar they come from.
        static SHARED: Mutex<Vec<&'static Tables>> = Mutex::new(Vec::new());
        let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
        let t = match shared.iter().find(|t| *t.grammar == *language) {
            Some(t) => *t,
            None => {
                let t = build(&language);
                shared.push(t);
                t
            }
        };
        last.set(Some(t));
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
    /// The children, as [`Node::children`] without a cursor to pass.
    fn each_child(&self) -> Children<'t>;
    /// The named children, as [`Node::named_children`] without a cursor to pass.
    fn each_named_child(&self) -> Children<'t>;
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

    fn each_child(&self) -> Children<'t> {
        Children::new(*self, false)
    }

    fn each_named_child(&self) -> Children<'t> {
        Children::new(*self, true)
    }
}

/// Up to this many children are read by index. `Node::child(i)` starts again from the first
/// child on each call, so a long list is read by a cursor instead; on short lists (nearly
/// all: arguments, operands, a statement's parts) reading by index took half the time of a
/// tree cursor, which steps through the grammar's hidden nodes and its own stack.
const BY_INDEX: u32 = 16;

/// A node's children (or named children) in document order.
pub(crate) enum Children<'t> {
    ByIndex {
        node: Node<'t>,
        named: bool,
        next: u32,
        count: u32,
    },
    Listed(std::vec::IntoIter<Node<'t>>),
}

impl<'t> Children<'t> {
    fn new(node: Node<'t>, named: bool) -> Self {
        // Decided on all the children even for the named ones: `named_child(i)` steps over
        // the anonymous ones too (an ERROR node may hold hundreds).
        let all = node.child_count();
        match all {
            all if all <= BY_INDEX => Children::ByIndex {
                node,
                named,
                next: 0,
                count: if named {
                    u32::try_from(node.named_child_count()).unwrap_or(all)
                } else {
                    all
                },
            },
            _ => {
                let mut cursor = node.walk();
                let listed: Vec<Node<'t>> = if named {
                    node.named_children(&mut cursor).collect()
                } else {
                    node.children(&mut cursor).collect()
                };
                Children::Listed(listed.into_iter())
            }
        }
    }
}

impl<'t> Iterator for Children<'t> {
    type Item = Node<'t>;

    fn next(&mut self) -> Option<Node<'t>> {
        match self {
            Children::ByIndex {
                node,
                named,
                next,
                count,
            } => {
                if *next >= *count {
                    return None;
                }
                let i = *next;
                *next += 1;
                if *named {
                    node.named_child(i)
                } else {
                    node.child(i)
                }
            }
            Children::Listed(nodes) => nodes.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = match self {
            Children::ByIndex { next, count, .. } => (*count - *next) as usize,
            Children::Listed(nodes) => nodes.len(),
        };
        (left, Some(left))
    }
}

impl ExactSizeIterator for Children<'_> {}

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
            // Longer than the lists read by index, with comments (extras) among the items.
            (
                Lang::Python,
                "y = [a, b, c, d, e, f, g, h,  # one\n i, j, k, l, m, n, o, p, q,  # two\n r]\n",
            ),
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
                let children: Vec<_> = node.children(&mut cursor).collect();
                assert_eq!(node.each_child().collect::<Vec<_>>(), children);
                let mut cursor = node.walk();
                let named: Vec<_> = node.named_children(&mut cursor).collect();
                assert_eq!(node.each_named_child().collect::<Vec<_>>(), named);
                stack.extend(children);
            }
            assert!(checked > 10, "{lang}: {checked} nodes");
        }
    }
}
