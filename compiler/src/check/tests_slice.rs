//! Check: tests of memoryview slicing, fills and copies: result types and contiguity,
//! diagnostics, and end to end through the JIT over Rust-built `ViewDesc`s, compared with
//! Python's slice semantics computed here by [`indices`] (a transcription of
//! `slice.indices(len)` and `range(start, stop, step)`).

use super::tests_view::{desc, diags, func, one_diag, run, tir_of, view};
use crate::tir::*;

/// Python's `range(*slice(start, stop, step).indices(len))` as a list of indices.
fn indices(len: i64, start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> Vec<i64> {
    let step = step.unwrap_or(1);
    assert_ne!(step, 0);
    let adjust = |v: Option<i64>, default: i64| -> i64 {
        match v {
            None => default,
            Some(mut v) => {
                if v < 0 {
                    v += len;
                    if v < 0 {
                        v = if step < 0 { -1 } else { 0 };
                    }
                } else if v >= len {
                    v = if step < 0 { len - 1 } else { len };
                }
                v
            }
        }
    };
    let start = adjust(start, if step < 0 { len - 1 } else { 0 });
    let stop = adjust(stop, if step < 0 { -1 } else { len });
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        out.push(i);
        i += step;
    }
    out
}

#[test]
fn reference_indices_match_python() {
    // Values from CPython: list(range(10))[s] for each slice s.
    assert_eq!(indices(10, Some(2), Some(8), Some(3)), [2, 5]);
    assert_eq!(indices(10, None, None, Some(-1)), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    assert_eq!(indices(10, Some(-3), None, None), [7, 8, 9]);
    assert_eq!(indices(10, Some(-20), Some(3), Some(-1)), Vec::<i64>::new());
    assert_eq!(indices(10, Some(3), Some(-20), Some(-1)), [3, 2, 1, 0]);
    assert_eq!(indices(10, Some(20), None, Some(-4)), [9, 5, 1]);
    assert_eq!(indices(0, None, None, Some(-1)), Vec::<i64>::new());
}

fn view_ty_of(src: &str, name: &str, local: &str) -> String {
    let m = super::tests::ok(src);
    let f = func(&m, name);
    f.locals.iter().find(|l| l.name == local).unwrap_or_else(|| panic!("no local `{local}`")).ty.to_string()
}

#[test]
fn slice_types_and_contiguity() {
    let cases: &[(&str, &str, &str)] = &[
        ("a: cython.double[::1]", "a[1:]", "double[::1]"),
        ("a: cython.double[::1]", "a[:k]", "double[::1]"),
        ("a: cython.double[::1]", "a[::1]", "double[::1]"),
        ("a: cython.double[::1]", "a[::2]", "double[:]"),
        ("a: cython.double[::1]", "a[::-1]", "double[:]"),
        ("a: cython.double[::1]", "a[::k]", "double[:]"),
        ("a: cython.double[:]", "a[1:]", "double[:]"),
        ("a: cython.double[::1]", "a[...]", "double[::1]"),
        ("a: cython.double[:, ::1]", "a[k]", "double[::1]"),
        ("a: cython.double[:, ::1]", "a[k, :]", "double[::1]"),
        ("a: cython.double[:, ::1]", "a[k, 1:]", "double[::1]"),
        ("a: cython.double[:, ::1]", "a[1:3]", "double[:, ::1]"),
        ("a: cython.double[:, ::1]", "a[:, 1:]", "double[:, :]"),
        ("a: cython.double[:, ::1]", "a[::2, :]", "double[:, :]"),
        ("a: cython.double[:, ::1]", "a[:, k]", "double[:]"),
        ("a: cython.double[:, ::1]", "a[1:, ::2]", "double[:, :]"),
        ("a: cython.double[:, :]", "a[k]", "double[:]"),
        ("a: cython.double[:, :, ::1]", "a[..., 0]", "double[:, :]"),
        ("a: cython.double[:, :, ::1]", "a[0, ...]", "double[:, ::1]"),
        ("a: \"const int[:, ::1]\"", "a[k]", "const int[::1]"),
    ];
    for (param, expr, want) in cases {
        let src = format!("import cython\ndef f({param}, k: int) -> None:\n    b = {expr}\n");
        assert_eq!(view_ty_of(&src, "f", "b"), *want, "{param}: {expr}");
    }
}

#[test]
fn slice_tir_text() {
    let t = tir_of("import cython\ndef f(m: cython.double[:, :], i: int, k: int) -> float:\n    return m[i, 1:k:2][0] + m[i][k]\n", "f");
    assert!(
        t.contains("slice m%0: double[:, :][cast.int_wrap(i%1: int): Py_ssize_t .wrap.bounds[IndexError \"Index out of bounds (axis 0)\"], 1: Py_ssize_t:cast.int_wrap(k%2: int): Py_ssize_t:2: Py_ssize_t]: double[:]"),
        "{t}"
    );
    // A runtime step carries its zero check.
    let t = tir_of("import cython\ndef f(a: cython.double[:], s: int) -> float:\n    return a[::s][0]\n", "f");
    assert!(t.contains(".step0[ValueError \"Step may not be zero (axis 0)\"]"), "{t}");
    // Without wraparound/boundscheck the integer axis is unchecked.
    let t = tir_of("import cython\n@cython.boundscheck(False)\n@cython.wraparound(False)\ndef f(m: cython.double[:, :], i: int) -> float:\n    return m[i][0]\n", "f");
    assert!(t.contains("slice m%0: double[:, :][cast.int_wrap(i%1: int): Py_ssize_t, :]"), "{t}");
    let t = tir_of("import cython\ndef f(a: cython.double[:], b: cython.double[:]) -> None:\n    a[:] = 1\n    a[1:] = b[:3]\n    a[...] = b\n", "f");
    assert!(t.contains("fill a%0: double[:] = 1.0: double"), "{t}");
    assert!(t.contains("copy slice a%0: double[:][1: Py_ssize_t:]: double[:] = slice b%1: double[:][:3: Py_ssize_t]: double[:] .extents[ValueError"), "{t}");
    assert!(t.contains("copy a%0: double[:] = b%1: double[:]"), "{t}");
}

#[test]
fn slice_diagnostics() {
    let cases: &[(&str, (&str, &str, &str))] = &[
        ("def f(a: \"double[:]\") -> None:\n    b = a[::0]\n", ("invalid-operand", "0", "slice step cannot be zero")),
        ("def f(a: \"double[:]\") -> None:\n    b = a[1:, :]\n", ("invalid-operand", "1:, :", "too many indices for a 1-dimensional memoryview: 2")),
        ("def f(a: \"double[:]\") -> None:\n    b = a[1.5:]\n", ("invalid-operand", "1.5", "slice indices must be integers, found `double`")),
        ("def f(a: \"double[:]\") -> None:\n    b = a[..., ...]\n", ("invalid-operand", "..., ...", "an index can only have a single ellipsis (`...`)")),
        (
            "def f(a: \"double[:]\") -> None:\n    b = a[..., 0]\n",
            ("unsupported-syntax", "..., 0", "0-dimensional memoryviews are not supported; index every axis without `...`"),
        ),
        (
            "def f(a: \"const double[:]\") -> None:\n    a[:] = 0.0\n",
            ("invalid-assignment", "a[:]", "cannot assign to an element of `a`, a `const` memoryview (`const double[:]`)"),
        ),
        (
            "def f(a: \"double[:]\", b: \"int[:]\") -> None:\n    a[:] = b\n",
            ("invalid-assignment", "b", "cannot copy a `int[:]` memoryview into `double[:]`: the element type and number of dimensions must match"),
        ),
        (
            "def f(a: \"double[:]\", b: \"double[:]\") -> None:\n    a[0] = b\n",
            ("invalid-operand", "b", "a memoryview (`double[:]`) cannot be used here; index it (`a[i]`)"),
        ),
        (
            "def f(a: \"double[:]\") -> None:\n    a[1:] += 1.0\n",
            ("unsupported-syntax", "a[1:] += 1.0", "augmented assignment to a memoryview slice is not supported; loop over the elements"),
        ),
        (
            "import cython\ndef g(a: cython.double[::1]) -> float:\n    return a[0]\ndef f(a: cython.double[::1]) -> float:\n    return g(a[::2])\n",
            ("invalid-assignment", "a[::2]", "cannot pass `double[:]` as argument `a` of `g`, which has type `double[::1]`"),
        ),
    ];
    for (src, want) in cases {
        let d = one_diag(src);
        assert_eq!((d.0.as_str(), d.1.as_str(), d.2.as_str()), *want, "{src}");
    }
    assert!(diags("def f(a: \"double[:]\") -> None:\n    b = a[1:]\n    c = a[::-1]\n    b = c\n").is_empty());
}

// ---- end to end ----

/// Sums `b[i] * 10^i`-free checksum of a 1-D int64 slice: `len * 10^6 + Σ b[i] * (i + 1)`.
const ONE_D: &str = r#"import cython

def check(b: cython.longlong[:]) -> int:
    s: int = 0
    for i in range(b.shape[0]):
        s += b[i] * (i + 1)
    return b.shape[0] * 1000000 + s

def full(a: cython.longlong[:], lo: int, hi: int, st: int) -> int:
    return check(a[lo:hi:st])

def lohi(a: cython.longlong[:], lo: int, hi: int) -> int:
    return check(a[lo:hi])

def from_lo(a: cython.longlong[:], lo: int) -> int:
    return check(a[lo:])

def to_hi(a: cython.longlong[:], hi: int) -> int:
    return check(a[:hi])

def stepped(a: cython.longlong[:], st: int) -> int:
    return check(a[::st])

def rev(a: cython.longlong[::1]) -> int:
    return check(a[::-1])

def rev_from(a: cython.longlong[:], lo: int) -> int:
    return check(a[lo::-2])

def first_of(a: cython.longlong[:], lo: int) -> int:
    return a[lo:][0]
"#;

fn checksum(data: &[i64], idx: &[i64]) -> i64 {
    idx.len() as i64 * 1_000_000 + idx.iter().enumerate().map(|(k, &i)| data[i as usize] * (k as i64 + 1)).sum::<i64>()
}

#[test]
fn one_dimensional_slices_follow_python() {
    let r = run(ONE_D);
    let mut base: Vec<i64> = (0..24).map(|i| i * 7 - 40).collect();
    // Views: contiguous, strided (every 2nd from 1), reversed (negative stride), and empty.
    let n = base.len();
    let contiguous = desc(&mut base, 0, &[n as isize], &[1]);
    let every_other = desc(&mut base, 1, &[11], &[2]);
    let reversed = desc(&mut base, n - 1, &[n as isize], &[-1]);
    let empty = desc(&mut base, 0, &[0], &[1]);
    let data: Vec<i64> = (0..24).map(|i| i * 7 - 40).collect();
    let logical = |d: &crate::abi::ViewDesc| -> Vec<i64> {
        (0..d.shape[0]).map(|i| unsafe { *(d.data as *const i64).offset(i * d.strides[0] / 8) }).collect()
    };
    let _ = &data;
    let bounds = [-30i64, -11, -10, -3, -1, 0, 1, 2, 5, 10, 11, 12, 30];
    let steps = [-25i64, -3, -2, -1, 1, 2, 3, 7, 25];
    for d in [&contiguous, &every_other, &reversed, &empty] {
        let vals = logical(d);
        let len = vals.len() as i64;
        let v = view(d);
        for &lo in &bounds {
            assert_eq!(r.i64("from_lo", &[v, lo as u64]), checksum(&vals, &indices(len, Some(lo), None, None)), "[{lo}:]");
            assert_eq!(r.i64("to_hi", &[v, lo as u64]), checksum(&vals, &indices(len, None, Some(lo), None)), "[:{lo}]");
            assert_eq!(r.i64("rev_from", &[v, lo as u64]), checksum(&vals, &indices(len, Some(lo), None, Some(-2))), "[{lo}::-2]");
            for &hi in &bounds {
                assert_eq!(r.i64("lohi", &[v, lo as u64, hi as u64]), checksum(&vals, &indices(len, Some(lo), Some(hi), None)), "[{lo}:{hi}]");
                for &st in &steps {
                    let want = checksum(&vals, &indices(len, Some(lo), Some(hi), Some(st)));
                    assert_eq!(r.i64("full", &[v, lo as u64, hi as u64, st as u64]), want, "len {len} [{lo}:{hi}:{st}]");
                }
            }
        }
        for &st in &steps {
            assert_eq!(r.i64("stepped", &[v, st as u64]), checksum(&vals, &indices(len, None, None, Some(st))), "[::{st}]");
        }
    }
    assert_eq!(r.i64("rev", &[view(&contiguous)]), checksum(&logical(&contiguous), &indices(24, None, None, Some(-1))));
    // Step zero, and indexing past the end of a slice.
    let e = r.call("full", &[view(&contiguous), 0, 5, 0]).unwrap_err();
    assert_eq!((e.0, e.1.as_str()), (ExcKind::ValueError, "Step may not be zero (axis 0)"));
    assert_eq!(r.i64("first_of", &[view(&contiguous), 3]), -40 + 21);
    assert_eq!(r.i64("first_of", &[view(&contiguous), (-1i64) as u64]), 7 * 23 - 40);
    let e = r.call("first_of", &[view(&contiguous), 24]).unwrap_err();
    assert_eq!((e.0, e.1.as_str()), (ExcKind::IndexError, "Out of bounds on buffer access (axis 0)"));
}

const TWO_D: &str = r#"import cython

def rowsum(r: cython.double[:]) -> float:
    s = 0.0
    for i in range(r.shape[0]):
        s += r[i] * (i + 1)
    return s

def row(m: cython.double[:, ::1], i: int) -> float:
    r = m[i]
    return rowsum(m[i]) * 1000 + r.shape[0]

def row2(m: cython.double[:, :], i: int) -> float:
    return rowsum(m[i, :])

def col(m: cython.double[:, :], j: int) -> float:
    return rowsum(m[:, j])

def sub(m: cython.double[:, :]) -> float:
    t = m[1:, ::2]
    s = 0.0
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            s += t[i, j] * (i * 10 + j + 1)
    return s * 100 + t.shape[0] * 10 + t.shape[1]

def elem(m: cython.double[:, :], i: int, j: int) -> float:
    return m[i][j]

def in_loop(m: cython.double[:, :]) -> float:
    s = 0.0
    r = m[0]
    for i in range(m.shape[0]):
        r = m[i, ::-1]
        s += r[0]
    return s * 1000 + r[0] + r.shape[0]

def keeps_old(m: cython.double[:, :]) -> float:
    prev = m[0]
    s = 0.0
    for i in range(1, m.shape[0]):
        cur = m[i]
        s = s * 10 + prev[0]
        prev = cur
    return s * 10 + prev[0]
"#;

#[test]
fn two_dimensional_slices() {
    let r = run(TWO_D);
    // 3 x 4, element (i, j) = 10 i + j.
    let mut data: Vec<f64> = (0..12).map(|k| ((k / 4) * 10 + k % 4) as f64).collect();
    let m = desc(&mut data, 0, &[3, 4], &[4, 1]);
    let v = view(&m);
    let at = |i: i64, j: i64| (i * 10 + j) as f64;
    let weighted = |xs: &[f64]| xs.iter().enumerate().map(|(k, x)| x * (k as f64 + 1.0)).sum::<f64>();
    for i in -3..3i64 {
        let ii = i.rem_euclid(3);
        let row: Vec<f64> = (0..4).map(|j| at(ii, j)).collect();
        assert_eq!(r.f64("row", &[v, i as u64]), weighted(&row) * 1000.0 + 4.0, "row {i}");
        assert_eq!(r.f64("row2", &[v, i as u64]), weighted(&row), "row2 {i}");
    }
    for j in -4..4i64 {
        let jj = j.rem_euclid(4);
        let col: Vec<f64> = (0..3).map(|i| at(i, jj)).collect();
        assert_eq!(r.f64("col", &[v, j as u64]), weighted(&col), "col {j}");
    }
    for (bad, axis) in [(3i64, 0), (-4, 0)] {
        let e = r.call("row", &[v, bad as u64]).unwrap_err();
        assert_eq!((e.0, e.1.clone()), (ExcKind::IndexError, format!("Index out of bounds (axis {axis})")), "{bad}");
    }
    let e = r.call("col", &[v, 4]).unwrap_err();
    assert_eq!((e.0, e.1.as_str()), (ExcKind::IndexError, "Index out of bounds (axis 1)"));
    // m[1:, ::2]: rows 1, 2; columns 0, 2.
    let mut s = 0.0;
    for (i, ri) in [1i64, 2].iter().enumerate() {
        for (j, cj) in [0i64, 2].iter().enumerate() {
            s += at(*ri, *cj) * (i as f64 * 10.0 + j as f64 + 1.0);
        }
    }
    assert_eq!(r.f64("sub", &[v]), s * 100.0 + 22.0);
    // The same through a transposed (non-contiguous) 4 x 3 view of the data.
    let t = desc(&mut data, 0, &[4, 3], &[1, 4]);
    let mut s = 0.0;
    for (i, ri) in [1i64, 2, 3].iter().enumerate() {
        for (j, cj) in [0i64, 2].iter().enumerate() {
            s += at(*cj, *ri) * (i as f64 * 10.0 + j as f64 + 1.0);
        }
    }
    assert_eq!(r.f64("sub", &[view(&t)]), s * 100.0 + 32.0);
    assert_eq!(r.f64("elem", &[v, 2, (-1i64) as u64]), at(2, 3));
    assert_eq!(r.f64("elem", &[view(&t), 3, 1]), at(1, 3));
    // The last row reversed starts with (2, 3); the sum of the reversed rows' first elements.
    assert_eq!(r.f64("in_loop", &[v]), (at(0, 3) + at(1, 3) + at(2, 3)) * 1000.0 + at(2, 3) + 4.0);
    // prev[0] over the rows: 0, 10, then the last 20: ((0 * 10 + 0) * 10 + 10) * 10 + 20.
    assert_eq!(r.f64("keeps_old", &[v]), ((0.0 * 10.0 + at(0, 0)) * 10.0 + at(1, 0)) * 10.0 + at(2, 0));
}

const FILL_COPY: &str = r#"import cython

def fill_all(a: cython.int[:, :], x: int) -> None:
    a[:] = x

def fill_row(a: cython.int[:, :], i: int, x: int) -> None:
    a[i, 1:] = x
    a[i][0] = -x

def fill_dots(a: cython.float[:]) -> None:
    a[...] = 2.5

def copy(dst: cython.int[:, :], src: "const int[:, :]") -> None:
    dst[:] = src

def copy_rev(dst: cython.int[:], src: cython.int[:]) -> None:
    dst[::-1] = src
"#;

#[test]
fn fills_and_copies() {
    let r = run(FILL_COPY);
    let mut data = vec![0i32; 12];
    let m = desc(&mut data, 0, &[3, 4], &[4, 1]);
    r.call("fill_all", &[view(&m), 7]).unwrap();
    assert_eq!(data, vec![7; 12]);
    // A strided view: every other column of a 3 x 4 buffer.
    let m2 = desc(&mut data, 1, &[3, 2], &[4, 2]);
    r.call("fill_all", &[view(&m2), (-1i64) as u64]).unwrap();
    assert_eq!(data, [7, -1, 7, -1, 7, -1, 7, -1, 7, -1, 7, -1]);
    let m = desc(&mut data, 0, &[3, 4], &[4, 1]);
    r.call("fill_row", &[view(&m), (-2i64) as u64, 5]).unwrap();
    assert_eq!(data, [7, -1, 7, -1, -5, 5, 5, 5, 7, -1, 7, -1]);
    let mut f = vec![0f32; 5];
    let fv = desc(&mut f, 0, &[5], &[1]);
    r.call("fill_dots", &[view(&fv)]).unwrap();
    assert_eq!(f, [2.5; 5]);

    let mut src: Vec<i32> = (0..12).collect();
    let mut dst = vec![0i32; 12];
    let s = desc(&mut src, 0, &[3, 4], &[4, 1]);
    let d = desc(&mut dst, 0, &[3, 4], &[4, 1]);
    r.call("copy", &[view(&d), view(&s)]).unwrap();
    assert_eq!(dst, src);
    // Transposed source (4 x 3 over the same 12) into a 4 x 3 destination.
    let st = desc(&mut src, 0, &[4, 3], &[1, 4]);
    let d43 = desc(&mut dst, 0, &[4, 3], &[3, 1]);
    r.call("copy", &[view(&d43), view(&st)]).unwrap();
    assert_eq!(dst, [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    // A source extent of 1 broadcasts (Cython's rule): row 0 of src into all 3 rows.
    let row0 = desc(&mut src, 0, &[1, 4], &[4, 1]);
    let d = desc(&mut dst, 0, &[3, 4], &[4, 1]);
    r.call("copy", &[view(&d), view(&row0)]).unwrap();
    assert_eq!(dst, [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
    // Differing extents: Cython's message, destination's extent first.
    let s23 = desc(&mut src, 0, &[2, 3], &[4, 1]);
    let e = r.call("copy", &[view(&d), view(&s23)]).unwrap_err();
    assert_eq!((e.0, e.1.as_str()), (ExcKind::ValueError, "got differing extents in dimension 0 (got 3 and 2)"));
    let s32 = desc(&mut src, 0, &[3, 3], &[4, 1]);
    let e = r.call("copy", &[view(&d), view(&s32)]).unwrap_err();
    assert_eq!((e.0, e.1.as_str()), (ExcKind::ValueError, "got differing extents in dimension 1 (got 4 and 3)"));
    let mut a: Vec<i32> = vec![0; 4];
    let mut b: Vec<i32> = vec![1, 2, 3, 4];
    let av = desc(&mut a, 0, &[4], &[1]);
    let bv = desc(&mut b, 0, &[4], &[1]);
    r.call("copy_rev", &[view(&av), view(&bv)]).unwrap();
    assert_eq!(a, [4, 3, 2, 1]);
}

#[test]
fn slices_passed_in_loops_are_not_inlined_stale() {
    // `rowsum` is small enough to inline; the slice passed to it is rewritten each
    // iteration, so the call must see each row (see `inline.rs`).
    let src = "import cython\n\ndef rowsum(r: cython.double[:]) -> float:\n    s = 0.0\n    for i in range(r.shape[0]):\n        s += r[i]\n    return s\n\ndef total(m: cython.double[:, :]) -> float:\n    s = 0.0\n    for i in range(m.shape[0]):\n        s = s * 100 + rowsum(m[i])\n    return s\n";
    let r = run(src);
    let mut data: Vec<f64> = (0..6).map(|k| k as f64).collect();
    let m = desc(&mut data, 0, &[3, 2], &[2, 1]);
    // Rows: 0+1, 2+3, 4+5.
    assert_eq!(r.f64("total", &[view(&m)]), (1.0 * 100.0 + 5.0) * 100.0 + 9.0);
}
