//! GGUF files (llama.cpp models): a header sanity check, and the chat template in the
//! metadata. Loaders render `tokenizer.chat_template` with Jinja2; a template that reaches
//! Python's internals (`__class__`, `__globals__`, `__subclasses__`, ...) runs code wherever it
//! is rendered without a sandbox (CVE-2024-34359, "Llama Drama").

use std::io::Read;

use crate::{Category, Finding, Input, Inspection, unreadable};

/// Longest metadata string kept (chat templates are kilobytes; vocabularies are skipped).
const MAX_STRING: usize = 1 << 20;
/// More metadata entries or array items than any real file has.
const MAX_COUNT: u64 = 1 << 32;

/// What a template must not reach: attributes that lead from any object to code.
const TEMPLATE_ESCAPES: [&str; 10] = [
    "__class__",
    "__mro__",
    "__subclasses__",
    "__globals__",
    "__builtins__",
    "__import__",
    "__init__",
    "__base__",
    "__getattribute__",
    "popen",
];

enum Problem {
    Io(std::io::Error),
    Bad(String),
}

impl From<std::io::Error> for Problem {
    fn from(e: std::io::Error) -> Self {
        Problem::Io(e)
    }
}

pub(crate) fn check<R: Read>(file: R, out: &mut Inspection) {
    let mut input = Input::new(file);
    if let Err(problem) = read(&mut input, out) {
        let message = match problem {
            Problem::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                "the GGUF metadata is truncated".to_string()
            }
            Problem::Io(e) => format!("read error: {e}"),
            Problem::Bad(message) => message,
        };
        out.findings.push(unreadable(None, input.pos(), message));
    }
}

fn read<R: Read>(input: &mut Input<R>, out: &mut Inspection) -> Result<(), Problem> {
    let mut magic = [0u8; 4];
    input.exact(&mut magic)?;
    if &magic != b"GGUF" {
        return Err(Problem::Bad("not a GGUF file (no `GGUF` magic)".into()));
    }
    let version = input.uint::<4>()?;
    if !(1..=3).contains(&version) {
        return Err(Problem::Bad(format!("unknown GGUF version {version}")));
    }
    // Version 1 counts in 32 bits, later versions in 64.
    let count = |input: &mut Input<R>| -> Result<u64, Problem> {
        Ok(if version == 1 {
            input.uint::<4>()?
        } else {
            input.uint::<8>()?
        })
    };
    let _tensors = count(input)?;
    let entries = count(input)?;
    if entries > MAX_COUNT {
        return Err(Problem::Bad(format!("{entries} metadata entries")));
    }
    for _ in 0..entries {
        let at = input.pos();
        let key = string(input, version, MAX_STRING)?.unwrap_or_default();
        let kind = input.uint::<4>()?;
        if kind == 8 && key.ends_with("chat_template") {
            if let Some(template) = string(input, version, MAX_STRING)? {
                judge_template(&key, &template, at, out);
            }
        } else {
            value(input, version, kind, 0)?;
        }
    }
    Ok(())
}

fn string<R: Read>(
    input: &mut Input<R>,
    version: u64,
    keep: usize,
) -> Result<Option<String>, Problem> {
    let n = if version == 1 {
        input.uint::<4>()?
    } else {
        input.uint::<8>()?
    };
    Ok(input
        .bytes_up_to(n, keep)?
        .map(|b| String::from_utf8_lossy(&b).into_owned()))
}

/// Skips one metadata value of type `kind`.
fn value<R: Read>(input: &mut Input<R>, version: u64, kind: u64, depth: u8) -> Result<(), Problem> {
    let width = match kind {
        0 | 1 | 7 => 1,
        2 | 3 => 2,
        4..=6 => 4,
        10..=12 => 8,
        8 => {
            string(input, version, 0)?;
            return Ok(());
        }
        9 => {
            if depth > 4 {
                return Err(Problem::Bad("metadata arrays nested too deep".into()));
            }
            let item = input.uint::<4>()?;
            let n = if version == 1 {
                input.uint::<4>()?
            } else {
                input.uint::<8>()?
            };
            if n > MAX_COUNT {
                return Err(Problem::Bad(format!("a metadata array of {n} items")));
            }
            let fixed = match item {
                0 | 1 | 7 => Some(1),
                2 | 3 => Some(2),
                4..=6 => Some(4),
                10..=12 => Some(8),
                _ => None,
            };
            match fixed {
                Some(w) => input.skip(n * w)?,
                None => {
                    for _ in 0..n {
                        value(input, version, item, depth + 1)?;
                    }
                }
            }
            return Ok(());
        }
        other => return Err(Problem::Bad(format!("unknown GGUF metadata type {other}"))),
    };
    input.skip(width)?;
    Ok(())
}

fn judge_template(key: &str, template: &str, offset: u64, out: &mut Inspection) {
    let compact: String = template.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(escape) = TEMPLATE_ESCAPES.iter().find(|e| compact.contains(*e)) {
        out.findings.push(Finding {
            category: Category::DangerousImport,
            member: None,
            offset,
            global: Some(format!("{key}:{escape}")),
            message: format!(
                "the chat template `{key}` reaches Python internals (`{escape}`): rendering it without a sandbox runs code (CVE-2024-34359)"
            ),
        });
    }
}
