//! Syntax: the nesting limit. Source → (AST no deeper than [`MAX_NESTING`]) or a
//! `too-deeply-nested` diagnostic.
//!
//! Every later stage (the `.pyx` range fold, the checker, the TIR passes, codegen, and the
//! `Drop` of the trees) recurses once per level of nesting. Rather than guard each of them,
//! the front end refuses deep input once, right after parsing, so that no later pass ever
//! sees it. This file is the only code that walks the AST without recursion: the depth
//! measure and the teardown of a refused tree both use an explicit stack.
//!
//! The limits:
//! - [`MAX_NESTING`] = 1000 levels of statements and expressions together (a `def` body is
//!   one level, an `if` inside it another, each operand of `+` one more, and so on). A long
//!   flat chain `a + b + ...` nests as deep as it has operators, and CPython compiles
//!   chains of 1,000 terms (it raises RecursionError at a few thousand), so that is the
//!   limit; CPython refuses 200 nested parentheses and 100 levels of indentation itself.
//!   Measured in a debug build, the deepest-recursing construct (nested calls) takes
//!   about 10.5 KiB of stack per level through check, validate, display and codegen, and
//!   1000 levels take ~10.5 MiB: the driver runs every compile on a thread with
//!   `driver::COMPILER_STACK_BYTES` (256 MiB) of stack, a 24x margin.
//! - [`MAX_STATEMENT_TOKENS`]: the parser itself does not recurse, but a tree it builds and
//!   then throws away on a later syntax error is dropped recursively, before this check can
//!   run. A logical line of `n` tokens builds a tree at most `n` deep, so lines longer than
//!   this are refused before parsing, and the whole compile runs on the driver's thread
//!   (`driver::COMPILER_STACK_BYTES`), whose stack such a tree's `Drop` fits in.

use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{self, Ranged};
use rustpython_parser::text_size::TextRange;
use rustpython_parser::Tok;

/// The deepest nesting of statements and expressions the front end accepts.
pub(crate) const MAX_NESTING: u32 = 1000;

/// The most tokens one logical line (statement) may have.
pub(crate) const MAX_STATEMENT_TOKENS: usize = 100_000;

/// The first logical line with more than [`MAX_STATEMENT_TOKENS`] tokens, as the range
/// from its first token to the one over the limit.
pub(crate) fn overlong_statement<'a>(tokens: impl IntoIterator<Item = (&'a Tok, TextRange)>) -> Option<TextRange> {
    let mut count = 0usize;
    let mut start = None;
    for (tok, range) in tokens {
        if matches!(tok, Tok::Newline) {
            count = 0;
            start = None;
            continue;
        }
        if matches!(tok, Tok::Indent | Tok::Dedent) {
            continue;
        }
        let first = *start.get_or_insert(range);
        count += 1;
        if count > MAX_STATEMENT_TOKENS {
            return Some(first.cover(range));
        }
    }
    None
}

pub(crate) fn overlong_statement_diagnostic(span: Span) -> Diagnostic {
    Diagnostic::error(Code::TooDeeplyNested, Span::new(span.start, span.start + 1), format!("statement too long to compile: more than {MAX_STATEMENT_TOKENS} tokens"))
        .with_help("split it into several statements")
}

pub(crate) fn too_deep_diagnostic(span: Span) -> Diagnostic {
    Diagnostic::error(Code::TooDeeplyNested, span, format!("too deeply nested: more than {MAX_NESTING} levels of nested blocks and expressions"))
        .with_label("this is nested too deeply")
        .with_help("split the expression or the block into smaller ones (temporary variables or functions)")
}

/// A node of the tree, owned (`Node<Stmt, Expr, Pattern>`) or borrowed.
pub(crate) enum Node<S, E, P> {
    Stmt(S),
    Expr(E),
    Pattern(P),
}

type Owned = Node<ast::Stmt, ast::Expr, ast::Pattern>;
pub(crate) type Borrowed<'a> = Node<&'a ast::Stmt, &'a ast::Expr, &'a ast::Pattern>;

