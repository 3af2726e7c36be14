//! Jupyter notebooks (`.ipynb`): the code cells of a Python notebook are scanned as one Python
//! file, and each finding is moved back to the line of the notebook file that holds its code.
//! The notebook as a whole is also read as text (provider keys in outputs and markdown).
//!
//! Lines are found in the file by looking for each source line's JSON encoding in order (how
//! nbformat writes cells: one array element per line); where that fails (a cell written as one
//! string), the finding points at the cell's first line.

use std::path::Path;

use codeguard_language::Lang;
use codeguard_rules::{RuleError, RuleSet};

use crate::diagnostic::{Diagnostic, Position};
use crate::scan::{ScanOptions, SourceReport, scan_source};

/// Jupyter notebooks (`.ipynb`).
pub(crate) fn is_notebook(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ipynb"))
}

/// Scans a document as the CLI, the guardrail and the hooks see it: `text` as `lang`, and for
/// a Python notebook also its code cells as Python, with findings moved back to the notebook's
/// lines (a key found by both readings is reported once).
pub fn scan_document(
    rules: &RuleSet,
    lang: Lang,
    path: &Path,
    text: &str,
    options: &ScanOptions,
) -> Result<SourceReport, RuleError> {
    let mut report = scan_source(rules, lang, path, text, options)?;
    let Some(code) = is_notebook(path).then(|| python_cells(text)).flatten() else {
        return Ok(report);
    };
    let cells = scan_source(rules, Lang::Python, path, &code.source, options)?;
    for mut d in cells.diagnostics {
        code.relocate(&mut d);
        let seen = report
            .diagnostics
            .iter()
            .any(|t| t.rule_id == d.rule_id && t.range.start.line == d.range.start.line);
        if !seen {
            report.diagnostics.push(d);
        }
    }
    report.syntax_errors |= cells.syntax_errors;
    report.timed_out |= cells.timed_out;
    report.suppressed += cells.suppressed;
    report.unused_suppressions.extend(cells.unused_suppressions);
    report
        .diagnostics
        .sort_by_key(|d| (d.range.start.line, d.range.start.column));
    Ok(report)
}

/// The languages [`scan_document`] reads a document of `lang` at `path` as.
pub fn document_languages(path: &Path, lang: Lang) -> Vec<Lang> {
    if is_notebook(path) && lang != Lang::Python {
        vec![lang, Lang::Python]
    } else {
        vec![lang]
    }
}

/// The Python code of a notebook, and where each of its lines is in the notebook file.
pub(crate) struct NotebookCode {
    pub source: String,
    /// For each line of `source` (0-based): the notebook file's 1-based line, and the column
    /// (1-based, in characters) where the code starts on it.
    lines: Vec<(usize, usize)>,
}

/// The code cells of a notebook whose kernel is Python (or unnamed); `None` for another kernel
/// or text that is not a notebook.
pub(crate) fn python_cells(text: &str) -> Option<NotebookCode> {
    let notebook: serde_json::Value = serde_json::from_str(text).ok()?;
    let metadata = &notebook["metadata"];
    let language = metadata["kernelspec"]["language"]
        .as_str()
        .or_else(|| metadata["language_info"]["name"].as_str());
    if language.is_some_and(|l| !l.eq_ignore_ascii_case("python")) {
        return None;
    }
    let cells = notebook["cells"].as_array()?;
    let file_lines = line_starts(text);
    let mut code = NotebookCode {
        source: String::new(),
        lines: Vec::new(),
    };
    // Where the search for the next source line's JSON text resumes.
    let mut cursor = 0;
    for cell in cells {
        if cell["cell_type"].as_str() != Some("code") {
            continue;
        }
        let parts: Vec<&str> = match &cell["source"] {
            serde_json::Value::String(s) => vec![s.as_str()],
            serde_json::Value::Array(items) => items.iter().filter_map(|i| i.as_str()).collect(),
            _ => continue,
        };
        let cell_line = position_in_file(&file_lines, cursor).0;
        for part in &parts {
            // nbformat writes each source line as one string ending in `\n`.
            let encoded = serde_json::to_string(part).unwrap_or_default();
            let found = text[cursor..].find(&encoded).map(|i| cursor + i);
            let located = found.map(|at| {
                cursor = at + encoded.len();
                let (line, column) = position_in_file(&file_lines, at);
                (line, column + 1)
            });
            for line in part.split_inclusive('\n') {
                // A part holding several lines (a cell written as one string) points all of
                // them at where it starts.
                let place = located.unwrap_or((cell_line, 1));
                code.lines.push(place);
                code.source.push_str(&neutralize_magic(line));
            }
        }
        if !code.source.is_empty() && !code.source.ends_with('\n') {
            code.source.push('\n');
        }
    }
    (!code.lines.is_empty()).then_some(code)
}

