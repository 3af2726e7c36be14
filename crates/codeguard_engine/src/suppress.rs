//! Inline suppressions: `codeguard-ignore: CG-ML001, CG-CORE007 -- reason` in a comment on
//! the flagged line or the line above, and `codeguard-ignore-file: CG-SEC002 -- reason` anywhere
//! in the file. Rule ids (or names) are mandatory: a bare `codeguard-ignore` suppresses
//! nothing, so a finding cannot be silenced without saying which one.

use codeguard_language::Lang;
use tree_sitter::Node;

use crate::diagnostic::Diagnostic;

/// The marker for one line.
pub const LINE_MARKER: &str = "codeguard-ignore:";
/// The marker for a whole file.
pub const FILE_MARKER: &str = "codeguard-ignore-file:";

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// 1-based line of the comment.
    pub line: usize,
    pub rules: Vec<String>,
    pub file_wide: bool,
    pub reason: Option<String>,
}

/// Finds the suppression comments of `source`: only real comment nodes of its syntax tree
/// count (a string literal holding `# codeguard-ignore-file: ...` suppresses nothing).
pub fn parse(source: &str, lang: Lang, root: Node<'_>) -> Vec<Suppression> {
    let grammar = lang.grammar();
    let comment_ids: Vec<u16> = lang
        .comment_kinds()
        .iter()
        .map(|kind| grammar.id_for_node_kind(kind, true))
        .collect();
    let mut found = Vec::new();
    crate::tree_walk::for_each_descendant(
        root,
        |node| !comment_ids.contains(&node.kind_id()),
        |node| {
            if !comment_ids.contains(&node.kind_id()) {
                return;
            }
            let text = source.get(node.byte_range()).unwrap_or_default();
            if let Some(suppression) = parse_comment(text, node.start_position().row + 1) {
                found.push(suppression);
            }
        },
    );
    found
}

/// The suppression in one comment's text, if it holds one.
fn parse_comment(text: &str, line: usize) -> Option<Suppression> {
    let text = text.trim_end().trim_end_matches("*/");
    let (file_wide, rest) = if let Some(pos) = text.find(FILE_MARKER) {
        (true, &text[pos + FILE_MARKER.len()..])
    } else {
        let pos = text.find(LINE_MARKER)?;
        (false, &text[pos + LINE_MARKER.len()..])
    };
    let (ids, reason) = match rest.split_once("--") {
        Some((ids, reason)) => (
            ids,
            Some(reason.trim().to_string()).filter(|r| !r.is_empty()),
        ),
        None => (rest, None),
    };
    let rules: Vec<String> = ids
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    (!rules.is_empty()).then_some(Suppression {
        line,
        rules,
        file_wide,
        reason,
    })
}

fn names(s: &Suppression, d: &Diagnostic) -> bool {
    s.rules
        .iter()
        .any(|r| r.eq_ignore_ascii_case(&d.rule_id) || r.eq_ignore_ascii_case(&d.rule_name))
}

/// Removes suppressed diagnostics. Returns how many were suppressed and the suppressions
/// (line, rule) that matched nothing.
pub fn apply(
    diagnostics: &mut Vec<Diagnostic>,
    suppressions: &[Suppression],
) -> (usize, Vec<(usize, String)>) {
    let mut used = vec![vec![false; 0]; suppressions.len()];
    for (i, s) in suppressions.iter().enumerate() {
        used[i] = vec![false; s.rules.len()];
    }
    let before = diagnostics.len();
    diagnostics.retain(|d| {
        let line = d.range.start.line;
        let mut suppressed = false;
        for (i, s) in suppressions.iter().enumerate() {
            let applies = s.file_wide || s.line == line || s.line + 1 == line;
            if applies && names(s, d) {
                suppressed = true;
                for (j, r) in s.rules.iter().enumerate() {
                    if r.eq_ignore_ascii_case(&d.rule_id) || r.eq_ignore_ascii_case(&d.rule_name) {
                        used[i][j] = true;
                    }
                }
            }
        }
        !suppressed
    });
    let mut unused = Vec::new();
    for (i, s) in suppressions.iter().enumerate() {
        for (j, r) in s.rules.iter().enumerate() {
            if !used[i][j] {
                unused.push((s.line, r.clone()));
            }
        }
    }
    (before - diagnostics.len(), unused)
}

/// The comment line that suppresses `rule_id` on `line_text` (inserted above it, same indent).
pub fn comment_for(lang: Lang, line_text: &str, rule_id: &str) -> String {
    let indent: String = line_text
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    format!(
        "{indent}{} {LINE_MARKER} {rule_id} -- reason\n",
        lang.line_comment()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(source: &str, lang: Lang) -> Vec<Suppression> {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&lang.grammar()).unwrap();
        let tree = parser.parse(source, None).unwrap();
        parse(source, lang, tree.root_node())
    }

    #[test]
    fn parses_line_and_file_suppressions() {
        let src = "x = 1  # codeguard-ignore: CG-ML001, CG-CORE007 -- vetted\n# codeguard-ignore-file: secret-named-literal\n# codeguard-ignore\n";
        let found = parsed(src, Lang::Python);
        assert_eq!(
            found.len(),
            2,
            "a bare marker without ids suppresses nothing"
        );
        assert_eq!(found[0].rules, ["CG-ML001", "CG-CORE007"]);
        assert_eq!(found[0].reason.as_deref(), Some("vetted"));
        assert!(found[1].file_wide);
        assert_eq!(found[1].line, 2);
    }

    #[test]
    fn text_inside_strings_is_not_a_suppression() {
        for src in [
            "s = \"codeguard-ignore: CG-ML001\"\n",
            "s = \"# codeguard-ignore-file: CG-ML001\"\n",
            "s = '''\n# codeguard-ignore-file: CG-CORE001 -- docs\n'''\n",
            "s = \"\"\"  # codeguard-ignore: CG-CORE001\"\"\"\n",
        ] {
            assert!(parsed(src, Lang::Python).is_empty(), "{src}");
        }
        assert!(
            parsed(
                "let s = \"// codeguard-ignore-file: CG-CORE001\";\n",
                Lang::Rust
            )
            .is_empty()
        );
    }

    #[test]
    fn rust_line_and_block_comments() {
        let found = parsed(
            "fn f() {} // codeguard-ignore: CG-RS001 -- ok\n/* codeguard-ignore: CG-RS002 */\n",
            Lang::Rust,
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].rules, ["CG-RS001"]);
        assert_eq!(found[1].rules, ["CG-RS002"]);
        assert_eq!(found[1].line, 2);
    }
}
