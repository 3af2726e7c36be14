//! Which values the code itself defines, for rules about identifiers spliced into SQL: a
//! table name from the code's own attributes is not injection, a request value is.

use super::Semantic;
use crate::node_ext::NodeExt;

/// How deep `outside` follows values: a mapping's items reached through a join of a
/// comprehension over its `.items()` are eight steps from the SQL string.
const MAX_DEPTH: usize = 10;
use foldhash::HashMap;
use std::collections::HashSet;
use tree_sitter::Node;

impl<'t> Semantic<'t> {
    /// Whether a value may carry data from outside the code: some part of it is neither a
    /// constant nor something the code itself defines (see [`Semantic::is_code_defined`]).
    /// Used with [`Semantic::is_dynamic_string`] by rules about identifiers spliced into
    /// SQL, where table and column names from the code's own attributes are not injection.
    pub fn may_carry_outside_data(&self, node: Node<'t>) -> bool {
        self.outside(node, 0, &mut HashSet::new())
    }

    fn outside(&self, node: Node<'t>, depth: usize, seen: &mut HashSet<(usize, &'t str)>) -> bool {
        if depth > MAX_DEPTH {
            // Too deep to tell: assume the worst, as `dynamic` does for what it can see.
            return true;
        }
        if self.fold(node, 0).is_some()
            || (node.kind_name() != "identifier" && self.is_code_defined(node))
        {
            return false;
        }
        let any_part = |parts: Vec<Node<'t>>, seen: &mut _| {
            parts.into_iter().any(|p| self.outside(p, depth + 1, seen))
        };
        match node.kind_name() {
            "string" => {
                let parts = self
                    .named_children_of(node)
                    .iter()
                    .filter(|c| c.kind_name() == "interpolation")
                    .filter_map(|c| c.field("expression"))
                    .collect();
                any_part(parts, seen)
            }
            "concatenated_string"
            | "tuple"
            | "list"
            | "parenthesized_expression"
            | "expression_list"
            | "await" => {
                let parts = self.named_children_of(node).to_vec();
                any_part(parts, seen)
            }
            "dictionary" => {
                let parts = self
                    .named_children_of(node)
                    .iter()
                    .filter_map(|pair| pair.field("value"))
                    .collect();
                any_part(parts, seen)
            }
            "conditional_expression" => {
                // `a if cond else b`: the condition picks a part, it is not one.
                let children = self.named_children_of(node);
                let parts = [children.first(), children.get(2)]
                    .into_iter()
                    .flatten()
                    .copied()
                    .collect();
                any_part(parts, seen)
            }
            // `"LIMIT %d" % n`: numeric conversions cannot carry SQL text.
            "binary_operator" if self.formats_only_numbers(node) => false,
            "binary_operator" => {
                let parts = ["left", "right"]
                    .iter()
                    .filter_map(|f| node.field(f))
                    .collect();
                any_part(parts, seen)
            }
            // `sql += part` and `mapping[key] = part` (bindings of `sql`, `mapping`): the
            // part; what the name held before is another binding.
            "augmented_assignment" | "assignment" => {
                any_part(node.field("right").into_iter().collect(), seen)
            }
            // `OPERATORS[key]`: the key picks a part of the table, it is not one.
            "subscript" => any_part(node.field("value").into_iter().collect(), seen),
            // `self.suffix`: what the file assigns to the attribute, when it assigns it.
            "attribute" => match self.own_attribute_values(node) {
                Some(values) => {
                    let name = node
                        .field("attribute")
                        .map(|a| self.text(a))
                        .unwrap_or_default();
                    // Attributes share one namespace in `seen`, apart from scopes' ids.
                    seen.insert((usize::MAX, name)) && any_part(values, seen)
                }
                None => true,
            },
            "call" if self.method_name(node) == Some("join") => {
                // `sep.join(parts)` whose parts the shape test above did not accept.
                let parts = self
                    .arguments(node)
                    .map(|args| {
                        // `sep.join(x for x in y)` has the generator as its arguments.
                        let args = if args.kind_name() == "generator_expression" {
                            vec![args]
                        } else {
                            self.named_children_of(args).to_vec()
                        };
                        args.iter()
                            .map(|a| match a.kind_name() {
                                "generator_expression" | "list_comprehension" => {
                                    a.field("body").unwrap_or(*a)
                                }
                                _ => *a,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                any_part(parts, seen)
            }
            // `names.values()`: the elements of the collection.
            "call" if self.collection_view(node).is_some() => {
                let collection = self.collection_view(node).unwrap_or(node);
                self.elements_outside(collection, depth + 1, seen)
            }
            // `self._get_op_class()`: what the file's methods of that name return.
            "call" if self.own_method_returns(node).is_some() => {
                let returns = self.own_method_returns(node).unwrap_or_default();
                any_part(returns, seen)
            }
            "call" => {
                // `"...".format(a, b=c)`: the arguments are the parts.
                let function = node.field("function");
                let is_format = function.is_some_and(|f| {
                    f.kind_name() == "attribute"
                        && f.field("attribute")
                            .is_some_and(|a| self.text(a) == "format")
                        && f.field("object").is_some_and(|o| self.is_stringish(o))
                });
                if !is_format {
                    return true;
                }
                let parts = node
                    .field("arguments")
                    .map(|args| {
                        self.named_children_of(args)
                            .iter()
                            .map(|a| a.field("value").unwrap_or(*a))
                            .collect()
                    })
                    .unwrap_or_default();
                any_part(parts, seen)
            }
            "identifier" => {
                let name = self.text(node);
                let mut scope = self.scope_of(node);
                if !seen.insert((scope.id(), name)) {
                    return false;
                }
                let mut values = self.scope_bindings(scope, name);
                if values.is_none() && scope.id() != self.root.id() {
                    scope = self.root;
                    values = self.scope_bindings(scope, name);
                }
                // What a name is bound to says more than its name; a parameter, a loop
                // variable or an imported name is judged by its name.
                let judged_by_name = |seen: &mut _| {
                    // A loop over the code's own collection; else the name still says what
                    // the variable holds (`for table_name in table_names`).
                    if self.enclosing_loop(node).is_some_and(|(iterated, _)| {
                        !self.elements_outside(iterated, depth + 1, seen)
                    }) {
                        return false;
                    }
                    match self.private_helper_arguments(node) {
                        Some(arguments) => any_part(arguments, seen),
                        None => !self.is_code_defined(node),
                    }
                };
                match values {
                    Some(values) => values.into_iter().any(|v| match v {
                        Some(v) => self.outside(v, depth + 1, seen),
                        None => judged_by_name(seen),
                    }),
                    None => judged_by_name(seen),
                }
            }
            _ => true,
        }
    }

    /// Whether some element of a collection may carry outside data: the keys and values of a
    /// dict literal, the items of a list, tuple or set, and for a name what it is bound to,
    /// including what the scope stores into it (`mapping[k] = v`).
    fn elements_outside(
        &self,
        node: Node<'t>,
        depth: usize,
        seen: &mut HashSet<(usize, &'t str)>,
    ) -> bool {
        if depth > MAX_DEPTH {
            return true;
        }
        match node.kind_name() {
            "dictionary" => self.named_children_of(node).iter().any(|pair| {
                pair.kind_name() != "pair"
                    || ["key", "value"]
                        .iter()
                        .filter_map(|f| pair.field(f))
                        .any(|part| self.outside(part, depth + 1, seen))
            }),
            "list" | "tuple" | "set" => self
                .named_children_of(node)
                .iter()
                .any(|item| self.outside(*item, depth + 1, seen)),
            "call" => match self.collection_view(node) {
                Some(collection) => self.elements_outside(collection, depth + 1, seen),
                None => self.outside(node, depth + 1, seen),
            },
            "identifier" => {
                let name = self.text(node);
                let scope = self.scope_of(node);
                let Some(values) = self
                    .scope_bindings(scope, name)
                    .or_else(|| self.scope_bindings(self.root, name))
                else {
                    return true;
                };
                values.into_iter().any(|v| match v {
                    Some(v) => self.elements_outside(v, depth + 1, seen),
                    None => true,
                })
            }
            _ => self.outside(node, depth + 1, seen),
        }
    }

    /// `x.keys()`, `x.values()`, `x.items()`: `x`.
    fn collection_view(&self, call: Node<'t>) -> Option<Node<'t>> {
        let method = self.method_name(call)?;
        let no_arguments = self
            .arguments(call)
            .is_none_or(|a| self.named_children_of(a).is_empty());
        (matches!(method, "keys" | "values" | "items") && no_arguments)
            .then(|| self.receiver(call))
            .flatten()
    }

    /// `"... %d ..." % x`: a `%` format whose conversions all print numbers.
    fn formats_only_numbers(&self, node: Node<'t>) -> bool {
        let operator = node.field("operator").map(|o| self.text(o));
        let Some(format) = node.field("left").and_then(|l| self.fold(l, 0)) else {
            return false;
        };
        if operator != Some("%") {
            return false;
        }
        let text = format.as_text();
        let mut conversions = 0;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                continue;
            }
            if chars.peek() == Some(&'%') {
                chars.next();
                continue;
            }
            // Flags, width and precision, then the conversion letter.
            let mut conversion = None;
            for c in chars.by_ref() {
                if !(c.is_ascii_digit() || "#0- +.*lhL".contains(c)) {
                    conversion = Some(c);
                    break;
                }
            }
            conversions += 1;
            if !conversion.is_some_and(|c| "diouxXeEfFgG".contains(c)) {
                return false;
            }
        }
        conversions > 0
    }

    /// Values the code itself defines, by their shape or name: UPPER_CASE names, names of
    /// tables, columns, schemas and other identifiers, quoting calls, placeholder lists
    /// (`", ".join("?" for _ in ids)`) and numbers.
    pub(crate) fn is_code_defined(&self, node: Node<'t>) -> bool {
        fn identifier_name(name: &str) -> bool {
            let upper = name.trim_start_matches('_');
            if !upper.is_empty()
                && upper
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                return true;
            }
            let lower = name.to_ascii_lowercase();
            [
                "table",
                "column",
                "schema",
                "keyspace",
                "collection",
                "database",
                "db_",
                "_db",
                "index_name",
                "view_name",
                "field",
                "namespace",
                "sequence",
                "constraint",
                "placeholder",
                "qmarks",
                "identifier",
                "dimension",
            ]
            .iter()
            .any(|word| lower.contains(word))
                // A column (`col`, `order_col`) and SQL text itself (`sql`, `where_sql`, a
                // fragment a query compiler returned): composed as SQL, judged where built.
                || ["col", "sql"].iter().any(|w| {
                    lower == *w
                        || lower.ends_with(&format!("_{w}"))
                        || lower.starts_with(&format!("{w}_"))
                })
                // Column keys of a store (`self._text_key`, `id_key`), not credentials.
                || (lower.ends_with("_key")
                    && !["api", "secret", "access", "private", "auth", "session", "license", "token"]
                        .iter()
                        .any(|w| lower.contains(w)))
        }
        match node.kind_name() {
            "integer" | "float" | "true" | "false" | "none" => true,
            "identifier" => identifier_name(self.text(node)),
            "attribute" => {
                // Database back ends' own settings (Django's `connection.features.x`,
                // `connection.ops.x`) are code too.
                let backend = node.field("object").is_some_and(|o| {
                    let text = self.text(o);
                    text.ends_with("features") || text.ends_with(".ops")
                });
                // An UPPER_CASE attribute is a constant of a module, class or settings object,
                // not of a request (`request.GET`, `request.META` are its data).
                let request_data = node.field("object").is_some_and(|o| {
                    let text = self.text(o).to_ascii_lowercase();
                    text.ends_with("request") || text.ends_with("req")
                });
                backend
                    || (!request_data
                        && node
                            .field("attribute")
                            .is_some_and(|a| identifier_name(self.text(a))))
            }
            "call" => {
                let Some(function) = node.field("function") else {
                    return false;
                };
                let last = self.text(function).rsplit('.').next().unwrap_or_default();
                let lower = last.to_ascii_lowercase();
                if matches!(last, "len" | "int" | "float" | "bool" | "Identifier" | "qn")
                    || identifier_name(last)
                    || lower.contains("quote")
                    || lower.contains("sanitize")
                    || lower.contains("escape_identifier")
                {
                    return true;
                }
                // `sep.join(parts)`: a list of placeholders or of code-defined names.
                last == "join"
                    && node.field("arguments").is_some_and(|args| {
                        // `sep.join(x for x in y)` has the generator as its arguments.
                        let args = if args.kind_name() == "argument_list" {
                            self.named_children_of(args).to_vec()
                        } else {
                            vec![args]
                        };
                        args.iter()
                            .all(|a| self.is_code_defined(*a) || self.holds_only_placeholders(*a))
                    })
            }
            _ => false,
        }
    }

    /// An expression whose only string literals are SQL placeholders (`?`, `%s`, `:name`,
    /// `$1`) and whose names are loop variables or lengths: `["?"] * len(ids)`,
    /// `("%s" for _ in values)`.
    fn holds_only_placeholders(&self, node: Node<'t>) -> bool {
        let mut strings = 0;
        let mut only_placeholders = true;
        crate::tree_walk::for_each_descendant(
            node,
            |n| n.kind_name() != "string",
            |n| {
                if n.kind_name() == "string" {
                    strings += 1;
                    let text = self.fold(n, 0);
                    let placeholder = text.as_ref().is_some_and(|t| {
                        let t = t.as_text().trim();
                        t == "?"
                            || t == "%s"
                            || (t.len() > 1
                                && (t.starts_with(':') || t.starts_with('$'))
                                && t[1..]
                                    .chars()
                                    .all(|c| c.is_ascii_alphanumeric() || c == '_'))
                    });
                    only_placeholders &= placeholder;
                }
            },
        );
        strings > 0 && only_placeholders
    }

    /// The values returned by the file's methods named like `call`, when `call` is
    /// `self.name()` with no arguments and every such method returns a value at each
    /// `return`. `None` otherwise.
    fn own_method_returns(&self, call: Node<'t>) -> Option<Vec<Node<'t>>> {
        let receiver = self.receiver(call)?;
        if !matches!(self.text(receiver), "self" | "cls")
            || self
                .arguments(call)
                .is_some_and(|a| !self.named_children_of(a).is_empty())
        {
            return None;
        }
        let name = self.method_name(call)?;
        let mut returns = Vec::new();
        for def in self.nodes_of_kind("function_definition") {
            if def.field("name").is_none_or(|n| self.text(n) != name) {
                continue;
            }
            let body = def.field("body")?;
            let found = self.nodes_in(body, |kind| kind == "return_statement");
            if found.is_empty() {
                return None;
            }
            for r in found {
                returns.push(r.named_child(0)?);
            }
        }
        (!returns.is_empty()).then_some(returns)
    }

    /// The values this file assigns to the attribute `self.name` (or `cls.name`): class-body
    /// assignments `name = v` and `self.name = v` / `self.name += v` anywhere. `None` when
    /// `node` is not such an attribute or the file never assigns it (a base class elsewhere
    /// may).
    fn own_attribute_values(&self, node: Node<'t>) -> Option<Vec<Node<'t>>> {
        let object = node.field("object")?;
        if !matches!(self.text(object), "self" | "cls") {
            return None;
        }
        let name = self.text(node.field("attribute")?);
        let values = self.attribute_assignments().get(name)?;
        (!values.is_empty()).then(|| values.clone())
    }

    /// Attribute name -> assigned values, for [`Semantic::own_attribute_values`].
    fn attribute_assignments(&self) -> &HashMap<&'t str, Vec<Node<'t>>> {
        self.attribute_assignments.get_or_init(|| {
            let mut map: HashMap<&'t str, Vec<Node<'t>>> = Default::default();
            let assignments = [
                self.nodes_of_kind("assignment"),
                self.nodes_of_kind("augmented_assignment"),
            ];
            for assignment in assignments.iter().flatten() {
                let (Some(left), Some(right)) =
                    (assignment.field("left"), assignment.field("right"))
                else {
                    continue;
                };
                let name = match left.kind_name() {
                    "attribute"
                        if left
                            .field("object")
                            .is_some_and(|o| matches!(self.text(o), "self" | "cls")) =>
                    {
                        left.field("attribute")
                    }
                    // A class attribute: the assignment is a statement of a class body.
                    "identifier"
                        if assignment
                            .parent()
                            .and_then(|statement| statement.parent())
                            .and_then(|block| block.parent())
                            .is_some_and(|class| class.kind_name() == "class_definition") =>
                    {
                        Some(left)
                    }
                    _ => None,
                };
                if let Some(name) = name {
                    map.entry(self.text(name)).or_default().push(right);
                }
            }
            map
        })
    }

    /// The arguments every call in this file passes for `param`, when `param` is a parameter
    /// of a private helper (`def _run_func(self, func)`, not a dunder) that the file calls:
    /// no outside caller can reach it, so the parameter carries what these arguments carry.
    /// `None` when some call passes `*args`/`**kwargs` or leaves the parameter out.
    fn private_helper_arguments(&self, param: Node<'t>) -> Option<Vec<Node<'t>>> {
        let function = self.scope_of(param);
        if function.kind_name() != "function_definition" {
            return None;
        }
        let function_name = self.text(function.field("name")?);
        if !function_name.starts_with('_') || function_name.starts_with("__") {
            return None;
        }
        let wanted = self.text(param);
        let parameters = self.named_children_of(function.field("parameters")?);
        let position = parameters.iter().position(|p| {
            let name = match p.kind_name() {
                "identifier" => Some(*p),
                "typed_parameter" => p.named_child(0),
                _ => p.field("name"),
            };
            name.is_some_and(|n| n.kind_name() == "identifier" && self.text(n) == wanted)
        })?;
        if parameters[..position].iter().any(|p| {
            !matches!(
                p.kind_name(),
                "identifier" | "typed_parameter" | "default_parameter" | "typed_default_parameter"
            )
        }) {
            return None;
        }
        // A method called as `self._f(x)` receives `self` implicitly.
        let is_method = matches!(
            parameters.first().map(|p| self.text(*p)),
            Some("self" | "cls")
        );
        let default = parameters[position].field("value");
        let mut arguments = Vec::new();
        for call in self.nodes_of_kind("call") {
            let Some(callee) = call.field("function") else {
                continue;
            };
            let called_name = match callee.kind_name() {
                "identifier" => callee,
                "attribute" => callee.field("attribute")?,
                _ => continue,
            };
            if self.text(called_name) != function_name {
                continue;
            }
            let index = position
                .checked_sub(usize::from(is_method && callee.kind_name() == "attribute"))?;
            let args = self.named_children_of(self.arguments(call)?);
            if args
                .iter()
                .any(|a| matches!(a.kind_name(), "list_splat" | "dictionary_splat"))
            {
                return None;
            }
            let by_keyword = args.iter().find_map(|a| {
                (a.kind_name() == "keyword_argument"
                    && a.field("name").is_some_and(|n| self.text(n) == wanted))
                .then(|| a.field("value"))
                .flatten()
            });
            let by_position = args
                .iter()
                .filter(|a| a.kind_name() != "keyword_argument")
                .nth(index)
                .copied();
            arguments.push(by_keyword.or(by_position).or(default)?);
        }
        (!arguments.is_empty()).then_some(arguments)
    }
}
