//! CG-ML006 (`unverified-model-load`) and CG-ML007 (`model-verification-weakened`): model loads
//! whose path was never checked with OpenSSF model signing (`model_signing.verifying.Config()
//! ... .verify(model, signature)` or the `model_signing verify` CLI), and verifications whose
//! failure is swallowed.
//!
//! A load is covered when a verification of the same *root* happens earlier in the same
//! function (or at module level): roots are what a path is built from (`os.path.join(d, ..)`,
//! `Path(d) / ..`, `f"{d}/.."`, `str(d)` all have root `d`), followed through names bound once.
//! A load whose root is a parameter is covered when every call of the function in the file
//! passes a verified argument. A verification inside `try` whose handler swallows the error
//! does not count (it is CG-ML007's finding).

use crate::node_ext::NodeExt;
use tree_sitter::Node;

use super::Hit;
use crate::semantic::{Constant, KeywordLookup, Semantic};

/// Loaders and the keyword that names the model when it is not the first argument.
const LOADERS: &[&str] = &[
    "torch.load",
    "torch.jit.load",
    "safetensors.torch.load_file",
    "safetensors.safe_open",
    "safetensors.numpy.load_file",
    "keras.saving.load_model",
    "keras.models.load_model",
    "tensorflow.keras.models.load_model",
    "tensorflow.saved_model.load",
    "joblib.load",
    "onnx.load",
    "onnxruntime.InferenceSession",
    "llama_cpp.Llama",
    "vllm.LLM",
    "transformers.pipeline",
    "sentence_transformers.SentenceTransformer",
    "xgboost.Booster",
    "lightgbm.Booster",
    "mlx_lm.load",
];
const MODEL_KEYWORDS: [&str; 8] = [
    "f",
    "filepath",
    "path",
    "pretrained_model_name_or_path",
    "model",
    "model_path",
    "model_file",
    "filename",
];

struct Verification<'t> {
    root: String,
    at: usize,
    scope: Option<usize>,
    swallowed: bool,
    node: Node<'t>,
}

/// CG-ML006: runs once per module.
pub(super) fn unverified_loads<'t>(
    sem: &Semantic<'t>,
    options: &crate::scan::ScanOptions,
    module: Node<'t>,
) -> Vec<Hit<'t>> {
    let signing = &options.model_signing;
    // The module's calls: from the scan's kind index when it is the whole tree.
    let calls = if module.id() == sem.root.id() {
        sem.nodes_of_kind("call")
    } else {
        let mut calls = Vec::new();
        collect(module, &mut calls, &["call"]);
        calls
    };
    let verifications: Vec<Verification<'t>> = calls
        .iter()
        .filter_map(|c| verified_path(sem, signing, *c).map(|m| (c, m)))
        .map(|(c, m)| Verification {
            root: root_of(sem, m, 0),
            at: c.start_byte(),
            scope: sem.enclosing_function(*c).map(|f| f.id()),
            swallowed: swallowed(sem, *c),
            node: *c,
        })
        .filter(|v| !v.swallowed)
        .collect();
    // Callers by the last segment of the called name, built once (looked up per load).
    let mut callers: std::collections::HashMap<String, Vec<Node<'t>>> =
        std::collections::HashMap::new();
    for call in &calls {
        for name in sem.call_names(*call).iter() {
            let last = name.rsplit(['.', ':']).next().unwrap_or(name).to_string();
            callers.entry(last).or_default().push(*call);
        }
    }
    // One level of same-file helpers: a function that verifies its parameter on every path
    // verifies the argument of each call to it.
    let mut verifications = verifications;
    let mut from_helpers = Vec::new();
    for v in &verifications {
        let Some(f) = sem.enclosing_function(v.node) else {
            continue;
        };
        let Some(index) = parameter_index(sem, f, &v.root) else {
            continue;
        };
        if !runs_on_every_path(sem.root, v.node, f) {
            continue;
        }
        let name = f.field("name").map(|n| sem.text(n));
        for call in name.and_then(|n| callers.get(n)).into_iter().flatten() {
            if let Some(arg) = sem.positional(*call, index)
                && !swallowed(sem, *call)
            {
                from_helpers.push(Verification {
                    root: root_of(sem, arg, 0),
                    at: call.start_byte(),
                    scope: sem.enclosing_function(*call).map(|f| f.id()),
                    swallowed: false,
                    node: *call,
                });
            }
        }
    }
    verifications.extend(from_helpers);
    let mut hits = Vec::new();
    for call in &calls {
        let Some(reference) = model_reference(sem, *call) else {
            continue;
        };
        // In "untrusted only" mode, literal paths (shipped with the code) need no signature.
        if signing.untrusted_only && sem.constant(reference).is_some() {
            continue;
        }
        let root = root_of(sem, reference, 0);
        let function = sem.enclosing_function(*call);
        if covered(
            sem.root,
            &verifications,
            &root,
            *call,
            function.map(|f| f.id()),
        ) {
            continue;
        }
        // A parameter: covered when every in-file caller passes a verified argument.
        if let Some(f) = function
            && let Some(index) = parameter_index(sem, f, &root)
            && callers_verify(sem, &callers, f, index, &verifications)
        {
            continue;
        }
        let other = verifications
            .iter()
            .find(|v| v.scope == function.map(|f| f.id()) && v.at < call.start_byte());
        let label = match other {
            Some(v) if v.root == root => format!(
                "`{root}` (the verification on line {} does not run on every path to this load)",
                v.node.start_position().row + 1,
            ),
            Some(v) => format!(
                "`{root}` (the verification on line {} covers `{}`, not this path)",
                v.node.start_position().row + 1,
                v.root
            ),
            None => format!("`{root}`"),
        };
        hits.push(Hit {
            node: *call,
            label: Some(label),
        });
    }
    hits
}

