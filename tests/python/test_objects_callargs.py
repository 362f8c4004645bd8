"""Argument passing in full, seen from Python: star arguments (`f(*xs, **kw)`), star items
(`[*a]`, `{**d}`) and `def` signatures with `/`, keyword-only parameters, `*args` and
`**kwargs`. Every object passed through them is released once on the normal path and on
every error path, memory stays flat, and the errors are CPython 3.11's, word for word
(including the ones that name the module, which the differential corpus cannot compare)."""

from __future__ import annotations

import gc
import inspect
import tracemalloc

import pytest

import pycc
import pycc_testing as pt

SOURCE = '''
def target(a, b=2):
    return a

def kwonly(a, *, k, m=2):
    return a

def posonly(a, b, /, c=0):
    return a

def varargs(a, *args):
    return args

def varkw(a, **kw):
    return kw

def everything(a, /, b, c=5, *args, d, e='e', **kw):
    return (a, b, c, args, d, e, kw)

def star(f, xs):
    return f(*xs)

def star_kw(f, xs, kw):
    return f(*xs, **kw)

def star_mixed(f, x, xs, ys, kw):
    return f(x, *xs, *ys, k=x, **kw)

def kw_only(f, kw):
    return f(**kw)

def kw_after(f, kw, x):
    return f(**kw, k=x)

def two_kw(f, kw, kw2):
    return f(**kw, **kw2)

def method(o, xs, kw):
    return o.append(*xs, **kw)

def call_target(xs, kw):
    return target(*xs, **kw)

def list_items(a, b):
    return [*a, b, *a]

def tuple_items(a, b):
    return (*a, b)

def set_items(a, b):
    return {*a, b}

def dict_items(d, x):
    return {**d, 'k': x, **d}

def direct(x):
    return varargs(x, x, x), varkw(x, y=x), kwonly(x, k=x), everything(x, x, x, x, d=x, z=x)
'''

NAME = "callargs_refs"


@pytest.fixture(scope="module")
def m():
    return pycc.compile_source(SOURCE, NAME, f"{NAME}.py")


@pytest.fixture(scope="module")
def py():
    """The same source under CPython, in a module of the same name (messages that name a
    function name its module)."""
    ns = {"__name__": NAME}
    exec(compile(SOURCE, f"{NAME}.py", "exec"), ns)
    return ns


def outcome(fn, *args, **kwargs):
    try:
        return ("ok", fn(*args, **kwargs))
    except Exception as e:  # noqa: BLE001 - compared with CPython's
        return (type(e).__name__, str(e))


class NoIter:
    pass


class Keys:
    """A mapping that is not a dict: `keys()` and `__getitem__`."""

    def __init__(self, d):
        self.d = d

    def keys(self):
        return list(self.d)

    def __getitem__(self, k):
        return self.d[k]


class Boom(Exception):
    pass


def sink(*args, **kwargs):
    return None


def exploding(n):
    """An iterable whose `n`th item raises."""
    for i in range(n):
        yield i
    raise Boom("iteration")


def test_signature_binding_errors_are_cpythons(m, py):
    cases = [
        ("target", (), {}),
        ("target", (1, 2, 3), {}),
        ("target", (1,), {"a": 2}),
        ("target", (1,), {"z": 2}),
        ("target", (1,), {"b": 2}),
        ("kwonly", (1,), {}),
        ("kwonly", (1, 2), {}),
        ("kwonly", (1, 2), {"k": 3}),
        ("kwonly", (1, 2, 3), {"k": 3, "m": 4}),
        ("kwonly", (), {"a": 1, "k": 2}),
        ("kwonly", (1,), {"k": 1, "z": 0}),
        ("posonly", (1, 2), {"a": 1}),
        ("posonly", (1, 2), {"a": 1, "b": 2, "c": 3}),
        ("posonly", (1,), {"b": 2}),
        ("posonly", (1, 2, 3, 4), {}),
        ("posonly", (1, 2), {"d": 4}),
        ("varargs", (), {}),
        ("varargs", (1, 2, 3), {"a": 1}),
        ("varargs", (1,), {"args": 1}),
        ("varkw", (), {"x": 1}),
        ("varkw", (1,), {"a": 2}),
        ("varkw", (1,), {"kw": 2, "a2": 3}),
        ("everything", (1,), {}),
        ("everything", (1, 2), {}),
        ("everything", (1, 2), {"a": 0}),
        ("everything", (), {"b": 1, "d": 2}),
        ("everything", (1, 2, 3, 4, 5), {"d": 1, "z": 2, "a": 3}),
        ("everything", (1,), {"b": 2, "c": 3, "d": 4, "e": 5}),
    ]
    for name, args, kwargs in cases:
        expected = outcome(py[name], *args, **kwargs)
        assert outcome(getattr(m, name), *args, **kwargs) == expected, (name, args, kwargs)
        # The same through a star call in compiled code (the generic path).
        assert outcome(m.star_kw, getattr(m, name), args, kwargs) == expected, (name, args, kwargs)


