"""Differential tests through the `@jit` decorator: functions defined in this module, compiled
by `pycc.jit` / `pycc.njit`, compared with their interpreted originals (`f.py_func`) on
generated inputs (the generators and options of the corpus, see test_differential.py).
Also: calls between two `@jit` functions, a call to a function defined later, keyword
arguments and defaults, argument errors, deep recursion, and compile errors that point at
the line of this file."""

from __future__ import annotations

import inspect
import math
import re
from pathlib import Path

import pytest

import pycc_testing as pt

try:
    import pycc

    jit, njit = pycc.jit, pycc.njit
    IMPORT_ERROR = None
except Exception as e:  # noqa: BLE001 - reported by the fixture below, not at collection
    IMPORT_ERROR = e

    def jit(*args, **kwargs):
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return args[0]
        return lambda f: f

    njit = jit


@pytest.fixture(autouse=True)
def _needs_pycc():
    if IMPORT_ERROR is not None:
        pytest.fail(f"`import pycc` (with `jit` and `njit`) failed: {IMPORT_ERROR!r}; `pip install .` at the repo root")


@jit
def add(a: int, b: int) -> int:
    return a + b


@jit
def caller(a: int, b: int) -> int:
    # Calls between two @jit functions.
    return add(a, b) * 3 - add(b, -a)


@jit
def uses_later(n: int) -> int:
    # `defined_later` does not exist yet when this decorator runs.
    return defined_later(n, 2) + 1


@jit
def defined_later(n: int, k: int) -> int:
    return n * k - n // 3


@jit
def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


@jit()
def with_parens(x: float) -> float:
    return x * 0.5 - 1.0


@njit
def via_njit(a: int, b: int) -> int:
    return a // b + a % b


@jit
def kw_default(x: float, scale: float = 2.0, shift: int = 1) -> float:
    return x * scale + shift


@jit
def calls_with_keywords(x: float) -> float:
    return kw_default(x, shift=-4) + kw_default(scale=0.25, x=x)


@jit
def hypot_loop(n: int, x: float) -> float:
    acc = 0.0
    for i in range(n):
        acc += math.sqrt(x * x + i)
    return acc


@jit
def float_rules(a: float, b: float) -> float:
    return a / b + a // b - a % b


@jit
def collatz(n: int) -> int:
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


@jit
def classify(x: float) -> int:
    if math.isnan(x):
        return 0
    elif x < 0.0:
        return -1
    elif x == 0.0:
        return 2
    return 1


@jit
def sum_down(n: int) -> int:
    if n <= 0:
        return 0
    return n + sum_down(n - 1)


@jit
def int_pow(b: int, e: int) -> int:
    return b ** e


# (function, `# call:`-style arguments, options), as in the corpus.
CASES = [
    (add, "int(-10**6, 10**6), int(-10**6, 10**6)", ""),
    (add, "int64(), int64()", "overflow"),
    (caller, "int(-10**6, 10**6), int(-10**6, 10**6)", ""),
    (uses_later, "int(-10**6, 10**6)", ""),
    (defined_later, "int(-1000, 1000), int(-1000, 1000)", ""),
    (fib, "int(0, 22)", "n=23"),
    (with_parens, "floats_special()", ""),
    (via_njit, "int(-1000, 1000), int(-20, 20)", ""),
    (kw_default, "float(-10, 10)", ""),
    (kw_default, "float(-10, 10), shift=int(-5, 5)", ""),
    (kw_default, "x=float(-10, 10), scale=float(-2, 2)", ""),
    (calls_with_keywords, "float(-100, 100)", ""),
    (hypot_loop, "int(-2, 100), float(-10, 10)", ""),
    (float_rules, "floats_special(), floats_special()", ""),
    (collatz, "int(1, 10**5)", "n=100"),
    (classify, "floats_special()", ""),
    (sum_down, "int(0, 300)", "n=40"),
    (int_pow, "int(-30, 30), int(0, 40)", "overflow"),
]


