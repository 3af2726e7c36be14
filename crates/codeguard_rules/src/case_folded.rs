//! Case-insensitive prefilter regexes, searched in lowercased text.
//!
//! `(?i-u)(?:pass|token|key)...` has thousands of case variants of its leading words, too many
//! for a literal prefilter: `regex` runs its lazy DFA over every byte (170 ms per pass over
//! 100 MB of Python). When every class of a pattern holds both cases of the ASCII letters it
//! holds, and no literal holds a letter, the pattern cannot tell `A` from `a`: it matches a
//! text exactly where it matches the text lowercased. On lowercased text, upper-case letters
//! never occur, so they can be dropped from the classes, which leaves plain literals
//! (`pass|token|key`) that `regex` finds with its SIMD searchers.

use regex_automata::meta;
use regex_syntax::hir::{
    Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
};

/// `pattern` for lowercased text, if it is case-insensitive throughout (see the module
/// documentation); `None` when it is not, or when lowercasing would change nothing.
pub fn lowercase_form(pattern: &str) -> Option<meta::Regex> {
    // As `regex::bytes::Regex` parses: Unicode on, matches need not be UTF-8.
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    let mut folds = false;
    let lowered = lower(&hir, &mut folds)?;
    if !folds {
        return None;
    }
    meta::Builder::new()
        .configure(meta::Config::new().utf8_empty(false))
        .build_from_hir(&lowered)
        .ok()
}

/// `hir` without upper-case ASCII letters, or `None` if it tells cases apart; `folds` is set
/// when some class held both cases of a letter.
fn lower(hir: &Hir, folds: &mut bool) -> Option<Hir> {
    Some(match hir.kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => {
            if literal.0.iter().any(u8::is_ascii_alphabetic) {
                return None;
            }
            hir.clone()
        }
        HirKind::Class(Class::Unicode(class)) => {
            let has = |c: u8| {
                class
                    .ranges()
                    .iter()
                    .any(|r| r.start() <= c as char && c as char <= r.end())
            };
            check_letters(has, folds)?;
            let mut lowered = class.clone();
            lowered.difference(&ClassUnicode::new([ClassUnicodeRange::new('A', 'Z')]));
            Hir::class(Class::Unicode(lowered))
        }
        HirKind::Class(Class::Bytes(class)) => {
            let has = |c: u8| {
                class
                    .ranges()
                    .iter()
                    .any(|r| r.start() <= c && c <= r.end())
            };
            check_letters(has, folds)?;
            let mut lowered = class.clone();
            lowered.difference(&ClassBytes::new([ClassBytesRange::new(b'A', b'Z')]));
            Hir::class(Class::Bytes(lowered))
        }
        // Word boundaries and line anchors read letters as letters, whatever their case.
        HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(repetition) => {
            let mut lowered = repetition.clone();
            lowered.sub = Box::new(lower(&repetition.sub, folds)?);
            Hir::repetition(lowered)
        }
        HirKind::Capture(capture) => {
            let mut lowered = capture.clone();
            lowered.sub = Box::new(lower(&capture.sub, folds)?);
            Hir::capture(lowered)
        }
        HirKind::Concat(parts) => Hir::concat(
            parts
                .iter()
                .map(|p| lower(p, folds))
                .collect::<Option<_>>()?,
        ),
        HirKind::Alternation(parts) => Hir::alternation(
            parts
                .iter()
                .map(|p| lower(p, folds))
                .collect::<Option<_>>()?,
        ),
    })
}

/// `None` if a class holds one case of an ASCII letter and not the other.
fn check_letters(has: impl Fn(u8) -> bool, folds: &mut bool) -> Option<()> {
    for upper in b'A'..=b'Z' {
        match (has(upper), has(upper.to_ascii_lowercase())) {
            (true, true) => *folds = true,
            (false, false) => {}
            _ => return None,
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the lowercase form, on lowercased text, answers as the pattern does.
    fn agrees(pattern: &str, text: &str) {
        let re = regex::bytes::Regex::new(pattern).unwrap();
        let folded = lowercase_form(pattern).expect("a lowercase form");
        let lowered = text.to_ascii_lowercase();
        assert_eq!(
            folded.find(lowered.as_bytes()).map(|m| m.range()),
            re.find(text.as_bytes()).map(|m| m.range()),
            "{pattern} on {text:?}"
        );
    }

    #[test]
    fn a_case_insensitive_pattern_matches_lowercased_text_where_it_matched_the_text() {
        let secret = r#"(?i-u)(?:pass|token|key)[a-z0-9_-]*["']?\s*[:=]\s*["']"#;
        for text in [
            "API_KEY = \"x\"",
            "ApiKey: 'x'",
            "PassWord=\"x\"",
            "tokenizer = Tokenizer()",
            "x = 'KEY'",
            "Größe_Key = \"x\"",
        ] {
            agrees(secret, text);
        }
        let bounded = r"(?i-u)\botp\b|\bpin\b|(?:auth|api)_?token";
        for text in [
            "OTP = 1",
            "spin = 2",
            "PIN",
            "pinned",
            "AuthToken",
            "api_TOKEN",
            "x",
        ] {
            agrees(bounded, text);
        }
        // Unicode classes and `\w` fold too (the Kelvin sign stays itself in both texts).
        agrees(r"(?i)secret\w*", "MY_SECRET_KEY = 1");
        agrees(r"(?i)k", "\u{212A}");
    }

    #[test]
    fn a_pattern_that_tells_cases_apart_has_no_lowercase_form() {
        // A literal letter, a class with one case only, a case-sensitive part of a pattern.
        for pattern in [
            r"eval\s*\(",
            r"[A-Z]{3}",
            r"(?i:token)|Bearer",
            r"(?i:key)[a-z]+",
        ] {
            assert!(lowercase_form(pattern).is_none(), "{pattern}");
        }
        // Nothing to gain: no letter at all.
        assert!(lowercase_form(r#"["'][0-9]+["']"#).is_none());
    }
}
