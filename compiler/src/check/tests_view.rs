//! Check: tests of typed memoryviews and `with nogil:`, from source to TIR (types, checks,
//! diagnostics with their spans) and end to end through the JIT, calling the entry wrappers
//! with `ViewDesc`s built over Rust vectors as the runtime will build them over buffers.
//! Expected values are computed by hand from the vectors (noted where not obvious).

use super::tests::{check, check_pyx, ok};
use crate::abi::{Ctx, Services, Slot, ViewDesc};
use crate::driver::{jit_compile, CompileOptions, JitArtifact};
use crate::source::{SourceFile, SourceKind};
use crate::tir::*;
use std::sync::atomic::{AtomicUsize, Ordering};

pub(super) fn func<'m>(m: &'m Module, name: &str) -> &'m Function {
    m.funcs.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no function `{name}`"))
}

/// The TIR text of one function.
pub(super) fn tir_of(src: &str, name: &str) -> String {
    let m = ok(src);
    let _ = func(&m, name);
    m.to_string()
}

/// (code, snippet, message) of every diagnostic.
pub(super) fn diags(src: &str) -> Vec<(String, String, String)> {
    let (file, _, d) = check(src);
    d.iter().map(|d| (d.code.name().to_string(), file.snippet(d.primary.span).to_string(), d.message.clone())).collect()
}

pub(super) fn one_diag(src: &str) -> (String, String, String) {
    let d = diags(src);
    assert_eq!(d.len(), 1, "{d:#?}");
    d.into_iter().next().unwrap_or_default()
}

const BOUNDS0: &str = ".bounds[IndexError \"Out of bounds on buffer access (axis 0)\"]";

#[test]
fn view_types_resolve_in_every_spelling() {
    let m = ok("import cython\nfrom cython import double\n\ndef f(a: cython.double[:], b: cython.int[:, ::1], c: \"double[:]\", d: \"const cython.uchar[:, :, :]\", e: double[:, :, :, ::1]):\n    pass\n");
    let tys: Vec<String> = func(&m, "f").params.iter().map(|p| p.ty.to_string()).collect();
    assert_eq!(tys, ["double[:]", "int[:, ::1]", "double[:]", "const unsigned char[:, :, :]", "double[:, :, :, ::1]"]);
    let Ty::View(v) = func(&m, "f").params[1].ty else { panic!() };
    assert_eq!(crate::abi::AbiType::of(Ty::View(v)).text(), "view:i32:2:C:w");
    // `.pyx`: C syntax, and `int[:]` is C `int`.
    let (_, m, d) = check_pyx("def f(a: C_int_MV, b: C_const_float_MV):\n    pass\n", &[]);
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(func(&m, "f").params[0].ty.to_string(), "int[:]");
    assert_eq!(func(&m, "f").params[1].ty.to_string(), "const float[:]");
}

#[test]
fn view_type_errors() {
    let d = one_diag("import cython\ndef f(a: cython.double[:, :, :, :, :]):\n    pass\n");
    assert_eq!((d.0.as_str(), d.1.as_str(), d.2.as_str()), ("unsupported-syntax", "cython.double[:, :, :, :, :]", "memoryviews of more than 4 dimensions are not supported"));
    let d = one_diag("import cython\ndef f(a: cython.double[::1, ::1]):\n    pass\n");
    assert_eq!(d.0, "unsupported-syntax");
    assert!(d.2.starts_with("`::1` is only supported on the last axis"), "{}", d.2);
    let d = one_diag("import cython\ndef f(a: cython.bint[:]):\n    pass\n");
    assert_eq!(d.2, "memoryviews of `bint` are not supported; use `unsigned char` or `char`");
    let d = one_diag("import cython\ndef f(a: cython.double[1:]):\n    pass\n");
    assert_eq!((d.0.as_str(), d.2.as_str()), ("unsupported-syntax", "memoryview axes are written `:` (strided) or `::1` (contiguous)"));
    let d = one_diag("def f(a: \"double[:, ::2]\"):\n    pass\n");
    assert_eq!(d.2, "memoryview axis `::2` is not supported; write `:` (strided) or `::1` (contiguous)");
    // A generic builtin is the builtin object type (element types are not checked).
    assert!(diags("def f(a: list[int]):\n    pass\n").is_empty());
}

