#!/usr/bin/env python3
"""pycc benchmarks: one run measures everything and prints a Markdown table (for the README).

    python bench/run.py [--repeat N] [--quick] [--json FILE]

Measured:
- kernels (`bench/kernels.py`, `bench/kernels.pyx`): recursive fib(30), a mandelbrot grid
  count, prime counting, trapezoid integration. Columns: CPython on kernels.py, pycc JIT on
  kernels.py (`pycc.compile_file`), pycc JIT on kernels.pyx, pycc AOT on kernels.pyx
  (`pycc build`, when the CLI is available), Cython on kernels.pyx and Numba (`numba.njit`)
  on kernels.py where installed. Each cell is the median over `--repeat` runs with the
  min-max range; a run times enough calls to last at least ~20 ms. The speedup column is
  CPython / pycc JIT (.py). Every implementation's result is checked against CPython's.
- JIT compile time of a ~20-line function: after one warm-up compile, the median of fresh
  `pycc.compile_source` compiles of distinct source texts (so no cache can answer).
- `import pycc`: the median time of the import statement in fresh interpreters, and the
  cumulative time `python -X importtime` reports for `pycc`.

Not a test: nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")

KERNELS = {
    # name: (args, quick args)
    "fib": ((30,), (22,)),
    "mandel": ((200, 100), (60, 50)),
    "count_primes": ((60000,), (8000,)),
    "integrate": ((0.0, 3.0, 1_000_000), (0.0, 3.0, 50_000)),
}
DEFAULT_LABELS = {
    "cpython": "CPython",
    "pycc_py": "pycc JIT (.py)",
    "pycc_pyx": "pycc JIT (.pyx)",
    "pycc_aot": "pycc AOT (.pyx)",
    "cython": "Cython",
    "numba": "Numba",
}
LABELS = {
    "fib": "fib({0}) recursive",
    "mandel": "mandelbrot {0}x{0}, {1} iterations",
    "count_primes": "primes below {0}",
    "integrate": "trapezoid, {2} steps",
}


def load_py_module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # Numba resolves a recursive call through the function's module
    spec.loader.exec_module(mod)
    return mod


def time_call(fn, args, repeat: int, min_time: float = 0.02) -> dict:
    """Median, min and max seconds per call over `repeat` runs of a calibrated number of calls."""
    number = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(number):
            fn(*args)
        dt = time.perf_counter() - t0
        if dt >= min_time or number >= 1 << 20:
            break
        number *= 2 if dt == 0 else max(2, min(10, int(min_time / dt) + 1))
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn(*args)
        runs.append((time.perf_counter() - t0) / number)
    return {"median": statistics.median(runs), "min": min(runs), "max": max(runs), "calls_per_run": number}


def same_result(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or abs(a - b) <= 1e-9 * max(1.0, abs(a))
    return a == b


# ---------------------------------------------------------------------------------------
# Implementations: each returns {kernel name: callable} or raises with a reason
# ---------------------------------------------------------------------------------------


def impl_cpython():
    mod = load_py_module(HERE / "kernels.py", "bench_kernels_cpython")
    return {k: getattr(mod, k) for k in KERNELS}, f"CPython {platform.python_version()}"


def impl_pycc_py():
    import pycc

    mod = pycc.compile_file(str(HERE / "kernels.py"))
    return {k: getattr(mod, k) for k in KERNELS}, "pycc JIT (.py)"


def impl_pycc_pyx():
    import pycc

    mod = pycc.compile_file(str(HERE / "kernels.pyx"))
    return {k: getattr(mod, k) for k in KERNELS}, "pycc JIT (.pyx)"


def find_cli():
    sys.path.insert(0, str(ROOT / "tests" / "python"))
    try:
        import pycc_testing

        return pycc_testing.find_cli()
    finally:
        sys.path.pop(0)


def impl_pycc_aot(tmp: Path):
    cli, tried = find_cli()
    if cli is None:
        raise RuntimeError(f"no `pycc` CLI ({tried})")
    src = tmp / "bench_kernels_aot.pyx"
    shutil.copy(HERE / "kernels.pyx", src)
    r = subprocess.run(cli + ["build", str(src), "-o", str(tmp)], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"`pycc build` failed: {r.stderr.strip()[:300]}")
    mod = load_py_module(tmp / f"bench_kernels_aot{EXT_SUFFIX}", "bench_kernels_aot")
    return {k: getattr(mod, k) for k in KERNELS}, "pycc AOT (.pyx)"


def impl_cython(tmp: Path):
    if importlib.util.find_spec("Cython") is None:
        raise ModuleNotFoundError("not installed")
    import Cython

    src = tmp / "bench_kernels_cython.pyx"
    shutil.copy(HERE / "kernels.pyx", src)
    r = subprocess.run(
        [sys.executable, "-c", "import sys; from Cython.Build import cythonize; from setuptools import setup;"
         "sys.argv=['setup.py','build_ext','--inplace','-q'];"
         f"setup(ext_modules=cythonize([{str(src)!r}], language_level=3, quiet=True))"],
        cwd=tmp, capture_output=True, text=True,
    )
    if r.returncode != 0:
        raise RuntimeError(f"cythonize failed: {r.stderr.strip()[-300:]}")
    built = next(tmp.glob(f"bench_kernels_cython*{EXT_SUFFIX}"), None) or next(tmp.rglob("bench_kernels_cython*.so"))
    mod = load_py_module(built, "bench_kernels_cython")
    return {k: getattr(mod, k) for k in KERNELS}, f"Cython {Cython.__version__}"


def impl_numba():
    if importlib.util.find_spec("numba") is None:
        raise ModuleNotFoundError("not installed")
    import numba

    mod = load_py_module(HERE / "kernels.py", "bench_kernels_numba")
    fns = {}
    for k in KERNELS:
        setattr(mod, k, numba.njit(cache=False)(getattr(mod, k)))  # recursive calls reach the compiled function
        fns[k] = getattr(mod, k)
    return fns, f"Numba {numba.__version__}"


# ---------------------------------------------------------------------------------------
# Compile time and import time
# ---------------------------------------------------------------------------------------

COMPILE_TEMPLATE = '''
import math


def kernel_{i}(n: int, x: float) -> float:
    acc = 0.0
    k = 0
    for i in range(n):
        if i % 3 == 0:
            acc += math.sqrt(x * i + {i}.0)
        elif i % 3 == 1:
            acc -= x / (i + 1)
        else:
            k += i * {i}
    while k > 1000:
        k //= 2
    if acc > 1e6:
        acc = 1e6
    elif acc < -1e6:
        acc = -1e6
    total = acc * 0.5 + k
    for j in range(3):
        total = total * 0.75 + j
    return total
'''


def measure_compile(repeat: int) -> dict:
    import pycc

    pycc.compile_source(COMPILE_TEMPLATE.format(i=0), name="warmup")
    runs = []
    for i in range(1, repeat + 1):
        text = COMPILE_TEMPLATE.format(i=i)
        t0 = time.perf_counter()
        mod = pycc.compile_source(text, name=f"bench_compile_{i}")
        runs.append(time.perf_counter() - t0)
        getattr(mod, f"kernel_{i}")(10, 1.5)
    lines = len([ln for ln in COMPILE_TEMPLATE.strip().splitlines() if ln.strip()])
    return {"median": statistics.median(runs), "min": min(runs), "max": max(runs), "lines": lines}


def measure_import(repeat: int) -> dict:
    """`import pycc` timed inside fresh interpreters (a difference of two process start
    times is smaller than their noise), plus what `-X importtime` reports."""
    code = "import time; t = time.perf_counter(); import pycc; print(time.perf_counter() - t)"
    runs = []
    for _ in range(max(repeat, 5)):
        r = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
        runs.append(float(r.stdout))
    r = subprocess.run([sys.executable, "-X", "importtime", "-c", "import pycc"], capture_output=True, text=True)
    cumulative = None
    for line in r.stderr.splitlines():
        m = re.match(r"import time:\s*(\d+)\s*\|\s*(\d+)\s*\|\s*pycc\s*$", line)
        if m:
            cumulative = int(m.group(2)) / 1e6
    return {"median": statistics.median(runs), "min": min(runs), "max": max(runs), "importtime_cumulative": cumulative}


# ---------------------------------------------------------------------------------------


def fmt_time(s: float | None) -> str:
    if s is None:
        return "–"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def fmt_cell(m: dict) -> str:
    return f"{fmt_time(m['median'])} ({fmt_time(m['min'])}–{fmt_time(m['max'])})"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per cell (default 5)")
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = ap.parse_args(argv)
    pick = 1 if args.quick else 0

    results = {
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
        "kernels": {},
        "implementations": {},
    }
    impls = {}
    with tempfile.TemporaryDirectory(prefix="pycc-bench-") as tmpdir:
        tmp = Path(tmpdir)
        for key, make in [
            ("cpython", impl_cpython),
            ("pycc_py", impl_pycc_py),
            ("pycc_pyx", impl_pycc_pyx),
            ("pycc_aot", lambda: impl_pycc_aot(tmp)),
            ("cython", lambda: impl_cython(tmp)),
            ("numba", impl_numba),
        ]:
            try:
                fns, label = make()
                impls[key] = fns
                results["implementations"][key] = {"label": label, "available": True}
            except ModuleNotFoundError as e:
                reason = "not installed" if key in ("cython", "numba") else f"unavailable: {e}"
                results["implementations"][key] = {"label": DEFAULT_LABELS[key], "available": False, "reason": reason}
            except Exception as e:  # noqa: BLE001 - a broken implementation is reported, not fatal
                results["implementations"][key] = {
                    "label": DEFAULT_LABELS[key], "available": False, "reason": f"error: {type(e).__name__}: {e}"
                }

        for kernel, sizes in KERNELS.items():
            kargs = sizes[pick]
            row = {"args": list(kargs), "label": LABELS[kernel].format(*kargs), "times": {}}
            reference = impls["cpython"][kernel](*kargs)
            for key, fns in impls.items():
                try:
                    got = fns[kernel](*kargs)
                    if not same_result(reference, got):
                        row["times"][key] = {"error": f"wrong result {got!r} (CPython: {reference!r})"}
                        continue
                    row["times"][key] = time_call(fns[kernel], kargs, args.repeat)
                except Exception as e:  # noqa: BLE001
                    row["times"][key] = {"error": f"{type(e).__name__}: {e}"}
            results["kernels"][kernel] = row

    if "pycc_py" in impls:
        try:
            results["jit_compile"] = measure_compile(max(args.repeat, 5))
        except Exception as e:  # noqa: BLE001
            results["jit_compile"] = {"error": f"{type(e).__name__}: {e}"}
    try:
        results["import_pycc"] = measure_import(max(args.repeat, 5))
    except Exception as e:  # noqa: BLE001
        results["import_pycc"] = {"error": f"{type(e).__name__}: {e}"}

    print(render_markdown(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


def render_markdown(results: dict) -> str:
    impls = results["implementations"]
    keys = list(impls)
    out = []
    m = results["machine"]
    out.append(f"Python {m['python']}, {m['platform']}, {m['cpus']} CPUs. Median of runs (min–max).\n")
    header = ["benchmark"] + [impls[k]["label"] for k in keys] + ["speedup (CPython / pycc JIT .py)"]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "---|" * len(header))
    for kernel, row in results["kernels"].items():
        cells = [row["label"]]
        for k in keys:
            if not impls[k]["available"]:
                cells.append(impls[k]["reason"])
            else:
                t = row["times"].get(k, {})
                cells.append(fmt_cell(t) if "median" in t else t.get("error", "–"))
        cp, pc = row["times"].get("cpython", {}), row["times"].get("pycc_py", {})
        cells.append(f"{cp['median'] / pc['median']:.1f}×" if "median" in cp and "median" in pc else "–")
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    jc = results.get("jit_compile")
    if jc:
        out.append(
            f"JIT compile of a {jc['lines']}-line function: {fmt_cell(jc)}" if "median" in jc else f"JIT compile: {jc['error']}"
        )
    ip = results.get("import_pycc", {})
    if "median" in ip:
        extra = f"; `-X importtime` cumulative: {fmt_time(ip['importtime_cumulative'])}" if ip["importtime_cumulative"] else ""
        out.append(f"`import pycc`: {fmt_time(ip['median'])} ({fmt_time(ip['min'])}–{fmt_time(ip['max'])}){extra}")
    else:
        out.append(f"`import pycc`: {ip.get('error')}")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
