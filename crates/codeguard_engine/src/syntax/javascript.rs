//! The profile of JavaScript, TypeScript and TSX (TypeScript's grammar extends JavaScript's:
//! the same kinds, plus type annotations and casts).
//!
//! Imports qualify names by module: `import {exec} from "child_process"`,
//! `const {exec} = require("node:child_process")` and `const cp = require("child_process")`
//! make `exec(..)` and `cp.exec(..)` both `child_process.exec`. Options objects stand for
//! keyword arguments: `spawn(cmd, {shell: true})` passes keyword `shell`.

use crate::node_ext::NodeExt;
use tree_sitter::Node;

use super::{
    Argument, Binding, Entry, Imports, ModuleRef, Statement, StringPart, Syntax, Value,
    last_named_child, text,
};
use crate::semantic::Semantic;

pub(super) struct JavaScript;

/// Words in this file's string literals that are neither node kinds nor field names.
#[cfg(test)]
pub(super) const NOT_KINDS: &[&str] = &[
    "require",
    "default",
    "_statement",
    "_declaration",
    "index",
    "of",
];

/// Functions whose result keeps its arguments' taint.
const PROPAGATORS: [&str; 21] = [
    "path.join",
    "path.resolve",
    "path.normalize",
    "path.posix.join",
    "path.win32.join",
    "String",
    "JSON.stringify",
    "JSON.parse",
    "Buffer.from",
    "decodeURIComponent",
    "decodeURI",
    "URL",
    "Array.from",
    "Object.assign",
    "Object.values",
    "Object.entries",
    "structuredClone",
    "atob",
    "btoa",
    "util.format",
    "fileURLToPath",
];

/// Kinds that are functions (each analysed on its own).
fn is_function_kind(kind: &str) -> bool {
    matches!(
        kind,
        "function_declaration"
            | "generator_function_declaration"
            | "function_expression"
            | "generator_function"
            | "arrow_function"
            | "method_definition"
    )
}

/// The names a parameter pattern binds (`{path, content}`, `[a, b]`, `x = 1`, `...rest`).
fn pattern_names<'t>(pattern: Node<'t>, out: &mut Vec<Node<'t>>) {
    let mut stack = vec![pattern];
    while let Some(node) = stack.pop() {
        match node.kind_name() {
            "identifier" | "shorthand_property_identifier_pattern" => out.push(node),
            // `x = default`: the name only; `{a: b}`: the value side; TypeScript annotations
            // and accessibility modifiers are not names.
            "assignment_pattern" | "object_assignment_pattern" => {
                if let Some(left) = node.field("left") {
                    stack.push(left);
                }
            }
            "pair_pattern" => {
                if let Some(value) = node.field("value") {
                    stack.push(value);
                }
            }
            "required_parameter" | "optional_parameter" => {
                if let Some(p) = node.field("pattern") {
                    stack.push(p);
                }
            }
            "type_annotation" => {}
            _ => {
                let children: Vec<Node<'t>> = node.each_named_child().collect();
                stack.extend(children.into_iter().rev());
            }
        }
    }
}

/// `node:fs` is `fs`; `fs/promises` keeps its path (`fs/promises.readFile`).
fn module_name(specifier: &str) -> String {
    specifier
        .strip_prefix("node:")
        .unwrap_or(specifier)
        .to_string()
}

/// The module a `require("m")` call (possibly `require("m").x`) loads, and the member path.
fn required_module(node: Node<'_>, source: &[u8]) -> Option<String> {
    match node.kind_name() {
        "call_expression" => {
            let function = node.field("function")?;
            if text(source, function) != "require" {
                return None;
            }
            let args = node.field("arguments")?;
            let first = args.named_child(0)?;
            let (string, _) = string_text(first, source)?;
            Some(module_name(&string))
        }
        "member_expression" => {
            let object = required_module(node.field("object")?, source)?;
            let property = node.field("property")?;
            Some(format!("{object}.{}", text(source, property)))
        }
        "await_expression" | "parenthesized_expression" => {
            required_module(node.named_child(0)?, source)
        }
        _ => None,
    }
}

/// The text of a string literal without interpolations, and whether it was one.
fn string_text(node: Node<'_>, source: &[u8]) -> Option<(String, bool)> {
    if node.kind_name() != "string" {
        return None;
    }
    let out = node
        .each_named_child()
        .map(|part| text(source, part))
        .collect();
    Some((out, true))
}