#[test]
fn index_reads_carry_cythons_default_checks() {
    let t = tir_of("import cython\ndef f(a: cython.double[:], i: int, j: cython.uint) -> float:\n    return a[i] + a[j] + a[2]\n", "f");
    // A signed index wraps and is bounds-checked; an unsigned one and a non-negative
    // constant only need the bounds check.
    assert!(t.contains(&format!("index a%0[cast.int_wrap(i%1: int): Py_ssize_t .wrap{BOUNDS0}]: double")), "{t}");
    assert!(t.contains(&format!("index a%0[cast.int_wrap(j%2: unsigned int): Py_ssize_t {BOUNDS0}]: double")), "{t}");
    assert!(t.contains(&format!("index a%0[2: Py_ssize_t {BOUNDS0}]: double")), "{t}");
    let t = tir_of("import cython\ndef f(m: cython.float[:, ::1], i: cython.Py_ssize_t) -> float:\n    return m[i, -1] + m.shape[1] + len(m) + m.ndim\n", "f");
    assert!(t.contains("index m%0[i%1: Py_ssize_t .wrap.bounds[IndexError \"Out of bounds on buffer access (axis 0)\"], -1: Py_ssize_t .wrap.bounds[IndexError \"Out of bounds on buffer access (axis 1)\"]]: float"), "{t}");
    assert!(t.contains("shape m%0[1]: Py_ssize_t") && t.contains("shape m%0[0]: Py_ssize_t"), "{t}");
}

#[test]
fn directives_from_header_decorators_and_with_blocks() {
    let src = "import cython\n\n@cython.boundscheck(False)\ndef a(v: cython.int[:], i: int) -> int:\n    return v[i]\n\n@cython.wraparound(False)\ndef b(v: cython.int[:], i: int) -> int:\n    return v[i]\n\ndef c(v: cython.int[:], i: int) -> int:\n    with cython.boundscheck(False), cython.wraparound(False):\n        x: cython.int = v[i]\n    return x + v[i]\n";
    let m = ok(src);
    let a = func(&m, "a").to_string();
    assert!(a.contains("Py_ssize_t .wrap]: int") && !a.contains(".bounds"), "{a}");
    let b = func(&m, "b").to_string();
    assert!(b.contains(&format!("Py_ssize_t {BOUNDS0}]: int")) && !b.contains(".wrap"), "{b}");
    // The block's directives end with it.
    let c = func(&m, "c").to_string();
    assert!(c.contains("x%2 = index v%0[cast.int_wrap(i%1: int): Py_ssize_t]: int"), "{c}");
    assert!(c.contains(&format!("Py_ssize_t .wrap{BOUNDS0}]: int")), "{c}");
    // `# cython:` header directives.
    let (_, m, d) = super::tests::check_pyx_with("def f(v: C_int_MV, i: C_int) -> C_int:\n    return v[i]\n", &[], &[("boundscheck", "False"), ("wraparound", "False"), ("initializedcheck", "False"), ("nonecheck", "False")]);
    assert!(d.is_empty(), "{d:#?}");
    let f = func(&m, "f").to_string();
    assert!(f.contains("cast.int_wrap(i%1: int): Py_ssize_t]: int"), "{f}");
}

#[test]
fn stores_and_augmented_stores() {
    let t = tir_of("import cython\ndef f(a: cython.char[:], i: int, x: float) -> None:\n    a[i] = 3\n    a[i * 2] += 1\n", "f");
    assert!(t.contains(&format!("store a%0[cast.int_wrap(i%1: int): Py_ssize_t .wrap{BOUNDS0}] = 3: char")), "{t}");
    // The index is evaluated once, into a temporary; the store does not check the bounds
    // again (the read did).
    assert!(t.contains("$t0%3 = cast.int_wrap(mul.check"), "{t}");
    assert!(t.contains("store a%0[$t0%3: Py_ssize_t .wrap] = cast.int_wrap(add.wrap(cast.int_wrap(index a%0[$t0%3: Py_ssize_t .wrap.bounds"), "{t}");
}

