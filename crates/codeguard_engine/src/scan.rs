//! Scanning one source text: prefilter, parse, one combined query pass, conditions, builtins,
//! fixes, de-duplication.

use crate::node_ext::NodeExt;
use std::cell::RefCell;
use std::ops::ControlFlow;
use std::path::Path;
use std::time::Duration;

use codeguard_language::Lang;
use codeguard_rules::compile::{ArgTest, KeywordTest, StringTest};
use codeguard_rules::plan::{PrefilterMemo, Reach, TextEdit};
use codeguard_rules::{Condition, FixAction, MatcherRef, RuleError, RuleSet};
use tree_sitter::{Node, Parser, QueryCursor, StreamingIterator, Tree};

use crate::builtin;
use crate::deadline::Deadline;
use crate::diagnostic::{Diagnostic, DiagnosticFix, Edit, Position, Range};
use crate::semantic::{Constant, KeywordLookup, KindIndex, Semantic};
use crate::strings;
use crate::syntax::Argument;

/// Limits that keep one file from stalling a scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Files larger than this are skipped and counted.
    pub max_file_bytes: u64,
    /// Analysing one file (parsing and every pass over it) stops after this long, and the
    /// file is reported as not fully scanned. Real files take milliseconds (the largest in
    /// our ML corpus, 250 KB, takes 0.1 s); hostile ones (100,000-deep nesting) take seconds.
    pub file_timeout: Duration,
    /// Honour `codeguard-ignore` comments (CI can refuse them: assistants add them to get past
    /// a check).
    pub inline_suppressions: bool,
    /// Project settings for the model-signing rules (CG-ML006).
    pub model_signing: ModelSigning,
    /// Facts about the project that rules may test with `project-fact` (`torch>=2.6`: its
    /// declared dependencies guarantee that version), found by the front end.
    pub project_facts: Vec<String>,
    /// Functions of other project files that this file imports, with what they do with
    /// taint (see [`crate::project_flow`]); `None` outside a project scan.
    pub imported: Option<std::sync::Arc<crate::flow::ImportedFunctions>>,
    /// A project scan: files record what their functions do with taint, for the files that
    /// import them (see [`crate::project_flow`]).
    pub cross_file: bool,
    /// Files at least this large are parsed only where rules may match (see
    /// [`crate::partial`]); `usize::MAX` parses every file whole, and every file the
    /// prefilter lets through (not only those with a rule token in code).
    pub partial_parse_min_bytes: usize,
    /// Set by another thread to stop the scan early (the language server, when a newer edit
    /// makes this scan's result useless); the report then says `timed_out`, as when the time
    /// budget runs out.
    pub cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// The files the project counts as tests (by [`crate::walk::display_path`]): rules marked
    /// `in-tests: off` do not run on them (the front end would drop their findings there),
    /// which spares parsing much of a test suite.
    pub test_files: Option<std::sync::Arc<std::collections::HashSet<std::path::PathBuf>>>,
}

/// Which loads must be verified, and which project functions count as verifiers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModelSigning {
    /// Qualified names of project verifiers (`acme.security.verify_model`); the first argument
    /// is the verified path.
    pub verifiers: Vec<String>,
    /// Only loads of paths that are not string literals (downloaded or computed) must be
    /// verified; by default every load must be.
    pub untrusted_only: bool,
}

/// The default [`ScanOptions::file_timeout`]: a guardrail must answer within 2 s, and
/// freeing a huge tree and writing the report take a few tenths of a second after it.
pub const DEFAULT_FILE_TIMEOUT: Duration = Duration::from_millis(1500);

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            max_file_bytes: 4 * 1024 * 1024,
            file_timeout: DEFAULT_FILE_TIMEOUT,
            inline_suppressions: true,
            model_signing: ModelSigning::default(),
            project_facts: Vec::new(),
            imported: None,
            cross_file: false,
            partial_parse_min_bytes: crate::partial::PARTIAL_PARSE_MIN_BYTES,
            cancel: None,
            test_files: None,
        }
    }
}

/// The findings for one source text.
#[derive(Debug, Default)]
pub struct SourceReport {
    pub diagnostics: Vec<Diagnostic>,
    /// The tree has error or missing nodes (still scanned where it parsed).
    pub syntax_errors: bool,
    /// The prefilter found nothing any rule needs, so the file was not parsed.
    pub prefiltered: bool,
    /// How many bytes of the file were parsed (parts of a large file: see
    /// [`crate::partial`]).
    pub parsed_bytes: usize,
    /// The file's time budget ([`ScanOptions::file_timeout`]) ran out: the findings are
    /// those found until then.
    pub timed_out: bool,
    /// Findings removed by `codeguard-ignore` comments.
    pub suppressed: usize,
    /// `codeguard-ignore` entries (line, rule) that matched no finding.
    pub unused_suppressions: Vec<(usize, String)>,
    /// Findings left out past [`MAX_FINDINGS_PER_FILE`] (the least severe go first).
    pub dropped: usize,
    /// What a project scan needs to follow flows into other files.
    pub links: crate::project_flow::ModuleLinks,
}

impl SourceReport {
    /// The rule id of each finding, in order.
    pub fn rule_ids(&self) -> Vec<&str> {
        self.diagnostics
            .iter()
            .map(|d| d.rule_id.as_str())
            .collect()
    }
}

/// Findings kept per file. A file with more is hostile or generated; every finding costs
/// memory and output, and a hundred thousand of them (`eval(x) if c else ` repeated on one
/// line) would take gigabytes. The most severe are kept.
pub const MAX_FINDINGS_PER_FILE: usize = 1_000;

thread_local! {
    static PARSERS: RefCell<Vec<(Lang, Parser)>> = const { RefCell::new(Vec::new()) };
}

pub(crate) fn parse(
    lang: Lang,
    source: &str,
    deadline: &Deadline,
    old: Option<&Tree>,
) -> Option<Tree> {
    parse_ranges(lang, source, deadline, old, None)
}

/// Parses `source`, only the byte `ranges` of it when given (nodes keep their places in the
/// whole text).
fn parse_ranges(
    lang: Lang,
    source: &str,
    deadline: &Deadline,
    old: Option<&Tree>,
    ranges: Option<&[std::ops::Range<usize>]>,
) -> Option<Tree> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let index = match parsers.iter().position(|(l, _)| *l == lang) {
            Some(i) => i,
            None => {
                let mut parser = Parser::new();
                parser.set_language(&lang.grammar()?).ok()?;
                parsers.push((lang, parser));
                parsers.len() - 1
            }
        };
        let parser = &mut parsers[index].1;
        let included = ranges
            .map(|r| included_ranges(source, r))
            .unwrap_or_default();
        // An empty list is the whole text: a parser re-used after a partial parse reads all.
        parser.set_included_ranges(&included).ok()?;
        let mut progress = |_: &tree_sitter::ParseState| {
            if deadline.passed() {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let options = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
        let bytes = source.as_bytes();
        let tree = parser.parse_with_options(
            &mut |offset, _| {
                if offset < bytes.len() {
                    &bytes[offset..]
                } else {
                    &[] as &[u8]
                }
            },
            old,
            Some(options),
        );
        if tree.is_none() {
            parser.reset();
        }
        if !included.is_empty() {
            let _ = parser.set_included_ranges(&[]);
        }
        tree
    })
}

