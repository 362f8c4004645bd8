"""Python objects in compiled code, seen from Python: every reference is released exactly
once (on returns, early returns, loops and the error exit), memory stays flat over many
object-heavy calls (including calls that raise), tracebacks name the `.pyx` line, and AOT
modules read their own globals (their `def` functions)."""

from __future__ import annotations

import gc
import sys
import tracemalloc

import pytest

import pycc
import pycc_testing as pt

SOURCE = '''
def ident(x):
    return x

def pair(a, b):
    return [a, b, (a, b), {"a": a}]

def through(x, int n):
    acc = x
    for i in range(n):
        acc = ident(acc)
        if i == 3:
            return acc
    return acc

def fails(x):
    y = [x, x]
    return y + x

def fails_late(x, int n):
    keep = (x, x)
    for i in range(n):
        keep = keep + (x,)
    return keep[n + 5]

def attrs(o, v):
    o.value = v
    o.value += v
    return o.value

def calls(f, x):
    return f(x, key=x)

def strings(s):
    return s.upper().split(",")

def count(it):
    n = 0
    for x in it:
        n += 1
        if n > 100:
            break
    return n
'''


@pytest.fixture(scope="module")
def m():
    return pycc.compile_source(SOURCE, "objrefs", "objrefs.pyx")


def test_references_are_released_once_on_every_path(m):
    x = object()
    assert pt.refcount_after(lambda: m.ident(x), x) == 0
    assert pt.refcount_after(lambda: m.pair(x, x), x) == 0
    assert pt.refcount_after(lambda: m.through(x, 10), x) == 0
    assert pt.refcount_after(lambda: m.through(x, 2), x) == 0
    assert pt.refcount_after(lambda: m.fails(x), x) == 0
    assert pt.refcount_after(lambda: m.fails_late(x, 3), x) == 0

    class O:
        pass

    o, v = O(), 12345678901234567890
    assert pt.refcount_after(lambda: m.attrs(o, v), o) == 0
    del o.value
    assert pt.refcount_after(lambda: m.attrs(o, v), v) == 0  # `o.value` holds `v + v`, a new int


def test_returned_objects_are_new_references(m):
    x = object()
    kept = [m.ident(x) for _ in range(10)]
    assert sys.getrefcount(x) == 2 + 10
    del kept
    assert sys.getrefcount(x) == 2


def test_errors_are_the_ones_cpython_raises_with_the_source_line(m):
    with pytest.raises(TypeError, match='can only concatenate list') as info:
        m.fails(1)
    tb = info.traceback
    assert any(str(e.path).endswith("objrefs.pyx") and e.lineno + 1 == 18 for e in tb), [(e.path, e.lineno) for e in tb]
    with pytest.raises(IndexError, match="tuple index out of range"):
        m.fails_late("x", 2)


def test_calls_with_keywords_and_methods(m):
    def f(a, key=None):
        return (a, key)

    assert m.calls(f, 5) == (5, 5)
    with pytest.raises(TypeError, match="takes no keyword arguments"):
        m.calls(len, "a")
    assert m.strings("a,b,c") == ["A", "B", "C"]


def test_memory_stays_flat_over_many_calls(m):
    class O:
        pass

    o = O()

    def work(n):
        for i in range(n):
            m.pair(i, "s")
            m.through([i], 5)
            m.attrs(o, i)
            m.strings("x,y")
            try:
                m.fails_late((), 1)
            except IndexError:
                pass

    work(2000)
    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        work(20000)
        gc.collect()
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert after - base < 64 * 1024, f"grew by {after - base} bytes over 20,000 rounds"


@pytest.mark.skipif(pt.find_cli()[0] is None, reason="needs the pycc CLI")
def test_aot_module_reads_its_own_globals(tmp_path):
    src = tmp_path / "aotglobals.pyx"
    src.write_text("def key(s):\n    return -len(s)\n\ndef order(xs):\n    return sorted(xs, key=key)\n\n"
                   "def missing():\n    return not_defined_anywhere\n")
    mod = pt.aot_build(pt.find_cli()[0], src, tmp_path / "out", "aotglobals")
    assert mod.order(["a", "ccc", "bb"]) == ["ccc", "bb", "a"]
    with pytest.raises(NameError, match="not_defined_anywhere"):
        mod.missing()


def test_for_over_iterables_releases_items_and_propagates_errors(m):
    x = object()
    assert pt.refcount_after(lambda: m.count([x] * 5), x) == 0
    assert pt.refcount_after(lambda: m.count(iter(lambda: x, None)), x) == 0  # broken by `break`
    assert m.count(range(7)) == 7 and m.count({}) == 0

    def gen():
        yield x
        raise KeyError("from the generator")

    with pytest.raises(KeyError, match="from the generator"):
        m.count(gen())
    assert pt.refcount_after(lambda: m.count(gen()), x) == 0
    with pytest.raises(TypeError, match="'int' object is not iterable"):
        m.count(5)


def test_fstring_references_on_success_and_error():
    m = pycc.compile_source(
        "def f(x, w: int):\n    return f'<{x!r:>{w}}|{x}>'\n\ndef bad(x):\n    return f'a{x}b{x:Q}c'\n", "fstr_refs"
    )

    class Thing:
        def __repr__(self):
            return "T"

        def __format__(self, spec):
            if spec == "Q":
                raise ValueError("no Q")
            return "t"

    t = Thing()
    before = sys.getrefcount(t)
    assert m.f(t, 3) == "<  T|t>"
    for _ in range(100):
        with pytest.raises(ValueError, match="no Q"):
            m.bad(t)
    assert sys.getrefcount(t) == before
