//! Syntax (`.pyx`): the Cython statements, rewritten into Python tokens (and text edits):
//! `cdef`/`cpdef` functions and declarations, `cdef:` blocks, `for ... from` loops and
//! `cimport`s. Constructs pycc does not support are reported and skipped.

use super::ctype::{matching_bracket, parse_type, CType, TypeContext, TypeParse};
use super::lex::{describe, is_name, is_relational, name_of, QMARK};
use super::rewrite::Rewriter;
use super::translate::{cimport_text, from_cimport_text, CimportNames};
use crate::syntax::{span_of, FuncDecl};
use crate::tir::FuncKind;
use rustpython_parser::ast::bigint::BigInt;
use rustpython_parser::text_size::TextRange;
use rustpython_parser::Tok;

/// Words after `cdef` that start a construct pycc does not support.
const UNSUPPORTED_AFTER_CDEF: &[&str] =
    &["struct", "union", "enum", "extern", "public", "api", "readonly", "packed", "cppclass", "fused", "static"];

impl<'a> Rewriter<'a> {
    /// `cdef` at the start of a statement: a function, declarations, a `cdef:` block, or a
    /// construct pycc does not support.
    pub fn cdef_statement(&mut self, i: usize) {
        let mut j = i + 1;
        match self.tok(j) {
            Some(Tok::Colon) => return self.cdef_block(i),
            Some(Tok::Class) => return self.unsupported_statement(i, "`cdef class` is not supported yet"),
            Some(Tok::Lpar) => return self.unsupported_statement(i, "ctuple types (`(int, double)`) are not supported yet"),
            Some(Tok::Name { name }) if UNSUPPORTED_AFTER_CDEF.contains(&name.as_str()) => {
                return self.unsupported_statement(i, &format!("`cdef {name}` is not supported yet"));
            }
            _ => {}
        }
        let inline = is_name(self.tok(j), "inline");
        if inline {
            j += 1;
        }
        if matches!(self.tok(j), Some(Tok::Lpar)) {
            return self.unsupported_statement(i, "ctuple types (`(int, double)`) are not supported yet");
        }
        let Some(ty) = self.declared_type(i, j) else { return };
        let k = ty.as_ref().map_or(j, |t| t.end);
        if name_of(self.tok(k)).is_none() {
            self.error(self.range(k), format!("expected a name after `cdef`, found {}", describe(self.tok(k))));
            return self.abandon_line(i, false);
        }
        if matches!(self.tok(k + 1), Some(Tok::Lpar)) {
            return self.function(i, FuncKind::Cdef, inline, ty, k);
        }
        if inline {
            self.error(self.range(j - 1), "`inline` can only be used on functions");
            return self.abandon_line(i, false);
        }
        self.variable_declarations(i, ty, k);
    }

    /// `cpdef [inline] type name(...)`: a function callable from Python and C.
    pub fn cpdef_statement(&mut self, i: usize) {
        let mut j = i + 1;
        match self.tok(j) {
            Some(Tok::Class) => return self.unsupported_statement(i, "`cpdef class` is not supported"),
            Some(Tok::Lpar) => return self.unsupported_statement(i, "ctuple types (`(int, double)`) are not supported yet"),
            Some(Tok::Name { name }) if UNSUPPORTED_AFTER_CDEF.contains(&name.as_str()) => {
                return self.unsupported_statement(i, &format!("`cpdef {name}` is not supported yet"));
            }
            _ => {}
        }
        let inline = is_name(self.tok(j), "inline");
        if inline {
            j += 1;
        }
        let Some(ty) = self.declared_type(i, j) else { return };
        let k = ty.as_ref().map_or(j, |t| t.end);
        if name_of(self.tok(k)).is_some() && matches!(self.tok(k + 1), Some(Tok::Lpar)) {
            return self.function(i, FuncKind::Cpdef, inline, ty, k);
        }
        self.error(self.cover(i, k + 1), "`cpdef` can only declare functions");
        self.abandon_line(i, false);
    }

    /// The type at `j` in a statement starting at `stmt`: `Some(None)` when there is none
    /// (`cdef f(x)`, `cdef x`), `None` when it was reported and the line abandoned.
    fn declared_type(&mut self, stmt: usize, j: usize) -> Option<Option<CType>> {
        match parse_type(self.toks, j, TypeContext::Declaration) {
            TypeParse::Type(t) => Some(Some(t)),
            TypeParse::None => Some(None),
            TypeParse::Invalid(range, message) => {
                self.error(range, message);
                self.abandon_line(stmt, false);
                None
            }
            TypeParse::Unsupported(range, message) => {
                self.unsupported(range, message);
                self.skip_statement(stmt);
                None
            }
        }
    }

