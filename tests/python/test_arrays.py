"""Arrays created in compiled code (`bytearray(n)`, `numpy.empty/zeros/ones`) and views
returned to Python (their owner object), through the JIT (`pycc.compile_source`), `@jit` and
an AOT module: values, dtypes, identity, the errors NumPy and CPython raise, reference counts
and memory over many calls, and the `nogil` refusal.

Expected values are computed here by NumPy / Python on the same inputs; exception messages
are the ones CPython and NumPy raise for the same calls (`bytearray(-1)`: "negative count";
`numpy.zeros(-1)`: "negative dimensions are not allowed")."""

from __future__ import annotations

import gc
import importlib.util
import os
import resource
import subprocess
import sys

import pytest

np = pytest.importorskip("numpy")
import pycc  # noqa: E402
from pycc.errors import CompileError  # noqa: E402

SOURCE = '''
import cython
import numpy as np


def grid(n: int, m: int):
    a = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            a[i, j] = i * m + j
    return a


def same(a: cython.double[:]) -> cython.double[:]:
    return a


def same2(a: cython.double[:, :]):
    b = a
    return b


def sieve(n: int) -> int:
    s = bytearray(n + 1)
    count = 0
    for i in range(2, n + 1):
        if s[i] == 0:
            count += 1
            for j in range(i * i, n + 1, i):
                s[j] = 1
    return count


def sieve_bytes(n: int):
    s = bytearray(n)
    for i in range(2, n):
        if s[i] == 0:
            for j in range(i * i, n, i):
                s[j] = 1
    return s


def ones_i32(n: int):
    return np.ones(n, dtype=np.int32)


def empty_f32(n: int, m: int):
    a = np.empty((n, m), dtype="f4")
    for i in range(n):
        for j in range(m):
            a[i, j] = 0.5 * (i - j)
    return a


def full3(n: int):
    a = np.zeros((2, n, 3), dtype=np.uint8)
    for i in range(n):
        a[1, i, 2] = i + 200
    return a


def by_int(n: int):
    return np.zeros(n, dtype=int)


def by_float(n: int):
    return np.ones(n, float)


def zeros(n: int) -> float:
    a = np.zeros(n)
    return float(a.shape[0])


def late_index(n: int, i: int) -> float:
    a = np.ones(n)
    b = np.zeros(n)
    return a[i] + b[i]


def churn(n: int, k: int) -> float:
    s = 0.0
    for r in range(k):
        a = np.ones(n)
        s += a[r % n]
    return s


def make_bytes(n: int):
    return bytearray(n)
'''


@pytest.fixture(scope="module")
def mod():
    return pycc.compile_source(SOURCE, "arrays_jit")


def test_grid_returns_a_new_c_contiguous_float64_array(mod):
    g = mod.grid(3, 4)
    assert type(g) is np.ndarray and g.dtype == np.float64 and g.shape == (3, 4)
    assert g.flags["C_CONTIGUOUS"] and g.flags["WRITEABLE"] and g.flags["OWNDATA"]
    assert (g == np.arange(12.0).reshape(3, 4)).all()
    # The caller holds the only reference (plus getrefcount's argument).
    assert sys.getrefcount(g) == 2
    assert mod.grid(0, 5).shape == (0, 5)


def test_sieve_with_a_bytearray(mod):
    primes = [p for p in range(2, 1001) if all(p % d for d in range(2, int(p**0.5) + 1))]
    assert mod.sieve(1000) == len(primes) == 168
    s = mod.sieve_bytes(30)
    assert type(s) is bytearray and len(s) == 30
    assert [i for i in range(2, 30) if s[i] == 0] == [p for p in primes if p < 30]
    assert mod.make_bytes(4) == bytearray(4)


@pytest.mark.parametrize(
    "name, args, dtype, expected",
    [
        ("ones_i32", (4,), np.int32, lambda: np.ones(4, dtype=np.int32)),
        ("empty_f32", (2, 3), np.float32, lambda: np.fromfunction(lambda i, j: 0.5 * (i - j), (2, 3), dtype=np.float32)),
        ("by_int", (3,), np.int64, lambda: np.zeros(3, dtype=np.int64)),
        ("by_float", (3,), np.float64, lambda: np.ones(3)),
    ],
)
def test_dtypes(mod, name, args, dtype, expected):
    a = getattr(mod, name)(*args)
    assert a.dtype == dtype and a.shape == expected().shape
    assert (a == expected()).all()


def test_three_dimensional_uint8(mod):
    a = mod.full3(4)
    want = np.zeros((2, 4, 3), dtype=np.uint8)
    want[1, :, 2] = np.arange(4) + 200
    assert a.dtype == np.uint8 and (a == want).all()


def test_returning_a_parameter_view_returns_the_callers_object(mod):
    x = np.arange(5.0)
    before = sys.getrefcount(x)
    assert mod.same(x) is x
    assert sys.getrefcount(x) == before
    m = np.zeros((2, 3))
    assert mod.same2(m) is m
    view = memoryview(bytearray(16)).cast("d")
    assert mod.same(view) is view


def test_errors_are_the_ones_python_raises(mod):
    with pytest.raises(ValueError, match="^negative dimensions are not allowed$"):
        mod.zeros(-1)
    with pytest.raises(ValueError, match="^negative count$"):
        mod.make_bytes(-1)
    with pytest.raises(IndexError, match=r"^Out of bounds on buffer access \(axis 0\)$"):
        mod.late_index(3, 3)
    # After an error the function still works.
    assert mod.zeros(3) == 3.0


