"""Objects converted to typed memoryviews inside compiled code (Cython's coercion of an
object to a memoryview slice: `cdef double[:] v = x`, an object argument of a view
parameter in a direct call, a view-returning function's result taken as a view).

What CPython cannot be the oracle for (it has no memoryview types) is checked against
Cython building the same source: the exception type and message for every object that is
the wrong kind of buffer. Also: the buffer is held while the view lives (the exporter
cannot resize) and given back when the function returns, on every path; references to
the objects are left as they were; a whole view used as an object is its exporter.
"""

from __future__ import annotations

import array
import importlib.util
import subprocess
import sys
import sysconfig

import pytest

import pycc_testing as pt

np = pytest.importorskip("numpy")

PYX = """\
def use(x):
    cdef double[:] v = x
    cdef double s = 0
    cdef Py_ssize_t i
    for i in range(v.shape[0]):
        s += v[i]
    return s

def use_const(x):
    cdef const double[:] v = x
    return v.shape[0]

def use_c(x):
    cdef double[:, ::1] m = x
    return m.shape[0] * 10 + m.shape[1]

cdef double first(double[:] a):
    return a[0]

def through_cdef(x):
    return first(x)

def hold_and_resize(x):
    cdef unsigned char[:] v = x
    v[0] = 7
    x.extend(b"12")
    return v[0]

def view_then_raise(x, d):
    cdef double[:] v = x
    return v[0] / d

def as_object(x):
    cdef double[:] v = x
    return v

def rebound(xs):
    cdef double[:] v
    t = 0.0
    for x in xs:
        v = x
        t += v[0]
    return t
"""

# Objects whose buffer is not what `use` (a writable `double[:]`) needs, or no buffer.
BAD = {
    "int64": lambda: np.arange(4),
    "float32": lambda: np.zeros(3, dtype=np.float32),
    "2-D": lambda: np.zeros((2, 2)),
    "read-only": lambda: _readonly(np.arange(3.0)),
    "bytes": lambda: b"abcdefgh",
    "big-endian": lambda: np.arange(3.0).astype(">f8"),
    "int": lambda: 3,
    "list": lambda: [1.0, 2.0],
    "array('i')": lambda: array.array("i", [1, 2]),
}


def _readonly(a):
    a.flags.writeable = False
    return a


@pytest.fixture(scope="module", params=["jit", "aot"])
def mod(request, tmp_path_factory):
    pycc = pt.import_pycc()
    if request.param == "jit":
        return pycc.compile_source(PYX, "vfo_pyx", kind="pyx")
    cli, probe = pt.find_cli()
    if cli is None:
        pytest.skip(f"AOT backend unavailable ({probe})")
    out = tmp_path_factory.mktemp("vfo")
    src = out / "src_vfo.pyx"
    src.write_text(PYX)
    return pt.aot_build(cli, src, out / "vfo_pyx", "vfo_pyx")