#[test]
fn loops_over_the_shape_need_no_checks() {
    let src = "import cython\ndef f(a: cython.double[:], m: cython.double[:, :]) -> float:\n    s = 0.0\n    for i in range(a.shape[0]):\n        s += a[i]\n    for i in range(len(a) - 1):\n        s += a[i + 1] + a[i + 2]\n    for i in range(0, m.shape[0], 2):\n        for j in range(1, m.shape[1]):\n            s += m[i, j] + m[j, i]\n    return s\n";
    let t = tir_of(src, "f");
    // `i` is inferred as `Py_ssize_t` (the type of the shape).
    assert!(t.contains("index a%0[i%3: Py_ssize_t]: double"), "{t}");
    // `range(len(a) - 1)` leaves room for `i + 1`, not for `i + 2`.
    assert!(t.contains("index a%0[add.wrap(i%3: Py_ssize_t, 1: Py_ssize_t): Py_ssize_t]: double"), "{t}");
    assert!(t.contains(&format!("index a%0[add.wrap(i%3: Py_ssize_t, 2: Py_ssize_t): Py_ssize_t .wrap{BOUNDS0}]: double")), "{t}");
    assert!(t.contains("index m%1[i%3: Py_ssize_t, j%4: Py_ssize_t]: double"), "{t}");
    // `range(1, ...)` leaves room for `j - 1`; swapped axes are not proven.
    let stencil = "import cython\ndef f(u: cython.double[:, :]) -> float:\n    s = 0.0\n    for i in range(1, u.shape[0] - 1):\n        for j in range(1, u.shape[1] - 1):\n            s += u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] + u[i - 2, j]\n    return s\n";
    let st = tir_of(stencil, "f");
    assert_eq!(st.matches(".bounds").count(), 1, "only `i - 2` keeps a check: {st}");
    assert!(t.contains(&format!("index m%1[j%4: Py_ssize_t .wrap{BOUNDS0}")), "{t}");
    // Not provable: the loop variable or the view is assigned in the body, or a negative start.
    for body in ["i = 0\n        s += a[i]", "s += a[i]\n        a = b", "for i in range(2):\n            pass\n        s += a[i]"] {
        let src = format!("import cython\ndef f(a: cython.double[:], b: cython.double[:]) -> float:\n    s = 0.0\n    for i in range(a.shape[0]):\n        {body}\n    return s\n");
        assert!(tir_of(&src, "f").contains(".bounds"), "{body}");
    }
    let t = tir_of("import cython\ndef f(a: cython.double[:]) -> float:\n    s = 0.0\n    for i in range(-1, a.shape[0]):\n        s += a[i]\n    return s\n", "f");
    assert!(t.contains(".wrap.bounds"), "{t}");
}

#[test]
fn view_locals_and_passing_views() {
    let m = ok("import cython\n\ndef g(a: cython.double[:], i: int) -> float:\n    return a[i]\n\ndef h(a: \"const double[:]\") -> float:\n    return a[0]\n\ndef f(a: cython.double[::1]) -> float:\n    b = a\n    c: cython.double[::1] = a\n    return g(a, 0) + g(b, 1) + h(c)\n");
    let t = m.to_string();
    assert!(t.contains("call g#0(cast.view_relax(a%0: double[::1]): double[:], 0: int)"), "{t}");
    assert!(t.contains("call h#1(cast.view_relax(c%2: double[::1]): const double[:])"), "{t}");
    assert_eq!(func(&m, "f").locals[1].ty.to_string(), "double[::1]");
}