    /// `cdef:` followed by an indented block of declarations, one per line. The block's
    /// lines join the enclosing block (its `Indent`/`Dedent` are dropped); for CPython the
    /// `cdef:` line becomes `if True:`.
    fn cdef_block(&mut self, i: usize) {
        if !(matches!(self.tok(i + 2), Some(Tok::Newline)) && matches!(self.tok(i + 3), Some(Tok::Indent))) {
            self.error(self.range(i + 1), "expected an indented block of declarations after `cdef:`");
            return self.abandon_line(i, false);
        }
        self.drop_tokens(i, i + 4);
        self.edit(self.cover(i, i + 2), "if True:");
        self.pos = i + 4;
        while let Some(tok) = self.tok(self.pos) {
            let k = self.pos;
            match tok {
                Tok::Dedent => {
                    self.flush(k);
                    self.pos = k + 1;
                    return;
                }
                Tok::Newline => {
                    self.emit(k);
                    self.pos = k + 1;
                }
                Tok::Indent => {
                    self.error(self.range(k), "unexpected indent in a `cdef:` block");
                    self.flush(k);
                    self.pos = k + 1;
                }
                _ => self.block_declaration(k),
            }
        }
    }

    /// One line of a `cdef:` block: `int i, j = 0`.
    fn block_declaration(&mut self, s: usize) {
        match self.tok(s) {
            Some(Tok::Class) => return self.unsupported_statement(s, "`cdef class` is not supported yet"),
            Some(Tok::Lpar) => return self.unsupported_statement(s, "ctuple types (`(int, double)`) are not supported yet"),
            Some(Tok::Name { name }) if UNSUPPORTED_AFTER_CDEF.contains(&name.as_str()) || name == "inline" => {
                return self.unsupported_statement(s, &format!("`{name}` in a `cdef:` block is not supported yet"));
            }
            _ => {}
        }
        let Some(ty) = self.declared_type(s, s) else { return };
        let k = ty.as_ref().map_or(s, |t| t.end);
        if name_of(self.tok(k)).is_none() {
            self.error(self.range(k), format!("expected a declaration, found {}", describe(self.tok(k))));
            return self.abandon_line(s, false);
        }
        if matches!(self.tok(k + 1), Some(Tok::Lpar)) {
            return self.unsupported_statement(s, "function declarations in a `cdef:` block are not supported");
        }
        self.variable_declarations(s, ty, k);
    }

