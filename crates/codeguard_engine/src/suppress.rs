//! Inline suppressions: `codeguard-ignore: CG-ML001, CG-CORE007 -- reason` in a comment on
//! the flagged line or the line above, and `codeguard-ignore-file: CG-SEC002 -- reason` anywhere
//! in the file. Rule ids (or names) are mandatory: a bare `codeguard-ignore` suppresses
//! nothing, so a finding cannot be silenced without saying which one.
//!
//! Triage teams already did with other tools is honoured too, for the rules that are the same
//! check (`equivalents` in the rule's metadata): bandit's `# nosec` / `# nosec B602` and
//! ruff's `# noqa: S602` on the flagged line. A bare `# nosec` covers every rule with a bandit
//! equivalent (never codeguard's own AI rules); a bare `# noqa` covers nothing.

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
    /// Another tool's marker (`nosec`, `noqa`): names that tool's check ids, applies to its
    /// own line only and is never reported unused (it may be there for that tool).
    pub foreign: bool,
}

/// What a bare `# nosec` names: every rule with a bandit equivalent.
const ANY_BANDIT_CHECK: &str = "nosec";

/// Finds the suppression comments of `source`: only real comment nodes of its syntax tree
/// count (a string literal holding `# codeguard-ignore-file: ...` suppresses nothing).
pub fn parse(source: &str, lang: Lang, root: Node<'_>) -> Vec<Suppression> {
    let Some(grammar) = lang.grammar() else {
        return parse_text(source);
    };
    let comment_ids: Vec<u16> = lang
        .comment_kinds()
        .iter()
        .map(|kind| grammar.id_for_node_kind(kind, true))
        .collect();
    // Only a comment holding a marker can suppress: the comments are found from the markers
    // in the text (the node at each), not by walking the whole tree (3M instructions for a
    // large module whose lint comments say `noqa:`).
    let mut at: Vec<usize> = MARKER_WORDS
        .iter()
        .flat_map(|m| memchr::memmem::find_iter(source.as_bytes(), m.as_bytes()))
        .collect();
    at.sort_unstable();
    let mut found = Vec::new();
    let mut last = None;
    for offset in at {
        let Some(node) = comment_at(root, offset, &comment_ids) else {
            continue;
        };
        if last.replace(node.id()) == Some(node.id()) {
            continue;
        }
        let text = source.get(node.byte_range()).unwrap_or_default();
        if lang
            .doc_comment_prefixes()
            .iter()
            .any(|p| text.starts_with(p))
        {
            continue;
        }
        if let Some(suppression) = parse_comment(text, node.start_position().row + 1) {
            found.push(suppression);
        }
    }
    found
}

/// The words every suppression comment holds one of (see [`parse_comment`]).
pub(crate) const MARKER_WORDS: [&str; 3] = ["codeguard-ignore", "nosec", "noqa:"];

/// The comment node holding byte `offset`, if a comment holds it (a comment node may have
/// children of its own, a doc comment's text).
fn comment_at<'t>(root: Node<'t>, offset: usize, comment_ids: &[u16]) -> Option<Node<'t>> {
    // Two steps up at most: `parent` walks down from the root, and a marker in code (a
    // string, a name) must not cost a climb to the root each.
    let mut node = root.descendant_for_byte_range(offset, offset + 1)?;
    for _ in 0..3 {
        if comment_ids.contains(&node.kind_id()) {
            return Some(node);
        }
        if node.id() == root.id() {
            return None;
        }
        node = node.parent()?;
    }
    None
}

/// Finds the suppression comments of a text file ([`Lang::Text`]), which has no syntax tree:
/// a comment starts with `#` or `//` at the start of a line or after white space
/// (`KEY=value  # codeguard-ignore: CG-SEC001 -- reason`).
pub fn parse_text(source: &str) -> Vec<Suppression> {
    let mut found = Vec::new();
    for (row, line) in source.lines().enumerate() {
        if !MARKER_WORDS.iter().any(|m| line.contains(m)) {
            continue;
        }
        if let Some(start) = codeguard_language::text_comment_start(line)
            && let Some(suppression) = parse_comment(&line[start..], row + 1)
        {
            found.push(suppression);
        }
    }
    found
}

/// A bandit `nosec` or ruff `noqa:` marker in a comment: the check ids it names.
fn parse_foreign(text: &str, line: usize) -> Option<Suppression> {
    let ids = |rest: &str| -> Vec<String> {
        rest.split([',', ' '])
            .map(|s| s.trim().trim_end_matches(':'))
            .take_while(|s| {
                s.is_empty() || s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            })
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let rules = if let Some(pos) = text.find("nosec") {
        let named = ids(&text[pos + "nosec".len()..]);
        if named.is_empty() {
            vec![ANY_BANDIT_CHECK.to_string()]
        } else {
            named
        }
    } else {
        let pos = text.find("noqa:")?;
        ids(&text[pos + "noqa:".len()..])
    };
    (!rules.is_empty()).then_some(Suppression {
        line,
        rules,
        file_wide: false,
        reason: None,
        foreign: true,
    })
}

/// The suppression in one comment's text, if it holds one.
fn parse_comment(text: &str, line: usize) -> Option<Suppression> {
    let text = text.trim_end().trim_end_matches("*/");
    let (file_wide, rest) = if let Some(pos) = text.find(FILE_MARKER) {
        (true, &text[pos + FILE_MARKER.len()..])
    } else if let Some(pos) = text.find(LINE_MARKER) {
        (false, &text[pos + LINE_MARKER.len()..])
    } else {
        return parse_foreign(text, line);
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
        foreign: false,
    })
}

