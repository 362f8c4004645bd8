//! Check: tests of the TIR the checker produces, driven by small Python sources. Every
//! module that checks without errors is also run through [`well_typed`], which enforces the
//! TIR's typing contract (operands agree, casts go between the kinds they name, ...).

use super::check_module;
use crate::diagnostics::Diagnostic;
use crate::source::{SourceFile, SourceKind};
use crate::syntax::{ast, parse_file, Directive, FuncDecl, ParsedModule};
use crate::tir::*;

pub(super) fn parse(src: &str) -> (SourceFile, ParsedModule) {
    let file = SourceFile::new("t.py", src, SourceKind::Py);
    let (parsed, diags) = parse_file(&file);
    assert!(diags.is_empty(), "parse errors: {diags:?}");
    (file, parsed.expect("parsed"))
}

pub(super) fn check(src: &str) -> (SourceFile, Module, Vec<Diagnostic>) {
    let (file, parsed) = parse(src);
    let (m, d) = check_module(&file, &parsed, "t");
    (file, m, d)
}

/// Checks a source that must have no diagnostics at all, and validates its TIR.
pub(super) fn ok(src: &str) -> Module {
    let (file, m, d) = check(src);
    assert_clean(&file, &m, &d);
    m
}

fn assert_clean(file: &SourceFile, m: &Module, d: &[Diagnostic]) {
    let shown: Vec<String> = d.iter().map(|d| format!("{} `{}`: {}", d.code.name(), file.snippet(d.primary.span), d.message)).collect();
    assert!(d.is_empty(), "unexpected diagnostics: {shown:#?}");
    let errs = well_typed(m);
    assert!(errs.is_empty(), "ill-typed TIR: {errs:#?}\n{m:#?}");
}

/// A `.pyx`-like module without the `.pyx` front end: names `C_<words>` in the source
/// become the front end's `c:<words>` annotations (underscores become spaces, a final `_MV`
/// becomes `[:]`), calls
/// `CAST_<type>(x)` become `<type>(x)` casts, and `decls` declares functions as
/// `cdef`/`cpdef` (by name).
pub(super) fn check_pyx(src: &str, decls: &[(&str, FuncKind)]) -> (SourceFile, Module, Vec<Diagnostic>) {
    check_pyx_with(src, decls, &[])
}

/// [`check_pyx`] with `# cython:` directives.
pub(super) fn check_pyx_with(src: &str, decls: &[(&str, FuncKind)], directives: &[(&str, &str)]) -> (SourceFile, Module, Vec<Diagnostic>) {
    let (_, mut parsed) = parse(src);
    for (name, value) in directives {
        parsed.cython.directives.push(Directive { name: name.to_string(), value: value.to_string(), span: crate::source::Span::new(0, 1) });
    }
    let file = SourceFile::new("t.pyx", src, SourceKind::Pyx);
    for s in &mut parsed.body {
        rewrite_stmt(s);
        if let ast::Stmt::FunctionDef(f) = s {
            if let Some((_, kind)) = decls.iter().find(|(n, _)| f.name.as_str() == *n) {
                let start: u32 = ast::Ranged::range(f).start().into();
                let decl = FuncDecl { kind: *kind, inline: false, nogil: false, except: None, span: crate::source::Span::new(start, start + 4) };
                parsed.cython.functions.insert(start, decl);
            }
        }
    }
    let (m, d) = check_module(&file, &parsed, "t");
    (file, m, d)
}

pub(super) fn ok_pyx(src: &str, decls: &[(&str, FuncKind)]) -> Module {
    let (file, m, d) = check_pyx(src, decls);
    assert_clean(&file, &m, &d);
    m
}

/// Checks with `# cython:` directives given as data (the header parser is the syntax
/// helper's).
pub(super) fn check_with_directives(src: &str, directives: &[(&str, &str)]) -> (SourceFile, Module, Vec<Diagnostic>) {
    let (file, mut parsed) = parse(src);
    for (name, value) in directives {
        parsed.cython.directives.push(Directive { name: name.to_string(), value: value.to_string(), span: crate::source::Span::new(0, 1) });
    }
    let (m, d) = check_module(&file, &parsed, "t");
    (file, m, d)
}

fn rewrite_name(id: &mut ast::Identifier) {
    if let Some(rest) = id.as_str().strip_prefix("C_") {
        let text = rest.replace('_', " ").replace("Py ssize t", "Py_ssize_t").replace("size t", "size_t").replace(" MV", "[:]");
        *id = ast::Identifier::new(format!("c:{text}"));
    } else if let Some(rest) = id.as_str().strip_prefix("CAST_") {
        *id = ast::Identifier::new(format!("<{}>", rest.replace('_', " ")));
    }
}

fn rewrite_expr(e: &mut ast::Expr) {
    match e {
        ast::Expr::Name(n) => rewrite_name(&mut n.id),
        ast::Expr::Call(c) => {
            rewrite_expr(&mut c.func);
            c.args.iter_mut().for_each(rewrite_expr);
        }
        ast::Expr::BinOp(b) => {
            rewrite_expr(&mut b.left);
            rewrite_expr(&mut b.right);
        }
        ast::Expr::UnaryOp(u) => rewrite_expr(&mut u.operand),
        ast::Expr::Compare(c) => {
            rewrite_expr(&mut c.left);
            c.comparators.iter_mut().for_each(rewrite_expr);
        }
        _ => {}
    }
}

fn rewrite_stmt(s: &mut ast::Stmt) {
    match s {
        ast::Stmt::FunctionDef(f) => {
            for a in f.args.args.iter_mut() {
                if let Some(ann) = &mut a.def.annotation {
                    rewrite_expr(ann);
                }
            }
            if let Some(r) = &mut f.returns {
                rewrite_expr(r);
            }
            f.body.iter_mut().for_each(rewrite_stmt);
        }
        ast::Stmt::AnnAssign(a) => {
            rewrite_expr(&mut a.annotation);
            if let Some(v) = &mut a.value {
                rewrite_expr(v);
            }
        }
        ast::Stmt::Assign(a) => rewrite_expr(&mut a.value),
        ast::Stmt::AugAssign(a) => rewrite_expr(&mut a.value),
        ast::Stmt::Return(r) => {
            if let Some(v) = &mut r.value {
                rewrite_expr(v);
            }
        }
        ast::Stmt::If(i) => {
            rewrite_expr(&mut i.test);
            i.body.iter_mut().for_each(rewrite_stmt);
            i.orelse.iter_mut().for_each(rewrite_stmt);
        }
        ast::Stmt::While(w) => w.body.iter_mut().for_each(rewrite_stmt),
        ast::Stmt::For(f) => {
            rewrite_expr(&mut f.iter);
            f.body.iter_mut().for_each(rewrite_stmt);
        }
        ast::Stmt::Expr(e) => rewrite_expr(&mut e.value),
        _ => {}
    }
}

