#!/usr/bin/env python3
"""Object-heavy programs: CPython, pycc (JIT and AOT) and Cython on the same source.

    python bench/objects/run.py [--repeat N] [--quick] [--instructions]

`programs.py` is plain Python (word counting with dicts and str methods, sorting lists
of tuples, calls to Python functions and methods, a typed hot loop in untyped glue,
big-int arithmetic). CPython imports it; pycc compiles it unchanged (`pycc.compile_file`
and `pycc build`); Cython compiles it unchanged (`cythonize`, language_level=3). Each cell
is the median time per call over `--repeat` runs (min-max), and every result is checked
against CPython's. Not a test: nothing here asserts a speed.

`--instructions` counts instructions instead of timing (valgrind's callgrind, `Ir`): per
call, the count for 6 calls minus the count for 1, over 5, so imports and compiling are
left out. Unlike times on a shared machine, the counts repeat to a few in 10^4.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import run as common  # bench/run.py: timing, module loading, the CLI

SRC = HERE / "programs.py"


def inputs(mod, quick: bool):
    k = 10 if quick else 1
    text = mod.make_text(2000 // k)
    points = [(i * 0.37 - 50.0, (i * 7919) % 101 - 50.0) for i in range(20000 // k)]
    rows = [(f"r{i}", (i % 50) / 10.0) for i in range(2000 // k)]
    return {
        "wordcount": (text,),
        "tuples": (20000 // k,),
        "calls": (points,),
        "mixed": (rows,),
        "bigint": (3000 // k,),
    }


def build_pycc_aot(tmp: Path):
    cli, tried = common.find_cli()
    if cli is None:
        raise RuntimeError(f"no `pycc` CLI ({tried})")
    src = tmp / "objprog_aot.py"
    shutil.copy(SRC, src)
    r = subprocess.run(cli + ["build", str(src), "-o", str(tmp)], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"`pycc build` failed: {r.stderr.strip()[:300]}")
    return common.load_py_module(tmp / f"objprog_aot{common.EXT_SUFFIX}", "objprog_aot")


def build_cython(tmp: Path):
    import Cython  # noqa: F401  (ModuleNotFoundError: not installed)

    src = tmp / "objprog_cython.py"
    shutil.copy(SRC, src)
    r = subprocess.run(
        [sys.executable, "-c", "import sys; from Cython.Build import cythonize; from setuptools import setup;"
         "sys.argv=['setup.py','build_ext','--inplace','-q'];"
         f"setup(ext_modules=cythonize([{str(src)!r}], language_level=3, quiet=True))"],
        cwd=tmp, capture_output=True, text=True,
    )
    if r.returncode != 0:
        raise RuntimeError(f"cythonize failed: {r.stderr.strip()[-300:]}")
    built = next(tmp.glob(f"objprog_cython*{common.EXT_SUFFIX}"))
    return common.load_py_module(built, "objprog_cython")


def load(label: str, path: str):
    """The module `label` names, as `main` makes it (`path`: a built extension)."""
    if label == "CPython":
        return common.load_py_module(SRC, "objprog_cpython")
    if label == "pycc JIT":
        import pycc

        return pycc.compile_file(str(SRC))
    name = Path(path).name.split(".")[0]
    return common.load_py_module(Path(path), name)


def child(label: str, path: str, prog: str, calls: int, quick: bool) -> int:
    """`--child`: `calls` calls of `prog`, for callgrind."""
    mod = load(label, path)
    xs = inputs(mod, quick)[prog]
    for _ in range(calls):
        getattr(mod, prog)(*xs)
    return 0


def instructions(label: str, path: str, prog: str, quick: bool) -> float:
    """Instructions per call of `prog` under `label`, by callgrind."""
    def run(calls: int) -> int:
        cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
               "--child", label, path, prog, str(calls)] + (["--quick"] if quick else [])
        r = subprocess.run(cmd, capture_output=True, text=True)
        for line in r.stderr.splitlines():
            if "Collected :" in line:
                return int(line.split()[-1])
        raise RuntimeError(f"callgrind failed: {r.stderr.strip()[-300:]}")
    return (run(6) - run(1)) / 5


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--instructions", action="store_true", help="count instructions (valgrind) instead of timing")
    ap.add_argument("--child", nargs=4, metavar=("IMPL", "PATH", "PROG", "CALLS"), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        label, path, prog, calls = a.child
        return child(label, path, prog, int(calls), a.quick)
    import pycc

    tmp = Path(tempfile.mkdtemp(prefix="pycc-objbench-"))
    cpython = common.load_py_module(SRC, "objprog_cpython")
    impls = {"CPython": cpython, "pycc JIT": pycc.compile_file(str(SRC))}
    for label, build in (("pycc AOT", build_pycc_aot), ("Cython", build_cython)):
        try:
            impls[label] = build(tmp)
        except ModuleNotFoundError:
            print(f"{label}: not installed")
        except RuntimeError as e:
            print(f"{label}: {e}")
    args = inputs(cpython, a.quick)
    results = {}
    for prog, xs in args.items():
        expected = getattr(cpython, prog)(*xs)
        row = {}
        for label, mod in impls.items():
            got = getattr(mod, prog)(*xs)
            if got != expected:
                print(f"MISMATCH {label} {prog}: {got!r} != {expected!r}")
                return 1
            if a.instructions:
                n = instructions(label, getattr(mod, "__file__", "") or "", prog, a.quick)
                row[label] = {"median": n, "min": n, "max": n}
            else:
                row[label] = common.time_call(getattr(mod, prog), xs, a.repeat)
        results[prog] = row
    labels = list(impls)
    cell = common.fmt_cell
    if a.instructions:
        print("Instructions per call (callgrind Ir):\n")
        cell = lambda m: f"{m['median'] / 1e6:.2f}M"  # noqa: E731
    print("| program | " + " | ".join(labels) + " | CPython / pycc JIT | Cython / pycc JIT |")
    print("|---" * (len(labels) + 3) + "|")
    for prog, row in results.items():
        cells = [cell(row[lb]) for lb in labels]
        base = row["pycc JIT"]["median"]
        vs_cy = f"{row['Cython']['median'] / base:.2f}" if "Cython" in row else "n/a"
        print(f"| {prog} | " + " | ".join(cells) + f" | {row['CPython']['median'] / base:.2f}x | {vs_cy} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
