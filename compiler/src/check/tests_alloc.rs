//! Check: tests of array creation (`bytearray`, `numpy.empty/zeros/ones`) and view returns,
//! from source to TIR (types, sites, diagnostics), and end to end through the JIT with a
//! fake services table whose "objects" are counted, so that every reference compiled code
//! takes is seen to be released exactly once (on returns, loops and errors).

use super::tests::{check, ok};
use crate::abi::{Ctx, ElemKind, Services, Slot, ViewDesc};
use crate::driver::{jit_compile, CompileOptions, JitArtifact};
use crate::source::{SourceFile, SourceKind};
use crate::syntax::parse_file;
use crate::tir::*;
use std::cell::Cell;

fn func<'m>(m: &'m Module, name: &str) -> &'m Function {
    m.funcs.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no function `{name}`"))
}

fn local_ty(f: &Function, name: &str) -> String {
    f.locals.iter().find(|l| l.name == name).map(|l| l.ty.to_string()).unwrap_or_else(|| panic!("no local `{name}`"))
}

/// (code, snippet, message) of every diagnostic.
fn diags(src: &str) -> Vec<(String, String, String)> {
    let (file, _, d) = check(src);
    d.iter().map(|d| (d.code.name().to_string(), file.snippet(d.primary.span).to_string(), d.message.clone())).collect()
}

fn one_diag(src: &str) -> (String, String, String) {
    let d = diags(src);
    assert_eq!(d.len(), 1, "{src}\n{d:#?}");
    d.into_iter().next().unwrap_or_default()
}

#[test]
fn creations_have_c_contiguous_writable_view_types() {
    let src = "import numpy as np\nimport numpy\n\ndef f(n: int, m: int) -> float:\n    a = np.zeros((n, 3))\n    b = numpy.empty(n, dtype=np.int32)\n    c = np.ones((2, n, m, 1), np.uint8)\n    d = np.zeros(n, dtype=\"f4\")\n    e = np.empty(n, dtype=int)\n    g = np.zeros(n, float)\n    s = bytearray(n)\n    h = np.zeros(shape=(n,), dtype=\"int16\", order=\"C\")\n    return a[0, 0] + b[0] + c[0, 0, 0, 0] + d[0] + e[0] + g[0] + s[0] + h[0]\n";
    let m = ok(src);
    let f = func(&m, "f");
    let tys: Vec<String> = ["a", "b", "c", "d", "e", "g", "s", "h"].iter().map(|n| local_ty(f, n)).collect();
    assert_eq!(tys, ["double[:, ::1]", "int[::1]", "unsigned char[:, :, :, ::1]", "float[::1]", "long[::1]", "double[::1]", "unsigned char[::1]", "short[::1]"]);
    let t = m.to_string();
    // Sites are numbered in order; sizes are `Py_ssize_t`.
    assert!(t.contains("a%2 = new numpy.zeros#0(cast.int_wrap(n%0: int): Py_ssize_t, 3: Py_ssize_t): double[:, ::1]"), "{t}");
    assert!(t.contains("new numpy.empty#1(") && t.contains("new numpy.ones#2(2: Py_ssize_t,") && t.contains("new bytearray#6("), "{t}");
    assert!(t.contains("new numpy.zeros#7("), "{t}");
}

#[test]
fn pyx_declarations_take_created_arrays() {
    let src = "import numpy as np\ncimport numpy as cnp\n\ndef count(int n):\n    cdef unsigned char[:] sieve = bytearray(n)\n    cdef long long[:, ::1] t = np.zeros((n, n), dtype=np.int64)\n    cdef double[:] x = cnp.ones(n)\n    return sieve[0] + t[0, 0] + x[0]\n";
    let file = SourceFile::new("t.pyx", src, SourceKind::Pyx);
    let (parsed, d) = parse_file(&file);
    assert!(d.is_empty(), "{d:#?}");
    let (m, d) = super::check_module(&file, &parsed.expect("parsed"), "t");
    assert!(d.is_empty(), "{:#?}", d.iter().map(|d| d.message.clone()).collect::<Vec<_>>());
    let t = m.to_string();
    // `unsigned char[::1]` relaxed to the declared strided view; NumPy's `int64` is `long`,
    // which goes where `long long` is declared (same machine type).
    assert!(t.contains("sieve%1 = cast.view_relax(new bytearray#0(cast.int_wrap(n%0: int): Py_ssize_t): unsigned char[::1]): unsigned char[:]"), "{t}");
    assert!(t.contains("cast.view_relax(new numpy.zeros#1(") && t.contains("long[:, ::1]): long long[:, ::1]"), "{t}");
    assert!(t.contains("new numpy.ones#2("), "{t}");
}

