//! Check: end-to-end tests. Python sources go through `driver::jit_compile` and are called
//! through their entry wrappers, as the runtime calls them. Expected values were computed
//! by CPython 3.11 on the same source (each is noted where it is not obvious).

use crate::abi::{AbiType, Ctx, Slot};
use crate::driver::{jit_compile, CompileOptions, JitArtifact};
use crate::source::{SourceFile, SourceKind};
use crate::tir::ExcKind;

#[derive(Clone, Copy, Debug, PartialEq)]
enum V {
    I(i64),
    F(f64),
    B(bool),
    None,
}

struct Run {
    art: JitArtifact,
}

fn run(src: &str) -> Run {
    let file = SourceFile::new("t.py", src, SourceKind::Py);
    let mut opts = CompileOptions::new("t");
    opts.verify = true;
    // No interpreter here: the imports only declare what `math` means.
    opts.jit_unit = true;
    match jit_compile(&file, &opts) {
        Ok(art) => Run { art },
        Err(e) => panic!("compile failed:\n{e}"),
    }
}

impl Run {
    /// Calls `name`; an exception comes back as (kind, message, line).
    fn call(&self, name: &str, args: &[V]) -> Result<V, (ExcKind, String, u32)> {
        let i = self.art.desc.functions.iter().position(|f| f.name == name).unwrap_or_else(|| panic!("no function `{name}`"));
        let desc = &self.art.desc.functions[i];
        assert_eq!(desc.params.len(), args.len(), "arity of `{name}`");
        let slots: Vec<Slot> = args
            .iter()
            .map(|a| match a {
                V::I(v) => *v as u64,
                V::F(f) => f.to_bits(),
                V::B(b) => u64::from(*b),
                V::None => 0,
            })
            .collect();
        let here = 0u8;
        let sp = std::hint::black_box(&here) as *const u8 as usize;
        let mut ctx = Ctx::new(sp - 256 * 1024);
        let mut out: Slot = 0;
        let status = unsafe { (self.art.entries[i])(&mut ctx, slots.as_ptr(), &mut out) };
        if status != 0 {
            let site = &self.art.desc.error_sites[ctx.err_site as usize - 1];
            return Err((site.exc, site.msg.clone(), site.line));
        }
        Ok(match desc.ret {
            AbiType::F64 | AbiType::F32 => V::F(f64::from_bits(out)),
            AbiType::Bool => V::B(out != 0),
            AbiType::Void => V::None,
            _ => V::I(out as i64),
        })
    }

    fn ok(&self, name: &str, args: &[V]) -> V {
        self.call(name, args).unwrap_or_else(|e| panic!("`{name}{args:?}` raised {e:?}"))
    }

    fn err(&self, name: &str, args: &[V]) -> (ExcKind, String, u32) {
        match self.call(name, args) {
            Ok(v) => panic!("`{name}{args:?}` returned {v:?}, expected an exception"),
            Err(e) => e,
        }
    }
}

use V::*;

#[test]
fn examples_compile_and_agree_with_cpython() {
    let mandel = run(include_str!("../../../examples/mandelbrot.py"));
    // CPython: mandelbrot(30, 20, 50) == 160
    assert_eq!(mandel.ok("mandelbrot", &[I(30), I(20), I(50)]), I(160));
    let primes = run(include_str!("../../../examples/primes.py"));
    assert_eq!(primes.ok("count_primes", &[I(1000)]), I(168));
}

#[test]
fn recursion_and_loops() {
    let r = run("def fib(n: int) -> int:\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n\ndef fib_iter(n: int):\n    a: int = 0\n    b: int = 1\n    for i in range(n):\n        a, b = b, a + b\n    return a\n\ndef down(n: int):\n    t: int = 0\n    for i in range(n, 0, -3):\n        t += i * i\n    return t\n\ndef deep(n: int) -> int:\n    return deep(n + 1)\n");
    assert_eq!(r.ok("fib", &[I(20)]), I(6765));
    // CPython: fib_iter(90) == 2880067194370816120, down(100) == 116161
    assert_eq!(r.ok("fib_iter", &[I(90)]), I(2880067194370816120));
    assert_eq!(r.ok("down", &[I(100)]), I(116161));
    assert_eq!(r.err("deep", &[I(0)]).0, ExcKind::RecursionError);
}

