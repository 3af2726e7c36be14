//! Parsing only the parts of a file that rules may match in.
//!
//! Parsing is most of a cold scan's time (tree-sitter reads Python at 6-7 MB/s per core
//! here), and a large file's rule tokens sit in a few of its functions. A file whose
//! language can outline its top-level statements without parsing ([`crate::syntax::Syntax::outline`]) is
//! parsed over some of them only (tree-sitter's included ranges keep every node at its place
//! in the file):
//! - every statement that is not a function or class definition (imports, module constants,
//!   `if __name__ == "__main__":`): the names they bind are what the analyses resolve;
//! - every definition holding a hit of an active rule's most selective prefilter group
//!   (names as whole words in code), or a suppression comment;
//! - every definition naming what those bind (`from torch import load as l` makes `l(...)`
//!   a load: the definitions that say `l` are kept);
//! - for the hits of rules that follow values between functions (data flows, CG-ML006's
//!   verified paths; [`reach`]), every definition calling a function of a definition
//!   holding one, and so on: a load's path may be verified by the function's callers, a
//!   value it returns may reach a sink there. Other rules' matches need no caller: what
//!   they resolve, they resolve from their own code down;
//! - every definition of a function the kept code calls, and so on: the flow analyses follow
//!   same-file helpers by their names (a helper that checks or cleans a value, or returns
//!   model output). Not the other callers of such a helper: one called everywhere would
//!   bring in the whole file;
//! - for rules asking whether a value is one the code itself defines (an `arg` condition
//!   trusting code-defined values; [`reach`]), every definition assigning an attribute kept
//!   code reads from its own object (`self.suffix`): the semantic model reads it through
//!   every assignment of the file. No other analysis reads attributes across methods.
//!
//! A top-level class is cut into pieces the same way (a large class is a file's worth of
//! methods: `Trainer`, a model's `PreTrainedModel`): each method is a definition, and the
//! header with the class-level statements is the class's frame, parsed with any kept method.
//!
//! What is left out holds no rule token and is not reachable by name from what is kept, so no
//! analysis could have looked at it. The scan checks the outcome: when the partial tree has a
//! syntax error (a misread outline), the file is parsed whole.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::ops::Range;

use codeguard_rules::Condition;
use codeguard_rules::plan::Hits;

use crate::syntax::{Outline, OutlineItem};

/// Files smaller than this are parsed whole: the outline would cost more than it saves (it
/// reads a byte some fifty times faster than tree-sitter parses one; 4 KB instead of 8 KB
/// parses 2% fewer bytes of the bench corpus).
pub const PARTIAL_PARSE_MIN_BYTES: usize = 4 * 1024;

/// The byte ranges of `source` to parse, or `None` to parse it whole (the ranges would cover
/// most of it). `hits` are the sorted offsets where active rules may match (see
/// [`codeguard_rules::plan::LangPlan::hit_offsets`]): the definitions holding `reaching` ones
/// come with what they reach by name, those holding `flowing` ones with their callers too,
/// those holding `local` ones alone.
pub(crate) fn ranges(outline: &Outline, source: &[u8], hits: &Hits) -> Option<Vec<Range<usize>>> {
    let items = &outline.items;
    if items.len() < 2 {
        return None;
    }
    let keep = kept(outline, source, hits);
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (item, _) in items.iter().zip(&keep).filter(|(_, k)| **k) {
        match ranges.last_mut() {
            Some(last) if last.end == item.range.start => last.end = item.range.end,
            _ => ranges.push(item.range.clone()),
        }
    }
    let kept_bytes: usize = ranges.iter().map(|r| r.len()).sum();
    // Parsing pieces costs as much as parsing the file when they are nearly all of it (under
    // 95% they are cheaper: 80% left 1.6% more instructions on transformers' large modules).
    (kept_bytes * 20 < source.len() * 19).then_some(ranges)
}

/// Whether `text` holds a word of a suppression comment: the code around it is parsed, so
/// that an unused suppression is still reported and a file-wide one still read.
fn holds_suppression_marker(text: &[u8]) -> bool {
    crate::suppress::MARKER_WORDS
        .iter()
        .any(|m| memchr::memmem::find(text, m.as_bytes()).is_some())
}

/// Whether a file needs no parse at all: no active rule has a hit in its code (their names
/// are in comments and docstrings only), and no suppression comment may go unused.
pub(crate) fn nothing_to_parse(hits: &Hits, source: &[u8]) -> bool {
    hits.reaching.is_empty()
        && hits.flowing.is_empty()
        && hits.local.is_empty()
        && !holds_suppression_marker(source)
}

