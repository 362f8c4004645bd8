//! Syntax: source text → AST plus the Cython declarations, as data beside the AST.
//!
//! `.py` files are parsed as they are. `.pyx` files first go through `pyx.rs`, which
//! rewrites the Cython-only forms into Python tokens (keeping each token's `.pyx` span) and
//! records what they declared in [`CythonInfo`]. Only this folder names `rustpython_parser`;
//! the rest of the compiler uses `crate::syntax::ast`.
//!
//! ## How Cython forms appear in the AST
//! - A C type written in Cython syntax (`cdef unsigned long x`, `def f(double[:, ::1] a)`,
//!   `cdef int f(...)`) becomes an annotation `Name` whose id is `c:` followed by the
//!   canonical type text: `c:unsigned long`, `c:double[:, ::1]`, `c:const double[:]`.
//!   Annotations the user wrote (`x: float`) are left as they are, so the checker can tell
//!   C types from Python ones.
//! - A cast `<double>x` becomes `Call(func=Name("<double>"), args=[x])`; `<T?>x` keeps the `?`.
//! - `cdef int i, j = 0` becomes `i: c:int` and `j: c:int = 0` (two `AnnAssign`s).
//! - `cdef`/`cpdef` functions become `def`s with the declaration in `CythonInfo::functions`.
//! - `for i from a <= i < b by s` becomes `for i in range(a, b, s)` (bounds adjusted).
//! - `cimport x` / `from x cimport y` become imports, listed in `CythonInfo::cimports`.

pub(crate) mod depth;
pub(crate) mod pyx;

pub(crate) use rustpython_parser::ast;

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{SourceFile, SourceKind, Span};
use crate::tir::FuncKind;
use std::collections::{HashMap, HashSet};

/// A parsed file.
#[derive(Debug)]
pub(crate) struct ParsedModule {
    pub body: Vec<ast::Stmt>,
    pub cython: CythonInfo,
}

