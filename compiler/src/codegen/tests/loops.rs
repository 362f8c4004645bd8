//! Loop and condition lowering: blocks sealed as soon as their predecessors are known (loop
//! headers carry only the variables the loop assigns), conditions lowered straight to
//! branches (`and`/`or`/`not`/chained comparisons, negated loop tests with NaN operands),
//! range loops with a constant unit step, and `%` compared with zero.

use super::*;
use crate::backend::object;

const CK: Overflow = Overflow::Check(OVERFLOW);
const PY_MOD: BinOp = BinOp::Mod { python: true, zero: Some(ZERO_DIV) };

fn add(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Add(CK), a, b)
}

fn fadd(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Add(Overflow::Wrap), a, b)
}

fn fmul(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Mul(Overflow::Wrap), a, b)
}

fn fsub(a: Expr, b: Expr) -> Expr {
    bin(BinOp::Sub(Overflow::Wrap), a, b)
}

fn float(v: f64) -> Expr {
    konst(Const::Float(v), F64)
}

fn and(a: Expr, b: Expr) -> Expr {
    e(ExprKind::BoolOp { op: BoolOpKind::And, lhs: Box::new(a), rhs: Box::new(b) }, BOOL)
}

fn or(a: Expr, b: Expr) -> Expr {
    e(ExprKind::BoolOp { op: BoolOpKind::Or, lhs: Box::new(a), rhs: Box::new(b) }, BOOL)
}

fn not(a: Expr) -> Expr {
    unary(UnaryOp::Not, a)
}

fn to_float(v: Expr) -> Expr {
    cast(CastKind::IntToFloat, v, F64)
}

fn while_(cond: Expr, body: Vec<Stmt>) -> Stmt {
    s(StmtKind::While { cond, body, orelse: vec![] })
}

fn if_(cond: Expr, then_body: Vec<Stmt>, else_body: Vec<Stmt>) -> Stmt {
    s(StmtKind::If { cond, then_body, else_body })
}

fn for_(var: u32, start: Expr, stop: Expr, step: Expr, step_check: StepCheck, body: Vec<Stmt>, orelse: Vec<Stmt>) -> Stmt {
    s(StmtKind::ForRange { var: LocalId(var), start, stop, step, step_check, body, orelse })
}

fn at_line(mut stmt: Stmt, n: u32) -> Stmt {
    stmt.span = line(n);
    stmt
}

/// The mandelbrot kernel of the team's benchmark, in TIR:
/// ```python
/// def mandel(width: int, height: int, max_iter: int) -> int:
///     inside = 0
///     for y in range(height):                         # line 6
///         ci = -1.25 + 2.5 * y / height
///         for x in range(width):                      # line 8
///             cr = -2.0 + 2.5 * x / width
///             zr = 0.0
///             zi = 0.0
///             n = 0
///             while n < max_iter and zr * zr + zi * zi <= 4.0:   # line 13
///                 zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
///                 n += 1
///             if n == max_iter:
///                 inside += 1
///     return inside
/// ```
fn mandel() -> Function {
    let (width, height, max_iter) = (|| local(0, I64), || local(1, I64), || local(2, I64));
    let (inside, y, ci, x, cr) = (|| local(3, I64), || local(4, I64), || local(5, F64), || local(6, I64), || local(7, F64));
    let (zr, zi, n) = (|| local(8, F64), || local(9, F64), || local(10, I64));
    let div = |a: Expr, b: Expr| bin(BinOp::TrueDiv { zero: Some(FLOAT_ZERO_DIV) }, a, b);
    let while_loop = at_line(
        while_(
            and(at(cmp(CmpOp::Lt, n(), max_iter()), 13), cmp(CmpOp::Le, fadd(fmul(zr(), zr()), fmul(zi(), zi())), float(4.0))),
            vec![
                assign(11, fadd(fsub(fmul(zr(), zr()), fmul(zi(), zi())), cr())),
                assign(9, fadd(fmul(fmul(float(2.0), zr()), zi()), ci())),
                assign(8, local(11, F64)),
                assign(10, add(n(), int(1))),
            ],
        ),
        13,
    );
    let x_loop = at_line(
        for_(
            6,
            int(0),
            width(),
            int(1),
            StepCheck::Positive,
            vec![
                assign(7, fadd(float(-2.0), div(fmul(float(2.5), to_float(x())), to_float(width())))),
                assign(8, float(0.0)),
                assign(9, float(0.0)),
                assign(10, int(0)),
                while_loop,
                if_(cmp(CmpOp::Eq, n(), max_iter()), vec![assign(3, add(inside(), int(1)))], vec![]),
            ],
            vec![],
        ),
        8,
    );
    let y_loop = at_line(
        for_(
            4,
            int(0),
            height(),
            int(1),
            StepCheck::Positive,
            vec![assign(5, fadd(float(-1.25), div(fmul(float(2.5), to_float(y())), to_float(height())))), x_loop],
            vec![],
        ),
        6,
    );
    func(
        0,
        "mandel",
        &[("width", I64), ("height", I64), ("max_iter", I64)],
        I64,
        &[
            ("inside", I64),
            ("y", I64),
            ("ci", F64),
            ("x", I64),
            ("cr", F64),
            ("zr", F64),
            ("zi", F64),
            ("n", I64),
            ("tmp", F64),
        ],
        vec![assign(3, int(0)), y_loop, ret(inside())],
    )
}

