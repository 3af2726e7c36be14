//! Rust's profile.

use crate::node_ext::NodeExt;
use tree_sitter::Node;

use super::{
    Argument, Binding, Entry, Imports, ModuleRef, Statement, StringPart, Syntax, Value,
    last_named_child, module_refs, text,
};
use crate::semantic::{Constant, Semantic};

pub(super) struct Rust;

/// Words in this file's string literals that are neither node kinds nor field names.
#[cfg(test)]
pub(super) const NOT_KINDS: &[&str] = &[
    "mod",
    "concat",
    "format",
    "format_args",
    "to_string",
    "into",
    "to_owned",
    "len",
    "is_empty",
    "count",
    "push_str",
    "as_bytes",
    "as_ref",
];

/// How deep a `use` tree is followed.
const MAX_USE_NESTING: usize = 64;

impl Rust {
    /// `x += y` (not `-=`, `*=`, ...).
    fn appends(node: Node<'_>) -> bool {
        node.field("operator")
            .is_some_and(|op| op.kind_name() == "+=")
    }

    /// `name.push_str(..)`: the string `name` that this call appends to.
    fn push_str_receiver<'t>(sem: &Semantic<'t>, node: Node<'t>) -> Option<Node<'t>> {
        if node.kind_name() != "call_expression" {
            return None;
        }
        let function = node.field("function")?;
        if function.kind_name() != "field_expression" {
            return None;
        }
        let field = function.field("field")?;
        let receiver = function.field("value")?;
        (sem.text(field) == "push_str" && receiver.kind_name() == "identifier").then_some(receiver)
    }

    /// The names a parameter pattern binds: `x` in `mut x`, `Json(x)`, `Path((a, b))`,
    /// `Query(Params { a, b: c, .. })` (not the type names). An explicit stack: patterns nest
    /// as deep as the input does.
    fn pattern_names(pattern: Node<'_>) -> Vec<Node<'_>> {
        let mut names = Vec::new();
        let mut stack = vec![pattern];
        while let Some(node) = stack.pop() {
            match node.kind_name() {
                "identifier" | "shorthand_field_identifier" => names.push(node),
                "tuple_struct_pattern"
                | "struct_pattern"
                | "field_pattern"
                | "tuple_pattern"
                | "mut_pattern"
                | "ref_pattern"
                | "reference_pattern"
                | "slice_pattern" => {
                    let skip = [
                        node.field("type").map(|t| t.id()),
                        // `b: c` binds `c`, not the field name `b`.
                        node.field("pattern")
                            .and(node.field("name"))
                            .map(|n| n.id()),
                    ];
                    let children: Vec<Node<'_>> = node
                        .each_named_child()
                        .filter(|c| !skip.contains(&Some(c.id())))
                        .collect();
                    stack.extend(children.into_iter().rev());
                }
                _ => {}
            }
        }
        names
    }

    fn macro_name<'t>(sem: &Semantic<'t>, node: Node<'t>) -> Option<&'t str> {
        (node.kind_name() == "macro_invocation")
            .then(|| node.field("macro"))
            .flatten()
            .map(|m| sem.text(m).rsplit("::").next().unwrap_or_default())
    }
}

impl Syntax for Rust {
    fn project_modules(&self, qualified: &str) -> Vec<ModuleRef> {
        // `crate::`, `self::` and `super::` paths name the crate's own modules; others name
        // dependencies.
        let mut parts: Vec<String> = qualified.split("::").map(str::to_string).collect();
        let local = parts.len() > 1 && matches!(parts[0].as_str(), "crate" | "self" | "super");
        if !local {
            return Vec::new();
        }
        parts.retain(|p| !matches!(p.as_str(), "crate" | "self" | "super"));
        module_refs(parts, false)
    }

    fn package_file(&self) -> &'static str {
        "mod"
    }