    /// `[cdef] type a, b = value, c` from `s`, the first declarator at `first`:
    /// `a: c:type; b: c:type = value; c: c:type`. No type (`cdef x`) means `object`.
    /// For CPython, only the initialised names remain (`b = value`), or `pass`.
    fn variable_declarations(&mut self, s: usize, ty: Option<CType>, first: usize) {
        let (text, type_range) = match &ty {
            Some(t) => (t.text.clone(), t.range),
            None => ("object".to_string(), self.range(first)),
        };
        if let Some(t) = &ty {
            if let Some(p) = t.pointer {
                let name = name_of(self.tok(first)).unwrap_or_default();
                self.unsupported(p.cover(self.range(first)), format!("pointer variables (`{} *{name}`) are not supported", t.text));
                return self.skip_statement(s);
            }
        }
        let annotation = format!("c:{text}");
        self.drop_tokens(s, first);
        let nl = self.line_end(s);
        let mut k = first;
        let mut kept: Vec<TextRange> = Vec::new();
        let mut emitted_any = false;
        loop {
            if matches!(self.tok(k), Some(Tok::Star | Tok::DoubleStar)) {
                self.unsupported(self.cover(k, k + 2), format!("pointer variables (`{text} *...`) are not supported"));
                return self.abandon_line(k, emitted_any);
            }
            let Some(name) = name_of(self.tok(k)) else {
                self.error(self.range(k), format!("expected a variable name, found {}", describe(self.tok(k))));
                return self.abandon_line(k, emitted_any);
            };
            match self.tok(k + 1) {
                Some(Tok::Lsqb) => {
                    let end = matching_bracket(self.toks, k + 1).map_or(k + 2, |c| c + 1);
                    self.unsupported(self.cover(k, end), format!("C arrays (`{text} {name}[...]`) are not supported; use a memoryview"));
                    return self.abandon_line(k, emitted_any);
                }
                Some(Tok::Lpar) => {
                    self.error(self.cover(k, k + 2), format!("a function cannot be declared together with variables (`{name}`)"));
                    return self.abandon_line(k, emitted_any);
                }
                _ => {}
            }
            self.emit(k);
            // The `:` stands at the statement's start, so each `AnnAssign` covers its `cdef`.
            self.push(Tok::Colon, TextRange::empty(self.start(s)));
            self.push_name(annotation.clone(), type_range);
            emitted_any = true;
            let declarator = k;
            k += 1;
            if matches!(self.tok(k), Some(Tok::Equal)) {
                let value_end = self.top_level(k + 1, nl, |t| matches!(t, Tok::Comma | Tok::Semi));
                if value_end == k + 1 {
                    self.error(self.range(k), format!("expected a value after `=` for `{name}`"));
                    return self.abandon_line(k, emitted_any);
                }
                self.emit(k);
                self.emit_range(k + 1, value_end);
                kept.push(TextRange::new(self.start(declarator), self.end(value_end - 1)));
                k = value_end;
            }
            match self.tok(k) {
                Some(Tok::Comma) => {
                    self.flush(k);
                    self.push(Tok::Semi, self.range(k));
                    k += 1;
                }
                Some(Tok::Newline | Tok::Semi) | None => break,
                other => {
                    self.error(self.range(k), format!("expected `,`, `=` or the end of the declaration, found {}", describe(other)));
                    return self.abandon_line(k, emitted_any);
                }
            }
        }
        let stmt = TextRange::new(self.start(s), self.end(k.saturating_sub(1)).max(self.start(s)));
        match (kept.first(), kept.last()) {
            (Some(first_kept), Some(last_kept)) => {
                self.edit(TextRange::new(stmt.start(), first_kept.start()), "");
                for pair in kept.windows(2) {
                    self.edit(TextRange::new(pair[0].end(), pair[1].start()), "; ");
                }
                self.edit(TextRange::new(last_kept.end(), stmt.end().max(last_kept.end())), "");
            }
            _ => self.edit(stmt, "pass"),
        }
        self.pos = k;
    }

    /// `cdef [inline] [type] name(params) [except ...] [nogil] [noexcept]:` from the keyword
    /// at `kw`, name at `name` → `def name(params) -> c:type:`, recorded in `functions`.
    fn function(&mut self, kw: usize, kind: FuncKind, inline: bool, ret: Option<CType>, name: usize) {
        let fname = name_of(self.tok(name)).unwrap_or_default();
        let kw_range = self.range(kw);
        self.drop_tokens(kw, name);
        self.push(Tok::Def, kw_range);
        self.edit(TextRange::new(kw_range.start(), self.start(name)), "def ");
        self.emit(name);
        if !self.params(name + 1) {
            self.error(self.range(name + 1), format!("unclosed `(` in the signature of `{fname}`"));
            return self.abandon_line(self.pos, true);
        }
        let rpar = self.pos - 1;
        let mut k = self.pos;
        let mut except = None;
        let mut nogil = false;
        loop {
            match self.tok(k) {
                Some(Tok::Colon) => break,
                Some(Tok::Except) => {
                    let mut j = k + 1;
                    let checked = is_name(self.tok(j), QMARK);
                    if checked {
                        j += 1;
                    }
                    let value_end = (j..self.toks.len())
                        .find(|&q| {
                            matches!(self.tok(q), Some(Tok::Colon | Tok::Newline | Tok::With))
                                || is_name(self.tok(q), "nogil")
                                || is_name(self.tok(q), "noexcept")
                        })
                        .unwrap_or(self.toks.len());
                    let value = self.source(j, value_end).trim();
                    if value.is_empty() {
                        self.error(self.range(k), "expected a value or `*` after `except`");
                        return self.abandon_line(k, true);
                    }
                    if value == "+" {
                        self.unsupported(self.cover(k, value_end), "C++ exception declarations (`except +`) are not supported");
                    }
                    except = Some(if checked { format!("? {value}") } else { value.to_string() });
                    k = value_end;
                }
                Some(Tok::Name { name }) if name == "nogil" => {
                    nogil = true;
                    k += 1;
                }
                Some(Tok::Name { name }) if name == "noexcept" => {
                    except = Some("noexcept".to_string());
                    k += 1;
                }
                Some(Tok::With) if is_name(self.tok(k + 1), "gil") => k += 2,
                Some(Tok::Newline) | None => {
                    self.unsupported(self.cover(kw, k), format!("forward declarations of functions (`{fname}`) are not supported"));
                    self.drop_tokens(self.pos, k);
                    let at = TextRange::empty(self.end(rpar));
                    self.push(Tok::Colon, at);
                    self.push(Tok::Pass, at);
                    self.pos = k;
                    return;
                }
                other => {
                    self.error(self.range(k), format!("expected `:` after the signature of `{fname}`, found {}", describe(other)));
                    return self.abandon_line(k, true);
                }
            }
        }
        self.drop_tokens(self.pos, k);
        self.edit(TextRange::new(self.end(rpar), self.start(k)), "");
        if let Some(ret) = ret {
            if let Some(p) = ret.pointer {
                self.unsupported(p, format!("pointer return types (`{}*`) are not supported", ret.text));
            }
            self.push(Tok::Rarrow, TextRange::empty(self.end(rpar)));
            self.push_name(format!("c:{}", ret.text), ret.range);
        }
        self.emit(k);
        self.pos = k + 1;
        let decl = FuncDecl { kind, inline, nogil, except, span: span_of(kw_range) };
        self.functions.push((u32::from(kw_range.start()), decl));
    }

