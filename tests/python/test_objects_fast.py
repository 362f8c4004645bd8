"""The object fast paths that read CPython's structs without a call (`capi::layout`:
`ob_type`, `ob_size`, the items of a tuple or list, ...): the offsets the compiler uses are
this interpreter's, the type constants are the builtin types, and the reads keep every
reference count exact, on the fast path, on the fallback to Python's protocol and on the
error paths."""

from __future__ import annotations

import ctypes
import gc
import sys

import pytest

import pycc
from pycc import _pycc

FIELDS, TYPES = _pycc._object_layout()
OFFSETS = dict(FIELDS)


def word(obj, offset: int) -> int:
    return ctypes.c_ssize_t.from_address(id(obj) + offset).value


def test_offsets_match_this_interpreter():
    assert word(3.5, OFFSETS["ob_type"]) == id(float)
    assert word((1, 2, 3), OFFSETS["ob_size"]) == 3 and word([1] * 7, OFFSETS["ob_size"]) == 7
    assert word(b"abcd", OFFSETS["ob_size"]) == 4 and word(bytearray(5), OFFSETS["ob_size"]) == 5
    d = {1: 2, 3: 4}
    del d[1]
    assert word(d, OFFSETS["ma_used"]) == 1
    s = {1, 2, 3}
    s.discard(2)
    assert word(s, OFFSETS["used"]) == 2 and word(frozenset("abcd"), OFFSETS["used"]) == 4
    assert ctypes.c_double.from_address(id(-2.25) + OFFSETS["ob_fval"]).value == -2.25
    t = ("x", None, 7)
    assert [word(t, OFFSETS["tuple.ob_item"] + 8 * k) for k in range(3)] == [id(x) for x in t]
    xs = ["y", 8.5]
    items = word(xs, OFFSETS["list.ob_item"])
    assert [ctypes.c_ssize_t.from_address(items + 8 * k).value for k in range(2)] == [id(x) for x in xs]


def test_type_constants_are_the_builtin_types():
    import builtins

    assert [(name, ty) for name, ty in TYPES] == [(name, getattr(builtins, name)) for name, _ in TYPES]


SOURCE = '''
def get(x, i: int):
    return x[i]

def first_last(x):
    return [x[0], x[-1]]

def typed(xs: list, i: int):
    return xs[i]

def ttyped(t: tuple, i: int):
    return t[i]

def made(i: int):
    return [object(), object()][i]

def size(x: list = None):
    return len(x)
'''


@pytest.fixture(scope="module")
def mod():
    return pycc.compile_source(SOURCE, "objects_fast")


class Indexed:
    def __getitem__(self, i):
        return self.item


class SubTuple(tuple):
    def __getitem__(self, i):
        return tuple.__getitem__(self, i)


def test_items_keep_reference_counts(mod):
    item = object()
    containers = [[item, 1], (item, 1), SubTuple((item, 1)), [1, item], (1, item)]
    ind = Indexed()
    ind.item = item
    before = sys.getrefcount(item)
    for _ in range(1000):
        for c in containers:
            got = mod.get(c, 0) if c[0] is item else mod.get(c, -1)
            assert got is item
        assert mod.get(ind, 5) is item
        assert mod.first_last([item, item]) == [item, item]
        assert mod.typed([item], 0) is item and mod.typed([item], -1) is item
        assert mod.ttyped((item,), 0) is item
        del got
    assert sys.getrefcount(item) == before


@pytest.mark.parametrize("call, exc, msg", [
    (lambda m, c: m.get(c, 2), IndexError, "list index out of range"),
    (lambda m, c: m.get(c, -3), IndexError, "list index out of range"),
    (lambda m, c: m.get(tuple(c), 2), IndexError, "tuple index out of range"),
    (lambda m, c: m.get(tuple(c), -3), IndexError, "tuple index out of range"),
    (lambda m, c: m.typed(c, 5), IndexError, "list index out of range"),
    (lambda m, c: m.ttyped(tuple(c), -9), IndexError, "tuple index out of range"),
    (lambda m, c: m.get(None, 0), TypeError, "'NoneType' object is not subscriptable"),
    (lambda m, c: m.get({0: c[0]}, 1), KeyError, "1"),  # str(KeyError(1))
])
def test_errors_release_everything(mod, call, exc, msg):
    item = object()
    c = [item, item]
    before = (sys.getrefcount(item), sys.getrefcount(c))
    for _ in range(200):
        with pytest.raises(exc) as info:
            call(mod, c)
        assert str(info.value) == msg
    del info
    assert (sys.getrefcount(item), sys.getrefcount(c)) == before


