//! Inlining (`codegen/inline.rs`): programs compiled from source with `-O` (inlining on)
//! and `-O0` (no inlining) must give the same results and raise the same errors at the
//! same sites; expected values were computed with CPython (`python3 -c ...`, noted per
//! test) or by hand. One CLIF test checks that an inlined call is gone.

use crate::abi::{Ctx, Slot};
use crate::driver::{self, CompileOptions, Emit, JitArtifact};
use crate::source::{SourceFile, SourceKind};

use super::Raised;
use crate::codegen::inline;

struct Compiled {
    art: JitArtifact,
}

/// `src` is Cython (`.pyx`) when it uses `cdef`, annotated Python otherwise.
fn source_file(src: &str) -> SourceFile {
    if src.contains("cdef ") {
        SourceFile::new("inl.pyx", src, SourceKind::Pyx)
    } else {
        SourceFile::new("inl.py", src, SourceKind::Py)
    }
}

fn compile(src: &str, optimize: bool) -> Compiled {
    let file = source_file(src);
    let mut opts = CompileOptions::new("inl");
    opts.optimize = optimize;
    opts.verify = true;
    Compiled { art: driver::jit_compile(&file, &opts).unwrap_or_else(|e| panic!("{e}")) }
}

impl Compiled {
    fn call(&self, name: &str, args: &[Slot]) -> Result<Slot, Raised> {
        let i = self.art.desc.functions.iter().position(|f| f.name == name).unwrap_or_else(|| panic!("no function `{name}`"));
        let here = 0u8;
        let sp = std::hint::black_box(&here) as *const u8 as usize;
        let mut ctx = Ctx::new(sp - 512 * 1024);
        let mut out: Slot = 0;
        let status = unsafe { (self.art.entries[i])(&mut ctx, args.as_ptr(), &mut out) };
        if status == 0 {
            assert_eq!(ctx.err_site, 0, "ok status with an error site");
            return Ok(out);
        }
        let site = &self.art.desc.error_sites[ctx.err_site as usize - 1];
        Err(Raised { exc: site.exc, msg: site.msg.clone(), func: site.func.clone(), line: site.line })
    }

    fn i64(&self, name: &str, args: &[i64]) -> Result<i64, Raised> {
        let slots: Vec<Slot> = args.iter().map(|&a| a as u64).collect();
        self.call(name, &slots).map(|v| v as i64)
    }

    fn f64(&self, name: &str, args: &[f64]) -> Result<f64, Raised> {
        let slots: Vec<Slot> = args.iter().map(|a| a.to_bits()).collect();
        self.call(name, &slots).map(f64::from_bits)
    }
}

/// Both builds of `src`: (inlining on, inlining off).
fn both(src: &str) -> (Compiled, Compiled) {
    (compile(src, true), compile(src, false))
}

fn clif(src: &str, optimize: bool) -> String {
    let file = source_file(src);
    let mut opts = CompileOptions::new("inl");
    opts.optimize = optimize;
    opts.verify = true;
    driver::emit_text(&file, &opts, Emit::Clif).unwrap_or_else(|e| panic!("{e}"))
}

/// The CLIF text of one function (`__pycc_fn_<name>`) in a module dump.
fn function_clif<'a>(text: &'a str, name: &str) -> &'a str {
    let head = format!("; __pycc_fn_{name}\n");
    let start = text.find(&head).unwrap_or_else(|| panic!("no `{name}` in the dump"));
    let rest = &text[start + head.len()..];
    let end = rest.find("\n; ").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

/// The calls of compiled functions in a function's CLIF: those passing the caller's `ctx`
/// (`v0`) first (libm calls take only floats).
fn calls_with_ctx(body: &str) -> usize {
    body.lines().filter(|l| l.split_once("call fn").is_some_and(|(_, rest)| rest.split_once('(').is_some_and(|(_, a)| a.starts_with("v0,")))).count()
}

const HELPER_IN_LOOP: &str = "\
cdef inline long sq(long x):
    return x * x

cdef long add3(long a, long b, long c):
    return a + b + c

def sum_squares(long n):
    cdef long total = 0
    cdef long i
    for i in range(n):
        total = add3(total, sq(i), 1)
    return total
";

#[test]
fn inline_helper_in_a_loop() {
    let (on, off) = both(HELPER_IN_LOOP);
    // python3: sum(i*i + 1 for i in range(n)) for n in (0, 1, 10, 1000)
    for (n, want) in [(0, 0), (1, 1), (10, 295), (1000, 332_834_500)] {
        assert_eq!(on.i64("sum_squares", &[n]), Ok(want), "n={n}");
        assert_eq!(off.i64("sum_squares", &[n]), Ok(want), "n={n}");
    }
}

#[test]
fn inlined_call_disappears_from_clif() {
    let optimized = clif(HELPER_IN_LOOP, true);
    let body = function_clif(&optimized, "sum_squares");
    assert!(!body.contains("call fn"), "calls left in the optimized `sum_squares`:\n{body}");
    // Without optimization both calls stay.
    let plain = clif(HELPER_IN_LOOP, false);
    let body = function_clif(&plain, "sum_squares");
    assert_eq!(body.matches("call fn").count(), 2, "`sum_squares` at -O0:\n{body}");
}

const FIB: &str = "\
def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
";

