//! The languages codeguard scans.
//!
//! This is the only crate that links tree-sitter grammars. Everything else names a language
//! through [`Lang`] and asks here for its grammar, its file extensions and its comment syntax.
//!
//! [`Lang::Text`] is a pseudo-language without a grammar: configuration and other text files
//! (`.env`, YAML, TOML, shell scripts, Markdown, ...) that only line-based rules read (provider
//! credentials).

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
    /// JavaScript, also JSX (`.js`, `.mjs`, `.cjs`, `.jsx`). A `javascript` matcher also runs on
    /// TypeScript and TSX files, whose grammar extends JavaScript's.
    JavaScript,
    /// TypeScript (`.ts`, `.mts`, `.cts`).
    TypeScript,
    /// TypeScript with JSX (`.tsx`).
    Tsx,
    /// MCP client configuration files (`.mcp.json`, `claude_desktop_config.json`, ...), which
    /// may hold comments (JSONC). Other JSON files are `text`.
    Json,
    /// Text files without a grammar (`.env`, YAML, TOML, JSON, INI, Dockerfiles, shell
    /// scripts, Markdown, `.txt`, `.properties`, notebooks): only matchers declared for
    /// `language: text` run on them, line by line.
    Text,
}

impl Lang {
    /// Every supported language, in a stable order.
    pub const ALL: [Lang; 7] = [
        Lang::Python,
        Lang::Rust,
        Lang::JavaScript,
        Lang::TypeScript,
        Lang::Tsx,
        Lang::Json,
        Lang::Text,
    ];

