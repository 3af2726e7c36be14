//! CG-SEC002: a literal bound to a secret-like name (`password = "..."`, `api_key="..."`,
//! `{"client_secret": "..."}`, `const WEBHOOK_SECRET: &str = "..."`).

use crate::node_ext::NodeExt;
use tree_sitter::Node;

use super::Hit;
use crate::semantic::{Constant, Semantic};
use crate::strings::{looks_like_placeholder, shannon_entropy};

pub(super) fn find<'t>(
    sem: &Semantic<'t>,
    _options: &crate::scan::ScanOptions,
    node: Node<'t>,
) -> Vec<Hit<'t>> {
    let mut hits = Vec::new();
    // The value first: most bindings bind no literal written right here (a name bound to
    // another variable is not a secret literal), and their names need not be read.
    if let Some(literal) = bound_value(node).and_then(|value| literal_node(sem, value))
        && let Some(name) = bound_name(sem, node)
    {
        check(sem, &name, literal, &mut hits);
    }
    hits
}

/// Whether the prefilter's hit at `at` (a secret-like word and what follows it up to a
/// literal: `tokenizer_class = "Bert"`) may be a binding this check reports: false when the
/// whole name there, bound with `=` or a quoted dictionary key, is no secret's. A name
/// followed by `:` unquoted may be an annotation or a key whose constant value is the name
/// (`{FIELD: "..."}`): kept, and so is a hit whose line binds another secret-like word.
pub(super) fn may_bind_a_secret(source: &[u8], at: usize) -> bool {
    let name_byte = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-');
    let start = at
        - source[..at]
            .iter()
            .rev()
            .take_while(|b| name_byte(b))
            .count();
    let end = at + source[at..].iter().take_while(|b| name_byte(b)).count();
    let Ok(name) = std::str::from_utf8(&source[start..end]) else {
        return true;
    };
    let quoted = start > 0 && matches!(source[start - 1], b'"' | b'\'');
    let mut rest = &source[end..];
    if quoted && matches!(rest.first(), Some(b'"' | b'\'')) {
        rest = &rest[1..];
    }
    let rest = &rest[rest
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count()..];
    let bound_here = match rest.first() {
        Some(b'=') => rest.get(1) != Some(&b'='),
        Some(b':') => quoted,
        _ => false,
    };
    if !bound_here || !matches!(classify(name), NameKind::NotSecret) {
        return true;
    }
    // The regex's matches do not overlap: one starting here may run past a secret's name
    // bound later on the line (`{"x-token-type": "jwt", "Authorization": "Bearer .."}`).
    let line = &source[end..];
    let line = &line[..memchr::memchr(b'\n', line).unwrap_or(line.len())];
    let lower = line.to_ascii_lowercase();
    let bound_at = |from: usize| {
        let rest = &lower[from..];
        let rest = &rest[rest.iter().take_while(|b| name_byte(b)).count()..];
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let rest = &rest[rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count()..];
        matches!(rest.first(), Some(b':' | b'='))
    };
    [
        &b"pass"[..],
        b"pwd",
        b"secret",
        b"token",
        b"key",
        b"credential",
        b"bearer",
        b"auth",
    ]
    .iter()
    .any(|word| memchr::memmem::find_iter(&lower, word).any(bound_at))
}

/// The value a node binds, for the binding forms we look at.
fn bound_value<'t>(node: Node<'t>) -> Option<Node<'t>> {
    match node.kind_name() {
        "assignment" | "assignment_expression" => node.field("right"),
        "keyword_argument"
        | "default_parameter"
        | "typed_default_parameter"
        | "pair"
        | "const_item"
        | "static_item"
        | "let_declaration"
        | "field_initializer" => node.field("value"),
        _ => None,
    }
}