fn mandel_reference(width: i64, height: i64, max_iter: i64) -> i64 {
    let mut inside = 0;
    for y in 0..height {
        let ci = -1.25 + 2.5 * y as f64 / height as f64;
        for x in 0..width {
            let cr = -2.0 + 2.5 * x as f64 / width as f64;
            let (mut zr, mut zi, mut n) = (0.0f64, 0.0f64, 0);
            while n < max_iter && zr * zr + zi * zi <= 4.0 {
                (zr, zi) = (zr * zr - zi * zi + cr, 2.0 * zr * zi + ci);
                n += 1;
            }
            if n == max_iter {
                inside += 1;
            }
        }
    }
    inside
}

/// The parameter types of the first block whose first instruction is on source line `n`
/// (a loop's header: the loop test is the first thing it computes), from `--emit clif` text.
fn header_params(clif: &str, n: u32) -> Vec<String> {
    let lines: Vec<&str> = clif.lines().collect();
    let marker = format!("; line {n}");
    for (i, l) in lines.iter().enumerate() {
        // The first line of the block after its value aliases (`v9 -> v7`).
        let first = lines[i + 1..].iter().map(|l| l.trim()).find(|l| !l.contains(" -> "));
        if l.starts_with("block") && first == Some(marker.as_str()) {
            let params = l.split_once('(').map(|(_, rest)| rest.trim_end_matches("):").trim_end_matches(':')).unwrap_or("");
            return params.split(", ").filter(|p| !p.is_empty()).map(|p| p.split(": ").nth(1).unwrap_or(p).to_string()).collect();
        }
    }
    panic!("no block starts at line {n} in:\n{clif}");
}

#[test]
fn nested_loop_headers_carry_only_what_the_loop_assigns() {
    let m = module(vec![mandel()]);
    let mut opts = CompileOptions::new("m");
    opts.verify = true;
    let clif = object::emit_clif(&m, &source(), &opts).unwrap_or_else(|e| panic!("{e}"));
    let clif = clif.split("function %__pycc_entry").next().unwrap_or_default();
    // The while header: n, zr, zi (not max_iter, cr, ci, x, y, inside, width, height).
    assert_eq!(header_params(clif, 13), ["i64", "f64", "f64"], "{clif}");
    // The x loop: its counter and `inside`; the y loop: the same two.
    assert_eq!(header_params(clif, 8), ["i64", "i64"], "{clif}");
    assert_eq!(header_params(clif, 6), ["i64", "i64"], "{clif}");
}

#[test]
fn mandel_counts_like_the_reference() {
    let j = jit(&module(vec![mandel()]));
    for &(w, h, it) in &[(0, 0, 10), (1, 1, 1), (7, 5, 30), (40, 30, 50), (16, 16, 0)] {
        assert_eq!(j.i64("mandel", &[w, h, it]), Ok(mandel_reference(w, h, it)), "mandel({w}, {h}, {it})");
    }
    // `width == 0` never divides (the x loop is empty); `height` is not zero here.
    let err = j.i64("mandel", &[3, 0, 5]);
    assert_eq!(err, Ok(0));
}