/// Parses the `ranges` of `source` (all of it when `None`), or the whole of it when the
/// parts have a syntax error (a misread outline). Returns the ranges the tree holds (`None`:
/// the whole text).
pub(crate) fn parse_parts(
    lang: Lang,
    source: &str,
    deadline: &Deadline,
    ranges: Option<Vec<std::ops::Range<usize>>>,
) -> (Option<Tree>, Option<Vec<std::ops::Range<usize>>>) {
    let tree = parse_ranges(lang, source, deadline, None, ranges.as_deref());
    match ranges {
        Some(_) if tree.as_ref().is_some_and(|t| t.root_node().has_error()) => {
            (parse(lang, source, deadline, None), None)
        }
        ranges => (tree, ranges),
    }
}

/// tree-sitter's ranges (with rows and columns) for byte ranges of `source`.
fn included_ranges(source: &str, ranges: &[std::ops::Range<usize>]) -> Vec<tree_sitter::Range> {
    let bytes = source.as_bytes();
    let (mut row, mut line_start, mut at) = (0, 0, 0);
    let mut point = |offset: usize| {
        for (i, b) in bytes[at..offset].iter().enumerate() {
            if *b == b'\n' {
                row += 1;
                line_start = at + i + 1;
            }
        }
        at = offset;
        tree_sitter::Point::new(row, offset - line_start)
    };
    ranges
        .iter()
        .map(|r| tree_sitter::Range {
            start_byte: r.start,
            start_point: point(r.start),
            end_byte: r.end,
            end_point: point(r.end),
        })
        .collect()
}

/// Scans `source` as `lang`. `path` is only recorded in the diagnostics.
pub fn scan_source(
    rules: &RuleSet,
    lang: Lang,
    path: &Path,
    source: &str,
    options: &ScanOptions,
) -> Result<SourceReport, RuleError> {
    scan(rules, lang, path, source, options, None, None, true).map(|(report, _)| report)
}

/// The edit that turns `old` into `new` (their common prefix and suffix stay), for
/// [`Tree::edit`] before an incremental re-parse of a document sent whole.
pub fn edit_between(old: &str, new: &str) -> tree_sitter::InputEdit {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let prefix = common_prefix(a, b);
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = common_suffix(&a[a.len() - max_suffix..], &b[b.len() - max_suffix..]);
    let mut start = prefix;
    // Keep offsets on character boundaries.
    while !old.is_char_boundary(start) || !new.is_char_boundary(start) {
        start -= 1;
    }
    let (mut old_end, mut new_end) = (old.len() - suffix, new.len() - suffix);
    while !old.is_char_boundary(old_end) || !new.is_char_boundary(new_end) {
        old_end += 1;
        new_end += 1;
    }
    let point = |text: &str, offset: usize| {
        let before = &text.as_bytes()[..offset];
        let row = memchr::memchr_iter(b'\n', before).count();
        let column = offset - memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        tree_sitter::Point { row, column }
    };
    tree_sitter::InputEdit {
        start_byte: start,
        old_end_byte: old_end,
        new_end_byte: new_end,
        start_position: point(old, start),
        old_end_position: point(old, old_end),
        new_end_position: point(new, new_end),
    }
}

/// How many bytes `a` and `b` start with in common. Compared a block at a time (slice
/// equality is `memcmp`): a keystroke in a 230 KB file compared byte by byte cost 5M
/// instructions, a twentieth of its re-scan.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let in_block = |x: &[u8], y: &[u8]| x.iter().zip(y).take_while(|(x, y)| x == y).count();
    common_run(a.chunks(64).zip(b.chunks(64)), in_block)
}

/// How many bytes `a` and `b` end with in common (see [`common_prefix`]).
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let in_block = |x: &[u8], y: &[u8]| {
        x.iter()
            .rev()
            .zip(y.iter().rev())
            .take_while(|(x, y)| x == y)
            .count()
    };
    common_run(a.rchunks(64).zip(b.rchunks(64)), in_block)
}

/// The bytes of equal blocks up to the first that differs, and what `in_block` counts of
/// that one (blocks of unequal length, at the texts' far end, differ).
fn common_run<'s>(
    blocks: impl Iterator<Item = (&'s [u8], &'s [u8])>,
    in_block: impl Fn(&[u8], &[u8]) -> usize,
) -> usize {
    let mut run = 0;
    for (x, y) in blocks {
        if x != y {
            return run + in_block(x, y);
        }
        run += x.len();
    }
    run
}

/// Like [`scan_source`], re-using `previous`, the tree of an earlier version of the text that
/// has already been [`Tree::edit`]ed (see [`edit_between`]), and returning the new tree: an
/// editor's re-scan after a keystroke then re-parses only what changed. Likewise `prefilter`,
/// what the earlier version's prefilter pass found and the edit since, spares searching the
/// whole text for the rules' tokens again; the pass over this text is returned for the next.
pub fn scan_source_incremental(
    rules: &RuleSet,
    lang: Lang,
    path: &Path,
    source: &str,
    options: &ScanOptions,
    previous: Option<&Tree>,
    prefilter: Option<(&PrefilterMemo, TextEdit)>,
) -> Result<(SourceReport, Option<Tree>, PrefilterMemo), RuleError> {
    if !lang.has_grammar() {
        let (report, tree) = scan(rules, lang, path, source, options, previous, None, false)?;
        return Ok((report, tree, PrefilterMemo::default()));
    }
    let (satisfied, memo) = rules
        .plan(lang)?
        .satisfied_groups_after(source.as_bytes(), prefilter);
    // The caller keeps the tree for the next edit: it must hold the whole text.
    let (report, tree) = scan(
        rules,
        lang,
        path,
        source,
        options,
        previous,
        Some(satisfied),
        false,
    )?;
    Ok((report, tree, memo))
}