#[test]
fn view_diagnostics_with_spans() {
    let cases: &[(&str, (&str, &str, &str))] = &[
        (
            "import cython\ndef f(a: \"const double[:]\") -> None:\n    a[0] = 1.0\n",
            ("invalid-assignment", "a[0]", "cannot assign to an element of `a`, a `const` memoryview (`const double[:]`)"),
        ),
        (
            "import cython\ndef f(a: \"const double[:]\") -> None:\n    a[0] += 1.0\n",
            ("invalid-assignment", "a[0]", "cannot assign to an element of `a`, a `const` memoryview (`const double[:]`)"),
        ),
        (
            "import cython\ndef f(m: cython.double[:, :]) -> float:\n    return m[0]\n",
            ("invalid-assignment", "m[0]", "cannot return `double[:]` from `f`, which returns `double`"),
        ),
        ("import cython\ndef f(a: cython.double[:]) -> float:\n    return a[0, 1]\n", ("invalid-operand", "0, 1", "too many indices for a 1-dimensional memoryview: 2")),
        ("import cython\ndef f(a: cython.double[:]) -> float:\n    return a[0.5]\n", ("invalid-operand", "0.5", "memoryview indices must be integers, found `double`")),
        (
            "import cython\ndef f(a: cython.int[:]) -> None:\n    a[0] = 1.5\n",
            ("invalid-assignment", "1.5", "cannot assign `double` to an element of `a`, which has type `int`"),
        ),
        (
            "import cython\ndef f(a: cython.double[:]) -> object:\n    b = a[1:]\n    return b + 1\n",
            ("unsupported-syntax", "b", "only a whole memoryview (a parameter, an array created here or an object's buffer) can be used as a Python object; a slice of one is not its owner object"),
        ),
        (
            "import cython\ndef f(a: cython.double[:], c: bool) -> float:\n    if c:\n        b = a\n    return b[0]\n",
            ("unsupported-syntax", "b", "the memoryview `b` may be used before it is assigned"),
        ),
        (
            "import cython\ndef f(a: cython.double[:], x: float) -> float:\n    v: cython.double[:]\n    return v[0]\n",
            ("unsupported-syntax", "v", "the memoryview `v` may be used before it is assigned"),
        ),
        (
            "import cython\ndef g(a: cython.double[::1]) -> float:\n    return a[0]\ndef f(a: cython.double[:]) -> float:\n    return g(a)\n",
            ("invalid-assignment", "a", "cannot pass `double[:]` as argument `a` of `g`, which has type `double[::1]`"),
        ),
        (
            "import cython\ndef g(a: cython.double[:]) -> float:\n    return a[0]\ndef f(a: \"const double[:]\") -> float:\n    return g(a)\n",
            ("invalid-assignment", "a", "cannot pass `const double[:]` as argument `a` of `g`, which has type `double[:]`"),
        ),
        ("import cython\ndef f(a: cython.double[:]) -> float:\n    return a.shape[1]\n", ("invalid-operand", "1", "`.shape` of a 1-dimensional memoryview takes a constant index from 0 to 0")),
        ("import cython\ndef f(a: cython.double[:]) -> int:\n    return a.size\n", ("unsupported-syntax", "a.size", "the memoryview attribute `size` is not supported (only `shape[k]` and `ndim`)")),
        ("def f(n: int) -> int:\n    return n[0]\n", ("unsupported-syntax", "n[0]", "a `int` value cannot be indexed")),
    ];
    for (src, want) in cases {
        let d = one_diag(src);
        assert_eq!((d.0.as_str(), d.1.as_str(), d.2.as_str()), *want, "{src}");
    }
    let (file, _, d) = check("import cython\ndef g(a: cython.double[::1]) -> float:\n    return a[0]\ndef f(a: cython.double[:]) -> float:\n    return g(a)\n");
    assert_eq!(d[0].notes, ["a strided memoryview cannot be used where a C-contiguous one (`::1`) is expected"], "{}", file.snippet(d[0].primary.span));
}

