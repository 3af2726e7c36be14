//! One combined tree-sitter query per language, so every rule runs in one pass over a tree.

use foldhash::{HashMap, HashMapExt};
use std::sync::{Mutex, OnceLock};

use aho_corasick::AhoCorasick;
use codeguard_language::Lang;
use tree_sitter::Query;

use crate::compile::{MatcherKind, PrefilterPattern, Rule};
use crate::error::RuleError;
use crate::literal_prefixes::literal_prefix_set;

/// Points at one matcher of one rule in a [`crate::RuleSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatcherRef {
    pub rule: usize,
    pub matcher: usize,
    /// Position of this matcher among the language's matchers (for per-file activity masks).
    pub slot: usize,
}

/// Everything needed to scan one language.
#[derive(Debug)]
pub struct LangPlan {
    pub lang: Lang,
    /// The combined query of the structural patterns; `None` when there are none.
    pub query: Option<CombinedQuery>,
    /// Matchers whose query is only node kinds (`(call) @finding`, `[(string) (comment)]
    /// @finding`), indexed by node kind id: run by one tree walk instead of a query, because
    /// compiling even a trivial tree-sitter query costs 1.5-2.5 ms per language, which
    /// dominates a snippet scan.
    pub kind_dispatch: Vec<Vec<MatcherRef>>,
    /// All matchers of the language, indexed by slot.
    pub matchers: Vec<MatcherRef>,
    /// Literal tokens searched in the raw bytes of a file, built for the first file too large
    /// to search token by token (a millisecond to build: a snippet does without).
    prefilter: OnceLock<Option<AhoCorasick>>,
    /// The same tokens as a DFA, built once many files have been checked: several times
    /// faster to search, but a millisecond to build, which a one-snippet scan should not pay.
    prefilter_dfa: OnceLock<Option<AhoCorasick>>,
    literals: Vec<Vec<u8>>,
    /// For each literal, the (slot, group) pairs for which it is a name (of a called function
    /// or method; not an author's literal or a regex's prefix): for them it locates code only
    /// where it stands as a whole word in code (`post` of `requests.post`, not of
    /// `postprocess` or of a docstring).
    name_targets: Vec<Vec<(usize, u32)>>,
    /// Literal indexes by their first two bytes, for searching a snippet without an automaton.
    by_first_bytes: PairIndex,
    checked: std::sync::atomic::AtomicUsize,
    /// Bytes searched so far (see [`LangPlan::satisfied_groups`]).
    searched: std::sync::atomic::AtomicUsize,
    /// For each literal, the (slot, group) pairs it satisfies.
    pub prefilter_slots: Vec<Vec<(usize, u32)>>,
    /// Prefilter regexes without a usable literal prefix, compiled on first use.
    pub prefilter_regexes: Option<LazyBytesSet>,
    /// For each prefilter regex, the (slot, group) pairs it satisfies.
    pub regex_slots: Vec<Vec<(usize, u32)>>,
    /// For each slot, the mask of groups that must all be satisfied (0 = no prefilter).
    pub group_masks: Vec<u64>,
    /// Slots that run on every file.
    pub unfiltered_slots: Vec<usize>,
    /// Tells this plan's [`PrefilterMemo`]s from another's (a reload builds new plans).
    id: u64,
    /// The longest literal's length.
    longest_literal: usize,
}

/// Where a document's last prefilter pass found its literals and regexes, so that the pass
/// over its next version searches only around the edit (see
/// [`LangPlan::satisfied_groups_after`]): a language server re-scans a 5,000-line module
/// at every keystroke, and searching all of it was an eighth of each re-scan.
#[derive(Debug, Clone, Default)]
pub struct PrefilterMemo {
    /// The plan whose literals and regexes the positions are of.
    plan: u64,
    /// For each literal, where one of its occurrences starts.
    literals: Vec<Option<usize>>,
    /// For each prefilter regex, one of its matches, if one was searched for and found.
    regexes: Vec<Option<(usize, usize)>>,
}

/// What an edit replaced: bytes `start..old_end` of the old text are `start..new_end` of the
/// new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEdit {
    start: usize,
    old_end: usize,
    new_end: usize,
}

impl TextEdit {
    /// Where the bytes `start..end` of the old text are in the new one, if the edit left them
    /// and `margin` bytes on each side as they were.
    fn moved(&self, start: usize, end: usize, margin: usize) -> Option<(usize, usize)> {
        if end + margin <= self.start {
            Some((start, end))
        } else if start >= self.old_end + margin {
            Some((
                start - self.old_end + self.new_end,
                end - self.old_end + self.new_end,
            ))
        } else {
            None
        }
    }
}

impl From<&tree_sitter::InputEdit> for TextEdit {
    fn from(edit: &tree_sitter::InputEdit) -> Self {
        Self {
            start: edit.start_byte,
            old_end: edit.old_end_byte,
            new_end: edit.new_end_byte,
        }
    }
}