/// The name a node binds its value to (see [`bound_value`]).
fn bound_name<'t>(sem: &Semantic<'t>, node: Node<'t>) -> Option<String> {
    let field = |n: &str| node.field(n);
    let last_name = |n: Node<'t>| -> Option<String> {
        match n.kind_name() {
            "identifier" | "field_identifier" => Some(sem.text(n).to_string()),
            "attribute" => n.field("attribute").map(|a| sem.text(a).to_string()),
            "field_expression" => n.field("field").map(|a| sem.text(a).to_string()),
            _ => None,
        }
    };
    match node.kind_name() {
        "assignment" | "assignment_expression" => last_name(field("left")?),
        "keyword_argument" | "default_parameter" | "typed_default_parameter" => {
            Some(sem.text(field("name")?).to_string())
        }
        "pair" => match sem.constant(field("key")?)? {
            Constant::Str(key) => Some(key),
            Constant::Other(_) => None,
        },
        "const_item" | "static_item" => Some(sem.text(field("name")?).to_string()),
        "let_declaration" => last_name(field("pattern")?),
        "field_initializer" => Some(sem.text(field("field")?).to_string()),
        _ => None,
    }
}

fn check<'t>(sem: &Semantic<'t>, name: &str, literal: Node<'t>, hits: &mut Vec<Hit<'t>>) {
    // The name first: folding the literal's value for every binding of a large file was
    // most of this rule's time, and few names are a secret's.
    let kind = classify(name);
    if matches!(kind, NameKind::NotSecret) {
        return;
    }
    let Some(Constant::Str(text)) = sem.constant(literal) else {
        return;
    };
    let text = text
        .strip_prefix("Bearer ")
        .or_else(|| text.strip_prefix("Basic "))
        .unwrap_or(&text);
    let secret = match kind {
        NameKind::NotSecret => false,
        NameKind::Password => text.len() >= 6 && plausible_value(text),
        NameKind::Key => {
            text.len() >= 16
                && shannon_entropy(text) >= 3.5
                && !text.contains(' ')
                && !looks_like_words(text)
                && plausible_value(text)
        }
    };
    if secret {
        hits.push(Hit {
            node: literal,
            label: Some(name.to_string()),
        });
    }
}

fn literal_node<'t>(sem: &Semantic<'t>, value: Node<'t>) -> Option<Node<'t>> {
    match value.kind_name() {
        "string" | "string_literal" | "raw_string_literal" => Some(value),
        "reference_expression" | "parenthesized_expression" => {
            literal_node(sem, value.named_child(0)?)
        }
        "call_expression" => {
            // "x".to_string(), "x".into(), String::from("x")
            let function = value.field("function")?;
            let inner = match function.kind_name() {
                "field_expression" => function.field("value")?,
                _ => sem.positional(value, 0)?,
            };
            matches!(inner.kind_name(), "string_literal" | "raw_string_literal").then_some(inner)
        }
        _ => None,
    }
}

enum NameKind {
    NotSecret,
    Password,
    Key,
}

/// Splits `apiKey`, `API_KEY`, `api-key` into lower-case words.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' || c == '.' || c == ' ' {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let boundary = c.is_uppercase()
            && i > 0
            && (chars[i - 1].is_lowercase()
                || chars.get(i + 1).is_some_and(|n| n.is_lowercase())
                    && chars[i - 1].is_uppercase());
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn classify(name: &str) -> NameKind {
    let words = words(name);
    let Some(last) = words.last() else {
        return NameKind::NotSecret;
    };
    // Texts about a secret (`password_description`, `token_help`) are not one.
    const NOT_SECRET_LAST: [&str; 38] = [
        "id",
        "ids",
        "type",
        "url",
        "uri",
        "name",
        "field",
        "count",
        "len",
        "length",
        "limit",
        "size",
        "file",
        "path",
        "dir",
        "endpoint",
        "env",
        "var",
        "header",
        "prefix",
        "suffix",
        "pattern",
        "format",
        "hash",
        "expiry",
        "ttl",
        "timeout",
        "tokens",
        "description",
        "help",
        "label",
        "hint",
        "message",
        "msg",
        "text",
        "title",
        "example",
        "placeholder",
    ];
    // Pagination cursors (`next_page_token`) and values the code keeps because they are known
    // to be bad (`LEGACY_DEFAULT_PASSWORD`, `LEAKED_KEYS`) are not its secrets.
    const NOT_SECRET_ANY: [&str; 25] = [
        "page",
        "cursor",
        "legacy",
        "leaked",
        "weak",
        "forbidden",
        "banned",
        "bos",
        "eos",
        "pad",
        "unk",
        "sep",
        "cls",
        "mask",
        "csrf",
        "max",
        "num",
        "public",
        "primary",
        "sort",
        "cache",
        "partition",
        "tokenizer",
        "min",
        "total",
    ];
    if NOT_SECRET_LAST.contains(&last.as_str())
        || words.iter().any(|w| NOT_SECRET_ANY.contains(&w.as_str()))
    {
        return NameKind::NotSecret;
    }
    if words
        .iter()
        .any(|w| matches!(w.as_str(), "password" | "passwd" | "pwd" | "passphrase"))
    {
        return NameKind::Password;
    }
    let has = |w: &str| words.iter().any(|x| x == w);
    let key_with_qualifier = words.windows(2).any(|p| {
        p[1] == "key"
            && (matches!(
                p[0].as_str(),
                "api"
                    | "access"
                    | "private"
                    | "secret"
                    | "signing"
                    | "encryption"
                    | "auth"
                    | "client"
                    | "master"
                    | "service"
            )
            // `OPENAI_KEY`, `groq_key`: a provider's name qualifies a bare `key` too.
            || PROVIDERS.contains(&p[0].as_str()))
    });
    if has("secret")
        || has("token")
        || has("apikey")
        || has("credential")
        || has("credentials")
        || has("bearer")
        || key_with_qualifier
        || name.eq_ignore_ascii_case("authorization")
    {
        NameKind::Key
    } else {
        NameKind::NotSecret
    }
}

