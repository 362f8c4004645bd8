//! Check: local type inference. An unannotated local gets the spanning type of everything
//! assigned to it; a function without a return annotation gets the spanning type of its
//! `return` values. Both are fixpoints: the body is re-checked until no type widens.
//!
//! Integer literals are weak: `x = 0` alone makes `x` a Python `int`, but with
//! `x = n` (a C `int`) elsewhere `x` stays a C `int` as long as every literal fits.
//! Values that depend on a call to a function whose return type is still being inferred are
//! *tainted*: they do not count towards a return type (the next round sees the real type).
//!
//! Inference is *safe*, as Cython's default (`infer_types=None`): a local that would get a
//! C integer type is a Python object instead when it takes part in arithmetic that can
//! leave the C type's range where Python's `int` would not ([`overflowing_names`]).

use super::scope::span;
use super::ty::{int_fits, join};
use super::expr::Val;
use crate::source::Span;
use crate::syntax::ast;
use crate::tir::Ty;
use crate::syntax::depth::{children, Borrowed, Node};
use std::collections::{HashMap, HashSet};

/// What the assignments seen so far say about one inferred local (or a return type).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TypeObs {
    /// The spanning type of the non-literal values.
    pub strong: Option<Ty>,
    /// The range of the integer literals assigned.
    pub lits: Option<(i64, i64)>,
    /// The spanning type of the memoryviews assigned. A local assigned a view is a view:
    /// its other values are errors (reported on assignment), and a read of another local
    /// whose type is not inferred yet (a Python `int` until then) must not turn it into a
    /// number for good.
    pub view: Option<Ty>,
}