static PLAN_IDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl LangPlan {
    /// Which matcher slots may match in `source`; all false means the file need not be parsed.
    /// A slot is active when each of its prefilter groups has a pattern in the file.
    pub fn active_slots(&self, source: &[u8]) -> Vec<bool> {
        self.active_of(&self.satisfied_groups(source, false).0)
    }

    /// Which slots are active given the satisfied groups (see [`Self::satisfied_groups`]).
    pub fn active_of(&self, satisfied: &[u64]) -> Vec<bool> {
        satisfied
            .iter()
            .zip(&self.group_masks)
            .map(|(s, mask)| s & mask == *mask)
            .collect()
    }

    /// For each slot, the bit set of its prefilter groups that have a pattern in `source`;
    /// with `keep_tokens`, also where the tokens are (for [`LangPlan::hit_offsets`], which
    /// then need not search again), when an automaton searched them.
    pub fn satisfied_groups(
        &self,
        source: &[u8],
        keep_tokens: bool,
    ) -> (Vec<u64>, Option<Vec<TokenMatch>>) {
        let (found, tokens) = self.find_literals(source, keep_tokens);
        let mut satisfied = self.satisfied_by(&found);
        if let Some(set) = &self.prefilter_regexes {
            let pending = self.pending_regexes(&satisfied);
            if pending.iter().any(|p| *p) {
                for index in set.matches(source, |i| pending[i]) {
                    self.mark_regex(index, &mut satisfied);
                }
            }
        }
        (satisfied, tokens)
    }

    /// [`LangPlan::satisfied_groups`] for the next version of a document, given the memo of
    /// the pass over its previous version and the edit between them: literals and regex
    /// matches the edit left in place need no search, and literals absent before are looked
    /// for around the edit only. Returns the memo for the next version.
    pub fn satisfied_groups_after(
        &self,
        source: &[u8],
        previous: Option<(&PrefilterMemo, TextEdit)>,
    ) -> (Vec<u64>, PrefilterMemo) {
        let previous = previous.filter(|(memo, edit)| {
            memo.plan == self.id
                && edit.start <= edit.old_end.min(edit.new_end)
                && edit.new_end <= source.len()
        });
        let found = previous
            .and_then(|(memo, edit)| self.literals_after(source, memo, edit))
            .unwrap_or_else(|| self.find_literals(source, false).0);
        let mut satisfied = self.satisfied_by(&found);
        let mut regexes = vec![None; self.regex_slots.len()];
        if let Some(set) = &self.prefilter_regexes {
            let pending = self.pending_regexes(&satisfied);
            for index in (0..regexes.len()).filter(|i| pending[*i]) {
                // Assertions (`\b`, `^`, `$`) read a character on each side of a match: up
                // to four bytes, whether or not the edit is on a character boundary.
                let moved = previous.and_then(|(memo, edit)| {
                    let (start, end) = memo.regexes.get(index).copied().flatten()?;
                    edit.moved(start, end, 4)
                });
                regexes[index] = moved.or_else(|| set.find_first(index, source));
                if regexes[index].is_some() {
                    self.mark_regex(index, &mut satisfied);
                }
            }
        }
        let memo = PrefilterMemo {
            plan: self.id,
            literals: found,
            regexes,
        };
        (satisfied, memo)
    }

    /// Where each literal occurs in `source` (one occurrence each), and with `keep_tokens`
    /// every occurrence when an automaton searched.
    fn find_literals(
        &self,
        source: &[u8],
        keep_tokens: bool,
    ) -> (Vec<Option<usize>>, Option<Vec<TokenMatch>>) {
        let mut found = vec![None; self.literals.len()];
        let mut tokens = None;
        match self.automaton_for(source) {
            Some(ac) => {
                let mut all = Vec::new();
                for m in ac.find_overlapping_iter(source) {
                    let index = m.pattern().as_usize();
                    // The first match only: common tokens match thousands of times in a large
                    // file, and each has many groups.
                    found[index].get_or_insert(m.start());
                    if keep_tokens {
                        all.push(TokenMatch {
                            index,
                            start: m.start(),
                            end: m.end(),
                        });
                    }
                }
                tokens = keep_tokens.then_some(all);
            }
            None => self.find_each(source, 0, &mut found),
        }
        (found, tokens)
    }

    /// The automaton to search `source` with; `None` for a snippet, which is searched token
    /// by token (see [`LangPlan::find_each`]).
    fn automaton_for(&self, source: &[u8]) -> Option<&AhoCorasick> {
        let checked = self
            .checked
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let searched = self
            .searched
            .fetch_add(source.len(), std::sync::atomic::Ordering::Relaxed);
        // The DFA takes 30M instructions to build and searches a 200 KB module 6M faster
        // than the NFA: it repays its build once many files or half a megabyte were searched
        // (a language server's fourth edit of a 5,000-line module), not for one large file.
        let automaton = if checked >= 32 || searched >= DFA_AFTER_BYTES {
            self.prefilter_dfa
                .get_or_init(|| {
                    AhoCorasick::builder()
                        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                        .build(&self.literals)
                        .ok()
                })
                .as_ref()
        } else {
            None
        };
        automaton.or_else(|| match self.prefilter.get() {
            Some(built) => built.as_ref(),
            // A snippet: one search per token costs less than building the automaton.
            None if source.len() <= SMALL_SOURCE => None,
            None => self.nfa(),
        })
    }

    /// Each position of `text` against the tokens starting with its two bytes (see
    /// [`PairIndex`]; for a few hundred bytes, cheaper than building an automaton), recording
    /// the literals not yet `found`, at their offset plus `base`.
    fn find_each(&self, text: &[u8], base: usize, found: &mut [Option<usize>]) {
        self.by_first_bytes
            .find_first(&self.literals, text, base, found);
    }

    /// The literals of `source`, from those of the previous version (`memo`) that `edit` left
    /// in place and a search of the bytes around it; `None` when the edit removed a literal's
    /// known occurrence (it may occur elsewhere: the whole text is searched).
    fn literals_after(
        &self,
        source: &[u8],
        memo: &PrefilterMemo,
        edit: TextEdit,
    ) -> Option<Vec<Option<usize>>> {
        // (The same plan has the same literals: a defence, not a case.)
        if memo.literals.len() != self.literals.len() {
            return None;
        }
        let mut found = vec![None; self.literals.len()];
        for (index, start) in memo.literals.iter().enumerate() {
            if let Some(start) = *start {
                let end = start + self.literals[index].len();
                found[index] = Some(edit.moved(start, end, 0)?.0);
            }
        }
        // A literal the old text lacked can only be in the new text across the edited bytes.
        let reach = self.longest_literal.saturating_sub(1);
        let from = edit.start.saturating_sub(reach);
        let to = (edit.new_end + reach).min(source.len());
        let window = &source[from..to];
        match self.automaton_for(window) {
            Some(ac) => {
                for m in ac.find_overlapping_iter(window) {
                    found[m.pattern().as_usize()].get_or_insert(from + m.start());
                }
            }
            None => self.find_each(window, from, &mut found),
        }
        Some(found)
    }

    /// The groups the `found` literals satisfy, per slot.
    fn satisfied_by(&self, found: &[Option<usize>]) -> Vec<u64> {
        let mut satisfied = vec![0u64; self.matchers.len()];
        for (index, _) in found.iter().enumerate().filter(|(_, f)| f.is_some()) {
            for &(slot, group) in &self.prefilter_slots[index] {
                satisfied[slot] |= 1 << group;
            }
        }
        satisfied
    }

    /// Which prefilter regexes can still activate a slot: a slow detector regex of one rule
    /// must not cost every file just because another rule's regex is pending.
    fn pending_regexes(&self, satisfied: &[u64]) -> Vec<bool> {
        self.regex_slots
            .iter()
            .map(|slots| {
                slots.iter().any(|(slot, group)| {
                    satisfied[*slot] & (1 << group) == 0
                        && self.missing_only(*slot, *group, satisfied[*slot])
                })
            })
            .collect()
    }

    fn mark_regex(&self, index: usize, satisfied: &mut [u64]) {
        for &(slot, group) in &self.regex_slots[index] {
            satisfied[slot] |= 1 << group;
        }
    }

    /// Where in `source` the code the `active` slots may match in is (sorted offsets, with
    /// repeats), so a scan can parse only the parts of a file around them; `None` when an
    /// active slot has no prefilter (it may match anywhere).
    ///
    /// A slot's match holds a pattern of each of its groups, or names what an import holding
    /// one binds (`from torch import load as l; l(p)`): the hits of one group locate its
    /// matches. Each slot takes its group with the fewest hits (names count as whole words
    /// in code, as `in_code` tells: `post` of `requests.post`, not of `postprocess` or of a
    /// docstring), on a tie one of names rather than of regexes (a secret's context words).
    /// The hits are sorted by the `reach` of their slot (see [`Hits`]); those of `also`
    /// groups flow.
    ///
    /// A regex whose every match opens with a quote (`prefilter-regex` for a string
    /// constant) hits only where `code` says a string literal of the code opens: not a
    /// quoted example in a docstring or a comment.
    ///
    /// A slot may also name one group of its own whose hits are always taken, active or not
    /// (`also`; for an inactive slot with `also_reach`): a project scan locates a file's
    /// sources for flows whose other side is in another file.
    /// A regex's hit counts for a slot only where `keep_hit(slot, offset)` says a match may be
    /// (a check written in Rust may tell from the text around it that none is).
    /// `tokens`: where the tokens are, if [`LangPlan::satisfied_groups`] kept them.
    #[allow(clippy::too_many_arguments)]
    pub fn hit_offsets(
        &self,
        source: &[u8],
        tokens: Option<&[TokenMatch]>,
        active: &[bool],
        also: &[Option<u32>],
        also_reach: Reach,
        code: &impl CodeSpans,
        reach: impl Fn(usize) -> Reach,
        keep_hit: impl Fn(usize, usize) -> bool,
    ) -> Option<Hits> {
        if self.unfiltered_slots.iter().any(|s| active[*s]) {
            return None;
        }
        let located = |slot: usize| active[slot] || also[slot].is_some();
        let searched;
        let tokens = match tokens {
            Some(tokens) => tokens,
            None => {
                let automaton = match self.prefilter_dfa.get() {
                    Some(dfa) => dfa.as_ref(),
                    None => self.nfa(),
                }?;
                searched = automaton
                    .find_overlapping_iter(source)
                    .map(|m| TokenMatch {
                        index: m.pattern().as_usize(),
                        start: m.start(),
                        end: m.end(),
                    })
                    .collect::<Vec<_>>();
                &searched
            }
        };
        let word_byte = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        let stands_alone = |index: usize, start: usize, end: usize| {
            let literal = &self.literals[index];
            (!word_byte(literal.first()) || start == 0 || !word_byte(source.get(start - 1)))
                && (!word_byte(literal.last()) || !word_byte(source.get(end)))
        };
        // Per active (slot, group): the hits, and whether a regex made any of them.
        let mut groups: HashMap<(usize, u32), (Vec<usize>, bool)> = HashMap::new();
        for m in tokens {
            let index = m.index;
            let names = &self.name_targets[index];
            // Whether the hit is a name said in code, computed once if a target needs it.
            let mut said = None;
            for &(slot, group) in &self.prefilter_slots[index] {
                if !located(slot) {
                    continue;
                }
                let name = names.contains(&(slot, group));
                if name
                    && !*said.get_or_insert_with(|| {
                        stands_alone(index, m.start, m.end) && code.in_code(m.start)
                    })
                {
                    continue;
                }
                let entry = groups.entry((slot, group)).or_default();
                entry.0.push(m.start);
                entry.1 |= !name;
            }
        }
        if let Some(set) = &self.prefilter_regexes {
            // One lowercased copy for every case-insensitive regex (see `find_starts`).
            let mut lowered = None;
            for (index, targets) in self.regex_slots.iter().enumerate() {
                if targets.iter().any(|(slot, _)| located(*slot)) {
                    let mut starts = set.find_starts(index, source, &mut lowered);
                    if set.opens_strings(index) {
                        starts.retain(|at| code.opens_string(*at));
                    }
                    for &(slot, group) in targets.iter().filter(|(slot, _)| located(*slot)) {
                        let entry = groups.entry((slot, group)).or_default();
                        entry
                            .0
                            .extend(starts.iter().filter(|at| keep_hit(slot, **at)));
                        entry.1 = true;
                    }
                }
            }
        }
        // A group without hits (its names only in docstrings) leaves its slot nothing to
        // match: the slot adds no offsets.
        let mut offsets: Vec<usize> = Vec::new();
        let mut flowing_offsets: Vec<usize> = Vec::new();
        let mut attributes = false;
        let mut local_offsets: Vec<usize> = Vec::new();
        let mut add = |hits: &[usize], reach: Reach| match reach {
            Reach::Local => local_offsets.extend(hits),
            Reach::Reaching => offsets.extend(hits),
            Reach::Flowing => flowing_offsets.extend(hits),
            Reach::Attributes => {
                attributes |= !hits.is_empty();
                flowing_offsets.extend(hits);
            }
        };
        for slot in (0..active.len()).filter(|s| located(*s)) {
            // An active slot's flow may run through its sources' callers whichever group
            // locates it; an inactive one's sources are looked for only as such.
            if let Some((hits, _)) = also[slot].and_then(|group| groups.get(&(slot, group))) {
                add(
                    hits,
                    if active[slot] {
                        reach(slot)
                    } else {
                        also_reach
                    },
                );
            }
            if !active[slot] {
                continue;
            }
            let count = self.group_masks[slot].count_ones();
            let best = (0..count.min(64))
                .map(|group| match groups.get(&(slot, group)) {
                    Some((hits, loose)) => (hits.len(), *loose, group),
                    None => (0, false, group),
                })
                .min();
            if let Some((_, _, group)) = best
                && let Some((hits, _)) = groups.get(&(slot, group))
            {
                add(hits, reach(slot));
            }
        }
        offsets.sort_unstable();
        flowing_offsets.sort_unstable();
        local_offsets.sort_unstable();
        Some(Hits {
            reaching: offsets,
            flowing: flowing_offsets,
            local: local_offsets,
            attributes,
        })
    }

    /// The tokens' automaton that is quick to build, built on first use.
    fn nfa(&self) -> Option<&AhoCorasick> {
        self.prefilter
            .get_or_init(|| {
                AhoCorasick::builder()
                    .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                    .build(&self.literals)
                    .ok()
            })
            .as_ref()
    }

    /// Whether `group` is the only thing keeping `slot` inactive, so running regexes can help.
    fn missing_only(&self, slot: usize, group: u32, satisfied: u64) -> bool {
        (satisfied | (1 << group)) & self.group_masks[slot] == self.group_masks[slot]
    }
}

