//! Keras 3 archives (`.keras`): `config.json` names the class of every layer and object the
//! loader rebuilds. A `Lambda` layer carries Python bytecode that runs when the model is
//! loaded with `safe_mode=False` (and in Keras versions whose safe mode was bypassed); an
//! object from a module outside Keras is code of another package that the loader imports.

use std::io::Read;

use serde_json::Value;

use crate::{Category, Finding, Inspection, unreadable};

/// Largest `config.json` read (real ones are kilobytes to a few megabytes).
const MAX_CONFIG: u64 = 64 << 20;

pub(crate) fn check_config<R: Read>(member: &mut R, out: &mut Inspection) {
    let mut text = Vec::new();
    if let Err(e) = member.take(MAX_CONFIG + 1).read_to_end(&mut text) {
        out.findings.push(unreadable(
            Some("config.json"),
            0,
            format!("cannot read the model configuration: {e}"),
        ));
        return;
    }
    if text.len() as u64 > MAX_CONFIG {
        out.findings.push(unreadable(
            Some("config.json"),
            0,
            "a model configuration over 64 MiB: not inspected",
        ));
        return;
    }
    let config: Value = match serde_json::from_slice(&text) {
        Ok(v) => v,
        Err(e) => {
            out.findings.push(unreadable(
                Some("config.json"),
                0,
                format!("the model configuration is not JSON: {e}"),
            ));
            return;
        }
    };
    let mut seen = Vec::new();
    walk(&config, out, &mut seen, 0);
}

fn walk(value: &Value, out: &mut Inspection, seen: &mut Vec<String>, depth: usize) {
    if depth > 256 {
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|v| walk(v, out, seen, depth + 1)),
        Value::Object(map) => {
            let class = map.get("class_name").and_then(Value::as_str);
            let module = map.get("module").and_then(Value::as_str);
            let name = map
                .get("config")
                .and_then(|c| c.get("name"))
                .and_then(Value::as_str)
                .unwrap_or("");
            if class == Some("Lambda") {
                out.imports += 1;
                out.findings.push(Finding {
                    category: Category::DangerousImport,
                    member: Some("config.json".into()),
                    offset: 0,
                    global: Some("keras.layers.Lambda".into()),
                    message: format!(
                        "a `Lambda` layer (`{name}`) holds Python code that runs when the model is loaded (in `config.json`)"
                    ),
                });
            } else if let (Some(module), Some(class)) = (module, class)
                && !is_keras_module(module)
            {
                let global = format!("{module}.{class}");
                if !seen.contains(&global) {
                    out.imports += 1;
                    out.findings.push(Finding {
                        category: Category::UnknownImport,
                        member: Some("config.json".into()),
                        offset: 0,
                        global: Some(global.clone()),
                        message: format!(
                            "a custom object `{global}`: loading imports code from outside Keras (in `config.json`)"
                        ),
                    });
                    seen.push(global);
                }
            }
            map.values().for_each(|v| walk(v, out, seen, depth + 1));
        }
        _ => {}
    }
}

/// Modules whose objects Keras rebuilds by itself.
fn is_keras_module(module: &str) -> bool {
    ["keras", "tf_keras", "tensorflow.keras", "builtins", "numpy"]
        .iter()
        .any(|m| module == *m || module.starts_with(&format!("{m}.")))
}