/// `satisfied`: the prefilter groups `source` satisfies, when the caller worked them out.
#[allow(clippy::too_many_arguments)]
fn scan(
    rules: &RuleSet,
    lang: Lang,
    path: &Path,
    source: &str,
    options: &ScanOptions,
    previous: Option<&Tree>,
    satisfied: Option<Vec<u64>>,
    partial: bool,
) -> Result<(SourceReport, Option<Tree>), RuleError> {
    if !lang.has_grammar() {
        return crate::text::scan_text(rules, lang, path, source, options).map(|r| (r, None));
    }
    let deadline = Deadline::for_scan(options);
    let plan = rules.plan(lang)?;
    let mut report = SourceReport::default();
    // Parsed only where rules may match (see `partial`): not at all when every rule token
    // is in comments and docstrings (a rescan knowing imported functions is parsed: it was
    // parsed before), in parts when large (a rescan: also where it names what it imports).
    let outlined = partial && previous.is_none() && options.partial_parse_min_bytes != usize::MAX;
    let may_skip = outlined && options.imported.is_none();
    let may_part = outlined && source.len() >= options.partial_parse_min_bytes;
    let (satisfied, tokens) = match satisfied {
        Some(satisfied) => (satisfied, None),
        None => plan.satisfied_groups(source.as_bytes(), may_skip || may_part),
    };
    let mut active = plan.active_of(&satisfied);
    // Which sides of each data-flow rule's flows the file holds (by their tokens): with only
    // one, the other may be in a function of another project file (see `project_flow`).
    let mut sides: Vec<crate::project_flow::FlowSides> = Vec::new();
    // A partial parse (see `partial`) keeps the code their sources' tokens point to, for
    // the links; sources without tokens are taken to be held.
    let mut source_groups: Vec<Option<u32>> = vec![None; plan.matchers.len()];
    let mut unlocated_sources: Vec<u64> = Vec::new();
    for m in plan.matchers.iter().filter(|_| options.cross_file) {
        let Some(taint) = rules.rules()[m.rule].matchers[m.matcher]
            .taint
            .as_ref()
            .filter(|t| t.across_files)
        else {
            continue;
        };
        let holds = |group: Option<usize>| {
            group.is_none_or(|g| g >= 64 || satisfied[m.slot] & (1 << g) != 0)
        };
        let (sources, sinks) = (holds(taint.source_group), holds(taint.sink_group));
        crate::project_flow::FlowSides::add(&mut sides, &taint.sources_key, sources, sinks);
        match taint
            .source_group
            .and_then(|g| u32::try_from(g).ok())
            .filter(|g| *g < 64)
        {
            Some(group) if sources => source_groups[m.slot] = Some(group),
            Some(_) => {}
            None => unlocated_sources.push(crate::project_flow::key_hash(&taint.sources_key)),
        }
    }
    if let Some(imported) = options.imported.as_deref() {
        for m in &plan.matchers {
            if let Some(taint) = &rules.rules()[m.rule].matchers[m.matcher].taint
                && imported.values().any(|f| {
                    f.summaries
                        .contains_key(&crate::project_flow::key_hash(&taint.sources_key))
                })
            {
                active[m.slot] = true;
            }
        }
    }
    // In a test file, rules off in tests are left out. A file holding a side of a flow is
    // still parsed for its links (see below), as when it had an active rule.
    let off_in_tests = off_in_tests(rules, plan, path, options);
    let had_active = active.iter().any(|a| *a);
    let mut masked = false;
    for slot in off_in_tests.iter().flatten() {
        masked |= active[*slot];
        active[*slot] = false;
    }
    let keeps_links = had_active && sides.iter().any(|s| s.sources || s.sinks);
    if !active.iter().any(|a| *a) && !keeps_links {
        report.prefiltered = true;
        return Ok((report, None));
    }
    // A snippet searched token by token (no automaton yet) would pay more for building one
    // to locate its hits than its parse costs.
    let outline = (may_part || (may_skip && tokens.is_some()))
        .then(|| crate::syntax::of(lang).outline(source.as_bytes()))
        .flatten();
    let mut hits = outline.as_ref().and_then(|outline| {
        plan.hit_offsets(
            source.as_bytes(),
            tokens.as_deref(),
            &active,
            &source_groups,
            // A first scan looks for the sources of a rule not active here to tell whether
            // the file holds one (the links need no more: the code reaching them); a rescan
            // knowing imported functions follows them into the callers that pass them on.
            if options.imported.is_some() {
                Reach::Flowing
            } else {
                Reach::Reaching
            },
            outline,
            |slot| {
                let m = &plan.matchers[slot];
                crate::partial::reach(&rules.rules()[m.rule].matchers[m.matcher])
            },
            |slot, at| {
                let m = &plan.matchers[slot];
                let builtin = rules.rules()[m.rule].matchers[m.matcher].builtin.as_deref();
                match builtin.and_then(crate::builtin::hit_may_match) {
                    Some(may_match) => may_match(source.as_bytes(), at),
                    None => true,
                }
            },
        )
    });
    if let (Some(hits), Some(outline), Some(imported)) =
        (&mut hits, &outline, options.imported.as_deref())
    {
        // Calls of an imported function say its last name (`run(..)`, `tools.run(..)`; an
        // alias is said by the import, whose names the kept code's are checked against).
        let sep = crate::syntax::of(lang).path_separator();
        let names = imported.keys().filter_map(|name| name.rsplit(sep).next());
        hits.flowing.extend(crate::partial::code_words(
            source.as_bytes(),
            outline,
            names,
        ));
        hits.flowing.sort_unstable();
    }
    // A test file whose rules here were left out but which holds a flow's side is parsed
    // for its links (its module statements, what the remaining hits point to); the words
    // of the rest count as calls (see `called_imports`).
    if may_skip
        && !(keeps_links && masked)
        && hits
            .as_ref()
            .is_some_and(|hits| crate::partial::nothing_to_parse(hits, source.as_bytes()))
    {
        report.prefiltered = true;
        return Ok((report, None));
    }
    let ranges = match (&outline, &hits) {
        (Some(outline), Some(hits)) if may_part => {
            crate::partial::ranges(outline, source.as_bytes(), hits)
        }
        _ => None,
    };
    let (tree, ranges) = match ranges {
        Some(_) => parse_parts(lang, source, &deadline, ranges),
        None => (parse(lang, source, &deadline, previous), None),
    };
    let Some(tree) = tree else {
        report.timed_out = true;
        return Ok((report, None));
    };
    report.parsed_bytes = ranges
        .as_ref()
        .map_or(source.len(), |r| r.iter().map(|r| r.len()).sum());
    let root = tree.root_node();
    report.syntax_errors = root.has_error();
    let groups = TaintGroups {
        plan,
        active: &active,
        done: std::cell::RefCell::new(std::collections::HashSet::new()),
        lines: std::cell::OnceCell::new(),
        columns: ColumnCache::default(),
        dropped: std::cell::Cell::new(0),
        floor: std::cell::Cell::new(None),
    };
    let mut semantic = Semantic::with_deadline(lang, source, root, deadline);
    let record_links = sides.iter().any(|s| s.sources || s.sinks);
    if record_links {
        report.links.sides = sides;
    }
    let mut found: Vec<(MatcherRef, Diagnostic)> = Vec::new();

    // Node-kind matchers: one walk over the tree.
    if plan
        .kind_dispatch
        .iter()
        .any(|owners| owners.iter().any(|m| active[m.slot]))
    {
        // The walk also indexes the nodes the flow analyses start from (the kinds of their
        // sources), so they need not walk the tree again: matchers on the root
        // (`(module) @finding`) run after it.
        // In a project scan, also the sources of rules with one side here (see below).
        let source_kinds = plan
            .matchers
            .iter()
            .filter(|m| active[m.slot] || options.cross_file)
            .filter_map(|m| rules.rules()[m.rule].matchers[m.matcher].taint.as_ref())
            .flat_map(|taint| &taint.sources)
            .flat_map(|source| source.kinds.iter().map(String::as_str));
        // And the calls: to tell the imports the file calls (see below), and for the
        // analyses that look at every call of the file (model loads and their checks).
        let call_kinds = semantic.call_kinds();
        let mut index = KindIndex::for_kinds(
            &root,
            source_kinds.chain(call_kinds.iter().map(String::as_str)),
        );
        // The walk only collects: the nodes some active matcher looks at, the index and the
        // scopes (which the matchers' analyses would otherwise walk the tree again for).
        // The matchers run after it, in the same document order.
        let mut scopes = crate::semantic::ScopeCollector::new(semantic.syntax, &root);
        let mut dispatched: Vec<Node> = Vec::new();
        let walked = crate::tree_walk::walk_until(
            root,
            |_| true,
            |node| {
                if semantic.out_of_time() {
                    return ControlFlow::Break(());
                }
                let kind = node.kind_id();
                index.add(node, kind);
                scopes.add(node, kind);
                if node.id() != root.id()
                    && plan
                        .kind_dispatch
                        .get(usize::from(kind))
                        .is_some_and(|owners| owners.iter().any(|m| active[m.slot]))
                {
                    dispatched.push(node);
                }
                ControlFlow::Continue(())
            },
        );
        // A partial index would hide sources: the analyses walk for themselves instead.
        if walked.is_continue() {
            if !index.is_empty() {
                semantic.set_kind_index(index);
            }
            semantic.set_scopes(scopes);
        }
        for node in dispatched {
            if semantic.out_of_time() {
                break;
            }
            let ctx = MatchContext::new(None, &[], node, &semantic, options);
            for mref in &plan.kind_dispatch[usize::from(node.kind_id())] {
                if active[mref.slot] {
                    evaluate(rules, *mref, &ctx, path, source, &mut found, &groups);
                }
            }
        }
        if let Some(owners) = plan.kind_dispatch.get(usize::from(root.kind_id())) {
            let ctx = MatchContext::new(None, &[], root, &semantic, options);
            for mref in owners {
                if active[mref.slot] {
                    evaluate(rules, *mref, &ctx, path, source, &mut found, &groups);
                }
            }
        }
    }

    // Structural queries (user rules, mostly): one pass of the combined query, only when one
    // of its matchers passed the prefilter (a pass over every node costs a fifth of a scan).
    if let Some(combined) = &plan.query
        && combined.serves_any(&active)
        && let Some((query, pattern_owners)) = combined.get()
    {
        let mut cursor = QueryCursor::new();
        cursor.set_match_limit(256);
        let finding_index = query.capture_index_for_name("finding");
        // Structural patterns keep a state open per enclosing node: on hostile nesting (JSON
        // objects 100,000 deep) matching grows with depth times size. Matching stops with the
        // file's time budget.
        let mut progress = |_: &tree_sitter::QueryCursorState| {
            if semantic.out_of_time() {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let mut matches = cursor.matches_with_options(
            query,
            root,
            source.as_bytes(),
            tree_sitter::QueryCursorOptions::new().progress_callback(&mut progress),
        );
        while let Some(m) = matches.next() {
            if semantic.out_of_time() {
                break;
            }
            let owners = &pattern_owners[m.pattern_index];
            if !owners.iter().any(|o| active[o.slot]) {
                continue;
            }
            let captures: Vec<(u32, Node)> =
                m.captures().iter().map(|c| (c.index, c.node)).collect();
            let Some(finding) = finding_index
                .and_then(|fi| captures.iter().find(|(i, _)| *i == fi).map(|(_, n)| *n))
            else {
                continue;
            };
            let ctx = MatchContext::new(Some(query), &captures, finding, &semantic, options);
            for mref in owners {
                if active[mref.slot] {
                    evaluate(rules, *mref, &ctx, path, source, &mut found, &groups);
                }
            }
        }
        drop(matches);
    }
    // In a project scan: which source sets' sources the file really holds (its tokens may
    // be words in comments), now that the walk indexed the source kinds. Sinks stay judged
    // by their tokens: checking every call against every sink cost more than it saved.
    if options.cross_file && options.imported.is_none() {
        // Only imports the file calls can take a flow into another file; in what a partial
        // parse left out, a name said there may be a call.
        if record_links {
            let unparsed = match (&ranges, &outline) {
                (Some(ranges), Some(outline)) => {
                    crate::partial::unparsed_words(ranges, outline, source.as_bytes())
                }
                _ => Vec::new(),
            };
            let imports = semantic.called_imports(&unparsed);
            report.links.relative = imports
                .iter()
                .filter_map(|name| {
                    Some((name.clone(), semantic.relative_import(name)?.to_string()))
                })
                .collect();
            report.links.imports = Some(imports);
        }
        // Parsed in parts, sources no token points to may be in what was left out.
        let refine = |key: u64| ranges.is_none() || !unlocated_sources.contains(&key);
        for side in report
            .links
            .sides
            .iter_mut()
            .filter(|s| s.sources && refine(s.key))
        {
            let members: Vec<&codeguard_rules::compile::Taint> = plan
                .matchers
                .iter()
                .filter_map(|m| rules.rules()[m.rule].matchers[m.matcher].taint.as_ref())
                .filter(|t| crate::project_flow::key_hash(&t.sources_key) == side.key)
                .take(1)
                .collect();
            side.sources = !members.is_empty() && holds_sources(&semantic, options, &members);
        }
    }
    report.timed_out = semantic.was_out_of_time();

    (report.diagnostics, report.dropped) = finalize(rules, found);
    if !report.diagnostics.is_empty() {
        let tests = lang.test_code_ranges(root, source.as_bytes());
        for d in &mut report.diagnostics {
            let before = tests.partition_point(|r| r.start <= d.range.start_byte);
            d.in_test_code = before > 0 && tests[before - 1].end >= d.range.end_byte;
        }
    }
    report.dropped += groups.dropped.get();
    apply_inline_suppressions(&mut report, rules, options, source, || {
        crate::suppress::parse(source, lang, root)
    });
    if let Some(off) = &off_in_tests {
        // A suppression of a rule left out here is not unused: it had nothing to match.
        report.unused_suppressions.retain(|(_, name)| {
            !off.iter().any(|slot| {
                let rule = &rules.rules()[plan.matchers[*slot].rule];
                rule.id.eq_ignore_ascii_case(name) || rule.name.eq_ignore_ascii_case(name)
            })
        });
    }
    // After suppressions: silencing one site must not hide the others.
    once_per_file(rules, &mut report.diagnostics);
    drop(semantic);
    Ok((report, Some(tree)))
}

/// The slots of rules off in tests (`in-tests: off`) when `path` is one of the project's
/// test files; `None` otherwise.
fn off_in_tests(
    rules: &RuleSet,
    plan: &codeguard_rules::LangPlan,
    path: &Path,
    options: &ScanOptions,
) -> Option<Vec<usize>> {
    options.test_files.as_ref().filter(|t| t.contains(path))?;
    Some(
        plan.matchers
            .iter()
            .filter(|m| rules.rules()[m.rule].in_tests == codeguard_rules::InTests::Off)
            .map(|m| m.slot)
            .collect(),
    )
}

pub(crate) struct MatchContext<'a, 't> {
    /// The query that matched; `None` for node-kind matchers, whose only capture is `finding`.
    query: Option<&'a tree_sitter::Query>,
    captures: &'a [(u32, Node<'t>)],
    finding: Node<'t>,
    semantic: &'a Semantic<'t>,
    /// The scan's settings (model-signing policy, project facts).
    options: &'a ScanOptions,
    /// Qualified names of the call, computed once for all the matchers sharing this match.
    call_names: std::cell::OnceCell<std::rc::Rc<Vec<String>>>,
}