/// Where in a file the active slots may match (see [`LangPlan::hit_offsets`]): sorted
/// offsets, with repeats.
#[derive(Debug, Default)]
pub struct Hits {
    /// Hits of slots whose matches may need what their code reaches by name: the functions
    /// a call resolves to.
    pub reaching: Vec<usize>,
    /// Hits of slots whose matches may also need the callers of their function: where a
    /// flow's value comes from, the callers that verify a load's path.
    pub flowing: Vec<usize>,
    /// Hits of slots whose matches need only the code around them (`local`: a secret-named
    /// literal).
    pub local: Vec<usize>,
    /// Whether some hit's match may read an attribute of its own object (`self.table`)
    /// through every assignment of the file (see [`Reach::Attributes`]).
    pub attributes: bool,
}

/// How much of a file a slot's match may need besides the function it is in (see [`Hits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Nothing else.
    Local,
    /// What its code reaches by name.
    Reaching,
    /// That, and the callers of its function.
    Flowing,
    /// That, and the assignments of the attributes its code reads from its own object: a
    /// match asking whether a value is one the code defines reads `self.table` through
    /// every assignment of the file.
    Attributes,
}

/// Sources up to this size are searched token by token until the automaton exists.
const SMALL_SOURCE: usize = 4096;

/// Bytes searched with the NFA before the DFA is built (see [`LangPlan::satisfied_groups`]).
const DFA_AFTER_BYTES: usize = 512 * 1024;