impl From<ast::Stmt> for Owned {
    fn from(s: ast::Stmt) -> Owned {
        Node::Stmt(s)
    }
}
impl From<ast::Expr> for Owned {
    fn from(e: ast::Expr) -> Owned {
        Node::Expr(e)
    }
}
impl From<Box<ast::Expr>> for Owned {
    fn from(e: Box<ast::Expr>) -> Owned {
        Node::Expr(*e)
    }
}
impl From<ast::Pattern> for Owned {
    fn from(p: ast::Pattern) -> Owned {
        Node::Pattern(p)
    }
}
impl From<Box<ast::Pattern>> for Owned {
    fn from(p: Box<ast::Pattern>) -> Owned {
        Node::Pattern(*p)
    }
}
impl<'a> From<&'a ast::Stmt> for Borrowed<'a> {
    fn from(s: &'a ast::Stmt) -> Borrowed<'a> {
        Node::Stmt(s)
    }
}
impl<'a> From<&'a ast::Expr> for Borrowed<'a> {
    fn from(e: &'a ast::Expr) -> Borrowed<'a> {
        Node::Expr(e)
    }
}
impl<'a> From<&'a Box<ast::Expr>> for Borrowed<'a> {
    fn from(e: &'a Box<ast::Expr>) -> Borrowed<'a> {
        Node::Expr(e)
    }
}
impl<'a> From<&'a ast::Pattern> for Borrowed<'a> {
    fn from(p: &'a ast::Pattern) -> Borrowed<'a> {
        Node::Pattern(p)
    }
}
impl<'a> From<&'a Box<ast::Pattern>> for Borrowed<'a> {
    fn from(p: &'a Box<ast::Pattern>) -> Borrowed<'a> {
        Node::Pattern(p)
    }
}

/// `Box<T>` → `T` and `&Box<T>` → `&T`, so that one listing of the children serves both.
trait Unbox {
    type Target;
    fn unbox(self) -> Self::Target;
}
impl<T> Unbox for Box<T> {
    type Target = T;
    fn unbox(self) -> T {
        *self
    }
}
impl<'a, T> Unbox for &'a Box<T> {
    type Target = &'a T;
    fn unbox(self) -> &'a T {
        self
    }
}

