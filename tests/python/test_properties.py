"""Property tests with Hypothesis (skipped when it is not installed: it is not in the CI
install list). They search the same corpus functions as the differential runner, with
Hypothesis choosing and shrinking the inputs, so a failure comes back as a minimal example.
"""

from __future__ import annotations

from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import pycc_testing as pt  # noqa: E402

INT64 = st.integers(min_value=pt.INT64_MIN, max_value=pt.INT64_MAX)
ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True)
SETTINGS = settings(max_examples=300, deadline=None, derandomize=True)


def _corpus(name: str):
    path = pt.CORPUS_DIR / name
    return path, pt.load_oracle(path), pt.import_pycc().compile_file(str(path))


_CACHE: dict[str, tuple] = {}


def corpus(name: str):
    if name not in _CACHE:
        _CACHE[name] = _corpus(name)
    return _CACHE[name]


def check(name: str, func: str, args, overflow: bool = False):
    path, ns, mod = corpus(name)
    call = pt.Call(path=Path(path), line=0, text=func, func=func, args=[], kwargs={}, overflow=overflow)
    exp = pt.expected_outcome(call, ns[func], args, {})
    act = pt.run_outcome(getattr(mod, func), args)
    assert pt.same_outcome(exp, act), f"{func}{tuple(args)}: CPython {exp!r}, pycc {act!r}"


@SETTINGS
@given(INT64, INT64)
def test_int_floordiv_mod(a, b):
    check("int_arith.py", "floordiv", (a, b), overflow=True)
    check("int_arith.py", "mod", (a, b))


@SETTINGS
@given(INT64, INT64)
def test_int_add_sub_mul(a, b):
    for f in ("add", "sub", "mul"):
        check("int_arith.py", f, (a, b), overflow=True)


@SETTINGS
@given(INT64, st.integers(min_value=-2, max_value=100))
def test_shifts(a, n):
    check("bitwise.py", "shl", (a, n), overflow=True)
    check("bitwise.py", "shr", (a, n))


@SETTINGS
@given(ANY_FLOAT, ANY_FLOAT)
def test_float_division_family(a, b):
    for f in ("fdiv", "ffloordiv", "fmodulo", "fcompare"):
        check("float_arith.py", f, (a, b))


@SETTINGS
@given(st.integers(min_value=0, max_value=23), ANY_FLOAT)
def test_math_one_argument(k, x):
    check("builtins_math.py", "math1", (k, x))


@SETTINGS
@given(INT64, ANY_FLOAT)
def test_int_float_comparison(a, x):
    check("compare_bool.py", "compare_int_float", (a, x))
