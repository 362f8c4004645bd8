"""Differential tests: every corpus function runs under CPython (the oracle), under the JIT
(`pycc.compile_file`) and as an AOT extension module (`pycc build`), and all must agree.

The corpus
==========
`tests/run/*.py` and `tests/run/*.pyx` (files starting with `_` are ignored). Each file is a
module of typed functions; comment lines in it (anywhere, on their own line) say what to
call. CPython runs `.py` files as they are (with a stand-in for the `cython` module of
pure-Python mode) and `.pyx` files as translated by `pycc._pycc.translate`.

    # call: NAME(GEN, GEN, ..., KEYWORD=GEN)
    # call[OPTIONS]: NAME(...)
    # ref: NAME = PYTHON-EXPRESSION
    # not-exported: NAME, NAME

`# call:` calls exported function NAME with inputs drawn from the generators (keyword
generators are passed as keyword arguments). Generators:

    int(lo, hi)        integers in [lo, hi]; edges lo, hi, 0, ±1, lo+1, hi-1 (those in range)
    int64()            any signed 64-bit integer, magnitudes spread over all bit lengths
    float(lo, hi)      uniform doubles in [lo, hi]; edges lo, hi, 0.0, -0.0, ±1.0, ±0.5 in range
    f32(lo, hi)        like float(), rounded to values a C `float` holds exactly
    floats_special()   nan, ±inf, ±0.0, subnormals, ±max, 1e±300, ... plus random doubles
                       of any exponent
    choice(a, b, ...)  one of the listed values (all are edges)
    array(dtype, shape, lo, hi, step=1, transpose=False)
                       NumPy arrays for memoryview parameters (see `pycc_testing.ArrayGen`);
                       each call gets a fresh copy. Calls with arrays are skipped while NumPy
                       or the runtime's memoryview parameters are missing.
    const(v) or v      always v
    bool()             False or True
    text(max_len=12)   short strings (ASCII, accents, BMP, spaces, punctuation, digits)
    ints(lo=-50, hi=50, max_len=8)
                       lists of integers (each call gets its own copy)
    obj()              objects of many types: None, bools, ints of any size, floats,
                       strings, bytes, tuples, lists, dicts
    kinds()            an object of each builtin kind pycc types (list, tuple, dict, set,
                       frozenset, str, bytes, bytearray), None, numbers, subclasses,
                       an object with only __getitem__/__len__
    any_of(g, ...)     the union of generators

The bound expressions may use arithmetic and the names `inf`, `nan`, `pi`.
Inputs are deterministic (seeded by file name and call text): first combinations of edge
values (at most half of the inputs), then random draws. OPTIONS, comma-separated:

    n=N            number of distinct inputs (default 200; use fewer for slow functions)
    overflow       pycc's Python `int` is 64-bit: where CPython returns an int outside
                   [-2**63, 2**63), expect OverflowError (any message) instead. Only valid
                   when such a value is the result itself (a monotone computation), not an
                   intermediate that comes back into range.
    wrap=T         C wrapping: reduce CPython's integer result modulo 2**bits into the range
                   of T (i8 u8 i16 u16 i32 u32 i64 u64), or round a float result to a C
                   `float` (f32). Exact for results of + - * (ring homomorphism), so keep
                   wrapped cases to those operations.
    xfail=REASON   a known compiler bug: the test is expected to fail (strict; the reason
                   cannot contain `,` or `]`).

`# ref:` replaces the oracle for NAME by a Python expression (usually a lambda) for cases
where CPython's result is not pycc's by design: C division, saturating casts, libc.math,
the documented deviations. It sees the oracle's functions and these helpers: `math`,
`libm` (the C math library through ctypes), `Raises(Exc, msg=None)` (return it to expect
an exception; msg None = any message), `wrap(v, "u32")`, `round_f32`, `c_trunc_div`,
`c_rem`, `ieee_div`, `c_saturate(x, "i32")`, `INT64_MIN`, `INT64_MAX`, and for typed
object parameters `kind_checked(f, xs="list!~", ret="list")` (Cython's argument tests:
`!` refuses None, `~` is an annotation) and `expect_kind(v, "list")`.

`# not-exported:` names functions (cdef) that must not be attributes of the compiled module.

Comparison: the same exception type (exactly) and message, or return values of the same
type (int / float / bool / None) and value; floats by bit pattern (so -0.0 != 0.0), except
that all NaNs are equal.

Adding a case: write the function in a corpus file and one `# call:` line above it.
"""