pub(super) fn func<'m>(m: &'m Module, name: &str) -> &'m Function {
    m.funcs.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no function `{name}`"))
}

pub(super) fn local_ty(f: &Function, name: &str) -> Ty {
    f.locals.iter().find(|l| l.name == name).unwrap_or_else(|| panic!("no local `{name}`")).ty
}

/// Every expression of a function, outermost first.
pub(super) fn exprs(f: &Function) -> Vec<&Expr> {
    let mut out = Vec::new();
    crate::tir::visit::for_each_expr(&f.body, &mut |e| out.push(e));
    out
}

/// The first `Binary` with an op matching `pred`.
pub(super) fn find_binop(f: &Function, pred: impl Fn(&BinOp) -> bool) -> (&BinOp, Ty) {
    exprs(f)
        .into_iter()
        .find_map(|e| match &e.kind {
            ExprKind::Binary { op, .. } if pred(op) => Some((op, e.ty)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no such binary op in `{}`: {:#?}", f.name, f.body))
}

pub(super) fn returns(f: &Function) -> Vec<&Expr> {
    fn block<'a>(b: &'a [Stmt], out: &mut Vec<&'a Expr>) {
        for s in b {
            match &s.kind {
                StmtKind::Return(Some(e)) => out.push(e),
                StmtKind::If { then_body, else_body, .. } => {
                    block(then_body, out);
                    block(else_body, out);
                }
                StmtKind::While { body, orelse, .. } | StmtKind::ForRange { body, orelse, .. } | StmtKind::ForIter { body, orelse, .. } => {
                    block(body, out);
                    block(orelse, out);
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    block(&f.body, &mut out);
    out
}

/// The TIR's typing contract, as documented in `tir/mod.rs`.
pub(super) fn well_typed(m: &Module) -> Vec<String> {
    let mut errs = Vec::new();
    for f in &m.funcs {
        for (i, p) in f.params.iter().enumerate() {
            if p.local.0 as usize != i || f.locals[i].ty != p.ty {
                errs.push(format!("{}: parameter {i} is not local {i}", f.name));
            }
        }
        stmts_ok(m, f, &f.body, &mut errs);
    }
    if let Err(e) = crate::tir::validate::validate_module(m) {
        errs.push(e);
    }
    errs
}

/// A value of type `from` may go where `to` is expected: the same type, or an object of a
/// known kind where any object is.
fn fits(from: Ty, to: Ty) -> bool {
    from == to || (from.is_object() && to == Ty::OBJECT)
}

fn stmts_ok(m: &Module, f: &Function, b: &[Stmt], errs: &mut Vec<String>) {
    for s in b {
        match &s.kind {
            StmtKind::Assign { local, value } => {
                expr_ok(m, f, value, errs);
                if !fits(value.ty, f.local(*local).ty) {
                    errs.push(format!("{}: assign {} to local of {}", f.name, value.ty, f.local(*local).ty));
                }
            }
            StmtKind::Expr(e) => expr_ok(m, f, e, errs),
            StmtKind::If { cond, then_body, else_body } => {
                expr_ok(m, f, cond, errs);
                if cond.ty != Ty::Bool {
                    errs.push(format!("{}: if condition of {}", f.name, cond.ty));
                }
                stmts_ok(m, f, then_body, errs);
                stmts_ok(m, f, else_body, errs);
            }
            StmtKind::ForIter { body, orelse, .. } => {
                stmts_ok(m, f, body, errs);
                stmts_ok(m, f, orelse, errs);
            }
            StmtKind::Unpack { value, .. } | StmtKind::Check { cond: value, .. } => expr_ok(m, f, value, errs),
            StmtKind::While { cond, body, orelse } => {
                expr_ok(m, f, cond, errs);
                if cond.ty != Ty::Bool {
                    errs.push(format!("{}: while condition of {}", f.name, cond.ty));
                }
                stmts_ok(m, f, body, errs);
                stmts_ok(m, f, orelse, errs);
            }
            StmtKind::ForRange { var, start, stop, step, body, orelse, .. } => {
                let t = f.local(*var).ty;
                if !t.is_int() {
                    errs.push(format!("{}: range variable of {t}", f.name));
                }
                for e in [start, stop, step] {
                    expr_ok(m, f, e, errs);
                    if e.ty != t {
                        errs.push(format!("{}: range bound {} for variable {t}", f.name, e.ty));
                    }
                }
                stmts_ok(m, f, body, errs);
                stmts_ok(m, f, orelse, errs);
            }
            StmtKind::Return(Some(e)) => {
                expr_ok(m, f, e, errs);
                if !fits(e.ty, f.ret) {
                    errs.push(format!("{}: return {} from {}", f.name, e.ty, f.ret));
                }
            }
            StmtKind::Return(None) => {
                if f.ret != Ty::Void {
                    errs.push(format!("{}: bare return from {}", f.name, f.ret));
                }
            }
            StmtKind::Break | StmtKind::Continue => {}
            // Typed by `validate` (run by `well_typed`); only the sub-expressions here.
            StmtKind::Store { indices, value, .. } => {
                expr_ok(m, f, value, errs);
                indices.iter().for_each(|i| expr_ok(m, f, i, errs));
            }
            StmtKind::NoGil { body } => stmts_ok(m, f, body, errs),
            StmtKind::ViewFill { view, value } => {
                expr_ok(m, f, view, errs);
                expr_ok(m, f, value, errs);
            }
            StmtKind::ViewCopy { dst, src, .. } => {
                expr_ok(m, f, dst, errs);
                expr_ok(m, f, src, errs);
            }
            StmtKind::StoreCGlobal { value, .. } => expr_ok(m, f, value, errs),
            StmtKind::DelGlobal { .. } => {}
        }
    }
}

fn expr_ok(m: &Module, f: &Function, e: &Expr, errs: &mut Vec<String>) {
    let mut bad = |what: String| errs.push(format!("{}: {what} in {:?}", f.name, e.kind));
    match &e.kind {
        ExprKind::Const(c) => {
            let fits = match c {
                Const::Int(_) => e.ty.is_int(),
                Const::Float(_) => e.ty.is_float(),
                Const::Bool(_) => e.ty == Ty::Bool,
            };
            if !fits {
                bad(format!("constant of type {}", e.ty));
            }
        }
        ExprKind::Local(id) => {
            if f.local(*id).ty != e.ty {
                bad(format!("local of {} read as {}", f.local(*id).ty, e.ty));
            }
        }
        ExprKind::Unary { op, operand } => {
            let want = if *op == UnaryOp::Not { Ty::Bool } else { e.ty };
            if operand.ty != want || (*op == UnaryOp::Not && e.ty != Ty::Bool) {
                bad(format!("unary operand {} result {}", operand.ty, e.ty));
            }
        }
        ExprKind::Binary { lhs, rhs, .. } => {
            if lhs.ty != e.ty || rhs.ty != e.ty {
                bad(format!("binary {} {} -> {}", lhs.ty, rhs.ty, e.ty));
            }
        }
        ExprKind::Compare { lhs, rhs, .. } => {
            let exact = matches!((lhs.ty, rhs.ty), (Ty::PY_INT, Ty::DOUBLE) | (Ty::DOUBLE, Ty::PY_INT));
            let objects = lhs.ty.is_object() && rhs.ty.is_object();
            if (lhs.ty != rhs.ty && !exact && !objects) || e.ty != Ty::Bool {
                bad(format!("compare {} {} -> {}", lhs.ty, rhs.ty, e.ty));
            }
        }
        ExprKind::BoolOp { lhs, rhs, .. } => {
            if lhs.ty != Ty::Bool || rhs.ty != Ty::Bool || e.ty != Ty::Bool {
                bad("boolop of non-bint".into());
            }
        }
        ExprKind::IfExp { cond, then_expr, else_expr } => {
            if cond.ty != Ty::Bool || !fits(then_expr.ty, e.ty) || !fits(else_expr.ty, e.ty) {
                bad("ifexp types".into());
            }
        }
        ExprKind::Let { local, value, body } => {
            if !fits(value.ty, f.local(*local).ty) || body.ty != e.ty {
                bad("let types".into());
            }
        }
        ExprKind::Cast { kind, operand } => {
            let (from, to) = (operand.ty, e.ty);
            let okk = match kind {
                CastKind::IntWrap | CastKind::IntChecked(_) => from.is_int() && to.is_int() && from != to,
                CastKind::IntToFloat => from.is_int() && to.is_float(),
                CastKind::FloatToIntTrunc | CastKind::FloatToIntChecked { .. } => from.is_float() && to.is_int(),
                CastKind::FloatResize => from.is_float() && to.is_float() && from != to,
                CastKind::ToBool => to == Ty::Bool && from != Ty::Bool && from.is_numeric(),
                CastKind::FromBool => from == Ty::Bool && (to.is_int() || to.is_float()),
                CastKind::ViewRelax => from.is_view() && to.is_view() && from != to,
                CastKind::ViewObject => from.is_view() && to == Ty::OBJECT,
            };
            if !okk {
                bad(format!("cast {kind:?} from {from} to {to}"));
            }
        }
        ExprKind::Call { func, args } => {
            let callee = m.func(*func);
            if callee.ret != e.ty || callee.params.len() != args.len() || callee.params.iter().zip(args).any(|(p, a)| !fits(a.ty, p.ty)) {
                bad(format!("call of `{}` with mismatched types", callee.name));
            }
        }
        ExprKind::Math { func, args, .. } => {
            let okk = match func {
                MathFn::Min | MathFn::Max => args.len() == 2 && args.iter().all(|a| a.ty == e.ty),
                MathFn::IsNan | MathFn::IsInf | MathFn::IsFinite => e.ty == Ty::Bool && args.iter().all(|a| a.ty == Ty::DOUBLE),
                _ => e.ty == Ty::DOUBLE && args.iter().all(|a| a.ty == Ty::DOUBLE),
            };
            if !okk {
                bad(format!("math {func:?} types"));
            }
        }
        // Typed by `validate` (run by `well_typed`).
        ExprKind::Index { .. } | ExprKind::ViewShape { .. } | ExprKind::Slice { .. } | ExprKind::NewArray { .. } => {}
        ExprKind::CApi { .. } | ExprKind::NoneObj | ExprKind::Temp { .. } | ExprKind::Release { .. } | ExprKind::NewRef(_) | ExprKind::CheckKind { .. } => {}
        ExprKind::ModConst(_) | ExprKind::LoadGlobal { .. } | ExprKind::CallObject { .. } | ExprKind::CallMethod { .. } | ExprKind::Build { .. } => {}
        ExprKind::Globals | ExprKind::CGlobal(_) | ExprKind::ImportFrom { .. } => {}
        ExprKind::Seq { .. } | ExprKind::Move(_) | ExprKind::Merge { .. } | ExprKind::Field { .. } | ExprKind::Item { .. } => {}
    }
    for c in crate::tir::visit::child_exprs(e) {
        expr_ok(m, f, c, errs);
    }
}

mod lowering {
    use super::*;

    const C_INT: Ty = Ty::Int(IntKind::Int);

    #[test]
    fn fib_is_recursive_and_checked() {
        let m = ok("def fib(n: int) -> int:\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n");
        let f = func(&m, "fib");
        assert!(f.recursive);
        assert_eq!(f.ret, Ty::PY_INT);
        assert_eq!(f.kind, FuncKind::Def);
        let (op, ty) = find_binop(f, |op| matches!(op, BinOp::Add(_)));
        assert_eq!(ty, Ty::PY_INT);
        assert!(matches!(op, BinOp::Add(Overflow::Check(r)) if r.exc == ExcKind::OverflowError));
        // `n < 2`: the literal takes `n`'s type.
        let cmp = exprs(f).into_iter().find(|e| matches!(e.kind, ExprKind::Compare { .. })).unwrap();
        let ExprKind::Compare { op: CmpOp::Lt, rhs, .. } = &cmp.kind else { panic!() };
        assert!(matches!(rhs.kind, ExprKind::Const(Const::Int(2))));
    }

    #[test]
    fn mutual_recursion_and_later_definitions() {
        let m = ok("def top(n: int) -> bool:\n    return is_even(n)\n\ndef is_even(n: int):\n    if n == 0:\n        return True\n    return is_odd(n - 1)\n\ndef is_odd(n: int):\n    if n == 0:\n        return False\n    return is_even(n - 1)\n");
        assert!(!func(&m, "top").recursive);
        assert!(func(&m, "is_even").recursive);
        assert!(func(&m, "is_odd").recursive);
        assert_eq!(func(&m, "is_even").ret, Ty::Bool);
        assert_eq!(func(&m, "is_odd").ret, Ty::Bool);
    }

    #[test]
    fn return_types_are_inferred() {
        let m = ok("def a(x: float):\n    return x * 2\n\ndef b(n: int):\n    if n < 0:\n        return 0\n    return 1.5\n\ndef c(n: int):\n    n = n + 1\n\ndef d(n: int):\n    return fib(n)\n\ndef fib(n: int):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n\ndef e(i: 'cython.int'):\n    if i > 0:\n        return 0\n    return i\n");
        assert_eq!(func(&m, "a").ret, Ty::DOUBLE);
        assert_eq!(func(&m, "b").ret, Ty::DOUBLE);
        assert_eq!(func(&m, "c").ret, Ty::Void);
        assert_eq!(func(&m, "fib").ret, Ty::PY_INT);
        assert_eq!(func(&m, "d").ret, Ty::PY_INT);
        // A literal `0` does not widen a C `int` return to Python `int`.
        assert_eq!(func(&m, "e").ret, C_INT);
        assert!(func(&m, "fib").recursive && !func(&m, "d").recursive);
    }

    #[test]
    fn locals_widen_to_the_spanning_type() {
        let m = ok("import cython\ndef f(n: cython.int, x: float):\n    s = 0\n    t = 0\n    for i in range(n):\n        s = s + i\n        t += x\n    k = True\n    j = 1\n    j = n\n    return s\n");
        let f = func(&m, "f");
        assert_eq!(local_ty(f, "i"), C_INT);
        // `s = s + i` may leave 64 bits: a Python object, as in Cython (safe inference).
        assert_eq!(local_ty(f, "s"), Ty::OBJECT);
        assert_eq!(local_ty(f, "t"), Ty::DOUBLE);
        assert_eq!(local_ty(f, "k"), Ty::Bool);
        assert_eq!(local_ty(f, "j"), C_INT);
    }

    #[test]
    fn a_loop_variable_defaults_to_python_int() {
        let m = ok("def f(n: int) -> int:\n    total = 0\n    for i in range(10):\n        total += i * n\n    return total\n");
        let f = func(&m, "f");
        assert_eq!(local_ty(f, "i"), Ty::PY_INT);
        assert_eq!(local_ty(f, "total"), Ty::OBJECT);
    }

    #[test]
    fn declared_locals_keep_their_type() {
        let m = ok("import cython\ndef f(n: int) -> float:\n    x: float = 0\n    y: cython.int\n    y = n\n    x += y\n    z = cython.declare(cython.double, 1)\n    return x + z\n");
        let f = func(&m, "f");
        assert_eq!(local_ty(f, "x"), Ty::DOUBLE);
        assert_eq!(local_ty(f, "y"), C_INT);
        assert_eq!(local_ty(f, "z"), Ty::DOUBLE);
        // `y = n`: a Python int into a C int is range-checked, as Cython does.
        let checked = exprs(f).into_iter().any(|e| matches!(&e.kind, ExprKind::Cast { kind: CastKind::IntChecked(r), .. } if r.exc == ExcKind::OverflowError && r.msg == "value too large to convert to int"));
        assert!(checked);
    }

    #[test]
    fn floor_division_and_modulo_follow_python() {
        let m = ok("def f(a: int, b: int) -> int:\n    return a // b + a % b\n\ndef g(a: float, b: float) -> float:\n    return a // b + a % b\n");
        let f = func(&m, "f");
        let (op, ty) = find_binop(f, |op| matches!(op, BinOp::FloorDiv { .. }));
        assert_eq!(ty, Ty::PY_INT);
        let BinOp::FloorDiv { python, zero, overflow } = op else { panic!() };
        assert!(*python);
        assert_eq!(*zero, Some(Raise::new(ExcKind::ZeroDivisionError, "integer division or modulo by zero")));
        assert!(overflow.is_some());
        let (op, _) = find_binop(f, |op| matches!(op, BinOp::Mod { .. }));
        assert_eq!(*op, BinOp::Mod { python: true, zero: Some(Raise::new(ExcKind::ZeroDivisionError, "integer modulo by zero")) });
        let g = func(&m, "g");
        let (op, _) = find_binop(g, |op| matches!(op, BinOp::FloorDiv { .. }));
        assert_eq!(*op, BinOp::FloorDiv { python: true, zero: Some(Raise::new(ExcKind::ZeroDivisionError, "float floor division by zero")), overflow: None });
        let (op, _) = find_binop(g, |op| matches!(op, BinOp::Mod { .. }));
        assert_eq!(*op, BinOp::Mod { python: true, zero: Some(Raise::new(ExcKind::ZeroDivisionError, "float modulo")) });
    }

    #[test]
    fn cdivision_gives_c_division_without_zero_checks() {
        let src = "import cython\ndef f(a: cython.long, b: cython.long) -> cython.long:\n    return a // b + a % b\n\ndef g(a: cython.long, b: cython.double) -> float:\n    return a / b\n\ndef g2(a: cython.long, b: cython.long) -> float:\n    return a / b\n\ndef h(a: int, b: int) -> int:\n    return a // b\n";
        let (file, m, d) = check_with_directives(src, &[("cdivision", "True")]);
        assert_clean(&file, &m, &d);
        let f = func(&m, "f");
        let (op, _) = find_binop(f, |op| matches!(op, BinOp::FloorDiv { .. }));
        assert!(matches!(op, BinOp::FloorDiv { python: false, zero: None, .. }));
        let (op, _) = find_binop(f, |op| matches!(op, BinOp::Mod { .. }));
        assert_eq!(*op, BinOp::Mod { python: false, zero: None });
        let (op, _) = find_binop(func(&m, "g"), |op| matches!(op, BinOp::TrueDiv { .. }));
        assert_eq!(*op, BinOp::TrueDiv { zero: None });
        // `/` on two C integers is C's integer division, as in Cython.
        let (op, _) = find_binop(func(&m, "g2"), |op| matches!(op, BinOp::FloorDiv { .. }));
        assert!(matches!(op, BinOp::FloorDiv { python: false, zero: None, .. }));
        // Python `int`s are Python numbers: cdivision (a C directive) leaves them alone.
        let (op, _) = find_binop(func(&m, "h"), |op| matches!(op, BinOp::FloorDiv { .. }));
        assert!(matches!(op, BinOp::FloorDiv { python: true, zero: Some(_), .. }));
        // The decorator form, on one function only.
        let m = ok("import cython\n@cython.cdivision(True)\ndef f(a: cython.int, b: cython.int) -> cython.int:\n    return a % b\n\ndef g(a: cython.int, b: cython.int) -> cython.int:\n    return a % b\n");
        assert_eq!(*find_binop(func(&m, "f"), |op| matches!(op, BinOp::Mod { .. })).0, BinOp::Mod { python: false, zero: None });
        assert!(matches!(find_binop(func(&m, "g"), |op| matches!(op, BinOp::Mod { .. })).0, BinOp::Mod { python: true, zero: Some(_) }));
    }

    #[test]
    fn true_division_is_double() {
        let m = ok("def f(a: int, b: int):\n    return a / b\n\ndef g(a: float, b: int):\n    return a / b\n\ndef h(a: float):\n    return a / 2\n");
        let f = func(&m, "f");
        assert_eq!(f.ret, Ty::DOUBLE);
        let (op, _) = find_binop(f, |op| matches!(op, BinOp::TrueDiv { .. }));
        assert_eq!(*op, BinOp::TrueDiv { zero: Some(Raise::new(ExcKind::ZeroDivisionError, "division by zero")) });
        assert!(exprs(f).iter().any(|e| matches!(e.kind, ExprKind::Cast { kind: CastKind::IntToFloat, .. })));
        let (op, _) = find_binop(func(&m, "g"), |op| matches!(op, BinOp::TrueDiv { .. }));
        assert_eq!(*op, BinOp::TrueDiv { zero: Some(Raise::new(ExcKind::ZeroDivisionError, "float division by zero")) });
        // A nonzero literal divisor needs no check.
        let (op, _) = find_binop(func(&m, "h"), |op| matches!(op, BinOp::TrueDiv { .. }));
        assert_eq!(*op, BinOp::TrueDiv { zero: None });
    }

    #[test]
    fn powers() {
        let m = ok("def a():\n    return 2 ** -1\n\ndef b(n: int):\n    return n ** 2\n\ndef c(n: int, k: int):\n    return n ** k\n\ndef d(x: float, k: int):\n    return x ** k\n");
        assert_eq!(func(&m, "a").ret, Ty::DOUBLE);
        let (op, _) = find_binop(func(&m, "a"), |op| matches!(op, BinOp::Pow { .. }));
        assert_eq!(*op, BinOp::Pow { overflow: Overflow::Wrap, neg_exp: None, zero: Some(Raise::new(ExcKind::ZeroDivisionError, "0.0 cannot be raised to a negative power")) });
        assert_eq!(func(&m, "b").ret, Ty::PY_INT);
        assert!(matches!(find_binop(func(&m, "b"), |op| matches!(op, BinOp::Pow { .. })).0, BinOp::Pow { overflow: Overflow::Check(_), neg_exp: None, zero: None }));
        let (op, _) = find_binop(func(&m, "c"), |op| matches!(op, BinOp::Pow { .. }));
        assert!(matches!(op, BinOp::Pow { neg_exp: Some(r), .. } if r.exc == ExcKind::ValueError));
        assert_eq!(func(&m, "d").ret, Ty::DOUBLE);
    }

    #[test]
    fn literals_adopt_the_c_operand_type() {
        let m = ok("import cython\ndef f(i: cython.int, u: cython.uint):\n    a = i + 1\n    b = u * 2\n    c = i + 10000000000\n    d = i + u\n    return a\n");
        let f = func(&m, "f");
        assert_eq!(local_ty(f, "a"), C_INT);
        assert!(matches!(find_binop(f, |op| matches!(op, BinOp::Add(_))).0, BinOp::Add(Overflow::Wrap)));
        assert_eq!(local_ty(f, "b"), Ty::Int(IntKind::UInt));
        assert_eq!(local_ty(f, "c"), Ty::PY_INT);
        assert_eq!(local_ty(f, "d"), Ty::Int(IntKind::UInt));
    }

    #[test]
    fn bool_arithmetic_is_int() {
        let m = ok("def f(a: bool, b: bool):\n    x = a + b\n    y = -a\n    z = a & b\n    return x\n");
        let f = func(&m, "f");
        assert_eq!(local_ty(f, "x"), Ty::PY_INT);
        assert_eq!(local_ty(f, "y"), Ty::PY_INT);
        assert_eq!(local_ty(f, "z"), Ty::Bool);
    }

    #[test]
    fn shifts_and_bitwise() {
        let m = ok("def f(a: int, b: int):\n    return (a << b) | (a >> 3) ^ ~a & 1\n");
        let f = func(&m, "f");
        let (op, _) = find_binop(f, |op| matches!(op, BinOp::Shl { .. }));
        assert!(matches!(op, BinOp::Shl { neg_count: Some(r), overflow: Some(_) } if r.msg == "negative shift count"));
        assert_eq!(*find_binop(f, |op| matches!(op, BinOp::Shr { .. })).0, BinOp::Shr { neg_count: None });
    }

    #[test]
    fn chained_comparison_evaluates_the_middle_once() {
        let m = ok("def f(a: int, b: float, c: int) -> bool:\n    return a < b * 2 <= c\n");
        let f = func(&m, "f");
        let r = returns(f)[0];
        let ExprKind::Let { local, value, body } = &r.kind else { panic!("{r:?}") };
        assert_eq!(f.local(*local).ty, Ty::DOUBLE);
        assert!(matches!(value.kind, ExprKind::Binary { .. }));
        let ExprKind::BoolOp { op: BoolOpKind::And, lhs, rhs } = &body.kind else { panic!() };
        assert!(matches!(&lhs.kind, ExprKind::Compare { op: CmpOp::Lt, rhs, .. } if matches!(rhs.kind, ExprKind::Local(l) if l == *local)));
        assert!(matches!(&rhs.kind, ExprKind::Compare { op: CmpOp::Le, lhs, .. } if matches!(lhs.kind, ExprKind::Local(l) if l == *local)));
    }

    #[test]
    fn or_returns_an_operand() {
        let m = ok("def f(a: int, b: int):\n    return a or b\n\ndef g(a: int, b: float):\n    if a or b:\n        return 1\n    return 0\n\ndef h(a: bool, b: bool):\n    return a and b\n");
        let f = func(&m, "f");
        assert_eq!(f.ret, Ty::PY_INT);
        let r = returns(f)[0];
        let ExprKind::Let { body, .. } = &r.kind else { panic!("{r:?}") };
        assert!(matches!(body.kind, ExprKind::IfExp { .. }));
        let g = func(&m, "g");
        let StmtKind::If { cond, .. } = &g.body[0].kind else { panic!() };
        assert!(matches!(cond.kind, ExprKind::BoolOp { op: BoolOpKind::Or, .. }));
        assert_eq!(func(&m, "h").ret, Ty::Bool);
        assert!(matches!(returns(func(&m, "h"))[0].kind, ExprKind::BoolOp { op: BoolOpKind::And, .. }));
    }

    #[test]
    fn if_expression_takes_the_common_type() {
        let m = ok("def f(a: int, x: float):\n    return x if a > 0 else a\n");
        assert_eq!(func(&m, "f").ret, Ty::DOUBLE);
    }

    #[test]
    fn math_functions() {
        let m = ok("import math\nfrom math import exp as EXP, pi\nfrom libc.math import sqrt as csqrt\n\ndef f(x: float, n: int):\n    a = math.sqrt(x) + EXP(x) + csqrt(n) + pi + math.tau\n    b = math.floor(x)\n    c = math.floor(n)\n    d = math.isnan(x)\n    e = math.hypot(x, 1)\n    return a\n");
        let f = func(&m, "f");
        let maths: Vec<(&MathFn, &MathCheck)> = exprs(f)
            .into_iter()
            .filter_map(|e| match &e.kind {
                ExprKind::Math { func, check, .. } => Some((func, check)),
                _ => None,
            })
            .collect();
        assert!(maths.contains(&(&MathFn::Sqrt, &MathCheck::Python { can_overflow: false })));
        assert!(maths.contains(&(&MathFn::Exp, &MathCheck::Python { can_overflow: true })));
        assert!(maths.contains(&(&MathFn::Sqrt, &MathCheck::None)));
        assert!(maths.contains(&(&MathFn::Hypot, &MathCheck::None)));
        assert_eq!(local_ty(f, "b"), Ty::PY_INT);
        assert!(exprs(f).iter().any(|e| matches!(&e.kind, ExprKind::Cast { kind: CastKind::FloatToIntChecked { .. }, operand } if matches!(operand.kind, ExprKind::Math { func: MathFn::Floor, .. }))));
        assert_eq!(local_ty(f, "c"), Ty::PY_INT);
        assert_eq!(local_ty(f, "d"), Ty::Bool);
        assert!(exprs(f).iter().any(|e| matches!(e.kind, ExprKind::Const(Const::Float(v)) if v == std::f64::consts::TAU)));
    }

    #[test]
    fn builtins() {
        let m = ok("def f(x: float, n: int, b: bool):\n    a = abs(n)\n    c = abs(x)\n    d = min(n, 2, x)\n    e = max(n, 3)\n    g = int(x)\n    h = float(n)\n    k = bool(n)\n    m = int(b)\n    p = pow(n, 2)\n    return a\n");
        let f = func(&m, "f");
        assert_eq!(local_ty(f, "a"), Ty::PY_INT);
        assert!(exprs(f).iter().any(|e| matches!(e.kind, ExprKind::Unary { op: UnaryOp::Abs { overflow: Some(_) }, .. })));
        assert_eq!(local_ty(f, "c"), Ty::DOUBLE);
        assert!(exprs(f).iter().any(|e| matches!(e.kind, ExprKind::Math { func: MathFn::Fabs, .. })));
        assert_eq!(local_ty(f, "d"), Ty::DOUBLE);
        assert_eq!(local_ty(f, "e"), Ty::PY_INT);
        assert_eq!(local_ty(f, "g"), Ty::PY_INT);
        let nan = Raise::new(ExcKind::ValueError, "cannot convert float NaN to integer");
        assert!(exprs(f).iter().any(|e| matches!(e.kind, ExprKind::Cast { kind: CastKind::FloatToIntChecked { nan: n, .. }, .. } if n == nan)));
        assert_eq!(local_ty(f, "h"), Ty::DOUBLE);
        assert_eq!(local_ty(f, "k"), Ty::Bool);
        assert_eq!(local_ty(f, "m"), Ty::PY_INT);
        assert_eq!(local_ty(f, "p"), Ty::PY_INT);
    }

    #[test]
    fn cython_casts_are_c_casts() {
        let m = ok("import cython\ndef f(x: float, n: int):\n    a = cython.cast(cython.int, x)\n    b = cython.cast(cython.uchar, n)\n    c = cython.cast(cython.bint, x)\n    return a\n");
        let f = func(&m, "f");
        assert_eq!(local_ty(f, "a"), Ty::Int(IntKind::Int));
        assert!(exprs(f).iter().any(|e| matches!(e.kind, ExprKind::Cast { kind: CastKind::FloatToIntTrunc, .. })));
        assert_eq!(local_ty(f, "b"), Ty::Int(IntKind::UChar));
        assert!(exprs(f).iter().any(|e| matches!(e.kind, ExprKind::Cast { kind: CastKind::IntWrap, .. })));
        assert_eq!(local_ty(f, "c"), Ty::Bool);
    }

    #[test]
    fn tuple_assignment_evaluates_all_right_sides_first() {
        let m = ok("def f(n: int) -> int:\n    a = 0\n    b = 1\n    for i in range(n):\n        a, b = b, a + b\n    return a\n");
        let f = func(&m, "f");
        let StmtKind::ForRange { body, .. } = &f.body[2].kind else { panic!("{:?}", f.body[2]) };
        assert_eq!(body.len(), 4);
        let names: Vec<&str> = body
            .iter()
            .map(|s| match &s.kind {
                StmtKind::Assign { local, .. } => f.local(*local).name.as_str(),
                _ => "?",
            })
            .collect();
        assert!(names[0].starts_with('$') && names[1].starts_with('$'), "{names:?}");
        assert_eq!(&names[2..], &["a", "b"]);
    }

    #[test]
    fn range_loops() {
        let m = ok("import cython\ndef f(n: cython.long, s: int):\n    t = 0\n    for i in range(n, 0, -1):\n        t += i\n    for j in range(0, n, s):\n        t += j\n    for k in range(1, 10, 2):\n        if k == 5:\n            break\n    else:\n        t = 0\n    return t\n");
        let f = func(&m, "f");
        let steps: Vec<StepCheck> = f
            .body
            .iter()
            .filter_map(|s| match &s.kind {
                StmtKind::ForRange { step_check, .. } => Some(*step_check),
                _ => None,
            })
            .collect();
        assert_eq!(steps[0], StepCheck::Negative);
        assert_eq!(steps[1], StepCheck::Dynamic(Raise::new(ExcKind::ValueError, "range() arg 3 must not be zero")));
        assert_eq!(steps[2], StepCheck::Positive);
        assert_eq!(local_ty(f, "i"), Ty::Int(IntKind::Long));
        // `j` spans `long` and Python `int`.
        assert_eq!(local_ty(f, "j"), Ty::PY_INT);
        assert_eq!(local_ty(f, "k"), Ty::PY_INT);
    }

    #[test]
    fn calls_fill_defaults_and_convert_arguments() {
        let m = ok("import math\ndef g(x: float, n: int = -1, y: float = math.pi, flag: bool = True) -> float:\n    return x\n\ndef f(k: int) -> float:\n    return g(k) + g(1, y=2, n=k + 1)\n");
        let g = func(&m, "g");
        assert_eq!(g.params[1].default, Some(ParamDefault::Const(Const::Int(-1))));
        assert_eq!(g.params[2].default, Some(ParamDefault::Const(Const::Float(std::f64::consts::PI))));
        assert_eq!(g.params[3].default, Some(ParamDefault::Const(Const::Bool(true))));
        let f = func(&m, "f");
        let calls: Vec<&Vec<Expr>> = exprs(f)
            .into_iter()
            .filter_map(|e| match &e.kind {
                ExprKind::Call { args, .. } => Some(args),
                _ => None,
            })
            .collect();
        assert_eq!(calls.len(), 2);
        assert!(matches!(calls[0][0].kind, ExprKind::Cast { kind: CastKind::IntToFloat, .. }));
        assert!(matches!(calls[0][1].kind, ExprKind::Const(Const::Int(-1))));
        assert!(matches!(calls[1][0].kind, ExprKind::Const(Const::Float(v)) if v == 1.0));
        // `n=k + 1` is evaluated before the call, through a temporary.
        assert!(matches!(calls[1][1].kind, ExprKind::Local(_)));
        assert!(matches!(calls[1][2].kind, ExprKind::Const(Const::Float(v)) if v == 2.0));
        assert!(exprs(f).iter().any(|e| matches!(e.kind, ExprKind::Let { .. })));
    }

    #[test]
    fn docstrings_and_main_guard() {
        let m = ok("\"\"\"The module.\"\"\"\nimport math\n\ndef f(x: float) -> float:\n    \"\"\"Doubles.\"\"\"\n    return 2 * x\n\nif __name__ == \"__main__\":\n    print(f(2.0))\n");
        assert_eq!(m.doc.as_deref(), Some("The module."));
        assert_eq!(func(&m, "f").doc.as_deref(), Some("Doubles."));
        assert_eq!(func(&m, "f").body.len(), 1);
    }

    #[test]
    fn cython_decorators() {
        let m = ok("import cython\nfrom cython import cfunc, locals as clocals\n\n@cython.cfunc\n@cython.inline\n@cython.exceptval(-1)\ndef a(x: cython.int) -> cython.int:\n    return x\n\n@cython.ccall\n@cython.nogil\n@cython.boundscheck(False)\n@cython.wraparound(False)\ndef b(x: float) -> float:\n    with cython.nogil:\n        y = x\n    return y\n\n@clocals(n=cython.int, t=cython.double)\n@cython.returns(cython.double)\ndef c(n):\n    t = n\n    return t\n\n@cfunc\ndef d() -> None:\n    pass\n");
        assert_eq!(func(&m, "a").kind, FuncKind::Cdef);
        assert_eq!(func(&m, "b").kind, FuncKind::Cpdef);
        assert!(func(&m, "b").nogil);
        let c = func(&m, "c");
        assert_eq!(c.params[0].ty, Ty::Int(IntKind::Int));
        assert_eq!(c.ret, Ty::DOUBLE);
        assert_eq!(local_ty(c, "t"), Ty::DOUBLE);
        assert_eq!(func(&m, "d").kind, FuncKind::Cdef);
        assert_eq!(func(&m, "d").ret, Ty::Void);
        assert_eq!(m.exported().map(|f| f.name.as_str()).collect::<Vec<_>>(), vec!["b", "c"]);
    }

    #[test]
    fn jit_decorators() {
        let m = ok("from pycc import jit\nimport numba\n\n@jit\ndef a(x: float) -> float:\n    return x\n\n@numba.njit(nogil=True, cache=True)\ndef b(x: float) -> float:\n    return x\n");
        assert!(func(&m, "b").nogil);
        assert!(!func(&m, "a").nogil);
    }

    #[test]
    fn annotations_in_every_form() {
        let m = ok("import cython\nfrom cython import double, Py_ssize_t\n\ndef f(a: \"double\", b: \"cython.int\", c: double, d: Py_ssize_t, e: cython.uchar, g: cython.float, h: bool, k: cython.bint) -> \"cython.longlong\":\n    return 0\n");
        let f = func(&m, "f");
        let tys: Vec<Ty> = f.params.iter().map(|p| p.ty).collect();
        assert_eq!(
            tys,
            vec![Ty::DOUBLE, Ty::Int(IntKind::Int), Ty::DOUBLE, Ty::Int(IntKind::SSizeT), Ty::Int(IntKind::UChar), Ty::Float(FloatKind::Float), Ty::Bool, Ty::Bool]
        );
        assert_eq!(f.ret, Ty::Int(IntKind::LongLong));
    }

    #[test]
    fn assignment_conversions() {
        let m = ok("import cython\ndef f(n: int, c: cython.int, u: cython.ulong, b: bool, x: float):\n    p: int = c\n    q: int = u\n    r: cython.short = c\n    s: cython.int = b\n    t: cython.float = x\n    w: float = n\n");
        let f = func(&m, "f");
        let casts: Vec<(&str, &CastKind)> = f
            .body
            .iter()
            .filter_map(|s| match &s.kind {
                StmtKind::Assign { local, value } => match &value.kind {
                    ExprKind::Cast { kind, .. } => Some((f.local(*local).name.as_str(), kind)),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        assert_eq!(casts[0], ("p", &CastKind::IntWrap));
        assert!(matches!(casts[1], ("q", CastKind::IntChecked(_))));
        assert_eq!(casts[2], ("r", &CastKind::IntWrap));
        assert_eq!(casts[3], ("s", &CastKind::FromBool));
        assert_eq!(casts[4], ("t", &CastKind::FloatResize));
        assert_eq!(casts[5], ("w", &CastKind::IntToFloat));
    }

    #[test]
    fn overflowcheck_makes_c_arithmetic_checked() {
        let (file, m, d) = check_with_directives("import cython\ndef f(a: cython.int, b: cython.int):\n    return a * b\n", &[("overflowcheck", "True")]);
        assert_clean(&file, &m, &d);
        assert!(matches!(find_binop(func(&m, "f"), |op| matches!(op, BinOp::Mul(_))).0, BinOp::Mul(Overflow::Check(_))));
    }

    #[test]
    fn unsigned_division_is_c_division() {
        let m = ok("import cython\ndef f(a: cython.uint, b: cython.uint):\n    return a // b\n");
        assert!(matches!(find_binop(func(&m, "f"), |op| matches!(op, BinOp::FloorDiv { .. })).0, BinOp::FloorDiv { python: false, zero: Some(_), overflow: None }));
    }

    #[test]
    fn void_calls_as_statements() {
        let m = ok("def g(x: float) -> None:\n    return\n\ndef f(x: float):\n    g(x)\n");
        let f = func(&m, "f");
        assert_eq!(f.ret, Ty::Void);
        assert!(matches!(&f.body[0].kind, StmtKind::Expr(e) if e.ty == Ty::Void));
    }

    #[test]
    fn while_true_without_break_needs_no_final_return() {
        let m = ok("def f(n: int) -> int:\n    while True:\n        if n > 10:\n            return n\n        n += 1\n\ndef g(n: int) -> int:\n    if n > 0:\n        return 1\n    elif n < 0:\n        return -1\n    else:\n        return 0\n");
        assert_eq!(func(&m, "g").ret, Ty::PY_INT);
    }

    #[test]
    fn pyx_c_types_and_casts() {
        let src = "def f(x: C_double, n: C_unsigned_long, k: C_Py_ssize_t) -> C_int:\n    y: C_float = x\n    m: C_long_long = n\n    return CAST_int(x) + CAST_int(y)\n\ndef g(a: C_int, b: C_int) -> C_int:\n    return a // b\n\ndef h(a: C_int) -> C_int:\n    return g(a, 2)\n";
        let m = ok_pyx(src, &[("g", FuncKind::Cdef), ("h", FuncKind::Cpdef)]);
        let f = func(&m, "f");
        assert_eq!(f.params.iter().map(|p| p.ty).collect::<Vec<_>>(), vec![Ty::DOUBLE, Ty::Int(IntKind::ULong), Ty::Int(IntKind::SSizeT)]);
        assert_eq!(f.ret, Ty::Int(IntKind::Int));
        assert_eq!(local_ty(f, "y"), Ty::Float(FloatKind::Float));
        assert_eq!(local_ty(f, "m"), Ty::Int(IntKind::LongLong));
        assert!(exprs(f).iter().any(|e| matches!(e.kind, ExprKind::Cast { kind: CastKind::FloatToIntTrunc, .. })));
        assert_eq!(func(&m, "g").kind, FuncKind::Cdef);
        assert_eq!(func(&m, "h").kind, FuncKind::Cpdef);
        assert_eq!(m.exported().map(|f| f.name.as_str()).collect::<Vec<_>>(), vec!["f", "h"]);
        // C ints wrap; `//` on a C int keeps Python's rounding unless cdivision.
        assert!(matches!(find_binop(func(&m, "g"), |op| matches!(op, BinOp::FloorDiv { .. })).0, BinOp::FloorDiv { python: true, zero: Some(_), overflow: None }));
        assert!(matches!(find_binop(f, |op| matches!(op, BinOp::Add(_))).0, BinOp::Add(Overflow::Wrap)));
    }

    #[test]
    fn pyx_float_floor_division_and_modulo_follow_cython() {
        // Cython: `floor(a / b)` and `__Pyx_mod_double`, not Python's float rules.
        let m = ok_pyx("def f(a: C_double, b: C_double):\n    return a // b + a % b\n", &[]);
        let f = func(&m, "f");
        assert!(matches!(find_binop(f, |op| matches!(op, BinOp::FloorDiv { .. })).0, BinOp::FloorDiv { python: false, zero: Some(_), overflow: None }));
        assert!(matches!(find_binop(f, |op| matches!(op, BinOp::CyFloatMod { .. })).0, BinOp::CyFloatMod { zero: Some(_) }));
    }

    #[test]
    fn pyx_abs_of_a_narrow_int_is_a_python_int() {
        // Cython has no C `abs` for `char`, `short` or `bint`: it boxes the argument.
        let m = ok_pyx("def f(a: C_short, b: C_int):\n    return abs(a) + abs(b)\n", &[]);
        assert_eq!(func(&m, "f").ret, Ty::PY_INT);
        let m = ok_pyx("def f(a: C_int, c: C_bint):\n    return abs(a) + (2 if c else 3)\n", &[]);
        assert_eq!(func(&m, "f").ret, Ty::Int(IntKind::Long));
    }

    #[test]
    fn pyx_bool_arithmetic_is_c_int() {
        let m = ok_pyx("def f(a: C_bint, b: C_bint):\n    return a + b\n", &[]);
        assert_eq!(func(&m, "f").ret, Ty::Int(IntKind::Int));
    }

    #[test]
    fn resolve_c_names_directly() {
        use super::super::scope::ModuleEnv;
        use super::super::ty::{resolve_type, TypeUse};
        let env = ModuleEnv { is_pyx: true, ..ModuleEnv::default() };
        let name = |id: &str| ast::Expr::Name(ast::ExprName { range: Default::default(), id: ast::Identifier::new(id), ctx: ast::ExprContext::Load });
        assert_eq!(resolve_type(&env, &name("c:unsigned long long"), TypeUse::Value).unwrap(), Ty::Int(IntKind::ULongLong));
        assert_eq!(resolve_type(&env, &name("c:signed char"), TypeUse::Value).unwrap(), Ty::Int(IntKind::SChar));
        assert_eq!(resolve_type(&env, &name("c:void"), TypeUse::Return).unwrap(), Ty::Void);
        assert!(resolve_type(&env, &name("c:void"), TypeUse::Value).is_err());
        let view = |elem, ndim, c_contig, readonly| Ty::View(ViewTy { elem, ndim, c_contig, readonly });
        assert_eq!(resolve_type(&env, &name("c:double[:]"), TypeUse::Value).unwrap(), view(ViewElem::Float(FloatKind::Double), 1, false, false));
        assert_eq!(resolve_type(&env, &name("c:const int[:, ::1]"), TypeUse::Value).unwrap(), view(ViewElem::Int(IntKind::Int), 2, true, true));
        let err = resolve_type(&env, &name("c:double[::1, :]"), TypeUse::Value).unwrap_err();
        assert!(err.message.starts_with("`::1` is only supported on the last axis"), "{}", err.message);
        // In `.pyx`, Cython's own names work without `cython.`; Python's `int` stays Python's.
        assert_eq!(resolve_type(&env, &name("double"), TypeUse::Value).unwrap(), Ty::DOUBLE);
        assert_eq!(resolve_type(&env, &name("int"), TypeUse::Value).unwrap(), Ty::PY_INT);
    }
}