#[test]
fn nogil_blocks_lower_and_refuse_gil_calls() {
    let src = "import cython\n\n@cython.cfunc\n@cython.nogil\ndef ok(x: float) -> float:\n    return x\n\n@cython.cfunc\ndef needs(x: float) -> float:\n    return x\n\ndef f(a: cython.double[:]) -> float:\n    s = 0.0\n    with cython.nogil:\n        s = ok(a[0])\n    return s\n";
    let t = tir_of(src, "f");
    assert!(t.contains("  nogil:\n    s%1 = call ok#0(index a%0"), "{t}");
    let bad = src.replace("s = ok(a[0])", "s = ok(needs(a[0]))");
    let d = one_diag(&bad);
    assert_eq!((d.0.as_str(), d.1.as_str(), d.2.as_str()), ("invalid-control-flow", "needs(a[0])", "calling a function that needs the GIL (`needs`) inside a `nogil` block"));
    let nested = src.replace("        s = ok(a[0])", "        with nogil:\n            s = 1.0");
    let d = one_diag(&nested);
    assert_eq!((d.0.as_str(), d.2.as_str()), ("invalid-control-flow", "`with nogil:` inside a `nogil` block: the GIL is already released"));
    let gil = src.replace("        s = ok(a[0])", "        with gil:\n            s = 1.0");
    let d = one_diag(&gil);
    assert_eq!((d.0.as_str(), d.2.as_str()), ("unsupported-syntax", "`with gil:` inside a `nogil` block is not supported yet"));
}

// ---- end to end ----

pub(super) struct Run {
    art: JitArtifact,
}

pub(super) fn run(src: &str) -> Run {
    let file = SourceFile::new("t.py", src, SourceKind::Py);
    let mut opts = CompileOptions::new("t");
    opts.verify = true;
    match jit_compile(&file, &opts) {
        Ok(art) => Run { art },
        Err(e) => panic!("compile failed:\n{e}"),
    }
}

/// A descriptor over `data`: `offset`, `shape` and `strides` in elements.
pub(super) fn desc<T>(data: &mut [T], offset: usize, shape: &[isize], strides: &[isize]) -> ViewDesc {
    let size = std::mem::size_of::<T>() as isize;
    let mut d = ViewDesc { data: data[offset..].as_mut_ptr().cast(), shape: [0; 4], strides: [0; 4], owner: std::ptr::null_mut() };
    for (k, (&n, &s)) in shape.iter().zip(strides).enumerate() {
        d.shape[k] = n;
        d.strides[k] = s * size;
    }
    d
}

pub(super) fn view(d: &ViewDesc) -> Slot {
    d as *const ViewDesc as Slot
}

pub(super) type Raised = (ExcKind, String, u32);

impl Run {
    fn call_with(&self, name: &str, args: &[Slot], services: &Services) -> Result<Slot, Raised> {
        let i = self.art.desc.functions.iter().position(|f| f.name == name).unwrap_or_else(|| panic!("no function `{name}`"));
        let here = 0u8;
        let sp = std::hint::black_box(&here) as *const u8 as usize;
        let mut ctx = Ctx::new(sp - 256 * 1024);
        ctx.services = services;
        let mut out: Slot = 0;
        let status = unsafe { (self.art.entries[i])(&mut ctx, args.as_ptr(), &mut out) };
        if status != 0 {
            let site = &self.art.desc.error_sites[ctx.err_site as usize - 1];
            // As the runtime does: `{0}`/`{1}` are `ctx.err_args`.
            let msg = site.msg.replace("{0}", &ctx.err_args[0].to_string()).replace("{1}", &ctx.err_args[1].to_string());
            return Err((site.exc, msg, site.line));
        }
        Ok(out)
    }

    pub(super) fn call(&self, name: &str, args: &[Slot]) -> Result<Slot, Raised> {
        self.call_with(name, args, &crate::helpers::SERVICES)
    }

    pub(super) fn f64(&self, name: &str, args: &[Slot]) -> f64 {
        f64::from_bits(self.call(name, args).unwrap_or_else(|e| panic!("{name}: {e:?}")))
    }

    pub(super) fn i64(&self, name: &str, args: &[Slot]) -> i64 {
        self.call(name, args).unwrap_or_else(|e| panic!("{name}: {e:?}")) as i64
    }
}