#[test]
fn returning_views_returns_their_owner() {
    let src = "import cython\nimport numpy as np\n\ndef grid(n: int, m: int):\n    a = np.zeros((n, m))\n    for i in range(n):\n        for j in range(m):\n            a[i, j] = i * m + j\n    return a\n\ndef same(a: cython.double[:]) -> cython.double[:]:\n    b = a\n    return b\n\ndef fresh(n: int) -> \"double[:]\":\n    return np.ones(n)\n";
    let m = ok(src);
    assert_eq!(func(&m, "grid").ret.to_string(), "double[:, ::1]");
    assert_eq!(func(&m, "same").ret.to_string(), "double[:]");
    let t = func(&m, "fresh").to_string();
    assert!(t.contains("return cast.view_relax(new numpy.ones#0("), "{t}");
}

#[test]
fn array_diagnostics_with_spans() {
    let cases: &[(&str, (&str, &str, &str))] = &[
        (
            "import numpy as np\ndef f(n: int) -> float:\n    with nogil:\n        a = np.zeros(n)\n    return 0.0\n",
            ("invalid-control-flow", "np.zeros(n)", "creating an array (`numpy.zeros`) needs the GIL; create it before the `nogil` block"),
        ),
        (
            "import cython\n@cython.nogil\n@cython.cfunc\ndef f(n: int) -> float:\n    a = bytearray(n)\n    return a[0]\n",
            ("invalid-control-flow", "bytearray(n)", "creating an array (`bytearray`) needs the GIL, and `f` is `nogil`"),
        ),
        (
            "import numpy as np\ndef f(n: int) -> float:\n    prev = np.zeros(n)\n    for k in range(3):\n        cur = np.zeros(n)\n        cur[0] = prev[0] + 1.0\n        prev = cur\n    return prev[0]\n",
            ("unsupported-syntax", "prev = cur", "cannot copy `cur`, an array created in a loop, into `prev`; use `cur` itself"),
        ),
        (
            "import cython\n@cython.nogil\ndef f(a: cython.double[:]) -> cython.double[:]:\n    return a\n",
            ("invalid-control-flow", "f", "returning a memoryview needs the GIL, and `f` is `nogil`"),
        ),
        (
            "import numpy as np\ndef f(n: int) -> float:\n    a = np.zeros(n, dtype=np.complex128)\n    return 0.0\n",
            ("unsupported-syntax", "np.complex128", "`complex128` is not a dtype pycc can create arrays of; use a NumPy integer or float type (`np.float64`, `np.int32`, `\"f8\"`, ...)"),
        ),
        (
            "import numpy as np\ndef f(n: int) -> float:\n    a = np.zeros((n, n, n, n, n))\n    return 0.0\n",
            ("unsupported-syntax", "(n, n, n, n, n)", "arrays of 1 to 4 dimensions can be created in compiled code, not 5"),
        ),
        (
            "import numpy as np\ndef f(x: float) -> float:\n    a = np.zeros(x)\n    return 0.0\n",
            ("invalid-operand", "x", "an array size must be an integer, found `double`"),
        ),
        (
            "import numpy as np\ndef f(n: int) -> float:\n    a = np.zeros(n, order=\"F\")\n    return 0.0\n",
            ("unsupported-syntax", "\"F\"", "only `order=\"C\"` arrays can be created in compiled code"),
        ),
        ("def f() -> float:\n    a = bytearray()\n    return 0.0\n", ("unsupported-syntax", "bytearray()", "`bytearray` is only supported with one argument, its size (`bytearray(n)`)")),
    ];
    for (src, want) in cases {
        let d = one_diag(src);
        assert_eq!((d.0.as_str(), d.1.as_str(), d.2.as_str()), *want, "{src}");
    }
    // Not refused: copies of arrays made outside loops, and a looped array used in place.
    ok("import numpy as np\ndef f(n: int) -> float:\n    a = np.zeros(n)\n    b = a\n    s = 0.0\n    for k in range(n):\n        c = np.ones(n)\n        s += c[k] + b[k]\n    return s\n");
}