/// Where `names` are said in the code of `source` (whole words, not in comments or strings).
pub(crate) fn code_words<'n>(
    source: &[u8],
    outline: &Outline,
    names: impl Iterator<Item = &'n str>,
) -> Vec<usize> {
    let names: HashSet<&[u8]> = names.map(str::as_bytes).collect();
    words(source)
        .filter(|(w, _)| names.contains(w))
        .map(|(w, _)| w.as_ptr() as usize - source.as_ptr() as usize)
        .filter(|at| in_code(&outline.not_code, *at))
        .collect()
}

/// The distinct words of code (not comments or strings) outside the parsed `ranges` that
/// may start a callee (a `(` or a `.` follows them).
pub(crate) fn unparsed_words<'s>(
    ranges: &[Range<usize>],
    outline: &Outline,
    source: &'s [u8],
) -> Vec<&'s str> {
    let mut gaps = Vec::with_capacity(ranges.len() + 1);
    let mut at = 0;
    for r in ranges {
        gaps.push(at..r.start);
        at = r.end;
    }
    gaps.push(at..source.len());
    let mut found: HashSet<&[u8]> = HashSet::new();
    for gap in gaps {
        let text = &source[gap.clone()];
        found.extend(
            words(text)
                .filter(|(_, next)| matches!(next, Some(b'(' | b'.')))
                .filter(|(w, _)| {
                    let at = gap.start + (w.as_ptr() as usize - text.as_ptr() as usize);
                    in_code(&outline.not_code, at)
                })
                .map(|(w, _)| w),
        );
    }
    found
        .into_iter()
        .filter_map(|w| std::str::from_utf8(w).ok())
        .collect()
}

/// The byte ranges of `source` to parse for summarising its functions `names` (see
/// [`crate::project_flow`]): what defines them, and what that needs.
pub(crate) fn ranges_of_functions(
    lang: codeguard_language::Lang,
    source: &[u8],
    names: &HashSet<String>,
    attributes: bool,
) -> Option<Vec<Range<usize>>> {
    let outline = crate::syntax::of(lang).outline(source)?;
    let hits: Vec<usize> = outline
        .items
        .iter()
        .flat_map(|item| &item.names)
        .filter(|n| {
            std::str::from_utf8(&source[(*n).clone()]).is_ok_and(|name| names.contains(name))
        })
        .map(|n| n.start)
        .collect();
    // A summary is of the function and what it calls, not of its callers (and the
    // attributes it reads, for `attributes`: see [`Reach::Attributes`]).
    let hits = Hits {
        reaching: hits,
        attributes,
        ..Hits::default()
    };
    ranges(&outline, source, &hits)
}

/// How much of a file a match of `matcher` may need besides the definition it is in (with
/// the module's statements and its class's frame, always parsed): nothing, for conditions
/// on its own text and its function's; what its code reaches by name, for calls and
/// receivers resolved through other code; the callers of its function too, for a data flow,
/// for an argument the code itself may define (a private helper's parameter is what its
/// callers pass) and for the checks written in Rust that follow values through the file
/// (CG-ML006 asks the callers whether they verified a path).
pub(crate) fn reach(matcher: &codeguard_rules::Matcher) -> codeguard_rules::plan::Reach {
    use codeguard_rules::plan::Reach;
    // An argument the code itself defines may be a private helper's parameter, which
    // carries what the file's calls of the helper pass (see `semantic::code_defined`).
    fn asks_callers(condition: &Condition) -> bool {
        match condition {
            Condition::Arg(test) => test.trust_code_defined,
            Condition::Not(inner) => asks_callers(inner),
            Condition::Any(all) | Condition::All(all) => all.iter().any(asks_callers),
            _ => false,
        }
    }
    // A flow's own conditions (where its sources and sinks are) are asked the same way.
    let flow_conditions = matcher.taint.iter().flat_map(|t| {
        t.sources
            .iter()
            .chain(&t.sanitizers)
            .chain(&t.propagators)
            .flat_map(|e| &e.conditions)
            .chain(t.sinks.iter().flat_map(|s| &s.conditions))
    });
    if needs_only_its_definition(matcher) {
        Reach::Local
    } else if matcher
        .conditions
        .iter()
        .chain(flow_conditions)
        .any(asks_callers)
    {
        Reach::Attributes
    } else if matcher.taint.is_some() || matcher.builtin.is_some() {
        Reach::Flowing
    } else {
        Reach::Reaching
    }
}

