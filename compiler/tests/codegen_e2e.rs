//! Codegen end to end: Python source → `driver::jit_compile` → calls through the entry
//! wrappers, exactly as the runtime makes them; results checked against Rust references
//! of Python's semantics and against values computed with CPython (noted where used).

use pycc_compiler::abi::{Ctx, Slot};
use pycc_compiler::tir::ExcKind;
use pycc_compiler::{driver, CompileOptions, JitArtifact, SourceFile, SourceKind};

struct Module {
    art: JitArtifact,
}

#[derive(Debug, PartialEq)]
struct Raised {
    exc: ExcKind,
    msg: String,
    func: String,
    line: u32,
}

fn compile(src: &str) -> Module {
    let file = SourceFile::new("e2e.py", src, SourceKind::Py);
    let mut opts = CompileOptions::new("e2e");
    opts.verify = true;
    // No interpreter here: the imports only declare what `math` means.
    opts.jit_unit = true;
    match driver::jit_compile(&file, &opts) {
        Ok(art) => Module { art },
        Err(e) => panic!("{e}"),
    }
}

impl Module {
    fn call(&self, name: &str, args: &[Slot]) -> Result<Slot, Raised> {
        let i = self.art.desc.functions.iter().position(|f| f.name == name).unwrap_or_else(|| panic!("no exported `{name}`"));
        let here = 0u8;
        let sp = std::hint::black_box(&here) as *const u8 as usize;
        let mut ctx = Ctx::new(sp - 256 * 1024);
        let mut out: Slot = 0;
        let status = unsafe { (self.art.entries[i])(&mut ctx, args.as_ptr(), &mut out) };
        if status == 0 {
            return Ok(out);
        }
        let site = &self.art.desc.error_sites[ctx.err_site as usize - 1];
        Err(Raised { exc: site.exc, msg: site.msg.clone(), func: site.func.clone(), line: site.line })
    }

    fn int(&self, name: &str, args: &[i64]) -> Result<i64, Raised> {
        let slots: Vec<Slot> = args.iter().map(|&a| a as u64).collect();
        self.call(name, &slots).map(|v| v as i64)
    }

    fn float(&self, name: &str, args: &[f64]) -> Result<f64, Raised> {
        let slots: Vec<Slot> = args.iter().map(|a| a.to_bits()).collect();
        self.call(name, &slots).map(f64::from_bits)
    }
}

const GRID: [i64; 15] = [i64::MIN, i64::MIN + 1, -1000, -7, -3, -2, -1, 0, 1, 2, 3, 7, 1000, i64::MAX - 1, i64::MAX];

#[test]
fn floor_division_and_modulo_follow_python() {
    let m = compile(
        "def fdiv(a: int, b: int) -> int:\n    return a // b\n\n\ndef mod(a: int, b: int) -> int:\n    return a % b\n",
    );
    for a in GRID {
        for b in GRID {
            if b == 0 {
                let err = m.int("fdiv", &[a, b]).unwrap_err();
                assert_eq!((err.exc, err.line), (ExcKind::ZeroDivisionError, 2));
                assert_eq!(m.int("mod", &[a, b]).unwrap_err().exc, ExcKind::ZeroDivisionError);
                continue;
            }
            let (a128, b128) = (a as i128, b as i128);
            let r = ((a128 % b128) + b128) % b128;
            let q = (a128 - r) / b128;
            match i64::try_from(q) {
                Ok(q) => assert_eq!(m.int("fdiv", &[a, b]), Ok(q), "{a} // {b}"),
                Err(_) => assert_eq!(m.int("fdiv", &[a, b]).unwrap_err().exc, ExcKind::OverflowError, "{a} // {b}"),
            }
            assert_eq!(m.int("mod", &[a, b]), Ok(r as i64), "{a} % {b}");
        }
    }
}

#[test]
fn overflow_raises_at_the_line_of_the_operation() {
    // Annotated locals: an untyped `c` in arithmetic would be an object (safe inference),
    // and objects need an interpreter this test does not have.
    let m = compile("def f(a: int, b: int) -> int:\n    c: int = a * 2\n    return c + b\n");
    assert_eq!(m.int("f", &[20, 2]), Ok(42));
    let err = m.int("f", &[i64::MAX / 2 + 1, 0]).unwrap_err();
    assert_eq!((err.exc, err.func.as_str(), err.line), (ExcKind::OverflowError, "f", 2));
    assert_eq!(m.int("f", &[i64::MAX / 2, 2]).unwrap_err().line, 3);
}

