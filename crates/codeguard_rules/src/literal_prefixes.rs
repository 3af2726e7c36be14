//! The literal prefixes of a prefilter regex. `build.rs` includes this file too: it works
//! them out for the built-in pack's patterns at build time, because parsing thirty detector
//! regexes at start-up was a tenth of a snippet's whole process (2.1M of 23.5M instructions).

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
