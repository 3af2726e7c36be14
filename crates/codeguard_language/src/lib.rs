//! The languages codeguard scans.
//!
//! This is the only crate that links tree-sitter grammars. Everything else names a language
//! through [`Lang`] and asks here for its grammar, its file extensions and its comment syntax.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A language codeguard can parse.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Python,
    Rust,
    /// MCP client configuration files (`.mcp.json`, `claude_desktop_config.json`, ...), which
    /// may hold comments (JSONC). Other JSON files are not scanned.
    Json,
}

impl Lang {
    /// Every supported language, in a stable order.
    pub const ALL: [Lang; 3] = [Lang::Python, Lang::Rust, Lang::Json];

    /// The canonical lower-case name used in rule files and output.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Python => "python",
            Lang::Rust => "rust",
            Lang::Json => "json",
        }
    }

    /// Names accepted in rule files and on the command line.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Lang::Python => &["python", "py", "python3"],
            Lang::Rust => &["rust", "rs"],
            Lang::Json => &["json", "jsonc"],
        }
    }

    /// File extensions (without the dot) that select this language.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Lang::Python => &["py", "pyi", "pyw"],
            Lang::Rust => &["rs"],
            Lang::Json => &["json"],
        }
    }

    /// The extension used for rule fixtures (`<rule-name>.<ext>`); JSON fixtures are named
    /// like the files they stand for (`<rule-name>.mcp.json`).
    pub fn fixture_extension(self) -> &'static str {
        match self {
            Lang::Json => "mcp.json",
            _ => self.extensions()[0],
        }
    }

    /// The line-comment marker, used for suppressions and fixture annotations.
    pub fn line_comment(self) -> &'static str {
        match self {
            Lang::Python => "#",
            Lang::Rust | Lang::Json => "//",
        }
    }

    /// The grammar's node kinds that are comments: suppressions are read only from these,
    /// never from text inside a string literal.
    pub fn comment_kinds(self) -> &'static [&'static str] {
        match self {
            Lang::Python | Lang::Json => &["comment"],
            Lang::Rust => &["line_comment", "block_comment"],
        }
    }

    /// How documentation comments start: they document, they do not suppress.
    pub fn doc_comment_prefixes(self) -> &'static [&'static str] {
        match self {
            Lang::Rust => &["///", "//!", "/**", "/*!"],
            Lang::Python | Lang::Json => &[],
        }
    }

    /// Byte ranges of test code inside a file that is not itself a test file: Rust items
    /// marked `#[cfg(test)]` or `#[test]` (`#[tokio::test]`, ...). Python keeps its tests in
    /// test files, recognised by path.
    pub fn test_code_ranges(
        self,
        root: tree_sitter::Node<'_>,
        source: &[u8],
    ) -> Vec<std::ops::Range<usize>> {
        if self != Lang::Rust || !source.windows(5).any(|w| w == b"test]" || w == b"(test") {
            return Vec::new();
        }
        let is_test_marker = |attribute: tree_sitter::Node<'_>| {
            let text = String::from_utf8_lossy(&source[attribute.byte_range()]);
            let inner: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            inner == "#[cfg(test)]" || inner == "#[test]" || inner.ends_with("::test]")
        };
        let mut ranges = Vec::new();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            let mut cursor = node.walk();
            let mut marked = false;
            for child in node.named_children(&mut cursor) {
                match child.kind() {
                    "attribute_item" => marked |= is_test_marker(child),
                    "line_comment" | "block_comment" => {}
                    _ if marked => {
                        ranges.push(child.byte_range());
                        marked = false;
                    }
                    "mod_item" | "declaration_list" | "impl_item" => stack.push(child),
                    _ => {}
                }
            }
        }
        ranges.sort_by_key(|r| r.start);
        ranges
    }

    /// The tree-sitter grammar.
    pub fn grammar(self) -> tree_sitter::Language {
        match self {
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::Rust => tree_sitter_rust::LANGUAGE.into(),
            Lang::Json => tree_sitter_json::LANGUAGE.into(),
        }
    }

    /// Picks the language of a file from its extension; JSON only for MCP client
    /// configuration files (scanning every JSON file would cost time and find nothing).
    pub fn from_path(path: &Path) -> Option<Lang> {
        let ext = path.extension()?.to_str()?;
        if ext.eq_ignore_ascii_case("json") {
            let name = path.file_name()?.to_str()?.to_ascii_lowercase();
            return MCP_CONFIG_NAMES
                .iter()
                .any(|n| name == *n || name.ends_with(&format!(".{n}")))
                .then_some(Lang::Json);
        }
        Lang::ALL.into_iter().find(|lang| {
            lang.extensions()
                .iter()
                .any(|e| e.eq_ignore_ascii_case(ext))
        })
    }
}

/// File names of MCP client configurations (Claude Desktop and Code, Cursor, VS Code, Cline,
/// Windsurf), also with a prefix such as `project.mcp.json`.
const MCP_CONFIG_NAMES: [&str; 5] = [
    "mcp.json",
    "claude_desktop_config.json",
    "mcp_settings.json",
    "cline_mcp_settings.json",
    "mcp_config.json",
];

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for a language name codeguard does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLang(pub String);

impl fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known: Vec<&str> = Lang::ALL.iter().map(|l| l.name()).collect();
        write!(
            f,
            "unknown language `{}` (supported: {})",
            self.0,
            known.join(", ")
        )
    }
}

impl std::error::Error for UnknownLang {}

impl FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.to_ascii_lowercase();
        Lang::ALL
            .into_iter()
            .find(|lang| lang.aliases().contains(&lower.as_str()))
            .ok_or_else(|| UnknownLang(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_language_by_extension() {
        assert_eq!(Lang::from_path(Path::new("a/b.py")), Some(Lang::Python));
        assert_eq!(Lang::from_path(Path::new("lib.RS")), Some(Lang::Rust));
        assert_eq!(Lang::from_path(Path::new("notes.txt")), None);
        assert_eq!(Lang::from_path(Path::new("Makefile")), None);
        assert_eq!(
            Lang::from_path(Path::new(".cursor/mcp.json")),
            Some(Lang::Json)
        );
        assert_eq!(Lang::from_path(Path::new("x/.mcp.json")), Some(Lang::Json));
        assert_eq!(
            Lang::from_path(Path::new("claude_desktop_config.json")),
            Some(Lang::Json)
        );
        assert_eq!(Lang::from_path(Path::new("package.json")), None);
    }

    #[test]
    fn parses_aliases_and_rejects_unknown_names() {
        assert_eq!("py".parse::<Lang>(), Ok(Lang::Python));
        assert_eq!("Rust".parse::<Lang>(), Ok(Lang::Rust));
        let err = "cobol".parse::<Lang>().unwrap_err();
        assert!(err.to_string().contains("supported: python, rust, json"));
    }

    #[test]
    fn every_grammar_loads_into_a_parser() {
        for lang in Lang::ALL {
            let mut parser = tree_sitter::Parser::new();
            parser
                .set_language(&lang.grammar())
                .expect("ABI compatible grammar");
        }
    }

    #[test]
    fn comment_kinds_exist_in_their_grammar() {
        for lang in Lang::ALL {
            let grammar = lang.grammar();
            for kind in lang.comment_kinds() {
                assert_ne!(grammar.id_for_node_kind(kind, true), 0, "{lang}: {kind}");
            }
        }
    }
}
