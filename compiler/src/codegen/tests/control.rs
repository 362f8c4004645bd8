//! Control flow, calls, recursion and error propagation.

use super::*;

const CK: Overflow = Overflow::Check(OVERFLOW);
const STEP_ZERO: Raise = Raise::new(ExcKind::ValueError, "range() arg 3 must not be zero");

fn add(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Add(CK), a, b)
}

fn sub(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Sub(CK), a, b)
}

fn if_(cond: Expr, then_body: Vec<Stmt>, else_body: Vec<Stmt>) -> Stmt {
    s(StmtKind::If { cond, then_body, else_body })
}

#[allow(clippy::too_many_arguments)]
fn for_range(var: u32, ty: Ty, start: Expr, stop: Expr, step: Expr, step_check: StepCheck, body: Vec<Stmt>, orelse: Vec<Stmt>) -> Stmt {
    let _ = ty;
    s(StmtKind::ForRange { var: LocalId(var), start, stop, step, step_check, body, orelse })
}

/// `def fib(n): return n if n < 2 else fib(n - 1) + fib(n - 2)`
fn fib() -> Function {
    let n = || local(0, I64);
    let mut f = func(
        0,
        "fib",
        &[("n", I64)],
        I64,
        &[],
        vec![
            if_(cmp(CmpOp::Lt, n(), int(2)), vec![ret(n())], vec![]),
            ret(add(call(0, vec![sub(n(), int(1))], I64), call(0, vec![sub(n(), int(2))], I64))),
        ],
    );
    f.recursive = true;
    f
}

#[test]
fn recursive_fib() {
    let j = jit(&module(vec![fib()]));
    let mut want = [0i64, 1];
    for n in 0..25 {
        assert_eq!(j.i64("fib", &[n]), Ok(want[0]), "fib({n})");
        want = [want[1], want[0] + want[1]];
    }
}

#[test]
fn unbounded_recursion_raises_recursion_error() {
    // def down(n): return down(n + 1)
    let mut f = func(0, "down", &[("n", I64)], I64, &[], vec![ret(call(0, vec![add(local(0, I64), int(1))], I64))]);
    f.recursive = true;
    f.span = line(3);
    let j = jit(&module(vec![f]));
    let err = j.i64("down", &[0]).unwrap_err();
    assert_eq!(err, Raised { exc: ExcKind::RecursionError, msg: "maximum recursion depth exceeded".into(), func: "down".into(), line: 3 });
}

#[test]
fn errors_propagate_through_calls_with_the_callee_site() {
    // cdef int inner(int a): return a // 0 at line 20; def outer(a): inner(a); return 1
    let inner = func(
        0,
        "inner",
        &[("a", I64)],
        I64,
        &[],
        vec![ret(at(bin(BinOp::FloorDiv { python: true, zero: Some(ZERO_DIV), overflow: Some(OVERFLOW) }, local(0, I64), local(0, I64)), 20))],
    );
    let mut inner = inner;
    inner.kind = FuncKind::Cdef;
    let void_fn = func(1, "nothing", &[], Ty::Void, &[], vec![]);
    let outer = func(
        2,
        "outer",
        &[("a", I64)],
        I64,
        &[],
        vec![s(StmtKind::Expr(call(1, vec![], Ty::Void))), s(StmtKind::Expr(call(0, vec![local(0, I64)], I64))), ret(int(1))],
    );
    let j = jit(&module(vec![inner, void_fn, outer]));
    assert_eq!(j.art.desc.functions.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["nothing", "outer"]);
    assert_eq!(j.i64("outer", &[3]), Ok(1));
    let err = j.i64("outer", &[0]).unwrap_err();
    assert_eq!(err, Raised { exc: ExcKind::ZeroDivisionError, msg: ZERO_DIV.msg.into(), func: "inner".into(), line: 20 });
    assert_eq!(j.call("nothing", &[]), Ok(0xdead_beef), "a void function leaves the result slot alone");
}