/// The Python code of notebook cells an editor holds (the texts of the code cells, in order),
/// read as for `.ipynb` files: magics as comments, each cell ending in a newline. Also the byte
/// offset where each cell starts in the code; within a cell, offsets are the same as in its
/// text (a neutralised magic keeps its length), so findings map back by subtraction.
pub fn python_of_cells<'a>(cells: impl IntoIterator<Item = &'a str>) -> (String, Vec<usize>) {
    let mut source = String::new();
    let mut starts = Vec::new();
    for cell in cells {
        starts.push(source.len());
        for line in cell.split_inclusive('\n') {
            source.push_str(&neutralize_magic(line));
        }
        if !source.ends_with('\n') && !cell.is_empty() {
            source.push('\n');
        }
    }
    (source, starts)
}

/// IPython magics and shell escapes (`%pip install x`, `!ls`) are not Python: kept as
/// comments, so the lines keep their numbers and the rest of the cell parses.
fn neutralize_magic(line: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = line.trim_start();
    if trimmed.starts_with('%') || trimmed.starts_with('!') {
        let indent = line.len() - trimmed.len();
        std::borrow::Cow::Owned(format!("{}#{}", &line[..indent], &trimmed[1..]))
    } else {
        std::borrow::Cow::Borrowed(line)
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// 1-based line and column (in characters) of a byte offset.
fn position_in_file(starts: &[usize], offset: usize) -> (usize, usize) {
    let line = starts.partition_point(|s| *s <= offset);
    (line, offset - starts[line - 1] + 1)
}

impl NotebookCode {
    /// Moves a finding on the extracted code to the notebook file (its flow steps too).
    pub(crate) fn relocate(&self, diagnostic: &mut Diagnostic) {
        let map = |p: &mut Position| {
            if let Some((line, column)) = p.line.checked_sub(1).and_then(|i| self.lines.get(i)) {
                p.line = *line;
                p.column += column - 1;
            }
        };
        map(&mut diagnostic.range.start);
        map(&mut diagnostic.range.end);
        // Byte offsets would point into the extracted code: no edit can apply to the notebook.
        diagnostic.range.start_byte = 0;
        diagnostic.range.end_byte = 0;
        diagnostic.fix = None;
        for step in &mut diagnostic.flow {
            if let Some((line, _)) = step.line.checked_sub(1).and_then(|i| self.lines.get(i)) {
                step.line = *line;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTEBOOK: &str = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": [
    "# torch.load(x) in prose"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "outputs": [],
   "source": [
    "%pip install torch\n",
    "import torch\n",
    "state = torch.load(\"model.pt\", weights_only=False)"
   ]
  }
 ],
 "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
 "nbformat": 4,
 "nbformat_minor": 5
}"##;

    #[test]
    fn code_cells_become_python_with_their_notebook_lines() {
        let code = python_cells(NOTEBOOK).unwrap();
        assert_eq!(
            code.source,
            "#pip install torch\nimport torch\nstate = torch.load(\"model.pt\", weights_only=False)\n"
        );
        // The third code line is on line 18 of the notebook, after `    "` (5 characters).
        assert_eq!(code.lines[2], (18, 6));
        assert_eq!(code.lines.len(), 3);
    }

    #[test]
    fn editor_cells_become_python_with_their_offsets() {
        let (source, starts) =
            python_of_cells(["!pip install x\nimport pickle", "", "pickle.loads(b)\n"]);
        assert_eq!(source, "#pip install x\nimport pickle\npickle.loads(b)\n");
        assert_eq!(starts, [0, 29, 29]);
    }

    #[test]
    fn other_kernels_and_non_notebooks_are_left_alone() {
        let r = NOTEBOOK.replace("\"language\": \"python\"", "\"language\": \"R\"");
        assert!(python_cells(&r).is_none());
        assert!(python_cells("not json").is_none());
        assert!(python_cells("{\"cells\": 3}").is_none());
    }
}
