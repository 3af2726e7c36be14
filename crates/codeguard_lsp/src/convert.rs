//! Byte offsets to LSP positions (lines and UTF-16 code units, the protocol's default).

use tower_lsp_server::ls_types::{Position, Range};

pub(crate) struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, line_starts }
    }

    pub(crate) fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|s| *s <= offset) - 1;
        let start = self.line_starts[line];
        let column: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, column as u32)
    }

    pub(crate) fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The byte offset of an LSP position; a character past the end of its line means the end
    /// of the line (as the protocol says), a line past the end of the text is `None`.
    pub(crate) fn offset(&self, position: Position) -> Option<usize> {
        let start = *self.line_starts.get(position.line as usize)?;
        let rest = &self.text[start..];
        let line_text = &rest[..rest.find('\n').map_or(rest.len(), |i| i + 1)];
        let mut units = 0;
        for (i, c) in line_text.char_indices() {
            if units >= position.character as usize || c == '\n' {
                return Some(start + i);
            }
            units += c.len_utf16();
        }
        Some(start + line_text.len())
    }

    /// The byte offset of a 1-based line and 1-based column counted in characters (how flow
    /// steps are reported), clamped to the text.
    pub(crate) fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let line_text = &rest[..rest.find('\n').unwrap_or(rest.len())];
        start
            + line_text
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(line_text.len(), |(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_code_units() {
        let text = "a = 1\nπ = \"😀\"; eval(x)\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), Position::new(0, 0));
        let eval = text.find("eval").unwrap();
        // π is one UTF-16 unit, 😀 two.
        assert_eq!(index.position(eval), Position::new(1, 10));
        assert_eq!(index.position(text.len()), Position::new(2, 0));
    }

    #[test]
    fn positions_become_offsets() {
        let text = "π😀x\nab";
        let index = LineIndex::new(text);
        // π is 2 bytes and 1 unit, 😀 4 bytes and 2 units.
        assert_eq!(index.offset(Position::new(0, 3)), Some(6));
        assert_eq!(index.offset(Position::new(0, 99)), Some(7));
        assert_eq!(index.offset(Position::new(1, 1)), Some(9));
        assert_eq!(index.offset(Position::new(1, 9)), Some(10));
        assert_eq!(index.offset(Position::new(2, 0)), None);
    }
}
