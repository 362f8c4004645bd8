//! Syntax (`.pyx`), step 2: Cython tokens → Python tokens, plus the text edits that turn the
//! same `.pyx` into plain Python for CPython.
//!
//! One pass over the logical lines. Plain Python tokens are copied as they are; each Cython
//! form is recognised where it starts (`cdef`, `cpdef`, `cimport`, `for ... from`, a typed
//! parameter, a cast) and replaced by Python tokens that carry the `.pyx` range of what
//! they stand for. Each rule also records the text edits for `translate_to_python`, so the
//! two outputs cannot disagree about what was recognised. The statement rules live in
//! `stmt.rs`; this file holds the shared machinery, plain lines, parameters and casts.

use super::ctype::{cover, matching_bracket, parse_type, CType, TypeContext, TypeParse};
use super::lex::{describe, expression_may_follow, is_name, name_of, Token, QMARK};
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::{span_of, FuncDecl};
use rustpython_parser::text_size::{TextRange, TextSize};
use rustpython_parser::Tok;
use std::collections::BTreeMap;

/// A text replacement in the `.pyx` source, for `translate_to_python`.
#[derive(Clone, Debug)]
pub(super) struct Edit {
    pub range: TextRange,
    pub text: String,
}

/// What the rewriter produced.
pub(super) struct Rewritten {
    /// Python tokens with `.pyx` ranges, for the parser.
    pub tokens: Vec<Token>,
    /// Edits that turn the `.pyx` text into plain Python.
    pub edits: Vec<Edit>,
    pub diags: Vec<Diagnostic>,
    /// True when a Cython form was malformed: the tokens are not worth parsing.
    pub syntax_error: bool,
    /// `cdef`/`cpdef` functions, keyed by the offset of their keyword.
    pub functions: Vec<(u32, FuncDecl)>,
    /// Start offsets of the statements written with `cimport`.
    pub cimports: Vec<u32>,
}

pub(super) fn rewrite(text: &str, toks: &[Token]) -> Rewritten {
    let mut rw = Rewriter {
        text,
        toks,
        pos: 0,
        out: Vec::with_capacity(toks.len() + toks.len() / 8),
        edits: Vec::new(),
        diags: Vec::new(),
        syntax_error: false,
        functions: Vec::new(),
        cimports: Vec::new(),
        closes: BTreeMap::new(),
        expression_after: None,
    };
    while rw.pos < toks.len() {
        let before = rw.pos;
        rw.statement();
        if rw.pos <= before {
            // Every rule consumes at least one token; this keeps a bug from looping forever.
            rw.emit(before);
            rw.pos = before + 1;
        }
    }
    let pending: Vec<usize> = rw.closes.keys().copied().collect();
    for at in pending {
        rw.flush(at);
    }
    Rewritten {
        tokens: rw.out,
        edits: rw.edits,
        diags: rw.diags,
        syntax_error: rw.syntax_error,
        functions: rw.functions,
        cimports: rw.cimports,
    }
}

/// A cast `<T>x` found at a `<`.
pub(super) struct Cast {
    pub ty: CType,
    /// `<T?>x`.
    pub checked: bool,
    /// Index of the `>`.
    pub gt: usize,
    /// Index of the first token after the operand.
    pub operand_end: usize,
}

pub(super) struct Rewriter<'a> {
    pub text: &'a str,
    pub toks: &'a [Token],
    /// The next input token.
    pub pos: usize,
    pub out: Vec<Token>,
    pub edits: Vec<Edit>,
    pub diags: Vec<Diagnostic>,
    pub syntax_error: bool,
    pub functions: Vec<(u32, FuncDecl)>,
    pub cimports: Vec<u32>,
    /// `)` tokens to emit just before the input token at the key (cast operands end there),
    /// each at the given offset.
    closes: BTreeMap<usize, Vec<TextSize>>,
    /// An input index after which an expression starts although the token there does not
    /// say so (the `>` of a cast, the `by` of a `for ... from`).
    pub expression_after: Option<usize>,
}

impl<'a> Rewriter<'a> {
    // ---- token access ----