const SUMS: &str = "import cython\n\ndef total(a: cython.double[:]) -> float:\n    s = 0.0\n    for i in range(a.shape[0]):\n        s += a[i]\n    return s\n\ndef at(a: cython.double[:], i: int) -> float:\n    return a[i]\n\ndef at2(m: cython.double[:, :], i: int, j: int) -> float:\n    return m[i, j]\n\ndef at2c(m: cython.double[:, ::1], i: int, j: int) -> float:\n    return m[i, j]\n\ndef at3(t: cython.double[:, :, :], i: int, j: int, k: int) -> float:\n    return t[i, j, k]\n\n@cython.wraparound(False)\ndef nowrap(a: cython.double[:], i: int) -> float:\n    return a[i]\n\ndef unchecked(a: cython.double[:], i: int) -> float:\n    with cython.boundscheck(False):\n        return a[i]\n\ndef dims(m: cython.double[:, :]) -> int:\n    return m.shape[0] * 100 + m.shape[1] * 10 + m.ndim + len(m) * 1000\n";

#[test]
fn reads_through_contiguous_strided_and_negative_strides() {
    let r = run(SUMS);
    let mut data: Vec<f64> = (0..12).map(|i| i as f64).collect();
    let contiguous = desc(&mut data, 0, &[12], &[1]);
    assert_eq!(r.f64("total", &[view(&contiguous)]), 66.0);
    let every_third = desc(&mut data, 1, &[4], &[3]); // 1, 4, 7, 10
    assert_eq!(r.f64("total", &[view(&every_third)]), 22.0);
    assert_eq!(r.f64("at", &[view(&every_third), 2]), 7.0);
    let reversed = desc(&mut data, 11, &[12], &[-1]); // 11, 10, ..., 0
    assert_eq!(r.f64("at", &[view(&reversed), 0]), 11.0);
    assert_eq!(r.f64("at", &[view(&reversed), -1i64 as Slot]), 0.0);
    assert_eq!(r.f64("at", &[view(&reversed), -12i64 as Slot]), 11.0);
    let empty = desc(&mut data, 0, &[0], &[1]);
    assert_eq!(r.f64("total", &[view(&empty)]), 0.0);
    // 2-D: a 3x4 C-ordered matrix, its transpose (strides 1, 4), and a C-contiguous view.
    let m = desc(&mut data, 0, &[3, 4], &[4, 1]);
    let mt = desc(&mut data, 0, &[4, 3], &[1, 4]);
    assert_eq!(r.f64("at2", &[view(&m), 2, 1]), 9.0);
    assert_eq!(r.f64("at2", &[view(&mt), 1, 2]), 9.0);
    assert_eq!(r.f64("at2c", &[view(&m), 1, -1i64 as Slot]), 7.0);
    assert_eq!(r.f64("at2", &[view(&m), -1i64 as Slot, -4i64 as Slot]), 8.0);
    assert_eq!(r.i64("dims", &[view(&m)]), 3000 + 300 + 40 + 2);
    // 3-D: 2x3x2 over the 12 values, and with a negative middle stride.
    let t = desc(&mut data, 0, &[2, 3, 2], &[6, 2, 1]);
    assert_eq!(r.f64("at3", &[view(&t), 1, 2, 0]), 10.0);
    let tn = desc(&mut data, 4, &[2, 3, 2], &[6, -2, 1]); // [i][j][k] = 4 + 6i - 2j + k
    assert_eq!(r.f64("at3", &[view(&tn), 1, 2, 1]), 7.0);
    assert_eq!(r.f64("unchecked", &[view(&contiguous), 5]), 5.0);
    assert_eq!(r.f64("nowrap", &[view(&contiguous), 11]), 11.0);
}

#[test]
fn out_of_bounds_raises_index_error_naming_the_axis() {
    let r = run(SUMS);
    let mut data: Vec<f64> = (0..12).map(|i| i as f64).collect();
    let a = desc(&mut data, 0, &[12], &[1]);
    let oob = |axis: u32, line: u32| (ExcKind::IndexError, format!("Out of bounds on buffer access (axis {axis})"), line);
    assert_eq!(r.call("at", &[view(&a), 12]), Err(oob(0, 10)));
    assert_eq!(r.call("at", &[view(&a), -13i64 as Slot]), Err(oob(0, 10)));
    assert_eq!(r.call("at", &[view(&a), i64::MIN as Slot]), Err(oob(0, 10)));
    let m = desc(&mut data, 0, &[3, 4], &[4, 1]);
    assert_eq!(r.call("at2", &[view(&m), 2, 4]), Err(oob(1, 13)));
    assert_eq!(r.call("at2", &[view(&m), 3, 0]), Err(oob(0, 13)));
    assert_eq!(r.call("at2c", &[view(&m), 0, -5i64 as Slot]), Err(oob(1, 16)));
    let t = desc(&mut data, 0, &[2, 3, 2], &[6, 2, 1]);
    assert_eq!(r.call("at3", &[view(&t), 0, 0, 2]), Err(oob(2, 19)));
    // Without wraparound a negative index is out of bounds (Cython's behaviour).
    assert_eq!(r.call("nowrap", &[view(&a), -1i64 as Slot]), Err(oob(0, 23)));
}

