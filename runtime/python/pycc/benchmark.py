"""`pycc bench`: the same calls, interpreted by CPython and compiled by pycc (and, where
installed, by Cython and Numba), checked for equal results and timed side by side.

Timings are medians over `repeat` samples, each sample long enough (auto-ranged, as
`timeit` does) to be above the clock's noise; the min-max spread is reported too, since
shared machines are noisy.
"""

import argparse
import importlib.util
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import timeit
import types

_counter = 0


def _unique(stem):
    global _counter
    _counter += 1
    return f"{stem}_pycc_bench_{os.getpid()}_{_counter}"


def interpreted_source(path):
    """The source CPython runs for `path`: a `.pyx` file with its Cython syntax removed."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith((".pyx", ".pxi")):
        from . import _pycc

        text = _pycc.translate(text, path)
    return text


def load_interpreted(path):
    """Runs `path` under CPython (with a `cython` stand-in if Cython is not installed)."""
    from . import shadow

    shadow.install()
    module = types.ModuleType(_unique(os.path.splitext(os.path.basename(path))[0]))
    module.__file__ = path
    exec(compile(interpreted_source(path), path, "exec"), module.__dict__)
    return module


def load_compiled(path):
    from . import compile_file

    started = time.perf_counter()
    module = compile_file(path)
    return module, time.perf_counter() - started


def load_cython(path):
    """Builds `path` with Cython into a scratch directory; returns (module, build seconds)."""
    try:
        import Cython  # noqa: F401
    except ImportError:
        return None, "not installed"
    stem = _unique(os.path.splitext(os.path.basename(path))[0])
    ext = ".pyx" if path.endswith(".pyx") else ".py"
    tmp = tempfile.mkdtemp(prefix="pycc-bench-cython-")
    with open(path, encoding="utf-8") as src, open(os.path.join(tmp, stem + ext), "w", encoding="utf-8") as dst:
        dst.write(src.read())
    script = textwrap.dedent(f"""
        from setuptools import setup
        from Cython.Build import cythonize
        setup(ext_modules=cythonize({stem + ext!r}, quiet=True, compiler_directives={{"language_level": 3}}),
              script_args=["build_ext", "--inplace", "-q"])
    """)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        return None, "build failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1]
    built = [f for f in os.listdir(tmp) if f.startswith(stem) and f.endswith((".so", ".pyd"))]
    spec = importlib.util.spec_from_file_location(stem, os.path.join(tmp, built[0]))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, seconds


def load_numba(path):
    """The interpreted module with every function it defines replaced by `numba.njit` of it."""
    try:
        import numba
    except ImportError:
        return None, "not installed"
    if not path.endswith(".py"):
        return None, "n/a for .pyx"
    module = load_interpreted(path)
    for name, value in list(vars(module).items()):
        if isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
            setattr(module, name, numba.njit(value))
    return module, 0.0


def _outcome(expr, namespace):
    try:
        return ("ok", eval(expr, namespace))
    except Exception as exc:  # the comparison is the point: any exception is an outcome
        return ("raised", type(exc).__name__, str(exc))


def same_outcome(a, b):
    if a[0] != b[0]:
        return False
    if a[0] == "raised":
        return a[1:] == b[1:]
    x, y = a[1], b[1]
    if isinstance(x, float) and isinstance(y, float):
        return x == y or (math.isnan(x) and math.isnan(y))
    return type(x) is type(y) and x == y


def time_call(expr, namespace, repeat):
    """Median, min and max seconds per call over `repeat` auto-ranged samples."""
    # A call that raises is timed too (raising is its outcome), instead of aborting the run.
    timer = timeit.Timer(f"try:\n    {expr}\nexcept Exception:\n    pass", globals=namespace)
    number, total = timer.autorange()
    samples = [total / number] + [t / number for t in timer.repeat(repeat=max(repeat - 1, 0), number=number)]
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "samples": len(samples)}


def bench_file(path, calls, repeat=5, against=()):
    """Benchmarks `calls` (Python expressions) on `path`; returns the figures as a dict."""
    interpreted = load_interpreted(path)
    compiled, compile_seconds = load_compiled(path)
    others = {}
    for name in against:
        started = time.perf_counter()
        module, info = {"cython": load_cython, "numba": load_numba}[name](path)
        others[name] = {"module": module, "note": info if module is None else None,
                        "build_seconds": info if module is not None and name == "cython" else None,
                        "load_seconds": time.perf_counter() - started}
    report = {"file": path, "compile_seconds": compile_seconds, "repeat": repeat, "calls": []}
    for expr in calls:
        row = {"call": expr}
        expected = _outcome(expr, vars(interpreted))
        got = _outcome(expr, vars(compiled))
        row["agree"] = same_outcome(expected, got)
        row["result"] = repr(expected[1]) if expected[0] == "ok" else f"{expected[1]}: {expected[2]}"
        if not row["agree"]:
            row["compiled_result"] = repr(got[1]) if got[0] == "ok" else f"{got[1]}: {got[2]}"
        row["cpython"] = time_call(expr, vars(interpreted), repeat)
        row["pycc"] = time_call(expr, vars(compiled), repeat)
        for name, other in others.items():
            if other["module"] is None:
                row[name] = {"note": other["note"]}
                continue
            namespace = vars(other["module"])
            first = time.perf_counter()
            outcome = _outcome(expr, namespace)
            first = time.perf_counter() - first
            entry = {"agree": same_outcome(expected, outcome)}
            if name == "numba":
                entry["first_call_seconds"] = first
            if outcome[0] == "raised" and expected[0] != "raised":
                entry["note"] = f"failed: {outcome[1]}: {outcome[2]}"[:80]
            else:
                entry.update(time_call(expr, namespace, repeat))
            if name == "cython":
                entry["build_seconds"] = other["build_seconds"]
            row[name] = entry
        report["calls"].append(row)
    return report


def _fmt_time(seconds):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            return f"{seconds / scale:.3g} {unit}"
    return "?"


def _fmt_spread(t):
    return f"{_fmt_time(t['median'])} [{_fmt_time(t['min'])}-{_fmt_time(t['max'])}]"


def format_report(report, against=()):
    header = ["call", "CPython median [min-max]", "pycc median [min-max]", "speedup"]
    for name in against:
        header += [f"{name} median", f"{name} speedup"]
    rows = []
    for row in report["calls"]:
        cells = [row["call"] + ("" if row["agree"] else "  (MISMATCH)"), _fmt_spread(row["cpython"]),
                 _fmt_spread(row["pycc"]), f"{row['cpython']['median'] / row['pycc']['median']:.1f}x"]
        for name in against:
            entry = row.get(name, {})
            if "median" in entry:
                cells += [_fmt_time(entry["median"]) + ("" if entry["agree"] else " (MISMATCH)"),
                          f"{row['cpython']['median'] / entry['median']:.1f}x"]
            else:
                cells += [entry.get("note", "n/a"), ""]
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    notes = [f"pycc compile time: {_fmt_time(report['compile_seconds'])}"]
    for name in against:
        for row in report["calls"][:1]:
            entry = row.get(name, {})
            if entry.get("build_seconds") is not None:
                notes.append(f"cython build time: {_fmt_time(entry['build_seconds'])}")
            if entry.get("first_call_seconds") is not None:
                notes.append(f"numba first call (compile + run): {_fmt_time(entry['first_call_seconds'])}")
    mismatches = [r for r in report["calls"] if not r["agree"]]
    for r in mismatches:
        notes.append(f"MISMATCH in {r['call']}: CPython gave {r['result']}, pycc gave {r['compiled_result']}")
    return "\n".join(lines + [""] + notes)


def interpreted_copy(fn):
    """`fn.py_func`, with every `@jit` function it can reach through its globals interpreted
    too: the original's recursive calls would otherwise go to the compiled function."""
    original = fn.py_func
    namespace = dict(original.__globals__)
    for name, value in list(namespace.items()):
        inner = getattr(value, "py_func", None)
        if isinstance(inner, types.FunctionType):
            namespace[name] = types.FunctionType(inner.__code__, namespace, inner.__name__, inner.__defaults__, inner.__closure__)
    return types.FunctionType(original.__code__, namespace, original.__name__, original.__defaults__, original.__closure__)