/// `def grow(x: double, lim: double) -> int`: `while n < 10 and x <= lim: x = x * 2.0 + 1.0`.
/// The loop test is emitted negated (`x > lim` unordered): a NaN must still leave the loop.
fn grow() -> Function {
    let (x, lim, n) = (|| local(0, F64), || local(1, F64), || local(2, I64));
    func(
        0,
        "grow",
        &[("x", F64), ("lim", F64)],
        I64,
        &[("n", I64)],
        vec![
            assign(2, int(0)),
            while_(
                and(cmp(CmpOp::Lt, n(), int(10)), cmp(CmpOp::Le, x(), lim())),
                vec![assign(0, fadd(fmul(x(), float(2.0)), float(1.0))), assign(2, add(n(), int(1)))],
            ),
            ret(n()),
        ],
    )
}

fn grow_reference(mut x: f64, lim: f64) -> i64 {
    let mut n = 0;
    while n < 10 && x <= lim {
        x = x * 2.0 + 1.0;
        n += 1;
    }
    n
}

/// Every float comparison as a `while` test (negated) and as an `if` test (not negated).
fn float_tests() -> Vec<Function> {
    let ops = [CmpOp::Eq, CmpOp::Ne, CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge];
    let mut funcs = vec![grow()];
    for (i, op) in ops.iter().enumerate() {
        // def w_op(a, b): n = 0; while n < 1 and a op b: n += 1; return n
        let (a, b, n) = (|| local(0, F64), || local(1, F64), || local(2, I64));
        funcs.push(func(
            funcs.len() as u32,
            &format!("w{i}"),
            &[("a", F64), ("b", F64)],
            I64,
            &[("n", I64)],
            vec![assign(2, int(0)), while_(and(cmp(CmpOp::Lt, n(), int(1)), cmp(*op, a(), b())), vec![assign(2, add(n(), int(1)))]), ret(n())],
        ));
        // def w_not_op(a, b): n = 0; while not (a op b): n += 1; if n > 2: break ...; return n
        funcs.push(func(
            funcs.len() as u32,
            &format!("wn{i}"),
            &[("a", F64), ("b", F64)],
            I64,
            &[("n", I64)],
            vec![
                assign(2, int(0)),
                while_(not(cmp(*op, a(), b())), vec![assign(2, add(n(), int(1))), if_(cmp(CmpOp::Gt, n(), int(2)), vec![s(StmtKind::Break)], vec![])]),
                ret(n()),
            ],
        ));
    }
    funcs
}

/// Calls `name` with double arguments for an integer result.
fn call_f64_i64(j: &Jit, name: &str, args: &[f64]) -> i64 {
    let slots: Vec<Slot> = args.iter().map(|a| a.to_bits()).collect();
    j.call(name, &slots).map(|v| v as i64).unwrap_or_else(|e| panic!("{name}{args:?} raised {e:?}"))
}

fn float_cmp(op: usize, a: f64, b: f64) -> bool {
    [a == b, a != b, a < b, a <= b, a > b, a >= b][op]
}

#[test]
fn negated_loop_tests_keep_nan_semantics() {
    let j = jit(&module(float_tests()));
    let xs = floats();
    for &a in &xs {
        for &b in &xs {
            assert_eq!(call_f64_i64(&j, "grow", &[a, b]), grow_reference(a, b), "grow({a}, {b})");
            for op in 0..6 {
                let want = float_cmp(op, a, b) as i64;
                assert_eq!(call_f64_i64(&j, &format!("w{op}"), &[a, b]), want, "while op {op} ({a}, {b})");
                let want_not = if float_cmp(op, a, b) { 0 } else { 3 };
                assert_eq!(call_f64_i64(&j, &format!("wn{op}"), &[a, b]), want_not, "while not op {op} ({a}, {b})");
            }
        }
    }
}