#[test]
fn while_with_break_continue_and_else() {
    // def f(n, stop):
    //     i = 0; total = 0
    //     while i < n:
    //         i = i + 1
    //         if i == stop: break
    //         if i % 2 == 0: continue
    //         total = total + i
    //     else:
    //         total = total + 1000
    //     return total
    let (n, stop, i, total) = (|| local(0, I64), || local(1, I64), || local(2, I64), || local(3, I64));
    let modulo = BinOp::Mod { python: true, zero: Some(ZERO_DIV) };
    let body = vec![
        assign(2, add(i(), int(1))),
        if_(cmp(CmpOp::Eq, i(), stop()), vec![s(StmtKind::Break)], vec![]),
        if_(cmp(CmpOp::Eq, bin(modulo, i(), int(2)), int(0)), vec![s(StmtKind::Continue)], vec![]),
        assign(3, add(total(), i())),
    ];
    let f = func(
        0,
        "f",
        &[("n", I64), ("stop", I64)],
        I64,
        &[("i", I64), ("total", I64)],
        vec![
            assign(2, int(0)),
            assign(3, int(0)),
            s(StmtKind::While { cond: cmp(CmpOp::Lt, i(), n()), body, orelse: vec![assign(3, add(total(), int(1000)))] }),
            ret(total()),
        ],
    );
    let j = jit(&module(vec![f]));
    let reference = |n: i64, stop: i64| {
        let (mut i, mut total) = (0, 0);
        loop {
            if i >= n {
                total += 1000;
                break;
            }
            i += 1;
            if i == stop {
                break;
            }
            if i % 2 == 0 {
                continue;
            }
            total += i;
        }
        total
    };
    for n in [0, 1, 5, 10] {
        for stop in [-1, 1, 3, 4, 7] {
            assert_eq!(j.i64("f", &[n, stop]), Ok(reference(n, stop)), "f({n}, {stop})");
        }
    }
}

/// `def f(start, stop, step): last = -1; count = 0; for i in range(start, stop, step): count += 1; last = i
///  else: count += 1000; return count * 1000000 + last` style, on a given type.
fn range_func(id: u32, name: &str, ty: Ty, check: StepCheck, break_at: Option<i64>) -> Function {
    let (i, count) = (|| local(3, ty), || local(4, I64));
    let mut body = vec![assign(4, add(count(), int(1)))];
    if let Some(b) = break_at {
        body.push(if_(cmp(CmpOp::Eq, i(), konst(Const::Int(b), ty)), vec![s(StmtKind::Break)], vec![]));
    }
    let wrap = |e: Expr| if ty == I64 { e } else { cast(CastKind::IntWrap, e, I64) };
    func(
        id,
        name,
        &[("start", ty), ("stop", ty), ("step", ty)],
        I64,
        &[("i", ty), ("count", I64)],
        vec![
            assign(3, konst(Const::Int(if ty == C_UCHAR { 255 } else { -1 }), ty)),
            assign(4, int(0)),
            for_range(3, ty, local(0, ty), local(1, ty), local(2, ty), check, body, vec![assign(4, add(count(), int(1000)))]),
            // (count * 2^32) ^ last value of i (as i64)
            ret(bin(BinOp::BitXor, bin(BinOp::Mul(Overflow::Wrap), count(), int(1 << 32)), wrap(i()))),
        ],
    )
}

fn range_reference(start: i128, stop: i128, step: i128, break_at: Option<i128>, init: i64) -> i64 {
    let (mut count, mut last, mut i) = (0i64, init, start);
    loop {
        if (step > 0 && i >= stop) || (step < 0 && i <= stop) {
            count += 1000;
            break;
        }
        last = i as i64;
        count += 1;
        if Some(i) == break_at {
            break;
        }
        i += step;
    }
    count.wrapping_mul(1 << 32) ^ last
}

