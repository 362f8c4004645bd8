"""Array-kernel benchmarks: typed memoryviews under CPython, pycc, Cython and Numba.

    python bench/arrays/run.py [--repeats 7] [--only pycc,cython,...] [--kernels matmul,nbody] [--json out.json]

The kernels (`kernels.pyx`) are compiled from the same file by pycc (`pycc.compile_file`,
the JIT) and by Cython (`cythonize -i`, language_level=3, in a fresh temporary folder); each
comes twice, with boundscheck/wraparound on (Cython's defaults) and off (decorators).
`kernels.py` holds the same loops without C declarations: CPython runs it on the same NumPy
arrays, Numba compiles it with `@njit` (`boundscheck=True` for the checked variant).
`kernels_lists.py` is the same again on nested Python lists (`m[i][j]`), which CPython runs
2-4x faster than element-wise NumPy indexing: the `cpython-lists` column, the fairer
baseline for "faster than CPython". CPython has no checks to turn off: both rows show the
same measurement.

Each time is the median per call over `--repeats` samples, with the min-max range; a sample
runs the kernel enough times to last at least `--sample-ms` (CPython: once). Before timing,
every implementation runs once on fresh copies of the same inputs and its result (the
return value and the output array) must match CPython's, so a column cannot be fast by being
wrong. The ratios: CPython / pycc (the target is >= 100x) and pycc / Cython with the same
directives (the target is <= 1.3).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
IMPLS = ["cpython", "cpython-lists", "pycc", "cython", "numba"]


def _inputs_asum(rng):
    return (rng.uniform(-1.0, 1.0, 1_000_000),)


def _inputs_dot(rng):
    return (rng.uniform(-1.0, 1.0, 1_000_000), rng.uniform(-1.0, 1.0, 1_000_000))


def _inputs_matmul(rng, n=128):
    return (rng.uniform(-1.0, 1.0, (n, n)), rng.uniform(-1.0, 1.0, (n, n)), np.zeros((n, n)))


def _inputs_stencil(rng, n=500):
    return (rng.uniform(0.0, 1.0, (n, n)), np.zeros((n, n)))


def _inputs_nbody(rng, n=256):
    p = np.empty((n, 7))
    p[:, 0:3] = rng.uniform(-1.0, 1.0, (n, 3))  # positions
    p[:, 3:6] = rng.uniform(-0.1, 0.1, (n, 3))  # velocities
    p[:, 6] = rng.uniform(0.5, 1.5, n)  # masses
    return (p, 1e-4)


# name, description (for the table), input maker, index of the output array argument (None: none)
KERNELS = [
    ("asum", "sum, n=10^6", _inputs_asum, None),
    ("dot", "dot, n=10^6", _inputs_dot, None),
    ("matmul", "matmul 128x128 (naive)", _inputs_matmul, 2),
    ("stencil", "5-point stencil 500x500", _inputs_stencil, 1),
    ("nbody", "n-body step, (256, 7)", _inputs_nbody, 0),
]


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def build_cython(tmp):
    import Cython

    dst = os.path.join(tmp, "cy_kernels.pyx")
    shutil.copy(os.path.join(HERE, "kernels.pyx"), dst)
    subprocess.run([sys.executable, "-m", "Cython.Build.Cythonize", "-i", "-q", "-3", dst], check=True, cwd=tmp,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    so = [f for f in os.listdir(tmp) if f.startswith("cy_kernels.") and f.endswith(".so")][0]
    return load(os.path.join(tmp, so), "cy_kernels"), f"Cython {Cython.__version__}"


def build_pycc():
    import pycc

    return pycc.compile_file(os.path.join(HERE, "kernels.pyx"), "pycc_kernels"), f"pycc ({os.path.dirname(pycc.__file__)})"


def functions(only):
    """{impl: {(kernel, checks): callable}} and {impl: version text}."""
    fns, versions = {}, {}
    py = load(os.path.join(HERE, "kernels.py"), "py_kernels")
    if "cpython" in only:
        fns["cpython"] = {(k, c): getattr(py, k) for k, *_ in KERNELS for c in ("on", "off")}
        versions["cpython"] = f"CPython {platform.python_version()}, `kernels.py` on NumPy {np.__version__} arrays"
    if "cpython-lists" in only:
        pl = load(os.path.join(HERE, "kernels_lists.py"), "py_kernels_lists")
        fns["cpython-lists"] = {(k, c): getattr(pl, k) for k, *_ in KERNELS for c in ("on", "off")}
        versions["cpython-lists"] = f"CPython {platform.python_version()}, `kernels_lists.py` on nested lists (`tolist()`)"
    if "pycc" in only:
        mod, versions["pycc"] = build_pycc()
        fns["pycc"] = {(k, c): getattr(mod, f"{k}_{c}") for k, *_ in KERNELS for c in ("on", "off")}
    if "cython" in only:
        tmp = tempfile.mkdtemp(prefix="arrbench_cy_")
        mod, versions["cython"] = build_cython(tmp)
        fns["cython"] = {(k, c): getattr(mod, f"{k}_{c}") for k, *_ in KERNELS for c in ("on", "off")}
    if "numba" in only:
        import numba

        fns["numba"] = {}
        for k, *_ in KERNELS:
            f = getattr(py, k)
            fns["numba"][(k, "on")] = numba.njit(boundscheck=True)(f)
            fns["numba"][(k, "off")] = numba.njit(boundscheck=False)(f)
        versions["numba"] = f"Numba {numba.__version__}"
    return fns, versions


def fresh(args, lists=False):
    """Copies of the array arguments (as nested lists for the `cpython-lists` column)."""
    if lists:
        return tuple(a.tolist() if isinstance(a, np.ndarray) else a for a in args)
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)


def outcome(fn, args, out_index, lists=False):
    args = fresh(args, lists)
    r = fn(*args)
    return float(r), (np.array(args[out_index]) if out_index is not None else None)


def same(ref, got) -> bool:
    (r0, a0), (r1, a1) = ref, got
    if not np.isclose(r0, r1, rtol=1e-9, atol=1e-12):
        return False
    return a0 is None or np.allclose(a0, a1, rtol=1e-9, atol=1e-12)


def measure(fn, args, repeats, sample_s, once):
    fn(*args)  # warm-up (Numba compiles here)
    number = 1
    if not once:
        while True:
            t0 = time.perf_counter()
            for _ in range(number):
                fn(*args)
            dt = time.perf_counter() - t0
            if dt >= sample_s:
                break
            number = max(number * 2, int(number * sample_s / max(dt, 1e-9) * 1.2))
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(number):
            fn(*args)
        samples.append((time.perf_counter() - t0) / number * 1e3)
    return {"median_ms": statistics.median(samples), "min_ms": min(samples), "max_ms": max(samples),
            "repeats": repeats, "number": number}


def fmt_time(t):
    if t is None:
        return "-"
    def f(x):
        return f"{x:.3g}" if x < 100 else f"{x:.0f}"
    return f"{f(t['median_ms'])} ({f(t['min_ms'])}–{f(t['max_ms'])})"


def table(results, impls):
    head = ["kernel", "checks"] + [f"{i} ms" for i in impls]
    if "cpython" in impls and "pycc" in impls:
        head.append("CPython / pycc")
    if "cpython-lists" in impls and "pycc" in impls:
        head.append("CPython-lists / pycc")
    if "pycc" in impls and "cython" in impls:
        head.append("pycc / Cython")
    if "pycc" in impls and "numba" in impls:
        head.append("pycc / Numba")
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for row in results:
        t = row["times"]
        cells = [row["desc"], row["checks"]] + [fmt_time(t.get(i)) for i in impls]

        def ratio(a, b, digits):
            if t.get(a) and t.get(b):
                return f"{t[a]['median_ms'] / t[b]['median_ms']:.{digits}f}"
            return "-"

        if "cpython" in impls and "pycc" in impls:
            cells.append(ratio("cpython", "pycc", 0) + "x")
        if "cpython-lists" in impls and "pycc" in impls:
            cells.append(ratio("cpython-lists", "pycc", 0) + "x")
        if "pycc" in impls and "cython" in impls:
            cells.append(ratio("pycc", "cython", 2))
        if "pycc" in impls and "numba" in impls:
            cells.append(ratio("pycc", "numba", 2))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--cpython-repeats", type=int, default=3)
    ap.add_argument("--sample-ms", type=float, default=50.0)
    ap.add_argument("--only", default=",".join(IMPLS), help="comma-separated subset of " + ",".join(IMPLS))
    ap.add_argument("--kernels", default=",".join(k for k, *_ in KERNELS))
    ap.add_argument("--checks", default="on,off")
    ap.add_argument("--json", help="also write the results to this file")
    opts = ap.parse_args()
    impls = [i for i in IMPLS if i in opts.only.split(",")]
    kernels = [k for k in KERNELS if k[0] in opts.kernels.split(",")]
    checks = opts.checks.split(",")

    fns, versions = functions(impls)
    results, bad = [], []
    cpython_times = {}  # CPython runs the same function for both rows: measured once
    for name, desc, make, out_index in kernels:
        args = make(np.random.default_rng(12345))
        ref = outcome(fns["cpython"][(name, "on")], args, out_index) if "cpython" in impls else None
        for c in checks:
            row = {"kernel": name, "desc": desc, "checks": c, "times": {}}
            for impl in impls:
                fn = fns[impl][(name, c)]
                lists = impl == "cpython-lists"
                got = outcome(fn, args, out_index, lists)
                if ref is None:
                    ref = got
                if not same(ref, got):
                    bad.append(f"{impl} {name}_{c}: result {got[0]!r} differs from the reference {ref[0]!r}")
                    continue
                once = impl.startswith("cpython")
                if once and (impl, name) in cpython_times:
                    row["times"][impl] = cpython_times[(impl, name)]
                    continue
                row["times"][impl] = measure(fn, fresh(args, lists), opts.cpython_repeats if once else opts.repeats,
                                             opts.sample_ms / 1e3, once)
                if once:
                    cpython_times[(impl, name)] = row["times"][impl]
                print(f"  {name}_{c} {impl}: {fmt_time(row['times'][impl])} ms", file=sys.stderr, flush=True)
            results.append(row)
    print()
    for impl in impls:
        print(f"- {impl}: {versions[impl]}")
    print(f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print()
    print(table(results, impls))
    for b in bad:
        print("MISMATCH:", b)
    if opts.json:
        with open(opts.json, "w") as f:
            json.dump({"versions": versions, "results": results, "mismatches": bad}, f, indent=2)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
