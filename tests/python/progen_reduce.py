"""A line-deleting reducer for progen's failing modules (a helper for writing regression
cases by hand: reduce, then polish).

    python tests/python/progen_reduce.py FILE.py --call "f5(2, False, -0.92, -4)" --mode opt
    python tests/python/progen_reduce.py FILE.py --mode panic --match "EntryLivein"
    python tests/python/progen_reduce.py FILE.pyx --call "m1_f5(2147483646)" --mode cython

Modes:
  opt    the call's outcome differs between optimize=True and optimize=False (JIT)
  oracle the call's outcome under the JIT (optimize=True, or --O0) differs from CPython
         running the source as it is (only for programs that stay within int64)
  raises the call raises an exception whose "Type: message" contains --match (check
         the reduced program against the oracle by hand)
  value  the call returns the value whose repr is --match (the wrong value; check the
         reduced program against the oracle by hand)
  panic  compiling (optimize=True) raises an exception whose text contains --match
  cython (a .pyx file) the call's outcome under the JIT (optimize=True, or --O0) differs
         from its outcome under Cython building the same source (progen's oracle for .pyx;
         needs Cython and a C compiler; each candidate is one Cython build, about a second)
Prints the reduced source.
"""

from __future__ import annotations

import argparse
import ast
import os
import sys

import progen


def _outcome_jit(src, call, kind, optimize):
    import pycc

    try:
        m = pycc.compile_source(src, name="red", kind=kind, optimize=optimize)
    except KeyboardInterrupt:
        raise
    except BaseException as e:  # noqa: BLE001
        return ("compile", type(e).__name__, str(e)[:200])
    return progen.outcome(lambda: eval(call, vars(m)), ())


def _outcome_cpython(src, call):
    ns: dict = {}
    try:
        exec(compile(src, "<red>", "exec"), ns)
    except Exception as e:  # noqa: BLE001
        return ("compile", type(e).__name__, str(e))
    return progen.outcome(lambda: eval(call, ns), ())


_CY_BUILDS = [0]


def _outcome_cython(src, call):
    import tempfile
    from pathlib import Path

    first = src.lstrip().splitlines()[0] if src.strip() else ""
    mod = progen.Module(0, 0, "pyx", src, "", [], cdivision=first.startswith("#") and "cdivision=True" in first)
    _CY_BUILDS[0] += 1
    with tempfile.TemporaryDirectory(prefix="progen_red_") as d:
        try:
            m = progen.cython_build([mod], Path(d), f"red{os.getpid()}_{_CY_BUILDS[0]}")
        except RuntimeError as e:
            return ("compile", "RuntimeError", str(e)[-200:])
        return progen.outcome(lambda: eval(call, vars(m)), ())


def make_pred(mode, call, kind, match, o0):
    sticky: list = []  # cython mode: the input's (pycc, Cython) outcomes

    def pred(src: str) -> bool:
        if kind == "py":
            try:
                ast.parse(src)
            except SyntaxError:
                return False
        if mode == "panic":
            import pycc

            try:
                pycc.compile_source(src, name="red", kind=kind, optimize=not o0)
            except KeyboardInterrupt:
                raise
            except BaseException as e:  # noqa: BLE001
                return match in str(e)
            return False
        a = _outcome_jit(src, call, kind, not o0)
        if a[0] == "compile":
            return False
        if mode == "value":
            return a[0] == "ok" and a[2] == match
        if mode == "raises":
            return a[0] == "raise" and match in f"{a[1]}: {a[2]}"
        if mode == "opt":
            b = _outcome_jit(src, call, kind, o0)
        elif mode == "cython":
            # Cython accepts many broken candidates (an undeclared local becomes a Python
            # object): keep both outcomes those of the input, so the reduced program fails
            # the same way
            if sticky and not progen.same(sticky[0], a, kind):
                return False
            b = _outcome_cython(src, call)
            if b[0] == "compile":
                return False
            if not sticky:
                sticky[:] = [a, b]
            return progen.same(sticky[1], b, kind) and not progen.same(b, a, kind)
        else:
            b = _outcome_cpython(src, call)
        if b[0] == "compile":
            return False
        return not progen.same(b, a, kind if mode == "cython" else "py")

    return pred


def reduce_lines(src: str, pred) -> str:
    lines = src.splitlines()
    assert pred("\n".join(lines) + "\n"), "the predicate does not hold for the input"
    chunk = max(1, len(lines) // 4)
    while chunk >= 1:
        i = 0
        changed = False
        while i < len(lines):
            cand = lines[:i] + lines[i + chunk:]
            if cand and pred("\n".join(cand) + "\n"):
                lines = cand
                changed = True
            else:
                i += chunk
        if not changed:
            chunk //= 2
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--call", default="")
    ap.add_argument("--mode", choices=["opt", "oracle", "cython", "panic", "raises", "value"], default="opt")
    ap.add_argument("--match", default="")
    ap.add_argument("--O0", action="store_true", help="oracle and cython modes: test optimize=False")
    a = ap.parse_args()
    kind = "pyx" if a.file.endswith(".pyx") else "py"
    src = open(a.file).read()
    out = reduce_lines(src, make_pred(a.mode, a.call, kind, a.match, a.O0))
    sys.stdout.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