/// Literal indexes by their first two bytes, hashed to one of 4,096 buckets: a snippet's
/// byte is compared with the few literals its next byte allows, not with every literal
/// starting with it (forty or so for a common letter). One-byte literals are in a bucket of
/// their own, tried at every byte.
#[derive(Debug)]
pub(crate) struct PairIndex {
    /// Bucket `k` is `indexes[starts[k]..starts[k + 1]]`; the last bucket holds the one-byte
    /// literals.
    starts: Vec<u32>,
    indexes: Vec<u32>,
}

const PAIR_BUCKETS: usize = 4096;

impl PairIndex {
    pub(crate) fn new(literals: &[impl AsRef<[u8]>]) -> Self {
        let bucket = |literal: &[u8]| match literal {
            [first, second, ..] => Some(Self::bucket(*first, *second)),
            [_] => Some(PAIR_BUCKETS),
            [] => None,
        };
        let mut starts = vec![0u32; PAIR_BUCKETS + 2];
        for key in literals.iter().filter_map(|l| bucket(l.as_ref())) {
            starts[key + 1] += 1;
        }
        for key in 1..starts.len() {
            starts[key] += starts[key - 1];
        }
        let mut next = starts.clone();
        let mut indexes = vec![0u32; starts[PAIR_BUCKETS + 1] as usize];
        for (index, literal) in literals.iter().enumerate() {
            if let Some(key) = bucket(literal.as_ref()) {
                indexes[next[key] as usize] = index as u32;
                next[key] += 1;
            }
        }
        Self { starts, indexes }
    }

    /// Bytes 64 apart share a bucket (`a` and `!`): a few extra candidates, not a miss.
    fn bucket(first: u8, second: u8) -> usize {
        (usize::from(first & 63) << 6) | usize::from(second & 63)
    }

    fn slice(&self, key: usize) -> &[u32] {
        &self.indexes[self.starts[key] as usize..self.starts[key + 1] as usize]
    }

    /// Each of `literals` (those the index was built from) not yet `found` in `text`, at its
    /// first offset plus `base`: every position against the literals its two bytes allow
    /// (for a few hundred bytes, cheaper than building an automaton).
    pub(crate) fn find_first(
        &self,
        literals: &[impl AsRef<[u8]>],
        text: &[u8],
        base: usize,
        found: &mut [Option<usize>],
    ) {
        for start in 0..text.len() {
            for &index in self.candidates(text[start], text.get(start + 1).copied()) {
                let index = index as usize;
                if found[index].is_none() && text[start..].starts_with(literals[index].as_ref()) {
                    found[index] = Some(base + start);
                }
            }
        }
    }

    /// The literals that may start at a byte `first` followed by `second` (`None`: the
    /// text's last byte), one-byte ones included.
    fn candidates(&self, first: u8, second: Option<u8>) -> impl Iterator<Item = &u32> {
        let pairs = second.map_or(&[][..], |second| self.slice(Self::bucket(first, second)));
        pairs.iter().chain(self.slice(PAIR_BUCKETS))
    }
}

/// Where a file's code is, as far as its text tells without parsing (see
/// [`LangPlan::hit_offsets`]).
pub trait CodeSpans {
    /// Whether `offset` is in code: not in a comment or a string literal.
    fn in_code(&self, offset: usize) -> bool;
    /// Whether a string literal of the code opens at `offset` (its quote): not a quote inside
    /// a comment or a longer string.
    fn opens_string(&self, offset: usize) -> bool;
}

/// Where a prefilter token (`literals[index]`) is in a source.
#[derive(Debug, Clone, Copy)]
pub struct TokenMatch {
    pub index: usize,
    pub start: usize,
    pub end: usize,
}

/// A byte regex set compiled on first use.
#[derive(Debug)]
pub struct LazyBytesSet {
    patterns: Vec<String>,
    /// Each regex compiles when a file first needs it (some detectors are costly to build).
    cells: Vec<OnceLock<Option<regex::bytes::Regex>>>,
    /// The same patterns as forward lazy DFAs over ASCII, for snippets (see
    /// [`LazyBytesSet::matches`]).
    forward: Vec<OnceLock<Option<ForwardDfa>>>,
    /// The literals each pattern's matches start with, of any length (see
    /// [`literal_prefix_set`]): a snippet holding none of them cannot match.
    starts: Vec<OnceLock<Option<Vec<Vec<u8>>>>>,
    /// A case-insensitive pattern's form for lowercased text (see [`crate::case_folded`]),
    /// searched instead of `cells` in files.
    folded: Vec<OnceLock<Option<regex_automata::meta::Regex>>>,
}