/// Services whose name before `key` makes it an API key (`OPENAI_KEY`, `stripe_key`).
const PROVIDERS: [&str; 30] = [
    "openai",
    "anthropic",
    "claude",
    "gemini",
    "google",
    "groq",
    "mistral",
    "cohere",
    "hf",
    "huggingface",
    "replicate",
    "xai",
    "grok",
    "deepseek",
    "perplexity",
    "pplx",
    "together",
    "fireworks",
    "openrouter",
    "langsmith",
    "pinecone",
    "voyage",
    "tavily",
    "serpapi",
    "stripe",
    "github",
    "gitlab",
    "slack",
    "sendgrid",
    "twilio",
];

/// `secret-must-never-appear`, `$serde_json::private::Number`: several plain words joined by
/// punctuation name something; generated keys and tokens are not made of words.
fn looks_like_words(value: &str) -> bool {
    let segments: Vec<&str> = value
        .split(['-', '_', '.', ':', '/', '$', ' '])
        .filter(|s| !s.is_empty())
        .collect();
    segments.len() >= 3
        && segments
            .iter()
            .all(|s| s.len() >= 2 && s.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Values that cannot be a hard-coded secret: placeholders, env-var names, URLs without
/// credentials, file paths.
fn plausible_value(value: &str) -> bool {
    if looks_like_placeholder(value) {
        return false;
    }
    let env_name = value.len() > 2
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let url_without_userinfo = value.contains("://")
        && !value
            .split("://")
            .nth(1)
            .is_some_and(|r| r.split('/').next().is_some_and(|h| h.contains('@')));
    let path = value.starts_with('/') || value.starts_with("./") || value.starts_with("~/");
    // `redis_url`, `demo_password`: a snake_case name (of a setting, a field) is not a secret;
    // nor is a CamelCase class name (`ForTokenClassification`).
    let snake_name = value.contains('_')
        && value
            .split('_')
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()));
    let camel_name = value.len() > 3
        && value.starts_with(|c: char| c.is_ascii_uppercase())
        && value.chars().all(|c| c.is_ascii_alphabetic())
        && value.chars().filter(char::is_ascii_uppercase).count() >= 2
        && !value
            .as_bytes()
            .windows(2)
            .any(|w| w[0].is_ascii_uppercase() && w[1].is_ascii_uppercase())
        && !value.ends_with(|c: char| c.is_ascii_uppercase());
    !(env_name || url_without_userinfo || path || snake_name || camel_name || looks_like_sql(value))
}