impl TypeObs {
    pub fn add(&mut self, ty: Ty, lit: Option<i64>, is_pyx: bool) {
        if ty.is_view() {
            self.view = Some(self.view.map_or(ty, |v| join(v, ty, is_pyx)));
            return;
        }
        match lit {
            Some(v) => self.lits = Some(self.lits.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v)))),
            None => self.strong = Some(self.strong.map_or(ty, |s| join(s, ty, is_pyx))),
        }
    }

    /// The type: the strong type if every literal fits in it, else widened to Python `int`.
    pub fn ty(&self, is_pyx: bool) -> Option<Ty> {
        if self.view.is_some() {
            return self.view;
        }
        match (self.strong, self.lits) {
            (None, None) => None,
            (None, Some(_)) => Some(Ty::PY_INT),
            (Some(t), None) => Some(t),
            (Some(t @ Ty::Float(_)), Some(_)) => Some(t),
            (Some(t), Some((lo, hi))) if t.is_int() && int_fits(lo as i128, t) && int_fits(hi as i128, t) => Some(t),
            (Some(t), Some(_)) => Some(join(t, Ty::PY_INT, is_pyx)),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct VarInfo {
    pub obs: TypeObs,
    pub tainted: bool,
}

/// Inference state of one function's locals; it outlives the passes over the body.
#[derive(Debug, Default)]
pub(crate) struct InferState {
    pub vars: HashMap<String, VarInfo>,
    /// Set when a pass changed a type (or a taint): the pass must be redone.
    pub changed: bool,
    /// The locals that must not be C integers ([`overflowing_names`]).
    pub overflowing: HashSet<String>,
    /// The overflowing locals inference gave a C integer type: objects from then on.
    pub forced: HashSet<String>,
}

impl InferState {
    /// The current type of an inferred local (Python `int` until something is assigned).
    pub fn ty(&self, name: &str, is_pyx: bool) -> Ty {
        if self.forced.contains(name) {
            return Ty::OBJECT;
        }
        self.vars.get(name).and_then(|v| v.obs.ty(is_pyx)).unwrap_or(Ty::PY_INT)
    }

    /// At a fixpoint: makes the overflowing locals that inference typed as C integers
    /// objects, and says whether that changed anything (then the body is checked again).
    /// This waits for the fixpoint because the types of a pass can still rest on
    /// placeholders (a local not assigned yet reads as `int`), and types only widen.
    pub fn force_objects(&mut self, is_pyx: bool) -> bool {
        let new: Vec<String> = self
            .vars
            .iter()
            .filter(|(n, v)| self.overflowing.contains(*n) && !self.forced.contains(*n) && v.obs.ty(is_pyx).is_some_and(|t| t.is_int()))
            .map(|(n, _)| n.clone())
            .collect();
        let changed = !new.is_empty();
        self.forced.extend(new);
        changed
    }

    /// Whether anything was assigned to the inferred local `name` so far.
    pub fn observed(&self, name: &str) -> bool {
        self.forced.contains(name) || self.vars.get(name).is_some_and(|v| v.obs != TypeObs::default())
    }

    pub fn tainted(&self, name: &str) -> bool {
        self.vars.get(name).is_some_and(|v| v.tainted)
    }

    /// Records an assignment of `val` to the inferred local `name`.
    pub fn assign(&mut self, name: &str, val: &Val, is_pyx: bool) {
        if val.err || val.expr.ty == Ty::Void {
            return;
        }
        let info = self.vars.entry(name.to_string()).or_default();
        let before = *info;
        info.obs.add(val.expr.ty, val.lit, is_pyx);
        info.tainted |= val.tainted;
        if info.obs.ty(is_pyx) != before.obs.ty(is_pyx) || info.tainted != before.tainted {
            self.changed = true;
        }
    }
}

/// The `return` values of one pass, for a function whose return type is inferred.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RetObs {
    pub obs: TypeObs,
    /// Some `return` has a value (else the function is `void`).
    pub has_value: bool,
    /// Some `return` value depends on a pending return type (see the module docs).
    pub tainted: bool,
    /// Some `return` has no value (or is `return None`), or the body can fall off its end:
    /// with a value elsewhere, the function returns an object (the value or `None`).
    pub has_none: bool,
}

impl RetObs {
    pub fn add(&mut self, val: &Val, is_pyx: bool) {
        self.has_value = true;
        if val.tainted {
            self.tainted = true;
        } else if !val.err && val.expr.ty != Ty::Void {
            self.obs.add(val.expr.ty, val.lit, is_pyx);
        }
    }

    /// The return type these values give: `None` while only pending values were seen.
    /// Values that had errors count as Python `int` (their errors are already reported).
    pub fn ty(&self, is_pyx: bool) -> Option<Ty> {
        match self.obs.ty(is_pyx) {
            Some(_) if self.has_none => Some(Ty::OBJECT),
            Some(t) => Some(t),
            None if !self.has_value => Some(Ty::Void),
            None if self.tainted => None,
            None => Some(Ty::PY_INT),
        }
    }
}

/// A name the body assigns to, with where it first appears.
#[derive(Clone, Debug)]
pub(crate) struct Assigned {
    pub name: String,
    pub span: Span,
}

/// The locals of a function body in order of first appearance (Python's rule: a name
/// assigned anywhere in the function is local), and its annotated declarations.
#[derive(Debug, Default)]
pub(crate) struct BodyScan<'a> {
    pub assigned: Vec<Assigned>,
    pub annotations: Vec<(String, &'a ast::Expr, Span)>,
}

pub(crate) fn scan_body(body: &[ast::Stmt]) -> BodyScan<'_> {
    let mut scan = BodyScan::default();
    scan_block(body, &mut scan);
    scan
}

fn scan_block<'a>(body: &'a [ast::Stmt], scan: &mut BodyScan<'a>) {
    for stmt in body {
        match stmt {
            ast::Stmt::Assign(s) => s.targets.iter().for_each(|t| scan_target(t, scan)),
            ast::Stmt::AugAssign(s) => scan_target(&s.target, scan),
            ast::Stmt::AnnAssign(s) => {
                scan_target(&s.target, scan);
                if let ast::Expr::Name(n) = &*s.target {
                    scan.annotations.push((n.id.to_string(), &*s.annotation, span(&*s.target)));
                }
            }
            ast::Stmt::For(s) => {
                scan_target(&s.target, scan);
                scan_block(&s.body, scan);
                scan_block(&s.orelse, scan);
            }
            ast::Stmt::While(s) => {
                scan_block(&s.body, scan);
                scan_block(&s.orelse, scan);
            }
            ast::Stmt::If(s) => {
                scan_block(&s.body, scan);
                scan_block(&s.orelse, scan);
            }
            ast::Stmt::With(s) => scan_block(&s.body, scan),
            // A nested `def` and an import bind a local (compile-time imports bind nothing).
            ast::Stmt::FunctionDef(f) => scan_name(&f.name, span(f), scan),
            ast::Stmt::Import(i) => {
                for a in i.names.iter().filter(|a| !super::decl::compile_time(&a.name)) {
                    scan_name(&super::nested::import_binding(a), span(a), scan);
                }
            }
            ast::Stmt::ImportFrom(i) if i.level.is_some_and(|l| l.to_u32() > 0) || !super::decl::compile_time(i.module.as_deref().unwrap_or("")) => {
                for a in i.names.iter().filter(|a| a.name.as_str() != "*") {
                    scan_name(a.asname.as_ref().unwrap_or(&a.name), span(a), scan);
                }
            }
            _ => {}
        }
    }
}

