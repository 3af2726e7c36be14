//! One depth-first walk over a subtree with a tree cursor (no allocation per node).

use std::ops::ControlFlow;

use tree_sitter::Node;

/// Visits `node` and its descendants in document order. `descend` decides, for each visited
/// node other than `node` itself, whether to go into its children.
pub(crate) fn for_each_descendant<'t>(
    node: Node<'t>,
    descend: impl Fn(Node<'t>) -> bool,
    mut visit: impl FnMut(Node<'t>),
) {
    let _ = walk_until(node, descend, |n| {
        visit(n);
        ControlFlow::Continue(())
    });
}

/// Like [`for_each_descendant`], stopping as soon as `visit` breaks (a spent time budget).
pub(crate) fn walk_until<'t>(
    node: Node<'t>,
    descend: impl Fn(Node<'t>) -> bool,
    mut visit: impl FnMut(Node<'t>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let mut cursor = node.walk();
    // How far below `node` the cursor is: counted, not asked of the cursor, which would
    // build a node at every step up.
    let mut depth = 0usize;
    loop {
        let current = cursor.node();
        visit(current)?;
        if (depth == 0 || descend(current)) && cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if depth == 0 {
                return ControlFlow::Continue(());
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return ControlFlow::Continue(());
            }
            depth -= 1;
        }
    }
}

/// The ancestors of `node` under `root`, outermost first (`root` included, `node` not), found
/// in one walk down. `Node::parent` walks down from the root on every call, so climbing a
/// chain 100,000 deep one `parent()` at a time would be quadratic.
pub(crate) fn ancestors<'t>(root: Node<'t>, node: Node<'t>) -> Vec<Node<'t>> {
    let mut path = Vec::new();
    let mut current = root;
    while current.id() != node.id() {
        path.push(current);
        match current.child_with_descendant(node) {
            Some(child) => current = child,
            None => break,
        }
    }
    path
}