/// CG-ML007 (swallowed failures): runs on `try` statements.
pub(super) fn swallowed_verifications<'t>(
    sem: &Semantic<'t>,
    options: &crate::scan::ScanOptions,
    node: Node<'t>,
) -> Vec<Hit<'t>> {
    let signing = &options.model_signing;
    let Some(body) = node.field("body") else {
        return Vec::new();
    };
    let mut calls = Vec::new();
    collect(body, &mut calls, &["call"]);
    calls
        .into_iter()
        .filter(|c| verified_path(sem, signing, *c).is_some() && swallowed(sem, *c))
        .map(|c| Hit {
            node: c,
            label: None,
        })
        .collect()
}

fn collect<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>, kinds: &[&str]) {
    crate::tree_walk::for_each_descendant(
        node,
        |_| true,
        |n| {
            if kinds.contains(&n.kind_name()) {
                out.push(n);
            }
        },
    );
}

/// The model path a verification call checks, if `call` is one.
fn verified_path<'t>(
    sem: &Semantic<'t>,
    signing: &crate::scan::ModelSigning,
    call: Node<'t>,
) -> Option<Node<'t>> {
    if sem.method_name(call) == Some("verify") {
        let receiver = sem.receiver(call)?;
        let chain = sem.resolve_node(receiver, 0).unwrap_or(receiver);
        if is_model_signing_config(sem, chain) {
            return sem
                .positional(call, 0)
                .or_else(|| match sem.keyword(call, "model_path") {
                    KeywordLookup::Present(v) => Some(v),
                    _ => None,
                });
        }
    }
    // Project verifiers declared in the configuration: the first argument is verified.
    let names = sem.call_names(call);
    if !signing.verifiers.is_empty()
        && names.iter().any(|n| {
            signing
                .verifiers
                .iter()
                .any(|v| v == n || n.ends_with(&format!(".{v}")))
        })
    {
        return sem.positional(call, 0);
    }
    // The CLI: subprocess.run(["model_signing", "verify", ..., model, ...], check=True)
    if names.iter().any(|n| n.starts_with("subprocess.")) {
        let argv = sem.positional(call, 0)?;
        let argv = sem.resolve_node(argv, 0).unwrap_or(argv);
        let text = sem.text(argv);
        if text.contains("model_signing")
            && text.contains("verify")
            && matches!(argv.kind_name(), "list" | "tuple")
        {
            let mut after_verify = false;
            for item in argv.each_named_child() {
                match sem.constant(item) {
                    Some(Constant::Str(s)) if s == "verify" => after_verify = true,
                    Some(Constant::Str(s))
                        if after_verify && !s.starts_with('-') && !is_method_word(&s) =>
                    {
                        return Some(item);
                    }
                    None if after_verify => return Some(item),
                    _ => {}
                }
            }
        }
    }
    None
}

fn is_method_word(s: &str) -> bool {
    matches!(s, "sigstore" | "key" | "certificate")
}