    /// `for i from a <= i < b by s:` → `for i in range(a, b, s):`, bounds adjusted so the
    /// same values are visited; `>`/`>=` loops count down with a negative step.
    pub fn for_from(&mut self, i: usize) {
        let target = name_of(self.tok(i + 1)).unwrap_or_default();
        let from = i + 2;
        let nl = self.line_end(i);
        let colon = self.top_level(from + 1, nl, |t| matches!(t, Tok::Colon));
        if colon >= nl {
            self.error(self.range(from), "expected `:` after the bounds of the `for ... from` loop");
            return self.abandon_line(i, false);
        }
        let shape = format!("expected `for {target} from <start> <= {target} < <stop>` (or with `>`/`>=`)");
        let Some(m) = self.for_from_target(from + 1, colon, target) else {
            self.error(self.cover(from, colon), shape);
            return self.abandon_line(i, false);
        };
        let (op1, op2) = (self.tok(m - 1), self.tok(m + 1));
        let ascending = matches!(op1, Some(Tok::Less | Tok::LessEqual)) && matches!(op2, Some(Tok::Less | Tok::LessEqual));
        let descending = matches!(op1, Some(Tok::Greater | Tok::GreaterEqual)) && matches!(op2, Some(Tok::Greater | Tok::GreaterEqual));
        if !ascending && !descending {
            self.error(self.cover(m - 1, m + 2), "the comparisons of a `for ... from` loop must both be `<`/`<=` or both `>`/`>=`");
            return self.abandon_line(i, false);
        }
        let by = self.top_level(m + 2, colon, |t| matches!(t, Tok::Name { name } if name == "by"));
        let lower = (from + 1, m - 1);
        let upper = (m + 2, by);
        let step = (by < colon).then_some((by + 1, colon));
        if lower.0 >= lower.1 || upper.0 >= upper.1 || step.is_some_and(|(s, e)| s >= e) {
            self.error(self.cover(from, colon), shape);
            return self.abandon_line(i, false);
        }
        self.emit(i);
        self.emit(i + 1);
        self.flush(from);
        let from_range = self.range(from);
        self.push(Tok::In, from_range);
        self.push_name("range", from_range);
        self.push(Tok::Lpar, TextRange::empty(self.start(lower.0)));
        self.edit(TextRange::new(from_range.start(), self.start(lower.0)), "in range(");
        // A strict bound on the start side starts one step later.
        let start_adjust = match op1 {
            Some(Tok::Less) => Some(Tok::Plus),
            Some(Tok::Greater) => Some(Tok::Minus),
            _ => None,
        };
        self.bound(lower, start_adjust);
        self.drop_tokens(m - 1, m + 2);
        self.push(Tok::Comma, self.cover(m - 1, m + 2));
        self.edit(TextRange::new(self.end(lower.1 - 1), self.start(upper.0)), ", ");
        // An inclusive bound on the stop side stops one step later.
        let stop_adjust = match op2 {
            Some(Tok::LessEqual) => Some(Tok::Plus),
            Some(Tok::GreaterEqual) => Some(Tok::Minus),
            _ => None,
        };
        self.bound(upper, stop_adjust);
        let upper_end = self.end(upper.1 - 1);
        let last_end = match step {
            Some((s, e)) => {
                self.flush(by);
                self.push(Tok::Comma, self.range(by));
                self.expression_after = Some(by);
                let step_end = self.end(e - 1);
                if descending {
                    self.edit(TextRange::new(upper_end, self.start(s)), ", -(");
                    self.push(Tok::Minus, TextRange::empty(self.start(s)));
                    self.push(Tok::Lpar, TextRange::empty(self.start(s)));
                    self.emit_range(s, e);
                    self.push(Tok::Rpar, TextRange::empty(step_end));
                    self.edit(TextRange::empty(step_end), ")");
                } else {
                    self.edit(TextRange::new(upper_end, self.start(s)), ", ");
                    self.emit_range(s, e);
                }
                step_end
            }
            None if descending => {
                let at = TextRange::empty(upper_end);
                self.push(Tok::Comma, at);
                self.push(Tok::Minus, at);
                self.push(Tok::Int { value: BigInt::from(1u32) }, at);
                self.edit(at, ", -1");
                upper_end
            }
            None => upper_end,
        };
        self.push(Tok::Rpar, TextRange::empty(last_end));
        self.edit(TextRange::empty(last_end), ")");
        self.pos = colon;
        self.simple_statement();
    }