def bench(fn, *args, repeat=5, **kwargs):
    """Times a `@jit` function against its interpreted original (`fn.py_func`) on one call.

    Returns a dict: `cpython` and `pycc` timings (median/min/max seconds), `speedup`, and
    whether both gave the same result."""
    if getattr(fn, "py_func", None) is None:
        raise TypeError("pycc.bench() needs a function compiled by @pycc.jit")
    namespace = {"compiled": fn, "interpreted": interpreted_copy(fn), "args": args, "kwargs": kwargs}
    expected = _outcome("interpreted(*args, **kwargs)", namespace)
    got = _outcome("compiled(*args, **kwargs)", namespace)
    cpython = time_call("interpreted(*args, **kwargs)", namespace, repeat)
    compiled = time_call("compiled(*args, **kwargs)", namespace, repeat)
    return {"cpython": cpython, "pycc": compiled, "speedup": cpython["median"] / compiled["median"],
            "agree": same_outcome(expected, got)}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="pycc bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", help="a .pyx or .py file")
    parser.add_argument("--call", action="append", required=True, metavar="EXPR",
                        help="a call to time, e.g. 'fib(27)' (repeatable)")
    parser.add_argument("--repeat", type=int, default=5, help="samples per call (default 5)")
    parser.add_argument("--against", action="append", default=[], choices=["cython", "numba"],
                        help="also time Cython and/or Numba where installed (repeatable)")
    parser.add_argument("--json", metavar="FILE", help="write the raw figures to FILE")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    from .errors import CompileError

    try:
        report = bench_file(args.file, args.call, repeat=args.repeat, against=args.against)
    except CompileError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except (OSError, SyntaxError, NameError) as exc:
        print(f"pycc bench: error: {exc}", file=sys.stderr)
        return 1
    print(format_report(report, args.against))
    if args.json:
        for row in report["calls"]:
            for name in args.against:
                row.get(name, {}).pop("module", None)
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2, default=str)
    return 0 if all(r["agree"] for r in report["calls"]) else 1
