"""Objects of a known builtin kind, seen from Python: the fast paths (`PyList_GetItem`
returns a *borrowed* item, `PyList_Append`, `PySequence_SetItem`, `PyDict_Contains`, the
size functions) and the checks (at the boundary, on typed assignments and returns) release
every reference exactly once, on success and on every error path; memory stays flat; the
object defaults are the module's constants."""

from __future__ import annotations

import gc
import sys
import tracemalloc
import typing
from typing import List
from typing import Optional as Opt

import pytest

import pycc
import pycc_testing as pt

SOURCE = '''
def get(list xs, Py_ssize_t i):
    return xs[i]

def get_t(tuple t, int i):
    return t[i]

def get_twice(list xs, int i):
    a = xs[i]
    b = xs[i]
    return a is b

def put(list xs, long i, v):
    xs[i] = v

def add(list xs, v, int n):
    cdef int k
    for k in range(n):
        xs.append(v)
    return len(xs)

def has(dict d, k):
    return k in d

def has_s(set s, k):
    return k in s

def typed(o):
    cdef list xs = o
    return xs

def typed_ret(o) -> list:
    return o

def checked(list xs not None, dict d not None):
    return len(xs) + len(d)

def defaults(a=None, t=(1, "x", None), s="abc"):
    return (a, t, s)
'''

PY_SOURCE = '''
from typing import List, Optional

def annotated(xs: List[int], d: Optional[dict] = None) -> int:
    return len(xs) + (0 if d is None else len(d))
'''


@pytest.fixture(scope="module")
def m():
    return pycc.compile_source(SOURCE, "kindrefs", "kindrefs.pyx")


@pytest.fixture(scope="module")
def p():
    return pycc.compile_source(PY_SOURCE, "kindrefs_py", "kindrefs_py.py")


def test_borrowed_items_are_taken_once(m):
    x = object()
    xs = [x, 1, x]
    assert pt.refcount_after(lambda: m.get(xs, 0), x) == 0
    assert pt.refcount_after(lambda: m.get(xs, -1), x) == 0
    assert pt.refcount_after(lambda: m.get_twice(xs, 2), x) == 0
    assert m.get_twice(xs, 0) is True
    kept = [m.get(xs, 0) for _ in range(10)]
    assert sys.getrefcount(x) == 2 + 2 + 10  # the local, two list slots, the ten results
    del kept
    t = (x, x)
    assert pt.refcount_after(lambda: m.get_t(t, 1), x) == 0
    assert pt.refcount_after(lambda: m.get_t(t, -2), x) == 0


def test_index_errors_leak_nothing(m):
    x = object()
    xs = [x]
    for i in (1, -2, 10**6):
        with pytest.raises(IndexError, match="^list index out of range$"):
            m.get(xs, i)
    with pytest.raises(IndexError, match="^tuple index out of range$"):
        m.get_t((x,), 3)
    with pytest.raises(TypeError, match="'NoneType' object is not subscriptable"):
        m.get(None, 0)
    assert pt.refcount_after(lambda: m.get(xs, 5), x) == 0
    assert pt.refcount_after(lambda: m.get_t((x,), -5), x) == 0
    assert pt.refcount_after(lambda: m.get(None, 0), x) == 0


def test_stores_and_appends_hold_one_reference_each(m):
    x, old = object(), object()
    xs = [old, old]
    m.put(xs, -1, x)
    assert xs[0] is old and xs[1] is x
    assert sys.getrefcount(x) == 3 and sys.getrefcount(old) == 3
    assert pt.refcount_after(lambda: m.put(xs, 0, x), x) == 1  # the list holds it once more
    with pytest.raises(IndexError, match="^list assignment index out of range$"):
        m.put(xs, 2, x)
    assert pt.refcount_after(lambda: m.put(xs, 7, x), x) == 0
    assert pt.refcount_after(lambda: m.put(None, 0, x), x) == 0
    ys: list = []
    assert m.add(ys, x, 10) == 10
    assert sys.getrefcount(x) == 4 + 10  # `xs` holds it twice now
    ys.clear()
    assert sys.getrefcount(x) == 4
    with pytest.raises(AttributeError, match="'NoneType' object has no attribute 'append'"):
        m.add(None, x, 1)
    assert pt.refcount_after(lambda: m.add(None, x, 1), x) == 0


def test_contains_releases_keys(m):
    k = ("key", 12345678901234567890)
    d = {k: 1}
    assert m.has(d, k) and not m.has({}, k) and m.has_s({k}, k)
    assert pt.refcount_after(lambda: m.has(d, k), k) == 0
    assert pt.refcount_after(lambda: m.has_s({1}, k), k) == 0
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        m.has(d, [1])
    with pytest.raises(TypeError, match="argument of type 'NoneType' is not iterable"):
        m.has(None, k)
    assert pt.refcount_after(lambda: m.has(None, k), k) == 0


