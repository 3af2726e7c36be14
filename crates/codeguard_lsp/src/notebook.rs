//! Notebook documents (LSP 3.17 `notebookDocument/*`): the server mirrors each open notebook's
//! cells, scans its Python code cells as one Python file (names defined in one cell are known
//! in the next, as when the notebook runs) and hands each cell the findings inside it, with
//! byte offsets relative to the cell's text.
//!
//! Messages that do not fit what the server holds (an unknown cell, a cell range or text
//! position out of bounds) are logged on stderr, the LSP log, and that part is skipped: a
//! misbehaving client must not take the server down.

use std::collections::HashMap;
use std::path::PathBuf;

use codeguard_engine::Diagnostic as Finding;
use tower_lsp_server::ls_types::{
    DidOpenNotebookDocumentParams, NotebookCellKind, NotebookDocumentChangeEvent,
    TextDocumentContentChangeEvent, TextDocumentItem, Uri,
};

use crate::convert::LineIndex;

/// A cell's text document, once the client opened it.
struct CellText {
    language: String,
    version: i32,
    text: String,
}

/// Where a code cell is in the notebook's Python code.
struct CellSpan {
    uri: Uri,
    /// Byte offset of the cell's first byte in the code.
    start: usize,
    /// The cell text's length (the code may add a newline after it).
    len: usize,
    /// 0-based line of the cell's first line in the code.
    line: usize,
}

/// The Python code of the code cells, built on demand after each change.
pub(crate) struct Code {
    pub(crate) source: String,
    spans: Vec<CellSpan>,
}

pub(crate) struct OpenNotebook {
    pub(crate) version: i32,
    /// What the scan is told the file is (the notebook's path).
    pub(crate) path: PathBuf,
    /// Every synced cell in notebook order, and whether it is a code cell.
    cells: Vec<(Uri, bool)>,
    texts: HashMap<Uri, CellText>,
    code: Option<Code>,
    /// What the scan of `tree_text` left for re-scanning the next version.
    pub(crate) parsed: Option<crate::Parsed>,
    pub(crate) tree_text: String,
    /// Findings on `code` with the current rules; cleared by edits and rule reloads.
    pub(crate) findings: Option<Vec<Finding>>,
}

fn log(notebook: &Uri, what: std::fmt::Arguments<'_>) {
    eprintln!(
        "codeguard lsp: notebook {}: {what}, ignored",
        notebook.as_str()
    );
}

impl OpenNotebook {
    pub(crate) fn open(params: DidOpenNotebookDocumentParams) -> Self {
        let doc = params.notebook_document;
        let path = doc
            .uri
            .to_file_path()
            .map(|p| p.into_owned())
            .unwrap_or_else(|| PathBuf::from(doc.uri.as_str()));
        let mut notebook = OpenNotebook {
            version: doc.version,
            path,
            cells: doc
                .cells
                .into_iter()
                .map(|c| (c.document, c.kind == NotebookCellKind::CODE))
                .collect(),
            texts: HashMap::new(),
            code: None,
            parsed: None,
            tree_text: String::new(),
            findings: None,
        };
        notebook.open_cells(&doc.uri, params.cell_text_documents);
        notebook
    }

    fn open_cells(&mut self, notebook: &Uri, items: Vec<TextDocumentItem>) {
        for item in items {
            if !self.holds(&item.uri) {
                log(
                    notebook,
                    format_args!("text of {}, not one of its cells", item.uri.as_str()),
                );
                continue;
            }
            self.texts.insert(
                item.uri,
                CellText {
                    language: item.language_id,
                    version: item.version,
                    text: item.text,
                },
            );
        }
    }

    /// Whether `uri` is one of this notebook's cells.
    pub(crate) fn holds(&self, uri: &Uri) -> bool {
        self.cells.iter().any(|(cell, _)| cell == uri)
    }

    /// The cells whose diagnostics the client may show.
    pub(crate) fn cell_uris(&self) -> Vec<Uri> {
        self.cells.iter().map(|(uri, _)| uri.clone()).collect()
    }

    pub(crate) fn cell_version(&self, uri: &Uri) -> Option<i32> {
        self.texts.get(uri).map(|t| t.version)
    }