fn scan_name(name: &str, sp: Span, scan: &mut BodyScan<'_>) {
    if !scan.assigned.iter().any(|a| a.name == name) {
        scan.assigned.push(Assigned { name: name.to_string(), span: sp });
    }
}

fn scan_target(target: &ast::Expr, scan: &mut BodyScan<'_>) {
    match target {
        ast::Expr::Name(n) => scan_name(&n.id, span(n), scan),
        ast::Expr::Tuple(t) => t.elts.iter().for_each(|e| scan_target(e, scan)),
        ast::Expr::List(t) => t.elts.iter().for_each(|e| scan_target(e, scan)),
        ast::Expr::Starred(s) => scan_target(&s.value, scan),
        _ => {}
    }
}

/// Cython's `MarkOverflowingArithmetic`: the names of `body` that appear in arithmetic
/// that may overflow a C integer (an operand, at any depth through other arithmetic and
/// calls, of a binary operator other than `&`, `|`, `^`, of unary `-` or of `abs()`; either
/// side of an augmented assignment), or that are assigned an integer literal beyond 32
/// bits. Indexing, attributes, comparisons, casts and the other expressions shield their
/// operands. Such a name gets a C integer type only if it is *bounded*: every assignment is
/// an integer literal below 2**31, a size (`len(x)`, `x.shape[k]`), `+=`/`-=` of a literal
/// below 2**16 (a counter: it needs 2**47 steps to leave 64 bits), or the target of a
/// `for ... in range(...)`.
/// In `.pyx` a bounded name is spared only the marks of its own counter steps: its other
/// arithmetic is Cython's, on a Python `int`. In `.py`, where a C integer local is a
/// checked 64-bit `int` (README), a bounded name is never marked, and call arguments are
/// not marked either.
pub(crate) fn overflowing_names(body: &[ast::Stmt], is_pyx: bool) -> HashSet<String> {
    let mut scan = OverflowScan { is_pyx, ..Default::default() };
    for stmt in body {
        scan.walk(Node::Stmt(stmt), false);
    }
    scan.marked.retain(|name| !(scan.bounded.get(name) == Some(&true) && (!is_pyx || !scan.used.contains(name))));
    scan.marked
}

#[derive(Default)]
struct OverflowScan {
    is_pyx: bool,
    /// Names marked by Cython's rule.
    marked: HashSet<String>,
    /// Names marked other than by their own counter steps.
    used: HashSet<String>,
    /// Per assigned name: every assignment so far keeps it bounded.
    bounded: HashMap<String, bool>,
}

impl OverflowScan {
    fn assigned(&mut self, target: &ast::Expr, bounded: bool) {
        match target {
            ast::Expr::Name(n) => {
                let b = self.bounded.entry(n.id.to_string()).or_insert(true);
                *b &= bounded;
            }
            ast::Expr::Tuple(ast::ExprTuple { elts, .. }) | ast::Expr::List(ast::ExprList { elts, .. }) => {
                elts.iter().for_each(|e| self.assigned(e, false));
            }
            ast::Expr::Starred(s) => self.assigned(&s.value, false),
            _ => {}
        }
    }