def test_checks_raise_cythons_errors_and_release_the_value(m, p):
    x = (1, 2)
    assert pt.refcount_after(lambda: m.typed(x), x) == 0
    with pytest.raises(TypeError, match="^Expected list, got tuple$"):
        m.typed(x)
    with pytest.raises(TypeError, match="^Expected list, got tuple$"):
        m.typed_ret(x)
    assert pt.refcount_after(lambda: m.typed_ret(x), x) == 0
    xs = [1]
    assert pt.refcount_after(lambda: m.typed(xs), xs) == 0
    assert m.typed(None) is None
    with pytest.raises(TypeError, match=r"^Argument 'xs' has incorrect type \(expected list, got NoneType\)$"):
        m.checked(None, {})
    with pytest.raises(TypeError, match=r"^Argument 'd' has incorrect type \(expected dict, got tuple\)$"):
        m.checked([], x)
    assert pt.refcount_after(lambda: m.checked([], x), x) == 0
    with pytest.raises(TypeError, match=r"expected list, got NoneType"):
        p.annotated(None)

    class Sub(list):
        pass

    with pytest.raises(TypeError, match=r"got Sub\)\. Note that Cython is deliberately stricter than PEP-484"):
        p.annotated(Sub())
    assert p.annotated([1, 2], {3: 4}) == 3 and p.annotated([]) == 0


def test_object_defaults_are_module_constants(m):
    a, t, s = m.defaults()
    assert a is None and t == (1, "x", None) and s == "abc"
    assert m.defaults()[1] is t  # made once, like CPython's defaults
    before = sys.getrefcount(t)
    for _ in range(100):
        m.defaults()
    assert sys.getrefcount(t) == before


def test_memory_stays_flat_over_many_calls(m):
    xs, d = [1, 2, 3], {"a": 1}

    def work(n):
        for i in range(n):
            m.get(xs, i % 3)
            m.put(xs, -1, i)
            m.has(d, "a")
            m.typed(xs)
            m.defaults()
            ys: list = []
            m.add(ys, i, 3)
            for bad in ((m.get, (xs, 99)), (m.typed, ((),)), (m.checked, (None, d)), (m.get, (None, 0))):
                try:
                    bad[0](*bad[1])
                except (IndexError, TypeError):
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


LOOPS = '''
def loop(list xs):
    n = 0
    for x in xs:
        if n > 100:
            break
        n += 1
    return n

def loop_fails(tuple t):
    for x in t:
        x + 1
'''


def test_loops_over_typed_sequences_release_items():
    m = pycc.compile_source(LOOPS, "kindloops", "kindloops.pyx")
    x = object()
    assert pt.refcount_after(lambda: m.loop([x] * 5), x) == 0
    assert pt.refcount_after(lambda: m.loop([x] * 500), x) == 0  # left by `break`
    assert m.loop([1, 2]) == 2 and m.loop([]) == 0
    with pytest.raises(TypeError, match="'NoneType' object is not iterable"):
        m.loop(None)
    with pytest.raises(TypeError):
        m.loop_fails((x,))
    assert pt.refcount_after(lambda: m.loop_fails((x, x)), x) == 0


IDENTITY = '''
def is_none(x):
    return x is None

def same(x):
    return [x] is [x]
'''


def test_identity_tests_release_their_operands():
    m = pycc.compile_source(IDENTITY, "kindident", "kindident.py")
    x = object()
    assert m.is_none(None) and not m.is_none(x) and not m.same(x)
    assert pt.refcount_after(lambda: m.is_none(None), None, 1000) == 0
    assert pt.refcount_after(lambda: m.same(x), x, 100) == 0


def test_jit_functions_read_typing_annotations():
    @pycc.jit
    def sizes(xs: List[int], d: Opt[dict] = None, t: typing.Tuple[int, ...] = ()) -> int:
        return len(xs) + len(t) + (0 if d is None else len(d))

    assert sizes([1, 2]) == 2 and sizes([1], {1: 2}, (1, 2, 3)) == 5
    with pytest.raises(TypeError, match=r"^Argument 'xs' has incorrect type \(expected list, got tuple\)"):
        sizes((1,))


def test_mutable_defaults_are_made_once_and_shared():
    src = "def f(v, acc=[], table={}):\n    acc.append(v)\n    table[v] = len(acc)\n    return acc, table\n\ndef g(acc=[]):\n    return acc\n"
    m = pycc.compile_source(src, "kinddefaults", "kinddefaults.py")
    a1, t1 = m.f(1)
    a2, t2 = m.f(2)
    assert a1 is a2 and t1 is t2 and a1 == [1, 2] and t1 == {1: 1, 2: 2}
    assert m.g() is not a1 and m.g() == []  # two equal defaults are two lists
    own = []
    assert m.f(3, own)[0] is own and own == [3] and a1 == [1, 2]