impl<'a, 't> MatchContext<'a, 't> {
    pub(crate) fn new(
        query: Option<&'a tree_sitter::Query>,
        captures: &'a [(u32, Node<'t>)],
        finding: Node<'t>,
        semantic: &'a Semantic<'t>,
        options: &'a ScanOptions,
    ) -> Self {
        Self {
            query,
            captures,
            finding,
            semantic,
            options,
            call_names: std::cell::OnceCell::new(),
        }
    }

    fn capture(&self, name: &str) -> Option<Node<'t>> {
        if name == "finding" {
            return Some(self.finding);
        }
        let index = self.query?.capture_index_for_name(name)?;
        self.captures
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, n)| *n)
    }

    fn capture_names(&self) -> Vec<&str> {
        self.query
            .map_or_else(|| vec!["finding"], |q| q.capture_names().to_vec())
    }

    fn call(&self) -> Node<'t> {
        self.capture("call").unwrap_or(self.finding)
    }

    fn call_names(&self) -> &[String] {
        self.call_names
            .get_or_init(|| self.semantic.call_names(self.call()))
    }
}

/// What taint matchers need beyond one match: the language plan, which matchers are active,
/// and which source sets were already analysed in this file.
struct TaintGroups<'a> {
    plan: &'a codeguard_rules::LangPlan,
    active: &'a [bool],
    done: std::cell::RefCell<std::collections::HashSet<String>>,
    /// Line starts, for the positions of flow steps (built on the first flow finding).
    lines: std::cell::OnceCell<LineIndex>,
    columns: ColumnCache,
    /// Findings dropped while matching (see [`MAX_FINDINGS_PER_FILE`]).
    dropped: std::cell::Cell<usize>,
    /// Once findings were dropped: the least severity kept. A new finding no more severe
    /// would be dropped at the next cut, so it is counted without being built.
    floor: std::cell::Cell<Option<codeguard_rules::Severity>>,
}