/// Whether `node` (a chain of calls) starts at `model_signing.verifying.Config()`.
fn is_model_signing_config<'t>(sem: &Semantic<'t>, node: Node<'t>) -> bool {
    let mut current = node;
    for _ in 0..8 {
        if current.kind_name() == "call" {
            if sem
                .call_names(current)
                .iter()
                .any(|n| n.contains("model_signing.verifying.Config"))
            {
                return true;
            }
            let Some(receiver) = sem.receiver(current) else {
                return false;
            };
            current = sem.resolve_node(receiver, 0).unwrap_or(receiver);
        } else {
            return false;
        }
    }
    false
}

/// The argument that names the model, if `call` loads one.
fn model_reference<'t>(sem: &Semantic<'t>, call: Node<'t>) -> Option<Node<'t>> {
    let names = sem.call_names(call);
    let is_loader = names.iter().any(|n| LOADERS.contains(&n.as_str()))
        || sem.method_name(call) == Some("from_pretrained");
    if !is_loader {
        return None;
    }
    if let Some(arg) = sem.positional(call, 0) {
        return Some(arg);
    }
    MODEL_KEYWORDS
        .iter()
        .find_map(|k| match sem.keyword(call, k) {
            KeywordLookup::Present(v) => Some(v),
            _ => None,
        })
}

/// What a path expression is built from (see the module docs).
fn root_of<'t>(sem: &Semantic<'t>, node: Node<'t>, depth: usize) -> String {
    if depth > 6 {
        return sem.text(node).to_string();
    }
    match node.kind_name() {
        "identifier" => match sem.resolve_node(node, 0) {
            Some(value) if value.id() != node.id() && builds_path(sem, value) => {
                root_of(sem, value, depth + 1)
            }
            _ => sem.text(node).to_string(),
        },
        "call" => {
            let names = sem.call_names(node);
            let path_builder = names.iter().any(|n| {
                matches!(
                    n.as_str(),
                    "os.path.join"
                        | "pathlib.Path"
                        | "Path"
                        | "str"
                        | "os.fspath"
                        | "os.path.abspath"
                        | "os.path.expanduser"
                )
            }) || matches!(
                sem.method_name(node),
                Some("resolve" | "absolute" | "joinpath" | "expanduser")
            );
            if path_builder {
                let first = sem.positional(node, 0).or_else(|| sem.receiver(node));
                match (sem.method_name(node), sem.receiver(node)) {
                    (Some("resolve" | "absolute" | "joinpath" | "expanduser"), Some(r)) => {
                        root_of(sem, r, depth + 1)
                    }
                    _ => first.map_or_else(
                        || sem.text(node).to_string(),
                        |f| root_of(sem, f, depth + 1),
                    ),
                }
            } else {
                sem.text(node).to_string()
            }
        }
        "binary_operator" => node.field("left").map_or_else(
            || sem.text(node).to_string(),
            |l| root_of(sem, l, depth + 1),
        ),
        "string" => {
            // f"{d}/model.pt" -> d
            let first = node
                .each_named_child()
                .find(|c| c.kind_name() == "interpolation");
            match first.and_then(|i| i.field("expression")) {
                Some(expr) => root_of(sem, expr, depth + 1),
                None => sem
                    .constant(node)
                    .map_or_else(|| sem.text(node).to_string(), |c| c.as_text().to_string()),
            }
        }
        "parenthesized_expression" => node
            .named_child(0)
            .map_or_else(String::new, |n| root_of(sem, n, depth + 1)),
        _ => sem.text(node).to_string(),
    }
}

fn builds_path<'t>(sem: &Semantic<'t>, value: Node<'t>) -> bool {
    match value.kind_name() {
        "call" => root_of(sem, value, 5) != sem.text(value),
        "binary_operator" | "string" | "identifier" | "attribute" => true,
        _ => false,
    }
}

fn covered<'t>(
    tree_root: Node<'t>,
    verifications: &[Verification<'t>],
    root: &str,
    load: Node<'t>,
    scope: Option<usize>,
) -> bool {
    verifications.iter().any(|v| {
        v.root == root
            && v.at < load.start_byte()
            && (v.scope == scope || v.scope.is_none())
            && dominates(tree_root, v.node, load)
    })
}

