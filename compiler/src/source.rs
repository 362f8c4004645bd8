//! Source files and spans: the input of every stage, and the unit every diagnostic points into.
//!
//! A `Span` is a byte range into one `SourceFile`. Rewritten Cython tokens keep the span
//! of the `.pyx` text they replace, so a span always points at what the user wrote.

use std::fmt;

/// Byte range `start..end` into a [`SourceFile`]'s text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: u32, end: u32) -> Span {
        Span { start, end: end.max(start) }
    }

    /// The smallest span that covers both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Which language a file is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// Cython syntax (`.pyx`): `cdef`, C types, `<T>x` casts, `for i from ...`.
    Pyx,
    /// Plain annotated Python (`.py`, `@jit`), with Cython's pure-Python names.
    Py,
}

impl SourceKind {
    pub fn from_path(path: &str) -> SourceKind {
        if path.ends_with(".pyx") || path.ends_with(".pxi") {
            SourceKind::Pyx
        } else {
            SourceKind::Py
        }
    }
}

/// One file of source text, with a line index for turning spans into line:col.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as the user gave it (used in diagnostics and tracebacks).
    pub path: String,
    pub text: String,
    pub kind: SourceKind,
    /// Added to every reported line number: `@jit` compiles a function cut out of a
    /// larger file, and its diagnostics must name the line in that file.
    pub line_offset: u32,
    line_starts: Vec<u32>,
}

/// A 1-based line and column (columns count characters, as editors do).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for LineCol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>, kind: SourceKind) -> SourceFile {
        let text = text.into();
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        SourceFile { path: path.into(), text, kind, line_offset: 0, line_starts }
    }

    pub fn with_line_offset(mut self, line_offset: u32) -> SourceFile {
        self.line_offset = line_offset;
        self
    }

    /// 0-based index of the line holding byte `offset`.
    fn line_index(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Line and column of a byte offset, with `line_offset` applied. The column counts
    /// characters (code points), as CPython's `SyntaxError.offset` does; an offset inside a
    /// UTF-8 sequence counts as the character it falls in.
    pub fn line_col(&self, offset: u32) -> LineCol {
        let mut offset = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let idx = self.line_index(offset as u32);
        let start = self.line_starts[idx] as usize;
        let col = self.text[start..offset].chars().count() as u32 + 1;
        LineCol { line: idx as u32 + 1 + self.line_offset, col }
    }

    /// The text of the line holding byte `offset`, without its newline.
    pub fn line_text(&self, offset: u32) -> &str {
        let idx = self.line_index(offset.min(self.text.len() as u32));
        let start = self.line_starts[idx] as usize;
        let end = self.line_starts.get(idx + 1).map(|&e| e as usize).unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The source text a span covers.
    pub fn snippet(&self, span: Span) -> &str {
        let len = self.text.len();
        let (s, e) = ((span.start as usize).min(len), (span.end as usize).min(len));
        self.text.get(s..e).unwrap_or("")
    }
}

/// A line without its trailing comment and whitespace: the code a caret may point at.
/// (A `#` inside a string literal does not start a comment.)
pub fn code_prefix(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '#' => return line[..i].trim_end(),
            None if c == '"' || c == '\'' => quote = Some(c),
            None => {}
        }
    }
    line.trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_applies_offset() {
        let f = SourceFile::new("a.py", "ab\ncdé\nx", SourceKind::Py);
        assert_eq!(f.line_col(0), LineCol { line: 1, col: 1 });
        assert_eq!(f.line_col(4), LineCol { line: 2, col: 2 });
        assert_eq!(f.line_col(7), LineCol { line: 2, col: 4 });
        assert_eq!(f.line_col(8), LineCol { line: 3, col: 1 });
        assert_eq!(f.line_text(5), "cdé");
        assert_eq!(code_prefix("    try:  # error"), "    try:");
        assert_eq!(code_prefix("x = '#'  # c"), "x = '#'");
        assert_eq!(code_prefix("y = 1   "), "y = 1");
        // Inside `é` (bytes 5..7): the column of `é`, no panic.
        assert_eq!(f.line_col(6), LineCol { line: 2, col: 3 });
        let g = f.with_line_offset(10);
        assert_eq!(g.line_col(9).line, 13);
    }
}