def test_item_of_a_temporary_outlives_it(mod):
    # The list is a temporary released after the read: the item is taken first.
    for i in range(-2, 2):
        x = mod.made(i)
        assert type(x) is object and sys.getrefcount(x) == 2
    with pytest.raises(IndexError, match="list index out of range"):
        mod.made(2)


def test_len_reads_the_size(mod):
    xs = list(range(10))
    assert mod.size(xs) == 10
    del xs[3:]
    assert mod.size(xs) == 3
    with pytest.raises(TypeError, match=r"object of type 'NoneType' has no len\(\)"):
        mod.size(None)


STR_SOURCE = '''
def s(x):
    return str(x)

def r(x):
    return repr(x)
'''


class Odd:
    """`str()` and `repr()` of it return (or raise) `result`."""

    def __init__(self, result):
        self.result = result

    def __str__(self):
        if isinstance(self.result, Exception):
            raise self.result
        return self.result

    __repr__ = __str__


class MyStr(str):
    pass


def outcome(f, arg):
    try:
        got = f(arg)
        return type(got), got
    except Exception as e:  # noqa: BLE001 (the outcome is compared)
        return type(e), str(e)


@pytest.mark.parametrize("value", ["plain", MyStr("sub"), 5, ValueError("bad"), None])
def test_str_and_repr_as_the_builtins(value):
    m = pycc.compile_source(STR_SOURCE, "objects_str")
    for compiled, builtin in ((m.s, str), (m.r, repr)):
        assert outcome(compiled, Odd(value)) == outcome(builtin, Odd(value))
    if isinstance(value, Exception):
        value.__traceback__ = None
    gc.collect()
    before = sys.getrefcount(value)
    for _ in range(100):
        outcome(m.s, Odd(value))
        outcome(m.r, Odd(value))
    if isinstance(value, Exception):
        # Its traceback holds the frames of `__str__`, which hold it: a cycle, not a leak.
        value.__traceback__ = None
    gc.collect()
    assert sys.getrefcount(value) == before


FLOAT_SOURCE = '''
def ops(a, b):
    return [a + b, a - b, a * b, a / b]

def acc(xs):
    total = 0.0
    for x in xs:
        total += x * 2.0
    return total
'''


class MyFloat(float):
    def __add__(self, other):
        return "mine"


def test_float_operations_keep_reference_counts():
    m = pycc.compile_source(FLOAT_SOURCE, "objects_floats")
    a, b, c = 1.5e300, -2.5e-300, MyFloat(3.0)
    assert m.ops(a, b) == [a + b, a - b, a * b, a / b]
    assert m.ops(c, 2.0) == ["mine", 1.0, 6.0, 1.5] and m.ops(2, 0.5) == [2.5, 1.5, 1.0, 4.0]
    assert m.acc([a, 1, c]) == a * 2.0 + 2 + 6.0
    before = [sys.getrefcount(x) for x in (a, b, c)]
    for _ in range(1000):
        m.ops(a, b)
        m.ops(c, b)
        m.acc([a, b, c])
        with pytest.raises(ZeroDivisionError, match="float division by zero"):
            m.ops(a, 0.0)
        with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \+: 'float' and 'str'"):
            m.ops(a, "s")
    assert [sys.getrefcount(x) for x in (a, b, c)] == before


def test_str_is_the_name_when_the_line_runs():
    import builtins

    m = pycc.compile_source(STR_SOURCE, "objects_str_rebound")
    assert m.s(5) == "5"
    saved = builtins.str
    builtins.str = lambda x: ("builtins", x)
    try:
        assert m.s(5) == ("builtins", 5)
    finally:
        builtins.str = saved
    vars(m)["str"] = lambda x: ("module", x)
    assert m.s(5) == ("module", 5)
    del vars(m)["str"]
    assert m.s(5) == "5"
