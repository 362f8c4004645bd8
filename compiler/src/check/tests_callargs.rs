//! Check tests: star arguments, star items and star parameters (`callargs.rs`, the
//! signatures of `decl.rs`, compile-time binding in `builtins.rs`); every module here is
//! validated (`tests::ok`).

use super::tests::{func, ok};
use crate::tir::{visit, ExprKind, Function, MergeOp, ParamKind, Ty};

fn merges(f: &Function) -> Vec<MergeOp> {
    let mut out = Vec::new();
    visit::for_each_expr(&f.body, &mut |e| {
        if let ExprKind::Merge { op, .. } = &e.kind {
            out.push(*op);
        }
    });
    out
}

#[test]
fn star_items_are_merges_into_the_display() {
    let m = ok("def f(a, b, d):\n    return [*a, 1, *b], (*a,), {*a, 2}, {**d, 'k': 1, **d}, [*[*a]]\n");
    use MergeOp::*;
    assert_eq!(merges(func(&m, "f")), vec![ListExtend, ListExtend, ListExtend, SetUpdate, DictUpdate, DictUpdate, ListExtend, ListExtend]);
}

#[test]
fn star_arguments_build_the_call_as_cpython_does() {
    let m = ok("def f(g, xs, kw):\n    return g(*xs), g(1, *xs, k=2, **kw), g(**kw, k=1), max(*xs), xs.m(*xs, **kw)\n");
    use MergeOp::*;
    assert_eq!(merges(func(&m, "f")), vec![CallStar, ListExtend, CallKwargs, CallKwargs, CallKwargs, CallStar, CallKwargs, CallStar]);
}

#[test]
fn star_parameters_have_their_kinds_and_types() {
    let m = ok("def f(a, /, b, *args, k, m: int = 2, **kw):\n    return args, kw\n");
    let f = func(&m, "f");
    let kinds: Vec<(&str, ParamKind, Ty)> = f.params.iter().map(|p| (p.name.as_str(), p.kind, p.ty)).collect();
    use ParamKind::*;
    assert_eq!(
        kinds,
        vec![
            ("a", PosOnly, Ty::OBJECT),
            ("b", Positional, Ty::OBJECT),
            ("k", KwOnly, Ty::OBJECT),
            ("m", KwOnly, Ty::PY_INT),
            ("args", VarArgs, Ty::Object(crate::tir::ObjKind::Tuple)),
            ("kw", VarKw, Ty::Object(crate::tir::ObjKind::Dict)),
        ]
    );
}

#[test]
fn direct_calls_bind_star_parameters_at_compile_time() {
    let m = ok("def g(a, *args, k=0, **kw):\n    return a\n\ndef f(x):\n    return g(x, 1, 2, k=3, z=4), g(x)\n");
    let f = func(&m, "f");
    let mut calls = Vec::new();
    visit::for_each_expr(&f.body, &mut |e| {
        if let ExprKind::Call { args, .. } = &e.kind {
            calls.push(args.len());
        }
    });
    assert_eq!(calls, vec![4, 4]);
    assert!(merges(f).is_empty());
}

#[test]
fn a_star_tuple_is_an_object_wherever_it_is_used() {
    // Found by the fuzzer (seed 24301): a star tuple as a subscript, called, in a display.
    let m = ok("def s(r, a, d, o):\n    return r[*a,](), o, {**d, '': 0}((), r(y='', p=o))\n");
    assert_eq!(merges(func(&m, "s")), vec![MergeOp::ListExtend, MergeOp::DictUpdate]);
}
