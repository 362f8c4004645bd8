//! Check tests: unpacking and comprehensions (`unpack.rs`, `comprehension.rs`).

use super::tests::{func, local_ty, ok, ok_pyx};
use crate::tir::{visit, ExprKind, Function, StmtKind, Ty};

fn capi_calls(f: &Function) -> Vec<&'static str> {
    let mut out = Vec::new();
    visit::for_each_expr(&f.body, &mut |e| {
        if let ExprKind::CApi { func, .. } = &e.kind {
            out.push(func.name);
        }
    });
    out
}

fn unpacks(f: &Function) -> Vec<(usize, Option<u32>)> {
    let mut out = Vec::new();
    visit::for_each_stmt(&f.body, &mut |s| {
        if let StmtKind::Unpack { targets, star, .. } = &s.kind {
            out.push((targets.len(), *star));
        }
    });
    out
}

#[test]
fn a_tuple_display_into_c_locals_makes_no_object() {
    let m = ok_pyx("def fib(n: C_int) -> C_long:\n    a: C_long = 0\n    b: C_long = 1\n    for i in range(n):\n        a, b = b, a + b\n    return a\n", &[]);
    let f = func(&m, "fib");
    assert!(capi_calls(f).is_empty(), "{:?}", capi_calls(f));
    assert!(unpacks(f).is_empty());
}

#[test]
fn unpacking_an_object_is_one_unpack_with_its_star() {
    let m = ok("def f(xs):\n    a, *b, c = xs\n    (d, e), g = a, c\n    return b\n");
    let f = func(&m, "f");
    assert_eq!(unpacks(f), vec![(3, Some(1)), (2, None)]);
    assert_eq!(local_ty(f, "b"), Ty::OBJECT);
    let m = ok("def f(d):\n    for k, v in d.items():\n        pass\n");
    assert_eq!(unpacks(func(&m, "f")), vec![(2, None)]);
}

#[test]
fn comprehension_variables_have_their_own_scope() {
    let m = ok("def f(xs):\n    x = 1.5\n    ys = [x for x in xs]\n    return x\n");
    let f = func(&m, "f");
    // The function's `x` stays a double; the comprehension's is an object of its own.
    assert_eq!(local_ty(f, "x"), Ty::DOUBLE);
    assert_eq!(f.locals.iter().filter(|l| l.name == "x").map(|l| l.ty).collect::<Vec<_>>(), vec![Ty::DOUBLE, Ty::OBJECT]);
    let mut seqs = 0;
    visit::for_each_expr(&f.body, &mut |e| seqs += matches!(e.kind, ExprKind::Seq { .. }) as usize);
    assert_eq!(seqs, 2);
}

#[test]
fn a_cdef_name_keeps_its_c_type_in_a_comprehension() {
    let m = ok_pyx("def f(n: C_int):\n    i: C_int = 3\n    return [i * i for i in range(n)], i\n", &[]);
    let f = func(&m, "f");
    assert_eq!(f.locals.iter().filter(|l| l.name == "i").map(|l| l.ty).collect::<Vec<_>>(), vec![Ty::Int(crate::tir::IntKind::Int); 2]);
    let mut ranges = 0;
    visit::for_each_stmt(&f.body, &mut |s| ranges += matches!(s.kind, StmtKind::ForRange { .. }) as usize);
    assert_eq!(ranges, 1);
}

#[test]
fn generator_expressions_in_calls_are_loops() {
    let m = ok("def f(xs):\n    return sum(x for x in xs), any(x for x in xs), sorted(x for x in xs), ''.join(x for x in xs)\n");
    let calls = capi_calls(func(&m, "f"));
    assert!(calls.contains(&"PyNumber_Add") && calls.contains(&"PyList_Append"), "{calls:?}");
}