    /// One bound of a `for ... from` loop, tokens `s..e`, with `(bound)+1`/`(bound)-1`.
    fn bound(&mut self, (s, e): (usize, usize), adjust: Option<Tok>) {
        let Some(op) = adjust else {
            return self.emit_range(s, e);
        };
        let (at_start, at_end) = (TextRange::empty(self.start(s)), TextRange::empty(self.end(e - 1)));
        self.push(Tok::Lpar, at_start);
        self.edit(at_start, "(");
        self.emit_range(s, e);
        self.edit(at_end, if op == Tok::Plus { ")+1" } else { ")-1" });
        self.push(Tok::Rpar, at_end);
        self.push(op, at_end);
        self.push(Tok::Int { value: BigInt::from(1u32) }, at_end);
    }

    /// The loop variable between the two comparisons of `a <= i < b`, at depth 0, not
    /// inside a cast.
    fn for_from_target(&self, start: usize, end: usize, target: &str) -> Option<usize> {
        let mut depth = 0usize;
        let mut k = start;
        while k < end {
            match self.tok(k)? {
                Tok::Lpar | Tok::Lsqb | Tok::Lbrace => depth += 1,
                Tok::Rpar | Tok::Rsqb | Tok::Rbrace => depth = depth.saturating_sub(1),
                Tok::Less if self.expression_may_start(k) => {
                    if let Some(cast) = self.cast_at(k, 0) {
                        k = cast.gt + 1;
                        continue;
                    }
                }
                Tok::Name { name }
                    if depth == 0 && name == target && k > start && is_relational(self.tok(k - 1)) && is_relational(self.tok(k + 1)) =>
                {
                    return Some(k);
                }
                _ => {}
            }
            k += 1;
        }
        None
    }

    /// `cimport a.b [as c], d` → `import a.b [as c], d`, recorded in `cimports`. Also
    /// `import cython` (a plain import, which Cython serves itself): its translation uses
    /// the shim, since CPython may not have the `cython` package.
    pub fn cimport(&mut self, i: usize) {
        let written_as_cimport = !matches!(self.tok(i), Some(Tok::Import));
        let nl = self.line_end(i);
        let end = self.top_level(i + 1, nl, |t| matches!(t, Tok::Semi));
        let mut k = i + 1;
        let mut modules = Vec::new();
        loop {
            let Some((module, after)) = self.dotted_name(k) else {
                self.error(self.range(k), format!("expected a module name in `cimport`, found {}", describe(self.tok(k))));
                return self.abandon_line(i, false);
            };
            k = after;
            let mut alias = None;
            if matches!(self.tok(k), Some(Tok::As)) {
                let Some(a) = name_of(self.tok(k + 1)) else {
                    self.error(self.range(k + 1), format!("expected a name after `as`, found {}", describe(self.tok(k + 1))));
                    return self.abandon_line(i, false);
                };
                alias = Some(a.to_string());
                k += 2;
            }
            modules.push((module, alias));
            if matches!(self.tok(k), Some(Tok::Comma)) {
                k += 1;
                continue;
            }
            break;
        }
        if k != end {
            self.error(self.range(k), format!("unexpected {} in `cimport`", describe(self.tok(k))));
            return self.abandon_line(i, false);
        }
        if written_as_cimport {
            self.flush(i);
            self.push(Tok::Import, self.range(i));
            self.cimports.push(u32::from(self.start(i)));
        } else {
            self.emit(i);
        }
        for q in i + 1..end {
            self.emit(q);
        }
        self.edit(self.cover(i, end), &cimport_text(&modules));
        self.pos = end;
    }