/// Short-circuit operators, `not`, `bint(int)` and a chained comparison as branch conditions
/// of `if`, `while` and a conditional expression; the right operand has a side effect that
/// shows whether it ran (it divides by `b`, raising when `b == 0`).
fn cond_funcs() -> Vec<Function> {
    let (a, b, r) = (|| local(0, I64), || local(1, I64), || local(2, I64));
    let div = BinOp::FloorDiv { python: true, zero: Some(ZERO_DIV), overflow: Some(OVERFLOW) };
    let b_div = || cmp(CmpOp::Gt, bin(div, a(), b()), int(1));
    let to_bool = |v: Expr| cast(CastKind::ToBool, v, BOOL);
    // lo < a < hi as a chained comparison: Let(t = a, lo < t and t < hi)
    let chained = || {
        e(
            ExprKind::Let {
                local: LocalId(3),
                value: Box::new(a()),
                body: Box::new(and(cmp(CmpOp::Lt, int(-5), local(3, I64)), cmp(CmpOp::Lt, local(3, I64), int(5)))),
            },
            BOOL,
        )
    };
    let conds: Vec<Expr> = vec![
        and(cmp(CmpOp::Ne, b(), int(0)), b_div()),
        or(cmp(CmpOp::Eq, b(), int(0)), b_div()),
        not(and(to_bool(b()), b_div())),
        or(and(to_bool(a()), not(to_bool(b()))), chained()),
        not(or(not(to_bool(a())), cmp(CmpOp::Lt, a(), b()))),
        chained(),
    ];
    let locals: &[(&str, Ty)] = &[("r", I64), ("t", I64)];
    let params: &[(&str, Ty)] = &[("a", I64), ("b", I64)];
    let mut funcs = Vec::new();
    for (i, c) in conds.into_iter().enumerate() {
        let id = funcs.len() as u32;
        // def if_i(a, b): if c: return 1 else: return 2
        funcs.push(func(id, &format!("if{i}"), params, I64, locals, vec![if_(c.clone(), vec![ret(int(1))], vec![ret(int(2))])]));
        // def ifexp_i(a, b): return 1 if c else 2
        let ifexp = e(ExprKind::IfExp { cond: Box::new(c.clone()), then_expr: Box::new(int(1)), else_expr: Box::new(int(2)) }, I64);
        funcs.push(func(id + 1, &format!("ifexp{i}"), params, I64, locals, vec![ret(ifexp)]));
        // def value_i(a, b): return c  (the value form of the same condition)
        funcs.push(func(id + 2, &format!("value{i}"), params, BOOL, locals, vec![ret(c.clone())]));
        // def while_i(a, b): r = 0; while r < 3 and c: r += 1; return r
        funcs.push(func(
            id + 3,
            &format!("while{i}"),
            params,
            I64,
            locals,
            vec![assign(2, int(0)), while_(and(cmp(CmpOp::Lt, r(), int(3)), c), vec![assign(2, add(r(), int(1)))]), ret(r())],
        ));
    }
    funcs
}

/// Python's `x % y` (the result takes the divisor's sign), `y != 0`.
fn py_mod(x: i128, y: i128) -> i128 {
    let r = x % y;
    if r != 0 && (r < 0) != (y < 0) { r + y } else { r }
}

/// The conditions by hand, in Python's semantics; `Err` where evaluating them raises.
fn cond_reference(i: usize, a: i64, b: i64) -> Result<bool, ExcKind> {
    // a // b > 1, rounding toward negative infinity; MIN // -1 does not fit.
    let b_div = || {
        if b == 0 {
            return Err(ExcKind::ZeroDivisionError);
        }
        let (x, y) = (a as i128, b as i128);
        let q = (x - py_mod(x, y)) / y;
        if q > i64::MAX as i128 { Err(ExcKind::OverflowError) } else { Ok(q > 1) }
    };
    let chained = -5 < a && a < 5;
    Ok(match i {
        0 => b != 0 && b_div()?,
        1 => b == 0 || b_div()?,
        2 => !(b != 0 && b_div()?),
        3 => (a != 0 && b == 0) || chained,
        4 => !(a == 0 || a < b),
        _ => chained,
    })
}

#[test]
fn conditions_branch_directly_with_python_semantics() {
    let j = jit(&module(cond_funcs()));
    let vals = [i64::MIN, -7, -5, -4, -2, -1, 0, 1, 2, 3, 4, 5, 9, i64::MAX];
    for i in 0..6 {
        for &a in &vals {
            for &b in &vals {
                let want = cond_reference(i, a, b);
                let ctx = format!("condition {i} with a={a}, b={b}");
                assert_eq!(j.i64_exc(&format!("value{i}"), &[a, b]), want.map(|c| c as i64), "{ctx}");
                assert_eq!(j.i64_exc(&format!("if{i}"), &[a, b]), want.map(|c| if c { 1 } else { 2 }), "{ctx}");
                assert_eq!(j.i64_exc(&format!("ifexp{i}"), &[a, b]), want.map(|c| if c { 1 } else { 2 }), "{ctx}");
                // The loop body changes nothing the condition reads: it runs 3 times or none.
                assert_eq!(j.i64_exc(&format!("while{i}"), &[a, b]), want.map(|c| if c { 3 } else { 0 }), "{ctx}");
            }
        }
    }
}