/// `UPDATE users SET password = $1 WHERE id = $2`: a statement about a password, not one.
fn looks_like_sql(value: &str) -> bool {
    let words: Vec<String> = value
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    words.len() >= 4
        && matches!(
            words[0].as_str(),
            "select" | "insert" | "update" | "delete" | "create" | "alter" | "drop" | "with"
        )
        && words[1..].iter().any(|w| {
            matches!(
                w.as_str(),
                "from" | "into" | "set" | "table" | "where" | "values" | "as"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_settings_and_classes_are_not_values_of_secrets() {
        for name in [
            "redis_url",
            "demo_password",
            "ForTokenClassification",
            "default",
        ] {
            assert!(!plausible_value(name), "{name}");
        }
        for secret in ["hunter2", "Zr8q2LmW7x", "s3cr3t_Pa55", "AKIAxyz"] {
            assert!(plausible_value(secret), "{secret}");
        }
    }

    #[test]
    fn sql_statements_about_passwords_are_not_passwords() {
        assert!(!plausible_value(
            "UPDATE users SET password = $1 WHERE id = $2"
        ));
        assert!(!plausible_value("select password from users where id = ?"));
        assert!(plausible_value("update-me-Xq7pL2vR9sKd"));
        assert!(plausible_value("correct horse battery staple"));
    }

    #[test]
    fn word_like_values_are_not_keys() {
        assert!(looks_like_words("$serde_json::private::Number"));
        assert!(looks_like_words(
            "secret-must-never-appear-in-validation-errors"
        ));
        assert!(!looks_like_words("9c1f0e7a5d3b2e8f4a6c0d9b7e1f3a5c"));
        assert!(!looks_like_words("Qm9vdHN0cmFwVG9rZW4xMjM0NTY3"));
    }

    #[test]
    fn splits_names_into_words() {
        assert_eq!(words("apiKey"), ["api", "key"]);
        assert_eq!(words("OPENAI_API_KEY"), ["openai", "api", "key"]);
        assert_eq!(words("HTTPToken"), ["http", "token"]);
    }

    #[test]
    fn tokens_of_language_models_are_not_secrets() {
        for name in [
            "max_tokens",
            "pad_token",
            "eos_token_id",
            "tokenizer",
            "num_tokens",
            "public_key",
            "token_url",
        ] {
            assert!(matches!(classify(name), NameKind::NotSecret), "{name}");
        }
        assert!(matches!(classify("db_password"), NameKind::Password));
        assert!(matches!(classify("WEBHOOK_SECRET"), NameKind::Key));
        assert!(matches!(classify("apiKey"), NameKind::Key));
        assert!(matches!(classify("OPENAI_KEY"), NameKind::Key));
        assert!(matches!(classify("groqKey"), NameKind::Key));
        assert!(matches!(classify("sort_key"), NameKind::NotSecret));
        // A provider's name alone names no key (`anthropic-beta` header, `hf-doc-builder`).
        assert!(matches!(classify("anthropic-beta"), NameKind::NotSecret));
        assert!(matches!(classify("hf-doc-builder"), NameKind::NotSecret));
    }

    /// The prefilter's hits the partial parse may leave out: a name bound with `=` or a
    /// quoted key that is no secret's. What the text cannot settle is kept.
    #[test]
    fn hits_whose_bound_name_is_no_secret_need_no_parse() {
        let may =
            |line: &str, word: &str| may_bind_a_secret(line.as_bytes(), line.find(word).unwrap());
        // No secret's names: a tokenizer's class, an author, a bare `key`, a quoted key.
        assert!(!may("    tokenizer_class = \"BertTokenizer\"", "token"));
        assert!(!may("setup(author=\"Jane Doe\")", "auth"));
        assert!(!may("d = dict(key=\"value\")", "key"));
        assert!(!may("headers = {\"x-token-name\": \"abc\"}", "token"));
        // Secrets' names, bound or quoted as keys, from where the regex starts inside them.
        assert!(may("    self.api_key = \"sk-live\"", "key"));
        assert!(may("OPENAI_KEY = 'abc'", "KEY"));
        assert!(may("db_password=\"hunter2\"", "password"));
        assert!(may("{\"client_secret\": \"abc\"}", "secret"));
        assert!(may("headers = {'Authorization': 'Bearer abc'}", "Auth"));
        // Unsettled by the text: an annotation, a key whose constant names the field, a
        // comparison.
        assert!(may("    token_type: str = 'bearer'", "token"));
        assert!(may("{SECRET_NAME: \"abc\"}", "SECRET"));
        assert!(may("if key == \"value\":", "key"));
        // A match starting at a harmless name may run past a secret's later on the line.
        assert!(may(
            "{\"x-token-type\": \"jwt\", \"Authorization\": \"Bearer 9f8a\"}",
            "token"
        ));
        assert!(may(
            "{\"tokenizer\": \"bert\", \"api_key\": \"sk-live\"}",
            "token"
        ));
    }
}