from __future__ import annotations

import pytest

import pycc_testing as pt

FILES = [pt.parse_corpus_file(p) for p in pt.corpus_files()]
BACKENDS = ["jit", "aot"]
# Exceptions a corpus function may raise under CPython; anything else (NameError,
# TypeError, UnboundLocalError, RecursionError, ...) means the corpus case is wrong.
# What compiled code raises: its checks, and what Python operations on objects raise.
ORACLE_EXCEPTIONS = (ZeroDivisionError, OverflowError, ValueError, TypeError, LookupError, AttributeError, NameError)


def _call_params():
    for cf in FILES:
        for call in cf.calls:
            for backend in BACKENDS:
                marks = [pytest.mark.xfail(strict=True, reason=call.xfail)] if call.xfail else []
                yield pytest.param(cf, call, backend, id=f"{call.id}-{backend}", marks=marks)


def _file_ids(cf):
    return cf.path.name


@pytest.mark.parametrize("cf", FILES, ids=_file_ids)
def test_corpus_file_is_well_formed(cf):
    assert not cf.errors, "\n".join(cf.errors)
    assert cf.calls, f"{cf.path.name} has no `# call:` line"
    called = {c.func for c in cf.calls}
    unused = sorted(set(cf.refs) - called)
    assert not unused, f"`# ref:` for functions never called: {unused}"
    both = sorted(called & set(cf.not_exported))
    assert not both, f"functions both called and declared not exported: {both}"


@pytest.mark.parametrize("cf", FILES, ids=_file_ids)
def test_oracle(cf, oracle):
    """The oracle side alone: the file runs under CPython, every call names a function, the
    inputs are as many as asked, and CPython raises only the exceptions compiled code can."""
    if any(pt.uses_arrays(c) for c in cf.calls):
        pytest.importorskip("numpy", reason="corpus files with array arguments need NumPy")
    problems = []
    for call in cf.calls:
        rows = oracle.expected(cf, call)
        if len(rows) < min(call.n, 10) and len(rows) < _domain_size(call):
            problems.append(f"{call.id}: only {len(rows)} distinct inputs")
        for args, kwargs, exp in rows:
            if isinstance(exp, pt.Raises) and not exp.declared and not issubclass(exp.exc, ORACLE_EXCEPTIONS):
                problems.append(f"{call.id}: {pt.show_call(call.func, args, kwargs)} raises {exp!r} under CPython")
                break
        if all(isinstance(exp, pt.Raises) and not exp.declared for _, _, exp in rows):
            problems.append(f"{call.id}: every input raises under CPython; the case tests nothing else")
    assert not problems, "\n".join(problems)


def _domain_size(call) -> int:
    import math

    sizes = []
    for g in call.args + list(call.kwargs.values()):
        if isinstance(g, (pt.Choice, pt.Bool)):
            sizes.append(len(g.edges()))
        elif isinstance(g, pt.IntRange):
            sizes.append(g.hi - g.lo + 1)
        else:
            return 1 << 62
    return math.prod(sizes)


_VIEWS_MISSING: list = []