impl TaintGroups<'_> {
    /// Counts a finding of `severity` as dropped if the cap would drop it anyway.
    fn drops(&self, severity: codeguard_rules::Severity) -> bool {
        let drop = self.floor.get().is_some_and(|floor| severity <= floor);
        if drop {
            self.dropped.set(self.dropped.get() + 1);
        }
        drop
    }
}

fn evaluate(
    rules: &RuleSet,
    mref: MatcherRef,
    ctx: &MatchContext<'_, '_>,
    path: &Path,
    source: &str,
    found: &mut Vec<(MatcherRef, Diagnostic)>,
    groups: &TaintGroups<'_>,
) {
    if found.len() >= 2 * MAX_FINDINGS_PER_FILE {
        // Hostile input (a hundred thousand findings): keep the most severe as we go rather
        // than holding them all until `finalize`.
        found.sort_by_key(|(_, d)| std::cmp::Reverse(d.severity));
        groups
            .dropped
            .set(groups.dropped.get() + found.len() - MAX_FINDINGS_PER_FILE);
        found.truncate(MAX_FINDINGS_PER_FILE);
        groups.floor.set(found.last().map(|(_, d)| d.severity));
    }
    let matcher = &rules.rules()[mref.rule].matchers[mref.matcher];
    let mut label = None;
    for condition in &matcher.conditions {
        if !holds(condition, ctx, &mut label) {
            return;
        }
    }
    if let Some(taint) = &matcher.taint {
        // Rules with the same sources (the LLM-output rules) share one analysis of the file.
        if !groups.done.borrow_mut().insert(taint.sources_key.clone()) {
            return;
        }
        let members: Vec<(MatcherRef, &codeguard_rules::compile::Taint)> = groups
            .plan
            .matchers
            .iter()
            .filter(|m| groups.active[m.slot])
            .filter_map(|m| {
                let t = rules.rules()[m.rule].matchers[m.matcher].taint.as_ref()?;
                (t.sources_key == taint.sources_key).then_some((*m, t))
            })
            .take(64)
            .collect();
        let specs: Vec<&codeguard_rules::compile::Taint> =
            members.iter().map(|(_, t)| *t).collect();
        let rule_ids: Vec<&str> = members
            .iter()
            .map(|(m, _)| rules.rules()[m.rule].id.as_str())
            .collect();
        let hits = run_taint(ctx.semantic, ctx.options, &specs, &rule_ids);
        for hit in hits {
            let mref = members[hit.member].0;
            let crate::flow::Origin::Source {
                start,
                label: source_label,
            } = &hit.tainted.origin
            else {
                continue;
            };
            let mut d = make_diagnostic(rules, mref, hit.node, None, path, source, &groups.columns);
            d.message = d
                .message
                .replace("{source}", source_label.as_deref().unwrap_or("a source"))
                .replace("{sink}", hit.sink_label.as_deref().unwrap_or("a sink"));
            let lines = groups.lines.get_or_init(|| LineIndex::new(source));
            let step = |offset: usize, note: String| {
                let position = lines.position(source, offset);
                crate::diagnostic::FlowStep {
                    line: position.line,
                    column: position.column,
                    note,
                }
            };
            d.flow.push(step(
                *start,
                format!(
                    "source: {}",
                    source_label.as_deref().unwrap_or("tainted value")
                ),
            ));
            let mut steps = hit.tainted.steps.clone();
            steps.sort_unstable();
            for s in steps {
                d.flow.push(step(s, "assigned here".into()));
            }
            d.flow.push(step(
                hit.node.start_byte(),
                format!(
                    "sink: {}",
                    hit.sink_label.as_deref().unwrap_or("reaches the sink")
                ),
            ));
            found.push((mref, d));
        }
        return;
    }
    let severity = matcher
        .severity
        .unwrap_or(rules.rules()[mref.rule].severity);
    if let Some(name) = &matcher.builtin {
        // A builtin decides what to report on this node, and with which label.
        for hit in builtin::check(name, ctx.semantic, ctx.options, ctx.finding) {
            if groups.drops(severity) {
                continue;
            }
            found.push((
                mref,
                make_diagnostic(
                    rules,
                    mref,
                    hit.node,
                    hit.label.as_deref(),
                    path,
                    source,
                    &groups.columns,
                ),
            ));
        }
        return;
    }
    if groups.drops(severity) {
        return;
    }
    let mut diagnostic = make_diagnostic(
        rules,
        mref,
        ctx.finding,
        label.as_deref(),
        path,
        source,
        &groups.columns,
    );
    // A file of a project that never imports the module is a guess at what it means. A
    // snippet, an edit or a buffer judged by the guardrail often leaves its imports out: there
    // the match keeps its confidence, or dropping an import line would get code past a block.
    if ctx.options.cross_file && ctx.semantic.calls_unimported_module(ctx.call()) {
        diagnostic.confidence = diagnostic.confidence.lower();
    }
    if let Some(fix) = &matcher.fix
        && let Some(edits) = fix_edits(&fix.action, ctx, source)
    {
        diagnostic.fix = Some(DiagnosticFix {
            title: fix.title.clone(),
            applicability: fix.applicability,
            edits,
        });
    }
    found.push((mref, diagnostic));
}

fn holds_sources<'t>(
    sem: &Semantic<'t>,
    options: &ScanOptions,
    members: &[&codeguard_rules::compile::Taint],
) -> bool {
    let matches = |conditions: &[Condition], node: Node<'t>| {
        let ctx = MatchContext::new(None, &[], node, sem, options);
        conditions.iter().all(|c| holds(c, &ctx, &mut None))
    };
    sem.syntax.has_flow() && crate::flow::Analysis::has_sources(sem, members, &matches)
}

