"""Unpacking, comprehensions, generator expressions compiled as loops and comparison chains
on objects, seen from Python: every reference is released once on the normal path and when
an element raises midway, memory stays flat, comprehension variables do not leak, `any`/
`all` stop consuming their iterable, and a chain returns the result objects CPython
returns."""

from __future__ import annotations

import gc
import sys
import tracemalloc

import pytest

import pycc
import pycc_testing as pt

SOURCE = '''
def unpack2(v):
    a, b = v
    return b

def unpack_star(v):
    a, *b, c = v
    return b

def unpack_for(rows):
    n = 0
    for a, b in rows:
        n += 1
    return n

def swap(x, y):
    x, y = y, x
    return x

def listcomp(xs, f):
    return [f(x) for x in xs]

def setcomp(xs, f):
    return {f(x) for x in xs}

def dictcomp(xs, f):
    return {x: f(x) for x in xs}

def nested(m, f):
    return [[f(y) for y in row] for row in m]

def gen_sum(xs, f):
    return sum(f(x) for x in xs)

def gen_any(xs, f):
    return any(f(x) for x in xs)

def gen_all(xs, f):
    return all(f(x) for x in xs)

def gen_sorted(xs, f):
    return sorted(f(x) for x in xs)

def gen_join(xs, f):
    return "".join(f(x) for x in xs)

def chain(a, b, c):
    return a < b < c

def chain_cond(a, b, c):
    if a < b < c:
        return 1
    return 0

def drop(x):
    y = [x]
    del x, y
    return 0

def scope(xs):
    x = "kept"
    ys = [x for x in xs]
    return x
'''


@pytest.fixture(scope="module")
def m():
    return pycc.compile_source(SOURCE, "unpackrefs", "unpackrefs.py")


class Boom(Exception):
    pass


def third_raises():
    calls = []

    def f(x):
        calls.append(x)
        if len(calls) == 3:
            raise Boom("third")
        return x

    return f


def ident(x):
    return x


def test_unpacking_releases_every_item_on_every_path(m):
    x = object()
    assert pt.refcount_after(lambda: m.unpack2((x, x)), x) == 0
    assert pt.refcount_after(lambda: m.unpack2([x, x]), x) == 0
    assert pt.refcount_after(lambda: m.unpack2(iter([x, x])), x) == 0
    assert pt.refcount_after(lambda: m.unpack2((x, x, x)), x) == 0  # too many
    assert pt.refcount_after(lambda: m.unpack2([x]), x) == 0  # not enough
    assert pt.refcount_after(lambda: m.unpack_star([x] * 5), x) == 0
    assert pt.refcount_after(lambda: m.unpack_star([x]), x) == 0
    assert pt.refcount_after(lambda: m.unpack_for([(x, x)] * 3), x) == 0
    assert pt.refcount_after(lambda: m.unpack_for([(x, x), (x,)]), x) == 0
    assert pt.refcount_after(lambda: m.swap(x, 1), x) == 0
    before = sys.getrefcount(x)
    holder = [x]
    assert m.drop(x) == 0 and sys.getrefcount(x) == before + 1
    del holder
    assert m.unpack2((1, x)) is x
    assert m.unpack_star([1, 2, 3, 4]) == [2, 3]


def test_unpacking_errors_are_cpythons(m):
    with pytest.raises(ValueError, match=r"^too many values to unpack \(expected 2\)$"):
        m.unpack2([1, 2, 3])
    with pytest.raises(ValueError, match=r"^not enough values to unpack \(expected 2, got 1\)$"):
        m.unpack2("a")
    with pytest.raises(TypeError, match=r"^cannot unpack non-iterable int object$"):
        m.unpack2(5)
    with pytest.raises(ValueError, match=r"^not enough values to unpack \(expected at least 2, got 1\)$"):
        m.unpack_star((1,))

    def gen():
        yield 1
        raise Boom("inside")

    with pytest.raises(Boom):
        m.unpack2(gen())


@pytest.mark.parametrize("name", ["listcomp", "setcomp", "dictcomp", "gen_sum", "gen_any", "gen_all", "gen_sorted", "gen_join"])
def test_comprehensions_release_references_when_an_element_raises(m, name):
    fn = getattr(m, name)
    # A unique object of the kind the function consumes (falsy for `any`, so that it reads on).
    x = {"gen_join": "".join(["s", "t"]), "gen_sum": 10**30, "gen_any": []}.get(name, object())
    xs = [x] * 6
    with pytest.raises(Boom):
        fn(xs, third_raises())
    assert pt.refcount_after(lambda: fn(xs, third_raises()), x) == 0
    if name not in ("gen_sum", "gen_join", "gen_sorted"):
        assert pt.refcount_after(lambda: fn(xs, ident), x) == 0
    before = sys.getrefcount(xs)
    for _ in range(20):
        try:
            fn(xs, third_raises())
        except Boom:
            pass
    assert sys.getrefcount(xs) == before


def test_results_are_new_references(m):
    x = object()
    kept = [m.listcomp([x], ident) for _ in range(10)]
    assert sys.getrefcount(x) == 2 + 10
    del kept
    assert sys.getrefcount(x) == 2
    assert pt.refcount_after(lambda: m.nested([[x, x], [x]], ident), x) == 0
    assert m.nested([[1, 2], [3]], lambda v: v * 10) == [[10, 20], [30]]


def test_any_all_stop_consuming(m):
    it = iter([0, 0, 5, 7, 9])
    assert m.gen_any(it, ident) is True
    assert list(it) == [7, 9]
    it = iter([1, 1, 0, 1, 1])
    assert m.gen_all(it, ident) is False
    assert list(it) == [1, 1]
    assert m.gen_any([], ident) is False and m.gen_all([], ident) is True


def test_comprehension_variables_do_not_leak(m):
    assert m.scope([1, 2, 3]) == "kept"


class Weird:
    """Comparisons that return objects that are not bools."""

    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        return Result(self.v < other.v)


class Result:
    bools = 0

    def __init__(self, ok):
        self.ok = ok

    def __bool__(self):
        Result.bools += 1
        return self.ok


def test_chains_return_cpythons_result_objects(m):
    a, b, c = Weird(1), Weird(2), Weird(3)
    r = m.chain(a, b, c)
    assert isinstance(r, Result) and r.ok
    r = m.chain(b, a, c)
    assert isinstance(r, Result) and not r.ok
    r = m.chain(a, c, b)
    assert isinstance(r, Result) and not r.ok
    Result.bools = 0
    assert m.chain_cond(a, b, c) == 1 and m.chain_cond(b, a, c) == 0
    assert Result.bools == 3  # each part's truth tested once, as CPython does
    assert m.chain(1, 2, 3) is True and m.chain(1, 3, 2) is False
    assert pt.refcount_after(lambda: m.chain(a, b, c), b) == 0
    assert pt.refcount_after(lambda: m.chain_cond(a, b, c), b) == 0


def test_memory_stays_flat(m):
    xs = list(range(20))
    rows = [(i, str(i)) for i in range(10)]

    def work(n):
        for _ in range(n):
            m.listcomp(xs, ident)
            m.dictcomp(xs, str)
            m.gen_sum(xs, ident)
            m.unpack_for(rows)
            m.unpack_star(xs)
            m.chain(1, 2, 3)
            try:
                m.listcomp(xs, third_raises())
            except Boom:
                pass
            try:
                m.unpack2(xs)
            except ValueError:
                pass

    work(500)
    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        work(5000)
        gc.collect()
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert after - base < 64 * 1024, f"grew by {after - base} bytes over 5,000 rounds"
