//! Depth-first walks over a subtree, allocating per level, not per node.

use std::ops::ControlFlow;

use tree_sitter::Node;

use crate::node_ext::NodeExt;

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
    visit(node)?;
    // One child list per level, read by index where short (see `Children`): a tree cursor's
    // steps to the next sibling cost more than the visits on a small subtree.
    let mut levels = vec![node.each_child()];
    while let Some(level) = levels.last_mut() {
        let Some(child) = level.next() else {
            levels.pop();
            continue;
        };
        visit(child)?;
        if child.child_count() > 0 && descend(child) {
            levels.push(child.each_child());
        }
    }
    ControlFlow::Continue(())
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