fn run_taint<'t>(
    sem: &Semantic<'t>,
    options: &ScanOptions,
    specs: &[&codeguard_rules::compile::Taint],
    rule_ids: &[&str],
) -> Vec<crate::flow::FlowHit<'t>> {
    let matches = |conditions: &[Condition], node: Node<'t>| {
        let node_ctx = MatchContext::new(None, &[], node, sem, options);
        conditions.iter().all(|c| holds(c, &node_ctx, &mut None))
    };
    // The data-flow analysis knows the languages whose profile says so; rules cannot ask
    // for it elsewhere (refused when the pack loads).
    if !sem.syntax.has_flow() {
        return Vec::new();
    }
    crate::flow::Analysis::run(sem, specs, rule_ids, &matches, options.imported.as_deref())
}

pub(crate) fn holds(
    condition: &Condition,
    ctx: &MatchContext<'_, '_>,
    label: &mut Option<String>,
) -> bool {
    let sem = ctx.semantic;
    match condition {
        Condition::Calls { matcher, .. } => {
            ctx.call_names().iter().any(|n| matcher.is_match(n))
                || (matcher.through_constructor
                    && sem
                        .constructed_call_names(ctx.call())
                        .iter()
                        .any(|n| matcher.is_match(n)))
        }
        Condition::Method(names) => sem
            .method_name(ctx.call())
            .is_some_and(|m| names.iter().any(|n| n == m)),
        Condition::Receiver(regex) => sem
            .receiver(ctx.call())
            .is_some_and(|r| regex.is_match(sem.text(r))),
        Condition::Keyword(test) => keyword_holds(test, ctx),
        Condition::Arg(test) => arg_holds(test, ctx, label),
        Condition::Text { capture, regex } => ctx
            .capture(capture)
            .is_some_and(|n| regex.is_match(sem.text(n))),
        Condition::String(test) => string_holds(test, ctx, label),
        Condition::InsideFunction(regex) => sem.enclosing_function(ctx.finding).is_some_and(|f| {
            sem.function_markers(f)
                .iter()
                .any(|m| regex.is_match(sem.text(*m)))
        }),
        Condition::Context(regex) => {
            let finding = ctx.finding;
            let source = sem.source;
            let start = source[..finding.start_byte()]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let end = source[finding.end_byte()..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(source.len(), |i| finding.end_byte() + i);
            // Long lines (minified code) are read around the match only.
            let (start, end) = (
                start.max(finding.start_byte().saturating_sub(400)),
                end.min(finding.end_byte() + 400),
            );
            let lines = String::from_utf8_lossy(&source[start..end]);
            regex.is_match(&lines)
                || sem
                    .enclosing_function(finding)
                    .and_then(|f| f.field("name"))
                    .is_some_and(|n| regex.is_match(sem.text(n)))
        }
        Condition::CheckedBefore(regex) => sem.enclosing_function(ctx.finding).is_some_and(|f| {
            let before = &sem.source[f.start_byte()..ctx.finding.start_byte()];
            regex.is_match(&String::from_utf8_lossy(before))
        }),
        Condition::CheckedAfter(regex) => sem.enclosing_function(ctx.finding).is_some_and(|f| {
            let after = &sem.source[ctx.finding.end_byte()..f.end_byte()];
            regex.is_match(&String::from_utf8_lossy(after))
        }),
        Condition::ReceiverBound(want) => {
            sem.receiver(ctx.call())
                .is_some_and(|r| sem.syntax.is_name(r.kind_name()) && sem.binding(r).is_some())
                == *want
        }
        Condition::WrittenHere(want) => sem.loads_what_it_wrote(ctx.call()) == *want,
        Condition::ProjectFact(fact) => ctx.options.project_facts.iter().any(|f| f == fact),
        Condition::Not(inner) => !holds(inner, ctx, &mut None),
        Condition::Any(all) => all.iter().any(|c| holds(c, ctx, label)),
        Condition::All(all) => all.iter().all(|c| holds(c, ctx, label)),
    }
}

fn keyword_holds(test: &KeywordTest, ctx: &MatchContext<'_, '_>) -> bool {
    let sem = ctx.semantic;
    let lookup = sem.keyword(ctx.call(), &test.name);
    let value = match (lookup, test.missing) {
        (KeywordLookup::Absent, Some(true)) => return true,
        (KeywordLookup::Absent, _) => return false,
        (KeywordLookup::Unknown, _) => return false,
        (KeywordLookup::Present(_), Some(true)) => return false,
        (KeywordLookup::Present(value), _) => value,
    };
    let constant = sem.constant(value);
    if let Some(equals) = &test.equals
        && !constant
            .as_ref()
            .is_some_and(|c| equals.iter().any(|e| e == c.as_text()))
    {
        return false;
    }
    if let Some(not_equals) = &test.not_equals
        && constant
            .as_ref()
            .is_some_and(|c| not_equals.iter().any(|e| e == c.as_text()))
    {
        return false;
    }
    if let Some(regex) = &test.matches {
        match &constant {
            Some(Constant::Str(s)) if regex.is_match(s) => {}
            _ => return false,
        }
    }
    true
}

fn arg_holds(test: &ArgTest, ctx: &MatchContext<'_, '_>, label: &mut Option<String>) -> bool {
    let sem = ctx.semantic;
    let call = ctx.call();
    let mut node = match &test.capture {
        Some(name) => ctx.capture(name),
        None => test.index.and_then(|i| sem.positional(call, i)),
    };
    if node.is_none()
        && let Some(keyword) = &test.keyword
        && let KeywordLookup::Present(value) = sem.keyword(call, keyword)
    {
        node = Some(value);
    }
    let Some(node) = node else {
        return test.missing == Some(true);
    };
    if test.missing == Some(true) {
        return false;
    }
    let constant = sem.constant(node);
    if let Some(want) = test.constant
        && constant.is_some() != want
    {
        return false;
    }
    if let Some(want) = test.dynamic_string
        && (sem.is_dynamic_string(node)
            && (!test.trust_code_defined
                || !sem.syntax.has_builtins()
                || sem.may_carry_outside_data(node)))
            != want
    {
        return false;
    }
    if let Some(regex) = &test.matches {
        let text = match &constant {
            Some(c) => c.as_text().to_string(),
            // Names bound to a value are matched by that value; imported names by what they
            // import (`CORSMiddleware` -> `fastapi.middleware.cors.CORSMiddleware`); other
            // names by themselves (`get_secret(database_url)`).
            None => {
                let mut text = sem
                    .resolve_node(node, 0)
                    .map(|n| sem.text(n))
                    .or_else(|| sem.imported_name(node))
                    .unwrap_or_else(|| sem.text(node))
                    .to_string();
                // A string built in steps (`sql = "SELECT .."; sql += x`): by all of its
                // values, when the test is about that building.
                if test.dynamic_string == Some(true) {
                    for value in sem.built_in_steps(node) {
                        text.push('\n');
                        text.push_str(sem.text(value));
                    }
                }
                text
            }
        };
        if !regex.is_match(&text) {
            return false;
        }
    }
    if test.label && label.is_none() {
        *label = Some(match &constant {
            Some(c) => c.as_text().to_string(),
            None => sem.text(node).to_string(),
        });
    }
    true
}

fn string_holds(test: &StringTest, ctx: &MatchContext<'_, '_>, label: &mut Option<String>) -> bool {
    let Some(node) = ctx.capture(&test.capture) else {
        return false;
    };
    match credential_hits(test, ctx.semantic.text(node)).next() {
        Some((_, detector)) => {
            *label = Some(detector.to_string());
            true
        }
        None => false,
    }
}

/// The credentials the detectors of `test` find in `text`, detector by detector: the byte
/// range of each token and the detector's label, after the placeholder filter and the
/// entropy floors. Shared by string literals in code and by text files.
pub(crate) fn credential_hits<'t>(
    test: &'t StringTest,
    text: &'t str,
) -> impl Iterator<Item = (std::ops::Range<usize>, &'t str)> + 't {
    let matched = test.set.get().matches(text);
    matched.into_iter().flat_map(move |index| {
        let detector = &test.detectors[index];
        detector
            .regex
            .get()
            .captures_iter(text)
            .filter_map(move |caps| {
                // A pattern may name its parts: the checks apply to `secret`, and a `secret`
                // equal to `user` or a `host` on this machine is a development set-up.
                let part = |name: &str| caps.name(name).map(|m| m.as_str());
                let whole = caps.get(0)?;
                let token = part("secret").unwrap_or(whole.as_str());
                if test.reject_placeholders
                    && (strings::looks_like_placeholder(token)
                        || part("user") == Some(token)
                        || part("host").is_some_and(strings::is_local_host))
                {
                    return None;
                }
                if detector
                    .min_entropy
                    .is_some_and(|min| strings::shannon_entropy(token) < min)
                {
                    return None;
                }
                Some((whole.range(), detector.label.as_str()))
            })
    })
}

fn fix_edits(action: &FixAction, ctx: &MatchContext<'_, '_>, source: &str) -> Option<Vec<Edit>> {
    let sem = ctx.semantic;
    let call = ctx.call();
    match action {
        FixAction::SetKeyword { name, value } => {
            let args = sem.arguments(call)?;
            for child in args.each_named_child() {
                if let Argument::Keyword {
                    name: key,
                    value: v,
                } = sem.syntax.argument(child)
                    && sem.text(key) == name
                {
                    return Some(vec![Edit {
                        start_byte: v.start_byte(),
                        end_byte: v.end_byte(),
                        content: value.clone(),
                    }]);
                }
            }
            if !matches!(sem.keyword(call, name), KeywordLookup::Absent) {
                return None;
            }
            let close = args.end_byte().checked_sub(1)?;
            if source.as_bytes().get(close) != Some(&b')') {
                return None;
            }
            let inner = source[args.start_byte() + 1..close].trim_end();
            let content = if inner.trim().is_empty() {
                format!("{name}={value}")
            } else if inner.ends_with(',') {
                format!(" {name}={value}")
            } else {
                format!(", {name}={value}")
            };
            let at = args.start_byte() + 1 + inner.len();
            Some(vec![Edit {
                start_byte: at,
                end_byte: at,
                content,
            }])
        }
        FixAction::RemoveKeyword(name) => {
            let args = sem.arguments(call)?;
            let children: Vec<Node> = args.each_child().collect();
            let index = children.iter().position(|c| {
                matches!(
                    sem.syntax.argument(*c),
                    Argument::Keyword { name: key, .. } if sem.text(key) == name
                )
            })?;
            let target = children[index];
            // Remove the preceding comma (and space), or else the following one.
            let comma = |c: &Node| !c.is_named() && sem.text(*c) == ",";
            let (start, end) = if index > 0 && comma(&children[index - 1]) {
                (children[index - 1].start_byte(), target.end_byte())
            } else if children.get(index + 1).is_some_and(comma) {
                let next = children
                    .get(index + 2)
                    .map_or(children[index + 1].end_byte(), |n| n.start_byte());
                (target.start_byte(), next)
            } else {
                (target.start_byte(), target.end_byte())
            };
            Some(vec![Edit {
                start_byte: start,
                end_byte: end,
                content: String::new(),
            }])
        }
        FixAction::RenameCall(name) => {
            let function = sem.callee(call)?;
            let target = if let Some((_, name)) = sem.member(function) {
                name
            } else if let Some((_, name)) = sem.scoped(function) {
                name
            } else if sem.syntax.is_name(function.kind_name()) {
                function
            } else {
                return None;
            };
            Some(vec![Edit {
                start_byte: target.start_byte(),
                end_byte: target.end_byte(),
                content: name.clone(),
            }])
        }
        FixAction::DropMethodCall => {
            let receiver = sem.receiver(call)?;
            Some(vec![Edit {
                start_byte: call.start_byte(),
                end_byte: call.end_byte(),
                content: sem.text(receiver).to_string(),
            }])
        }
        FixAction::Replace { capture, with } => {
            let node = ctx.capture(capture)?;
            let mut content = with.clone();
            // Longest capture names first so `$a` does not eat `$ab`.
            let mut names: Vec<&str> = ctx.capture_names();
            names.sort_by_key(|n| std::cmp::Reverse(n.len()));
            for name in names {
                let placeholder = format!("${name}");
                if content.contains(&placeholder) {
                    let text = ctx.capture(name).map(|n| sem.text(n)).unwrap_or_default();
                    content = content.replace(&placeholder, text);
                }
            }
            Some(vec![Edit {
                start_byte: node.start_byte(),
                end_byte: node.end_byte(),
                content,
            }])
        }
    }
}

fn make_diagnostic(
    rules: &RuleSet,
    mref: MatcherRef,
    node: Node<'_>,
    label: Option<&str>,
    path: &Path,
    source: &str,
    columns: &ColumnCache,
) -> Diagnostic {
    let rule = &rules.rules()[mref.rule];
    let matcher = &rule.matchers[mref.matcher];
    let mut d = Diagnostic::for_matcher(rule, matcher, label.unwrap_or("credential"), path);
    // tree-sitter knows each node's row and byte column, so no scan from the file start.
    let position = |offset: usize, point: tree_sitter::Point| {
        let line_start = offset.saturating_sub(point.column);
        let column = columns
            .chars(source, line_start, offset)
            .unwrap_or(point.column);
        Position {
            line: point.row + 1,
            column: column + 1,
        }
    };
    d.range = Range {
        start: position(node.start_byte(), node.start_position()),
        end: position(node.end_byte(), node.end_position()),
        start_byte: node.start_byte(),
        end_byte: node.end_byte(),
    };
    d.source_line = capped_line_at(source, node.start_byte(), node.start_position().column);
    d
}

/// Character columns already counted on one line, so that a thousand findings on a 10 MB
/// line do not each count from the line's start.
#[derive(Default)]
pub(crate) struct ColumnCache {
    /// The line start the checkpoints are for, and byte offset -> characters since it.
    line: RefCell<(usize, std::collections::BTreeMap<usize, usize>)>,
}

impl ColumnCache {
    /// Characters between `line_start` and `offset` (`None` off character boundaries).
    fn chars(&self, source: &str, line_start: usize, offset: usize) -> Option<usize> {
        let mut line = self.line.borrow_mut();
        if line.0 != line_start {
            *line = (line_start, std::collections::BTreeMap::new());
        }
        let (from, counted) = line
            .1
            .range(..=offset)
            .next_back()
            .map_or((line_start, 0), |(o, c)| (*o, *c));
        let chars = counted + source.get(from..offset)?.chars().count();
        line.1.insert(offset, chars);
        Some(chars)
    }
}

/// The longest source line a diagnostic copies (a 10 MB line with a thousand findings would
/// otherwise be copied a thousand times); longer lines keep their first bytes.
pub const MAX_SOURCE_LINE: usize = 1024;

/// The line around `offset` (`column`: the byte column of `offset`, known from the tree),
/// cut to [`MAX_SOURCE_LINE`] bytes. Looks at no more than that many bytes.
pub(crate) fn capped_line_at(source: &str, offset: usize, column: usize) -> String {
    let offset = offset.min(source.len());
    let start = offset.saturating_sub(column);
    let start = if source.is_char_boundary(start)
        && (start == 0 || source.as_bytes()[start - 1] == b'\n')
    {
        start
    } else {
        source[..offset].rfind('\n').map_or(0, |i| i + 1)
    };
    let mut limit = (start + MAX_SOURCE_LINE).min(source.len());
    while !source.is_char_boundary(limit) {
        limit -= 1;
    }
    let end = source[start..limit].find('\n').map_or(limit, |i| start + i);
    source[start..end].trim_end_matches('\r').to_string()
}

/// Line starts of a source, built once, for turning many byte offsets into positions without
/// rescanning the text from its start each time.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            source
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The byte offset where 1-based `line` starts.
    pub(crate) fn line_start(&self, line: usize) -> usize {
        self.starts[line - 1]
    }

    /// 1-based line and column (in characters) of `offset`.
    pub(crate) fn position(&self, source: &str, offset: usize) -> Position {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|s| *s <= offset);
        let line_start = self.starts[line - 1];
        Position {
            line,
            column: source[line_start..offset].chars().count() + 1,
        }
    }
}