#[test]
fn every_element_type_reads_and_writes() {
    let src = "import cython\n\ndef gi8(a: cython.schar[:], i: int) -> int:\n    a[i] += 1\n    return a[i]\n\ndef gu8(a: cython.uchar[:], i: int) -> int:\n    a[i] += 1\n    return a[i]\n\ndef gi16(a: cython.short[:], i: int) -> int:\n    a[i] += 1\n    return a[i]\n\ndef gu16(a: cython.ushort[:], i: int) -> int:\n    a[i] += 1\n    return a[i]\n\ndef gi32(a: cython.int[:], i: int) -> int:\n    a[i] += 1\n    return a[i]\n\ndef gu32(a: cython.uint[:], i: int) -> int:\n    a[i] += 1\n    return a[i]\n\ndef gi64(a: cython.longlong[:], i: int) -> int:\n    a[i] = a[i] + 1\n    return a[i]\n\ndef gu64(a: cython.ulonglong[:], i: int) -> cython.ulonglong:\n    a[i] = 7\n    return a[i - 1]\n\ndef gf32(a: cython.float[:], i: int) -> float:\n    a[i] *= 2\n    return a[i]\n\ndef gf64(a: cython.double[:], i: int) -> float:\n    a[i] /= 4\n    return a[i]\n";
    let r = run(src);
    macro_rules! case {
        ($name:literal, $t:ty, $init:expr, $want:expr, $after:expr) => {{
            let mut data: Vec<$t> = vec![0 as $t; 4];
            data[2] = $init;
            let d = desc(&mut data, 0, &[4], &[1]);
            assert_eq!(r.i64($name, &[view(&d), 2]), $want, $name);
            let mut want: Vec<$t> = vec![0 as $t; 4];
            want[2] = $after;
            assert_eq!(data, want, $name);
        }};
    }
    // C semantics: the increment wraps in the element type.
    case!("gi8", i8, 127, -128, -128);
    case!("gu8", u8, 255, 0, 0);
    case!("gi16", i16, -2, -1, -1);
    case!("gu16", u16, 65535, 0, 0);
    case!("gi32", i32, i32::MAX, i32::MIN as i64, i32::MIN);
    case!("gu32", u32, 41, 42, 42);
    case!("gi64", i64, -5, -4, -4);
    let mut data: Vec<u64> = vec![u64::MAX, 0, 0];
    let d = desc(&mut data, 0, &[3], &[1]);
    assert_eq!(r.i64("gu64", &[view(&d), 1]), -1); // u64::MAX as a slot
    assert_eq!(data, [u64::MAX, 7, 0]);
    let mut data: Vec<f32> = vec![0.0, 1.25, 0.0];
    let d = desc(&mut data, 0, &[3], &[1]);
    assert_eq!(f64::from_bits(r.call("gf32", &[view(&d), -2i64 as Slot]).unwrap()), 2.5);
    assert_eq!(data, [0.0, 2.5, 0.0]);
    let mut data: Vec<f64> = vec![0.0, 0.0, 3.0];
    let d = desc(&mut data, 0, &[3], &[1]);
    assert_eq!(r.f64("gf64", &[view(&d), 2]), 0.75);
}