def test_no_leak_over_many_calls(mod):
    x = np.arange(4.0)

    def calls(n):
        for _ in range(n):
            mod.zeros(1000)
            mod.late_index(10, 2)
            mod.same(x)
            try:
                mod.late_index(10, 99)
            except IndexError:
                pass

    calls(20_000)
    gc.collect()
    refs = sys.getrefcount(x)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    calls(100_000)
    gc.collect()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # 8 KB per leaked array would be hundreds of MiB over these calls.
    assert after - before < 8 * 1024, f"RSS grew by {after - before} KiB"
    assert sys.getrefcount(x) == refs


def test_arrays_made_in_a_loop_are_released(mod):
    # 100_000 arrays of 80 KB in one call: kept alive they would need 8 GB.
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert mod.churn(10_000, 100_000) == 100_000.0
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert after - before < 32 * 1024, f"RSS grew by {after - before} KiB"


def test_nogil_refusals():
    src = "import numpy as np\ndef f(n: int) -> float:\n    with nogil:\n        a = np.zeros(n)\n    return 0.0\n"
    with pytest.raises(CompileError, match=r"creating an array \(`numpy.zeros`\) needs the GIL"):
        pycc.compile_source(src, "nogil_array")
    src = "import cython\n@cython.nogil\ndef f(n: int) -> float:\n    a = bytearray(n)\n    return 0.0\n"
    with pytest.raises(CompileError, match=r"needs the GIL, and `f` is `nogil`"):
        pycc.compile_source(src, "nogil_func")


def test_jit_nogil_gets_the_nogil_checks(tmp_path, monkeypatch):
    # Issue 7, finding 2: `@jit(nogil=True)` was applied after checking, so an array made in
    # the function compiled and the first call crashed.
    monkeypatch.syspath_prepend(str(tmp_path))
    head = "import numpy as np\nimport pycc\n\n\n@pycc.jit\ndef helper(n: int) -> int:\n    return n + 1\n\n\n@pycc.jit(nogil=True)\n"
    cases = {
        "makes": ("def f(n: int) -> float:\n    a = np.zeros(n)\n    return a[0]\n",
                  r"creating an array \(`numpy.zeros`\) needs the GIL, and `f` is `nogil`"),
        "returns_view": ("def f(a: 'double[:]') -> 'double[:]':\n    return a\n",
                         r"returning a memoryview needs the GIL, and `f` is `nogil`"),
        "calls": ("def f(n: int) -> int:\n    return helper(n)\n", r"\(`helper`\) in `f`, which is `nogil`"),
    }
    for name, (body, message) in cases.items():
        (tmp_path / f"jit_nogil_{name}.py").write_text(head + body)
        with pytest.raises(CompileError, match=message):
            importlib.import_module(f"jit_nogil_{name}")
    (tmp_path / "jit_nogil_fine.py").write_text(head + "def f(n: int) -> int:\n    return n * 2\n")
    fine = importlib.import_module("jit_nogil_fine").f
    assert fine(21) == 42 and fine.__pycc_nogil__


def test_other_numpy_functions_are_python_calls():
    src = "import numpy as np\ndef f(x: float) -> float:\n    return np.sqrt(x)\n\ndef g(n):\n    return np.arange(n).sum()\n"
    m = pycc.compile_source(src, "np_sqrt")
    assert m.f(2.25) == 1.5 and m.np is np
    assert m.g(5) == 10
    with pytest.raises(TypeError):
        m.f("x")


PYX_SOURCE = '''
import numpy as np
cimport numpy as cnp


def count(int n):
    cdef unsigned char[:] sieve = bytearray(n)
    cdef int i, j, total = 0
    for i in range(2, n):
        if sieve[i] == 0:
            total += 1
            for j in range(i * i, n, i):
                sieve[j] = 1
    return total


def table(int n):
    cdef long long[:, ::1] t = np.zeros((n, n), dtype=np.int64)
    cdef int i, j
    for i in range(n):
        for j in range(n):
            t[i, j] = i * j
    return t
'''


def test_pyx_declarations():
    mod = pycc.compile_source(PYX_SOURCE, "arrays_pyx", kind="pyx")
    assert mod.count(100) == 25
    t = mod.table(4)
    assert t.dtype == np.int64 and (t == np.outer(np.arange(4), np.arange(4))).all()


def test_jit_decorator_knows_numpy():
    @pycc.jit
    def build(n: int):
        a = np.zeros((n, 2), dtype=np.int32)
        for i in range(n):
            a[i, 0] = i
            a[i, 1] = -i
        return a

    a = build(3)
    assert a.dtype == np.int32 and a.tolist() == [[0, 0], [1, -1], [2, -2]]


def test_aot_module_returns_arrays(tmp_path):
    src = tmp_path / "arrays_aot.py"
    src.write_text(SOURCE)
    proc = subprocess.run([sys.executable, "-m", "pycc", "build", str(src)], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    built = [p for p in os.listdir(tmp_path) if p.startswith("arrays_aot.") and p.endswith(".so")]
    assert len(built) == 1, os.listdir(tmp_path)
    spec = importlib.util.spec_from_file_location("arrays_aot", tmp_path / built[0])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (module.grid(2, 2) == np.arange(4.0).reshape(2, 2)).all()
    x = np.arange(3.0)
    assert module.same(x) is x
    with pytest.raises(ValueError, match="^negative dimensions are not allowed$"):
        module.zeros(-5)
    assert module.sieve(100) == 25