/// What the Cython-only syntax declared, keyed by the byte offset where the AST node starts
/// (which is the offset of the `cdef`/`cpdef` keyword for rewritten functions).
#[derive(Debug, Default)]
pub(crate) struct CythonInfo {
    /// From `# cython: name=value, ...` comments before the first statement (both file kinds).
    pub directives: Vec<Directive>,
    /// Functions declared with `cdef`/`cpdef` (keyed by the `FunctionDef` node's start).
    /// A `def` in a `.pyx` file has no entry.
    pub functions: HashMap<u32, FuncDecl>,
    /// `Import`/`ImportFrom` statements that were written as `cimport` (keyed by node start).
    pub cimports: HashSet<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Directive {
    pub name: String,
    pub value: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FuncDecl {
    pub kind: FuncKind,
    pub inline: bool,
    pub nogil: bool,
    /// The `except ...` clause as written (`-1`, `? -1`, `*`), or `noexcept`.
    pub except: Option<String>,
    /// The span of the `cdef`/`cpdef` keyword.
    pub span: Span,
}

pub(crate) fn span_of(range: rustpython_parser::text_size::TextRange) -> Span {
    Span::new(range.start().into(), range.end().into())
}

/// Parses the text of a string annotation (`"List[int]"`, `"Foo"`) as an expression; `None`
/// when it is not one, or is longer or more deeply bracketed than an annotation needs
/// (the checker's recursion over it stays shallow).
pub(crate) fn parse_annotation(text: &str) -> Option<ast::Expr> {
    const MAX_LEN: usize = 1000;
    const MAX_BRACKETS: usize = 32;
    let (mut depth, mut deepest) = (0usize, 0usize);
    for c in text.chars() {
        match c {
            '[' | '(' | '{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ']' | ')' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if text.len() > MAX_LEN || deepest > MAX_BRACKETS || text.contains(['\n', '\r']) {
        return None;
    }
    rustpython_parser::parse(text, rustpython_parser::Mode::Expression, "<annotation>").ok().and_then(|m| match m {
        ast::Mod::Expression(e) => Some(*e.body),
        _ => None,
    })
}

/// Parses a file of either kind. Returns `None` with at least one error diagnostic when the
/// text does not parse or nests deeper than `depth::MAX_NESTING` (so that no later stage
/// sees a tree deeper than that). Runs on a thread of its own with a known stack.
pub(crate) fn parse_file(file: &SourceFile) -> (Option<ParsedModule>, Vec<Diagnostic>) {
    parse_file_here(file)
}

fn parse_file_here(file: &SourceFile) -> (Option<ParsedModule>, Vec<Diagnostic>) {
    match file.kind {
        SourceKind::Pyx => pyx::parse_pyx(file),
        SourceKind::Py => {
            let mut diags = Vec::new();
            let directives = pyx::header_directives(&file.text);
            match parse_python(file) {
                Ok(body) => (Some(ParsedModule { body, cython: CythonInfo { directives, ..CythonInfo::default() } }), diags),
                Err(d) => {
                    diags.push(d);
                    (None, diags)
                }
            }
        }
    }
}

fn parse_python(file: &SourceFile) -> Result<Vec<ast::Stmt>, Diagnostic> {
    // Up to and with the first error: after an error at the end of the text (an unclosed
    // bracket), the lexer yields the same error forever.
    let mut tokens = Vec::new();
    for item in rustpython_parser::lexer::lex(&file.text, rustpython_parser::Mode::Module) {
        let last = matches!(item, Err(_) | Ok((rustpython_parser::Tok::EndOfFile, _)));
        tokens.push(item);
        if last {
            break;
        }
    }
    if let Some(range) = depth::overlong_statement(tokens.iter().filter_map(|t| t.as_ref().ok()).map(|(tok, range)| (tok, *range))) {
        return Err(depth::overlong_statement_diagnostic(span_of(range)));
    }
    match rustpython_parser::parse_tokens(tokens, rustpython_parser::Mode::Module, &file.path) {
        Ok(ast::Mod::Module(m)) => depth::refuse_too_deep(m.body).map_err(|range| depth::too_deep_diagnostic(span_of(range))),
        Ok(_) => Err(Diagnostic::error(Code::SyntaxError, Span::default(), "expected a module")),
        Err(e) => Err(parse_error_diagnostic(&file.text, &e)),
    }
}

/// Turns a rustpython parse error into a `syntax-error` diagnostic at its offset.
pub(crate) fn parse_error_diagnostic(text: &str, e: &rustpython_parser::ParseError) -> Diagnostic {
    use rustpython_parser::lexer::LexicalErrorType as L;
    use rustpython_parser::ParseErrorType as E;
    let mut at: u32 = e.offset.into();
    if let E::Lexical(L::UnrecognizedToken { tok }) = &e.error {
        // The lexer reports the offset after the character.
        at = at.saturating_sub(tok.len_utf8() as u32);
    }
    if matches!(&e.error, E::UnrecognizedToken(rustpython_parser::Tok::Newline, _) | E::Eof) {
        at = end_of_code_before(text, at);
    }
    let message = match &e.error {
        E::Eof => "unexpected end of file".to_string(),
        E::ExtraToken(tok) => format!("unexpected `{tok}`"),
        E::InvalidToken => "invalid token".to_string(),
        E::UnrecognizedToken(rustpython_parser::Tok::Newline, _) => "invalid syntax: the line ends too early".to_string(),
        E::UnrecognizedToken(tok, _) => format!("invalid syntax: unexpected `{tok}`"),
        E::Lexical(L::UnrecognizedToken { tok }) if !is_printable(*tok) => {
            format!("invalid non-printable character U+{:04X}", u32::from(*tok))
        }
        E::Lexical(L::UnrecognizedToken { tok }) => format!("invalid character `{tok}` (U+{:04X})", u32::from(*tok)),
        E::Lexical(err) => format!("{err}"),
    };
    // The span covers the character at `at` (a whole character: spans are byte ranges and
    // must not end inside a UTF-8 sequence).
    let at = floor_char_boundary(text, at);
    let width = text.get(at as usize..).and_then(|rest| rest.chars().next()).map_or(1, char::len_utf8) as u32;
    Diagnostic::error(Code::SyntaxError, Span::new(at, at + width), message)
}

/// `at`, or the start of the character it falls inside.
fn floor_char_boundary(text: &str, at: u32) -> u32 {
    let mut at = (at as usize).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at as u32
}

/// What CPython calls printable (`str.isprintable`), near enough: not a control, format,
/// separator or unassigned character other than the ASCII space.
fn is_printable(c: char) -> bool {
    c == ' ' || !(c.is_control() || c.is_whitespace() || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}'))
}

/// Where a statement that ended too early really ended: the end of the code before
/// `offset` (a newline token sits after any trailing comment), skipping blank lines.
fn end_of_code_before(text: &str, offset: u32) -> u32 {
    let mut end = (offset as usize).min(text.len());
    while text.is_char_boundary(end) {
        let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        let code = crate::source::code_prefix(&text[start..end]);
        if !code.trim().is_empty() {
            return (start + code.len()) as u32;
        }
        if start == 0 {
            break;
        }
        end = start - 1;
    }
    offset
}

/// The `.pyx` source with Cython-only syntax removed (types dropped, casts to `int()` /
/// `float()`, `cdef` functions as `def`), for CPython to run.
pub(crate) fn translate_to_python(file: &SourceFile) -> Result<String, Vec<Diagnostic>> {
    match file.kind {
        SourceKind::Py => Ok(file.text.clone()),
        SourceKind::Pyx => pyx::translate_to_python(file),
    }
}