#[test]
fn writes_through_strided_views_and_views_passed_on() {
    let src = "import cython\n\n@cython.cfunc\ndef fill(a: cython.double[:], x: float) -> None:\n    for i in range(len(a)):\n        a[i] = x * i\n\ndef outer(m: cython.double[:, ::1], x: float) -> None:\n    b = m\n    for i in range(m.shape[0]):\n        for j in range(m.shape[1]):\n            b[i, j] += x\n\ndef via(a: cython.double[::1], x: float) -> float:\n    fill(a, x)\n    return a[-1]\n\ndef strided(a: cython.double[:], x: float) -> float:\n    fill(a, x)\n    return a[-1]\n";
    let r = run(src);
    let mut data = vec![0.0f64; 8];
    let every_other = desc(&mut data, 1, &[4], &[2]);
    assert_eq!(r.f64("strided", &[view(&every_other), 2.0f64.to_bits()]), 6.0);
    assert_eq!(data, [0.0, 0.0, 0.0, 2.0, 0.0, 4.0, 0.0, 6.0]);
    let mut data = vec![9.0f64; 4];
    let contiguous = desc(&mut data, 0, &[4], &[1]);
    assert_eq!(r.f64("via", &[view(&contiguous), 1.0f64.to_bits()]), 3.0);
    assert_eq!(data, [0.0, 1.0, 2.0, 3.0]);
    let mut data: Vec<f64> = (0..6).map(|i| i as f64).collect();
    let m = desc(&mut data, 0, &[2, 3], &[3, 1]);
    r.call("outer", &[view(&m), 0.5f64.to_bits()]).expect("outer");
    assert_eq!(data, [0.5, 1.5, 2.5, 3.5, 4.5, 5.5]);
}

static SAVED: AtomicUsize = AtomicUsize::new(0);
static RESTORED: AtomicUsize = AtomicUsize::new(0);

extern "C" fn count_save() -> *mut std::ffi::c_void {
    SAVED.fetch_add(1, Ordering::SeqCst);
    // Any non-null thread state (PyEval_SaveThread never returns NULL).
    std::ptr::NonNull::<u8>::dangling().as_ptr().cast()
}

extern "C" fn count_restore(state: *mut std::ffi::c_void) {
    assert!(!state.is_null());
    RESTORED.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn nogil_blocks_restore_the_thread_state_on_every_exit() {
    let services = Services { save_thread: count_save, restore_thread: count_restore, ..crate::helpers::SERVICES };
    let src = "import cython\n\ndef f(a: cython.double[:], mode: int) -> float:\n    s = 0.0\n    for k in range(3):\n        with cython.nogil:\n            if mode == 1:\n                break\n            if mode == 2:\n                continue\n            if mode == 3:\n                return -1.0\n            for i in range(4):\n                if mode == 4 and i == 1:\n                    break\n                s += a[i + mode]\n    return s\n";
    let r = run(src);
    let mut data: Vec<f64> = (0..8).map(|i| i as f64).collect();
    let a = desc(&mut data, 0, &[5], &[1]);
    // (mode, result, how many times the block was entered)
    let cases: [(i64, Result<f64, u32>, usize); 5] = [(0, Ok(18.0), 3), (1, Ok(0.0), 1), (2, Ok(0.0), 3), (3, Ok(-1.0), 1), (4, Ok(12.0), 3)];
    for (mode, want, entered) in cases {
        SAVED.store(0, Ordering::SeqCst);
        RESTORED.store(0, Ordering::SeqCst);
        let got = r.call_with("f", &[view(&a), mode as Slot], &services).map(f64::from_bits).map_err(|e| e.2);
        assert_eq!(got, want, "mode {mode}");
        assert_eq!((SAVED.load(Ordering::SeqCst), RESTORED.load(Ordering::SeqCst)), (entered, entered), "mode {mode}");
    }
    // mode 5: a[0 + 5] is out of bounds on the first pass; the error exit restores.
    SAVED.store(0, Ordering::SeqCst);
    RESTORED.store(0, Ordering::SeqCst);
    let err = r.call_with("f", &[view(&a), 5], &services).expect_err("out of bounds");
    assert_eq!((err.0, err.2), (ExcKind::IndexError, 16));
    assert_eq!((SAVED.load(Ordering::SeqCst), RESTORED.load(Ordering::SeqCst)), (1, 1));
}