/// A forward lazy DFA and the caches of its states, kept between searches: a long-lived
/// process (the MCP server) scanning snippet after snippet would otherwise determinize the
/// same states for every one (a fifteenth of a warm `scan_code` call).
#[derive(Debug)]
struct ForwardDfa {
    dfa: regex_automata::hybrid::dfa::DFA,
    caches: Mutex<Vec<regex_automata::hybrid::dfa::Cache>>,
}

impl ForwardDfa {
    /// Whether the DFA matches `haystack`; `None` when the search gave up.
    fn is_match(&self, haystack: &[u8]) -> Option<bool> {
        // A poisoned lock only means another search panicked: its caches are still caches.
        let pooled = self.caches.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut cache = pooled.unwrap_or_else(|| self.dfa.create_cache());
        let input = regex_automata::Input::new(haystack).earliest(true);
        let found = self
            .dfa
            .try_search_fwd(&mut cache, &input)
            .ok()
            .map(|m| m.is_some());
        self.caches
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(cache);
        found
    }
}

impl LazyBytesSet {
    fn new(patterns: Vec<String>) -> Self {
        Self {
            cells: patterns.iter().map(|_| OnceLock::new()).collect(),
            forward: patterns.iter().map(|_| OnceLock::new()).collect(),
            starts: patterns.iter().map(|_| OnceLock::new()).collect(),
            folded: patterns.iter().map(|_| OnceLock::new()).collect(),
            patterns,
        }
    }

    /// Whether every match of pattern `index` starts with a quote: it finds string literals.
    pub fn opens_strings(&self, index: usize) -> bool {
        self.starts[index]
            .get_or_init(|| prefix_set_of(&self.patterns[index]))
            .as_ref()
            .is_some_and(|starts| {
                !starts.is_empty()
                    && starts
                        .iter()
                        .all(|s| matches!(s.first(), Some(b'"' | b'\'' | b'`')))
            })
    }

    /// Indexes of the patterns that match `haystack`. Separate regexes, not a `RegexSet`:
    /// a set reports every match through the slow PikeVM, `is_match` runs a lazy DFA.
    pub fn matches(&self, haystack: &[u8], wanted: impl Fn(usize) -> bool) -> Vec<usize> {
        // A snippet only asks whether each pattern matches: until `regex` is built for a
        // pattern, a forward lazy DFA answers, which builds three times faster (no reverse
        // automaton, no other engines; the detectors' `regex` builds were an eighth of a
        // 40-line snippet's process). It reads ASCII classes (`\w`, `\b`, `(?i)`), which
        // answer over ASCII text as the Unicode ones do.
        let snippet = haystack.len() <= SMALL_SOURCE && haystack.is_ascii();
        let mut lowered = None;
        (0..self.patterns.len())
            .filter(|&i| {
                if !wanted(i) {
                    return false;
                }
                if snippet && let Some(found) = self.forward_match(i, haystack) {
                    return found;
                }
                if let Some(folded) = self.folded(i) {
                    let lowered = lowered.get_or_insert_with(|| haystack.to_ascii_lowercase());
                    return folded.is_match(lowered.as_slice());
                }
                self.full(i).is_some_and(|re| re.is_match(haystack))
            })
            .collect()
    }

    /// Pattern `index`'s form for lowercased text, if it has one (built on first use).
    fn folded(&self, index: usize) -> Option<&regex_automata::meta::Regex> {
        self.folded[index]
            .get_or_init(|| crate::case_folded::lowercase_form(&self.patterns[index]))
            .as_ref()
    }

    /// Whether pattern `index` matches ASCII `haystack`, by its forward lazy DFA; `None` when
    /// `regex` is built already, or the pattern has no such DFA.
    fn forward_match(&self, index: usize, haystack: &[u8]) -> Option<bool> {
        use regex_automata::hybrid::dfa::DFA;
        use regex_automata::util::syntax;
        if self.cells[index].get().is_some() || self.folded[index].get().is_some() {
            return None;
        }
        // Most credential detectors start with a short literal (`hf_`, `sk-`, `SG.`): too
        // short to search a project for, but a snippet without one needs no automaton.
        if let Some(starts) = self.starts[index]
            .get_or_init(|| prefix_set_of(&self.patterns[index]))
            .as_ref()
            && !starts
                .iter()
                .any(|start| memchr::memmem::find(haystack, start).is_some())
        {
            return Some(false);
        }
        let dfa = self.forward[index]
            .get_or_init(|| {
                let pattern = &self.patterns[index];
                // Only ASCII patterns: escapes may name non-ASCII characters too, two of which
                // fold to ASCII letters under Unicode `(?i)` (the Kelvin sign to `k`, the long
                // s to `s`), which the DFA's ASCII classes do not.
                if !pattern.is_ascii()
                    || pattern.contains("\\x{")
                    || pattern.contains("\\u")
                    || pattern.contains("\\U")
                {
                    return None;
                }
                let dfa = DFA::builder()
                    .syntax(syntax::Config::new().unicode(false).utf8(false))
                    // `regex`'s own limit on the automaton's size (the NFA compiler has none),
                    // so a user rule's huge repetition costs no more to build here.
                    .thompson(
                        regex_automata::nfa::thompson::Config::new()
                            .utf8(false)
                            .nfa_size_limit(Some(10 * (1 << 20))),
                    )
                    .build(pattern)
                    .ok()?;
                Some(ForwardDfa {
                    dfa,
                    caches: Mutex::new(Vec::new()),
                })
            })
            .as_ref()?;
        dfa.is_match(haystack)
    }

    fn full(&self, index: usize) -> Option<&regex::bytes::Regex> {
        self.cells[index]
            .get_or_init(|| regex::bytes::Regex::new(&self.patterns[index]).ok())
            .as_ref()
    }

    /// The first match of pattern `index` in `haystack` (by `regex`).
    pub fn find_first(&self, index: usize, haystack: &[u8]) -> Option<(usize, usize)> {
        if let Some(folded) = self.folded(index) {
            // Lowercasing keeps every byte where it was: the offsets are the text's.
            let found = folded.find(haystack.to_ascii_lowercase().as_slice())?;
            return Some((found.start(), found.end()));
        }
        let found = self.full(index)?.find(haystack)?;
        Some((found.start(), found.end()))
    }

