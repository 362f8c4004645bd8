//! Renders diagnostics as `file:line:col: error: message [code]`, the source line and a caret.

use super::{Diagnostic, Label, Severity};
use crate::source::SourceFile;
use std::fmt::Write;

/// At most this many diagnostics are rendered (each costs the length of its line).
const MAX_RENDERED: usize = 200;

/// Renders diagnostics in source order, one block each, separated by blank lines.
pub fn render(file: &SourceFile, diags: &[Diagnostic]) -> String {
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));
    let mut out = String::new();
    for (i, d) in sorted.iter().take(MAX_RENDERED).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_one(file, d, &mut out);
    }
    if sorted.len() > MAX_RENDERED {
        let _ = writeln!(out, "\n{}: {} more diagnostics not shown", file.path, sorted.len() - MAX_RENDERED);
    }
    out
}

fn render_one(file: &SourceFile, d: &Diagnostic, out: &mut String) {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let pos = file.line_col(d.primary.span.start);
    let _ = writeln!(out, "{}:{}: {}: {} [{}]", file.path, pos, level, d.message, d.code.name());
    let gutter = (pos.line + 1).to_string().len().max(d.secondary.iter().map(|l| file.line_col(l.span.start).line.to_string().len()).max().unwrap_or(0));
    let _ = writeln!(out, "{:gutter$} |", "");
    render_label(file, &d.primary, '^', gutter, out);
    for label in &d.secondary {
        render_label(file, label, '-', gutter, out);
    }
    for note in &d.notes {
        let _ = writeln!(out, "{:gutter$} = note: {}", "", note);
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{:gutter$} = help: {}", "", help);
    }
}

fn render_label(file: &SourceFile, label: &Label, mark: char, gutter: usize, out: &mut String) {
    let pos = file.line_col(label.span.start);
    let line = file.line_text(label.span.start);
    let _ = writeln!(out, "{:>gutter$} | {}", pos.line, line.replace('\t', " "));
    // The underline of a multi-line span stops at the end of the code on its first line.
    let line_chars = crate::source::code_prefix(line).chars().count() as u32;
    let start_col = pos.col - 1;
    let end_offset = label.span.end.min(label.span.start + (line.len() as u32 + 1));
    let end_col = if file.line_col(end_offset).line == pos.line { file.line_col(end_offset).col - 1 } else { line_chars };
    let width = end_col.saturating_sub(start_col).max(1) as usize;
    let marks: String = std::iter::repeat_n(mark, width).collect();
    let _ = write!(out, "{:gutter$} | {}{}", "", " ".repeat(start_col as usize), marks);
    if label.message.is_empty() {
        out.push('\n');
    } else {
        let _ = writeln!(out, " {}", label.message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;
    use crate::source::{SourceKind, Span};

    #[test]
    fn renders_location_line_and_caret() {
        let f = SourceFile::new("m.pyx", "def f():\n    return y\n", SourceKind::Pyx);
        let d = Diagnostic::error(Code::UndefinedName, Span::new(20, 21), "undefined name `y`");
        let text = render(&f, &[d]);
        assert_eq!(
            text,
            "m.pyx:2:12: error: undefined name `y` [undefined-name]\n  |\n2 |     return y\n  |            ^\n"
        );
    }
}