    pub fn tok(&self, i: usize) -> Option<&'a Tok> {
        self.toks.get(i).map(|t| &t.0)
    }

    /// The range of input token `i` (empty at the end of the text past the last token).
    pub fn range(&self, i: usize) -> TextRange {
        match self.toks.get(i) {
            Some(t) => t.1,
            None => TextRange::empty(self.text_end()),
        }
    }

    pub fn start(&self, i: usize) -> TextSize {
        self.range(i).start()
    }

    pub fn end(&self, i: usize) -> TextSize {
        self.range(i).end()
    }

    fn text_end(&self) -> TextSize {
        TextSize::try_from(self.text.len()).unwrap_or(TextSize::from(u32::MAX))
    }

    /// The range covering input tokens `start..end`.
    pub fn cover(&self, start: usize, end: usize) -> TextRange {
        cover(self.toks, start, end)
    }

    /// The source text of input tokens `start..end`.
    pub fn source(&self, start: usize, end: usize) -> &'a str {
        if end <= start {
            return "";
        }
        let r = TextRange::new(self.start(start), self.end(end - 1).max(self.start(start)));
        self.text.get(usize::from(r.start())..usize::from(r.end())).unwrap_or("")
    }

    /// Index of the `Newline` ending the logical line holding `i` (or the token count).
    pub fn line_end(&self, i: usize) -> usize {
        (i..self.toks.len()).find(|&k| matches!(self.toks[k].0, Tok::Newline)).unwrap_or(self.toks.len())
    }

    /// The first index in `start..limit` at bracket depth 0 whose token satisfies `stop`
    /// (or `limit`).
    pub fn top_level(&self, start: usize, limit: usize, stop: impl Fn(&Tok) -> bool) -> usize {
        let mut depth = 0usize;
        for k in start..limit.min(self.toks.len()) {
            let tok = &self.toks[k].0;
            if depth == 0 && stop(tok) {
                return k;
            }
            match tok {
                Tok::Lpar | Tok::Lsqb | Tok::Lbrace => depth += 1,
                Tok::Rpar | Tok::Rsqb | Tok::Rbrace => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        limit.min(self.toks.len()).max(start)
    }

    // ---- output ----

    /// Emits the `)`s owed before input token `i`.
    pub fn flush(&mut self, i: usize) {
        if let Some(offsets) = self.closes.remove(&i) {
            for at in offsets {
                self.out.push((Tok::Rpar, TextRange::empty(at)));
            }
        }
    }

    /// Copies input token `i` to the output.
    pub fn emit(&mut self, i: usize) {
        self.flush(i);
        if let Some(t) = self.toks.get(i) {
            self.out.push(t.clone());
        }
    }

    /// Drops input tokens `start..end` (they are rewritten or removed).
    pub fn drop_tokens(&mut self, start: usize, end: usize) {
        for k in start..end {
            self.flush(k);
        }
    }

    /// Emits a synthetic token standing for the given `.pyx` range.
    pub fn push(&mut self, tok: Tok, range: TextRange) {
        self.out.push((tok, range));
    }

    pub fn push_name(&mut self, name: impl Into<String>, range: TextRange) {
        self.push(Tok::Name { name: name.into() }, range);
    }

    /// Records a text edit for the translation. A removed line break is replaced by a
    /// backslash continuation so the translation keeps the `.pyx` line numbers.
    pub fn edit(&mut self, range: TextRange, text: &str) {
        let removed = self.text.get(usize::from(range.start())..usize::from(range.end())).unwrap_or("");
        if removed.is_empty() && text.is_empty() {
            return;
        }
        let mut text = text.to_string();
        for _ in removed.matches('\n') {
            text.push_str("\\\n");
        }
        self.edits.push(Edit { range, text });
    }

    // ---- diagnostics ----

    /// At most this many diagnostics per file: past that they repeat one mistake (5,000
    /// casts without an operand), and rendering each with its long line takes minutes.
    const MAX_DIAGNOSTICS: usize = 100;

    pub fn error(&mut self, range: TextRange, message: impl Into<String>) {
        self.syntax_error = true;
        if self.diags.len() < Self::MAX_DIAGNOSTICS {
            self.diags.push(Diagnostic::error(Code::SyntaxError, span_of(range), message));
        }
    }

    pub fn unsupported(&mut self, range: TextRange, message: impl Into<String>) {
        if self.diags.len() < Self::MAX_DIAGNOSTICS {
            self.diags.push(Diagnostic::error(Code::UnsupportedSyntax, span_of(range), message));
        }
    }

    /// Gives up on the rest of the logical line after an error: drops its tokens, leaving a
    /// `pass` if nothing of the statement was emitted, so the rest of the file still parses.
    pub fn abandon_line(&mut self, from: usize, emitted_any: bool) {
        let nl = self.line_end(from);
        self.drop_tokens(from, nl);
        if !emitted_any {
            self.push(Tok::Pass, self.range(from));
        }
        self.pos = nl;
    }

    // ---- statements ----

    /// One statement (or the indentation tokens between statements).
    fn statement(&mut self) {
        let i = self.pos;
        let next = self.tok(i + 1);
        match self.tok(i) {
            Some(Tok::Newline | Tok::Indent | Tok::Dedent) => {
                self.emit(i);
                self.pos = i + 1;
            }
            Some(Tok::Name { name }) => match name.as_str() {
                "cdef" if matches!(next, Some(Tok::Name { .. } | Tok::Colon | Tok::Class | Tok::Lpar)) => self.cdef_statement(i),
                "cpdef" if matches!(next, Some(Tok::Name { .. } | Tok::Class | Tok::Lpar)) => self.cpdef_statement(i),
                "ctypedef" if matches!(next, Some(Tok::Name { .. } | Tok::Class | Tok::Lpar)) => {
                    self.unsupported_statement(i, "`ctypedef` is not supported yet")
                }
                "DEF" if name_of(next).is_some() && matches!(self.tok(i + 2), Some(Tok::Equal)) => {
                    self.unsupported_statement(i, "`DEF` compile-time constants are not supported")
                }
                "include" if matches!(next, Some(Tok::String { .. })) => self.unsupported_statement(i, "`include` is not supported"),
                "cimport" if name_of(next).is_some() => self.cimport(i),
                _ => self.simple_statement(),
            },
            Some(Tok::Import) if is_name(next, "cython") => self.cimport(i),
            Some(Tok::From) => match self.cimport_from_keyword(i) {
                Some(ck) => self.cimport_from(i, ck),
                None => self.simple_statement(),
            },
            Some(Tok::For) if name_of(next).is_some() && matches!(self.tok(i + 2), Some(Tok::From)) => self.for_from(i),
            Some(Tok::With) if matches!(self.tok(i + 2), Some(Tok::Colon)) && (is_name(next, "nogil") || is_name(next, "gil")) => {
                // `with nogil:` is Python syntax (kept in the AST); CPython has no `nogil`.
                self.edit(self.cover(i, i + 2), "if True");
                self.simple_statement();
            }
            _ => self.simple_statement(),
        }
    }

    /// A plain Python statement, up to and including its `Newline` or `;`: tokens are
    /// copied, with `def` parameters and casts rewritten.
    pub fn simple_statement(&mut self) {
        while let Some(tok) = self.tok(self.pos) {
            let i = self.pos;
            match tok {
                Tok::Newline | Tok::Semi => {
                    self.emit(i);
                    self.pos = i + 1;
                    return;
                }
                Tok::Def if name_of(self.tok(i + 1)).is_some() && matches!(self.tok(i + 2), Some(Tok::Lpar)) => {
                    self.emit(i);
                    self.emit(i + 1);
                    self.pos = i + 2;
                    self.params(i + 2);
                }
                _ => self.expression_token(),
            }
        }
    }

    /// Skips a statement pycc does not support, with its indented block if it has one,
    /// leaving a `pass` so that the rest of the file parses.
    pub fn unsupported_statement(&mut self, i: usize, message: &str) {
        let range = match self.tok(i + 1) {
            Some(Tok::Name { .. } | Tok::Class) => self.cover(i, i + 2),
            _ => self.range(i),
        };
        self.unsupported(range, message);
        self.skip_statement(i);
    }

    /// Drops the logical line at `i` and, if it opens a block, the block.
    pub fn skip_statement(&mut self, i: usize) {
        let nl = self.line_end(i);
        let opens_block = nl > i && matches!(self.tok(nl - 1), Some(Tok::Colon)) && matches!(self.tok(nl + 1), Some(Tok::Indent));
        self.drop_tokens(i, nl);
        self.push(Tok::Pass, self.range(i));
        if nl < self.toks.len() {
            self.emit(nl);
        } else {
            self.push(Tok::Newline, TextRange::empty(self.text_end()));
        }
        let mut k = nl + 1;
        if opens_block {
            let mut depth = 0usize;
            while let Some(tok) = self.tok(k) {
                self.flush(k);
                k += 1;
                match tok {
                    Tok::Indent => depth += 1,
                    Tok::Dedent => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
        self.pos = k;
    }

    // ---- expressions ----

    /// Can an expression start at input token `i`?
    pub fn expression_may_start(&self, i: usize) -> bool {
        i == 0 || self.expression_after == Some(i - 1) || expression_may_follow(self.tok(i - 1))
    }

    /// Copies the token at `pos` (rewriting a cast that starts there) and advances.
    pub fn expression_token(&mut self) {
        let i = self.pos;
        match self.tok(i) {
            Some(Tok::Less) if self.expression_may_start(i) => {
                if let Some(cast) = self.cast_at(i, 0) {
                    return self.cast(i, cast);
                }
                if let Some(gt) = self.cast_without_operand(i) {
                    let whole = self.cover(i, gt + 1);
                    self.error(whole, format!("expected an expression after the cast `{}`", self.source(i, gt + 1)));
                }
                self.emit(i);
            }
            Some(Tok::Amper) if self.expression_may_start(i) => {
                self.unsupported(self.range(i), "taking the address of a value (`&x`) is not supported");
                self.flush(i);
            }
            Some(Tok::Name { name }) if name == QMARK => {
                self.error(self.range(i), "unexpected `?`");
                self.flush(i);
            }
            _ => self.emit(i),
        }
        self.pos = i + 1;
    }

    /// Copies input tokens `start..end` as an expression (casts rewritten).
    pub fn emit_range(&mut self, start: usize, end: usize) {
        self.pos = start;
        while self.pos < end && self.pos < self.toks.len() {
            self.expression_token();
        }
        self.flush(end);
        self.pos = self.pos.max(end);
    }

    /// Recognises `<T>operand` at a `<` (the caller checked the position).
    pub fn cast_at(&self, i: usize, depth: u32) -> Option<Cast> {
        if depth > 64 || !matches!(self.tok(i), Some(Tok::Less)) {
            return None;
        }
        let TypeParse::Type(ty) = parse_type(self.toks, i + 1, TypeContext::Cast) else {
            return None;
        };
        let mut j = ty.end;
        let checked = is_name(self.tok(j), QMARK);
        if checked {
            j += 1;
        }
        if !matches!(self.tok(j), Some(Tok::Greater)) {
            return None;
        }
        let operand_end = self.factor_end(j + 1, depth + 1)?;
        Some(Cast { ty, checked, gt: j, operand_end })
    }

    /// The index of the `>` when `<` at `i` starts `<T>` but no operand follows.
    fn cast_without_operand(&self, i: usize) -> Option<usize> {
        let TypeParse::Type(ty) = parse_type(self.toks, i + 1, TypeContext::Cast) else {
            return None;
        };
        let gt = if is_name(self.tok(ty.end), QMARK) { ty.end + 1 } else { ty.end };
        matches!(self.tok(gt), Some(Tok::Greater)).then_some(gt)
    }

    /// The end of a Cython "factor" at `i`: unary `-`/`+`/`~`, then a primary (name,
    /// literal, bracketed group or another cast) with its trailers, then `** factor`.
    fn factor_end(&self, mut i: usize, depth: u32) -> Option<usize> {
        // `a ** -b ** c`: each `**` takes another factor; loop rather than recurse.
        loop {
            while matches!(self.tok(i), Some(Tok::Minus | Tok::Plus | Tok::Tilde | Tok::Await)) {
                i += 1;
            }
            match self.tok(i)? {
                Tok::Less => {
                    let inner = self.cast_at(i, depth + 1)?;
                    return Some(inner.operand_end);
                }
                Tok::Name { name } if name != QMARK => i += 1,
                Tok::Int { .. } | Tok::Float { .. } | Tok::Complex { .. } | Tok::True | Tok::False | Tok::None | Tok::Ellipsis => i += 1,
                Tok::String { .. } => {
                    while matches!(self.tok(i), Some(Tok::String { .. })) {
                        i += 1;
                    }
                }
                Tok::Lpar | Tok::Lsqb | Tok::Lbrace => i = matching_bracket(self.toks, i)? + 1,
                _ => return None,
            }
            loop {
                match self.tok(i) {
                    Some(Tok::Dot) if name_of(self.tok(i + 1)).is_some() => i += 2,
                    Some(Tok::Lpar | Tok::Lsqb) => i = matching_bracket(self.toks, i)? + 1,
                    _ => break,
                }
            }
            if !matches!(self.tok(i), Some(Tok::DoubleStar)) {
                return Some(i);
            }
            i += 1;
        }
    }

    /// `<double>x` → `Call(Name("<double>"), [x])`; for CPython, `float(x)`.
    fn cast(&mut self, i: usize, cast: Cast) {
        let whole = self.cover(i, cast.gt + 1);
        if let Some(p) = cast.ty.pointer {
            self.unsupported(p, format!("pointer casts (`<{}*>`) are not supported", cast.ty.text));
        }
        self.drop_tokens(i, cast.gt + 1);
        let name = format!("<{}{}>", cast.ty.text, if cast.checked { "?" } else { "" });
        self.push_name(name, whole);
        self.push(Tok::Lpar, TextRange::empty(self.start(cast.gt + 1)));
        let close_at = self.end(cast.operand_end.saturating_sub(1));
        self.closes.entry(cast.operand_end).or_default().push(close_at);
        self.edit(whole, super::translate::cast_prefix(&cast.ty.text));
        self.edit(TextRange::empty(close_at), ")");
        self.expression_after = Some(cast.gt);
        self.pos = cast.gt + 1;
    }

    // ---- parameters ----

    /// The parameter list whose `(` is at `lpar`: typed parameters become annotated ones.
    /// Leaves `pos` after the `)`. False when the `(` is not closed on its line.
    pub fn params(&mut self, lpar: usize) -> bool {
        let Some(close) = matching_bracket(self.toks, lpar) else {
            self.emit(lpar);
            self.pos = lpar + 1;
            return false;
        };
        self.emit(lpar);
        let mut i = lpar + 1;
        while i < close {
            let end = self.top_level(i, close, |t| matches!(t, Tok::Comma));
            self.param(i, end);
            if end < close {
                self.emit(end);
            }
            i = end + 1;
        }
        self.emit(close);
        self.pos = close + 1;
        true
    }

    /// One parameter, tokens `s..e`.
    fn param(&mut self, s: usize, e: usize) {
        if s >= e {
            return;
        }
        let ty = match parse_type(self.toks, s, TypeContext::Declaration) {
            TypeParse::Type(t) if t.end < e && name_of(self.tok(t.end)).is_some() => t,
            TypeParse::Invalid(range, message) => {
                self.error(range, message);
                self.drop_tokens(s, e);
                return;
            }
            TypeParse::Unsupported(range, message) => {
                self.unsupported(range, message);
                // Keep the parameter's name so the rest of the signature still parses.
                let name = (s..e).rev().find(|&k| name_of(self.tok(k)).is_some() && !matches!(self.tok(k + 1), Some(Tok::Dot)));
                self.drop_tokens(s, e);
                if let Some(k) = name {
                    self.push(self.toks[k].0.clone(), self.range(k));
                }
                return;
            }
            _ => return self.emit_range(s, e),
        };
        let n = ty.end;
        let name = name_of(self.tok(n)).unwrap_or_default().to_string();
        if let Some(p) = ty.pointer {
            self.unsupported(p, format!("pointer parameters (`{} *{name}`) are not supported", ty.text));
        }
        self.drop_tokens(s, n);
        self.emit(n);
        self.push(Tok::Colon, TextRange::empty(self.end(n)));
        // `list xs not None` / `or None`: kept in the type's name (`c:list not None`) for the
        // checker, which applies Cython's `None` rule to object parameters.
        let none_rule = match (self.tok(n + 1), self.tok(n + 2)) {
            (Some(Tok::Not), Some(Tok::None)) if n + 2 < e => " not None",
            (Some(Tok::Or), Some(Tok::None)) if n + 2 < e => " or None",
            _ => "",
        };
        self.push_name(format!("c:{}{none_rule}", ty.text), ty.range);
        self.edit(TextRange::new(self.start(s), self.start(n)), "");
        let mut k = n + 1;
        if matches!(self.tok(k), Some(Tok::Lsqb)) && k < e {
            self.unsupported(self.cover(k, e), format!("C array parameters (`{} {name}[...]`) are not supported; use a memoryview", ty.text));
            self.drop_tokens(k, e);
            return;
        }
        // `double[:] a not None`: memoryviews are never `None` for pycc; dropped here (object
        // types keep it in their name, above).
        if matches!(self.tok(k), Some(Tok::Not | Tok::Or)) && matches!(self.tok(k + 1), Some(Tok::None)) && k + 1 < e {
            self.drop_tokens(k, k + 2);
            self.edit(TextRange::new(self.end(n), self.end(k + 1)), "");
            k += 2;
        }
        if k < e {
            if matches!(self.tok(k), Some(Tok::Equal)) {
                self.emit_range(k, e);
            } else {
                self.error(self.range(k), format!("unexpected {} in the parameter `{name}`", describe(self.tok(k))));
                self.drop_tokens(k, e);
            }
        }
    }
}
