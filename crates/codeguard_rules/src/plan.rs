//! One combined tree-sitter query per language, so every rule runs in one pass over a tree.

use std::collections::HashMap;
use std::sync::OnceLock;

use codeguard_language::Lang;
use tree_sitter::Query;

use crate::compile::{MatcherKind, Rule};
use crate::error::RuleError;

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
    /// The combined query; `None` when the language has only builtin matchers.
    pub query: Option<Query>,
    /// For each pattern of the combined query, the matchers it serves.
    pub pattern_owners: Vec<Vec<MatcherRef>>,
    /// Matchers written in Rust.
    pub builtins: Vec<MatcherRef>,
    /// All matchers of the language, indexed by slot.
    pub matchers: Vec<MatcherRef>,
    /// Regexes over raw file bytes; a matcher runs only if one of its own matched.
    pub prefilter: regex::bytes::RegexSet,
    /// For each prefilter regex, the slots it enables.
    pub prefilter_slots: Vec<Vec<usize>>,
    /// Slots that run on every file.
    pub unfiltered_slots: Vec<usize>,
}

impl LangPlan {
    /// Which matcher slots may match in `source`; all false means the file need not be parsed.
    pub fn active_slots(&self, source: &[u8]) -> Vec<bool> {
        let mut active = vec![false; self.matchers.len()];
        for &slot in &self.unfiltered_slots {
            active[slot] = true;
        }
        if !self.prefilter.is_empty() {
            for index in self.prefilter.matches(source).iter() {
                for &slot in &self.prefilter_slots[index] {
                    active[slot] = true;
                }
            }
        }
        active
    }
}

pub(crate) fn build_plan(lang: Lang, rules: &[Rule]) -> Result<LangPlan, RuleError> {
    let mut matchers = Vec::new();
    let mut builtins = Vec::new();
    // Distinct query texts, in first-seen order, with the matchers that use each.
    let mut texts: Vec<(String, Vec<MatcherRef>, usize, usize, usize)> = Vec::new();
    let mut text_index: HashMap<&str, usize> = HashMap::new();
    let mut prefilter_patterns: Vec<String> = Vec::new();
    let mut prefilter_slots: Vec<Vec<usize>> = Vec::new();
    let mut prefilter_index: HashMap<String, usize> = HashMap::new();
    let mut unfiltered_slots = Vec::new();

    for (rule_idx, rule) in rules.iter().enumerate() {
        for (matcher_idx, matcher) in rule.matchers.iter().enumerate() {
            if matcher.lang != lang {
                continue;
            }
            let slot = matchers.len();
            let mref = MatcherRef {
                rule: rule_idx,
                matcher: matcher_idx,
                slot,
            };
            matchers.push(mref);
            match &matcher.kind {
                MatcherKind::Query { text, line, column } => match text_index.get(text.as_str()) {
                    Some(&i) => texts[i].1.push(mref),
                    None => {
                        text_index.insert(text.as_str(), texts.len());
                        texts.push((text.clone(), vec![mref], *line, *column, rule_idx));
                    }
                },
                MatcherKind::Builtin(_) => builtins.push(mref),
            }
            match &matcher.prefilter {
                None => unfiltered_slots.push(slot),
                Some(patterns) => {
                    for pattern in patterns {
                        let re = pattern.as_regex();
                        let idx = *prefilter_index.entry(re.clone()).or_insert_with(|| {
                            prefilter_patterns.push(re);
                            prefilter_slots.push(Vec::new());
                            prefilter_patterns.len() - 1
                        });
                        prefilter_slots[idx].push(slot);
                    }
                }
            }
        }
    }

    let prefilter = regex::bytes::RegexSet::new(&prefilter_patterns).map_err(|e| {
        RuleError::new(
            "<rules>",
            0,
            0,
            format!("cannot compile the {lang} prefilter: {e}"),
        )
    })?;

    let (query, pattern_owners) = if texts.is_empty() {
        (None, Vec::new())
    } else {
        let mut combined = String::new();
        let mut segments = Vec::with_capacity(texts.len());
        for (text, ..) in &texts {
            let start = combined.len();
            combined.push_str(text);
            combined.push('\n');
            segments.push(start..combined.len());
        }
        let segment_of = |offset: usize| {
            segments
                .iter()
                .position(|s| s.contains(&offset))
                .unwrap_or(0)
        };
        let query = Query::new(&lang.grammar(), &combined).map_err(|e| {
            let seg = segment_of(e.offset);
            let (_, _, line, column, rule_idx) = &texts[seg];
            let rel_row = combined[segments[seg].start..e.offset.min(combined.len())]
                .matches('\n')
                .count();
            let rule = &rules[*rule_idx];
            RuleError::new(
                &rule.source,
                line + rel_row,
                if rel_row == 0 {
                    column + e.column
                } else {
                    e.column + 1
                },
                format!(
                    "rule `{}`: invalid {lang} query: {:?} error: {}",
                    rule.id,
                    e.kind,
                    e.message.trim()
                ),
            )
        })?;
        let owners = (0..query.pattern_count())
            .map(|p| texts[segment_of(query.start_byte_for_pattern(p))].1.clone())
            .collect();
        (Some(query), owners)
    };

    Ok(LangPlan {
        lang,
        query,
        pattern_owners,
        builtins,
        matchers,
        prefilter,
        prefilter_slots,
        unfiltered_slots,
    })
}

/// Lazily built plans, one per language.
#[derive(Debug, Default)]
pub(crate) struct Plans {
    pub(crate) cells: [OnceLock<Result<LangPlan, RuleError>>; Lang::ALL.len()],
}