def views_unavailable() -> str | None:
    """Why calls with array arguments cannot run yet (`None` when they can): NumPy is not
    installed, or the runtime does not accept memoryview parameters (it raises a
    SystemError naming them until the buffer side of the boundary lands)."""
    if not _VIEWS_MISSING:
        reason = None
        try:
            import array  # noqa: PLC0415

            import numpy  # noqa: F401, PLC0415

            pycc = pt.import_pycc()
            mod = pycc.compile_source("import cython\ndef first(a: cython.double[:]) -> float:\n    return a[0]\n", "views_probe")
            if mod.first(array.array("d", [1.5])) != 1.5:
                reason = "memoryview parameters give wrong values"
        except ImportError as e:
            reason = f"NumPy is not installed ({e})"
        except SystemError as e:
            if "memoryview" not in str(e):
                raise
            reason = f"the runtime does not accept memoryview parameters yet ({e})"
        except Exception as e:  # noqa: BLE001 - an installed pycc older than memoryviews
            if type(e).__name__ != "CompileError":
                raise
            reason = "the installed pycc does not compile memoryviews (rebuild it with `pip install .`)"
        _VIEWS_MISSING.append(reason)
    return _VIEWS_MISSING[0]


def _skip_without_views(cf) -> None:
    if any(pt.uses_arrays(c) for c in cf.calls):
        reason = views_unavailable()
        if reason:
            pytest.skip(reason)


@pytest.mark.parametrize("cf, call, backend", list(_call_params()))
def test_call(cf, call, backend, oracle, backends):
    _skip_without_views(cf)
    expected = oracle.expected(cf, call)
    mod = backends.module(backend, cf.path)
    fn = getattr(mod, call.func, None)
    assert fn is not None, f"{backend}: {cf.path.name} compiled, but the module has no `{call.func}`"
    rows = []
    for args, kwargs, exp in expected:
        act = pt.run_outcome(fn, args, kwargs)
        if not pt.same_outcome(exp, act):
            rows.append((pt.show_call(call.func, args, kwargs), exp, act))
    assert not rows, pt.mismatch_report(f"{backend} vs CPython, {call.id} `{call.text}`", rows, len(expected))


@pytest.mark.parametrize("cf", FILES, ids=_file_ids)
@pytest.mark.parametrize("backend", BACKENDS)
def test_traceback_names_the_raising_line(cf, backend, oracle, backends):
    """An exception raised in compiled code carries a traceback frame for the compiled
    function, at the line CPython's innermost frame names (translated `.pyx` keeps lines)."""
    _skip_without_views(cf)
    raising = {
        call.line: [r for r in oracle.expected(cf, call) if isinstance(r[2], pt.Raises) and not r[2].declared][:5]
        for call in cf.calls
        if call.func not in cf.refs and not call.xfail
    }
    if not any(raising.values()):
        pytest.skip(f"no call of {cf.path.name} raises under CPython")
    mod = backends.module(backend, cf.path)
    rows, total = [], 0
    for call in cf.calls:
        fn = getattr(mod, call.func, None)
        for args, kwargs, exp in raising.get(call.line, []):
            act = pt.run_outcome(fn, args, kwargs) if fn is not None else None
            if not isinstance(act, pt.Raises) or act.exc is not exp.exc:
                continue  # a wrong outcome is test_call's to report
            total += 1
            if act.where != exp.where:
                rows.append((pt.show_call(call.func, args, kwargs), exp.where, act.where))
    lines = [f"  {c}: CPython raises in {e}, {backend} in {a}" for c, e, a in rows[:12]]
    assert not rows, f"{len(rows)} of {total} exceptions point elsewhere than CPython's ((function, line)):\n" + "\n".join(lines)


@pytest.mark.parametrize("cf", [cf for cf in FILES if cf.not_exported], ids=_file_ids)
@pytest.mark.parametrize("backend", BACKENDS)
def test_not_exported(cf, backend, backends):
    _skip_without_views(cf)
    mod = backends.module(backend, cf.path)
    for name in cf.not_exported:
        with pytest.raises(AttributeError):
            getattr(mod, name)