/// Binds the names of an object pattern (`{exec, spawn: run}`) to members of `module`.
fn bind_pattern(pattern: Node<'_>, module: &str, source: &[u8], imports: &mut Imports<'_>) {
    for entry in pattern.each_named_child() {
        match entry.kind_name() {
            "shorthand_property_identifier_pattern" => {
                let name = text(source, entry);
                imports
                    .aliases
                    .insert(name.to_string(), format!("{module}.{name}"));
            }
            "pair_pattern" => {
                if let (Some(key), Some(value)) = (entry.field("key"), entry.field("value"))
                    && value.kind_name() == "identifier"
                {
                    let key = string_text(key, source)
                        .map(|(s, _)| s)
                        .unwrap_or_else(|| text(source, key).to_string());
                    imports
                        .aliases
                        .insert(text(source, value).to_string(), format!("{module}.{key}"));
                }
            }
            _ => {}
        }
    }
}

impl Syntax for JavaScript {
    fn project_modules(&self, qualified: &str) -> Vec<ModuleRef> {
        // Only relative specifiers name project files (`./tools/shell.js`); bare ones name
        // packages. The imported name follows the last `.` after the last `/`.
        if !(qualified.starts_with("./") || qualified.starts_with("../")) {
            return Vec::new();
        }
        let without_extension = |module: &str| -> Vec<String> {
            let module = [".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"]
                .iter()
                .find_map(|e| module.strip_suffix(e))
                .unwrap_or(module);
            module
                .split('/')
                .filter(|p| !p.is_empty() && *p != ".")
                .map(str::to_string)
                .collect()
        };
        let mut refs = vec![ModuleRef {
            path: without_extension(qualified),
            relative: true,
            function: None,
        }];
        let file_start = qualified.rfind('/').map_or(0, |i| i + 1);
        if let Some(dot) = qualified[file_start..].rfind('.') {
            let (module, function) = qualified.split_at(file_start + dot);
            refs.push(ModuleRef {
                path: without_extension(module),
                relative: true,
                function: Some(function[1..].to_string()),
            });
        }
        refs
    }