    fn walk(&mut self, node: Borrowed<'_>, danger: bool) {
        let mut inner = false;
        match node {
            // Other scopes.
            Node::Stmt(ast::Stmt::FunctionDef(_) | ast::Stmt::AsyncFunctionDef(_) | ast::Stmt::ClassDef(_)) => return,
            Node::Expr(ast::Expr::Lambda(_)) => return,
            Node::Expr(ast::Expr::Name(n)) => {
                if danger {
                    self.marked.insert(n.id.to_string());
                    self.used.insert(n.id.to_string());
                }
                return;
            }
            Node::Expr(ast::Expr::BinOp(b)) => {
                inner = danger || !matches!(b.op, ast::Operator::BitAnd | ast::Operator::BitOr | ast::Operator::BitXor);
            }
            Node::Expr(ast::Expr::UnaryOp(u)) => inner = danger || matches!(u.op, ast::UnaryOp::USub),
            Node::Expr(ast::Expr::Call(c)) => {
                inner = match &*c.func {
                    ast::Expr::Name(f) if f.id.as_str() == "abs" => true,
                    // A cast (`<T>x`) shields its operand, as Cython's TypecastNode does.
                    ast::Expr::Name(f) if f.id.starts_with('<') => false,
                    // In `.pyx` a call without keywords passes the mark on (Cython's
                    // SimpleCallNode). In `.py` an argument that meets a typed parameter
                    // is converted (and range-checked) there, so calls shield.
                    _ => danger && c.keywords.is_empty() && self.is_pyx,
                };
            }
            Node::Stmt(ast::Stmt::AugAssign(a)) => {
                let step = matches!(a.op, ast::Operator::Add | ast::Operator::Sub) && small_int(&a.value, 1 << 16);
                self.assigned(&a.target, step);
                if let (true, ast::Expr::Name(n)) = (step, &*a.target) {
                    // A counter step marks the counter only for Cython's rule.
                    self.marked.insert(n.id.to_string());
                    return;
                }
                inner = true;
            }
            Node::Stmt(ast::Stmt::Assign(a)) => {
                let lit = small_int(&a.value, 1 << 31) || is_size(&a.value);
                for t in &a.targets {
                    // `b = b` changes nothing: it keeps a bounded name bounded.
                    if matches!((t, &*a.value), (ast::Expr::Name(n), ast::Expr::Name(v)) if n.id == v.id) {
                        continue;
                    }
                    self.assigned(t, lit);
                    if let (ast::Expr::Name(n), ast::Expr::Constant(c)) = (t, &*a.value) {
                        if matches!(c.value, ast::Constant::Int(_)) && !lit {
                            self.marked.insert(n.id.to_string());
                            self.used.insert(n.id.to_string());
                        }
                    }
                }
            }
            Node::Stmt(ast::Stmt::AnnAssign(a)) => self.assigned(&a.target, false),
            Node::Stmt(ast::Stmt::For(f)) => {
                let range = matches!(&*f.iter, ast::Expr::Call(c) if matches!(&*c.func, ast::Expr::Name(n) if n.id.as_str() == "range"));
                self.assigned(&f.target, range);
            }
            Node::Expr(ast::Expr::NamedExpr(n)) => self.assigned(&n.target, false),
            Node::Stmt(ast::Stmt::With(w)) => {
                for item in &w.items {
                    if let Some(v) = &item.optional_vars {
                        self.assigned(v, false);
                    }
                }
            }
            _ => {}
        }
        // The called object of a call is not an operand.
        let callee: Option<*const ast::Expr> = match &node {
            Node::Expr(ast::Expr::Call(c)) => Some(&*c.func),
            _ => None,
        };
        for child in children(node) {
            let is_callee = matches!(&child, Node::Expr(e) if Some(*e as *const ast::Expr) == callee);
            self.walk(child, inner && !is_callee);
        }
    }
}

/// `len(x)` or `x.shape[k]`: a size, below 2**63 by construction.
fn is_size(e: &ast::Expr) -> bool {
    match e {
        ast::Expr::Call(c) => matches!(&*c.func, ast::Expr::Name(f) if f.id.as_str() == "len") && c.args.len() == 1,
        ast::Expr::Subscript(s) => matches!(&*s.value, ast::Expr::Attribute(a) if a.attr.as_str() == "shape"),
        _ => false,
    }
}