#[test]
fn python_division_and_its_errors() {
    let r = run("def fd(a: int, b: int):\n    return a // b\n\ndef md(a: int, b: int):\n    return a % b\n\ndef ffd(a: float, b: float):\n    return a // b\n\ndef fmd(a: float, b: float):\n    return a % b\n\ndef div(a: int, b: int):\n    return a / b\n\ndef half():\n    return 2 ** -1\n");
    assert_eq!(r.ok("fd", &[I(-7), I(2)]), I(-4));
    assert_eq!(r.ok("md", &[I(-7), I(2)]), I(1));
    assert_eq!(r.ok("fd", &[I(7), I(-2)]), I(-4));
    assert_eq!(r.ok("md", &[I(7), I(-2)]), I(-1));
    assert_eq!(r.ok("ffd", &[F(-7.5), F(2.0)]), F(-4.0));
    assert_eq!(r.ok("fmd", &[F(-7.5), F(2.0)]), F(0.5));
    assert_eq!(r.ok("div", &[I(7), I(2)]), F(3.5));
    assert_eq!(r.ok("half", &[]), F(0.5));
    assert_eq!(r.err("fd", &[I(1), I(0)]), (ExcKind::ZeroDivisionError, "integer division or modulo by zero".to_string(), 2));
    assert_eq!(r.err("md", &[I(1), I(0)]), (ExcKind::ZeroDivisionError, "integer modulo by zero".to_string(), 5));
    assert_eq!(r.err("fmd", &[F(1.0), F(0.0)]).1, "float modulo");
    assert_eq!(r.err("div", &[I(1), I(0)]).1, "division by zero");
    assert_eq!(r.err("fd", &[I(i64::MIN), I(-1)]).0, ExcKind::OverflowError);
}

#[test]
fn checked_python_ints_and_wrapping_c_ints() {
    let r = run("import cython\ndef sq(n: int):\n    return n * n\n\ndef csq(n: cython.int):\n    return n * n\n\ndef narrow(n: int) -> cython.int:\n    return n\n\ndef p(n: int, k: int):\n    return n ** k\n");
    assert_eq!(r.ok("sq", &[I(1 << 31)]), I(1 << 62));
    assert_eq!(r.err("sq", &[I(1 << 32)]).0, ExcKind::OverflowError);
    // C `int` wraps: 65536 * 65536 == 2**32 == 0 (mod 2**32).
    assert_eq!(r.ok("csq", &[I(65536)]), I(0));
    assert_eq!(r.ok("narrow", &[I(-5)]), I(-5));
    assert_eq!(r.err("narrow", &[I(1 << 40)]), (ExcKind::OverflowError, "value too large to convert to int".to_string(), 9));
    assert_eq!(r.ok("p", &[I(3), I(4)]), I(81));
    assert_eq!(r.err("p", &[I(3), I(-1)]).0, ExcKind::ValueError);
}

#[test]
fn operand_semantics() {
    let r = run("def first(a: int, b: int):\n    return a or b\n\ndef both(a: int, b: float):\n    return a and b\n\ndef between(a: int, b: int, c: int) -> bool:\n    return a < b <= c\n\ndef pick(a: int, x: float):\n    return x if a > 0 else a\n\ndef lo(a: int, b: float):\n    return min(a, b, 2)\n");
    assert_eq!(r.ok("first", &[I(0), I(5)]), I(5));
    assert_eq!(r.ok("first", &[I(3), I(5)]), I(3));
    assert_eq!(r.ok("both", &[I(0), F(2.5)]), F(0.0));
    assert_eq!(r.ok("both", &[I(1), F(2.5)]), F(2.5));
    assert_eq!(r.ok("between", &[I(1), I(2), I(2)]), B(true));
    assert_eq!(r.ok("between", &[I(1), I(3), I(2)]), B(false));
    assert_eq!(r.ok("pick", &[I(-2), F(0.5)]), F(-2.0));
    assert_eq!(r.ok("lo", &[I(3), F(1.5)]), F(1.5));
}

