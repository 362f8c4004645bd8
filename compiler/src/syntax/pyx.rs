//! Syntax (`.pyx`): Cython text → AST plus [`CythonInfo`], and → plain Python for CPython.
//!
//! The pipeline: `lex` (rustpython's lexer, plus `?`) → `rewrite`/`stmt` (Cython forms
//! become Python tokens carrying their `.pyx` ranges, and text edits for the translation)
//! → `remap` (the parser runs on synthetic increasing positions, and the tree's ranges are
//! mapped back into the `.pyx` text). How each form appears in the AST is documented in
//! `syntax/mod.rs`; in addition:
//! - `cdef x = 1` (no type) declares an `object`: `x: c:object = 1`, as in Cython.
//! - `double[:] a not None` drops the `not None`.
//! - Type words are canonicalised: `unsigned` → `unsigned int`, `long int` → `long`,
//!   `signed short` → `short` (`signed char` stays).
//!
//! Spans: a synthetic token carries the `.pyx` range of what it stands for (`def` the
//! `cdef`/`cpdef` keyword, a `c:` annotation the type's words, a cast's name the whole
//! `<T>`, inserted parentheses are empty ranges). A node whose tokens are out of text order
//! covers all of them: the parameter written `int x` spans `int x` (its annotation `int`),
//! the declaration `cdef int i` spans `cdef int i` (its target `i`, its annotation `int`).

mod ctype;
mod lex;
mod remap;
mod rewrite;
mod stmt;
mod translate;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_robust;

use super::{ast, CythonInfo, Directive, ParsedModule};
use crate::diagnostics::{has_errors, Diagnostic};
use crate::source::{SourceFile, Span};

/// The front end shared by `parse_pyx` and `translate_to_python`.
fn front_end(file: &SourceFile) -> (Option<(Vec<ast::Stmt>, rewrite::Rewritten)>, Vec<Diagnostic>) {
    let tokens = match lex::lex_pyx(&file.text, &file.path) {
        Ok(tokens) => tokens,
        Err(diag) => return (None, vec![diag]),
    };
    if let Some(range) = super::depth::overlong_statement(tokens.iter().map(|(tok, range)| (tok, *range))) {
        return (None, vec![super::depth::overlong_statement_diagnostic(super::span_of(range))]);
    }
    let mut rewritten = rewrite::rewrite(&file.text, &tokens);
    let mut diags = std::mem::take(&mut rewritten.diags);
    if rewritten.syntax_error {
        return (None, diags);
    }
    match remap::parse_rewritten(std::mem::take(&mut rewritten.tokens), &file.text, &file.path) {
        Ok(body) => (Some((body, rewritten)), diags),
        Err(diag) => {
            diags.push(diag);
            (None, diags)
        }
    }
}

/// Parses a `.pyx` file. Returns `None` (with a `syntax-error`) when it does not parse;
/// constructs pycc does not support are reported as `unsupported-syntax` and skipped, and
/// the rest of the file is still returned.
pub(crate) fn parse_pyx(file: &SourceFile) -> (Option<ParsedModule>, Vec<Diagnostic>) {
    let (parsed, diags) = front_end(file);
    let module = parsed.map(|(body, rewritten)| {
        let cython = CythonInfo {
            directives: header_directives(&file.text),
            functions: rewritten.functions.into_iter().collect(),
            cimports: rewritten.cimports.into_iter().collect(),
        };
        ParsedModule { body, cython }
    });
    (module, diags)
}

/// The same `.pyx` as plain Python with the same line numbers, for CPython to run.
pub(crate) fn translate_to_python(file: &SourceFile) -> Result<String, Vec<Diagnostic>> {
    let (parsed, diags) = front_end(file);
    match parsed {
        Some((_, rewritten)) if !has_errors(&diags) => Ok(translate::apply_edits(&file.text, rewritten.edits)),
        _ => Err(diags),
    }
}

/// Directives from `# cython: a=b, c=d` comment lines at the top of a file (before the
/// first line that is neither blank nor a comment). Each directive's span covers its
/// `name=value` text; an entry without `=` gets an empty value, for the checker to report.
pub(crate) fn header_directives(text: &str) -> Vec<Directive> {
    let mut directives = Vec::new();
    let mut offset = 0usize;
    for (index, raw_line) in text.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += raw_line.len();
        let mut line = raw_line.trim_end_matches(['\n', '\r']);
        let mut start = line_start;
        if index == 0 {
            if let Some(rest) = line.strip_prefix('\u{feff}') {
                start += '\u{feff}'.len_utf8();
                line = rest;
            }
        }
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            continue;
        }
        let Some(comment) = trimmed.strip_prefix('#') else { break };
        let Some(after_word) = comment.trim_start().strip_prefix("cython") else { continue };
        let Some(list) = after_word.trim_start().strip_prefix(':') else { continue };
        let mut item_start = start + (line.len() - list.len());
        for item in list.split(',') {
            let lead = item.len() - item.trim_start().len();
            let body = item.trim();
            if !body.is_empty() {
                let (name, value) = match body.split_once('=') {
                    Some((n, v)) => (n.trim(), v.trim()),
                    None => (body, ""),
                };
                let s = (item_start + lead) as u32;
                directives.push(Directive { name: name.to_string(), value: value.to_string(), span: Span::new(s, s + body.len() as u32) });
            }
            item_start += item.len() + 1;
        }
    }
    directives
}