// ---------------------------------------------------------------------------------------
// End to end through the JIT, with counted fake objects.

/// A fake array object: its reference count and its memory (8-byte aligned).
struct Fake {
    refs: Cell<usize>,
    data: Vec<u64>,
}

thread_local! {
    /// Fake objects alive on this thread (each test runs compiled code on its own thread).
    static LIVE: Cell<isize> = const { Cell::new(0) };
    /// Creations so far on this thread.
    static MADE: Cell<usize> = const { Cell::new(0) };
}

fn live() -> isize {
    LIVE.with(|l| l.get())
}

fn fake_obj(bytes: usize) -> *mut Fake {
    LIVE.with(|l| l.set(l.get() + 1));
    Box::into_raw(Box::new(Fake { refs: Cell::new(1), data: vec![0u64; bytes.div_ceil(8).max(1)] }))
}

extern "C" fn fake_new_array(kind: u32, elem: u32, ndim: u32, shape: *const isize, out: *mut ViewDesc) -> *mut ViewDesc {
    let (Some(kind), Some(&elem)) = (ArrayKind::from_code(kind), ElemKind::ALL.get(elem as usize)) else { return std::ptr::null_mut() };
    // SAFETY: compiled code passes `ndim` sizes.
    let sizes: Vec<isize> = (0..ndim as usize).map(|k| unsafe { *shape.add(k) }).collect();
    if sizes.iter().any(|&n| n < 0) {
        return std::ptr::null_mut();
    }
    let count: usize = sizes.iter().map(|&n| n as usize).product();
    let obj = fake_obj(count * elem.size());
    MADE.with(|m| m.set(m.get() + 1));
    // SAFETY: `obj` was just allocated; `out` is compiled code's descriptor slot.
    unsafe {
        let data = (*obj).data.as_mut_ptr() as *mut u8;
        if kind == ArrayKind::Ones {
            for i in 0..count {
                match elem {
                    ElemKind::F64 => *(data as *mut f64).add(i) = 1.0,
                    ElemKind::I64 => *(data as *mut i64).add(i) = 1,
                    _ => *data.add(i * elem.size()) = 1,
                }
            }
        }
        let mut d = ViewDesc { data, shape: [0; 4], strides: [0; 4], owner: obj.cast() };
        let mut stride = elem.size() as isize;
        for k in (0..sizes.len()).rev() {
            d.shape[k] = sizes[k];
            d.strides[k] = stride;
            stride *= sizes[k];
        }
        out.write(d);
    }
    out
}

extern "C" fn fake_incref(obj: *mut std::ffi::c_void) {
    // SAFETY: compiled code increfs live fake objects (or a parameter's fake owner).
    let f = unsafe { &*(obj as *const Fake) };
    f.refs.set(f.refs.get() + 1);
}

extern "C" fn fake_decref(obj: *mut std::ffi::c_void) {
    if obj.is_null() {
        return;
    }
    // SAFETY: as `fake_incref`; the last reference frees the object.
    unsafe {
        let f = &*(obj as *const Fake);
        let n = f.refs.get();
        assert!(n > 0, "decref of a dead fake object");
        f.refs.set(n - 1);
        if n == 1 {
            drop(Box::from_raw(obj as *mut Fake));
            LIVE.with(|l| l.set(l.get() - 1));
        }
    }
}

static FAKE: Services = Services {
    float_floordiv: crate::helpers::float_floordiv,
    float_mod: crate::helpers::float_mod,
    save_thread: crate::helpers::SERVICES.save_thread,
    restore_thread: crate::helpers::SERVICES.restore_thread,
    new_array: fake_new_array,
    incref: fake_incref,
    decref: fake_decref,
    load_global: crate::helpers::SERVICES.load_global,
    check_kind: crate::helpers::SERVICES.check_kind,
    import_from: crate::helpers::SERVICES.import_from,
    del_global: crate::helpers::SERVICES.del_global,
    unpack: crate::helpers::SERVICES.unpack,
    merge: crate::helpers::SERVICES.merge,
    view_of: crate::helpers::SERVICES.view_of,
};