#[test]
fn for_range_steps_bounds_and_overflowing_counters() {
    let m = module(vec![
        range_func(0, "dyn", I64, StepCheck::Dynamic(STEP_ZERO), None),
        range_func(1, "up", I64, StepCheck::Positive, None),
        range_func(2, "down", I64, StepCheck::Negative, None),
        range_func(3, "brk", I64, StepCheck::Dynamic(STEP_ZERO), Some(4)),
        range_func(4, "i8", C_SCHAR, StepCheck::Dynamic(STEP_ZERO), None),
        range_func(5, "u8", C_UCHAR, StepCheck::Positive, None),
    ]);
    let j = jit(&m);
    let cases: &[(i64, i64, i64)] = &[
        (0, 10, 1),
        (0, 10, 3),
        (10, 0, -1),
        (10, 0, -3),
        (5, 5, 1),
        (5, 0, 1),
        (0, 5, -1),
        (-3, 4, 2),
        (i64::MAX - 5, i64::MAX, 2),
        (i64::MAX - 2, i64::MAX, 1),
        (i64::MIN + 5, i64::MIN, -2),
        (0, i64::MAX, i64::MAX),
        (i64::MIN, i64::MAX, i64::MAX),
        (i64::MAX, i64::MIN, i64::MIN),
    ];
    for &(a, b, st) in cases {
        let want = range_reference(a as i128, b as i128, st as i128, None, -1);
        assert_eq!(j.i64("dyn", &[a, b, st]), Ok(want), "range({a}, {b}, {st})");
        if st > 0 {
            assert_eq!(j.i64("up", &[a, b, st]), Ok(want), "up range({a}, {b}, {st})");
        } else {
            assert_eq!(j.i64("down", &[a, b, st]), Ok(want), "down range({a}, {b}, {st})");
        }
        assert_eq!(j.i64("brk", &[a, b, st]), Ok(range_reference(a as i128, b as i128, st as i128, Some(4), -1)));
    }
    let err = j.i64("dyn", &[0, 10, 0]).unwrap_err();
    assert_eq!((err.exc, err.msg.as_str()), (ExcKind::ValueError, "range() arg 3 must not be zero"));
    // Narrow counters: the increment past the type's end leaves the loop instead of wrapping.
    for &(a, b, st) in &[(120i64, 127i64, 3i64), (-128, 127, 50), (127, -128, -100), (-120, -128, -3)] {
        assert_eq!(j.i64("i8", &[a, b, st]), Ok(range_reference(a as i128, b as i128, st as i128, None, -1)), "i8 range({a}, {b}, {st})");
    }
    for &(a, b, st) in &[(250u64, 255u64, 3u64), (0, 255, 100), (254, 255, 1)] {
        let want = range_reference(a as i128, b as i128, st as i128, None, 255);
        assert_eq!(j.call("u8", &[a, b, st]).map(|v| v as i64), Ok(want), "u8 range({a}, {b}, {st})");
    }
}

#[test]
fn short_circuit_if_exp_and_let() {
    let b = || local(1, I64);
    let a = || local(0, I64);
    let div = BinOp::FloorDiv { python: true, zero: Some(ZERO_DIV), overflow: Some(OVERFLOW) };
    // def and_(a, b): return b != 0 and a // b > 1     (never divides by zero)
    let and_ = func(
        0,
        "and_",
        &[("a", I64), ("b", I64)],
        BOOL,
        &[],
        vec![ret(e(
            ExprKind::BoolOp { op: BoolOpKind::And, lhs: Box::new(cmp(CmpOp::Ne, b(), int(0))), rhs: Box::new(cmp(CmpOp::Gt, bin(div, a(), b()), int(1))) },
            BOOL,
        ))],
    );
    // def or_(a, b): return b == 0 or a // b > 1
    let or_ = func(
        1,
        "or_",
        &[("a", I64), ("b", I64)],
        BOOL,
        &[],
        vec![ret(e(
            ExprKind::BoolOp { op: BoolOpKind::Or, lhs: Box::new(cmp(CmpOp::Eq, b(), int(0))), rhs: Box::new(cmp(CmpOp::Gt, bin(div, a(), b()), int(1))) },
            BOOL,
        ))],
    );
    // def pick(a, b): return a if a > b else b * 2
    let pick = func(
        2,
        "pick",
        &[("a", I64), ("b", I64)],
        I64,
        &[],
        vec![ret(e(
            ExprKind::IfExp {
                cond: Box::new(cmp(CmpOp::Gt, a(), b())),
                then_expr: Box::new(a()),
                else_expr: Box::new(bin(BinOp::Mul(CK), b(), int(2))),
            },
            I64,
        ))],
    );
    // def chain(a, b): return a < (t := b + 1) < 10   →  Let t = b + 1 in (a < t and t < 10)
    let t = || local(2, I64);
    let chain = func(
        3,
        "chain",
        &[("a", I64), ("b", I64)],
        BOOL,
        &[("t", I64)],
        vec![ret(e(
            ExprKind::Let {
                local: LocalId(2),
                value: Box::new(add(b(), int(1))),
                body: Box::new(e(
                    ExprKind::BoolOp { op: BoolOpKind::And, lhs: Box::new(cmp(CmpOp::Lt, a(), t())), rhs: Box::new(cmp(CmpOp::Lt, t(), int(10))) },
                    BOOL,
                )),
            },
            BOOL,
        ))],
    );
    let j = jit(&module(vec![and_, or_, pick, chain]));
    for a in [-5i64, 0, 1, 2, 3, 9, 100] {
        for b in [-2i64, 0, 1, 2, 8, 9] {
            let q = |a: i64, b: i64| py_floordiv(a, b);
            assert_eq!(j.i64("and_", &[a, b]), Ok((b != 0 && q(a, b) > 1) as i64), "{a} {b}");
            assert_eq!(j.i64("or_", &[a, b]), Ok((b == 0 || q(a, b) > 1) as i64), "{a} {b}");
            assert_eq!(j.i64("pick", &[a, b]), Ok(if a > b { a } else { b * 2 }));
            assert_eq!(j.i64("chain", &[a, b]), Ok((a < b + 1 && b + 1 < 10) as i64));
        }
    }
}

