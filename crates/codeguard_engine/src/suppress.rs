//! Inline suppressions: `codeguard-ignore: CG-ML001, CG-CORE007 -- reason` in a comment on
//! the flagged line or the line above, and `codeguard-ignore-file: CG-SEC002 -- reason` anywhere
//! in the file. Rule ids (or names) are mandatory: a bare `codeguard-ignore` suppresses
//! nothing, so a finding cannot be silenced without saying which one.

use codeguard_language::Lang;

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

/// Finds the suppression comments of `source`.
pub fn parse(source: &str, lang: Lang) -> Vec<Suppression> {
    let comment = lang.line_comment();
    let mut found = Vec::new();
    for (index, line) in source.lines().enumerate() {
        if !line.contains("codeguard-ignore") {
            continue;
        }
        let Some(start) = line.find(comment) else {
            continue;
        };
        let text = &line[start + comment.len()..];
        let (file_wide, rest) = if let Some(pos) = text.find(FILE_MARKER) {
            (true, &text[pos + FILE_MARKER.len()..])
        } else if let Some(pos) = text.find(LINE_MARKER) {
            (false, &text[pos + LINE_MARKER.len()..])
        } else {
            continue;
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
        if !rules.is_empty() {
            found.push(Suppression {
                line: index + 1,
                rules,
                file_wide,
                reason,
            });
        }
    }
    found
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

    #[test]
    fn parses_line_and_file_suppressions() {
        let src = "x = 1  # codeguard-ignore: CG-ML001, CG-CORE007 -- vetted\n# codeguard-ignore-file: secret-named-literal\n# codeguard-ignore\n";
        let found = parse(src, Lang::Python);
        assert_eq!(
            found.len(),
            2,
            "a bare marker without ids suppresses nothing"
        );
        assert_eq!(found[0].rules, ["CG-ML001", "CG-CORE007"]);
        assert_eq!(found[0].reason.as_deref(), Some("vetted"));
        assert!(found[1].file_wide);
        assert!(
            parse("s = \"codeguard-ignore: CG-ML001\"\n", Lang::Python).is_empty(),
            "not in a comment"
        );
    }
}