struct Run {
    art: JitArtifact,
}

fn run(src: &str) -> Run {
    run_with(src, true)
}

fn run_with(src: &str, optimize: bool) -> Run {
    let file = SourceFile::new("t.py", src, SourceKind::Py);
    let mut opts = CompileOptions::new("t");
    opts.verify = true;
    opts.optimize = optimize;
    // The tests run without an interpreter: the imports only declare `np`.
    opts.jit_unit = true;
    Run { art: jit_compile(&file, &opts).unwrap_or_else(|e| panic!("compile failed (optimize={optimize}):\n{e}")) }
}

impl Run {
    /// The result slot, or the error site (`Ctx::ERR_PYTHON` or an index) and its message.
    fn call(&self, name: &str, args: &[Slot]) -> Result<Slot, (u32, String)> {
        let i = self.art.desc.functions.iter().position(|f| f.name == name).unwrap_or_else(|| panic!("no function `{name}`"));
        let here = 0u8;
        let sp = std::hint::black_box(&here) as *const u8 as usize;
        let mut ctx = Ctx::new(sp - 256 * 1024);
        ctx.services = &FAKE;
        let mut out: Slot = 0;
        let status = unsafe { (self.art.entries[i])(&mut ctx, args.as_ptr(), &mut out) };
        if status != 0 {
            let sites = &self.art.desc.error_sites;
            let msg = if ctx.err_site == Ctx::ERR_PYTHON {
                // The traceback site: function and line.
                let site = (ctx.err_args[0] as usize).checked_sub(1).and_then(|i| sites.get(i)).unwrap_or_else(|| panic!("no traceback site"));
                format!("{} line {}", site.func, site.line)
            } else {
                (ctx.err_site as usize).checked_sub(1).and_then(|i| sites.get(i)).map(|s| s.msg.clone()).unwrap_or_default()
            };
            return Err((ctx.err_site, msg));
        }
        Ok(out)
    }

    fn f64(&self, name: &str, args: &[Slot]) -> f64 {
        f64::from_bits(self.call(name, args).unwrap_or_else(|e| panic!("{name}: {e:?}")))
    }
}

const PROGRAMS: &str = "import cython\nimport numpy as np\n\ndef total(n: int, m: int) -> float:\n    a = np.zeros((n, m))\n    for i in range(n):\n        for j in range(m):\n            a[i, j] = i * m + j\n    s = 0.0\n    for i in range(n):\n        for j in range(m):\n            s += a[i, j]\n    return s\n\ndef churn(n: int, k: int) -> float:\n    s = 0.0\n    for r in range(k):\n        a = np.ones(n)\n        m = a.shape[0]\n        b = np.zeros(r + 1)\n        s += a[r % n] + m + b.shape[0]\n    return s\n\ndef fail_late(n: int, i: int) -> float:\n    a = np.ones(n)\n    b = bytearray(n)\n    return a[i] + b[i]\n\ndef bad_size(n: int) -> float:\n    a = np.ones(3)\n    b = np.zeros(n)\n    return a[0] + b[0]\n\ndef grid(n: int):\n    a = np.ones((n, 2))\n    a[n - 1, 1] = 5.0\n    return a\n\ndef same(a: cython.double[:]) -> cython.double[:]:\n    return a\n\ndef sieve(n: int) -> int:\n    s = bytearray(n + 1)\n    count = 0\n    for i in range(2, n + 1):\n        if s[i] == 0:\n            count += 1\n            for j in range(i * i, n + 1, i):\n                s[j] = 1\n    return count\n\ndef early(n: int) -> float:\n    a = np.ones(n)\n    for i in range(n):\n        if i == 2:\n            return a[i] + 10.0\n    return 0.0\n\ndef helper(n: int) -> float:\n    a = np.ones(n)\n    return a[n - 1] + n\n\ndef outer(k: int) -> float:\n    s = 0.0\n    for i in range(k):\n        s += helper(i % 3 + 1)\n    return s\n\ndef back_from_nogil(a: cython.double[:], n: int):\n    b = np.zeros(n)\n    with cython.nogil:\n        if n > 2:\n            return a\n    return b\n";

