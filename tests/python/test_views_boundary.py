"""Memoryview parameters of compiled functions at the call boundary, end to end (compiled
from source by the JIT and by `pycc build`, called with NumPy arrays and other buffers):
the checks Cython makes when a buffer is bound to a typed memoryview, with the messages
documented in `test_runtime_views.py` (Cython 3.3.1's wording, prefixed by pycc with the
function and parameter; `None` and non-buffers are pycc's TypeError: Cython accepts None).

These are pycc-only behaviours (CPython running the same code raises nothing, or something
else), so they are tested here against the messages rather than in the differential corpus.
"""

from __future__ import annotations

import array

import pytest

import pycc_testing as pt

np = pytest.importorskip("numpy")

PYX = """\
def total(double[:] a):
    cdef double s = 0.0
    cdef Py_ssize_t i
    for i in range(a.shape[0]):
        s += a[i]
    return s

def first_ro(const int[:] a):
    return a[0]

def scale(double[:, ::1] m, double x):
    cdef Py_ssize_t i, j
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            m[i, j] *= x

def cube(const long long[:, :, :] t):
    return t.shape[0] * 100 + t.shape[1] * 10 + t.shape[2]

def two(float[:] a, const unsigned char[:] b):
    return len(a) * 1000 + len(b)

def ll_len(long long[:] a):
    return len(a)
"""

PURE = """\
import cython

def total(a: cython.double[:]) -> float:
    s: float = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s

def bump(a: cython.uint[:]) -> None:
    a[0] += 1
"""


@pytest.fixture(scope="module", params=["jit", "aot"])
def mods(request, tmp_path_factory):
    """(pyx module, pure-mode module) compiled by one backend."""
    pycc = pt.import_pycc()
    if request.param == "jit":
        return (pycc.compile_source(PYX, "bnd_pyx", kind="pyx"), pycc.compile_source(PURE, "bnd_py", kind="py"))
    cli, probe = pt.find_cli()
    if cli is None:
        pytest.skip(f"AOT backend unavailable ({probe})")
    out = tmp_path_factory.mktemp("views_boundary")
    built = []
    for name, text, ext in (("bnd_pyx", PYX, ".pyx"), ("bnd_py", PURE, ".py")):
        src = out / f"src_{name}{ext}"
        src.write_text(text)
        built.append(pt.aot_build(cli, src, out / name, name))
    return tuple(built)


@pytest.fixture
def pyx(mods):
    return mods[0]


@pytest.fixture
def pure(mods):
    return mods[1]


def test_the_modules_work(pyx, pure):
    a = np.arange(5.0)
    assert pyx.total(a) == 10.0 and pure.total(a) == 10.0
    m = np.ones((2, 3))
    pyx.scale(m, 2.5)
    assert (m == 2.5).all()
    assert pyx.cube(np.zeros((2, 3, 4), dtype=np.int64)) == 234
    assert pyx.two(np.zeros(3, dtype=np.float32), b"ab") == 3002
    u = np.array([7], dtype=np.uint32)
    pure.bump(u)
    assert u[0] == 8


@pytest.mark.parametrize(
    "dtype, got",
    [("float32", "float"), ("int64", "long"), ("int32", "int"), ("uint64", "unsigned long"), ("int8", "signed char"),
     ("bool", "bool")],
)
def test_dtype_mismatch(pyx, pure, dtype, got):
    a = np.zeros(3, dtype=dtype)
    msg = f"Buffer dtype mismatch, expected 'double' but got '{got}'"
    for mod in (pyx, pure):
        with pytest.raises(ValueError) as e:
            mod.total(a)
        assert str(e.value) == f"total() argument 'a': {msg}"


def test_dtype_mismatch_other_element_kinds(pure):
    with pytest.raises(ValueError) as e:
        pure.bump(np.zeros(2, dtype=np.int32))
    assert str(e.value) == "bump() argument 'a': Buffer dtype mismatch, expected 'unsigned int' but got 'int'"


# Cython 3.3.1 names the element type as declared: `long long[:]` expects 'long long' (pycc
# says 'long', its name for any 64-bit signed element), and a const view expects
# 'const int' (pycc leaves out the `const`). Checked with cythonize on the same source.
def test_dtype_mismatch_names_long_long(pyx):
    with pytest.raises(ValueError) as e:
        pyx.ll_len(np.zeros(2, dtype=np.uint64))
    assert str(e.value) == "ll_len() argument 'a': Buffer dtype mismatch, expected 'long long' but got 'unsigned long'"


def test_dtype_mismatch_names_const(pyx):
    with pytest.raises(ValueError) as e:
        pyx.first_ro(np.zeros(2, dtype=np.int64))
    assert str(e.value) == "first_ro() argument 'a': Buffer dtype mismatch, expected 'const int' but got 'long'"