def test_star_call_errors_are_cpythons(m, py):
    f = py["target"]
    cases = [
        ("star", (f, 5)),
        ("star", (f, None)),
        ("star", (f, NoIter())),
        ("star", (max, 3)),
        ("star_kw", (f, (), 1)),
        ("star_kw", (f, (), [1])),
        ("star_kw", (f, 1, {})),
        ("star_kw", (f, (), {1: 2})),
        ("star_kw", (f, (), {"a": 1, "b": 2})),
        ("star_mixed", (f, 1, 5, (), {})),
        ("star_mixed", (f, 1, (), 5, {})),
        ("star_mixed", (f, 1, (), (), {"k": 2})),
        ("star_mixed", (py["varkw"], 1, (), (), {"k": 2})),
        ("star_mixed", (py["varkw"], 1, (), (), 7)),
        ("kw_only", (dict, {"a": 1})),
        ("kw_only", (dict, 3)),
        ("kw_only", (py["varkw"], Keys({"a": 1, "b": 2}))),
        ("kw_after", (py["varkw"], {"a": 1}, 2)),
        ("kw_after", (py["varkw"], {"k": 1}, 2)),
        ("kw_after", (py["varkw"], Keys({"k": 1}), 2)),
        ("two_kw", (py["varkw"], {"a": 1, "x": 2}, {"x": 3})),
        ("two_kw", (py["varkw"], {"a": 1}, Keys({"y": 3}))),
        ("method", ([], (1,), {})),
        ("method", ([], (1, 2), {})),
        ("method", ([], 5, {})),
        ("method", ([], (), 5)),
        ("list_items", (5, 1)),
        ("tuple_items", (None, 1)),
        ("set_items", (5, 1)),
        ("set_items", ([[]], 1)),
        ("dict_items", (5, 1)),
        ("dict_items", ([1], 1)),
        ("dict_items", (Keys({"a": 1}), 2)),
    ]
    for name, args in cases:
        assert outcome(getattr(m, name), *args) == outcome(py[name], *args), (name, args)
    # A compiled function as the callee names its module like a Python function does.
    assert outcome(m.star_kw, m.target, (), 1) == outcome(py["star_kw"], py["target"], (), 1)
    assert outcome(m.kw_after, m.varkw, {"k": 1}, 2) == outcome(py["kw_after"], py["varkw"], {"k": 1}, 2)


def test_star_arguments_are_evaluated_in_cpythons_order(m, py):
    # `f(x, *xs, k=x, **kw)`: a failing `**` is reported before a single bad `*` argument
    # is looked at (CPython checks the one star argument after the keywords are built).
    f = py["varkw"]
    for args in [(f, 1, (), (), 3), (f, 1, 5, (), 3)]:
        assert outcome(m.star_mixed, *args) == outcome(py["star_mixed"], *args)
    seen_py, seen_c = [], []
    for seen, fn in ((seen_py, py["star_kw"]), (seen_c, m.star_kw)):
        fn(lambda *a, **k: seen.append((a, sorted(k.items()))), iter([1, 2]), Keys({"x": 3}))
    assert seen_py == seen_c


def test_results(m):
    assert m.direct(1) == ((1, 1), {"y": 1}, 1, (1, 1, 1, (1,), 1, "e", {"z": 1}))
    assert m.list_items((1, 2), 3) == [1, 2, 3, 1, 2]
    assert m.tuple_items("ab", 3) == ("a", "b", 3)
    assert m.set_items([1, 1, 2], 3) == {1, 2, 3}
    assert m.dict_items({"k": 0, "a": 1}, 2) == {"k": 0, "a": 1}
    assert m.dict_items(Keys({"z": 1}), 2) == {"z": 1, "k": 2}
    assert m.star(max, iter([3, 9, 2])) == 9
    assert m.star_mixed(lambda *a, **k: (a, k), 1, [2], (3,), {"z": 4}) == ((1, 2, 3), {"k": 1, "z": 4})
    assert m.kw_only(dict, Keys({"a": 1})) == {"a": 1}


def test_signatures(m, py):
    for name in ["target", "kwonly", "posonly", "varargs", "varkw", "everything"]:
        got = inspect.signature(getattr(m, name))
        want = inspect.signature(py[name])
        assert [(p.name, p.kind, p.default) for p in got.parameters.values()] == [
            (p.name, p.kind, p.default) for p in want.parameters.values()
        ], name
    assert m.varargs.__pycc_param_kinds__ == ("pos", "varargs")
    assert m.everything.__pycc_param_kinds__ == ("posonly", "pos", "pos", "kwonly", "kwonly", "varargs", "varkw")