#[test]
fn recursion_and_recursion_error() {
    let m = compile(
        "def fib(n: int) -> int:\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n\n\ndef down(n: int) -> int:\n    return down(n + 1) + 1\n",
    );
    assert_eq!(m.int("fib", &[20]), Ok(6765));
    assert_eq!(m.int("fib", &[1]), Ok(1));
    let err = m.int("down", &[0]).unwrap_err();
    assert_eq!((err.exc, err.msg.as_str(), err.func.as_str()), (ExcKind::RecursionError, "maximum recursion depth exceeded", "down"));
}

#[test]
fn for_range_with_negative_and_dynamic_steps() {
    let m = compile(concat!(
        "def down(n: int) -> int:\n",
        "    total: int = 0\n",
        "    for i in range(n, 0, -2):\n",
        "        total = total * 10 + i\n",
        "    return total\n",
        "\n\n",
        "def span(a: int, b: int, s: int) -> int:\n",
        "    count: int = 0\n",
        "    last: int = -1\n",
        "    for i in range(a, b, s):\n",
        "        count += 1\n",
        "        last = i\n",
        "    return count * 1000 + last\n",
    ));
    // CPython: down(7) walks 7, 5, 3, 1 -> 7531; down(0) -> 0.
    assert_eq!(m.int("down", &[7]), Ok(7531));
    assert_eq!(m.int("down", &[0]), Ok(0));
    for (a, b, s) in [(0i64, 10i64, 3i64), (10, 0, -3), (5, 5, 1), (-5, 5, 4), (i64::MAX - 10, i64::MAX, 4), (i64::MIN + 10, i64::MIN, -4)] {
        let items: Vec<i128> = {
            let mut v = Vec::new();
            let mut i = a as i128;
            while (s > 0 && i < b as i128) || (s < 0 && i > b as i128) {
                v.push(i);
                i += s as i128;
            }
            v
        };
        let last = items.last().copied().unwrap_or(-1) as i64;
        let want = (items.len() as i64).checked_mul(1000).and_then(|c| c.checked_add(last));
        match want {
            Some(w) => assert_eq!(m.int("span", &[a, b, s]), Ok(w), "range({a}, {b}, {s})"),
            None => assert_eq!(m.int("span", &[a, b, s]).unwrap_err().exc, ExcKind::OverflowError),
        }
    }
    let err = m.int("span", &[0, 5, 0]).unwrap_err();
    assert_eq!((err.exc, err.line), (ExcKind::ValueError, 11));
}

#[test]
fn math_errors_and_float_modulo() {
    let m = compile(concat!(
        "import math\n",
        "\n\n",
        "def root(x: float) -> float:\n",
        "    return math.sqrt(x)\n",
        "\n\n",
        "def fmod(a: float, b: float) -> float:\n",
        "    return a % b\n",
        "\n\n",
        "def grow(x: float) -> float:\n",
        "    return math.exp(x)\n",
    ));
    assert_eq!(m.float("root", &[2.25]), Ok(1.5));
    let err = m.float("root", &[-1.0]).unwrap_err();
    assert_eq!((err.exc, err.msg.as_str(), err.line), (ExcKind::ValueError, "math domain error", 5));
    let err = m.float("grow", &[1000.0]).unwrap_err();
    assert_eq!((err.exc, err.msg.as_str()), (ExcKind::OverflowError, "math range error"));
    // CPython: -7.5 % 2.0 == 0.5, 7.5 % -2.0 == -0.5, 0.0 % -3.0 == -0.0
    assert_eq!(m.float("fmod", &[-7.5, 2.0]), Ok(0.5));
    assert_eq!(m.float("fmod", &[7.5, -2.0]), Ok(-0.5));
    assert!(m.float("fmod", &[0.0, -3.0]).unwrap().is_sign_negative());
    assert_eq!(m.float("fmod", &[1.0, 0.0]).unwrap_err().exc, ExcKind::ZeroDivisionError);
}