/// Whether `name` (as written in suppression `s`) names the finding `d`, whose rule is the
/// same check as `equivalents` in other tools.
fn names(s: &Suppression, name: &str, d: &Diagnostic, equivalents: &[String]) -> bool {
    if s.foreign {
        return if name == ANY_BANDIT_CHECK {
            equivalents.iter().any(|e| e.starts_with('B'))
        } else {
            equivalents.iter().any(|e| e.eq_ignore_ascii_case(name))
        };
    }
    name.eq_ignore_ascii_case(&d.rule_id) || name.eq_ignore_ascii_case(&d.rule_name)
}

/// Removes suppressed diagnostics; `equivalents` gives, for a rule id, the ids of the same
/// check in other tools. Returns how many were suppressed and the codeguard suppressions
/// (line, rule) that matched nothing.
pub fn apply<'r>(
    diagnostics: &mut Vec<Diagnostic>,
    suppressions: &[Suppression],
    equivalents: impl Fn(&str) -> &'r [String],
) -> (usize, Vec<(usize, String)>) {
    let mut used: Vec<Vec<bool>> = suppressions
        .iter()
        .map(|s| vec![false; s.rules.len()])
        .collect();
    let before = diagnostics.len();
    diagnostics.retain(|d| {
        let line = d.range.start.line;
        let peers = equivalents(&d.rule_id);
        let mut suppressed = false;
        for (i, s) in suppressions.iter().enumerate() {
            // bandit's and ruff's markers sit on any line of a statement spanning several
            // (ruff puts `# noqa` after a multi-line string's closing quotes).
            let applies = s.file_wide
                || s.line == line
                || (!s.foreign && s.line + 1 == line)
                || (s.foreign && s.line > line && s.line <= d.range.end.line);
            if !applies {
                continue;
            }
            for (j, name) in s.rules.iter().enumerate() {
                if names(s, name, d, peers) {
                    suppressed = true;
                    used[i][j] = true;
                }
            }
        }
        !suppressed
    });
    let mut unused = Vec::new();
    for (i, s) in suppressions.iter().enumerate().filter(|(_, s)| !s.foreign) {
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
        parser.set_language(&lang.grammar().unwrap()).unwrap();
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
    fn other_tools_markers() {
        let found = parsed(
            "a = 1  # nosec\nb = 2  # nosec B602, B607\nc = 3  # noqa: S301, E501\nd = 4  # noqa\ne = 5  # nosec: B105 -- test data\n",
            Lang::Python,
        );
        let rules: Vec<&[String]> = found.iter().map(|s| s.rules.as_slice()).collect();
        assert_eq!(
            rules,
            [
                &["nosec".to_string()][..],
                &["B602".to_string(), "B607".to_string()][..],
                &["S301".to_string(), "E501".to_string()][..],
                &["B105".to_string()][..],
            ]
        );
        assert!(found.iter().all(|s| s.foreign));
    }

    #[test]
    fn rust_line_and_block_comments() {
        let found = parsed(
            "fn f() {} // codeguard-ignore: CG-RS001 -- ok\n/* codeguard-ignore: CG-RS002 */\n",
            Lang::Rust,
        );
        assert_eq!(found.len(), 2);
        assert!(
            parsed("//! `codeguard-ignore: CG-ML001` explained\n/// codeguard-ignore: X -- doc\nfn f() {}\n", Lang::Rust)
                .is_empty(),
            "documentation is not a suppression"
        );
        assert_eq!(found[0].rules, ["CG-RS001"]);
        assert_eq!(found[1].rules, ["CG-RS002"]);
        assert_eq!(found[1].line, 2);
    }

    #[test]
    fn a_comment_with_several_markers_is_one_suppression_found_in_order() {
        // Comments are found from the markers in the text: two in one comment are one.
        let found = parsed(
            "x = f()  # noqa: S301 nosec\ns = 'nosec'\ny = g()  # codeguard-ignore: CG-CORE007\n",
            Lang::Python,
        );
        let lines: Vec<usize> = found.iter().map(|s| s.line).collect();
        assert_eq!(lines, [1, 3]);
        let js = parsed(
            "eval(x); /* codeguard-ignore: CG-CORE008 -- vetted */\nconst s = `nosec`;\n",
            Lang::JavaScript,
        );
        assert_eq!(js.len(), 1);
        assert_eq!(js[0].rules, ["CG-CORE008"]);
    }
}