    /// The canonical lower-case name used in rule files and output.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Python => "python",
            Lang::Rust => "rust",
            Lang::JavaScript => "javascript",
            Lang::TypeScript => "typescript",
            Lang::Tsx => "tsx",
            Lang::Json => "json",
            Lang::Text => "text",
        }
    }

    /// The name people write (`JavaScript`, `TypeScript`), for prose.
    pub fn title(self) -> &'static str {
        match self {
            Lang::Python => "Python",
            Lang::Rust => "Rust",
            Lang::JavaScript => "JavaScript",
            Lang::TypeScript => "TypeScript",
            Lang::Tsx => "TSX",
            Lang::Json => "JSON",
            Lang::Text => "text",
        }
    }

    /// Whether a file is generated rather than written: minified or bundled JavaScript
    /// (`*.min.js`, `*.bundle.js`, or a file whose lines average hundreds of characters).
    pub fn is_generated(self, path: &Path, text: &str) -> bool {
        if !matches!(self, Lang::JavaScript | Lang::TypeScript | Lang::Tsx) {
            return false;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let stem = name
            .rsplit_once('.')
            .map_or(name.as_str(), |(stem, _)| stem);
        if stem.ends_with(".min") || stem.ends_with(".bundle") || stem.ends_with("-bundle") {
            return true;
        }
        let lines = text.lines().count().max(1);
        text.len() / lines > 300 && text.lines().any(|l| l.len() > 2000)
    }

    /// Whether files of this language hold code (not MCP configurations or other text).
    pub fn has_code(self) -> bool {
        !matches!(self, Lang::Json | Lang::Text)
    }

    /// Names accepted in rule files and on the command line.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Lang::Python => &["python", "py", "python3"],
            Lang::Rust => &["rust", "rs"],
            Lang::JavaScript => &["javascript", "js", "jsx", "node"],
            Lang::TypeScript => &["typescript", "ts"],
            Lang::Tsx => &["tsx"],
            Lang::Json => &["json", "jsonc"],
            Lang::Text => &["text"],
        }
    }

    /// File extensions (without the dot) that select this language. Text files are also
    /// recognised by name (`.env`, `Dockerfile`): see [`Lang::from_path`].
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Lang::Python => &["py", "pyi", "pyw"],
            Lang::Rust => &["rs"],
            Lang::JavaScript => &["js", "mjs", "cjs", "jsx"],
            Lang::TypeScript => &["ts", "mts", "cts"],
            Lang::Tsx => &["tsx"],
            Lang::Json => &["json"],
            Lang::Text => &TEXT_EXTENSIONS,
        }
    }

    /// The extension used for rule fixtures (`<rule-name>.<ext>`); JSON fixtures are named
    /// like the files they stand for (`<rule-name>.mcp.json`), the main text fixture is a
    /// `.env` file (`<rule-name>.env`; other text fixtures are variants).
    pub fn fixture_extension(self) -> &'static str {
        match self {
            Lang::Json => "mcp.json",
            _ => self.extensions()[0],
        }
    }

    /// Whether the language has a tree-sitter grammar (every language but [`Lang::Text`]).
    pub fn has_grammar(self) -> bool {
        self != Lang::Text
    }

    /// The line-comment marker, used for suppressions and fixture annotations.
    pub fn line_comment(self) -> &'static str {
        match self {
            Lang::Python | Lang::Text => "#",
            Lang::Rust | Lang::Json | Lang::JavaScript | Lang::TypeScript | Lang::Tsx => "//",
        }
    }

    /// The grammar's node kinds that are comments: suppressions are read only from these,
    /// never from text inside a string literal. Text files have no nodes: their comments are
    /// found by [`text_comment_start`].
    pub fn comment_kinds(self) -> &'static [&'static str] {
        match self {
            Lang::Python | Lang::Json | Lang::JavaScript | Lang::TypeScript | Lang::Tsx => {
                &["comment"]
            }
            Lang::Rust => &["line_comment", "block_comment"],
            Lang::Text => &[],
        }
    }

    /// How documentation comments start: they document, they do not suppress.
    pub fn doc_comment_prefixes(self) -> &'static [&'static str] {
        match self {
            Lang::Rust => &["///", "//!", "/**", "/*!"],
            Lang::JavaScript | Lang::TypeScript | Lang::Tsx => &["/**"],
            Lang::Python | Lang::Json | Lang::Text => &[],
        }
    }

    /// Where this language's test files live by convention, besides `tests/` and `test/`
    /// folders (globs relative to the project root).
    pub fn test_file_globs(self) -> &'static [&'static str] {
        match self {
            Lang::Python => &["**/test_*.py", "**/*_test.py", "**/conftest.py"],
            Lang::Rust => &["**/*_tests.rs"],
            Lang::JavaScript | Lang::TypeScript | Lang::Tsx => &[
                "**/__tests__/**",
                "**/*.test.{js,jsx,mjs,cjs,ts,tsx,mts,cts}",
                "**/*.spec.{js,jsx,mjs,cjs,ts,tsx,mts,cts}",
                "**/test_*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}",
                "**/*_test.{js,jsx,mjs,cjs,ts,tsx,mts,cts}",
            ],
            Lang::Json | Lang::Text => &[],
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

    /// Whether a matcher written for `self` runs on files of `file`: JavaScript matchers also
    /// run on TypeScript and TSX (TypeScript's grammar extends JavaScript's), TypeScript
    /// matchers also on TSX.
    pub fn runs_on(self, file: Lang) -> bool {
        self == file
            || matches!(
                (self, file),
                (Lang::JavaScript, Lang::TypeScript | Lang::Tsx) | (Lang::TypeScript, Lang::Tsx)
            )
    }

    /// The tree-sitter grammar; `None` for [`Lang::Text`].
    pub fn grammar(self) -> Option<tree_sitter::Language> {
        match self {
            Lang::Python => Some(tree_sitter_python::LANGUAGE.into()),
            Lang::Rust => Some(tree_sitter_rust::LANGUAGE.into()),
            Lang::JavaScript => Some(tree_sitter_javascript::LANGUAGE.into()),
            Lang::TypeScript => Some(tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into()),
            Lang::Tsx => Some(tree_sitter_typescript::LANGUAGE_TSX.into()),
            Lang::Json => Some(tree_sitter_json::LANGUAGE.into()),
            Lang::Text => None,
        }
    }

    /// The language of an editor buffer from its LSP `languageId`, which untitled buffers
    /// have where they have no file name; `None` for an id that names no grammar here (JSON
    /// and text files are told apart by their names: see [`Lang::from_path`]).
    pub fn from_language_id(id: &str) -> Option<Lang> {
        match id {
            "python" => Some(Lang::Python),
            "rust" => Some(Lang::Rust),
            "javascript" | "javascriptreact" => Some(Lang::JavaScript),
            "typescript" => Some(Lang::TypeScript),
            "typescriptreact" => Some(Lang::Tsx),
            _ => None,
        }
    }

    /// Picks the language of a file from its name: code by extension, JSON only for MCP
    /// client configuration files, and [`Lang::Text`] for the configuration and text files
    /// that may hold credentials (other JSON files among them).
    pub fn from_path(path: &Path) -> Option<Lang> {
        let name = path.file_name()?.to_str()?;
        if is_text_name(name) {
            return Some(Lang::Text);
        }
        let ext = path.extension()?.to_str()?;
        // TypeScript declaration files describe types; no code in them runs.
        let lower = name.to_ascii_lowercase();
        if [".d.ts", ".d.mts", ".d.cts"]
            .iter()
            .any(|d| lower.ends_with(d))
        {
            return None;
        }
        if ext.eq_ignore_ascii_case("json") {
            let name = name.to_ascii_lowercase();
            let mcp = MCP_CONFIG_NAMES
                .iter()
                .any(|n| name == *n || name.ends_with(&format!(".{n}")));
            return Some(if mcp { Lang::Json } else { Lang::Text });
        }
        Lang::ALL.into_iter().find(|lang| {
            lang.extensions()
                .iter()
                .any(|e| e.eq_ignore_ascii_case(ext))
        })
    }
}

/// Extensions of text files scanned for credentials (the first names the main text fixture).
const TEXT_EXTENSIONS: [&str; 17] = [
    "env",
    "yaml",
    "yml",
    "toml",
    "ini",
    "cfg",
    "conf",
    "properties",
    "sh",
    "bash",
    "zsh",
    "md",
    "markdown",
    "txt",
    "ipynb",
    "dockerfile",
    "containerfile",
];

/// Text files known by name rather than extension: `.env`, `.env.local` (any `.env.*`),
/// `Dockerfile`, `Dockerfile.dev`, `Containerfile`.
fn is_text_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == ".env"
        || lower.starts_with(".env.")
        || lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower == "containerfile"
}