    /// Applies a `notebookDocument/didChange`; returns the cells that left the notebook (their
    /// diagnostics are to be cleared). Parts that do not fit are logged and skipped.
    pub(crate) fn apply(
        &mut self,
        notebook: &Uri,
        version: i32,
        change: NotebookDocumentChangeEvent,
    ) -> Vec<Uri> {
        self.version = version;
        self.code = None;
        self.findings = None;
        let mut gone = Vec::new();
        let Some(cells) = change.cells else {
            return gone;
        };
        if let Some(structure) = cells.structure {
            let array = structure.array;
            let start = array.start as usize;
            let end = start.checked_add(array.delete_count as usize);
            match end.filter(|end| *end <= self.cells.len()) {
                Some(end) => {
                    let added = array.cells.unwrap_or_default();
                    let removed: Vec<(Uri, bool)> = self
                        .cells
                        .splice(
                            start..end,
                            added
                                .into_iter()
                                .map(|c| (c.document, c.kind == NotebookCellKind::CODE)),
                        )
                        .collect();
                    // A moved cell is deleted and inserted again: it has not left.
                    for (uri, _) in removed {
                        if !self.holds(&uri) {
                            self.texts.remove(&uri);
                            gone.push(uri);
                        }
                    }
                }
                None => log(
                    notebook,
                    format_args!(
                        "deleting {} cells at {start} of {}",
                        array.delete_count,
                        self.cells.len()
                    ),
                ),
            }
            // Closed before opened: a cell whose language changed is closed and opened again.
            for closed in structure.did_close.unwrap_or_default() {
                self.texts.remove(&closed.uri);
                if !gone.contains(&closed.uri) {
                    gone.push(closed.uri);
                }
            }
            self.open_cells(notebook, structure.did_open.unwrap_or_default());
            gone.retain(|uri| !self.texts.contains_key(uri));
        }
        for data in cells.data.unwrap_or_default() {
            match self.cells.iter_mut().find(|(uri, _)| *uri == data.document) {
                Some(cell) => cell.1 = data.kind == NotebookCellKind::CODE,
                None => log(
                    notebook,
                    format_args!("new data for unknown cell {}", data.document.as_str()),
                ),
            }
        }
        for content in cells.text_content.unwrap_or_default() {
            let uri = content.document.uri;
            let Some(cell) = self.texts.get_mut(&uri) else {
                log(
                    notebook,
                    format_args!("text change in unknown cell {}", uri.as_str()),
                );
                continue;
            };
            cell.version = content.document.version;
            for edit in content.changes {
                if let Err(e) = apply_edit(&mut cell.text, edit) {
                    log(notebook, format_args!("cell {}: {e}", uri.as_str()));
                }
            }
        }
        gone
    }

    /// Forgets the findings (the rules changed).
    pub(crate) fn forget_findings(&mut self) {
        self.findings = None;
    }

    /// The Python code of the code cells (Python cells only: a cell in another language is
    /// not part of the program the Python kernel runs).
    pub(crate) fn code(&mut self) -> &Code {
        self.code.get_or_insert_with(|| {
            let cells: Vec<(&Uri, &str)> = self
                .cells
                .iter()
                .filter(|(_, code)| *code)
                .filter_map(|(uri, _)| {
                    let text = self.texts.get(uri)?;
                    text.language
                        .eq_ignore_ascii_case("python")
                        .then_some((uri, text.text.as_str()))
                })
                .collect();
            let (source, starts) =
                codeguard_engine::python_of_cells(cells.iter().map(|(_, text)| *text));
            let index = LineIndex::new(&source);
            let spans = cells
                .iter()
                .zip(starts)
                .map(|((uri, text), start)| CellSpan {
                    uri: (*uri).clone(),
                    start,
                    len: text.len(),
                    line: index.position(start).line as usize,
                })
                .collect();
            Code { source, spans }
        })
    }

    /// The findings inside one cell, moved to its text: byte offsets and lines relative to the
    /// cell, fixes kept when all their edits are inside it, flow steps in other cells left
    /// out (a related location names one document). With the cell's text.
    pub(crate) fn cell_findings(&mut self, cell: &Uri) -> Option<(Vec<Finding>, String)> {
        let text = self.texts.get(cell)?.text.clone();
        let findings = self.findings.clone().unwrap_or_default();
        let code = self.code();
        let Some(span) = code.spans.iter().find(|s| s.uri == *cell) else {
            // Not a Python code cell: nothing to report in it.
            return Some((Vec::new(), text));
        };
        let (start, end) = (span.start, span.start + span.len);
        let lines = text.matches('\n').count() + 1;
        let inside_line = |line: usize| line > span.line && line <= span.line + lines;
        // A finding at the very end of a cell without a final newline is on the newline the
        // code adds, still the cell's.
        let owns_end = !text.is_empty() && !text.ends_with('\n');
        let moved = findings
            .into_iter()
            .filter(|f| {
                (start..end).contains(&f.range.start_byte)
                    || (owns_end && f.range.start_byte == end)
            })
            .map(|mut f| {
                f.range.start_byte -= start;
                f.range.end_byte = f.range.end_byte.clamp(start, end) - start;
                f.range.start.line = f.range.start.line.saturating_sub(span.line);
                f.range.end.line = f.range.end.line.saturating_sub(span.line);
                f.fix = f.fix.take().filter(|fix| {
                    fix.edits
                        .iter()
                        .all(|e| start <= e.start_byte && e.end_byte <= end)
                });
                if let Some(fix) = &mut f.fix {
                    for e in &mut fix.edits {
                        e.start_byte -= start;
                        e.end_byte -= start;
                    }
                }
                f.flow.retain(|step| inside_line(step.line));
                for step in &mut f.flow {
                    step.line -= span.line;
                }
                f
            })
            .collect();
        Some((moved, text))
    }
}