@pytest.fixture(scope="module")
def cy(tmp_path_factory):
    """The same source built by Cython (the oracle for memoryview semantics)."""
    pytest.importorskip("Cython")
    out = tmp_path_factory.mktemp("vfo_cython")
    pyx = out / "cy_vfo.pyx"
    pyx.write_text("# cython: language_level=3\n" + PYX)
    c = out / "cy_vfo.c"
    r = subprocess.run([sys.executable, "-m", "cython", "-3", str(pyx), "-o", str(c)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    so = out / ("cy_vfo" + sysconfig.get_config_var("EXT_SUFFIX"))
    inc = sysconfig.get_paths()["include"]
    r = subprocess.run(["cc", "-shared", "-fPIC", "-O0", "-w", f"-I{inc}", str(c), "-o", str(so)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    spec = importlib.util.spec_from_file_location("cy_vfo", so)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def outcome(fn, *args):
    try:
        return ("ok", fn(*args))
    except Exception as e:  # noqa: BLE001 - the outcome is the exception
        return (type(e).__name__, str(e))


def test_good_buffers_agree_with_cython(mod, cy):
    cases = [np.arange(5.0), np.arange(10.0)[::3], np.arange(6.0)[::-1], array.array("d", [1.5, 2.5]),
             memoryview(np.arange(4.0)), bytearray(16)]
    for x in cases:
        for name in ("use", "use_const", "through_cdef", "rebound"):
            args = ([x, x],) if name == "rebound" else (x,)
            assert outcome(getattr(mod, name), *args) == outcome(getattr(cy, name), *args), (name, x)
    assert mod.use_c(np.zeros((3, 4))) == cy.use_c(np.zeros((3, 4))) == 34


@pytest.mark.parametrize("what", sorted(BAD))
def test_bad_buffers_raise_what_cython_raises(mod, cy, what):
    for name in ("use", "through_cdef"):
        exp = outcome(getattr(cy, name), BAD[what]())
        act = outcome(getattr(mod, name), BAD[what]())
        assert exp[0] != "ok" and act == exp, (name, what)


def test_const_view_takes_read_only_buffers(mod, cy):
    for x in (_readonly(np.arange(3.0)), b"12345678"):
        assert outcome(mod.use_const, x) == outcome(cy.use_const, x)


def test_c_contiguous_view_refuses_strided(mod, cy):
    x = np.zeros((4, 4))[:, ::2]
    assert outcome(mod.use_c, x) == outcome(cy.use_c, x) == ("ValueError", "ndarray is not C-contiguous")


def test_none_is_not_a_buffer(mod):
    # Cython accepts None for a memoryview (a None slice); pycc's views are never None.
    assert outcome(mod.use, None) == ("TypeError", "a bytes-like object is required, not 'NoneType'")


def test_buffer_is_held_while_the_view_lives(mod, cy):
    ba = bytearray(4)
    assert outcome(mod.hold_and_resize, ba) == outcome(cy.hold_and_resize, bytearray(4))
    assert outcome(mod.hold_and_resize, ba)[0] == "BufferError"
    # Given back when the function left (by the error): the bytearray resizes again.
    ba.extend(b"x")
    assert len(ba) == 5 and ba[0] == 7


def test_buffer_is_given_back_on_every_path(mod):
    ba = bytearray(8)
    x = np.frombuffer(ba, dtype=np.float64)
    assert mod.view_then_raise(x, 2.0) == 0.0
    with pytest.raises(ZeroDivisionError):
        mod.view_then_raise(x, 0.0)
    del x  # the NumPy array held ba's buffer; compiled code must hold none now
    ba.extend(b"1")
    assert len(ba) == 9


def test_references_are_left_as_they_were(mod):
    a = np.arange(4.0)
    for fn, args in ((mod.use, (a,)), (mod.through_cdef, (a,)), (mod.rebound, ([a, a],)), (mod.use_const, (a,))):
        assert pt.refcount_after(lambda: fn(*args), a) == 0
    assert pt.refcount_after(lambda: mod.use(np.zeros(3, dtype=np.int32)), a) == 0
    assert pt.refcount_after(lambda: mod.view_then_raise(a, 0.0), a) == 0
    assert pt.refcount_after(lambda: mod.as_object(a), a) == 0


def test_a_whole_view_as_an_object_is_its_exporter(mod):
    a = np.arange(3.0)
    assert mod.as_object(a) is a
    m = memoryview(bytearray(8)).cast("d")
    assert mod.as_object(m) is m


def test_no_leak_over_many_calls(mod):
    import tracemalloc

    a = np.arange(16.0)
    bad = np.arange(4)

    def work():
        for _ in range(2000):
            mod.use(a)
            mod.through_cdef(a)
            try:
                mod.use(bad)
            except ValueError:
                pass

    work()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    work()
    work()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert after - before < 64 * 1024