    fn package_file(&self) -> &'static str {
        "index"
    }

    fn is_statement_container(&self, kind: &str) -> bool {
        matches!(
            kind,
            "program"
                | "statement_block"
                | "export_statement"
                | "lexical_declaration"
                | "variable_declaration"
                | "function_declaration"
                | "generator_function_declaration"
                | "class_declaration"
                | "class_body"
                | "method_definition"
                | "if_statement"
                | "else_clause"
                | "try_statement"
                | "catch_clause"
                | "finally_clause"
                | "for_statement"
                | "for_in_statement"
                | "while_statement"
                | "do_statement"
                | "switch_statement"
                | "switch_body"
                | "switch_case"
                | "internal_module"
        )
    }

    fn import(&self, node: Node<'_>, source: &[u8], imports: &mut Imports<'_>) -> bool {
        match node.kind_name() {
            // `import x from "m"`, `import * as x from "m"`, `import {a, b as c} from "m"`.
            "import_statement" => {
                let Some((module, _)) = node.field("source").and_then(|s| string_text(s, source))
                else {
                    return true;
                };
                let module = module_name(&module);
                let Some(clause) = node
                    .each_named_child()
                    .find(|c| c.kind_name() == "import_clause")
                else {
                    return true;
                };
                for part in clause.each_named_child() {
                    match part.kind_name() {
                        // A default import stands for the module (CommonJS interop).
                        "identifier" => {
                            imports
                                .aliases
                                .insert(text(source, part).to_string(), module.clone());
                        }
                        "namespace_import" => {
                            if let Some(name) = part.named_child(0) {
                                imports
                                    .aliases
                                    .insert(text(source, name).to_string(), module.clone());
                            }
                        }
                        "named_imports" => {
                            for spec in part.each_named_child() {
                                let Some(name) = spec.field("name") else {
                                    continue;
                                };
                                let local = spec.field("alias").unwrap_or(name);
                                let imported = string_text(name, source)
                                    .map(|(s, _)| s)
                                    .unwrap_or_else(|| text(source, name).to_string());
                                let qualified = if imported == "default" {
                                    module.clone()
                                } else {
                                    format!("{module}.{imported}")
                                };
                                imports
                                    .aliases
                                    .insert(text(source, local).to_string(), qualified);
                            }
                        }
                        _ => {}
                    }
                }
                true
            }
            // `const cp = require("child_process")`, `const {exec} = require("child_process")`.
            "variable_declarator" => {
                let (Some(name), Some(value)) = (node.field("name"), node.field("value")) else {
                    return false;
                };
                let Some(module) = required_module(value, source) else {
                    return false;
                };
                match name.kind_name() {
                    "identifier" => {
                        imports
                            .aliases
                            .insert(text(source, name).to_string(), module);
                    }
                    "object_pattern" => bind_pattern(name, &module, source, imports),
                    _ => {}
                }
                true
            }
            _ => false,
        }
    }

    fn is_name(&self, kind: &str) -> bool {
        kind == "identifier"
    }

    fn is_binding_name(&self, kind: &str) -> bool {
        matches!(kind, "identifier" | "shorthand_property_identifier_pattern")
    }

    fn member<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        super::fields(node, "member_expression", "object", "property")
    }

    fn is_path_keyword(&self, kind: &str) -> bool {
        kind == "this"
    }

    fn call<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        match node.kind_name() {
            "call_expression" => super::call_fields(node, "call_expression", "function"),
            // `new Function(code)` is a call of `Function`.
            "new_expression" => super::call_fields(node, "new_expression", "constructor"),
            _ => None,
        }
    }

    fn is_call(&self, kind: &str) -> bool {
        matches!(kind, "call_expression" | "new_expression")
    }

    fn wrapped<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        match node.kind_name() {
            "parenthesized_expression"
            | "await_expression"
            | "non_null_expression"
            | "as_expression"
            | "satisfies_expression" => node.named_child(0),
            _ => None,
        }
    }

    fn argument<'t>(&self, node: Node<'t>) -> Argument<'t> {
        match node.kind_name() {
            "spread_element" => Argument::Spread,
            "comment" => Argument::Skip,
            _ => Argument::Positional(node),
        }
    }

    fn options_objects(&self) -> bool {
        true
    }

    fn entries<'t>(&self, node: Node<'t>) -> Option<Vec<Entry<'t>>> {
        if node.kind_name() != "object" {
            return None;
        }
        let entries = node
            .each_named_child()
            .filter_map(|entry| match entry.kind_name() {
                "pair" => match (entry.field("key"), entry.field("value")) {
                    (Some(key), Some(value)) if key.kind_name() == "computed_property_name" => {
                        let _ = value;
                        Some(Entry::Unknown)
                    }
                    (Some(key), Some(value)) => Some(Entry::Pair {
                        key,
                        value,
                        bare: key.kind_name() == "property_identifier",
                    }),
                    _ => None,
                },
                // `{shell}`: the key and the value are the same name.
                "shorthand_property_identifier" => Some(Entry::Pair {
                    key: entry,
                    value: entry,
                    bare: true,
                }),
                "spread_element" => Some(Entry::Unknown),
                _ => None,
            })
            .collect();
        Some(entries)
    }

    fn is_scope(&self, kind: &str) -> bool {
        kind == "program" || is_function_kind(kind)
    }

    fn is_nested_code(&self, kind: &str) -> bool {
        is_function_kind(kind)
    }

    fn is_function(&self, kind: &str) -> bool {
        is_function_kind(kind)
    }

    fn binding<'t>(&self, node: Node<'t>) -> Binding<'t> {
        match node.kind_name() {
            "variable_declarator" => match node.field("name") {
                Some(name) if name.kind_name() == "identifier" => Binding::Value {
                    name,
                    value: node.field("value"),
                },
                Some(pattern) => Binding::Opaque(pattern),
                None => Binding::None,
            },
            "assignment_expression" => match node.field("left") {
                Some(left) if left.kind_name() == "identifier" => Binding::Value {
                    name: left,
                    value: node.field("right"),
                },
                _ => Binding::None,
            },
            "augmented_assignment_expression" => node
                .field("left")
                .filter(|l| l.kind_name() == "identifier")
                .map_or(Binding::None, Binding::Opaque),
            // `for (const cmd of ["python3", "python"])` binds `cmd` to each element in turn.
            "for_in_statement"
                if let Some(each) = super::each_of_literal(node, &["array"], "spread_element") =>
            {
                each
            }
            "for_in_statement" => node.field("left").map_or(Binding::None, Binding::Opaque),
            "formal_parameters" => Binding::Parameters(node),
            _ => Binding::None,
        }
    }

    fn is_pattern_annotation(&self, kind: &str) -> bool {
        kind == "type_annotation"
    }

    fn string<'t>(&self, node: Node<'t>) -> Option<Vec<StringPart<'t>>> {
        match node.kind_name() {
            "string" => Some(super::string_parts(
                node,
                &["string_fragment", "escape_sequence"],
                &[],
            )),
            "template_string" => Some(super::string_parts(
                node,
                &["string_fragment", "escape_sequence"],
                &["template_substitution"],
            )),
            _ => None,
        }
    }

    fn is_scalar(&self, kind: &str) -> bool {
        matches!(kind, "number" | "true" | "false" | "null" | "undefined")
    }

    fn unary_operand<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        (node.kind_name() == "unary_expression")
            .then(|| node.field("argument"))
            .flatten()
    }

    fn same_value<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        match node.kind_name() {
            "parenthesized_expression"
            | "expression_statement"
            | "non_null_expression"
            | "as_expression"
            | "satisfies_expression" => {
                if node.kind_name() == "as_expression" || node.kind_name() == "satisfies_expression"
                {
                    node.named_child(0)
                } else {
                    last_named_child(node)
                }
            }
            _ => None,
        }
    }

    fn binary<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>, Node<'t>)> {
        super::binary_fields(node, "binary_expression")
    }

    fn is_sequence(&self, kind: &str) -> bool {
        kind == "array"
    }

    /// `for (const name of items)` (not `in`, which walks keys).
    fn loop_iterable<'t>(
        &self,
        node: Node<'t>,
        name: &str,
        source: &[u8],
    ) -> Option<(Node<'t>, bool)> {
        let left = node.field("left")?;
        (node.kind_name() == "for_in_statement"
            && node
                .field("operator")
                .is_some_and(|o| o.utf8_text(source).ok() == Some("of"))
            && left.kind_name() == "identifier"
            && left.utf8_text(source).ok() == Some(name))
        .then(|| node.field("right").map(|r| (r, true)))?
    }

    fn conditional<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        (node.kind_name() == "ternary_expression")
            .then(|| Some((node.field("consequence")?, node.field("alternative")?)))?
    }

    fn dynamic_special<'t>(
        &self,
        _sem: &Semantic<'t>,
        node: Node<'t>,
        dynamic: &mut dyn FnMut(Node<'t>) -> bool,
    ) -> Option<bool> {
        match node.kind_name() {
            // A template with a substitution builds its text at run time.
            "template_string" => Some(true),
            // `parts.join("")`, `s.concat(x)`, `a.replace(..)` of a dynamic string.
            "call_expression" => {
                let function = node.field("function")?;
                let object = self.member(function).map(|(object, _)| object)?;
                Some(dynamic(object))
            }
            _ => None,
        }
    }

    fn has_flow(&self) -> bool {
        true
    }

    fn statement<'t>(&self, node: Node<'t>) -> Statement<'t> {
        match node.kind_name() {
            "function_declaration"
            | "generator_function_declaration"
            | "class_declaration"
            | "import_statement"
            | "comment"
            | "empty_statement"
            | "debugger_statement"
            | "interface_declaration"
            | "type_alias_declaration"
            | "enum_declaration"
            | "abstract_class_declaration"
            | "ambient_declaration" => Statement::Inert,
            "expression_statement" => Statement::Expressions(node.each_named_child().collect()),
            "lexical_declaration" | "variable_declaration" => Statement::Declarations(
                node.each_named_child()
                    .filter(|d| d.kind_name() == "variable_declarator")
                    .filter_map(|d| Some((d.field("name")?, d.field("value"))))
                    .collect(),
            ),
            "return_statement" => Statement::Return(node.named_child(0)),
            "if_statement" => Statement::If,
            "for_in_statement" => Statement::For {
                target: node.field("left"),
                iterable: node.field("right"),
            },
            kind if kind.ends_with("_statement")
                || kind.ends_with("_declaration")
                || self.is_clause(kind)
                || kind == "statement_block"
                || kind == "class_body"
                || kind == "switch_body" =>
            {
                Statement::Compound
            }
            // An arrow function's expression body.
            _ => Statement::Expressions(vec![node]),
        }
    }

    fn is_block(&self, kind: &str) -> bool {
        matches!(kind, "statement_block" | "switch_body")
    }

    fn is_clause(&self, kind: &str) -> bool {
        matches!(
            kind,
            "else_clause" | "catch_clause" | "finally_clause" | "switch_case" | "switch_default"
        ) || kind.ends_with("_statement")
            || kind.ends_with("_declaration")
    }

    fn may_hold_functions(&self, _kind: &str) -> bool {
        // Callbacks are functions inside expressions (`server.tool("x", schema, async
        // ({path}) => ...)`): every node may hold one.
        true
    }

    fn parameters<'t>(&self, f: Node<'t>) -> Vec<(Node<'t>, Node<'t>)> {
        // `x => ...` has a single `parameter`.
        if let Some(single) = f.field("parameter") {
            return vec![(single, single)];
        }
        let Some(params) = f.field("parameters") else {
            return Vec::new();
        };
        let mut names = Vec::new();
        for p in params.each_named_child() {
            let mut bound = Vec::new();
            pattern_names(p, &mut bound);
            names.extend(bound.into_iter().map(|n| (n, p)));
        }
        names
    }

    fn assignment<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>, bool)> {
        super::assignment_fields(
            node,
            "assignment_expression",
            "augmented_assignment_expression",
        )
    }

    fn awaited<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        super::first_child_of(node, "await_expression")
    }

    fn index<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        (node.kind_name() == "subscript_expression")
            .then(|| Some((node.field("object")?, node.field("index"))))?
    }

    fn is_self(&self, kind: &str) -> bool {
        kind == "this"
    }

    fn value<'t>(&self, node: Node<'t>) -> Value<'t> {
        match node.kind_name() {
            "identifier" | "this" | "shorthand_property_identifier" => Value::Name,
            "member_expression" => node.field("object").map_or(Value::Opaque, Value::Member),
            "subscript_expression" => node.field("object").map_or(Value::Opaque, Value::Index),
            "call_expression" | "new_expression" => Value::Call,
            // `el.innerHTML = x` (as a sink, and as an expression) is `x`.
            "assignment_expression" | "augmented_assignment_expression" => {
                node.field("right").map_or(Value::Opaque, Value::Of)
            }
            "template_string"
            | "template_substitution"
            | "binary_expression"
            | "parenthesized_expression"
            | "array"
            | "object"
            | "pair"
            | "ternary_expression"
            | "await_expression"
            | "spread_element"
            | "return_statement"
            | "as_expression"
            | "non_null_expression"
            | "satisfies_expression"
            | "sequence_expression" => Value::Composite,
            _ => Value::Opaque,
        }
    }

    fn negated<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        if node.kind_name() != "unary_expression" {
            return None;
        }
        let operator = node.field("operator")?;
        (operator.kind_name() == "!")
            .then(|| node.field("argument"))
            .flatten()
    }

    fn boolean<'t>(
        &self,
        sem: &Semantic<'t>,
        node: Node<'t>,
    ) -> Option<(bool, Node<'t>, Node<'t>)> {
        let (left, op, right) = self.binary(node)?;
        let and = match sem.text(op) {
            "&&" => true,
            "||" => false,
            _ => return None,
        };
        Some((and, left, right))
    }

    fn comparison<'t>(
        &self,
        sem: &Semantic<'t>,
        node: Node<'t>,
    ) -> Option<(Node<'t>, Vec<&'t str>, Node<'t>)> {
        let (left, op, right) = self.binary(node)?;
        let op = match sem.text(op) {
            "===" | "==" => "==",
            "!==" | "!=" => "!=",
            _ => return None,
        };
        Some((left, vec![op], right))
    }

    fn is_exit(&self, kind: &str) -> bool {
        matches!(
            kind,
            "throw_statement" | "return_statement" | "continue_statement" | "break_statement"
        )
    }

    fn expression_of<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        super::first_child_of(node, "expression_statement")
    }

    fn propagators(&self) -> &'static [&'static str] {
        &PROPAGATORS
    }
}
