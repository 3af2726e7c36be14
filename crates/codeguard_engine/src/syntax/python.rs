//! Python's profile.

use crate::node_ext::NodeExt;
use tree_sitter::Node;

use super::{
    Argument, Binding, Entry, Imports, ModuleRef, Outline, OutlineItem, Statement, StringPart,
    Syntax, Value, last_named_child, module_refs, text,
};
use crate::semantic::Semantic;

pub(super) struct Python;

/// Words in this file's string literals that are neither node kinds nor field names.
#[cfg(test)]
pub(super) const NOT_KINDS: &[&str] = &[
    "dict", "format", "self", "cls", "and", "or", "__init__",
    // Keywords the outline reads in the text.
    "def", "class", "async", "from", "import", "as", "else", "elif", "except", "finally", "if",
    "try", "for", "while", "with", "match", "case", "lambda",
];

/// Functions whose result keeps its arguments' taint.
const PROPAGATORS: [&str; 22] = [
    // A path built from a value names what the value names.
    "pathlib.Path",
    "pathlib.PurePath",
    "os.path.join",
    "os.path.abspath",
    "os.path.expanduser",
    "os.path.normpath",
    "str",
    "repr",
    "format",
    "json.dumps",
    "json.loads",
    "dict",
    "list",
    "tuple",
    "set",
    "sorted",
    "reversed",
    "bytes",
    "bytearray",
    "base64.b64decode",
    "base64.b64encode",
    "textwrap.dedent",
];

impl Syntax for Python {
    fn outline(&self, source: &[u8]) -> Option<Outline> {
        Some(outline(source))
    }

    fn may_define_function(&self, source: &[u8], name: &str) -> bool {
        // `def name(`, or `async def name(`: the name as a word, after `def` and blanks (a
        // line may continue after a backslash).
        memchr::memmem::find_iter(source, name.as_bytes()).any(|at| {
            let end = at + name.len();
            let blank = |b: &u8| b.is_ascii_whitespace() || *b == b'\\';
            let kept = source[..at]
                .iter()
                .rposition(|b| !blank(b))
                .map_or(0, |i| i + 1);
            let before = &source[..kept];
            before.len() < at
                && before.ends_with(b"def")
                && !before[..before.len() - 3]
                    .last()
                    .is_some_and(|b| is_word_byte(*b))
                && !source.get(end).is_some_and(|b| is_word_byte(*b))
        })
    }

    fn project_modules(&self, qualified: &str) -> Vec<ModuleRef> {
        // A relative import keeps its dots (`..utils.logging`): one for the importing file's
        // folder, each further one for a folder up. An absolute one is matched against the
        // end of a file's path.
        let rest = qualified.trim_start_matches('.');
        let level = qualified.len() - rest.len();
        let parts = (1..level)
            .map(|_| "..".to_string())
            .chain(
                rest.split('.')
                    .filter(|p| !p.is_empty())
                    .map(str::to_string),
            )
            .collect();
        module_refs(parts, level > 0)
    }

    fn absolute_imports_start_at_a_root(&self) -> bool {
        true
    }

