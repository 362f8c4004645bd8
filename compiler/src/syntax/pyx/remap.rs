//! Syntax (`.pyx`), step 3: rewritten tokens → AST whose ranges point into the `.pyx` text.
//!
//! The parser builds each node's range from its first token's start to its last token's
//! end and panics when that is inverted, which reordered tokens (`int x` → `x: c:int`)
//! would cause. So the tokens go to the parser at synthetic positions that strictly
//! increase (token `i` occupies `syn[i] .. syn[i] + len[i]`, one position apart), and the
//! tree is folded back afterwards: a position inside token `i` maps to the same offset in
//! its `.pyx` range. A node whose tokens are out of text order gets the range covering
//! all of them, so `x: c:int` written as `int x` spans `int x`.

use super::lex::Token;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{self, Fold};
use rustpython_parser::text_size::{TextRange, TextSize};
use rustpython_parser::{parse_tokens, Mode};
use std::convert::Infallible;

/// Where each token went and where it came from.
struct PositionMap {
    /// Synthetic start of each token (strictly increasing).
    syn: Vec<u32>,
    /// The `.pyx` range of each token.
    real: Vec<TextRange>,
    /// `bad[i]`: how many tokens in `1..=i` start or end before the previous token.
    bad: Vec<u32>,
}

impl PositionMap {
    /// The token holding synthetic position `pos` (the last one starting at or before it).
    fn token_at(&self, pos: u32) -> Option<usize> {
        match self.syn.binary_search(&pos) {
            Ok(i) => Some(i),
            Err(0) => None,
            Err(i) => Some(i - 1),
        }
    }

    fn map_pos(&self, pos: u32) -> TextSize {
        match self.token_at(pos) {
            None => self.real.first().map(|r| r.start()).unwrap_or_default(),
            Some(i) => {
                let real = self.real[i];
                let offset = pos - self.syn[i];
                if offset >= u32::from(real.len()) {
                    real.end()
                } else {
                    real.start() + TextSize::from(offset)
                }
            }
        }
    }

    fn map_range(&self, range: TextRange) -> TextRange {
        let (a, b) = (u32::from(range.start()), u32::from(range.end()));
        let mut start = self.map_pos(a);
        let mut end = self.map_pos(b);
        if let (Some(first), Some(last)) = (self.token_at(a), self.token_at(b)) {
            if last > first && self.bad[last] > self.bad[first] {
                for r in &self.real[first + 1..=last] {
                    start = start.min(r.start());
                }
                for r in &self.real[first..last] {
                    end = end.max(r.end());
                }
            }
        }
        if start > end {
            std::mem::swap(&mut start, &mut end);
        }
        TextRange::new(start, end)
    }
}

impl Fold<TextRange> for PositionMap {
    type TargetU = TextRange;
    type Error = Infallible;
    type UserContext = ();

    fn will_map_user(&mut self, _user: &TextRange) {}

    fn map_user(&mut self, user: TextRange, _context: ()) -> Result<TextRange, Infallible> {
        Ok(self.map_range(user))
    }
}

/// Maps the tree's ranges back. The fold recurses once per level, so it runs only on trees
/// that passed the nesting limit (`syntax/depth.rs`).
fn fold_ranges(mut map: PositionMap, body: Vec<ast::Stmt>) -> Vec<ast::Stmt> {
    match map.fold(body) {
        Ok(body) => body,
        Err(never) => match never {},
    }
}

/// Parses rewritten tokens into statements whose ranges point into the `.pyx` text.
pub(super) fn parse_rewritten(tokens: Vec<Token>, text: &str, path: &str) -> Result<Vec<ast::Stmt>, Diagnostic> {
    let mut map = PositionMap { syn: Vec::with_capacity(tokens.len()), real: Vec::with_capacity(tokens.len()), bad: Vec::with_capacity(tokens.len()) };
    let mut synthetic = Vec::with_capacity(tokens.len());
    // Position 0 belongs to the parser's start marker.
    let mut next: u32 = 1;
    let mut prev: Option<TextRange> = None;
    for (tok, real) in tokens {
        let len = u32::from(real.len());
        let too_large = || Diagnostic::error(Code::SyntaxError, Span::default(), "the file is too large to parse");
        let end = next.checked_add(len).ok_or_else(too_large)?;
        let is_bad = prev.is_some_and(|p| real.start() < p.start() || real.end() < p.end());
        let bad_so_far = map.bad.last().copied().unwrap_or(0) + u32::from(is_bad);
        map.bad.push(bad_so_far);
        map.syn.push(next);
        map.real.push(real);
        prev = Some(real);
        synthetic.push(Ok((tok, TextRange::new(TextSize::from(next), TextSize::from(end)))));
        next = end.checked_add(1).ok_or_else(too_large)?;
    }
    match parse_tokens(synthetic, Mode::Module, path) {
        Ok(ast::Mod::Module(module)) => match crate::syntax::depth::refuse_too_deep(module.body) {
            Ok(body) => Ok(fold_ranges(map, body)),
            Err(range) => Err(crate::syntax::depth::too_deep_diagnostic(crate::syntax::span_of(map.map_range(range)))),
        },
        Ok(_) => Err(Diagnostic::error(Code::SyntaxError, Span::default(), "expected a module")),
        Err(mut err) => {
            err.offset = map.map_pos(err.offset.into());
            Err(super::super::parse_error_diagnostic(text, &err))
        }
    }
}
