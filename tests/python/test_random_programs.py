"""Random programs (tests/python/progen.py), compiled and compared with their oracle.

Each module is 3-10 functions that call each other (in `.py`, about a quarter of them are
untyped object functions: big ints, str, list, tuple, dict, None, methods, comprehensions,
f-strings, called from typed code and calling it); it runs under its oracle
(CPython on a checked rendering for `.py`, Cython for `.pyx`) and under pycc's JIT and AOT
backends, each at both optimisation levels (`optimize=True/False`, `pycc build` / `-O0`).
The compiled code runs in a worker subprocess, so a crash or a hang is reported with the
module's source instead of taking pytest down.

Reproducible: `PYCC_PROGEN_SEED` (default below) and `PYCC_PROGEN_MODULES` (py modules),
`PYCC_PROGEN_PYX_MODULES` (pyx modules, Cython-checked).  A failure prints the module, the
call, the expected and the actual outcome, and the command that prints the module again.
The long campaign is `python tests/python/progen.py --modules 100000` (CONTRIBUTING.md).
"""

from __future__ import annotations

import importlib.util
import os
import re
import time

import pytest

import progen

SEED = int(os.environ.get("PYCC_PROGEN_SEED", "20251202"))
N_PY = int(os.environ.get("PYCC_PROGEN_MODULES", "120"))
N_PYX = int(os.environ.get("PYCC_PROGEN_PYX_MODULES", "20"))
# Refusals (diagnostics) are not failures, but a generator that mostly writes refused
# programs tests nothing: keep the rate low.
MAX_REFUSAL_RATE = 0.15


def _check(summary: progen.Summary, n_backends: int, what: str) -> None:
    refused = sum(summary.refused.values())
    rate = refused / max(1, summary.modules * n_backends)
    print(f"{what}: {summary.modules} modules, {summary.calls} calls, refused {summary.refused} ({rate:.1%}), "
          f"oracle failures {summary.oracle_fail}, failing modules {len(summary.failures)}")
    for s in summary.refusal_samples[:5]:
        print("  refusal:", s)
    reports = [progen.format_failure(*f) for f in summary.failures[:5]]
    assert not summary.failures, (
        f"{len(summary.failures)} of {summary.modules} random {what} modules fail (seed {SEED}):\n\n" + "\n\n".join(reports)
    )
    assert summary.oracle_fail <= summary.modules // 20, f"oracle failed on {summary.oracle_fail} modules: {summary.oracle_samples}"
    assert rate <= MAX_REFUSAL_RATE, f"{rate:.1%} of compiles refused; tune progen: {summary.refusal_samples[:10]}"


def test_random_py_modules():
    t0 = time.time()
    s = progen.run_supervised(SEED, 0, N_PY, "py", progen.ALL_BACKENDS)
    print(f"py: {time.time() - t0:.1f}s")
    assert s.modules == N_PY
    _check(s, len(progen.ALL_BACKENDS), "py")


@pytest.mark.skipif(importlib.util.find_spec("Cython") is None, reason="the pyx oracle is Cython, which is not installed")
def test_random_pyx_modules():
    t0 = time.time()
    s = progen.run_supervised(SEED, 0, N_PYX, "pyx", progen.ALL_BACKENDS)
    print(f"pyx: {time.time() - t0:.1f}s")
    assert s.modules == N_PYX
    _check(s, len(progen.ALL_BACKENDS), "pyx")


def test_generator_is_deterministic():
    for d in ("py", "pyx"):
        a = progen.make_module(SEED, 7, d)
        b = progen.make_module(SEED, 7, d)
        assert a.source == b.source and a.oracle == b.oracle


def test_generator_reaches_every_construct():
    """Over a few dozen modules the generator writes every construct it is meant to."""
    py = "\n".join(progen.make_module(SEED, i, "py").source for i in range(60))
    pyx = "\n".join(progen.make_module(SEED, i, "pyx").source for i in range(60))
    for needle in [" and ", " or ", " if ", "elif ", "else:", "while ", "for ", "range(", "break", "continue",
                   "+= ", "//", "%", "<<", ">>", "min(", "max(", "abs(", "math.", "not ", "d - 1", "int(", "float(",
                   "bool(", "-> bool", "-> float", "-> int"]:
        assert needle in py, f"py modules never contain {needle!r}"
    # object functions (py): untyped code over big ints, strings and containers
    for needle in [".append(", 'f"', " for x", ".get(", "sorted(", " ** ", "is None", ".join(", "{**", "lambda", "enumerate(",
                   ".items()", "zip(", "divmod(", "repr(", "[:", "'中文'", "not in", "any(", "sum(", "del ", ".upper()"]:
        assert needle in py, f"py modules never contain the object construct {needle!r}"
    assert re.search(r"\n    v\d+ = f\d+\(", py), "typed code never calls an object function"
    for needle in ["unsigned char", "signed char", "unsigned short", "unsigned int", "unsigned long long", "long long",
                   "<float>", "<double>", "bint", "cdef inline", "cpdef", "cdivision=True", "fmod(", "d - 1"]:
        assert needle in pyx, f"pyx modules never contain {needle!r}"


def test_typed_functions_keep_their_share():
    """Object functions are added beside the typed ones: at least two thirds stay typed."""
    kinds = [progen.is_obj(ret) for i in range(200) for _, _, ret, _ in progen.make_module(SEED, i, "py").funcs]
    assert 0.1 < sum(kinds) / len(kinds) < 1 / 3