/// `def f(start, stop): count = 0; last = init; for i in range(start, stop, STEP): count += 1; last = i
///  (break when i == brk, continue when i is even); return count * 2^32 ^ last` with a
/// constant unit step, where the counter's increment has no overflow check.
fn unit_range(id: u32, name: &str, ty: Ty, step: i64, check: StepCheck, init: i64) -> Function {
    let (i, count) = (|| local(2, ty), || local(3, I64));
    let wrap = |e: Expr| if ty == I64 { e } else { cast(CastKind::IntWrap, e, I64) };
    let body = vec![
        assign(3, add(count(), int(1))),
        assign(4, wrap(i())),
        if_(cmp(CmpOp::Eq, i(), local(5, ty)), vec![s(StmtKind::Break)], vec![]),
        if_(cmp(CmpOp::Eq, bin(BinOp::BitAnd, i(), konst(Const::Int(1), ty)), konst(Const::Int(0), ty)), vec![s(StmtKind::Continue)], vec![]),
        assign(3, add(count(), int(1 << 16))),
    ];
    func(
        id,
        name,
        &[("start", ty), ("stop", ty)],
        I64,
        &[("i", ty), ("count", I64), ("last", I64), ("brk", ty)],
        vec![
            assign(3, int(0)),
            assign(4, int(init)),
            assign(5, konst(Const::Int(if ty == I64 { 7 } else { 3 }), ty)),
            for_(2, local(0, ty), local(1, ty), konst(Const::Int(step), ty), check, body, vec![assign(3, add(count(), int(1000)))]),
            ret(bin(BinOp::BitXor, bin(BinOp::Mul(Overflow::Wrap), count(), int(1 << 32)), local(4, I64))),
        ],
    )
}

fn unit_reference(start: i128, stop: i128, step: i128, brk: i128, init: i64) -> i64 {
    let (mut count, mut last, mut i) = (0i64, init, start);
    loop {
        if (step > 0 && i >= stop) || (step < 0 && i <= stop) {
            count += 1000;
            break;
        }
        count += 1;
        last = i as i64;
        if i == brk {
            break;
        }
        if i & 1 != 0 {
            count += 1 << 16;
        }
        i += step;
    }
    count.wrapping_mul(1 << 32) ^ last
}

#[test]
fn unit_step_ranges_stop_at_the_type_bounds() {
    let m = module(vec![
        unit_range(0, "up", I64, 1, StepCheck::Positive, -1),
        unit_range(1, "down", I64, -1, StepCheck::Negative, -1),
        unit_range(2, "up_u8", C_UCHAR, 1, StepCheck::Positive, -1),
        // An unsigned step of -1: only a 64-bit unsigned constant can be negative (stored
        // wrapped, see `Const::Int`).
        unit_range(3, "down_u64", C_ULONG, -1, StepCheck::Negative, -1),
        unit_range(4, "up_i8", C_SCHAR, 1, StepCheck::Positive, -1),
        unit_range(5, "down_i8", C_SCHAR, -1, StepCheck::Negative, -1),
    ]);
    let j = jit(&m);
    let cases64: &[(i64, i64)] = &[
        (0, 6),
        (0, 20),
        (6, 0),
        (20, 0),
        (5, 5),
        (i64::MAX - 3, i64::MAX),
        (i64::MIN + 3, i64::MIN),
        (i64::MIN, i64::MIN + 3),
        (i64::MAX, i64::MAX - 3),
    ];
    for &(a, b) in cases64 {
        assert_eq!(j.i64("up", &[a, b]), Ok(unit_reference(a as i128, b as i128, 1, 7, -1)), "range({a}, {b})");
        assert_eq!(j.i64("down", &[a, b]), Ok(unit_reference(a as i128, b as i128, -1, 7, -1)), "range({a}, {b}, -1)");
    }
    for &(a, b) in &[(250i64, 255i64), (0, 255), (255, 0), (2, 0), (255, 250), (1, 3)] {
        let up = unit_reference(a as i128, b as i128, 1, 3, -1);
        assert_eq!(j.call("up_u8", &[a as u64, b as u64]).map(|v| v as i64), Ok(up), "u8 range({a}, {b})");
    }
    for &(a, b) in &[(6u64, 0u64), (3, 0), (0, 0), (u64::MAX, u64::MAX - 3), (2, 5)] {
        let down = unit_reference(a as i128, b as i128, -1, 3, -1);
        assert_eq!(j.call("down_u64", &[a, b]).map(|v| v as i64), Ok(down), "u64 range({a}, {b}, -1)");
    }
    for &(a, b) in &[(120i64, 127i64), (-128, -120), (-120, -128), (127, 120), (-2, 2)] {
        let slots = [a as u64, b as u64];
        assert_eq!(j.call("up_i8", &slots).map(|v| v as i64), Ok(unit_reference(a as i128, b as i128, 1, 3, -1)), "i8 range({a}, {b})");
        assert_eq!(j.call("down_i8", &slots).map(|v| v as i64), Ok(unit_reference(a as i128, b as i128, -1, 3, -1)), "i8 range({a}, {b}, -1)");
    }
}