/// Calls `$push(child.into())` for each direct child of `$node` (a `Node` owned or
/// borrowed: the same patterns bind values or references).
macro_rules! for_each_child {
    ($node:expr, $push:expr) => {{
        #[allow(unused_mut)]
        let mut push = $push;
        macro_rules! each {
            ($items:expr) => {
                for item in $items {
                    push(item.into());
                }
            };
        }
        macro_rules! opt {
            ($item:expr) => {
                if let Some(item) = $item {
                    push(item.into());
                }
            };
        }
        macro_rules! arguments {
            ($args:expr) => {{
                let ast::Arguments { posonlyargs, args, vararg, kwonlyargs, kwarg, .. } = $args.unbox();
                for ast::ArgWithDefault { def: ast::Arg { annotation, .. }, default, .. } in posonlyargs.into_iter().chain(args).chain(kwonlyargs) {
                    opt!(annotation);
                    opt!(default);
                }
                for arg in vararg.into_iter().chain(kwarg) {
                    let ast::Arg { annotation, .. } = arg.unbox();
                    opt!(annotation);
                }
            }};
        }
        macro_rules! type_params {
            ($params:expr) => {
                for param in $params {
                    if let ast::TypeParam::TypeVar(ast::TypeParamTypeVar { bound, .. }) = param {
                        opt!(bound);
                    }
                }
            };
        }
        macro_rules! handlers {
            ($handlers:expr) => {
                for handler in $handlers {
                    let ast::ExceptHandler::ExceptHandler(ast::ExceptHandlerExceptHandler { type_, body, .. }) = handler;
                    opt!(type_);
                    each!(body);
                }
            };
        }
        macro_rules! generators {
            ($generators:expr) => {
                for ast::Comprehension { target, iter, ifs, .. } in $generators {
                    push(target.into());
                    push(iter.into());
                    each!(ifs);
                }
            };
        }
        match $node {
            Node::Stmt(stmt) => match stmt {
                ast::Stmt::FunctionDef(ast::StmtFunctionDef { args, body, decorator_list, returns, type_params, .. })
                | ast::Stmt::AsyncFunctionDef(ast::StmtAsyncFunctionDef { args, body, decorator_list, returns, type_params, .. }) => {
                    arguments!(args);
                    each!(body);
                    each!(decorator_list);
                    opt!(returns);
                    type_params!(type_params);
                }
                ast::Stmt::ClassDef(ast::StmtClassDef { bases, keywords, body, decorator_list, type_params, .. }) => {
                    each!(bases);
                    for ast::Keyword { value, .. } in keywords {
                        push(value.into());
                    }
                    each!(body);
                    each!(decorator_list);
                    type_params!(type_params);
                }
                ast::Stmt::Return(ast::StmtReturn { value, .. }) => opt!(value),
                ast::Stmt::Delete(ast::StmtDelete { targets, .. }) => each!(targets),
                ast::Stmt::Assign(ast::StmtAssign { targets, value, .. }) => {
                    each!(targets);
                    push(value.into());
                }
                ast::Stmt::TypeAlias(ast::StmtTypeAlias { name, type_params, value, .. }) => {
                    push(name.into());
                    type_params!(type_params);
                    push(value.into());
                }
                ast::Stmt::AugAssign(ast::StmtAugAssign { target, value, .. }) => {
                    push(target.into());
                    push(value.into());
                }
                ast::Stmt::AnnAssign(ast::StmtAnnAssign { target, annotation, value, .. }) => {
                    push(target.into());
                    push(annotation.into());
                    opt!(value);
                }
                ast::Stmt::For(ast::StmtFor { target, iter, body, orelse, .. })
                | ast::Stmt::AsyncFor(ast::StmtAsyncFor { target, iter, body, orelse, .. }) => {
                    push(target.into());
                    push(iter.into());
                    each!(body);
                    each!(orelse);
                }
                ast::Stmt::While(ast::StmtWhile { test, body, orelse, .. }) | ast::Stmt::If(ast::StmtIf { test, body, orelse, .. }) => {
                    push(test.into());
                    each!(body);
                    each!(orelse);
                }
                ast::Stmt::With(ast::StmtWith { items, body, .. }) | ast::Stmt::AsyncWith(ast::StmtAsyncWith { items, body, .. }) => {
                    for ast::WithItem { context_expr, optional_vars, .. } in items {
                        push(context_expr.into());
                        opt!(optional_vars);
                    }
                    each!(body);
                }
                ast::Stmt::Match(ast::StmtMatch { subject, cases, .. }) => {
                    push(subject.into());
                    for ast::MatchCase { pattern, guard, body, .. } in cases {
                        push(pattern.into());
                        opt!(guard);
                        each!(body);
                    }
                }
                ast::Stmt::Raise(ast::StmtRaise { exc, cause, .. }) => {
                    opt!(exc);
                    opt!(cause);
                }
                ast::Stmt::Try(ast::StmtTry { body, handlers, orelse, finalbody, .. })
                | ast::Stmt::TryStar(ast::StmtTryStar { body, handlers, orelse, finalbody, .. }) => {
                    each!(body);
                    handlers!(handlers);
                    each!(orelse);
                    each!(finalbody);
                }
                ast::Stmt::Assert(ast::StmtAssert { test, msg, .. }) => {
                    push(test.into());
                    opt!(msg);
                }
                ast::Stmt::Expr(ast::StmtExpr { value, .. }) => push(value.into()),
                ast::Stmt::Import(_)
                | ast::Stmt::ImportFrom(_)
                | ast::Stmt::Global(_)
                | ast::Stmt::Nonlocal(_)
                | ast::Stmt::Pass(_)
                | ast::Stmt::Break(_)
                | ast::Stmt::Continue(_) => {}
            },
            Node::Expr(expr) => match expr {
                ast::Expr::BoolOp(ast::ExprBoolOp { values, .. }) => each!(values),
                ast::Expr::NamedExpr(ast::ExprNamedExpr { target, value, .. }) => {
                    push(target.into());
                    push(value.into());
                }
                ast::Expr::BinOp(ast::ExprBinOp { left, right, .. }) => {
                    push(left.into());
                    push(right.into());
                }
                ast::Expr::UnaryOp(ast::ExprUnaryOp { operand, .. }) => push(operand.into()),
                ast::Expr::Lambda(ast::ExprLambda { args, body, .. }) => {
                    arguments!(args);
                    push(body.into());
                }
                ast::Expr::IfExp(ast::ExprIfExp { test, body, orelse, .. }) => {
                    push(test.into());
                    push(body.into());
                    push(orelse.into());
                }
                ast::Expr::Dict(ast::ExprDict { keys, values, .. }) => {
                    for key in keys {
                        opt!(key);
                    }
                    each!(values);
                }
                ast::Expr::Set(ast::ExprSet { elts, .. })
                | ast::Expr::List(ast::ExprList { elts, .. })
                | ast::Expr::Tuple(ast::ExprTuple { elts, .. }) => each!(elts),
                ast::Expr::ListComp(ast::ExprListComp { elt, generators, .. })
                | ast::Expr::SetComp(ast::ExprSetComp { elt, generators, .. })
                | ast::Expr::GeneratorExp(ast::ExprGeneratorExp { elt, generators, .. }) => {
                    push(elt.into());
                    generators!(generators);
                }
                ast::Expr::DictComp(ast::ExprDictComp { key, value, generators, .. }) => {
                    push(key.into());
                    push(value.into());
                    generators!(generators);
                }
                ast::Expr::Await(ast::ExprAwait { value, .. })
                | ast::Expr::YieldFrom(ast::ExprYieldFrom { value, .. })
                | ast::Expr::Attribute(ast::ExprAttribute { value, .. })
                | ast::Expr::Starred(ast::ExprStarred { value, .. }) => push(value.into()),
                ast::Expr::Yield(ast::ExprYield { value, .. }) => opt!(value),
                ast::Expr::Compare(ast::ExprCompare { left, comparators, .. }) => {
                    push(left.into());
                    each!(comparators);
                }
                ast::Expr::Call(ast::ExprCall { func, args, keywords, .. }) => {
                    push(func.into());
                    each!(args);
                    for ast::Keyword { value, .. } in keywords {
                        push(value.into());
                    }
                }
                ast::Expr::FormattedValue(ast::ExprFormattedValue { value, format_spec, .. }) => {
                    push(value.into());
                    opt!(format_spec);
                }
                ast::Expr::JoinedStr(ast::ExprJoinedStr { values, .. }) => each!(values),
                ast::Expr::Subscript(ast::ExprSubscript { value, slice, .. }) => {
                    push(value.into());
                    push(slice.into());
                }
                ast::Expr::Slice(ast::ExprSlice { lower, upper, step, .. }) => {
                    opt!(lower);
                    opt!(upper);
                    opt!(step);
                }
                ast::Expr::Constant(_) | ast::Expr::Name(_) => {}
            },
            Node::Pattern(pattern) => match pattern {
                ast::Pattern::MatchValue(ast::PatternMatchValue { value, .. }) => push(value.into()),
                ast::Pattern::MatchSingleton(_) | ast::Pattern::MatchStar(_) => {}
                ast::Pattern::MatchSequence(ast::PatternMatchSequence { patterns, .. })
                | ast::Pattern::MatchOr(ast::PatternMatchOr { patterns, .. }) => each!(patterns),
                ast::Pattern::MatchMapping(ast::PatternMatchMapping { keys, patterns, .. }) => {
                    each!(keys);
                    each!(patterns);
                }
                ast::Pattern::MatchClass(ast::PatternMatchClass { cls, patterns, kwd_patterns, .. }) => {
                    push(cls.into());
                    each!(patterns);
                    each!(kwd_patterns);
                }
                ast::Pattern::MatchAs(ast::PatternMatchAs { pattern, .. }) => opt!(pattern),
            },
        }
    }};
}