/// Issue 7, finding 1: after inlining, a branch on a block parameter was rewritten without
/// looking at where the parameter came from (the entry block's argument, a value-producing
/// `or`), giving wrong answers and invalid CLIF. Expected values are CPython's.
#[test]
fn inlined_calls_keep_branches_on_arguments_and_or_values() {
    let m = compile(
        "def h(p: int) -> int:\n    return p + 1\n\n\n\
         def g(flag: bool, n: int) -> int:\n    if flag:\n        return h(n)\n    return n\n\n\n\
         def k(a: int) -> int:\n    return (a or 5) + h(1)\n\n\n\
         def w(a: int) -> int:\n    i0 = 0\n    while (i0 and a) < 5:\n        i0 = h(i0) + 2\n    return i0\n",
    );
    assert_eq!(m.int("g", &[1, 1]), Ok(2));
    assert_eq!(m.int("g", &[0, 1]), Ok(1));
    assert_eq!(m.int("k", &[3]), Ok(5));
    assert_eq!(m.int("k", &[0]), Ok(7));
    // CPython: a=9 stops when i0 is 3 (3 and 9 == 9); a=1 loops while (i0 and 1) == 1 < 5, forever,
    // so only values of `a` that end the loop are called.
    assert_eq!(m.int("w", &[9]), Ok(3));
    assert_eq!(m.int("w", &[5]), Ok(3));
}

/// Issue 7, finding 8: a Python `int` and a float compare exactly, as in CPython (the
/// expected values are CPython's: `int` and `float` comparisons never round).
#[test]
fn int_float_comparisons_are_exact() {
    let ops = ["==", "!=", "<", "<=", ">", ">="];
    let mut src = String::new();
    for (k, op) in ops.iter().enumerate() {
        src += &format!("def if{k}(i: int, f: float) -> bool:\n    return i {op} f\n\n\ndef fi{k}(f: float, i: int) -> bool:\n    return f {op} i\n\n\n");
    }
    let m = compile(&src);
    let exact = |i: i64, f: f64, op: usize| -> bool {
        if f.is_nan() {
            return op == 1;
        }
        // Exact: compare i with f as rationals; f is finite or infinite.
        let ord = if f == f64::INFINITY {
            std::cmp::Ordering::Less
        } else if f == f64::NEG_INFINITY {
            std::cmp::Ordering::Greater
        } else {
            let fi = f.trunc();
            let whole = if fi >= 9.3e18 { i128::MAX } else if fi <= -9.3e18 { i128::MIN } else { fi as i128 };
            (i as i128).cmp(&whole).then(if f > fi { std::cmp::Ordering::Less } else if f < fi { std::cmp::Ordering::Greater } else { std::cmp::Ordering::Equal })
        };
        use std::cmp::Ordering::*;
        match op {
            0 => ord == Equal,
            1 => ord != Equal,
            2 => ord == Less,
            3 => ord != Greater,
            4 => ord == Greater,
            _ => ord != Less,
        }
    };
    let ints = [i64::MIN, i64::MIN + 1, -(1 << 53) - 1, -3, -1, 0, 1, 2, (1 << 53) - 1, 1 << 53, (1 << 53) + 1, i64::MAX - 512, i64::MAX - 1, i64::MAX];
    let floats = [
        f64::NEG_INFINITY, -9223372036854775808.0, -9007199254740992.0, -2.5, -1.0, -0.0, 0.0, 0.5, 1.0, 2.0,
        9007199254740992.0, 9007199254740994.0, 9223372036854774784.0, 9223372036854775808.0, 1e300, f64::INFINITY, f64::NAN,
    ];
    for &i in &ints {
        for &f in &floats {
            for op in 0..6 {
                let swapped = [0, 1, 4, 5, 2, 3][op];
                let args = [i as u64, f.to_bits()];
                assert_eq!(m.call(&format!("if{op}"), &args).map(|v| v & 1 == 1), Ok(exact(i, f, op)), "{i} {} {f}", ops[op]);
                let args = [f.to_bits(), i as u64];
                assert_eq!(m.call(&format!("fi{op}"), &args).map(|v| v & 1 == 1), Ok(exact(i, f, swapped)), "{f} {} {i}", ops[op]);
            }
        }
    }
}