#[test]
fn math_and_conversions() {
    let r = run("import math\nfrom math import sqrt\n\ndef root(x: float):\n    return sqrt(x)\n\ndef fl(x: float):\n    return math.floor(x)\n\ndef to_int(x: float):\n    return int(x)\n\ndef e(x: float):\n    return math.exp(x)\n\ndef circle(r: float):\n    return math.pi * r ** 2\n");
    assert_eq!(r.ok("root", &[F(2.25)]), F(1.5));
    assert_eq!(r.err("root", &[F(-1.0)]), (ExcKind::ValueError, "math domain error".to_string(), 5));
    assert_eq!(r.ok("fl", &[F(-2.5)]), I(-3));
    assert_eq!(r.err("fl", &[F(f64::NAN)]).1, "cannot convert float NaN to integer");
    assert_eq!(r.ok("to_int", &[F(-2.7)]), I(-2));
    assert_eq!(r.err("to_int", &[F(f64::INFINITY)]).0, ExcKind::OverflowError);
    assert_eq!(r.err("e", &[F(1000.0)]), (ExcKind::OverflowError, "math range error".to_string(), 14));
    assert_eq!(r.ok("circle", &[F(1.0)]), F(std::f64::consts::PI));
}

#[test]
fn calls_with_keywords_and_defaults() {
    let r = run("def g(x: float, n: int = 2, scale: float = 1.0) -> float:\n    return x * n * scale\n\ndef f(x: float) -> float:\n    return g(x) + g(x, scale=10.0) + g(n=1, x=x)\n\ndef loop(n: int) -> None:\n    for i in range(0, n, 0 * n):\n        pass\n");
    // 2x + 20x + x == 23x
    assert_eq!(r.ok("f", &[F(1.5)]), F(34.5));
    assert_eq!(r.err("loop", &[I(3)]), (ExcKind::ValueError, "range() arg 3 must not be zero".to_string(), 8));
}

/// A `.pyx`-like module (see `tests::check_pyx`), JIT-compiled.
fn run_pyx(src: &str, decls: &[(&str, crate::tir::FuncKind)], directives: &[(&str, &str)]) -> Run {
    let (file, m, d) = super::tests::check_pyx_with(src, decls, directives);
    assert!(d.is_empty(), "{d:#?}");
    assert!(super::tests::well_typed(&m).is_empty());
    let mut opts = CompileOptions::new("t");
    opts.verify = true;
    let art = crate::backend::jit::compile(&m, &file, &opts).unwrap_or_else(|e| panic!("{e}"));
    Run { art }
}

#[test]
fn pyx_examples_semantics() {
    use crate::tir::FuncKind::*;
    // examples/fib.pyx, with the declarations written as the `.pyx` front end produces them.
    let fib = run_pyx(
        "def fib_c(n: C_int) -> C_long:\n    if n < 2:\n        return n\n    return fib_c(n - 1) + fib_c(n - 2)\n\ndef fib(n: C_int):\n    return fib_c(n)\n\ndef fib_iter(n: C_int) -> C_long:\n    a: C_long = 0\n    b: C_long = 1\n    i: C_int\n    for i in range(n):\n        a, b = b, a + b\n    return a\n",
        &[("fib_c", Cdef), ("fib_iter", Cpdef)],
        &[("language_level", "3")],
    );
    assert_eq!(fib.ok("fib", &[I(20)]), I(6765));
    assert_eq!(fib.ok("fib_iter", &[I(90)]), I(2880067194370816120));
    // C `long` wraps where Python would grow: fib(93) = 12200160415121876738 > 2**63.
    assert_eq!(fib.ok("fib_iter", &[I(93)]), I(12200160415121876738u64 as i64));
    // examples/integrate.pyx: `cdivision`, libc.math, `for i from 1 <= i < n`.
    let integ = run_pyx(
        "from libc.math import sin, exp, sqrt\n\ndef f(x: C_double) -> C_double:\n    return sin(x) * exp(-x * 0.1) + sqrt(x)\n\ndef trapezoid(a: C_double, b: C_double, n: C_int):\n    h: C_double = (b - a) / n\n    total: C_double = 0.5 * (f(a) + f(b))\n    i: C_int\n    for i in range(1, n):\n        total += f(a + i * h)\n    return total * h\n\ndef cdiv(a: C_int, b: C_int) -> C_int:\n    return a // b + a % b\n",
        &[("f", Cdef)],
        &[("cdivision", "True")],
    );
    // CPython on the translated source: trapezoid(0.0, 10.0, 1000) == 22.39716899143265
    let V::F(v) = integ.ok("trapezoid", &[F(0.0), F(10.0), I(1000)]) else { panic!() };
    assert!((v - 22.39716899143265).abs() < 1e-9, "{v}");
    // cdivision: C truncation, -7 // 2 == -3 and -7 % 2 == -1 (Python: -4 and 1, sum -3).
    assert_eq!(integ.ok("cdiv", &[I(-7), I(2)]), I(-4));
}