    fn path_separator(&self) -> &'static str {
        "::"
    }

    fn is_statement_container(&self, kind: &str) -> bool {
        matches!(
            kind,
            "source_file"
                | "mod_item"
                | "declaration_list"
                | "function_item"
                | "block"
                | "impl_item"
                | "trait_item"
                | "expression_statement"
                | "if_expression"
                | "else_clause"
                | "loop_expression"
                | "for_expression"
                | "while_expression"
                | "unsafe_block"
                | "async_block"
                | "closure_expression"
        )
    }

    /// Records the names a `use` tree brings in. An explicit stack: `use a::{b::{c::{...}}}`
    /// nests as deep as the input does.
    fn import(&self, node: Node<'_>, source: &[u8], imports: &mut Imports<'_>) -> bool {
        if node.kind_name() != "use_declaration" {
            return false;
        }
        let Some(argument) = node.field("argument") else {
            return true;
        };
        let join = |p: &str, s: &str| {
            if p.is_empty() {
                s.to_string()
            } else {
                format!("{p}::{s}")
            }
        };
        // (node, path prefix, nesting): trees deeper than MAX_USE_NESTING are not code, and
        // their prefixes would grow with the depth; the rest of such a tree is not followed.
        let mut stack: Vec<(Node<'_>, String, usize)> = vec![(argument, String::new(), 0)];
        while let Some((node, prefix, nesting)) = stack.pop() {
            if nesting > MAX_USE_NESTING {
                continue;
            }
            match node.kind_name() {
                "identifier" | "scoped_identifier" | "crate" | "super" => {
                    let path = join(&prefix, text(source, node));
                    let last = path.rsplit("::").next().unwrap_or(&path).to_string();
                    imports.aliases.insert(last, path);
                }
                "self" => {
                    let last = prefix.rsplit("::").next().unwrap_or(&prefix).to_string();
                    imports.aliases.insert(last, prefix.clone());
                }
                "use_as_clause" => {
                    if let (Some(path), Some(alias)) = (node.field("path"), node.field("alias")) {
                        imports.aliases.insert(
                            text(source, alias).to_string(),
                            join(&prefix, text(source, path)),
                        );
                    }
                }
                "scoped_use_list" => {
                    let path = node.field("path").map(|p| join(&prefix, text(source, p)));
                    let path = path.unwrap_or_else(|| prefix.clone());
                    if let Some(list) = node.field("list") {
                        stack.push((list, path, nesting + 1));
                    }
                }
                "use_list" => {
                    let children: Vec<Node<'_>> = node.each_named_child().collect();
                    // Reversed: the stack pops them in source order.
                    for child in children.into_iter().rev() {
                        stack.push((child, prefix.clone(), nesting + 1));
                    }
                }
                "use_wildcard" => {
                    if let Some(path) = node.each_named_child().next() {
                        imports.add_star_module(join(&prefix, text(source, path)));
                    }
                }
                _ => {}
            }
        }
        true
    }

    fn is_name(&self, kind: &str) -> bool {
        matches!(kind, "identifier" | "type_identifier")
    }

    fn is_binding_name(&self, kind: &str) -> bool {
        kind == "identifier"
    }

    fn member<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        super::fields(node, "field_expression", "value", "field")
    }

    fn scoped<'t>(&self, node: Node<'t>) -> Option<(Option<Node<'t>>, Node<'t>)> {
        if !matches!(
            node.kind_name(),
            "scoped_identifier" | "scoped_type_identifier"
        ) {
            return None;
        }
        Some((node.field("path"), node.field("name")?))
    }

    fn generic_inner<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        match node.kind_name() {
            "generic_type" => node.field("type"),
            "generic_function" => node.field("function"),
            _ => None,
        }
    }

    fn is_path_keyword(&self, kind: &str) -> bool {
        matches!(kind, "crate" | "self" | "super")
    }

    fn call<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        super::call_fields(node, "call_expression", "function")
    }

    fn is_call(&self, kind: &str) -> bool {
        kind == "call_expression"
    }

    fn wrapped<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        match node.kind_name() {
            "try_expression" | "parenthesized_expression" | "await_expression" => {
                node.named_child(0)
            }
            _ => None,
        }
    }

    fn argument<'t>(&self, node: Node<'t>) -> Argument<'t> {
        match node.kind_name() {
            "attribute_item" | "line_comment" | "block_comment" => Argument::Skip,
            _ => Argument::Positional(node),
        }
    }

    fn entries<'t>(&self, _node: Node<'t>) -> Option<Vec<Entry<'t>>> {
        None
    }

    fn is_scope(&self, kind: &str) -> bool {
        matches!(kind, "source_file" | "function_item" | "closure_expression")
    }

    fn is_nested_code(&self, kind: &str) -> bool {
        matches!(kind, "closure_expression" | "function_item")
    }

    fn is_function(&self, kind: &str) -> bool {
        kind == "function_item"
    }

    fn binding<'t>(&self, node: Node<'t>) -> Binding<'t> {
        match node.kind_name() {
            "let_declaration" | "const_item" | "static_item" => {
                let value = node.field("value");
                match node.field("pattern").or_else(|| node.field("name")) {
                    Some(name) if name.kind_name() == "identifier" => {
                        Binding::Value { name, value }
                    }
                    Some(pattern) => Binding::Opaque(pattern),
                    None => Binding::None,
                }
            }
            "for_expression" => node.field("pattern").map_or(Binding::None, Binding::Opaque),
            // `sql += &x` re-binds `sql` to what it was plus `x` (the node itself stands for
            // that value: see `dynamic_special`).
            "compound_assignment_expr" => match node.field("left") {
                Some(name) if name.kind_name() == "identifier" && Self::appends(node) => {
                    Binding::Value {
                        name,
                        value: Some(node),
                    }
                }
                Some(left) => Binding::Opaque(left),
                None => Binding::None,
            },

            "closure_parameters" => Binding::Parameters(node),
            "parameters" => Binding::Parameters(node),
            _ => Binding::None,
        }
    }

    /// `sql.push_str(x)` re-binds `sql` to what it was plus `x`, as `sql += x` does (the call
    /// stands for that value: see `dynamic_special`).
    fn binding_in<'t>(&self, sem: &Semantic<'t>, node: Node<'t>) -> Binding<'t> {
        match Self::push_str_receiver(sem, node) {
            Some(name) => Binding::Value {
                name,
                value: Some(node),
            },
            None => self.binding(node),
        }
    }

    /// Literals, `format!`, and `"..".to_string()` / `String::from("..")`: `"a".to_owned() + x`
    /// builds a string as `"a" + x` would.
    fn is_stringish<'t>(&self, sem: &Semantic<'t>, node: Node<'t>) -> bool {
        self.string(node).is_some()
            || self.is_formatting(sem, node)
            || (node.kind_name() == "call_expression"
                && matches!(sem.fold_at(node, 1), Some(Constant::Str(_))))
    }

    fn string<'t>(&self, node: Node<'t>) -> Option<Vec<StringPart<'t>>> {
        matches!(node.kind_name(), "string_literal" | "raw_string_literal")
            .then(|| super::string_parts(node, &["string_content", "escape_sequence"], &[]))
    }

    fn is_scalar(&self, kind: &str) -> bool {
        matches!(
            kind,
            "integer_literal" | "float_literal" | "boolean_literal" | "char_literal"
        )
    }

    fn unary_operand<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        (node.kind_name() == "unary_expression")
            .then(|| last_named_child(node))
            .flatten()
    }

    fn same_value<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        match node.kind_name() {
            "parenthesized_expression" | "reference_expression" | "expression_statement" => {
                last_named_child(node)
            }
            _ => None,
        }
    }

    fn binary<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>, Node<'t>)> {
        super::binary_fields(node, "binary_expression")
    }

    fn is_sequence(&self, kind: &str) -> bool {
        matches!(kind, "array_expression" | "tuple_expression")
    }

    fn fold_special<'t>(
        &self,
        sem: &Semantic<'t>,
        node: Node<'t>,
        depth: usize,
    ) -> Option<Option<Constant>> {
        match node.kind_name() {
            // `concat!("a", "b")`.
            "macro_invocation" => Some((|| {
                let name = node.field("macro").map(|m| sem.text(m))?;
                if name != "concat" {
                    return None;
                }
                let mut out = String::new();
                let tokens = node
                    .each_named_child()
                    .find(|c| c.kind_name() == "token_tree")?;
                for tok in tokens.each_named_child() {
                    match sem.fold_at(tok, depth + 1)? {
                        Constant::Str(s) | Constant::Other(s) => out.push_str(&s),
                    }
                }
                Some(Constant::Str(out))
            })()),
            // `"x".to_string()`, `"x".into()`, `String::from("x")`, `"x".to_owned()`,
            // `"x".as_bytes()`, `"x".as_ref()`.
            "call_expression" => Some((|| {
                let function = node.field("function")?;
                match function.kind_name() {
                    "field_expression" => {
                        let field = sem.text(function.field("field")?);
                        if matches!(
                            field,
                            "to_string" | "into" | "to_owned" | "as_bytes" | "as_ref"
                        ) {
                            return sem.fold_at(function.field("value")?, depth + 1);
                        }
                        None
                    }
                    _ if sem.text(function) == "String::from" => {
                        sem.fold_at(sem.positional(node, 0)?, depth + 1)
                    }
                    _ => None,
                }
            })()),
            _ => None,
        }
    }

    fn dynamic_special<'t>(
        &self,
        sem: &Semantic<'t>,
        node: Node<'t>,
        dynamic: &mut dyn FnMut(Node<'t>) -> bool,
    ) -> Option<bool> {
        match node.kind_name() {
            "macro_invocation" => Some(matches!(
                Self::macro_name(sem, node),
                Some("format" | "format_args" | "concat")
            )),
            // `sql += x` and `sql.push_str(x)` (as bindings of `sql`): dynamic when what they
            // append is not a constant.
            "compound_assignment_expr" => Some(
                node.field("right")
                    .is_some_and(|right| sem.fold_at(right, 1).is_none()),
            ),
            "call_expression" if Self::push_str_receiver(sem, node).is_some() => Some(
                sem.positional(node, 0)
                    .is_some_and(|arg| sem.fold_at(arg, 1).is_none()),
            ),
            // `format!(..).as_str()`, `x.to_string()` on a dynamic value.
            "call_expression" => Some(
                node.field("function")
                    .filter(|f| f.kind_name() == "field_expression")
                    .and_then(|f| f.field("value"))
                    .is_some_and(dynamic),
            ),
            _ => None,
        }
    }

    fn is_formatting<'t>(&self, sem: &Semantic<'t>, node: Node<'t>) -> bool {
        Self::macro_name(sem, node) == Some("format")
    }

    fn formatting_prefix<'t>(&self, sem: &Semantic<'t>, node: Node<'t>) -> Option<String> {
        // `format!("https://host/{x}")`: the template up to its first placeholder.
        if !self.is_formatting(sem, node) {
            return None;
        }
        let template = sem
            .nodes_in(node, |kind| kind == "string_literal")
            .first()
            .and_then(|t| sem.fold_at(*t, 1));
        Some(
            template
                .map(|t| {
                    let text = t.as_text();
                    text[..text.find('{').unwrap_or(text.len())].to_string()
                })
                .unwrap_or_default(),
        )
    }

    fn function_markers<'t>(&self, f: Node<'t>) -> Vec<Node<'t>> {
        // Attributes are the siblings right before the item (comments may sit between).
        let mut markers = Vec::new();
        let mut prev = f.prev_named_sibling();
        while let Some(p) = prev.filter(|p| {
            matches!(
                p.kind_name(),
                "attribute_item" | "line_comment" | "block_comment"
            )
        }) {
            if p.kind_name() == "attribute_item" {
                markers.push(p);
            }
            prev = p.prev_named_sibling();
        }
        markers
    }

    fn has_flow(&self) -> bool {
        true
    }

    fn has_builtins(&self) -> bool {
        true
    }

    fn statement<'t>(&self, node: Node<'t>) -> Statement<'t> {
        match node.kind_name() {
            "function_item" | "impl_item" | "struct_item" | "enum_item" | "mod_item"
            | "use_declaration" | "line_comment" | "block_comment" => Statement::Inert,
            "expression_statement" => Statement::Expressions(node.each_named_child().collect()),
            "let_declaration" => match node.field("value") {
                Some(value) => match node.field("pattern") {
                    Some(pattern) => Statement::Declarations(vec![(pattern, Some(value))]),
                    None => Statement::Evaluates(vec![value]),
                },
                None => Statement::Inert,
            },
            "return_expression" => Statement::Return(node.named_child(0)),
            "for_expression" => Statement::For {
                target: node.field("pattern"),
                iterable: node.field("value"),
            },
            // A block's tail expression is not wrapped in a statement; in a function body it
            // is also the return value.
            "call_expression"
            | "await_expression"
            | "try_expression"
            | "macro_invocation"
            | "reference_expression"
            | "field_expression"
            | "identifier" => Statement::Expression,
            _ => Statement::Compound,
        }
    }

    fn is_block(&self, kind: &str) -> bool {
        matches!(kind, "block" | "declaration_list")
    }

    fn is_clause(&self, kind: &str) -> bool {
        matches!(
            kind,
            "else_clause" | "if_expression" | "expression_statement" | "let_declaration"
        )
    }

    fn may_hold_functions(&self, kind: &str) -> bool {
        matches!(
            kind,
            "block" | "impl_item" | "declaration_list" | "mod_item" | "function_item"
        )
    }

    fn parameters<'t>(&self, f: Node<'t>) -> Vec<(Node<'t>, Node<'t>)> {
        let Some(params) = f.field("parameters") else {
            return Vec::new();
        };
        let mut names = Vec::new();
        for p in params.each_named_child() {
            let ident = match p.kind_name() {
                "identifier" => Some(p),
                "parameter" => p.field("pattern"),
                _ => p.field("name").or_else(|| p.named_child(0)),
            };
            // Destructuring in parameters: `Parameters(p): Parameters<Args>` (rmcp),
            // `Json(body): Json<T>`, `Path((user, file)): Path<(String, String)>`,
            // `Query(Params { q, .. }): Query<Params>` (axum); the bound names carry the value.
            match ident {
                Some(ident) if ident.kind_name() == "identifier" => names.push((ident, p)),
                Some(pattern) => {
                    names.extend(Self::pattern_names(pattern).into_iter().map(|n| (n, p)));
                }
                None => {}
            }
        }
        names
    }

    fn assignment<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>, bool)> {
        super::assignment_fields(node, "assignment_expression", "compound_assignment_expr")
    }

    fn awaited<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        super::first_child_of(node, "await_expression")
    }

    fn index<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        (node.kind_name() == "index_expression")
            .then(|| Some((node.named_child(0)?, node.named_child(1))))?
    }

    fn is_self(&self, kind: &str) -> bool {
        kind == "self"
    }

    fn value<'t>(&self, node: Node<'t>) -> Value<'t> {
        match node.kind_name() {
            "identifier" | "self" => Value::Name,
            "field_expression" => node.field("value").map_or(Value::Opaque, Value::Member),
            "index_expression" => node.named_child(0).map_or(Value::Opaque, Value::Index),
            "call_expression" => Value::Call,
            "macro_invocation" => Value::Macro,
            // `*file` (a `web::Path<String>` read through `Deref`) carries what `file` holds.
            "binary_expression"
            | "unary_expression"
            | "parenthesized_expression"
            | "await_expression"
            | "reference_expression"
            | "try_expression"
            | "array_expression"
            | "tuple_expression"
            | "return_expression"
            | "string_content" => Value::Composite,
            _ => Value::Opaque,
        }
    }

    /// `format!("..{x}..", y)`: the identifiers inside the token tree that are values, not
    /// fields or methods, nor `x.len()`/`x.is_empty()` (no content).
    fn macro_values<'t>(&self, sem: &Semantic<'t>, node: Node<'t>) -> Vec<Node<'t>> {
        let mut found = Vec::new();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if n.kind_name() == "identifier" {
                let after = n.next_sibling().filter(|s| sem.text(*s) == ".");
                let method = after.and_then(|d| d.next_sibling()).map(|m| sem.text(m));
                let is_member = n.prev_sibling().is_some_and(|p| sem.text(p) == ".");
                if !is_member && !matches!(method, Some("len" | "is_empty" | "count")) {
                    found.push(n);
                }
                continue;
            }
            let children: Vec<Node<'t>> = n.each_named_child().collect();
            stack.extend(children.into_iter().rev());
        }
        found
    }

    fn expression_of<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        super::first_child_of(node, "expression_statement")
    }
}