/// Applies one content change (the whole text, or a range) to a cell's text.
fn apply_edit(text: &mut String, edit: TextDocumentContentChangeEvent) -> Result<(), String> {
    let Some(range) = edit.range else {
        *text = edit.text;
        return Ok(());
    };
    let index = LineIndex::new(text);
    let (Some(start), Some(end)) = (index.offset(range.start), index.offset(range.end)) else {
        return Err(format!("a change at {range:?} is outside the text"));
    };
    if start > end {
        return Err(format!("a change at {range:?} ends before it starts"));
    }
    text.replace_range(start..end, &edit.text);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn uri(n: u32) -> Uri {
        format!("vscode-notebook-cell:/nb.ipynb#C{n}")
            .parse()
            .unwrap()
    }

    fn change(cells: serde_json::Value) -> NotebookDocumentChangeEvent {
        serde_json::from_value(serde_json::json!({ "cells": cells })).unwrap()
    }

    #[test]
    fn cell_structure_changes_rebuild_the_code() {
        let nb: Uri = "file:///nb.ipynb".parse().unwrap();
        let params = serde_json::json!({
            "notebookDocument": {"uri": "file:///nb.ipynb", "notebookType": "jupyter-notebook", "version": 1, "cells": [
                {"kind": 2, "document": uri(1)}, {"kind": 1, "document": uri(2)}, {"kind": 2, "document": uri(3)},
            ]},
            "cellTextDocuments": [
                {"uri": uri(1), "languageId": "python", "version": 1, "text": "a = 1"},
                {"uri": uri(2), "languageId": "markdown", "version": 1, "text": "# a = 2"},
                {"uri": uri(3), "languageId": "python", "version": 1, "text": "!ls\nb = 2\n"},
            ],
        });
        let mut notebook = OpenNotebook::open(serde_json::from_value(params).unwrap());
        assert_eq!(notebook.code().source, "a = 1\n#ls\nb = 2\n");
        let lines: Vec<usize> = notebook.code().spans.iter().map(|s| s.line).collect();
        assert_eq!(lines, [0, 1]);

        // A move is a delete and an insert of the same cells: nothing leaves.
        let moved = change(
            serde_json::json!({"structure": {"array": {"start": 0, "deleteCount": 3, "cells": [
                {"kind": 2, "document": uri(3)}, {"kind": 1, "document": uri(2)}, {"kind": 2, "document": uri(1)},
            ]}}}),
        );
        assert!(notebook.apply(&nb, 2, moved).is_empty());
        assert_eq!(notebook.code().source, "#ls\nb = 2\na = 1\n");

        // A cell whose language changed is closed and opened again; a deleted cell leaves.
        let relabel = change(serde_json::json!({"structure": {
            "array": {"start": 2, "deleteCount": 1},
            "didClose": [{"uri": uri(1)}, {"uri": uri(3)}],
            "didOpen": [{"uri": uri(3), "languageId": "r", "version": 2, "text": "b <- 2\n"}],
        }}));
        assert_eq!(notebook.apply(&nb, 3, relabel), [uri(1)]);
        assert_eq!(notebook.code().source, "");
        assert_eq!(notebook.cell_uris(), [uri(3), uri(2)]);
    }

    #[test]
    fn range_changes_apply_and_bad_ones_are_refused() {
        let mut text = String::from("import pickle\npickle.loads(d)\n");
        let change = |(l0, c0), (l1, c1), new: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l0, c0), Position::new(l1, c1))),
            range_length: None,
            text: new.into(),
        };
        apply_edit(&mut text, change((1, 7), (1, 12), "dumps")).unwrap();
        assert_eq!(text, "import pickle\npickle.dumps(d)\n");
        assert!(apply_edit(&mut text, change((5, 0), (5, 1), "x")).is_err());
        assert!(apply_edit(&mut text, change((1, 3), (1, 1), "x")).is_err());
        assert_eq!(text, "import pickle\npickle.dumps(d)\n");
    }
}