def test_star_parameters_release_what_they_hold(m):
    x = object()
    assert pt.refcount_after(lambda: m.varargs(x, x, x), x) == 0
    assert pt.refcount_after(lambda: m.varkw(x, y=x, z=x), x) == 0
    assert pt.refcount_after(lambda: m.everything(x, x, x, x, x, d=x, z=x), x) == 0
    assert pt.refcount_after(lambda: m.kwonly(x, k=x, m=x), x) == 0
    # Binding errors after the tuple and the dict were made.
    assert pt.refcount_after(lambda: m.everything(x, x, x, x, z=x), x) == 0  # missing d
    assert pt.refcount_after(lambda: m.everything(x, x, x, x, d=x, b=x), x) == 0  # b twice
    assert pt.refcount_after(lambda: m.kwonly(x, x, k=x), x) == 0
    assert pt.refcount_after(lambda: m.posonly(x, x, a=x), x) == 0
    assert pt.refcount_after(lambda: m.varargs(x, x, a=x), x) == 0
    # The results hold their references, no more.
    r = m.varargs(x, x, x)
    assert r == (x, x) and pt.refcount_after(lambda: m.varargs(x, x), x) == 0
    del r
    # Direct calls build the tuple and dict at the call.
    assert pt.refcount_after(lambda: m.direct(x), x) == 0


def test_star_calls_release_what_they_hold(m):
    x = object()
    xs = [x, x]
    kw = {"b": x}
    f = m.target
    assert pt.refcount_after(lambda: m.star(m.varargs, xs), x) == 0
    assert pt.refcount_after(lambda: m.star_kw(m.varkw, [x], {"y": x}), x) == 0
    assert pt.refcount_after(lambda: m.star_mixed(m.varkw, x, xs, (x,), {"y": x}), x) == 0
    # Error paths: not iterable, not a mapping, duplicate keywords, the callee's binding,
    # an iterable that raises midway, a raising callee.
    assert pt.refcount_after(lambda: m.star_kw(f, xs, 5), x) == 0
    assert pt.refcount_after(lambda: m.star_kw(f, 5, kw), x) == 0
    assert pt.refcount_after(lambda: m.star_kw(f, [x], {"a": x}), x) == 0
    assert pt.refcount_after(lambda: m.star_mixed(m.varkw, x, xs, 5, {"y": x}), x) == 0
    assert pt.refcount_after(lambda: m.star_mixed(m.varkw, x, xs, (), {"k": x}), x) == 0
    assert pt.refcount_after(lambda: m.two_kw(m.varkw, {"a": x, "y": x}, {"y": x}), x) == 0
    assert pt.refcount_after(lambda: m.star(f, xs * 3), x) == 0
    assert pt.refcount_after(lambda: m.star_kw(f, exploding(2), kw), x) == 0
    assert pt.refcount_after(lambda: m.star(lambda *a: 1 / 0, xs), x) == 0
    # The containers passed in are not touched: their references are as before.
    assert pt.refcount_after(lambda: m.star_kw(m.varkw, [x], kw), kw) == 0
    assert pt.refcount_after(lambda: m.star(m.varargs, xs), xs) == 0
    assert pt.refcount_after(lambda: m.star_kw(m.varkw, [x], 5), m.varkw) == 0
    assert kw == {"b": x} and xs == [x, x]


def test_star_items_release_what_they_hold(m):
    x = object()
    xs = [x, x]
    assert pt.refcount_after(lambda: m.list_items(xs, x), x) == 0
    assert pt.refcount_after(lambda: m.tuple_items(xs, x), x) == 0
    assert pt.refcount_after(lambda: m.set_items(xs, x), x) == 0
    assert pt.refcount_after(lambda: m.dict_items({"a": x}, x), x) == 0
    assert pt.refcount_after(lambda: m.list_items(exploding(3), x), x) == 0
    assert pt.refcount_after(lambda: m.set_items([x, []], x), x) == 0  # unhashable
    assert pt.refcount_after(lambda: m.dict_items(5, x), x) == 0
    assert pt.refcount_after(lambda: m.dict_items(Keys({"a": x, "b": 1}), x), x) == 0


def test_memory_stays_flat(m):
    xs = list(range(10))
    kw = {"y": 1, "z": 2}

    def work(n):
        for _ in range(n):
            m.star(m.varargs, xs)
            m.star_kw(m.varkw, [1], kw)
            m.star_mixed(sink, 1, xs, (2,), kw)
            m.list_items(xs, 1)
            m.dict_items(kw, 1)
            m.everything(1, 2, 3, 4, d=5, z=6)
            m.direct(1)
            for bad in (lambda: m.star_kw(m.target, xs, kw), lambda: m.star(m.target, 5), lambda: m.kwonly(1, 2)):
                try:
                    bad()
                except TypeError:
                    pass

    work(300)
    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        work(3000)
        gc.collect()
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert after - base < 64 * 1024, f"grew by {after - base} bytes over 3,000 rounds"