    /// Where the matches of pattern `index` start. `lowered`: `haystack` lowercased, made
    /// on first need and kept for the caller's next pattern.
    pub fn find_starts(
        &self,
        index: usize,
        haystack: &[u8],
        lowered: &mut Option<Vec<u8>>,
    ) -> Vec<usize> {
        if let Some(folded) = self.folded(index) {
            let lowered = lowered.get_or_insert_with(|| haystack.to_ascii_lowercase());
            return folded
                .find_iter(lowered.as_slice())
                .map(|m| m.start())
                .collect();
        }
        self.full(index)
            .map(|re| re.find_iter(haystack).map(|m| m.start()).collect())
            .unwrap_or_default()
    }
}

/// The literal prefixes every match of `pattern` starts with, if they are few and long
/// enough to search files for (shorter tokens match everywhere).
fn prefixes_of(pattern: &str) -> Option<Vec<Vec<u8>>> {
    prefix_set_of(pattern).filter(|prefixes| prefixes.iter().all(|l| l.len() >= 4))
}

/// [`literal_prefix_set`] of `pattern`: worked out at build time for the built-in pack's.
fn prefix_set_of(pattern: &str) -> Option<Vec<Vec<u8>>> {
    match crate::load::table_entry(crate::load::BUILTIN_PREFIXES, pattern) {
        Some(prefixes) => prefixes.map(|prefixes| prefixes.iter().map(|p| p.to_vec()).collect()),
        None => literal_prefix_set(pattern),
    }
}

/// The node kinds of a query of the form `(kind) @finding` or `[(a) (b)] @finding`.
fn simple_kinds(query: &str) -> Option<Vec<&str>> {
    let body = query.trim().strip_suffix("@finding")?.trim();
    let body = match body.strip_prefix('[') {
        Some(inner) => inner.strip_suffix(']')?,
        None => body,
    };
    let mut kinds = Vec::new();
    for part in body.split(')') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let kind = part.strip_prefix('(')?.trim();
        if kind.is_empty()
            || !kind
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
        {
            return None;
        }
        kinds.push(kind);
    }
    (!kinds.is_empty()).then_some(kinds)
}

/// The node kinds a query names (`(call_expression` -> `call_expression`).
fn query_kinds(query: &str) -> impl Iterator<Item = &str> {
    query.split('(').skip(1).filter_map(|rest| {
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let kind = &rest[..end];
        (!kind.is_empty() && kind != "_").then_some(kind)
    })
}