/// Whether a match of `matcher` needs only the definition it is in (with the module's
/// statements and its class's frame, always parsed): no flow, no call or receiver resolved
/// through other code, only conditions on its own text and its function's.
fn needs_only_its_definition(matcher: &codeguard_rules::Matcher) -> bool {
    fn local(condition: &Condition) -> bool {
        match condition {
            Condition::Text { .. }
            | Condition::String(_)
            | Condition::InsideFunction(_)
            | Condition::WrittenHere(_)
            | Condition::ProjectFact(_)
            | Condition::Context(_)
            | Condition::CheckedBefore(_)
            | Condition::CheckedAfter(_) => true,
            Condition::Not(inner) => local(inner),
            Condition::Any(all) | Condition::All(all) => all.iter().all(local),
            Condition::Calls { .. }
            | Condition::Method(_)
            | Condition::Receiver(_)
            | Condition::ReceiverBound(_)
            | Condition::Keyword(_)
            | Condition::Arg(_) => false,
        }
    }
    matcher.taint.is_none()
        && matcher
            .builtin
            .as_deref()
            .is_none_or(crate::builtin::needs_only_its_definition)
        && matcher.conditions.iter().all(local)
}

/// Whether `offset` is in code: not in one of the sorted `not_code` ranges.
pub(crate) fn in_code(not_code: &[Range<usize>], offset: usize) -> bool {
    let after = not_code.partition_point(|r| r.start <= offset);
    after == 0 || not_code[after - 1].end <= offset
}

impl codeguard_rules::plan::CodeSpans for Outline {
    fn in_code(&self, offset: usize) -> bool {
        in_code(&self.not_code, offset)
    }

    fn opens_string(&self, offset: usize) -> bool {
        // A literal's range starts at its quote; an f-string's text ranges start past it, so
        // its quote opens a string of the code too.
        let after = self.not_code.partition_point(|r| r.start <= offset);
        after == 0
            || self.not_code[after - 1].start == offset
            || self.not_code[after - 1].end <= offset
    }
}

/// Which items to parse (see the module's documentation).
fn kept(outline: &Outline, source: &[u8], all_hits: &Hits) -> Vec<bool> {
    let items = &outline.items;
    let holds = |hits: &[usize], range: &Range<usize>| {
        let first = hits.partition_point(|h| *h < range.start);
        hits.get(first).is_some_and(|h| *h < range.end)
    };
    let holds_hit =
        |range: &Range<usize>| holds(&all_hits.reaching, range) || holds(&all_hits.flowing, range);
    // A hit in a class's frame (its bases, decorators, class-level statements) may make any
    // of its methods a match (`class Search(Tool)`: the tool's parameters are the model's).
    let hit_classes: HashSet<usize> = items
        .iter()
        .filter(|item| item.frame && holds_hit(&item.range))
        .filter_map(|item| item.class)
        .collect();
    let mut keep: Vec<bool> = items
        .iter()
        .map(|item| {
            !item.definition
                || holds_hit(&item.range)
                || item.class.is_some_and(|c| hit_classes.contains(&c))
        })
        .collect();
    // Whether a definition is kept for more than hits of rules that look no further up
    // than their own code: its callers are then kept too (below).
    let mut flows: Vec<bool> = items
        .iter()
        .map(|item| {
            item.definition
                && (holds(&all_hits.flowing, &item.range)
                    || item.class.is_some_and(|c| hit_classes.contains(&c)))
        })
        .collect();

    // Names bound by module-level statements holding hits, or naming what those bind
    // (`api = FastAPI()` after `from fastapi import FastAPI`), and the definitions that use
    // them (`@api.get(..)`).
    let mut bound: HashSet<&[u8]> = HashSet::new();
    let mut binding: Vec<&OutlineItem> = items
        .iter()
        .filter(|item| !item.definition && !item.names.is_empty())
        .collect();
    let mut grew = true;
    while grew {
        grew = false;
        binding.retain(|item| {
            let binds = holds_hit(&item.range)
                || words(&source[item.range.clone()]).any(|(w, _)| bound.contains(w));
            if binds {
                bound.extend(item.names.iter().map(|n| &source[n.clone()]));
                grew = true;
            }
            !binds
        });
    }
    if !bound.is_empty() {
        let says_bound = WordSearch::new(&bound);
        for (k, item) in items.iter().enumerate().filter(|(_, i)| i.definition) {
            if !flows[k] && says_bound.in_text(&source[item.range.clone()]) {
                (keep[k], flows[k]) = (true, true);
            }
        }
    }
    // A piece of a class is parsed inside its class: with the header and class-level
    // statements (the frame), which any piece kept keeps.
    let mut frames: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, item) in items.iter().enumerate() {
        if let (Some(header), true) = (item.class, item.frame) {
            frames.entry(header).or_default().push(k);
        }
    }
    let with_frame = |k: usize| {
        items[k]
            .class
            .and_then(|header| frames.get(&header))
            .into_iter()
            .flatten()
            .copied()
            .chain(std::iter::once(k))
    };
    // Definitions holding hits (or saying what hits bind) are where rules may match; the
    // callers of each, and theirs, may hold the rest of a flow through them (a value it
    // returns, a load's path its caller verified). Indexed once: who calls each name.
    let special = |name: &[u8]| name.len() > 4 && name.starts_with(b"__") && name.ends_with(b"__");
    // Each item's text is read for its calls once: the two closures below both need them.
    let item_calls: Vec<Vec<&[u8]>> = items
        .iter()
        .map(|item| calls(item, source).collect())
        .collect();
    let mut callers: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (k, _) in items.iter().enumerate().filter(|(_, i)| i.definition) {
        for name in &item_calls[k] {
            callers.entry(*name).or_default().push(k);
        }
    }
    let mut defined: HashSet<&[u8]> = HashSet::new();
    let mut work: Vec<usize> = (0..items.len()).filter(|&k| flows[k]).collect();
    while let Some(k) = work.pop() {
        for name in items[k].names.iter().map(|n| &source[n.clone()]) {
            if !special(name) && defined.insert(name) {
                for &caller in callers.get(name).into_iter().flatten() {
                    // Kept already for a rule that looks no further up, it is followed
                    // up now.
                    if !flows[caller] {
                        (keep[caller], flows[caller]) = (true, true);
                        work.push(caller);
                    }
                }
            }
        }
    }
    for (item, keep) in items.iter().zip(keep.iter_mut()) {
        *keep |= holds_suppression_marker(&source[item.range.clone()]);
    }
    let initially: Vec<usize> = (0..items.len()).filter(|k| keep[*k]).collect();
    for k in initially {
        for piece in with_frame(k) {
            keep[piece] = true;
        }
    }

    // Then what kept code reaches: the definition of each name it calls, followed by its
    // last name to the file's last function of that name (the analyses know no other), and,
    // for a rule asking whether values are code-defined, the definitions assigning an
    // attribute it reads from its own object (`self.suffix`: the semantic model reads it
    // through every assignment of the file); special names
    // (`__init__`) link nothing: every class has them. Not the other callers of what is
    // reached: a helper called everywhere would bring in the whole file.
    let mut last_definition: HashMap<&[u8], usize> = HashMap::new();
    let mut assigners: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (k, item) in items.iter().enumerate().filter(|(_, i)| i.definition) {
        for name in &item.names {
            last_definition.insert(&source[name.clone()], k);
        }
        for a in &item.attributes {
            assigners.entry(&source[a.clone()]).or_default().push(k);
        }
    }
    let mut read: HashSet<&[u8]> = HashSet::new();
    let mut called: HashSet<&[u8]> = HashSet::new();
    let mut work: Vec<usize> = (0..items.len()).filter(|k| keep[*k]).collect();
    let mut reached: Vec<usize> = Vec::new();
    while let Some(k) = work.pop() {
        if all_hits.attributes {
            for attribute in (outline.attribute_reads)(&source[items[k].range.clone()]) {
                if read.insert(attribute) {
                    reached.extend(assigners.get(attribute).into_iter().flatten());
                }
            }
        }
        for &name in &item_calls[k] {
            if !special(name) && called.insert(name) {
                reached.extend(last_definition.get(name));
            }
        }
        for d in reached.drain(..) {
            for piece in with_frame(d) {
                if !keep[piece] {
                    keep[piece] = true;
                    work.push(piece);
                }
            }
        }
    }
    // Definitions holding hits of rules that look no further: alone, with their frame.
    for k in 0..items.len() {
        if !keep[k] && holds(&all_hits.local, &items[k].range) {
            for piece in with_frame(k) {
                keep[piece] = true;
            }
        }
    }
    keep
}

