//! The `.pyx` front end: rewrites Cython-only forms into Python tokens, keeping spans.

use super::{CythonInfo, Directive, ParsedModule};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{SourceFile, Span};

pub(crate) fn parse_pyx(file: &SourceFile) -> (Option<ParsedModule>, Vec<Diagnostic>) {
    let _ = CythonInfo::default();
    (None, vec![Diagnostic::error(Code::UnsupportedSyntax, Span::default(), ".pyx files are not supported yet")])
}

/// Directives from `# cython: a=b, c=d` comment lines at the top of a file.
pub(crate) fn header_directives(_text: &str) -> Vec<Directive> {
    Vec::new()
}

pub(crate) fn translate_to_python(_file: &SourceFile) -> Result<String, Vec<Diagnostic>> {
    Err(vec![Diagnostic::error(Code::UnsupportedSyntax, Span::default(), ".pyx files are not supported yet")])
}