    fn package_file(&self) -> &'static str {
        "__init__"
    }

    fn is_statement_container(&self, kind: &str) -> bool {
        matches!(
            kind,
            "module"
                | "block"
                | "function_definition"
                | "class_definition"
                | "decorated_definition"
                | "if_statement"
                | "elif_clause"
                | "else_clause"
                | "try_statement"
                | "except_clause"
                | "finally_clause"
                | "with_statement"
                | "for_statement"
                | "while_statement"
                | "match_statement"
                | "case_clause"
        )
    }

    fn import(&self, node: Node<'_>, source: &[u8], imports: &mut Imports<'_>) -> bool {
        match node.kind_name() {
            "import_statement" => {
                let mut cursor = node.walk();
                for name in node.children_by_field_name("name", &mut cursor) {
                    match name.kind_name() {
                        "dotted_name" => {
                            // `import a.b` binds `a`.
                            let full = text(source, name);
                            let head = full.split('.').next().unwrap_or(full);
                            imports.aliases.insert(head.to_string(), head.to_string());
                        }
                        "aliased_import" => {
                            if let (Some(path), Some(alias)) =
                                (name.field("name"), name.field("alias"))
                            {
                                imports.aliases.insert(
                                    text(source, alias).to_string(),
                                    text(source, path).to_string(),
                                );
                            }
                        }
                        _ => {}
                    }
                }
                true
            }
            "import_from_statement" => {
                let Some(module) = node.field("module_name") else {
                    return true;
                };
                let dotted = text(source, module);
                let module = dotted.trim_start_matches('.').to_string();
                let dots = &dotted[..dotted.len() - module.len()];
                if node
                    .each_named_child()
                    .any(|c| c.kind_name() == "wildcard_import")
                {
                    imports.add_star_module(module.clone());
                    if !dots.is_empty() {
                        imports
                            .relative
                            .insert(module.clone(), format!("{dots}{module}"));
                    }
                }
                // Binds `local` to `module.name`; a relative import also keeps its dots for
                // the links.
                let mut bind = |local: &str, name: &str| {
                    let qualified = format!("{module}.{name}");
                    if !dots.is_empty() {
                        let written = if module.is_empty() {
                            format!("{dots}{name}")
                        } else {
                            format!("{dots}{qualified}")
                        };
                        imports.relative.insert(qualified.clone(), written);
                    }
                    imports.aliases.insert(local.to_string(), qualified);
                };
                let mut cursor = node.walk();
                for name in node.children_by_field_name("name", &mut cursor) {
                    match name.kind_name() {
                        "dotted_name" => {
                            let n = text(source, name);
                            bind(n, n);
                        }
                        "aliased_import" => {
                            if let (Some(path), Some(alias)) =
                                (name.field("name"), name.field("alias"))
                            {
                                bind(text(source, alias), text(source, path));
                            }
                        }
                        _ => {}
                    }
                }
                true
            }
            _ => false,
        }
    }

    fn is_name(&self, kind: &str) -> bool {
        kind == "identifier"
    }

    fn member<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        super::fields(node, "attribute", "object", "attribute")
    }

    fn call<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        super::call_fields(node, "call", "function")
    }

    fn is_call(&self, kind: &str) -> bool {
        kind == "call"
    }

    fn wrapped<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        match node.kind_name() {
            "parenthesized_expression" => node.named_child(0),
            _ => None,
        }
    }

    fn argument<'t>(&self, node: Node<'t>) -> Argument<'t> {
        match node.kind_name() {
            "keyword_argument" => match (node.field("name"), node.field("value")) {
                (Some(name), Some(value)) => Argument::Keyword { name, value },
                _ => Argument::Skip,
            },
            "dictionary_splat" => Argument::KeywordSpread(node.named_child(0)),
            "list_splat" => Argument::Spread,
            "comment" => Argument::Skip,
            _ => Argument::Positional(node),
        }
    }

    fn entries<'t>(&self, node: Node<'t>) -> Option<Vec<Entry<'t>>> {
        if node.kind_name() != "dictionary" {
            return None;
        }
        let entries = node
            .each_named_child()
            .filter_map(|pair| match pair.kind_name() {
                "dictionary_splat" => Some(Entry::Unknown),
                "pair" => Some(match (pair.field("key"), pair.field("value")) {
                    (Some(key), Some(value)) => Entry::Pair {
                        key,
                        value,
                        bare: false,
                    },
                    _ => return None,
                }),
                _ => None,
            })
            .collect();
        Some(entries)
    }

    fn dict_constructor(&self) -> Option<&'static str> {
        Some("dict")
    }

    fn is_scope(&self, kind: &str) -> bool {
        matches!(kind, "module" | "function_definition" | "lambda")
    }

    fn is_nested_code(&self, kind: &str) -> bool {
        matches!(kind, "lambda" | "function_definition")
    }

    fn is_function(&self, kind: &str) -> bool {
        kind == "function_definition"
    }

    fn binding<'t>(&self, node: Node<'t>) -> Binding<'t> {
        match node.kind_name() {
            "assignment" => match node.field("left") {
                Some(left) if left.kind_name() == "identifier" => Binding::Value {
                    name: left,
                    value: node.field("right"),
                },
                // `mapping[key] = v` stores into `mapping` (the statement stands for that).
                Some(left)
                    if left.kind_name() == "subscript"
                        && let Some(name) = left
                            .field("value")
                            .filter(|v| v.kind_name() == "identifier") =>
                {
                    Binding::Value {
                        name,
                        value: Some(node),
                    }
                }
                Some(left) => Binding::Opaque(left),
                None => Binding::None,
            },
            // `with httpx.Client() as c`: `c` is (for clients and files) what the expression
            // built, as if `c = httpx.Client()`.
            "as_pattern"
                if node.parent().is_some_and(|p| p.kind_name() == "with_item")
                    && node
                        .field("alias")
                        .and_then(|a| a.named_child(0))
                        .is_some_and(|a| a.kind_name() == "identifier") =>
            {
                match (
                    node.field("alias").and_then(|a| a.named_child(0)),
                    node.named_child(0),
                ) {
                    (Some(name), Some(value)) => Binding::Value {
                        name,
                        value: Some(value),
                    },
                    _ => Binding::None,
                }
            }
            // `for cmd in ["npx.cmd", "npx"]:` binds `cmd` to each element in turn.
            "for_statement"
                if let Some(each) =
                    super::each_of_literal(node, &["list", "tuple"], "list_splat") =>
            {
                each
            }
            // `sql += part`: `sql` also holds what the statement appends (the statement stands
            // for that value: see `dynamic_special`).
            "augmented_assignment"
                if let Some(name) =
                    node.field("left").filter(|l| l.kind_name() == "identifier")
                    && node
                        .field("operator")
                        .is_some_and(|o| o.kind_name() == "+=") =>
            {
                Binding::Value {
                    name,
                    value: Some(node),
                }
            }
            "augmented_assignment"
            | "for_statement"
            | "for_in_clause"
            | "named_expression"
            | "as_pattern" => node
                .field("left")
                .or_else(|| node.field("name"))
                .or_else(|| node.field("alias"))
                .map_or(Binding::None, Binding::Opaque),
            "parameters" | "lambda_parameters" => Binding::Parameters(node),
            _ => Binding::None,
        }
    }

    fn is_pattern_annotation(&self, kind: &str) -> bool {
        matches!(kind, "type")
    }

    fn string<'t>(&self, node: Node<'t>) -> Option<Vec<StringPart<'t>>> {
        (node.kind_name() == "string").then(|| {
            super::string_parts(
                node,
                &["string_content", "escape_sequence"],
                &["interpolation"],
            )
        })
    }

    fn is_concatenated_string(&self, kind: &str) -> bool {
        kind == "concatenated_string"
    }

    fn is_scalar(&self, kind: &str) -> bool {
        matches!(kind, "integer" | "float" | "true" | "false" | "none")
    }

    fn unary_operand<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        (node.kind_name() == "unary_operator")
            .then(|| last_named_child(node))
            .flatten()
    }

    fn same_value<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        match node.kind_name() {
            "parenthesized_expression" | "expression_statement" => last_named_child(node),
            _ => None,
        }
    }

    fn binary<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>, Node<'t>)> {
        super::binary_fields(node, "binary_operator")
    }

    fn is_sequence(&self, kind: &str) -> bool {
        matches!(kind, "tuple" | "list")
    }

    fn well_known_modules(&self) -> &'static [&'static str] {
        &[
            "os",
            "subprocess",
            "pickle",
            "cPickle",
            "marshal",
            "shelve",
            "dill",
            "hashlib",
            "hmac",
            "yaml",
            "requests",
            "httpx",
            "urllib",
            "urllib3",
            "tempfile",
            "random",
            "secrets",
            "ssl",
            "socket",
            "sqlite3",
            "xml",
            "lxml",
            "jinja2",
            "tarfile",
            "zipfile",
            "shutil",
            "paramiko",
            "telnetlib",
            "ftplib",
            "jwt",
            "torch",
            "joblib",
            "numpy",
            "np",
            "json",
            "base64",
            "flask",
            "django",
            "commands",
            "popen2",
        ]
    }

    fn loop_iterable<'t>(
        &self,
        node: Node<'t>,
        name: &str,
        source: &[u8],
    ) -> Option<(Node<'t>, bool)> {
        let is_name =
            |n: Node<'_>| n.kind_name() == "identifier" && n.utf8_text(source).ok() == Some(name);
        // `for name in`, `for name, other in`, `for (name, other) in`.
        let binds = |left: Node<'t>| -> Option<bool> {
            if is_name(left) {
                return Some(true);
            }
            (matches!(left.kind_name(), "pattern_list" | "tuple_pattern")
                && left.each_named_child().any(is_name))
            .then_some(false)
        };
        let clause = match node.kind_name() {
            "for_statement" => node,
            "generator_expression"
            | "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension" => node.each_named_child().find(|c| {
                c.kind_name() == "for_in_clause" && c.field("left").and_then(binds).is_some()
            })?,
            _ => return None,
        };
        let whole = binds(clause.field("left")?)?;
        Some((clause.field("right")?, whole))
    }

    fn conditional<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        // `a if c else b`: no fields; the values are the first and last expressions.
        (node.kind_name() == "conditional_expression" && node.named_child_count() == 3)
            .then(|| Some((node.named_child(0)?, node.named_child(2)?)))?
    }

    fn dynamic_special<'t>(
        &self,
        sem: &Semantic<'t>,
        node: Node<'t>,
        dynamic: &mut dyn FnMut(Node<'t>) -> bool,
    ) -> Option<bool> {
        // `sql += part`: dynamic when the part is not a constant.
        if node.kind_name() == "augmented_assignment" {
            let right = node.field("right")?;
            return Some(sem.constant(right).is_none() || dynamic(right));
        }
        // `mapping[key] = v` is not a string.
        if node.kind_name() == "assignment" {
            return Some(false);
        }
        // `"...".format(x)`.
        let (function, _) = self.call(node)?;
        Some(
            function.kind_name() == "attribute"
                && function
                    .field("attribute")
                    .is_some_and(|a| sem.text(a) == "format")
                && function
                    .field("object")
                    .is_some_and(|o| self.is_stringish(sem, o)),
        )
    }

    fn is_format_operator(&self, op: &str) -> bool {
        op == "%"
    }

    fn function_markers<'t>(&self, f: Node<'t>) -> Vec<Node<'t>> {
        let Some(decorated) = f
            .parent()
            .filter(|p| p.kind_name() == "decorated_definition")
        else {
            return Vec::new();
        };
        decorated
            .each_named_child()
            .filter(|d| d.kind_name() == "decorator")
            .collect()
    }

    fn class_bases<'t>(&self, f: Node<'t>) -> Vec<Node<'t>> {
        let mut node = f;
        // def -> (decorated_definition) -> block -> class_definition
        for _ in 0..3 {
            let Some(parent) = node.parent() else {
                return Vec::new();
            };
            if parent.kind_name() == "class_definition" {
                let Some(bases) = parent.field("superclasses") else {
                    return Vec::new();
                };
                return bases
                    .each_named_child()
                    .filter(|b| matches!(b.kind_name(), "identifier" | "attribute"))
                    .collect();
            }
            node = parent;
        }
        Vec::new()
    }

    fn has_flow(&self) -> bool {
        true
    }

    fn has_builtins(&self) -> bool {
        true
    }

    fn statement<'t>(&self, node: Node<'t>) -> Statement<'t> {
        match node.kind_name() {
            // Decorator arguments are evaluated where the definition stands.
            "decorated_definition" => Statement::Evaluates(
                node.each_named_child()
                    .filter(|c| c.kind_name() == "decorator")
                    .collect(),
            ),
            "function_definition"
            | "class_definition"
            | "import_statement"
            | "import_from_statement"
            | "comment" => Statement::Inert,
            "expression_statement" => Statement::Expressions(node.each_named_child().collect()),
            "return_statement" => Statement::Return(node.named_child(0)),
            "if_statement" => Statement::If,
            "for_statement" => Statement::For {
                target: node.field("left"),
                iterable: node.field("right"),
            },
            "with_statement" => {
                // `with a as x, b as y:`: the `as_pattern`s of its header (not of its body).
                let mut items = Vec::new();
                let mut stack = vec![node];
                while let Some(n) = stack.pop() {
                    if n.kind_name() == "as_pattern" {
                        if let (Some(value), Some(alias)) = (n.named_child(0), n.field("alias")) {
                            items.push((value, alias));
                        }
                    } else if n.kind_name() != "block" {
                        let children: Vec<Node<'t>> = n.each_named_child().collect();
                        stack.extend(children.into_iter().rev());
                    }
                }
                Statement::With(items)
            }
            _ => Statement::Compound,
        }
    }

    fn is_block(&self, kind: &str) -> bool {
        kind == "block"
    }

    fn is_clause(&self, kind: &str) -> bool {
        matches!(
            kind,
            "else_clause"
                | "elif_clause"
                | "except_clause"
                | "finally_clause"
                | "case_clause"
                | "expression_statement"
        )
    }

    fn may_hold_functions(&self, kind: &str) -> bool {
        matches!(
            kind,
            "class_definition" | "decorated_definition" | "block" | "function_definition"
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
                _ => p.field("name").or_else(|| p.named_child(0)),
            };
            if let Some(ident) = ident.filter(|i| i.kind_name() == "identifier") {
                names.push((ident, p));
            }
        }
        names
    }

    fn is_receiver_parameter(&self, name: &str) -> bool {
        matches!(name, "self" | "cls")
    }

    fn assignment<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>, bool)> {
        super::assignment_fields(node, "assignment", "augmented_assignment")
    }

    fn awaited<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        super::first_child_of(node, "await")
    }

    fn index<'t>(&self, node: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        (node.kind_name() == "subscript")
            .then(|| Some((node.field("value")?, node.field("subscript"))))?
    }

    fn value<'t>(&self, node: Node<'t>) -> Value<'t> {
        match node.kind_name() {
            "identifier" => Value::Name,
            "attribute" => node
                .field("object")
                .map_or(Value::Opaque, Value::Member),
            "subscript" => node
                .field("value")
                .map_or(Value::Opaque, Value::Index),
            "call" => Value::Call,
            "string"
            | "concatenated_string"
            | "interpolation"
            | "binary_operator"
            | "parenthesized_expression"
            | "list"
            | "tuple"
            // `a, b` without brackets: `return trace, 500` returns a tuple.
            | "expression_list"
            | "set"
            | "dictionary"
            | "pair"
            | "conditional_expression"
            | "await"
            | "list_comprehension"
            | "generator_expression"
            | "keyword_argument"
            | "list_splat"
            | "dictionary_splat"
            | "boolean_operator"
            | "format_expression"
            | "return_statement"
            | "string_content" => Value::Composite,
            _ => Value::Opaque,
        }
    }

    fn negated<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        (node.kind_name() == "not_operator")
            .then(|| node.field("argument"))
            .flatten()
    }

    fn boolean<'t>(
        &self,
        sem: &Semantic<'t>,
        node: Node<'t>,
    ) -> Option<(bool, Node<'t>, Node<'t>)> {
        if node.kind_name() != "boolean_operator" {
            return None;
        }
        let and = match sem.text(node.field("operator")?) {
            "and" => true,
            "or" => false,
            _ => return None,
        };
        Some((and, node.field("left")?, node.field("right")?))
    }

    fn comparison<'t>(
        &self,
        sem: &Semantic<'t>,
        node: Node<'t>,
    ) -> Option<(Node<'t>, Vec<&'t str>, Node<'t>)> {
        if node.kind_name() != "comparison_operator" {
            return None;
        }
        let operators = node
            .each_child()
            .filter(|c| !c.is_named())
            .map(|c| sem.text(c))
            .collect();
        Some((node.named_child(0)?, operators, node.named_child(1)?))
    }

    fn is_exit(&self, kind: &str) -> bool {
        matches!(
            kind,
            "raise_statement" | "return_statement" | "continue_statement" | "break_statement"
        )
    }

    fn expression_of<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        super::first_child_of(node, "expression_statement")
    }

    fn propagators(&self) -> &'static [&'static str] {
        &PROPAGATORS
    }

    fn capitalised_calls_construct(&self) -> bool {
        true
    }
}