impl Borrowed<'_> {
    fn range(&self) -> TextRange {
        match self {
            Node::Stmt(s) => s.range(),
            Node::Expr(e) => e.range(),
            Node::Pattern(p) => p.range(),
        }
    }
}

/// The first node (in a depth-first walk) nested deeper than [`MAX_NESTING`]: the range of
/// that node. A top-level statement is at depth 1.
#[allow(clippy::collapsible_match)] // `opt!` on an option that is itself a pattern binding
pub(crate) fn too_deep<'a>(body: &'a [ast::Stmt]) -> Option<TextRange> {
    let mut stack: Vec<(Borrowed<'a>, u32)> = body.iter().rev().map(|s| (Node::Stmt(s), 1)).collect();
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_NESTING {
            return Some(node.range());
        }
        // A chain `a < b < c` or `a and b and c` is one node here but nests one level per
        // operator in the checker's lowering, so its operands count that deep.
        let levels = match node {
            Node::Expr(ast::Expr::Compare(c)) => c.comparators.len() as u32,
            Node::Expr(ast::Expr::BoolOp(b)) => b.values.len().saturating_sub(1).max(1) as u32,
            _ => 1,
        };
        let start = stack.len();
        for_each_child!(node, |child: Borrowed<'a>| stack.push((child, depth.saturating_add(levels))));
        stack[start..].reverse();
    }
    None
}

/// The direct children of a node, in source order (for walkers outside `syntax/` that
/// look at every node: `check/nested.rs`, `check/infer.rs`). Only call on trees `too_deep` accepted.
#[allow(clippy::collapsible_match)]
pub(crate) fn children<'a>(node: Borrowed<'a>) -> Vec<Borrowed<'a>> {
    let mut out = Vec::new();
    for_each_child!(node, |child: Borrowed<'a>| out.push(child));
    out
}