/// Where the comment of a text file's line starts (`#` or `//` at the line start or after
/// white space), if it has one: suppressions are read from there.
pub fn text_comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    (0..bytes.len()).find(|&i| {
        let opens = bytes[i] == b'#' || (bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'/'));
        opens && (i == 0 || bytes[i - 1].is_ascii_whitespace())
    })
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
        assert_eq!(Lang::from_path(Path::new("notes.txt")), Some(Lang::Text));
        assert_eq!(Lang::from_path(Path::new("Makefile")), None);
        assert_eq!(Lang::from_path(Path::new("logo.png")), None);
        assert_eq!(
            Lang::from_path(Path::new(".cursor/mcp.json")),
            Some(Lang::Json)
        );
        assert_eq!(Lang::from_path(Path::new("x/.mcp.json")), Some(Lang::Json));
        assert_eq!(
            Lang::from_path(Path::new("claude_desktop_config.json")),
            Some(Lang::Json)
        );
        assert_eq!(Lang::from_path(Path::new("package.json")), Some(Lang::Text));
    }

    #[test]
    fn picks_text_files_by_name_and_extension() {
        for name in [
            ".env",
            "app/.env.local",
            "prod.env",
            "config.yaml",
            "ci.yml",
            "pyproject.toml",
            "setup.cfg",
            "app.ini",
            "nginx.conf",
            "app.properties",
            "run.sh",
            "x.bash",
            "x.zsh",
            "README.md",
            "notes.txt",
            "demo.ipynb",
            "Dockerfile",
            "Dockerfile.dev",
            "api.dockerfile",
        ] {
            assert_eq!(Lang::from_path(Path::new(name)), Some(Lang::Text), "{name}");
        }
    }

    #[test]
    fn finds_comments_in_text_lines() {
        assert_eq!(text_comment_start("# a"), Some(0));
        assert_eq!(text_comment_start("KEY=x  # a"), Some(7));
        assert_eq!(text_comment_start("url: http://x // b"), Some(14));
        assert_eq!(text_comment_start("KEY=a#b"), None);
        assert_eq!(text_comment_start("url: http://x"), None);
    }

    #[test]
    fn editor_language_ids_name_grammars_only() {
        assert_eq!(Lang::from_language_id("python"), Some(Lang::Python));
        assert_eq!(Lang::from_language_id("typescriptreact"), Some(Lang::Tsx));
        assert_eq!(
            Lang::from_language_id("javascriptreact"),
            Some(Lang::JavaScript)
        );
        assert_eq!(Lang::from_language_id("json"), None);
        assert_eq!(Lang::from_language_id("plaintext"), None);
    }

    #[test]
    fn parses_aliases_and_rejects_unknown_names() {
        assert_eq!("py".parse::<Lang>(), Ok(Lang::Python));
        assert_eq!("Rust".parse::<Lang>(), Ok(Lang::Rust));
        let err = "cobol".parse::<Lang>().unwrap_err();
        assert!(
            err.to_string()
                .contains("supported: python, rust, javascript, typescript, tsx, json, text")
        );
    }

    #[test]
    fn every_grammar_loads_into_a_parser() {
        for lang in Lang::ALL.into_iter().filter(|l| l.has_grammar()) {
            let mut parser = tree_sitter::Parser::new();
            parser
                .set_language(&lang.grammar().expect("a grammar"))
                .expect("ABI compatible grammar");
        }
        assert!(Lang::Text.grammar().is_none());
    }

    #[test]
    fn comment_kinds_exist_in_their_grammar() {
        for lang in Lang::ALL {
            let Some(grammar) = lang.grammar() else {
                continue;
            };
            for kind in lang.comment_kinds() {
                assert_ne!(grammar.id_for_node_kind(kind, true), 0, "{lang}: {kind}");
            }
        }
    }
}