// ------------------------------------------------------------------ outline

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Whether `text` starts with the keyword `word` (not a longer name).
fn keyword_at(text: &[u8], word: &str) -> bool {
    text.starts_with(word.as_bytes()) && !text.get(word.len()).copied().is_some_and(is_word_byte)
}

/// The word starting at `at` (its range), after spaces and tabs.
fn word_after(source: &[u8], mut at: usize) -> Option<std::ops::Range<usize>> {
    while matches!(source.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    let end = at
        + source[at..]
            .iter()
            .take_while(|b| is_word_byte(**b))
            .count();
    (end > at).then_some(at..end)
}

/// The name `def`, `async def` or `class` at `at` defines.
fn defined_name(source: &[u8], at: usize) -> Option<std::ops::Range<usize>> {
    let text = &source[at..];
    if keyword_at(text, "def") {
        return word_after(source, at + 3);
    }
    if keyword_at(text, "class") {
        return word_after(source, at + 5);
    }
    if keyword_at(text, "async") {
        let def = word_after(source, at + 5)?;
        return (&source[def.clone()] == b"def")
            .then(|| word_after(source, def.end))
            .flatten();
    }
    None
}

/// The names an `import` or `from` statement at `at` binds: `b` of `import a.b as b`, `a`
/// of `import a.b`, `c` and `d` of `from m import (c, x as d)`.
fn imported_names(source: &[u8], at: usize, names: &mut Vec<std::ops::Range<usize>>) {
    let text = &source[at..];
    let from = keyword_at(text, "from");
    if !from && !keyword_at(text, "import") {
        return;
    }
    // The words of the logical line, with where each starts.
    let mut words: Vec<std::ops::Range<usize>> = Vec::new();
    let (mut i, mut depth) = (at, 0u32);
    while i < source.len() {
        match source[i] {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b'\\' => i += 1,
            b'\n' if depth == 0 => break,
            b'#' | b';' => break,
            b if is_word_byte(b) => {
                let end = i + source[i..].iter().take_while(|b| is_word_byte(**b)).count();
                words.push(i..end);
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let word = |r: &std::ops::Range<usize>| &source[r.clone()];
    let listed = if from {
        match words.iter().position(|w| word(w) == b"import") {
            Some(p) => &words[p + 1..],
            None => return,
        }
    } else {
        &words[1..]
    };
    // Each listed name is bound unless an `as` follows it; after `as`, the alias is.
    // `import a.b` binds `a`: dots split words here, so only the first word of a dotted
    // name is taken, which `a.b` also binds.
    let mut k = 0;
    while k < listed.len() {
        if listed.get(k + 1).is_some_and(|w| word(w) == b"as") {
            if let Some(alias) = listed.get(k + 2) {
                names.push(alias.clone());
            }
            k += 3;
        } else {
            names.push(listed[k].clone());
            k += 1;
        }
    }
}

/// The attribute `self.NAME = ...` (or `cls.`, or an augmented assignment) at `at` assigns.
fn self_attribute_assigned(source: &[u8], at: usize) -> Option<std::ops::Range<usize>> {
    let text = &source[at..];
    let object = ["self.", "cls."]
        .into_iter()
        .find(|o| text.starts_with(o.as_bytes()))?;
    let name = word_after(source, at + object.len())?;
    let mut i = name.end;
    while matches!(source.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    while matches!(
        source.get(i),
        Some(b'+' | b'-' | b'*' | b'/' | b'%' | b'|' | b'&' | b'^' | b'@' | b'<' | b'>')
    ) {
        i += 1;
    }
    (source.get(i) == Some(&b'=') && source.get(i + 1) != Some(&b'=')).then_some(name)
}

/// The name a top-level `NAME = ...` or `NAME: T = ...` at `at` binds.
fn assigned_name(source: &[u8], at: usize) -> Option<std::ops::Range<usize>> {
    let name = word_after(source, at)?;
    // `else:`, `try:`: a clause, not an annotation.
    const CLAUSES: [&[u8]; 12] = [
        b"if", b"elif", b"else", b"try", b"except", b"finally", b"for", b"while", b"with",
        b"match", b"case", b"lambda",
    ];
    if CLAUSES.contains(&&source[name.clone()]) {
        return None;
    }
    let mut i = name.end;
    while matches!(source.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    match (source.get(i), source.get(i + 1)) {
        (Some(b'='), next) if next != Some(&b'=') => Some(name),
        (Some(b':'), _) => Some(name),
        _ => None,
    }
}

/// The bytes of code the outline acts on (comments, strings, brackets, line ends); it skips
/// the others in a tight loop.
const OUTLINE_STOPS: [bool; 256] = {
    let mut stops = [false; 256];
    let bytes = *b"#'\"([{)]}\\\n";
    let mut k = 0;
    while k < bytes.len() {
        stops[bytes[k] as usize] = true;
        k += 1;
    }
    stops
};

/// The top-level statements of a Python file, by a reading of its text that knows strings,
/// comments, brackets and line continuations: a statement starts at a line's first column
/// when no bracket or string is open and the previous line did not end in a backslash.
/// `else`, `elif`, `except` and `finally` continue their statement, a decorator's definition
/// continues it. A misreading (an f-string nesting the quotes around it) can only split a
/// statement, which the parser then reports as an error: the caller parses the whole file.
fn outline(source: &[u8]) -> Outline {
    let mut items: Vec<OutlineItem> = Vec::new();
    // An open string: its quote and whether it is triple-quoted.
    let mut string: Option<(u8, bool)> = None;
    let (mut depth, mut continued, mut decorating) = (0u32, false, false);
    // Whether the current item is a class, and the indentation of its body.
    let (mut class, mut body_indent) = (false, None::<usize>);
    // The current class's header piece, and whether a method's decorators are open.
    let (mut header, mut decorating_method) = (0, false);
    let mut line_start = true;
    // Comments, string literals, and the text of f-strings around their replacement fields.
    let mut not_code: Vec<std::ops::Range<usize>> = Vec::new();
    let (mut string_start, mut formatted) = (0, false);
    let mut i = 0;
    while i < source.len() {
        if line_start && string.is_none() {
            line_start = false;
            let logical = depth == 0 && !continued;
            continued = false;
            if logical {
                let indent = source[i..]
                    .iter()
                    .take_while(|b| matches!(b, b' ' | b'\t' | b'\x0c'))
                    .count();
                let at = i + indent;
                let text = &source[at..];
                let blank = matches!(text.first(), None | Some(b'\n' | b'\r' | b'#'));
                if !blank && indent == 0 {
                    let clause = ["else", "elif", "except", "finally"]
                        .iter()
                        .any(|k| keyword_at(text, k));
                    let defines = defined_name(source, at).is_some();
                    let decorator = text.first() == Some(&b'@');
                    let continues = clause || (decorating && (decorator || defines));
                    if !continues || items.is_empty() {
                        items.push(OutlineItem {
                            range: if items.is_empty() { 0 } else { at }..source.len(),
                            definition: defines || decorator,
                            names: Vec::new(),
                            attributes: Vec::new(),
                            class: None,
                            frame: false,
                        });
                        (class, body_indent) = (false, None);
                    }
                    if !class && keyword_at(text, "class") {
                        class = true;
                        (header, decorating_method) = (items.len() - 1, false);
                        let item = items.last_mut().expect("pushed above");
                        (item.class, item.frame) = (Some(header), true);
                    }
                    decorating = decorator || (decorating && !defines && continues);
                    let item = items.last_mut().expect("pushed above");
                    if !item.definition {
                        imported_names(source, at, &mut item.names);
                        if let Some(name) = assigned_name(source, at) {
                            item.names.push(name);
                        }
                    }
                } else if !blank
                    && let Some(item) = items.last_mut()
                    && !item.definition
                {
                    // `try: import x` at the top level binds `x` too.
                    imported_names(source, at, &mut item.names);
                } else if !blank && let Some(item) = items.last_mut() {
                    // Attributes the definition assigns: `self.x = ..` anywhere, `x = ..` in
                    // the body of a top-level class.
                    let body = *body_indent.get_or_insert(indent);
                    // A class body is cut into pieces: each method (with its decorators), and
                    // the class-level statements between them. A piece starts at its line's
                    // start: the parser reads indentation from there.
                    if class && indent == body {
                        let method =
                            defined_name(source, at).is_some() || text.first() == Some(&b'@');
                        let starts = if method {
                            !decorating_method
                        } else {
                            !item.frame
                        };
                        decorating_method = text.first() == Some(&b'@');
                        if starts {
                            items.push(OutlineItem {
                                range: i..source.len(),
                                definition: true,
                                names: Vec::new(),
                                attributes: Vec::new(),
                                class: Some(header),
                                frame: !method,
                            });
                        }
                    }
                    let item = items.last_mut().expect("an item holds the line");
                    if let Some(name) = self_attribute_assigned(source, at) {
                        item.attributes.push(name);
                    } else if class
                        && indent == body
                        && let Some(name) = assigned_name(source, at)
                    {
                        item.attributes.push(name);
                    }
                }
                // Functions by name (classes are not followed by name: a construction
                // runs no summary).
                if !blank
                    && let Some(item) = items.last_mut()
                    && item.definition
                    && !keyword_at(&source[at..], "class")
                    && let Some(name) = defined_name(source, at)
                {
                    item.names.push(name);
                }
            }
        }
        if let Some((quote, triple)) = string {
            // Only an escape, the quote or a line's end can end a string.
            let Some(stop) = memchr::memchr3(b'\\', quote, b'\n', &source[i..]) else {
                break;
            };
            i += stop;
            match source[i] {
                b'\\' => {
                    i += 2;
                    continue;
                }
                b if b == quote && !triple => {
                    string = None;
                    if formatted {
                        fstring_text(source, string_start + 1..i, &mut not_code);
                    } else {
                        not_code.push(string_start..i + 1);
                    }
                }
                b if b == quote && source[i..].starts_with(&[quote, quote, quote]) => {
                    string = None;
                    if formatted {
                        fstring_text(source, string_start + 3..i, &mut not_code);
                    } else {
                        not_code.push(string_start..i + 3);
                    }
                    i += 3;
                    continue;
                }
                // An unterminated one-line string ends with its line.
                b'\n' if !triple => {
                    string = None;
                    line_start = true;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        let b = source[i];
        if !OUTLINE_STOPS[usize::from(b)] {
            i += 1;
            while i < source.len() && !OUTLINE_STOPS[usize::from(source[i])] {
                i += 1;
            }
            continue;
        }
        match b {
            b'#' => {
                let end = memchr::memchr(b'\n', &source[i..]).map_or(source.len(), |n| i + n);
                not_code.push(i..end);
                i = end;
                continue;
            }
            b'\'' | b'"' => {
                let triple = source[i..].starts_with(&[b, b, b]);
                string = Some((b, triple));
                string_start = i;
                // An f-string's replacement fields are code.
                let prefix = source[..i]
                    .iter()
                    .rev()
                    .take_while(|b| b.is_ascii_alphabetic());
                formatted = prefix
                    .take(3)
                    .any(|b| matches!(b, b'f' | b'F' | b't' | b'T'));
                i += if triple { 3 } else { 1 };
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'\\' if matches!(source.get(i + 1), Some(b'\n' | b'\r')) => {
                continued = true;
                i += 1 + usize::from(source.get(i + 1) == Some(&b'\r'));
                // Past the newline: the next line continues this one.
                i += usize::from(source.get(i) == Some(&b'\n'));
                line_start = true;
                continue;
            }
            b'\n' => line_start = true,
            _ => {}
        }
        i += 1;
    }
    for k in 1..items.len() {
        items[k - 1].range.end = items[k].range.start;
    }
    Outline {
        items,
        not_code,
        attribute_reads: self_attributes_read,
    }
}

/// Adds the text of an f-string's body (`body`, between its quotes) around its replacement
/// fields (`{...}`, code) to `not_code`: a name in the text is no call (`f"the pipeline
/// failed"` says no `pipeline`). Fields whose braces do not balance leave the whole body code.
fn fstring_text(
    source: &[u8],
    body: std::ops::Range<usize>,
    not_code: &mut Vec<std::ops::Range<usize>>,
) {
    let mut texts = Vec::new();
    let (mut depth, mut text_start) = (0usize, body.start);
    let mut i = body.start;
    while i < body.end {
        match source[i] {
            // `{{` and `}}` in the text are literal braces.
            b'{' | b'}'
                if depth == 0 && source.get(i + 1) == Some(&source[i]) && i + 1 < body.end =>
            {
                i += 2;
                continue;
            }
            b'{' => {
                if depth == 0 && text_start < i {
                    texts.push(text_start..i);
                }
                depth += 1;
            }
            b'}' => {
                if depth == 0 {
                    return;
                }
                depth -= 1;
                if depth == 0 {
                    text_start = i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if depth != 0 {
        return;
    }
    if text_start < body.end {
        texts.push(text_start..body.end);
    }
    not_code.extend(texts);
}

/// The names after `self.` and `cls.` in `text`.
fn self_attributes_read(text: &[u8]) -> Vec<&[u8]> {
    let mut names = Vec::new();
    for object in [&b"self."[..], b"cls."] {
        for at in memchr::memmem::find_iter(text, object) {
            if at > 0 && is_word_byte(text[at - 1]) {
                continue;
            }
            let start = at + object.len();
            let end = start
                + text[start..]
                    .iter()
                    .take_while(|b| is_word_byte(**b))
                    .count();
            if end > start {
                names.push(&text[start..end]);
            }
        }
    }
    names
}