/// Drops a tree of any depth without recursing (the derived `Drop` recurses per level).
#[allow(clippy::collapsible_match)]
pub(crate) fn drop_iteratively(body: Vec<ast::Stmt>) {
    let mut stack: Vec<Owned> = body.into_iter().map(Node::Stmt).collect();
    while let Some(node) = stack.pop() {
        // Moves the children out; what is left of the node drops without recursing.
        for_each_child!(node, |child: Owned| stack.push(child));
    }
}

/// Refuses a tree deeper than [`MAX_NESTING`]: the range of the first node too deep, after
/// dropping the tree without recursion.
pub(crate) fn refuse_too_deep(body: Vec<ast::Stmt>) -> Result<Vec<ast::Stmt>, TextRange> {
    match too_deep(&body) {
        None => Ok(body),
        Some(range) => {
            drop_iteratively(body);
            Err(range)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Vec<ast::Stmt> {
        match rustpython_parser::parse(src, rustpython_parser::Mode::Module, "t.py") {
            Ok(ast::Mod::Module(m)) => m.body,
            other => panic!("does not parse: {other:?}"),
        }
    }

    #[test]
    fn depth_counts_statements_and_expressions() {
        let limit = MAX_NESTING as usize;
        // `return` is at depth 2, its operand chain below it.
        let fits = format!("def f(x):\n    return {}x\n", "-".repeat(limit - 3));
        assert_eq!(too_deep(&parse(&fits)), None);
        let deep = format!("def f(x):\n    return {}x\n", "-".repeat(limit - 2));
        assert!(too_deep(&parse(&deep)).is_some());
        let mut blocks = String::from("def f(x):\n");
        for i in 0..limit {
            blocks += &format!("{}if x:\n", " ".repeat(i + 1));
        }
        blocks += &format!("{}pass\n", " ".repeat(limit + 1));
        assert!(too_deep(&parse(&blocks)).is_some());
        let chain = format!("def f(x):\n    return {}\n", vec!["x"; limit].join(" < "));
        assert!(too_deep(&parse(&chain)).is_some(), "a comparison chain nests once per operator");
        let wide = format!("def f(x):\n    return ({})\n", vec!["-x"; 5000].join(", "));
        assert_eq!(too_deep(&parse(&wide)), None, "a wide tuple is shallow");
    }

    #[test]
    fn deep_trees_drop_without_recursion() {
        // Deep enough to overflow a 2 MiB test thread if dropped recursively.
        let src = format!("x = {}1\ny = {}\nz = {}\n", "-".repeat(100_000), "(".repeat(150) + &")".repeat(150), vec!["a"; 50_000].join(" + "));
        // Parsed on a big stack, as the driver's compile thread gives it; dropped here.
        let body = std::thread::Builder::new().stack_size(256 << 20).spawn(move || parse(&src)).unwrap().join().unwrap();
        assert!(refuse_too_deep(body).is_err());
    }
}