/// The names `item` calls, as far as text can tell: words followed by `(`, but for the
/// names its definitions define (`def name(`).
fn calls<'s>(item: &'s OutlineItem, source: &'s [u8]) -> impl Iterator<Item = &'s [u8]> {
    // From each `(` back to the word before it (past spaces): the words `words` would
    // give with a `(` next, found without reading every byte.
    let text = &source[item.range.clone()];
    memchr::memchr_iter(b'(', text).filter_map(move |paren| {
        let end = paren
            - text[..paren]
                .iter()
                .rev()
                .take_while(|b| matches!(b, b' ' | b'\t'))
                .count();
        let start = end
            - text[..end]
                .iter()
                .rev()
                .take_while(|b| word_byte(**b))
                .count();
        let at = item.range.start + start;
        (start < end && !item.names.iter().any(|n| n.start == at)).then_some(&text[start..end])
    })
}

/// Whether a text says one of a set of names as a whole word (as [`words`] splits it). A few
/// names are searched for with `memmem` and their ends checked, instead of splitting every
/// definition of the file into words and looking each up (1.5% of a cold scan).
struct WordSearch<'n> {
    finders: Option<Vec<memchr::memmem::Finder<'n>>>,
    names: &'n HashSet<&'n [u8]>,
}

impl<'n> WordSearch<'n> {
    fn new(names: &'n HashSet<&'n [u8]>) -> Self {
        let searchable = names.len() <= 16
            && names
                .iter()
                .all(|n| !n.is_empty() && n.iter().all(|b| word_byte(*b)));
        Self {
            finders: searchable.then(|| {
                names
                    .iter()
                    .map(|n| memchr::memmem::Finder::new(*n))
                    .collect()
            }),
            names,
        }
    }

