//! The literal prefixes of a prefilter regex, and the literals a condition regex's matches
//! hold. `build.rs` includes this file too: it works them out for the built-in pack's patterns
//! at build time, because parsing thirty detector regexes at start-up was a tenth of a
//! snippet's whole process (2.1M of 23.5M instructions).

use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// The literals every match of `pattern` starts with, of any length, if there are few.
pub fn literal_prefix_set(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::parse(pattern).ok()?;
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix).limit_total(64);
    let seq = extractor.extract(&hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// Most literals [`required_literals`] keeps: a longer list costs more to look for than the
/// regex it would rule out.
const MOST_REQUIRED: usize = 16;

/// Literals one of which every match of `pattern` contains, lowercased (ASCII) and
/// deduplicated: its literal prefixes, or else its literal suffixes. A text holding none of
/// them, compared without ASCII case, cannot match, so the regex need not be compiled or run.
pub fn required_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::parse(pattern).ok()?;
    let mut best: Option<Vec<Vec<u8>>> = None;
    for kind in [ExtractKind::Prefix, ExtractKind::Suffix] {
        let mut extractor = Extractor::new();
        extractor.kind(kind).limit_total(256);
        let seq = extractor.extract(&hir);
        let Some(literals) = seq.literals() else {
            continue;
        };
        let mut lowered: Vec<Vec<u8>> = literals
            .iter()
            .map(|l| l.as_bytes().to_ascii_lowercase())
            .collect();
        lowered.sort();
        lowered.dedup();
        // An empty literal: a match may hold none (`x?`, `^$|^none$`).
        if lowered.is_empty() || lowered.iter().any(Vec::is_empty) {
            continue;
        }
        // A text holding `.graph` holds `graph`: only the shortest forms need looking for.
        let all = lowered.clone();
        lowered.retain(|l| {
            !all.iter()
                .any(|other| other.len() < l.len() && l.windows(other.len()).any(|w| w == other))
        });
        if lowered.len() > MOST_REQUIRED {
            continue;
        }
        let shortest = |set: &[Vec<u8>]| set.iter().map(Vec::len).min().unwrap_or(0);
        if best
            .as_ref()
            .is_none_or(|b| shortest(&lowered) > shortest(b))
        {
            best = Some(lowered);
        }
    }
    best
}