def test_long_long_accepts_int64(pyx):
    assert pyx.ll_len(np.zeros(3, dtype=np.int64)) == 3
    assert pyx.ll_len(np.zeros(2, dtype=np.longlong)) == 2


@pytest.mark.parametrize("shape", [(), (2, 3), (2, 3, 4)])
def test_wrong_ndim_1d(pyx, pure, shape):
    a = np.zeros(shape)
    for mod in (pyx, pure):
        with pytest.raises(ValueError) as e:
            mod.total(a)
        assert str(e.value) == f"total() argument 'a': Buffer has wrong number of dimensions (expected 1, got {len(shape)})"


def test_wrong_ndim_2d_and_3d(pyx):
    with pytest.raises(ValueError) as e:
        pyx.scale(np.zeros(4), 1.0)
    assert str(e.value) == "scale() argument 'm': Buffer has wrong number of dimensions (expected 2, got 1)"
    with pytest.raises(ValueError) as e:
        pyx.cube(np.zeros((2, 2), dtype=np.int64))
    assert str(e.value) == "cube() argument 't': Buffer has wrong number of dimensions (expected 3, got 2)"


def test_read_only_into_non_const(pyx, pure):
    a = np.arange(3.0)
    a.flags.writeable = False
    for mod in (pyx, pure):
        with pytest.raises(ValueError) as e:
            mod.total(a)
        assert str(e.value) == "total() argument 'a': buffer source array is read-only"
    with pytest.raises(ValueError) as e:
        pyx.two(_ro(np.zeros(2, dtype=np.float32)), b"x")
    assert str(e.value) == "two() argument 'a': buffer source array is read-only"
    with pytest.raises(ValueError) as e:
        pure.bump(_ro(np.zeros(1, dtype=np.uint32)))
    assert str(e.value) == "bump() argument 'a': buffer source array is read-only"


def _ro(a):
    a.flags.writeable = False
    return a


def test_read_only_into_const_is_accepted(pyx):
    assert pyx.first_ro(_ro(np.array([5, 6], dtype=np.int32))) == 5
    assert pyx.cube(_ro(np.zeros((1, 2, 3), dtype=np.int64))) == 123
    assert pyx.two(np.zeros(4, dtype=np.float32), b"hello") == 4005  # bytes: read-only unsigned char
    assert pyx.first_ro(_ro(np.arange(10, dtype=np.int32))[::-3]) == 9


def test_none_and_non_buffers_are_type_errors(pyx, pure):
    for mod in (pyx, pure):
        with pytest.raises(TypeError) as e:
            mod.total(None)
        assert str(e.value) == "total() argument 'a' must be a buffer (memoryview of double), not None"
        with pytest.raises(TypeError) as e:
            mod.total([1.0, 2.0])
        assert str(e.value) == "total() argument 'a' must be a buffer (memoryview of double), not list"
    with pytest.raises(TypeError) as e:
        pyx.scale(None, 1.0)
    assert str(e.value) == "scale() argument 'm' must be a buffer (2-D memoryview of double), not None"
    with pytest.raises(TypeError) as e:
        pyx.two(np.zeros(1, dtype=np.float32), None)
    assert str(e.value) == "two() argument 'b' must be a buffer (memoryview of unsigned char), not None"


def test_c_contiguity_of_a_1_axis(pyx):
    for bad in (np.zeros((3, 4)).T, np.zeros((3, 8))[:, ::2], np.zeros((3, 4))[::-1], np.asfortranarray(np.zeros((3, 4)))):
        with pytest.raises(ValueError) as e:
            pyx.scale(bad, 1.0)
        assert str(e.value) == "scale() argument 'm': ndarray is not C-contiguous"
    rows = np.zeros((6, 4))[::2]  # each row contiguous, the rows strided: not C-contiguous
    with pytest.raises(ValueError) as e:
        pyx.scale(rows, 1.0)
    assert str(e.value) == "scale() argument 'm': ndarray is not C-contiguous"


def test_other_buffer_exporters(pyx, pure):
    assert pyx.total(array.array("d", [1.0, 2.5])) == 3.5
    assert pure.total(memoryview(array.array("d", [1.0, 2.5, 4.0]))[::2]) == 5.0
    with pytest.raises(ValueError) as e:
        pyx.total(bytearray(8))
    assert str(e.value) == "total() argument 'a': Buffer dtype mismatch, expected 'double' but got 'unsigned char'"
    assert pyx.two(array.array("f", [0.0] * 3), bytearray(b"xy")) == 3002
