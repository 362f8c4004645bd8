"""Times the kernels of this folder under CPython, pycc, Cython and Numba (median of N runs).

    python bench/kernels/run.py [--runs 7] [--only pycc] [--O0] [--json out.json]

pycc is the `pycc` package importable by this interpreter; the Cython columns build the
`cython/*_cy.pyx` files with `cythonize -i` (language_level=3). Everything is built in a
fresh temporary folder.
"""
import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "examples")

# name, pycc source, plain Python source (CPython, Numba), Cython source, function, args
KERNELS = [
    ("mandel(200,200,100)", "mandel.py", "mandel.py", "mandel_cy.pyx", "mandel", (200, 200, 100)),
    ("fib(30)", "fib.py", "fib.py", "fib_cy.pyx", "fib", (30,)),
    ("sumf(10**6)", "sumf.py", "sumf.py", "sumf_cy.pyx", "sumf", (10**6,)),
    ("count_primes(30000)", "primes.py", "primes.py", "primes_cy.pyx", "count_primes", (30000,)),
    ("trapezoid(0,10,10**6)", os.path.join(EXAMPLES, "integrate.pyx"), "integrate.py", "integrate_cy.pyx", "trapezoid", (0.0, 10.0, 10**6)),
]


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # Numba resolves a recursive call's global through sys.modules
    spec.loader.exec_module(mod)
    return mod


def timeit(fn, args, runs):
    result = fn(*args)  # warm-up (Numba compiles here)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3, result


def build_pycc(src, out, opt0):
    cmd = [sys.executable, "-m", "pycc", "build", "-f", "-o", out, src] + (["-O0"] if opt0 else [])
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    stem = os.path.splitext(os.path.basename(src))[0]
    so = [f for f in os.listdir(out) if f.startswith(stem + ".") and f.endswith(".so")][0]
    return load(os.path.join(out, so), stem)


def build_cython(src, out):
    dst = os.path.join(out, os.path.basename(src))
    shutil.copy(os.path.join(HERE, "cython", src), dst)
    subprocess.run([sys.executable, "-m", "Cython.Build.Cythonize", "-i", "-q", dst], check=True, cwd=out,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stem = os.path.splitext(src)[0]
    so = [f for f in os.listdir(out) if f.startswith(stem + ".") and f.endswith(".so")][0]
    return load(os.path.join(out, so), stem)


def numba_module(src, name):
    import numba

    mod = load(os.path.join(HERE, src), "nb_" + name)
    for attr in list(vars(mod)):
        obj = getattr(mod, attr)
        if callable(obj) and getattr(obj, "__module__", None) == mod.__name__:
            setattr(mod, attr, numba.njit(obj))
    return mod


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--only", default="cpython,pycc,cython,numba")
    ap.add_argument("--O0", action="store_true", help="build pycc modules with -O0")
    ap.add_argument("--json")
    opts = ap.parse_args()
    columns = opts.only.split(",")
    work = tempfile.mkdtemp(prefix="pycc-kernels-")
    rows = []
    for label, pycc_src, py_src, cy_src, fname, args in KERNELS:
        row = {"kernel": label}
        results = {}
        if "cpython" in columns:
            mod = load(os.path.join(HERE, py_src), "py_" + fname)
            row["cpython"], results["cpython"] = timeit(getattr(mod, fname), args, opts.runs)
        if "pycc" in columns:
            mod = build_pycc(os.path.join(HERE, pycc_src), work, opts.O0)
            row["pycc"], results["pycc"] = timeit(getattr(mod, fname), args, opts.runs)
        if "cython" in columns:
            mod = build_cython(cy_src, work)
            row["cython"], results["cython"] = timeit(getattr(mod, fname), args, opts.runs)
        if "numba" in columns:
            mod = numba_module(py_src, fname)
            row["numba"], results["numba"] = timeit(getattr(mod, fname), args, opts.runs)
        values = list(results.values())
        same = all(abs(v - values[0]) <= 1e-9 * max(1.0, abs(values[0])) for v in values)
        row["agree"] = same
        if not same:
            row["results"] = results
        rows.append(row)
        cells = "  ".join(f"{c}={row[c]:9.3f} ms" for c in columns if c in row)
        print(f"{label:24} {cells}  {'' if same else 'RESULTS DIFFER ' + repr(results)}", flush=True)
    if opts.json:
        with open(opts.json, "w") as fh:
            json.dump(rows, fh, indent=1)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