    fn in_text(&self, text: &[u8]) -> bool {
        let Some(finders) = &self.finders else {
            return words(text).any(|(w, _)| self.names.contains(w));
        };
        finders.iter().any(|finder| {
            let len = finder.needle().len();
            finder.find_iter(text).any(|at| {
                (at == 0 || !word_byte(text[at - 1]))
                    && text.get(at + len).is_none_or(|b| !word_byte(*b))
            })
        })
    }
}

/// Whether `b` is part of a word (a name or keyword; any non-ASCII byte counts).
fn word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The words of `text` (names, keywords, words in strings and comments alike), each with the
/// byte after it and the spaces that follow (`(`: a call, as far as text can tell).
fn words(text: &[u8]) -> impl Iterator<Item = (&[u8], Option<u8>)> {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < text.len() && !word_byte(text[i]) {
            i += 1;
        }
        if i >= text.len() {
            return None;
        }
        let start = i;
        while i < text.len() && word_byte(text[i]) {
            i += 1;
        }
        let word = &text[start..i];
        let mut next = i;
        while matches!(text.get(next), Some(b' ' | b'\t')) {
            next += 1;
        }
        Some((word, text.get(next).copied()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use codeguard_language::Lang;

    fn outline(source: &str) -> Outline {
        crate::syntax::of(Lang::Python)
            .outline(source.as_bytes())
            .expect("Python has an outline")
    }

    /// The first lines of the items kept for hits at the first occurrence of each word, hits
    /// of a rule that follows values through callers.
    fn kept_heads(source: &str, hit_words: &[&str]) -> Vec<String> {
        kept_heads_of(source, hit_words, codeguard_rules::plan::Reach::Flowing)
    }

    fn kept_heads_of(
        source: &str,
        hit_words: &[&str],
        reach: codeguard_rules::plan::Reach,
    ) -> Vec<String> {
        use codeguard_rules::plan::Reach;
        let outline = outline(source);
        let offsets: Vec<usize> = hit_words
            .iter()
            .map(|w| source.find(w).expect("hit word in source"))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut hits = Hits::default();
        match reach {
            Reach::Local => hits.local = offsets,
            Reach::Reaching => hits.reaching = offsets,
            Reach::Flowing => hits.flowing = offsets,
            Reach::Attributes => (hits.flowing, hits.attributes) = (offsets, true),
        }
        let keep = kept(&outline, source.as_bytes(), &hits);
        outline
            .items
            .iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(item, _)| {
                source[item.range.clone()]
                    .lines()
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn outline_splits_top_level_statements_and_class_bodies() {
        let source = r#"import os
@decorator(
    x=1,
)
def first(a,
b):
    s = """
def not_a_statement():
"""
    return \
os

class Second:
    def method(self):
        pass
# a comment at the first column inside nothing
if x:
    pass
else:
    pass
try:
    import y as z
except ImportError:
    z = None
VALUE: int = f"{os.sep}" + 'plain'
"#;
        let outline = outline(source);
        let heads: Vec<(&str, bool, Vec<&str>)> = outline
            .items
            .iter()
            .map(|item| {
                (
                    source[item.range.clone()].lines().next().unwrap(),
                    item.definition,
                    item.names.iter().map(|n| &source[n.clone()]).collect(),
                )
            })
            .collect();
        assert_eq!(
            heads,
            vec![
                ("import os", false, vec!["os"]),
                ("@decorator(", true, vec!["first"]),
                ("class Second:", true, vec![]),
                ("    def method(self):", true, vec!["method"]),
                ("if x:", false, vec![]),
                ("try:", false, vec!["z"]),
                ("VALUE: int = f\"{os.sep}\" + 'plain'", false, vec!["VALUE"]),
            ]
        );
        // Items cover the file, in order.
        assert_eq!(outline.items[0].range.start, 0);
        assert_eq!(outline.items.last().unwrap().range.end, source.len());
        assert!(
            outline
                .items
                .windows(2)
                .all(|w| w[0].range.end == w[1].range.start)
        );
        // Comments and plain strings are not code; an f-string's fields are.
        let at = |needle: &str| source.find(needle).unwrap();
        assert!(!in_code(&outline.not_code, at("not_a_statement")));
        assert!(!in_code(&outline.not_code, at("a comment at")));
        assert!(!in_code(&outline.not_code, at("plain")));
        assert!(in_code(&outline.not_code, at("os.sep")));
        assert!(in_code(&outline.not_code, at("return")));
    }

    #[test]
    fn a_function_is_defined_only_by_def_and_its_name_as_a_word() {
        let python = crate::syntax::of(Lang::Python);
        let source = b"class Runner:\n    async def  run (self): ...\ndef rerun(x): ...\nload = torch.load\ndef \\\n    later(y): ...\n";
        assert!(python.may_define_function(source, "run"));
        assert!(python.may_define_function(source, "rerun"));
        // A `def` line continued after a backslash.
        assert!(python.may_define_function(source, "later"));
        // A class, an assignment, a longer name holding the name, a name never said.
        for name in ["Runner", "load", "rer", "un", "missing"] {
            assert!(!python.may_define_function(source, name), "{name}");
        }
    }

    #[test]
    fn strings_end_at_their_quote_past_escapes_and_other_quotes() {
        // The outline jumps from stop byte to stop byte: each string must still end where
        // Python ends it.
        let source = concat!(
            r#"a = 'it\'s' + "say \"hi\"" # one"#,
            "\n",
            r#"b = '''x ' """ '' y''' + 'open"#,
            "\n",
            "def f(  ):\n    return g  (1) + h\t(2) + [k](3)\n",
            r#"c = "never closed"#,
        );
        let outline = outline(source);
        let spans: Vec<&str> = outline
            .not_code
            .iter()
            .map(|r| &source[r.clone()])
            .collect();
        assert_eq!(
            spans,
            [
                r#"'it\'s'"#,
                r#""say \"hi\"""#,
                "# one",
                r#"'''x ' """ '' y'''"#,
            ]
        );
        // An unterminated one-line string ends with its line, the next line is code.
        assert!(in_code(&outline.not_code, source.find("def f").unwrap()));
        let function = outline.items.iter().find(|i| i.definition).unwrap();
        let called: Vec<&[u8]> = calls(function, source.as_bytes()).collect();
        assert_eq!(called, [&b"g"[..], b"h"]);
    }

    #[test]
    fn an_f_strings_text_is_not_code_and_its_fields_are() {
        let source = concat!(
            r#"a = f"the pipeline {run(x)} failed {{not_a_field}} {d[k]:{width}} end""#,
            "\n",
            r#"b = f'''load {'nested'} weights'''"#,
            "\n",
            // Braces that do not balance (a field the outline misreads): all of it is code.
            r#"c = f"open {brace" + f"close }""#,
            "\n",
        );
        let outline = outline(source);
        let at = |needle: &str| source.find(needle).unwrap();
        for text in [
            "pipeline",
            "failed",
            "not_a_field",
            "end",
            "load",
            "weights",
        ] {
            assert!(!in_code(&outline.not_code, at(text)), "{text}");
        }
        for code in ["run(x)", "d[k]", "width", "nested", "brace", "close"] {
            assert!(in_code(&outline.not_code, at(code)), "{code}");
        }
        // The quote still opens a string of the code.
        use codeguard_rules::plan::CodeSpans;
        assert!(outline.opens_string(at("\"the")));
        assert!(outline.opens_string(at("'''load")));
    }

    /// The `memmem` search for bound names finds a name exactly where splitting the text into
    /// words does: at either end, not inside a longer word (letters, digits, `_`, non-ASCII).
    #[test]
    fn bound_names_are_found_as_the_words_split_finds_them() {
        let texts = [
            "api",
            "api.get(x)",
            "xapi = 1",
            "api_key",
            "_api",
            "api2",
            "éapi",
            "apié",
            "(api)",
            "  api\n",
            "def f():\n    return api",
            "apapi api",
            "",
            "a p i",
        ];
        let few: HashSet<&[u8]> = [&b"api"[..], b"load", b"x"].into_iter().collect();
        let many: HashSet<&[u8]> = (0..20)
            .map(|i| format!("n{i}"))
            .map(|n| &*Box::leak(n.into_bytes().into_boxed_slice()))
            .chain([&b"api"[..]])
            .collect();
        for names in [&few, &many] {
            let search = WordSearch::new(names);
            assert_eq!(search.finders.is_some(), names.len() <= 16);
            for text in texts {
                let split = words(text.as_bytes()).any(|(w, _)| names.contains(w));
                assert_eq!(search.in_text(text.as_bytes()), split, "{text:?}");
            }
        }
    }

    /// Only matches asking whether a value is code-defined read attributes through other
    /// methods, whether they ask in their own conditions or in a flow's sink.
    #[test]
    fn attribute_assignments_are_reached_only_for_code_defined_values() {
        use codeguard_rules::plan::Reach;
        const DOCS: &str = "## What it does\nx\n## Why is this bad?\nx\n## Example\nx\n## Use instead\nx\n## References\nx\n";
        let reach_of = |sink_condition: &str| {
            let text = format!(
                "rules:\n  - id: ACME-1\n    name: acme-sql\n    message: \"{{source}} reaches {{sink}}\"\n    severity: high\n    \
                 matchers:\n      - language: python\n        query: \"(module) @finding\"\n        taint:\n          \
                 sources:\n            - label: an answer\n              where: [{{calls: [acme.llm.ask]}}]\n          \
                 sinks:\n            - label: a query\n              where: [{{calls: [acme.db.run]}}{sink_condition}]\n              args: [0]\n"
            );
            let rules = codeguard_rules::parse_rule_file(
                &text,
                std::path::Path::new("acme.yaml"),
                "acme",
                false,
                Some(DOCS),
            )
            .unwrap_or_else(|e| panic!("{e}"));
            reach(&rules[0].matchers[0])
        };
        assert_eq!(reach_of(""), Reach::Flowing);
        assert_eq!(
            reach_of(", {arg: {index: 0, dynamic-string: true, trust-code-defined: true}}"),
            Reach::Attributes
        );
        // The built-in rule on SQL assembled from strings asks in its own conditions.
        let rules = codeguard_rules::builtin_rules().unwrap();
        let sql = rules.iter().find(|r| r.id == "CG-CORE006").unwrap();
        assert!(sql.matchers.iter().any(|m| reach(m) == Reach::Attributes));
    }

    #[test]
    fn a_rule_that_looks_no_further_up_keeps_what_its_code_calls_not_its_callers() {
        let source = "\
import torch

def helper(p):
    return p.strip()

def loads(path):
    return torch.load(helper(path))

def caller():
    return loads(\"model.pt\")

def unrelated():
    return 1
";
        use codeguard_rules::plan::Reach;
        let heads = |reach| kept_heads_of(source, &["torch.load"], reach);
        assert_eq!(
            heads(Reach::Reaching),
            ["import torch", "def helper(p):", "def loads(path):"]
        );
        // A flow (or a load's verified path) may come from the caller.
        assert_eq!(
            heads(Reach::Flowing),
            [
                "import torch",
                "def helper(p):",
                "def loads(path):",
                "def caller():"
            ]
        );
        assert_eq!(heads(Reach::Local), ["import torch", "def loads(path):"]);
    }

    #[test]
    fn keeps_what_holds_hits_and_what_it_reaches_by_name() {
        let source = "\
from torch import load as restore
from fastapi import FastAPI
api = FastAPI()

def unrelated():
    return 1

def helper(p):
    return p.strip()

def duplicate():
    return 0

def duplicate():
    return 2

def reads(path):
    return fastapi_thing(helper(path), duplicate())

def aliased(path):
    return restore(path)

@api.get(\"/x\")
def endpoint(q):
    return q

def caller():
    return reads(\"model.pt\")
";
        let heads = kept_heads(source, &["torch", "fastapi", "fastapi_thing"]);
        assert_eq!(
            heads,
            vec![
                "from torch import load as restore",
                "from fastapi import FastAPI",
                "api = FastAPI()",
                // Called by a kept function.
                "def helper(p):",
                // The last `duplicate` is the one the analyses follow.
                "def duplicate():",
                "def reads(path):",
                // Says `restore`, which the import holding the hit binds.
                "def aliased(path):",
                // Says `api`, bound from `FastAPI`, which the hit's import binds.
                "@api.get(\"/x\")",
                // Calls a kept function (a load's path may be checked by its callers).
                "def caller():",
            ]
        );
        let kept_duplicate = source.rfind("def duplicate").unwrap();
        let outline = outline(source);
        assert!(
            outline
                .items
                .iter()
                .any(|i| i.range.start == kept_duplicate)
        );
    }

    #[test]
    fn keeps_what_assigns_the_attributes_kept_code_reads() {
        let source = "\
class Settings:
    def configure(self):
        self.suffix = input()

class Other:
    limit = 3
    def configure(self):
        self.prefix = input()

class Query:
    def run(self, db):
        return db.execute(\"SELECT \" + self.suffix + str(self.limit))
";
        let attributes = |source: &str| {
            kept_heads_of(
                source,
                &["execute"],
                codeguard_rules::plan::Reach::Attributes,
            )
        };
        // Other's `configure` assigns nothing read: its class's frame holds `limit`.
        assert_eq!(
            attributes(source),
            vec![
                "class Settings:",
                "    def configure(self):",
                "class Other:",
                "class Query:",
                "    def run(self, db):"
            ]
        );
        assert_eq!(
            attributes(&source.replace("self.limit", "limit")),
            vec![
                "class Settings:",
                "    def configure(self):",
                "class Query:",
                "    def run(self, db):"
            ]
        );
        // A rule that does not ask whether values are code-defined reads no attribute
        // through other methods: only the method and its class's frame.
        assert_eq!(
            kept_heads(source, &["execute"]),
            vec!["class Query:", "    def run(self, db):"]
        );
    }

    #[test]
    fn a_class_body_is_cut_into_its_frame_and_its_methods() {
        let source = r#"@dataclass
class Big(Base):
    """Doc.

def not_a_method():
"""
    limit = 3

    @property
    @cached
    def first(self):
        def inner():
            pass

    kind = "x"
    if TYPE_CHECKING:
        other = 1
    else:
        other = 2
    async def second(self):
        pass
    class Meta:
        def nested(self):
            pass
def after():
    pass
"#;
        let outline = outline(source);
        let pieces: Vec<(&str, Option<usize>, bool, Vec<&str>)> = outline
            .items
            .iter()
            .map(|item| {
                (
                    source[item.range.clone()].lines().next().unwrap(),
                    item.class,
                    item.frame,
                    item.names.iter().map(|n| &source[n.clone()]).collect(),
                )
            })
            .collect();
        assert_eq!(
            pieces,
            vec![
                ("@dataclass", Some(0), true, vec![]),
                ("    @property", Some(0), false, vec!["first", "inner"]),
                ("    kind = \"x\"", Some(0), true, vec![]),
                (
                    "    async def second(self):",
                    Some(0),
                    false,
                    vec!["second"]
                ),
                ("    class Meta:", Some(0), false, vec!["nested"]),
                ("def after():", None, false, vec!["after"]),
            ]
        );
    }

    #[test]
    fn a_method_is_kept_with_its_class_frame_only() {
        let source = "\
class Loader:
    path = 'm.pt'

    def load(self):
        return torch.load(self.path)

    def unrelated(self):
        return 1

    def other(self):
        return 2
";
        assert_eq!(
            kept_heads(source, &["torch"]),
            vec!["class Loader:", "    def load(self):"]
        );
        // A method the kept one calls comes along.
        let calling = source
            .replace(
                "return 1",
                "return 1\n\n    def helper(self):\n        pass",
            )
            .replace("torch.load(self.path)", "torch.load(self.helper())");
        assert_eq!(
            kept_heads(&calling, &["torch"]),
            vec![
                "class Loader:",
                "    def load(self):",
                "    def helper(self):"
            ]
        );
    }

    #[test]
    fn the_other_callers_of_a_reached_helper_stay_out() {
        let source = "\
def helper(x):
    return x

def loads(path):
    return torch.load(helper(path))

def unrelated_a():
    return helper(1)

def unrelated_b():
    return helper(2)

def calls_loads():
    return loads(\"m.pt\")
";
        assert_eq!(
            kept_heads(source, &["torch"]),
            vec!["def helper(x):", "def loads(path):", "def calls_loads():"]
        );
    }

    #[test]
    fn a_hit_in_a_class_frame_keeps_its_methods() {
        let source = "\
class Search(Tool):
    def forward(self, url):
        return fetch(url)

    def other(self):
        return 2

def unrelated():
    return 1
";
        assert_eq!(
            kept_heads(source, &["(Tool)"]),
            vec![
                "class Search(Tool):",
                "    def forward(self, url):",
                "    def other(self):"
            ]
        );
    }

    #[test]
    fn a_local_hit_keeps_its_definition_alone() {
        let mut source = String::from(
            "\
def helper():
    return 1

class Settings:
    mode = 'x'

    def configure(self):
        self.password = 'hunter2'
        return helper()

def caller():
    return Settings().configure()
",
        );
        for i in 0..20 {
            source.push_str(&format!("\ndef other{i}():\n    return {i}\n"));
        }
        let at = |w: &str| source.find(w).unwrap();
        let hits = Hits {
            local: vec![at("password")],
            ..Hits::default()
        };
        let parts = ranges(&outline(&source), source.as_bytes(), &hits).unwrap();
        // The class's frame and the method, not the helper it calls nor its callers.
        assert_eq!(parts, vec![at("class Settings")..at("def caller")]);
        let hits = Hits {
            flowing: hits.local,
            ..Hits::default()
        };
        let parts = ranges(&outline(&source), source.as_bytes(), &hits).unwrap();
        assert_eq!(parts, vec![0..at("\ndef other0") + 1]);
    }

    #[test]
    fn parts_are_parsed_only_when_they_are_a_small_share() {
        let mut source = String::from("import os\n\ndef uses():\n    return os.system('x')\n");
        let hits = Hits {
            reaching: vec![source.find("system").unwrap()],
            ..Hits::default()
        };
        // Everything is kept: parse whole.
        assert!(ranges(&outline(&source), source.as_bytes(), &hits).is_none());
        for i in 0..20 {
            source.push_str(&format!("\ndef other{i}():\n    return {i}\n"));
        }
        let parts = ranges(&outline(&source), source.as_bytes(), &hits).unwrap();
        assert_eq!(parts, vec![0..source.find("\ndef other0").unwrap() + 1]);
    }
}