/// Whether the verification runs whenever execution reaches `load` (both in one function or
/// the verification at module level): the block holding the verification, seen through `try`
/// bodies and `with` blocks, encloses the load. A verification inside an `if`, loop or
/// `except` branch that the load is outside of does not.
fn dominates<'t>(tree_root: Node<'t>, verification: Node<'t>, load: Node<'t>) -> bool {
    let block = sequential_block(tree_root, verification);
    let (start, end) = (block.start_byte(), block.end_byte());
    (start..=end).contains(&load.start_byte()) && load.end_byte() <= end
}

/// Whether `node` runs on every path through `function`'s body.
fn runs_on_every_path<'t>(tree_root: Node<'t>, node: Node<'t>, function: Node<'t>) -> bool {
    function
        .field("body")
        .is_some_and(|body| sequential_block(tree_root, node).id() == body.id())
}

/// The innermost block around `node` whose statements run in order whenever the block runs:
/// `try:` bodies and `with` blocks run whenever their enclosing block does.
fn sequential_block<'t>(tree_root: Node<'t>, node: Node<'t>) -> Node<'t> {
    // Ancestors found once, innermost last (`Node::parent` walks down from the root).
    let ancestors = crate::tree_walk::ancestors(tree_root, node);
    for i in (0..ancestors.len()).rev() {
        let parent = ancestors[i];
        if matches!(parent.kind_name(), "block" | "module") {
            let grand = i.checked_sub(1).map(|g| ancestors[g]);
            let through = grand
                .is_some_and(|g| matches!(g.kind_name(), "try_statement" | "with_statement"))
                && grand.and_then(|g| g.field("body")) == Some(parent);
            if !through {
                return parent;
            }
        }
    }
    ancestors.first().copied().unwrap_or(node)
}

fn parameter_index<'t>(sem: &Semantic<'t>, function: Node<'t>, name: &str) -> Option<usize> {
    let params = function.field("parameters")?;
    let names: Vec<String> = params
        .each_named_child()
        .filter_map(|p| match p.kind_name() {
            "identifier" => Some(sem.text(p).to_string()),
            _ => p
                .field("name")
                .or_else(|| p.named_child(0))
                .map(|n| sem.text(n).to_string()),
        })
        .filter(|n| n != "self" && n != "cls")
        .collect();
    names.iter().position(|n| n == name)
}

fn callers_verify<'t>(
    sem: &Semantic<'t>,
    callers_by_name: &std::collections::HashMap<String, Vec<Node<'t>>>,
    function: Node<'t>,
    index: usize,
    verifications: &[Verification<'t>],
) -> bool {
    let Some(name) = function.field("name").map(|n| sem.text(n)) else {
        return false;
    };
    let callers: Vec<&Node<'t>> = callers_by_name
        .get(name)
        .map(|c| c.iter().collect())
        .unwrap_or_default();
    !callers.is_empty()
        && callers.iter().all(|c| {
            sem.positional(**c, index).is_some_and(|arg| {
                let root = root_of(sem, arg, 0);
                covered(
                    sem.root,
                    verifications,
                    &root,
                    **c,
                    sem.enclosing_function(**c).map(|f| f.id()),
                )
            })
        })
}

/// Whether `call` sits in a `try` whose handler catches the verification error and neither
/// re-raises nor stops.
fn swallowed<'t>(sem: &Semantic<'t>, call: Node<'t>) -> bool {
    // Ancestors found once, innermost first (see `tree_walk::ancestors`).
    let mut ancestors = crate::tree_walk::ancestors(sem.root, call);
    while let Some(n) = ancestors.pop() {
        if n.kind_name() == "function_definition" {
            return false;
        }
        if n.kind_name() == "try_statement"
            && n.field("body")
                .is_some_and(|b| b.byte_range().contains(&call.start_byte()))
        {
            for clause in n.each_named_child() {
                if clause.kind_name() != "except_clause" {
                    continue;
                }
                let text = sem.text(clause);
                let header = text.split(':').next().unwrap_or(text);
                let catches = header.trim() == "except"
                    || ["ValueError", "Exception", "BaseException"]
                        .iter()
                        .any(|e| header.contains(e));
                let stops = [
                    "raise",
                    "sys.exit",
                    "SystemExit",
                    "return",
                    "exit(",
                    "abort",
                ]
                .iter()
                .any(|s| text.contains(s));
                if catches && !stops {
                    return true;
                }
            }
            return false;
        }
    }
    false
}