/// Converts byte offsets to a [`Range`].
pub fn range_of(source: &str, start: usize, end: usize) -> Range {
    Range {
        start: position_of(source, start),
        end: position_of(source, end),
        start_byte: start,
        end_byte: end,
    }
}

fn position_of(source: &str, offset: usize) -> Position {
    let offset = offset.min(source.len());
    let before = &source.as_bytes()[..offset];
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Position { line, column }
}

/// Drops the findings the file's inline suppressions name (when they are honoured), counting
/// them and the suppressions that matched nothing. `parse` reads the file's suppressions; it
/// runs only when the text holds a marker.
pub(crate) fn apply_inline_suppressions(
    report: &mut SourceReport,
    rules: &RuleSet,
    options: &ScanOptions,
    source: &str,
    parse: impl FnOnce() -> Vec<crate::suppress::Suppression>,
) {
    let may_suppress = crate::suppress::MARKER_WORDS
        .iter()
        .any(|marker| source.contains(marker));
    if !options.inline_suppressions || !may_suppress {
        return;
    }
    let suppressions = parse();
    let (suppressed, unused) =
        crate::suppress::apply(&mut report.diagnostics, &suppressions, |id| {
            rules
                .rules()
                .iter()
                .find(|r| r.id == id)
                .map_or(&[][..], |r| r.metadata.equivalents.as_slice())
        });
    report.suppressed = suppressed;
    report.unused_suppressions = unused;
}