def _case_id(case):
    fn, args, opts = case
    return f"{fn.__name__}({args}){'[' + opts + ']' if opts else ''}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_jit_matches_py_func(case):
    fn, arg_text, opts = case
    py_func = getattr(fn, "py_func", None)
    assert callable(py_func), f"`{fn.__name__}` has no `py_func` (the interpreted original)"
    call = pt._parse_call(Path(__file__), 0, opts, f"{fn.__name__}({arg_text})")
    rows = []
    inputs = call.inputs()
    for args, kwargs in inputs:
        exp = pt.expected_outcome(call, py_func, args, kwargs)
        act = pt.run_outcome(fn, args, kwargs)
        if not pt.same_outcome(exp, act):
            rows.append((pt.show_call(fn.__name__, args, kwargs), exp, act))
    assert not rows, pt.mismatch_report(f"@jit vs py_func, {_case_id(case)}", rows, len(inputs))


def test_py_func_is_the_original():
    src = inspect.getsource(add.py_func)
    assert "def add(a: int, b: int) -> int:" in src
    assert add.py_func(2, 3) == 5
    assert add.__name__ == "add"


@pytest.mark.parametrize(
    "call",
    [
        lambda: add(1),
        lambda: add(1, 2, 3),
        lambda: add(1, c=2),
        lambda: add("1", 2),
        lambda: add(1.5, 2),
        lambda: kw_default(),
        lambda: kw_default(1.0, scale=2.0, x=3.0),
    ],
    ids=["too-few", "too-many", "unknown-keyword", "str-for-int", "float-for-int", "missing-required", "duplicate-argument"],
)
def test_bad_arguments_raise_type_error(call):
    with pytest.raises(TypeError):
        call()


def test_deep_recursion_raises_recursion_error_not_a_crash():
    # CPython raises RecursionError after ~1000 frames; compiled code must raise it too
    # (from its stack-limit check) instead of overflowing the C stack.
    with pytest.raises(RecursionError):
        sum_down.py_func(10**8)
    with pytest.raises(RecursionError):
        sum_down(10**8)
    # and the function still works afterwards
    assert sum_down(100) == 5050


BAD_MODULE = """\
import pycc


def fine(x: int) -> int:
    return x


@pycc.jit
def bad(x: int) -> int:
    y = x * 2
    return y + 1.5j
"""


def test_compile_error_points_at_the_users_file_line_and_column(tmp_path, monkeypatch):
    (tmp_path / "jit_bad_module.py").write_text(BAD_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(pycc.CompileError) as info:
        import jit_bad_module  # compiles at decoration, or lazily at the first call

        jit_bad_module.bad(1)
    text = str(info.value)
    m = re.search(r"jit_bad_module\.py:(\d+):(\d+): error: (.*) \[unsupported-syntax\]", text)
    assert m, f"no `jit_bad_module.py:LINE:COL: error: ... [unsupported-syntax]` in:\n{text}"
    assert (int(m.group(1)), int(m.group(2))) == (11, 16), f"expected 11:16 (`1.5j`):\n{text}"
    assert "return y + 1.5j" in text, f"the source line is not shown:\n{text}"
    assert "\n   |" in text and "^" in text, f"no caret line:\n{text}"


def test_compile_error_in_a_nested_function_names_the_line_in_this_file():
    def bad(x: int) -> int:
        return x + 1.5j

    bad_line = inspect.getsourcelines(bad)[1] + 1
    with pytest.raises(pycc.CompileError) as info:
        compiled = jit(bad)
        compiled(1)
    text = str(info.value)
    m = re.search(r"test_jit_decorator\.py:(\d+):(\d+): error: (.*) \[unsupported-syntax\]", text)
    assert m, f"no `test_jit_decorator.py:LINE:COL: error: ... [unsupported-syntax]` in:\n{text}"
    assert int(m.group(1)) == bad_line, f"the error names line {m.group(1)}, the bad line is {bad_line}:\n{text}"
    assert "complex" in m.group(3)
    # (The column is not checked: pycc documents that nested functions are compiled from
    # their dedented text, so columns are off by the indentation.)


def test_compiled_results_have_python_types():
    assert type(add(1, 2)) is int
    assert type(with_parens(3.0)) is float
    assert type(classify(1.0)) is int
    assert math.isnan(with_parens(math.nan))
