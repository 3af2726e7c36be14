//! One depth-first walk over a subtree with a tree cursor (no allocation per node).

use tree_sitter::Node;

/// Visits `node` and its descendants in document order. `descend` decides, for each visited
/// node other than `node` itself, whether to go into its children.
pub(crate) fn for_each_descendant<'t>(
    node: Node<'t>,
    descend: impl Fn(Node<'t>) -> bool,
    mut visit: impl FnMut(Node<'t>),
) {
    let mut cursor = node.walk();
    loop {
        let current = cursor.node();
        visit(current);
        if (current.id() == node.id() || descend(current)) && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node().id() == node.id() {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}