    /// The index of `cimport` in `from [.]a.b cimport ...` starting at `i`, or of `import`
    /// in `from cython[.x] import ...`.
    pub fn cimport_from_keyword(&self, i: usize) -> Option<usize> {
        if is_name(self.tok(i + 1), "cython") {
            let (_, k) = self.dotted_name(i + 1)?;
            if matches!(self.tok(k), Some(Tok::Import)) {
                return Some(k);
            }
        }
        let mut k = i + 1;
        while matches!(self.tok(k), Some(Tok::Dot | Tok::Ellipsis)) {
            k += 1;
        }
        if name_of(self.tok(k)).is_some_and(|n| n != "cimport") {
            k = self.dotted_name(k)?.1;
        }
        is_name(self.tok(k), "cimport").then_some(k)
    }

    /// `from m cimport a [as b], c` (or `(...)`, or `*`) → `from m import ...`; also
    /// `from cython.parallel import prange`, whose translation uses the shim.
    pub fn cimport_from(&mut self, i: usize, ck: usize) {
        let nl = self.line_end(i);
        let end = self.top_level(ck + 1, nl, |t| matches!(t, Tok::Semi));
        let module: String = (i + 1..ck)
            .map(|q| match self.tok(q) {
                Some(Tok::Name { name }) => name.as_str(),
                Some(Tok::Ellipsis) => "...",
                _ => ".",
            })
            .collect();
        let mut k = ck + 1;
        let names = if matches!(self.tok(k), Some(Tok::Star)) {
            k += 1;
            CimportNames::Star
        } else {
            let parenthesised = matches!(self.tok(k), Some(Tok::Lpar));
            let close = if parenthesised { matching_bracket(self.toks, k) } else { None };
            if parenthesised {
                k += 1;
            }
            let mut names = Vec::new();
            while let Some(name) = name_of(self.tok(k)) {
                k += 1;
                let mut alias = None;
                if matches!(self.tok(k), Some(Tok::As)) {
                    alias = name_of(self.tok(k + 1)).map(str::to_string);
                    k += 2;
                }
                names.push((name.to_string(), alias));
                if !matches!(self.tok(k), Some(Tok::Comma)) {
                    break;
                }
                k += 1;
            }
            if let Some(c) = close {
                if k == c {
                    k += 1;
                }
            }
            if names.is_empty() {
                k = usize::MAX;
            }
            CimportNames::List(names)
        };
        if k != end {
            let at = if k == usize::MAX { ck + 1 } else { k };
            self.error(self.range(at), format!("unexpected {} in `from {module} cimport`", describe(self.tok(at))));
            return self.abandon_line(i, false);
        }
        for q in i..ck {
            self.emit(q);
        }
        if matches!(self.tok(ck), Some(Tok::Import)) {
            self.emit(ck);
        } else {
            self.flush(ck);
            self.push(Tok::Import, self.range(ck));
            self.cimports.push(u32::from(self.start(i)));
        }
        for q in ck + 1..end {
            self.emit(q);
        }
        self.edit(self.cover(i, end), &from_cimport_text(&module, &names));
        self.pos = end;
    }

    /// `a.b.c` at `k`: the text and the index after it.
    fn dotted_name(&self, mut k: usize) -> Option<(String, usize)> {
        let mut text = name_of(self.tok(k))?.to_string();
        k += 1;
        while matches!(self.tok(k), Some(Tok::Dot)) {
            let Some(part) = name_of(self.tok(k + 1)) else { break };
            if part == "cimport" {
                break;
            }
            text.push('.');
            text.push_str(part);
            k += 2;
        }
        Some((text, k))
    }
}