#[test]
fn python_modulo_compared_with_zero() {
    // def divides(a, b): return a % b == 0    def rest(a, b): return a % b != 0
    //  def loop_(a, b): n = 0; while n < 2 and a % b != 0: n += 1; return n
    let (a, b) = (|| local(0, I64), || local(1, I64));
    let m = module(vec![
        func(0, "divides", &[("a", I64), ("b", I64)], BOOL, &[], vec![ret(cmp(CmpOp::Eq, bin(PY_MOD, a(), b()), int(0)))]),
        func(1, "rest", &[("a", I64), ("b", I64)], BOOL, &[], vec![ret(cmp(CmpOp::Ne, bin(PY_MOD, a(), b()), int(0)))]),
        func(
            2,
            "loop_",
            &[("a", I64), ("b", I64)],
            I64,
            &[("n", I64)],
            vec![
                assign(2, int(0)),
                while_(
                    and(cmp(CmpOp::Lt, local(2, I64), int(2)), cmp(CmpOp::Ne, bin(PY_MOD, a(), b()), int(0))),
                    vec![assign(2, add(local(2, I64), int(1)))],
                ),
                ret(local(2, I64)),
            ],
        ),
        // def mod(a, b): return a % b      (the value itself, for the -1 divisor)
        binop_func(3, "mod", I64, PY_MOD),
    ]);
    let j = jit(&m);
    let g = grid64();
    for &x in &g {
        for &y in &g {
            let want = if y == 0 { Err(ExcKind::ZeroDivisionError) } else { Ok(py_mod(x as i128, y as i128) as i64) };
            assert_eq!(j.i64_exc("mod", &[x, y]), want, "{x} % {y}");
            let zero = want.map(|r| (r == 0) as i64);
            assert_eq!(j.i64_exc("divides", &[x, y]), zero, "{x} % {y} == 0");
            assert_eq!(j.i64_exc("rest", &[x, y]), zero.map(|z| 1 - z), "{x} % {y} != 0");
            assert_eq!(j.i64_exc("loop_", &[x, y]), zero.map(|z| if z == 1 { 0 } else { 2 }), "while {x} % {y} != 0");
        }
    }
}

#[test]
fn nested_loops_with_float32_constants() {
    // def g(n: int) -> float:    (C float throughout)
    //     s = 0.0
    //     for i in range(n):
    //         a = 1.5 * i            (a float32 constant anchored for the inner loop)
    //         for j in range(n):
    //             s = s + a * 0.25 + j * 0.125
    //     return s
    let f32c = |v: f64| konst(Const::Float(v), F32);
    let to_f32 = |v: Expr| cast(CastKind::IntToFloat, v, F32);
    let (n, s_, i, j, a) = (|| local(0, I64), || local(1, F32), || local(2, I64), || local(3, I64), || local(4, F32));
    let inner = for_(3, int(0), n(), int(1), StepCheck::Positive, vec![assign(1, fadd(fadd(s_(), fmul(a(), f32c(0.25))), fmul(to_f32(j()), f32c(0.125))))], vec![]);
    let outer = for_(2, int(0), n(), int(1), StepCheck::Positive, vec![assign(4, fmul(f32c(1.5), to_f32(i()))), inner], vec![]);
    let g = func(0, "g", &[("n", I64)], F32, &[("s", F32), ("i", I64), ("j", I64), ("a", F32)], vec![assign(1, f32c(0.0)), outer, ret(s_())]);
    let j = jit(&module(vec![g]));
    for n in [0i64, 1, 3, 17] {
        let mut s = 0.0f32;
        for i in 0..n {
            let a = 1.5f32 * i as f32;
            for k in 0..n {
                s = s + a * 0.25 + k as f32 * 0.125;
            }
        }
        // An F32 result comes back widened to a double slot.
        let got = j.call("g", &[n as u64]).map(f64::from_bits);
        assert_eq!(got, Ok(s as f64), "g({n})");
    }
}