#[test]
fn created_arrays_compute_and_are_released_once() {
    let r = run(PROGRAMS);
    assert_eq!(live(), 0);
    // Σ_{0..12} = 66.
    assert_eq!(r.f64("total", &[3, 4]), 66.0);
    assert_eq!(live(), 0);
    // Each round: a[r % n] = 1, m = n, b.shape[0] = r + 1: Σ_{r<k} (1 + n + r + 1).
    let (n, k) = (5i64, 100i64);
    assert_eq!(r.f64("churn", &[n as Slot, k as Slot]), (0..k).map(|r| (2 + n + r) as f64).sum::<f64>());
    assert_eq!(live(), 0);
    assert_eq!(r.f64("early", &[5]), 11.0);
    assert_eq!(live(), 0);
    // Primes up to 100: 25.
    assert_eq!(r.call("sieve", &[100]), Ok(25));
    assert_eq!(live(), 0);
    // A small array-making callee, inlined when optimizing: Σ_{i<10} (1 + (i % 3 + 1)).
    for optimize in [false, true] {
        let r = run_with(PROGRAMS, optimize);
        assert_eq!(r.f64("outer", &[10]), (0..10).map(|i| (2 + i % 3) as f64).sum::<f64>());
        assert_eq!(live(), 0);
    }
}

#[test]
fn errors_release_what_was_created() {
    let r = run(PROGRAMS);
    let made = MADE.with(|m| m.get());
    // An IndexError after two creations.
    let err = r.call("fail_late", &[3, 7]).unwrap_err();
    assert_eq!(err.1, "Out of bounds on buffer access (axis 0)");
    assert_eq!(MADE.with(|m| m.get()) - made, 2);
    assert_eq!(live(), 0);
    // The service fails (negative size) after one creation: the reserved error site.
    let line = PROGRAMS.lines().position(|l| l == "    b = np.zeros(n)").unwrap_or(0) + 1;
    assert_eq!(r.call("bad_size", &[-1i64 as Slot]), Err((Ctx::ERR_PYTHON, format!("bad_size line {line}"))));
    assert_eq!(live(), 0);
    assert_eq!(r.f64("bad_size", &[2]), 1.0);
    assert_eq!(live(), 0);
}

#[test]
fn returned_views_are_owner_references() {
    let r = run(PROGRAMS);
    let obj = r.call("grid", &[3]).unwrap_or_else(|e| panic!("{e:?}")) as *mut Fake;
    // The caller holds the only reference to the new array.
    assert_eq!(live(), 1);
    unsafe {
        assert_eq!((*obj).refs.get(), 1);
        let d = (*obj).data.as_ptr() as *const f64;
        assert_eq!((*d.add(5), *d.add(4)), (5.0, 1.0));
    }
    fake_decref(obj.cast());
    assert_eq!(live(), 0);
    // A parameter's owner comes back with one more reference.
    let owner = fake_obj(8);
    let mut data = [0.0f64; 2];
    let d = ViewDesc { data: data.as_mut_ptr().cast(), shape: [2, 0, 0, 0], strides: [8, 0, 0, 0], owner: owner.cast() };
    let back = r.call("same", &[&d as *const ViewDesc as Slot]).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(back as *mut Fake, owner);
    unsafe { assert_eq!((*owner).refs.get(), 2) };
    // Returned from inside a `nogil` block: the reference is taken after the GIL is back,
    // and the function's own array is released.
    let back = r.call("back_from_nogil", &[&d as *const ViewDesc as Slot, 3]).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(back as *mut Fake, owner);
    unsafe { assert_eq!((*owner).refs.get(), 3) };
    let b = r.call("back_from_nogil", &[&d as *const ViewDesc as Slot, 2]).unwrap_or_else(|e| panic!("{e:?}")) as *mut Fake;
    assert_ne!(b, owner);
    unsafe { assert_eq!((*b).refs.get(), 1) };
    fake_decref(b.cast());
    for _ in 0..3 {
        fake_decref(owner.cast());
    }
    assert_eq!(live(), 0);
}