/// Drops duplicates (same rule, same range) and findings superseded by a more specific rule,
/// then sorts by position.
pub(crate) fn finalize(
    rules: &RuleSet,
    found: Vec<(MatcherRef, Diagnostic)>,
) -> (Vec<Diagnostic>, usize) {
    // Hashed, not pairwise: a file can have a hundred thousand findings.
    let mut out: Vec<Diagnostic> = Vec::with_capacity(found.len());
    let mut seen: std::collections::HashMap<(String, Range), usize> =
        std::collections::HashMap::new();
    for (_, d) in found {
        // Same rule, same range from two matchers: keep one, preferring the one with a fix.
        match seen.entry((d.rule_id.clone(), d.range)) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let existing = &mut out[*e.get()];
                if existing.fix.is_none() && d.fix.is_some() {
                    *existing = d;
                }
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(out.len());
                out.push(d);
            }
        }
    }
    // Superseded rule id (upper case) -> byte ranges of the findings that supersede it,
    // sorted by start, with the running maximum of their ends: `d` is superseded when one of
    // them starting before `d` ends reaches past `d`'s start.
    let mut superseding: std::collections::HashMap<String, Vec<(usize, usize)>> =
        std::collections::HashMap::new();
    for other in &out {
        if let Some(rule) = rules.find(&other.rule_id) {
            for s in &rule.supersedes {
                superseding
                    .entry(s.to_ascii_uppercase())
                    .or_default()
                    .push((other.range.start_byte, other.range.end_byte));
            }
        }
    }
    for ranges in superseding.values_mut() {
        ranges.sort_unstable();
        let mut max_end = 0;
        for r in ranges.iter_mut() {
            max_end = max_end.max(r.1);
            r.1 = max_end;
        }
    }
    let superseded: Vec<bool> = out
        .iter()
        .map(|d| {
            superseding
                .get(&d.rule_id.to_ascii_uppercase())
                .is_some_and(|ranges| {
                    let before = ranges.partition_point(|(start, _)| *start < d.range.end_byte);
                    before > 0 && ranges[before - 1].1 > d.range.start_byte
                })
        })
        .collect();
    let mut out: Vec<Diagnostic> = out
        .into_iter()
        .zip(superseded)
        .filter(|(_, s)| !s)
        .map(|(d, _)| d)
        .collect();
    out.sort_by(|a, b| {
        a.range
            .cmp(&b.range)
            .then_with(|| a.rule_id.cmp(&b.rule_id))
    });
    let mut dropped = 0;
    if out.len() > MAX_FINDINGS_PER_FILE {
        dropped = out.len() - MAX_FINDINGS_PER_FILE;
        // Stable: among equals, the earlier findings stay.
        out.sort_by_key(|d| std::cmp::Reverse(d.severity));
        out.truncate(MAX_FINDINGS_PER_FILE);
        out.sort_by(|a, b| {
            a.range
                .cmp(&b.range)
                .then_with(|| a.rule_id.cmp(&b.rule_id))
        });
    }
    (out, dropped)
}

/// For rules reported once per file (see the schema's `once-per-file`): the first finding of
/// each message stays and names the lines of the others, which go.
pub(crate) fn once_per_file(rules: &RuleSet, out: &mut Vec<Diagnostic>) {
    if !out
        .iter()
        .any(|d| rules.find(&d.rule_id).is_some_and(|r| r.once_per_file))
    {
        return;
    }
    let mut first: std::collections::HashMap<(String, String), usize> = Default::default();
    let mut others: Vec<(usize, usize)> = Vec::new();
    let mut keep = vec![true; out.len()];
    for (i, d) in out.iter().enumerate() {
        if !rules.find(&d.rule_id).is_some_and(|r| r.once_per_file) {
            continue;
        }
        match first.entry((d.rule_id.clone(), d.message.clone())) {
            std::collections::hash_map::Entry::Occupied(e) => {
                others.push((*e.get(), d.range.start.line));
                keep[i] = false;
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i);
            }
        }
    }
    let mut lines: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    for (i, line) in others {
        lines.entry(i).or_default().push(line.to_string());
    }
    for (i, lines) in lines {
        let word = if lines.len() == 1 { "line" } else { "lines" };
        out[i].message = format!("{} (also on {word} {})", out[i].message, lines.join(", "));
    }
    let mut index = 0;
    out.retain(|_| {
        index += 1;
        keep[index - 1]
    });
}