pub(crate) fn build_plan(lang: Lang, rules: &[Rule]) -> Result<LangPlan, RuleError> {
    let mut matchers = Vec::new();
    // Text has no grammar: its matchers read the text (`MatcherKind::Text`), so no node kinds.
    let grammar = lang.grammar();
    let mut kind_dispatch: Vec<Vec<MatcherRef>> =
        vec![Vec::new(); grammar.as_ref().map_or(0, |g| g.node_kind_count())];
    // Distinct query texts, in first-seen order, with the matchers that use each.
    let mut texts: Vec<(String, Vec<MatcherRef>, usize, usize, usize)> = Vec::new();
    let mut text_index: HashMap<&str, usize> = HashMap::new();
    let mut literals: Vec<Vec<u8>> = Vec::new();
    let mut name_targets: Vec<Vec<(usize, u32)>> = Vec::new();
    let mut prefilter_slots: Vec<Vec<(usize, u32)>> = Vec::new();
    let mut literal_index: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut regexes: Vec<String> = Vec::new();
    let mut regex_slots: Vec<Vec<(usize, u32)>> = Vec::new();
    let mut group_masks: Vec<u64> = Vec::new();
    let mut unfiltered_slots = Vec::new();
    // Node kind names to their named ids, once: asking the grammar per matcher was a
    // linear search over its symbols each time (a millisecond of a snippet's start-up).
    let mut named_ids: HashMap<&str, Vec<u16>> =
        HashMap::with_capacity(grammar.as_ref().map_or(0, |g| g.node_kind_count()));
    if let Some(grammar) = &grammar {
        for id in 0..grammar.node_kind_count() {
            let Ok(id) = u16::try_from(id) else { break };
            if grammar.node_kind_is_named(id)
                && let Some(name) = grammar.node_kind_for_id(id)
            {
                named_ids.entry(name).or_default().push(id);
            }
        }
    }
    let is_kind = |kind: &str| named_ids.contains_key(kind);
    // Prefilter regexes recur across matchers (a source set's group): extract each once.
    let mut prefixes: HashMap<&str, Option<Vec<Vec<u8>>>> = HashMap::new();

    for (rule_idx, rule) in rules.iter().enumerate() {
        for (matcher_idx, matcher) in rule.matchers.iter().enumerate() {
            if !matcher.lang.runs_on(lang) {
                continue;
            }
            // A JavaScript matcher runs on TypeScript unless its query names a kind only the
            // JavaScript grammar has (JSX elements are not TypeScript).
            if matcher.lang != lang
                && let MatcherKind::Query { text, .. } = &matcher.kind
                && grammar.is_some()
                && !query_kinds(text).all(is_kind)
            {
                continue;
            }
            let slot = matchers.len();
            let mref = MatcherRef {
                rule: rule_idx,
                matcher: matcher_idx,
                slot,
            };
            matchers.push(mref);
            match (&matcher.kind, &grammar) {
                (MatcherKind::Text, _) => {}
                (MatcherKind::Query { .. }, None) => {
                    return Err(RuleError::new(
                        &rule.source,
                        0,
                        0,
                        format!("rule `{}`: a {lang} matcher takes no query", rule.id),
                    ));
                }
                (MatcherKind::Query { text, .. }, Some(_))
                    if simple_kinds(text).is_some_and(|kinds| kinds.iter().all(|k| is_kind(k))) =>
                {
                    // Every named symbol with this name (grammars alias some kinds to several ids).
                    for kind in simple_kinds(text).unwrap_or_default() {
                        for id in named_ids.get(kind).into_iter().flatten() {
                            kind_dispatch[usize::from(*id)].push(mref);
                        }
                    }
                }
                (MatcherKind::Query { text, line, column }, Some(_)) => {
                    match text_index.get(text.as_str()) {
                        Some(&i) => texts[i].1.push(mref),
                        None => {
                            text_index.insert(text.as_str(), texts.len());
                            texts.push((text.clone(), vec![mref], *line, *column, rule_idx));
                        }
                    }
                }
            }
            let groups = matcher.prefilter.as_deref().unwrap_or_default();
            // At most 64 groups fit the mask; extra groups are dropped (the filter only
            // becomes less selective).
            let groups = &groups[..groups.len().min(64)];
            group_masks.push(if groups.len() == 64 {
                u64::MAX
            } else {
                (1u64 << groups.len()) - 1
            });
            if groups.is_empty() {
                unfiltered_slots.push(slot);
            }
            for (group, patterns) in groups.iter().enumerate() {
                let target = (slot, group as u32);
                for pattern in patterns {
                    let found = match pattern {
                        PrefilterPattern::Literal(lit) | PrefilterPattern::Name(lit) => {
                            Some(vec![lit.as_bytes().to_vec()])
                        }
                        PrefilterPattern::Regex(re) => prefixes
                            .entry(re.as_str())
                            .or_insert_with(|| prefixes_of(re))
                            .clone(),
                    };
                    match found {
                        Some(found) => {
                            for lit in found {
                                let idx = *literal_index.entry(lit.clone()).or_insert_with(|| {
                                    literals.push(lit);
                                    prefilter_slots.push(Vec::new());
                                    name_targets.push(Vec::new());
                                    literals.len() - 1
                                });
                                if matches!(pattern, PrefilterPattern::Name(_)) {
                                    name_targets[idx].push(target);
                                }
                                if !prefilter_slots[idx].contains(&target) {
                                    prefilter_slots[idx].push(target);
                                }
                            }
                        }
                        // One regex serves every slot it prefilters (two rules read a
                        // Django settings module the same way): one pass over a file.
                        None => {
                            let regex = pattern.as_regex();
                            match regexes.iter().position(|r| *r == regex) {
                                Some(at) => regex_slots[at].push(target),
                                None => {
                                    regexes.push(regex);
                                    regex_slots.push(vec![target]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    let prefilter_regexes = (!regexes.is_empty()).then(|| LazyBytesSet::new(regexes));

    let query = match (&grammar, texts.is_empty()) {
        (Some(grammar), false) => {
            let mut source = String::new();
            let mut segments = Vec::with_capacity(texts.len());
            for (text, owners, line, column, rule_idx) in &texts {
                let start = source.len();
                source.push_str(text);
                source.push('\n');
                segments.push(Segment {
                    range: start..source.len(),
                    owners: owners.clone(),
                    line: *line,
                    column: *column,
                    rule: *rule_idx,
                });
            }
            let combined = CombinedQuery {
                lang,
                grammar: grammar.clone(),
                source,
                segments,
                compiled: OnceLock::new(),
            };
            // Compiling costs milliseconds, most of a snippet's scan: the built-in patterns
            // (checked by the pack's tests) compile when a file first needs them. Others are
            // compiled now, so that a broken rule file is reported with its line at load.
            if texts.iter().any(|t| !rules[t.4].builtin) {
                let compiled = combined.compile(rules)?;
                let _ = combined.compiled.set(Some(compiled));
            }
            Some(combined)
        }
        _ => None,
    };

    Ok(LangPlan {
        lang,
        query,
        kind_dispatch,
        matchers,
        prefilter: OnceLock::new(),
        prefilter_dfa: OnceLock::new(),
        by_first_bytes: PairIndex::new(&literals),
        longest_literal: literals.iter().map(Vec::len).max().unwrap_or(0),
        literals,
        name_targets,
        id: PLAN_IDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        checked: std::sync::atomic::AtomicUsize::new(0),
        searched: std::sync::atomic::AtomicUsize::new(0),
        prefilter_slots,
        prefilter_regexes,
        regex_slots,
        group_masks,
        unfiltered_slots,
    })
}

/// One rule's query text inside a [`CombinedQuery`].
#[derive(Debug)]
struct Segment {
    range: std::ops::Range<usize>,
    owners: Vec<MatcherRef>,
    line: usize,
    column: usize,
    rule: usize,
}

/// The structural patterns of a language as one tree-sitter query (one pass over a tree runs
/// them all), compiled on first use.
#[derive(Debug)]
pub struct CombinedQuery {
    lang: Lang,
    grammar: tree_sitter::Language,
    source: String,
    segments: Vec<Segment>,
    /// The query and, for each of its patterns, the matchers it serves.
    compiled: OnceLock<Option<(Query, Vec<Vec<MatcherRef>>)>>,
}

impl CombinedQuery {
    /// Whether one of the matchers the query serves is active.
    pub fn serves_any(&self, active: &[bool]) -> bool {
        self.segments
            .iter()
            .flat_map(|s| &s.owners)
            .any(|owner| active.get(owner.slot).copied().unwrap_or(false))
    }

    /// The compiled query and each pattern's matchers; `None` if it does not compile (only
    /// built-in patterns compile lazily, and the pack's tests compile those).
    pub fn get(&self) -> Option<(&Query, &[Vec<MatcherRef>])> {
        self.compiled
            .get_or_init(|| self.compile(&[]).ok())
            .as_ref()
            .map(|(q, owners)| (q, owners.as_slice()))
    }

    /// Compiles now; the error names the rule file and line of the broken pattern (when
    /// `rules` are given).
    pub fn compile(&self, rules: &[Rule]) -> Result<(Query, Vec<Vec<MatcherRef>>), RuleError> {
        let segment_of = |offset: usize| {
            self.segments
                .iter()
                .position(|s| s.range.contains(&offset))
                .unwrap_or(0)
        };
        let query = Query::new(&self.grammar, &self.source).map_err(|e| {
            let segment = &self.segments[segment_of(e.offset)];
            let rel_row = self.source[segment.range.start..e.offset.min(self.source.len())]
                .matches('\n')
                .count();
            let (path, id) = rules
                .get(segment.rule)
                .map(|r| (r.source.clone(), r.id.clone()))
                .unwrap_or_default();
            RuleError::new(
                &path,
                segment.line + rel_row,
                if rel_row == 0 {
                    segment.column + e.column
                } else {
                    e.column + 1
                },
                format!(
                    "rule `{id}`: invalid {} query: {:?} error: {}",
                    self.lang,
                    e.kind,
                    e.message.trim()
                ),
            )
        })?;
        let owners = (0..query.pattern_count())
            .map(|p| {
                self.segments[segment_of(query.start_byte_for_pattern(p))]
                    .owners
                    .clone()
            })
            .collect();
        Ok((query, owners))
    }
}

/// Lazily built plans, one per language.
#[cfg(test)]
mod tests {
    use super::{LazyBytesSet, PairIndex, simple_kinds};

    #[test]
    fn a_regex_shared_by_matchers_is_searched_once() {
        let rules = crate::RuleSet::new(crate::builtin_rules().unwrap());
        let plan = rules.plan(codeguard_language::Lang::Python).unwrap();
        let set = plan.prefilter_regexes.as_ref().unwrap();
        let unique: std::collections::HashSet<&String> = set.patterns.iter().collect();
        assert_eq!(unique.len(), set.patterns.len());
        // The Django settings regex prefilters matchers of two rules (CG-CORE031, a cookie's).
        assert!(plan.regex_slots.iter().any(|targets| targets.len() >= 2));
    }

    #[test]
    fn pair_index_offers_every_literal_where_it_starts() {
        // One-byte literals, literals sharing a bucket (`a`/`!`, 64 apart), a literal ending
        // the text, and bytes above ASCII.
        let literals: Vec<Vec<u8>> = ["eval", "ev", "!v", "a", "exec", "x", "é", "yaml.load", ""]
            .iter()
            .map(|l| l.as_bytes().to_vec())
            .collect();
        let index = PairIndex::new(&literals);
        let text = "x = eval(a!v) ; yaml.load(é) ; exec".as_bytes();
        let mut offered = 0;
        for start in 0..text.len() {
            let candidates: Vec<usize> = index
                .candidates(text[start], text.get(start + 1).copied())
                .map(|&i| i as usize)
                .collect();
            offered += candidates
                .iter()
                .filter(|&&i| literals[i].len() > 1)
                .count();
            for (i, literal) in literals.iter().enumerate() {
                if !literal.is_empty() && text[start..].starts_with(literal) {
                    assert!(candidates.contains(&i), "{:?} at {start}", literals[i]);
                }
            }
        }
        // It narrows: the longer literals are tried at fewer than a tenth of the positions.
        assert!(offered * 10 < text.len() * 6, "{offered}");
    }

    #[test]
    fn snippets_match_prefilter_regexes_as_regex_does() {
        let patterns = [
            r"\bhf_[A-Za-z]{4}\b",
            r#"(?i-u)(?:token|key)[a-z_]*\s*[:=]\s*["']"#,
            r"(?i)secret\w*\s=[^x]",
            r"\p{Greek}+",
            "caf\u{e9}",
            r"(?i)\x{212A}ey",
        ];
        let texts = [
            "x = hf_abcd\n",
            "x = hf_abcde\n",
            "xhf_abcd\n",
            "API_KEY = 'v'",
            "Token:\t\"v\"",
            "SECRETS_2 = 1",
            "SECRET =x",
            "\u{3b1}\u{3b2}",
            "caf\u{e9}",
            "",
        ];
        let set = LazyBytesSet::new(patterns.iter().map(|p| p.to_string()).collect());
        let check = |text: &str| {
            let expected: Vec<usize> = (0..patterns.len())
                .filter(|&i| {
                    let re = regex::bytes::Regex::new(patterns[i]).unwrap();
                    re.is_match(text.as_bytes())
                })
                .collect();
            assert_eq!(set.matches(text.as_bytes(), |_| true), expected, "{text:?}");
        };
        texts.iter().filter(|t| t.is_ascii()).for_each(|t| check(t));
        // ASCII texts ran the ASCII patterns on their forward DFAs, without building `regex`
        // for them; there is no ASCII `\p{Greek}`.
        for i in 0..3 {
            assert!(set.forward[i].get().is_some_and(Option::is_some), "{i}");
            assert!(set.cells[i].get().is_none(), "{i}");
        }
        for i in 3..6 {
            assert!(set.forward[i].get().is_none_or(Option::is_none), "{i}");
        }
        texts
            .iter()
            .filter(|t| !t.is_ascii())
            .for_each(|t| check(t));
    }

    #[test]
    fn a_snippet_without_a_patterns_first_literals_builds_no_automaton() {
        let patterns = [r"\bhf_[A-Za-z]{4}\b", r"(?:sk-|xoxb-)[a-z]{3}", r"\w+="];
        let set = LazyBytesSet::new(patterns.iter().map(|p| p.to_string()).collect());
        assert_eq!(set.matches(b"print('hf')\n", |_| true), Vec::<usize>::new());
        assert!(set.forward[0].get().is_none() && set.forward[1].get().is_none());
        assert!(set.cells[0].get().is_none() && set.cells[1].get().is_none());
        // `\w+=` starts with no fixed literal: its automaton answers.
        assert!(set.forward[2].get().is_some_and(Option::is_some));
        // With one of its literals, a pattern runs, and answers as `regex` does.
        assert_eq!(set.matches(b"t = 'xoxb-abc'", |_| true), vec![1]);
        assert_eq!(set.matches(b"t = 'xoxb-ab'", |_| true), Vec::<usize>::new());
        assert_eq!(set.matches(b"k=hf_abcd", |_| true), vec![0, 2]);
    }

    #[test]
    fn build_time_prefixes_are_the_runtime_ones() {
        let table = crate::load::BUILTIN_PREFIXES;
        // The pack's credential detectors and `prefilter-regex` lists are all in the table.
        assert!(table.len() >= 30, "{} patterns", table.len());
        assert!(table.iter().any(|(p, _)| p.starts_with(r"\b(?:AKIA|ASIA")));
        crate::load::assert_table_is_runtime(table, crate::literal_prefixes::literal_prefix_set);
    }

    #[test]
    fn recognises_node_kind_only_queries() {
        assert_eq!(simple_kinds("(call) @finding"), Some(vec!["call"]));
        assert_eq!(
            simple_kinds("[(string) (comment)] @finding\n"),
            Some(vec!["string", "comment"])
        );
        assert_eq!(simple_kinds("(call function: (_)) @finding"), None);
        assert_eq!(simple_kinds("(call) @x"), None);
        assert_eq!(
            simple_kinds("((call) @finding (#eq? @finding \"x\"))"),
            None
        );
    }
}

#[derive(Debug, Default)]
pub(crate) struct Plans {
    pub(crate) cells: [OnceLock<Result<LangPlan, RuleError>>; Lang::ALL.len()],
}