fn py_floordiv(a: i64, b: i64) -> i64 {
    let q = a / b;
    if (a % b != 0) && ((a % b < 0) != (b < 0)) { q - 1 } else { q }
}

#[test]
fn dead_code_after_return_and_nested_loops() {
    // def f(n):
    //     total = 0
    //     for i in range(n):
    //         for k in range(i):
    //             if k == 3: break
    //             total += k
    //     return total
    //     total = 99   (dead)
    let (n, total, i, k) = (|| local(0, I64), || local(1, I64), || local(2, I64), || local(3, I64));
    let inner = for_range(
        3,
        I64,
        int(0),
        i(),
        int(1),
        StepCheck::Positive,
        vec![if_(cmp(CmpOp::Eq, k(), int(3)), vec![s(StmtKind::Break)], vec![]), assign(1, add(total(), k()))],
        vec![],
    );
    let f = func(
        0,
        "f",
        &[("n", I64)],
        I64,
        &[("total", I64), ("i", I64), ("k", I64)],
        vec![
            assign(1, int(0)),
            for_range(2, I64, int(0), n(), int(1), StepCheck::Positive, vec![inner], vec![]),
            ret(total()),
            assign(1, int(99)),
        ],
    );
    let j = jit(&module(vec![f]));
    for n in 0..8i64 {
        let want: i64 = (0..n).map(|i| (0..i.min(3)).sum::<i64>()).sum();
        assert_eq!(j.i64("f", &[n]), Ok(want));
    }
}

#[test]
fn if_with_both_arms_returning() {
    let f = func(
        0,
        "sign",
        &[("x", F64)],
        I64,
        &[],
        vec![if_(
            cmp(CmpOp::Lt, local(0, F64), konst(Const::Float(0.0), F64)),
            vec![ret(int(-1))],
            vec![if_(cmp(CmpOp::Gt, local(0, F64), konst(Const::Float(0.0), F64)), vec![ret(int(1))], vec![ret(int(0))])],
        )],
    );
    let j = jit(&module(vec![f]));
    assert_eq!(j.call("sign", &[(-2.5f64).to_bits()]), Ok(-1i64 as u64));
    assert_eq!(j.call("sign", &[(2.5f64).to_bits()]), Ok(1));
    assert_eq!(j.call("sign", &[f64::NAN.to_bits()]), Ok(0));
}

#[test]
fn error_sites_are_shared_per_span_and_distinct_per_raise() {
    // Two different ops on the same line get two sites; calling the same function twice
    // reuses its sites.
    let f = func(
        0,
        "f",
        &[("a", I64), ("b", I64)],
        I64,
        &[],
        vec![ret(at(
            bin(BinOp::Add(CK), at(bin(BinOp::FloorDiv { python: true, zero: Some(ZERO_DIV), overflow: Some(OVERFLOW) }, local(0, I64), local(1, I64)), 4), local(1, I64)),
            5,
        ))],
    );
    let j = jit(&module(vec![f]));
    let sites = &j.art.desc.error_sites;
    assert_eq!(sites.len(), 3, "{sites:?}");
    assert_eq!(j.i64("f", &[1, 0]).unwrap_err().line, 4);
    assert_eq!(j.i64("f", &[i64::MIN, -1]).unwrap_err(), Raised { exc: ExcKind::OverflowError, msg: "integer overflow".into(), func: "f".into(), line: 4 });
    assert_eq!(j.i64("f", &[i64::MAX, 1]).unwrap_err().line, 5);
}