/// An integer literal (or a negated one) of magnitude below `limit`.
fn small_int(e: &ast::Expr, limit: i64) -> bool {
    match e {
        ast::Expr::Constant(c) => match &c.value {
            ast::Constant::Int(v) => i64::try_from(v).is_ok_and(|v| v > -limit && v < limit),
            _ => false,
        },
        ast::Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOp::USub) => small_int(&u.operand, limit),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tir::IntKind;

    #[test]
    fn literals_are_weak() {
        let mut o = TypeObs::default();
        o.add(Ty::PY_INT, Some(0), true);
        assert_eq!(o.ty(true), Some(Ty::PY_INT));
        o.add(Ty::Int(IntKind::Int), None, true);
        assert_eq!(o.ty(true), Some(Ty::Int(IntKind::Int)));
        o.add(Ty::PY_INT, Some(1 << 40), true);
        assert_eq!(o.ty(true), Some(Ty::PY_INT));
        o.add(Ty::DOUBLE, None, true);
        assert_eq!(o.ty(true), Some(Ty::DOUBLE));
    }

    #[test]
    fn bool_with_an_int_literal_is_an_int() {
        let mut o = TypeObs::default();
        o.add(Ty::Bool, None, false);
        o.add(Ty::PY_INT, Some(0), false);
        assert_eq!(o.ty(false), Some(Ty::PY_INT));
    }

    /// The overflowing names of the first function of `src` (a `.py` or a `.pyx` body).
    fn overflowing(src: &str, is_pyx: bool) -> Vec<String> {
        let kind = if is_pyx { crate::source::SourceKind::Pyx } else { crate::source::SourceKind::Py };
        let file = crate::source::SourceFile::new(if is_pyx { "t.pyx" } else { "t.py" }, src, kind);
        let parsed = crate::syntax::parse_file(&file).0.expect("parsed");
        let ast::Stmt::FunctionDef(f) = &parsed.body[0] else { panic!("not a def") };
        let mut names: Vec<String> = overflowing_names(&f.body, is_pyx).into_iter().collect();
        names.sort();
        names
    }

    #[test]
    fn accumulators_overflow_and_counters_do_not() {
        let src = "def f(n):\n    r = 1\n    c = 0\n    for i in range(n):\n        r *= i\n        c += 1\n    return r, c\n";
        assert_eq!(overflowing(src, true), ["i", "r"]);
        assert_eq!(overflowing(src, false), ["r"]);
        // A counter or loop variable in arithmetic: Cython's Python int in `.pyx` only.
        let src = "def f(n):\n    d = 2\n    t = 0\n    for i in range(n):\n        d += 1\n        t = d * i\n    return t\n";
        assert_eq!(overflowing(src, true), ["d", "i"]);
        assert!(overflowing(src, false).is_empty());
        // A self-assignment observes nothing: the counter stays bounded.
        let src = "def f(n):\n    b = 1\n    for i in range(n):\n        b = b\n        b += 1\n    return b\n";
        assert!(overflowing(src, false).is_empty() && overflowing(src, true).is_empty());
    }

    #[test]
    fn indexing_and_casts_shield_and_calls_pass_the_mark_in_pyx() {
        let src = "def f(a, n, x):\n    k = n\n    j = x\n    m = n\n    s = a[k] + <int>j + g(m) + a[k + 1]\n    return s\n";
        assert_eq!(overflowing(src, true), ["k", "m"]);
        assert_eq!(overflowing(&src.replace("<int>j", "j"), false), ["j", "k"]);
        // Bitwise operators and comparisons are not arithmetic; unary minus and abs are.
        let src = "def f(a, b):\n    x = a\n    y = b\n    z = a\n    w = b\n    return (x & y) < 3, -z, abs(w)\n";
        assert_eq!(overflowing(src, true), ["w", "z"]);
        // Sizes are bounded; a literal beyond 32 bits is not.
        let src = "def f(xs):\n    n = len(xs)\n    big = 3000000000\n    return n - 1, big\n";
        assert_eq!(overflowing(src, false), ["big"]);
        assert_eq!(overflowing(src, true), ["big", "n"]);
    }
}
