"""Lambdas, nested functions and imports inside functions, seen from Python: the function
objects are real callables (returned, stored, called by CPython code), each `lambda` with
constant defaults is one object made once per module, defaults computed at run time make a
new object per evaluation and hold their values, every reference is released, memory stays
flat over many evaluations, tracebacks name the lambda's line, local imports raise CPython's
errors, and module-level lambdas work under `compile_file` and as `pycc build` modules."""

from __future__ import annotations

import functools
import gc
import sys
import tracemalloc

import pytest

import pycc
import pycc_testing as pt
from test_modules import run_three

SOURCE = '''
def make_adder():
    return lambda x, k=1: x + k


def make_scaler(k):
    return lambda x, k=k: x * k


def make_nested():
    def helper(a, b=2):
        "Adds."
        return a + b
    return helper


def sort_by(xs):
    return sorted(xs, key=lambda kv: kv[1])


def in_loop(n):
    for i in range(n):
        f = lambda v: v
        f(i)
    return n


def in_loop_dynamic(n, box):
    fs = []
    for i in range(n):
        fs.append(lambda v, b=box: b)
    return len(fs)


def keep_default(obj):
    return lambda b=obj: b


def raising():
    return lambda x: x + 1


def local_import_missing(flag):
    if flag:
        import pycc_no_such_module_xyz
        return pycc_no_such_module_xyz
    return 0


def local_import_missing_name():
    from collections import no_such_name_xyz
    return no_such_name_xyz


def local_math(x: float) -> float:
    import math
    return math.sqrt(x)


def local_math_module():
    import math
    return math
'''


@pytest.fixture(scope="module")
def m():
    return pycc.compile_source(SOURCE, "lambdas", "lambdas.py")


def test_lambdas_are_callables_python_calls(m):
    add = m.make_adder()
    assert add(2) == 3 and add(2, 5) == 7 and add(x=1, k=10) == 11
    assert add.__name__ == "<lambda>"
    assert add.__qualname__ == "make_adder.<locals>.<lambda>"
    assert sorted([3, 1, 2], key=m.make_scaler(-1)) == [3, 2, 1]
    assert list(map(m.make_scaler(3), [1, 2])) == [3, 6]
    assert functools.reduce(m.make_nested(), [1, 2, 3]) == 6
    helper = m.make_nested()
    assert helper(1) == 3 and helper.__name__ == "helper" and helper.__doc__ == "Adds."
    assert helper.__qualname__ == "make_nested.<locals>.helper"
    assert m.sort_by([("a", 2), ("b", 1)]) == [("b", 1), ("a", 2)]
    with pytest.raises(TypeError, match=r"make_adder\.<locals>\.<lambda>\(\) missing 1 required positional argument: 'x'"):
        add()


def test_constant_lambdas_are_made_once_and_dynamic_ones_each_time(m):
    assert m.make_adder() is m.make_adder()
    a, b = m.make_scaler(2), m.make_scaler(3)
    assert a is not b
    assert (a(5), b(5)) == (10, 15)
    assert a.__qualname__ == "make_scaler.<locals>.<lambda>"
    import inspect

    assert inspect.signature(a).parameters["k"].default == 2
    assert inspect.signature(m.make_adder()).parameters["k"].default == 1
    with pytest.raises(TypeError, match="takes from 1 to 2 positional arguments but 3 were given"):
        a(1, 2, 3)


def test_defaults_computed_at_run_time_hold_their_object(m):
    class O:
        pass

    o = O()
    before = sys.getrefcount(o)
    f = m.keep_default(o)
    assert sys.getrefcount(o) == before + 1
    assert f() is o
    del f
    gc.collect()
    assert sys.getrefcount(o) == before


def test_references_are_released(m):
    x = object()
    assert pt.refcount_after(lambda: m.in_loop_dynamic(5, x), x) == 0
    assert pt.refcount_after(lambda: m.keep_default(x)(), x) == 0
    assert pt.refcount_after(lambda: m.sort_by([(x, 1), (x, 0)]), x) == 0
    assert pt.refcount_after(lambda: m.raising()(x), x) == 0
    f = m.make_adder()
    before = sys.getrefcount(f)
    for _ in range(100):
        m.make_adder()
    assert sys.getrefcount(f) == before


def test_memory_stays_flat_over_many_lambdas(m):
    def work(rounds):
        for i in range(rounds):
            m.in_loop(10)
            m.in_loop_dynamic(3, i)
            m.make_scaler(i)(2)
            m.make_nested()(i)
            try:
                m.raising()(None)
            except TypeError:
                pass

    work(1000)
    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        work(10_000)
        gc.collect()
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert after - base < 64 * 1024, f"grew by {after - base} bytes over 10,000 rounds"


def test_traceback_names_the_lambda_line(m):
    f = m.raising()
    with pytest.raises(TypeError, match="can only concatenate|unsupported operand") as info:
        f("x")
    entries = [(str(e.path), e.lineno + 1, e.name) for e in info.traceback]
    line = SOURCE.splitlines().index("    return lambda x: x + 1") + 1
    assert any(p.endswith("lambdas.py") and n == line and name == "<lambda>" for p, n, name in entries), entries


def test_local_imports(m):
    assert m.local_import_missing(0) == 0
    with pytest.raises(ModuleNotFoundError, match="pycc_no_such_module_xyz"):
        m.local_import_missing(1)
    with pytest.raises(ImportError, match="cannot import name 'no_such_name_xyz' from 'collections'"):
        m.local_import_missing_name()
    assert m.local_math(9.0) == 3.0
    with pytest.raises(ValueError, match="math domain error"):
        m.local_math(-1.0)
    import math

    assert m.local_math_module() is math


def test_closures_are_refused_naming_the_variable():
    with pytest.raises(pycc.CompileError, match=r"this lambda reads `n`, a local variable of `f`: closures are not supported yet"):
        pycc.compile_source("def f(n):\n    return lambda x: x + n\n", "closure", "closure.py")


MODULE_PROGRAM = '''
import functools
DOUBLE = lambda v: v * 2
INC = lambda v, k=1: v + k
if True:
    def pick(a, b):
        return a if a > b else b


def use(xs):
    return sorted(xs, key=lambda v: -v), [DOUBLE(v) for v in xs], functools.reduce(pick, xs)


print(DOUBLE.__name__, DOUBLE.__qualname__, INC(1), INC(1, 5), pick.__qualname__)
print(use([3, 1, 2]))
print(sorted({"b": 1, "a": 2}.items(), key=lambda kv: kv[1]))
'''


@pytest.mark.skipif(pt.find_cli()[0] is None, reason="needs the pycc CLI")
def test_module_level_lambdas_run_as_cpython_runs_them(tmp_path):
    cpython, jit, aot = run_three(tmp_path, MODULE_PROGRAM)
    assert cpython.returncode == 0, cpython.stderr
    assert jit.returncode == 0, jit.stderr
    assert aot.returncode == 0, aot.stderr
    assert "<lambda> <lambda> 2 6 pick" in cpython.stdout
    assert jit.stdout == cpython.stdout
    assert aot.stdout == cpython.stdout
