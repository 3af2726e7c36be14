//! Applying fixes to a source text: non-overlapping edits, repeated until nothing is left to
//! fix, and refused when the result would parse worse than the original.

use std::path::Path;

use codeguard_language::Lang;
use codeguard_rules::{Applicability, RuleError, RuleSet};

use crate::diagnostic::{Edit, apply_edits};
use crate::scan::{ScanOptions, scan_source};

/// The result of fixing one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedSource {
    pub source: String,
    /// How many findings were fixed.
    pub applied: usize,
    /// Fixes that were not applied because the result would not parse.
    pub refused: usize,
}

fn has_syntax_error(lang: Lang, source: &str) -> bool {
    let Some(grammar) = lang.grammar() else {
        // Text has no syntax to break.
        return false;
    };
    let mut parser = tree_sitter::Parser::new();
    if parser.set_language(&grammar).is_err() {
        return true;
    }
    parser
        .parse(source, None)
        .is_none_or(|t| t.root_node().has_error())
}

/// Applies the fixes codeguard offers for `source`: safe ones, and suggested ones too when
/// `unsafe_fixes`. Re-scans after each round (a fix can uncover or settle other findings).
pub fn fix_source(
    rules: &RuleSet,
    lang: Lang,
    path: &Path,
    source: &str,
    unsafe_fixes: bool,
) -> Result<FixedSource, RuleError> {
    let options = ScanOptions {
        inline_suppressions: true,
        ..ScanOptions::default()
    };
    let originally_broken = has_syntax_error(lang, source);
    let mut current = source.to_string();
    let mut applied = 0;
    let mut refused = 0;
    for _ in 0..8 {
        let report = scan_source(rules, lang, path, &current, &options)?;
        let mut edits: Vec<Edit> = Vec::new();
        let mut count = 0;
        for fix in report.diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
            if fix.applicability == Applicability::Suggested && !unsafe_fixes {
                continue;
            }
            // One finding's edits go in together or not at all.
            let clashes = fix.edits.iter().any(|e| {
                edits.iter().any(|o| {
                    e.start_byte < o.end_byte.max(o.start_byte + 1)
                        && o.start_byte < e.end_byte.max(e.start_byte + 1)
                })
            });
            if !clashes {
                edits.extend(fix.edits.iter().cloned());
                count += 1;
            }
        }
        if count == 0 {
            break;
        }
        let next = apply_edits(&current, &edits);
        if !originally_broken && has_syntax_error(lang, &next) {
            refused += count;
            break;
        }
        applied += count;
        current = next;
    }
    Ok(FixedSource {
        source: current,
        applied,
        refused,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use codeguard_rules::builtin_rules;

    #[test]
    fn applies_safe_fixes_and_suggested_ones_on_request() {
        let rules = RuleSet::new(builtin_rules().unwrap());
        let src = "import yaml, torch\ncfg = yaml.load(f)\ns = torch.load(p, weights_only=False)\n";
        let safe = fix_source(&rules, Lang::Python, Path::new("a.py"), src, false).unwrap();
        assert_eq!(
            safe.source,
            "import yaml, torch\ncfg = yaml.safe_load(f)\ns = torch.load(p, weights_only=False)\n"
        );
        assert_eq!(safe.applied, 1);
        let all = fix_source(&rules, Lang::Python, Path::new("a.py"), src, true).unwrap();
        assert!(all.source.contains("weights_only=True"));
        assert_eq!(all.applied, 2);
    }
}