#[test]
fn fib_is_inlined_two_levels_into_itself() {
    let (on, off) = both(FIB);
    // python3: [fib(n) for n in (0, 1, 2, 10, 25, 40)] (40 only at -O: 300M calls at -O0 is slow)
    for (n, want) in [(0, 0), (1, 1), (2, 1), (10, 55), (25, 75025), (-3, -3)] {
        assert_eq!(on.i64("fib", &[n]), Ok(want), "n={n}");
        assert_eq!(off.i64("fib", &[n]), Ok(want), "n={n}");
    }
    assert_eq!(on.i64("fib", &[40]), Ok(102_334_155));
    // Two self-calls, each replaced by a copy of the body holding two calls, whose calls
    // are replaced once more (`RECURSIVE_LEVELS`): 8 calls.
    let text = clif(FIB, true);
    let body = function_clif(&text, "fib");
    assert_eq!(body.matches("call fn").count(), 2 << inline::RECURSIVE_LEVELS, "`fib` at -O:\n{body}");
}

#[test]
fn deep_recursion_still_raises_recursion_error() {
    // The inlined copy keeps the prologue's stack check; the outer body keeps its own.
    let src = "\
def depth(n: int) -> int:
    if n == 0:
        return 0
    return depth(n - 1) + 1
";
    let (on, off) = both(src);
    assert_eq!(on.i64("depth", &[1000]), Ok(1000));
    assert_eq!(off.i64("depth", &[1000]), Ok(1000));
    for m in [&on, &off] {
        let err = m.i64("depth", &[100_000_000]).expect_err("stack limit");
        assert_eq!(err.exc, crate::tir::ExcKind::RecursionError);
        assert_eq!((err.func.as_str(), err.line), ("depth", 1));
    }
}

#[test]
fn mutual_recursion() {
    let src = "\
cdef bint is_odd(long n):
    if n == 0:
        return False
    return is_even(n - 1)

cdef bint is_even(long n):
    if n == 0:
        return True
    return is_odd(n - 1)

def parity(long n):
    return 1 if is_even(n) else 0
";
    let (on, off) = both(src);
    for (n, want) in [(0, 1), (1, 0), (7, 0), (10, 1), (1001, 0)] {
        assert_eq!(on.i64("parity", &[n]), Ok(want), "n={n}");
        assert_eq!(off.i64("parity", &[n]), Ok(want), "n={n}");
    }
}

#[test]
fn error_in_an_inlined_callee_keeps_the_callee_site() {
    // Python ints (annotated `.py`): checked `//` and `*`.
    let src = "\
def div(a: int, b: int) -> int:
    return a // b

def twice(x: int) -> int:
    return 2 * x

def f(a: int, b: int) -> int:
    r = div(a, b)
    return twice(r) + 1
";
    let (on, off) = both(src);
    // python3: 2 * (7 // -2) + 1 == -7; 2 * (4611686018427387904 // 1) overflows int64
    for m in [&on, &off] {
        assert_eq!(m.i64("f", &[7, -2]), Ok(-7));
        let err = m.i64("f", &[7, 0]).expect_err("division by zero");
        assert_eq!(err.exc, crate::tir::ExcKind::ZeroDivisionError);
        assert_eq!((err.func.as_str(), err.line), ("div", 2));
        let err = m.i64("f", &[1 << 62, 1]).expect_err("overflow");
        assert_eq!(err.exc, crate::tir::ExcKind::OverflowError);
        assert_eq!((err.func.as_str(), err.line), ("twice", 5));
    }
    let text = clif(src, true);
    let body = function_clif(&text, "f");
    assert_eq!(calls_with_ctx(body), 0, "calls left in `f`:\n{body}");
}

#[test]
fn callee_using_libm_and_float_modulo() {
    let src = "\
from libc.math cimport sin, sqrt

cdef inline double g(double x, double m):
    return sin(x) + sqrt(x) + x % m

def h(double x, double m):
    return g(x, m) + g(x + 1.0, m)
";
    let (on, off) = both(src);
    // python3: import math; g=lambda x,m: math.sin(x)+math.sqrt(x)+x%m; g(x,m)+g(x+1.0,m)
    for (x, m, want) in [(2.5, 1.5, 5.199_656_439_885_497), (10.0, -3.0, 1.934_891_133_083_705_7)] {
        let a = on.f64("h", &[x, m]).expect("ok");
        let b = off.f64("h", &[x, m]).expect("ok");
        assert_eq!(a.to_bits(), b.to_bits(), "x={x} m={m}");
        assert!((a - want).abs() < 1e-12, "x={x} m={m}: {a} vs {want}");
    }
    let err = on.f64("h", &[2.0, 0.0]).expect_err("modulo by zero");
    assert_eq!(err.exc, crate::tir::ExcKind::ZeroDivisionError);
    assert_eq!((err.func.as_str(), err.line), ("g", 4));
    let text = clif(src, true);
    let body = function_clif(&text, "h");
    assert_eq!(calls_with_ctx(body), 0, "`g` not inlined into `h`:\n{body}");
    // Cython's float `%` is `fmod` and an adjustment (a libm call, as `sin` and `sqrt`).
    assert!(body.matches("call fn").count() >= 4, "the libm calls (`sin`, `fmod`) are inlined into `h`:\n{body}");
}
