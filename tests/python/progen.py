"""progen: a Csmith-style random program generator for pycc, and the differential harness
that runs its modules under CPython (or Cython) and under pycc's JIT and AOT backends.

A *module* is 3-10 typed functions that call earlier functions (small ones get inlined by
codegen), recurse on a bounded depth argument, and use every statement and expression form
of the language: if/elif/else, while (with `else`) and for-range loops with break and
continue, augmented assignment, value-producing `and`/`or`, conditional expressions,
comparison chains, casts, min/max/abs and math functions.  Every loop is bounded by a
counter, every recursion by a depth argument checked on entry, and a static cost estimate
keeps the number of executed operations per call small.

Two dialects:

* ``py``: Python `int` (checked int64), `float`, `bool`.  The oracle is CPython running an
  *oracle rendering* of the same program in which every int operation that can leave 64
  bits is wrapped in `_ck(...)` (OverflowError, pycc's documented rule), shifts and int
  true division go through helpers with pycc's documented semantics.
* ``pyx``: C types of every width and signedness, `float`/`double`, `bint`, casts, and
  optionally `# cython: cdivision=True`.  The oracle is Cython itself (cython + the C
  compiler, with -fwrapv as CPython builds extensions), many modules per build.  Shapes
  that are undefined in C (shift counts out of range, float to int conversions out of
  range, division traps under cdivision) are kept out of the generator, and so are the
  documented differences from Cython (README, "Where pycc differs": casts of constants,
  constant divisors, `unsigned long` with `long long`, operands of `and`/`or`/`if-else` of
  different types, Python-int arithmetic on `abs()` of narrow ints, calls of `def`s), and a
  Cython bug: `<bint>` of an `and`/`or`/`if-else` casts each operand, where a literal keeps
  its value (`<bint>(x and 65535)` is 65535), so the generator writes `(... != 0)` there.

Everything is a pure function of (seed, index): ``module_source(seed, i, dialect)``
regenerates module ``i``.  Running this file runs the long campaign; see CONTRIBUTING.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import struct
import subprocess
import sys
import sysconfig
import tempfile
import time
import traceback
import zlib
from dataclasses import dataclass, field
from pathlib import Path

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

# ---------------------------------------------------------------------------------------
# Types
# ---------------------------------------------------------------------------------------

# C integer types: name -> (bits, signed).  `char` is signed on x86-64 Linux.
C_INTS = {
    "char": (8, True), "signed char": (8, True), "unsigned char": (8, False),
    "short": (16, True), "unsigned short": (16, False),
    "int": (32, True), "unsigned int": (32, False),
    "long": (64, True), "unsigned long": (64, False),
    "long long": (64, True), "unsigned long long": (64, False),
}
C_FLOATS = ("float", "double")
C_RANK = {"int": 1, "unsigned int": 1, "long": 2, "unsigned long": 2, "long long": 3, "unsigned long long": 3}
C_TYPES = list(C_INTS) + list(C_FLOATS) + ["bint"]


def kind(ty: str) -> str:
    """'int', 'float' or 'bool' for a type of either dialect."""
    if ty in ("int",) or ty in C_INTS:
        return "int"
    if ty in ("float", "double"):
        return "float"
    return "bool"


def c_promote(ty: str) -> str:
    if ty == "bint" or (ty in C_INTS and C_INTS[ty][0] < 32):
        return "int"
    return ty


def c_unsigned_of(ty: str) -> str:
    return ty if ty.startswith("unsigned") else "unsigned " + ty


def c_common(a: str, b: str) -> str:
    """C's usual arithmetic conversions (x86-64 LP64)."""
    if "double" in (a, b):
        return "double"
    if "float" in (a, b):
        return "float"
    a, b = c_promote(a), c_promote(b)
    if a == b:
        return a
    (wa, sa), (wb, sb) = C_INTS[a], C_INTS[b]
    if sa == sb:
        return a if C_RANK[a] >= C_RANK[b] else b
    u, s = (a, b) if not sa else (b, a)
    if C_RANK[u] >= C_RANK[s]:
        return u
    if C_INTS[s][0] > C_INTS[u][0]:
        return s
    return c_unsigned_of(s)


def c_range(ty: str) -> tuple[int, int]:
    bits, signed = C_INTS[ty]
    return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)


# ---------------------------------------------------------------------------------------
# Expressions: (source text, oracle text, type)
# ---------------------------------------------------------------------------------------


@dataclass
class E:
    src: str
    ora: str
    ty: str
    const: bool = False  # a literal (possibly negative)

    @staticmethod
    def same(text: str, ty: str, const: bool = False) -> "E":
        return E(text, text, ty, const)


def _literal_overflows(op: str, a: str, b: str) -> bool:
    """Whether `a op b` on two integer literals leaves int64 (CPython's exact value)."""
    try:
        v = eval(f"({a}) {op} ({b})", {"math": math})
    except ZeroDivisionError:
        return False
    except Exception:  # noqa: BLE001 - not plain integers: replace them
        return True
    return not (isinstance(v, int) and -(2**63) <= v < 2**63)


ORACLE_PRELUDE = '''\
import math
_MIN, _MAX = -(2**63), 2**63 - 1


def _ck(v):
    if _MIN <= v <= _MAX:
        return v
    raise OverflowError("progen oracle: int64 overflow")


def _shl(a, n):
    if n < 0:
        raise ValueError("negative shift count")
    if a == 0:
        return 0
    if n >= 64:
        raise OverflowError("progen oracle: int64 overflow")
    return _ck(a << n)


def _tdiv(a, b):
    if b == 0:
        raise ZeroDivisionError("division by zero")
    return float(a) / float(b)

'''


@dataclass
class Func:
    name: str
    params: list  # [(name, type)]
    ret: str
    lines: list = field(default_factory=list)
    recursive: bool = False
    cost: int = 1
    decl: str = "def"  # pyx: def, cpdef, cdef, cdef inline
    exported: bool = True


INT_CONSTS = [0, 1, 2, 3, 5, 7, 10, 100, 255, 1000, 65535, 2**31 - 1, 2**31, 2**32, 2**53 + 1, 2**62, INT64_MAX]
FLOAT_CONSTS = [0.0, 0.5, 1.0, 1.5, 2.0, 3.25, 0.1, 10.0, 1e-3, 1e10, 1e300, 5e-324, 2.0**53]


# Known pycc bugs (each with a strict-xfail case in tests/run/progen_found.pyx) that the
# generator steers around, so that a run finds the next bug instead of the same one again;
# `PYCC_PROGEN_AVOID=` (empty) turns the avoidance off, and an entry is removed when its fix
# lands. None is open today. Two documented differences (README, "Where pycc differs"; not
# bugs to fix) are always avoided by default:
#   const-fold: a folded constant that does not fit the C type it meets is a compile error
#               in pycc (tests/ui/constant_out_of_range.pyx); Cython wraps it
#   def-call:   Cython calls a `def` function through Python objects (its arguments are
#               converted with range checks, OverflowError); pycc calls it directly (C
#               conversions wrap)
AVOID = set(filter(None, os.environ.get("PYCC_PROGEN_AVOID", "const-fold,def-call").split(",")))

_VAR_RE = re.compile(r"\b(p\d+|v\d+|c\d+|i\d+|d)\b")
# An expression that starts with a literal (after its opening parentheses).
_LEAD_CONST_RE = re.compile(r"^[\s(]*(-\s*)?(\d|True\b|False\b|not\s+(True|False)\b)")


class Gen:
    """Generates one module.  ``rng`` drives every choice."""

    def __init__(self, rng: random.Random, dialect: str, prefix: str, cdivision: bool = False):
        self.rng = rng
        self.dialect = dialect
        self.prefix = prefix
        self.cdivision = cdivision
        self.funcs: list[Func] = []
        self.uses_math = False
        self.libc = set()
        # per-function state
        self.vars: dict[str, str] = {}
        self.readonly: set[str] = set()
        self.loop_depth = 0
        self.mult = 1
        self.budget = 0
        self.cur: Func | None = None
        self.counter = 0

    # -- helpers ------------------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    @property
    def pyx(self) -> bool:
        return self.dialect == "pyx"

    def int_types(self):
        return [t for t in C_INTS] if self.pyx else ["int"]

    def rand_type(self, allow_bool=True) -> str:
        r = self.rng.random()
        if self.pyx:
            if allow_bool and r < 0.08:
                return "bint"
            if r < 0.3:
                return self.rng.choice(C_FLOATS)
            return self.rng.choice(list(C_INTS))
        if allow_bool and r < 0.12:
            return "bool"
        return "float" if r < 0.4 else "int"

    def fresh(self, base: str) -> str:
        self.counter += 1
        return f"{base}{self.counter}"

    # -- conversions --------------------------------------------------------------------
    def convert(self, e: E, ty: str) -> E:
        """An expression of type ``ty`` made from ``e`` (a cast where the language needs one)."""
        if e.ty == ty:
            return e
        ke, kt = kind(e.ty), kind(ty)
        if not self.pyx:
            if kt == "float":
                return E(f"float({e.src})", f"float({e.ora})", ty)
            if kt == "bool":
                return E(f"bool({e.src})", f"bool({e.ora})", ty)
            if ke == "bool":
                return E(f"int({e.src})", f"int({e.ora})", ty)
            # float -> int: int() raises for NaN/inf, OverflowError outside 64 bits
            return E(f"int({e.src})", f"_ck(int({e.ora}))", ty)
        # pyx
        if not _VAR_RE.search(e.src) or _LEAD_CONST_RE.match(e.src):
            # Cython gives a cast of a constant (`<int>(False)`, `<float>0.0`, `<int>(not
            # True)`) the C text of the cast as its "constant value", a non-empty string:
            # such a cast tests true (`if <int>0:` runs its body, `not <int>0` is False)
            # and a division by it drops the zero check (Cython 3.3; C and pycc: false,
            # ZeroDivisionError). Write a literal of the type instead of casting one. Cython
            # also folds `(5 or x)`, `(0 and x)` and `(5 < 3 < x)` to constants (their value
            # is the leading literal's): the same for any expression that starts with one.
            return self.const_of(ty)
        if kt == "bool":
            if re.search(r"\b(and|or|if)\b", e.src):
                # Cython casts each operand of `and`/`or`/`if-else` to `bint`, and a literal
                # operand keeps its value (`<bint>(x and 65535)` is 65535; pycc: 1).
                return E.same(f"(({e.src}) != 0)", "bint")
            return E.same(f"<bint>({e.src})", "bint")
        if ke == "float" and kt == "int":
            # clamp into [0, 100] (NaN-safe: fmax(nan, 0) == 0): a C conversion out of
            # range is undefined behaviour.
            # (pycc has no libc.math fmin/fmax: a NaN-safe clamp written out)
            if len(e.src) > 120:
                e = self.leaf("double")
                if not _VAR_RE.search(e.src):
                    return self.const_of(ty)
                if kind(e.ty) != "float":
                    return E.same(f"<{ty}>({e.src})", ty)
            return E.same(f"<{ty}>min(({e.src}) if ({e.src}) > 0.0 else 0.0, 100.0)", ty)
        if kt == "int" and ke == "int" and self.chance(0.5) and self._fits(e.ty, ty):
            return E.same(e.src, ty)  # implicit widening
        return E.same(f"<{ty}>({e.src})", ty)

    def c_pair(self, a: E, b: E) -> tuple[E, E]:
        """pyx: ``a`` and ``b`` as operands of one arithmetic type, steering around the one
        pair where Cython's type is not C's: `unsigned long` with `long long` is `unsigned
        long long` in C (and pycc), `long long` for Cython, which its `//`, `%` and boxing
        follow (README, "Where pycc differs"). The `unsigned long` side is widened to
        `unsigned long long`, which both type the same."""
        if not self.pyx or {c_promote(a.ty) if a.ty in C_INTS or a.ty == "bint" else a.ty,
                            c_promote(b.ty) if b.ty in C_INTS or b.ty == "bint" else b.ty} != {"unsigned long", "long long"}:
            return a, b
        wide = lambda e: E.same(f"<unsigned long long>({e.src})", "unsigned long long") if c_promote(e.ty) == "unsigned long" else e
        return wide(a), wide(b)

    def same_type(self, e: E, t: str) -> E:
        """pyx: ``e`` as an operand of an `and`/`or`/conditional of type ``t``. Cython
        converts each operand to the type the whole expression is converted to (`(sc and
        ull and -3) < 5.0` compares -3.0), pycc converts the value of type ``t`` (README,
        "Where pycc differs"): give every operand the type ``t`` so both agree."""
        if e.ty == t or kind(t) == "bool" or kind(e.ty) == "bool":
            return e
        if not _VAR_RE.search(e.src) or _LEAD_CONST_RE.match(e.src):
            if t in C_INTS and not C_INTS[t][1] and e.src.lstrip("(").startswith("-"):
                return E.same(e.src.replace("-", "", 1), e.ty, True)  # a negative literal
            return e
        return E.same(f"<{t}>({e.src})", t)

    def _fits(self, a: str, b: str) -> bool:
        if a == "bint":
            return True
        lo, hi = c_range(a)
        lo2, hi2 = c_range(b)
        return lo2 <= lo and hi <= hi2

    # -- leaves -------------------------------------------------------------------------
    def const(self, ty: str) -> E:
        k = kind(ty)
        rng = self.rng
        if k == "bool":
            v = rng.choice(["True", "False"])
            return E.same(v, ty, True)
        if k == "float":
            if rng.random() < 0.06 and not self.pyx:
                self.uses_math = True
                return E.same(rng.choice(["math.inf", "math.nan", "(-math.inf)", "math.pi"]), ty, True)
            v = rng.choice(FLOAT_CONSTS) if rng.random() < 0.8 else round(rng.uniform(-100, 100), 3)
            if rng.random() < 0.3:
                v = -v
            t = repr(float(v))
            if t.startswith("-"):
                t = f"({t})"
            # pyx: a double literal even where a `float` is asked for (`<float>1.5` would
            # be a cast of a constant, see convert)
            return E.same(t, "double" if self.pyx else "float", True)
        # ints
        if self.pyx:
            # pycc refuses a literal that does not fit the type it is assigned to (Cython
            # wraps it): keep literals within the range of the type asked for.
            lo, hi = c_range(ty) if ty in C_INTS else (0, 1)
            choices = [v for v in INT_CONSTS if v <= min(hi, 2**31 - 1)]
            v = rng.choice(choices) if rng.random() < 0.85 else rng.randint(0, min(hi, 300))
            if rng.random() < 0.25 and -v >= lo and v:
                return E.same(f"(-{v})", "int", True)
            return E.same(str(v), "int", True)
        v = rng.choice(INT_CONSTS) if rng.random() < 0.7 else rng.randint(0, 50)
        if rng.random() < 0.3:
            if v == INT64_MAX and rng.random() < 0.5:
                return E.same("(-9223372036854775807 - 1)", "int", True)
            return E.same(f"(-{v})", "int", True)
        return E.same(str(v), "int", True)

    def const_of(self, ty: str) -> E:
        """pyx: a literal that converts to ``ty`` without a cast (an `int` literal in
        ``ty``'s range, a double literal for `float`, True/False for `bint`); its type is
        the literal's own."""
        return self.const(ty)

    def var_of(self, k: str | None) -> E | None:
        cands = [(n, t) for n, t in self.vars.items() if k is None or kind(t) == k]
        if not cands:
            return None
        n, t = self.rng.choice(cands)
        return E.same(n, t)

    def leaf(self, ty: str) -> E:
        if self.rng.random() < 0.75:
            v = self.var_of(kind(ty))
            if v is None and self.rng.random() < 0.5:
                v = self.var_of(None)
            if v is not None:
                return self.convert(v, ty) if (not self.pyx or kind(v.ty) != kind(ty)) else v
        return self.const(ty)

    # -- expressions --------------------------------------------------------------------
    def expr(self, ty: str, depth: int) -> E:
        """An expression whose type is ``ty`` (pyx: whose kind is ``ty``'s kind; the
        caller converts when it needs the exact type)."""
        e = self._expr(ty, depth)
        if self.pyx and "const-fold" in AVOID and not e.const and kind(e.ty) == "int" and not _VAR_RE.search(e.src):
            # (a folded constant that does not fit the type it meets is refused by pycc)
            v = self.var_of("int")
            return v if v is not None else self.const(ty if ty in C_INTS else "int")
        return e

    def _expr(self, ty: str, depth: int) -> E:
        k = kind(ty)
        if depth <= 0 or self.chance(0.18):
            return self.leaf(ty)
        r = self.rng.random()
        if k == "bool":
            if r < 0.45:
                return self.compare(depth)
            if r < 0.6:
                x = self.expr(ty, depth - 1)
                return E(f"(not {x.src})", f"(not {x.ora})", self.bool_ty())
            if r < 0.8:
                return self.boolop(ty, depth)
            if r < 0.9:
                return self.ifexp(ty, depth)
            if r < 0.95:
                return self.call(ty, depth) or self.compare(depth)
            return self.convert(self.expr(self.rand_type(False), depth - 1), ty)
        if r < 0.42:
            return self.binop(ty, depth)
        if r < 0.52:
            return self.boolop(ty, depth)
        if r < 0.62:
            return self.ifexp(ty, depth)
        if r < 0.77:
            e = self.call(ty, depth)
            if e is not None:
                return e
            return self.binop(ty, depth)
        if r < 0.85:
            return self.builtin(ty, depth)
        if r < 0.92:
            return self.unary(ty, depth)
        # a conversion from another kind
        other = self.rand_type()
        while kind(other) == k:
            other = self.rand_type()
        return self.convert(self.expr(other, depth - 1), ty)

    def bool_ty(self) -> str:
        return "bint" if self.pyx else "bool"

    def binop(self, ty: str, depth: int) -> E:
        k = kind(ty)
        rng = self.rng
        if k == "float":
            op = rng.choice(["+", "-", "*", "/", "+", "*", "-", "//", "%"])
            a = self.expr(ty if rng.random() < 0.8 else self.int_ty(), depth - 1)
            b = self.expr(ty if rng.random() < 0.8 else self.int_ty(), depth - 1)
            if kind(a.ty) == "int" and kind(b.ty) == "int":
                a = self.convert(a, self.float_ty())
            if op in ("/", "//", "%") and self.pyx and not _VAR_RE.search(b.src):
                # Cython drops the zero check of a constant divisor (`1.5 / 0` is inf)
                b = E.same(self.rng.choice(["3.0", "7.0", "0.5"]), "double", True)
            return self._bin(op, a, b)
        op = rng.choice(["+", "-", "*", "+", "-", "*", "//", "%", "&", "|", "^", "<<", ">>"])
        a = self.expr(ty, depth - 1)
        if op in ("<<", ">>"):
            return self.shift(op, a, depth)
        b = self.expr(ty, depth - 1)
        lit = lambda e: e.const or not _VAR_RE.search(e.src)
        if not self.pyx and lit(a) and lit(b):
            # Two integer literals that overflow 64 bits make a Python `int` (an object,
            # unchecked), which the int64 oracle does not model: keep a variable in, or
            # (none yet) make the constant one that fits.
            b = self.var_of("int") or b
            for side in ("b", "a"):
                if not (lit(a) and lit(b)) or not _literal_overflows(op, a.src, b.src):
                    break
                if side == "b":
                    b = E.same("1", "int", True)
                else:
                    a = E.same("1", "int", True)
        if op in ("//", "%") and self.pyx and self.cdivision:
            # C division: a zero divisor or INT_MIN / -1 traps.
            b = E.same(f"((({b.src}) & 15) + 1)", c_common(b.ty, "int"))
        elif op in ("//", "%") and self.pyx and not _VAR_RE.search(b.src):
            # Cython drops the zero check of a constant divisor such as `<int>(False)`
            # (and the C division then traps): keep constant divisors nonzero.
            b = E.same(str(self.rng.choice([3, 7, 10])), "int", True)
        return self._bin(op, a, b)

    def int_ty(self) -> str:
        return self.rng.choice(list(C_INTS)) if self.pyx else "int"

    def float_ty(self) -> str:
        return self.rng.choice(C_FLOATS) if self.pyx else "float"

    def _bin(self, op: str, a: E, b: E) -> E:
        a, b = self.c_pair(a, b)
        if self.pyx and op == "-" and kind(a.ty) == "float" and re.fullmatch(r"\(?-?0(\.0*)?(e[+-]?\d+)?\)?", a.src):
            # GCC (12, even at -O0) folds `0.0 - x` into `-x` for an integer `x`, which
            # is -0.0 for 0 where IEEE (and pycc) give 0.0.
            a = E.same("1.0", "double", True)
        src = f"({a.src} {op} {b.src})"
        if self.pyx:
            return E.same(src, c_common(a.ty, b.ty))
        ka, kb = kind(a.ty), kind(b.ty)
        if ka == "float" or kb == "float":
            return E(src, f"({a.ora} {op} {b.ora})", "float")
        if op in ("+", "-", "*", "//"):
            return E(src, f"_ck({a.ora} {op} {b.ora})", "int")
        return E(src, f"({a.ora} {op} {b.ora})", "int")

    def shift(self, op: str, a: E, depth: int) -> E:
        rng = self.rng
        if self.pyx:
            pt = c_promote(a.ty)
            bits, signed = C_INTS[pt]
            if op == "<<" and signed:
                a = E.same(f"(<{c_unsigned_of(pt)}>{a.src})", c_unsigned_of(pt))
                pt = a.ty
            if rng.random() < 0.5:
                cnt = str(rng.randint(0, bits - 1))
            else:
                c = self.expr(self.int_ty(), depth - 1)
                if re.search(r"\b(and|or|if)\b", a.src):
                    # Cython converts the operands of an `and`/`or`/`if-else` on the left
                    # to the shift's type, the wider of both (README, "Where pycc
                    # differs"): a count no wider than the left operand.
                    c = self.convert(c, pt)
                elif {pt, c_promote(c.ty) if c.ty in C_INTS or c.ty == "bint" else c.ty} == {"unsigned long", "long long"}:
                    # Cython's type of the shift would be `long long` (see `c_pair`).
                    c = self.convert(c, "long")
                cnt = f"(({c.src}) & {bits - 1})"
            return E.same(f"({a.src} {op} {cnt})", pt)
        if a.const or not _VAR_RE.search(a.src):
            # Two literals that overflow 64 bits make a Python `int` (see `binop`).
            a = self.var_of("int") or a
        r = rng.random()
        if not _VAR_RE.search(a.src):
            # No variable yet: a literal count that keeps the literal within 64 bits.
            try:
                room = 62 - abs(int(eval(a.src, {"math": math}))).bit_length()
            except Exception:  # noqa: BLE001
                room = 0
            c = E.same(str(rng.randint(0, max(room, 0))), "int", True)
        elif r < 0.4:
            c = E.same(str(rng.randint(0, 70)), "int", True)
        elif r < 0.8:
            x = self.expr("int", depth - 1)
            c = E(f"({x.src} & 63)", f"({x.ora} & 63)", "int")
        else:
            c = self.expr("int", depth - 1)
        if op == "<<":
            return E(f"({a.src} << {c.src})", f"_shl({a.ora}, {c.ora})", "int")
        return E(f"({a.src} >> {c.src})", f"({a.ora} >> {c.ora})", "int")

    def unary(self, ty: str, depth: int) -> E:
        a = self.expr(ty, depth - 1)
        if kind(ty) == "int" and self.chance(0.4):
            t = c_promote(a.ty) if self.pyx else "int"
            return E(f"(~{a.src})", f"(~{a.ora})", t)
        if self.pyx:
            return E.same(f"(-{a.src})", c_promote(a.ty) if a.ty in C_INTS or a.ty == "bint" else a.ty)
        if kind(a.ty) == "int":
            return E(f"(-{a.src})", f"_ck(-{a.ora})", "int")
        return E(f"(-{a.src})", f"(-{a.ora})", a.ty)

    def builtin(self, ty: str, depth: int) -> E:
        rng = self.rng
        k = kind(ty)
        r = rng.random()
        if r < 0.3:
            a = self.expr(ty, depth - 1)
            if self.pyx:
                # abs of an unsigned value is the value; of INT_MIN is UB in C. Cython's C
                # `abs` takes `int` and wider: of a `char`, `short` or `bint` it is a Python
                # `int`, whose arithmetic is unbounded in Cython and 64-bit in pycc (README,
                # "Where pycc differs"): widen those to `int` first.
                if a.ty == "bint" or (a.ty in C_INTS and C_INTS[a.ty][0] < 32):
                    a = E.same(f"<int>({a.src})", "int") if _VAR_RE.search(a.src) and not _LEAD_CONST_RE.match(a.src) else self.const("int")
                return E.same(f"abs({a.src})", c_promote(a.ty) if a.ty != "double" and a.ty != "float" else a.ty)
            if k == "int":
                return E(f"abs({a.src})", f"_ck(abs({a.ora}))", "int")
            return E(f"abs({a.src})", f"abs({a.ora})", a.ty)
        if r < 0.65 or (k == "int" and not self.pyx and r < 0.8):
            fn = rng.choice(["min", "max"])
            a = self.expr(ty, depth - 1)
            b = self.expr(ty, depth - 1)
            if not self.pyx:
                if a.ty != b.ty:
                    a, b = self.convert(a, ty), self.convert(b, ty)
                return E(f"{fn}({a.src}, {b.src})", f"{fn}({a.ora}, {b.ora})", ty)
            # Cython's min/max of C values: the common type.
            a, b = self.c_pair(a, b)
            t = c_common(a.ty, b.ty)
            return E.same(f"{fn}({a.src}, {b.src})", t)
        if k == "int" and self.pyx:
            return self.convert(self.builtin("double", depth), ty)
        if k == "int" and not self.pyx:
            self.uses_math = True
            fn = rng.choice(["floor", "ceil", "trunc"])
            a = self.expr("float", depth - 1)
            return E(f"math.{fn}({a.src})", f"_ck(math.{fn}({a.ora}))", "int")
        # float math
        if self.pyx:
            fn = rng.choice(["sqrt", "fabs", "sin", "cos", "atan", "tanh", "floor", "ceil", "copysign", "fmod"])
            self.libc.add(fn)
            a = self.expr("double", depth - 1)
            if fn in ("fmin", "fmax", "copysign"):
                b = self.expr("double", depth - 1)
                return E.same(f"{fn}({a.src}, {b.src})", "double")
            if fn == "fmod":
                b = self.expr("double", depth - 1)
                return E.same(f"fmod({a.src}, {b.src})", "double")
            return E.same(f"{fn}({a.src})", "double")
        self.uses_math = True
        fn = rng.choice(["sqrt", "fabs", "sin", "cos", "atan", "tanh", "copysign", "fmod"])
        a = self.expr("float", depth - 1)
        a = self.convert(a, "float")
        if fn in ("copysign", "fmod"):
            b = self.convert(self.expr("float", depth - 1), "float")
            return E(f"math.{fn}({a.src}, {b.src})", f"math.{fn}({a.ora}, {b.ora})", "float")
        return E(f"math.{fn}({a.src})", f"math.{fn}({a.ora})", "float")

    def compare(self, depth: int) -> E:
        rng = self.rng
        n = 2 if rng.random() < 0.75 else 3
        if self.pyx:
            t0 = self.rand_type(False)
        else:
            t0 = rng.choice(["int", "int", "float", "bool"])
        parts = []
        for i in range(n):
            t = t0 if (rng.random() < 0.75 or t0 == "bool") else self.rand_type(False)
            if not self.pyx and kind(t0) != kind(t) and "bool" in (t0, t):
                t = t0
            parts.append(self.expr(t, depth - 1))
        if not self.pyx:
            # pycc compares an int with a float after converting the int to double (as C
            # and Cython do); keep mixed comparisons exact by converting explicitly.
            if len({p.ty for p in parts}) > 1:
                parts = [self.convert(p, "float") if p.ty == "int" else p for p in parts]
        else:
            # Cython compares `unsigned long` with `long long` as `long long` (see `c_pair`).
            for i in range(len(parts) - 1):
                parts[i], parts[i + 1] = self.c_pair(parts[i], parts[i + 1])
        ops = ["<", "<=", ">", ">=", "==", "!="]
        src, ora = parts[0].src, parts[0].ora
        for p in parts[1:]:
            op = rng.choice(ops)
            src += f" {op} {p.src}"
            ora += f" {op} {p.ora}"
        return E(f"({src})", f"({ora})", self.bool_ty())

    def boolop(self, ty: str, depth: int) -> E:
        rng = self.rng
        op = rng.choice(["and", "or"])
        n = 2 if rng.random() < 0.8 else 3
        parts = [self.expr(ty, depth - 1) for _ in range(n)]
        if self.pyx:
            if any(c_promote(p.ty) == "long long" for p in parts if p.ty in C_INTS):
                parts = [self.c_pair(p, E.same("0", "long long"))[0] for p in parts]
            t = parts[0].ty
            for p in parts[1:]:
                t = c_common(t, p.ty) if "bint" not in (t, p.ty) or t == p.ty else (p.ty if t == "bint" else t)
            if any(p.ty == "bint" for p in parts) and kind(t) != "bool":
                parts = [self.convert(p, t) if p.ty == "bint" else p for p in parts]
            parts = [self.same_type(p, t) for p in parts]
            return E.same("(" + f" {op} ".join(p.src for p in parts) + ")", t)
        parts = [self.convert(p, ty) for p in parts]
        return E("(" + f" {op} ".join(p.src for p in parts) + ")", "(" + f" {op} ".join(p.ora for p in parts) + ")", ty)

    def ifexp(self, ty: str, depth: int) -> E:
        c = self.cond(depth - 1)
        a = self.expr(ty, depth - 1)
        b = self.expr(ty, depth - 1)
        if self.pyx:
            if a.ty == "bint" and b.ty != "bint":
                a = self.convert(a, b.ty)
            elif b.ty == "bint" and a.ty != "bint":
                b = self.convert(b, a.ty)
            a, b = self.c_pair(a, b)
            t = a.ty if a.ty == b.ty else c_common(a.ty, b.ty)
            a, b = self.same_type(a, t), self.same_type(b, t)
            return E.same(f"({a.src} if {c.src} else {b.src})", t)
        a, b = self.convert(a, ty), self.convert(b, ty)
        return E(f"({a.src} if {c.src} else {b.src})", f"({a.ora} if {c.ora} else {b.ora})", ty)

    def cond(self, depth: int) -> E:
        """A condition: usually a bool, sometimes any value (its truth is tested)."""
        if self.chance(0.25):
            return self.expr(self.rand_type(), max(depth, 1))
        return self.expr(self.bool_ty(), max(depth, 1))

    def call(self, ty: str, depth: int) -> E | None:
        """A call of an earlier function (or of the current one, if recursive) whose
        result kind is ``ty``'s."""
        rng = self.rng
        cands = []
        cur = self.cur
        for f in self.funcs:
            if self.pyx and f.decl == "def" and "def-call" in AVOID:
                continue
            if kind(f.ret) == kind(ty) and f.cost * self.mult <= self.budget:
                cands.append(f)
        def_call = self.pyx and cur is not None and cur.decl == "def" and "def-call" in AVOID  # a `def` calling itself too
        if cur is not None and cur.recursive and kind(cur.ret) == kind(ty) and self.loop_depth == 0 and self.selfcalls < 2 and not self.no_self and not def_call:
            cands.append(cur)
        if not cands:
            return None
        f = rng.choice(cands)
        if f is cur:
            self.selfcalls += 1
        else:
            self.budget -= f.cost * self.mult
            self.spent += f.cost * self.mult
        args_s, args_o = [], []
        for i, (pname, pty) in enumerate(f.params):
            if f is cur and i == 0:
                dec = rng.choice([1, 1, 2])
                args_s.append(f"{pname} - {dec}")
                args_o.append(f"{pname} - {dec}")
                continue
            a = self.expr(pty, depth - 1)
            a = self.convert(a, pty) if (not self.pyx or kind(a.ty) != kind(pty) or self.chance(0.4)) else a
            args_s.append(a.src)
            args_o.append(a.ora)
        name = f.name
        return E(f"{name}({', '.join(args_s)})", f"{name}({', '.join(args_o)})", f.ret)

    # -- statements ---------------------------------------------------------------------
    def emit(self, lines: list, ind: int, text: str) -> None:
        lines.append("    " * ind + text)

    def assign_target(self, k: str | None = None):
        cands = [(n, t) for n, t in self.vars.items() if n not in self.readonly and (k is None or kind(t) == k)]
        return self.rng.choice(cands) if cands else None

    def stmt(self, lines: list, ind: int, depth: int, in_loop: bool) -> None:
        rng = self.rng
        r = rng.random()
        edepth = rng.randint(1, 3)
        if r < 0.3 or depth <= 0:
            tgt = self.assign_target()
            if tgt is None:
                return
            n, t = tgt
            e = self.convert(self.expr(t, edepth), t) if not self.pyx or kind(t) == "bool" or self.chance(0.3) else self.expr(t, edepth)
            if self.pyx and kind(e.ty) != kind(t):
                e = self.convert(e, t)
            self.emit(lines, ind, f"{n} = {e.src}")
            self.alt[len(lines) - 1] = "    " * ind + f"{n} = {e.ora}"
            return
        if r < 0.45:
            tgt = self.assign_target()
            if tgt is None or kind(tgt[1]) == "bool":
                return self.stmt(lines, ind, 0, in_loop)
            n, t = tgt
            if kind(t) == "int":
                op = rng.choice(["+", "-", "*", "//", "%", "&", "|", "^", "+", "-"])
                e = self.expr(t, edepth)
                if self.pyx:
                    if op in ("//", "%") and self.cdivision:
                        e = E.same(f"((({e.src}) & 15) + 1)", "int")
                    elif op in ("//", "%") and not _VAR_RE.search(e.src):
                        e = E.same(str(rng.choice([3, 7, 10])), "int", True)
                    elif kind(e.ty) != "int":
                        e = self.convert(e, t)
                    if {c_promote(t), c_promote(e.ty)} == {"unsigned long", "long long"}:
                        e = E.same(f"<unsigned long long>({e.src})", "unsigned long long")  # see c_pair
                    self.emit(lines, ind, f"{n} {op}= {e.src}")
                else:
                    e = self.convert(e, "int")
                    self.aug(lines, ind, n, op, e, True)
            else:
                op = rng.choice(["+", "-", "*", "/", "+", "-"])
                e = self.expr(t, edepth)
                if self.pyx:
                    if op == "/" and not _VAR_RE.search(e.src):
                        e = E.same("3.0", "double", True)  # a constant divisor (see binop)
                    self.emit(lines, ind, f"{n} {op}= {e.src}")
                else:
                    self.aug(lines, ind, n, op, self.convert(e, "float"), False)
            return
        if r < 0.6:
            self.if_stmt(lines, ind, depth, in_loop)
            return
        if r < 0.7 and self.loop_depth < 2:
            self.while_stmt(lines, ind, depth)
            return
        if r < 0.8 and self.loop_depth < 2:
            self.for_stmt(lines, ind, depth)
            return
        if in_loop and r < 0.88:
            c = self.cond(1)
            self.emit(lines, ind, f"if {c.src}:")
            self.ora_cond(lines, c)
            self.emit(lines, ind + 1, rng.choice(["break", "continue"]))
            return
        if r < 0.95:
            c = self.cond(2)
            self.emit(lines, ind, f"if {c.src}:")
            self.ora_cond(lines, c)
            e = self.ret_expr(edepth)
            self.emit(lines, ind + 1, f"return {e.src}")
            self.ora_ret(lines, e)
            return
        self.stmt(lines, ind, 0, in_loop)

    # The oracle rendering of a body line, where it differs, is kept in self.alt (keyed by
    # the line's index).
    def aug(self, lines, ind, n, op, e: E, is_int: bool) -> None:
        self.emit(lines, ind, f"{n} {op}= {e.src}")
        if is_int and op in ("+", "-", "*", "//"):
            self.alt[len(lines) - 1] = "    " * ind + f"{n} = _ck({n} {op} {e.ora})"
        else:
            self.alt[len(lines) - 1] = "    " * ind + f"{n} {op}= {e.ora}"

    def ora_cond(self, lines, c: E) -> None:
        src = lines[-1]
        self.alt[len(lines) - 1] = src.replace(c.src, c.ora, 1) if c.src != c.ora else src

    def ora_ret(self, lines, e: E) -> None:
        if e.src != e.ora:
            src = lines[-1]
            self.alt[len(lines) - 1] = src.replace(e.src, e.ora, 1)

    def ret_expr(self, depth: int) -> E:
        t = self.cur.ret
        e = self.expr(t, depth)
        if not self.pyx or kind(e.ty) != kind(t) or kind(t) == "bool":
            e = self.convert(e, t)
        if self.pyx and self.cur.decl == "def" and e.ty != t:
            # a `def` has no declared C return type: each return converts its own value
            # to an object in Cython, so give them all the same type
            e = E.same(f"<{t}>({e.src})", t)
        return e

    def block(self, lines, ind, depth, in_loop, n=None) -> None:
        n = n if n is not None else self.rng.randint(1, 3)
        start = len(lines)
        for _ in range(n):
            self.stmt(lines, ind, depth - 1, in_loop)
        if len(lines) == start:
            self.emit(lines, ind, "pass")

    def if_stmt(self, lines, ind, depth, in_loop) -> None:
        c = self.cond(2)
        self.emit(lines, ind, f"if {c.src}:")
        self.ora_cond(lines, c)
        self.block(lines, ind + 1, depth, in_loop)
        for _ in range(self.rng.choice([0, 0, 1, 2])):
            c = self.cond(2)
            self.emit(lines, ind, f"elif {c.src}:")
            self.ora_cond(lines, c)
            self.block(lines, ind + 1, depth, in_loop)
        if self.chance(0.5):
            self.emit(lines, ind, "else:")
            self.block(lines, ind + 1, depth, in_loop)

    def new_counter(self, lines, ind) -> str:
        c = self.fresh("c")
        self.decls.append((c, self.int_loop_ty(), "0"))
        self.readonly.add(c)
        self.emit(lines, ind, f"{c} = 0")
        return c

    def int_loop_ty(self) -> str:
        return "int" if not self.pyx else "long"

    def while_stmt(self, lines, ind, depth) -> None:
        rng = self.rng
        k = rng.randint(1, 6)
        c = self.new_counter(lines, ind)
        self.vars[c] = self.int_loop_ty()
        r = rng.random()
        if r < 0.5:
            cond = self.cond(2)
        else:
            # `while (i0 and a) < 5:` shapes: an and/or feeding a comparison
            t = self.rand_type(False)
            a = self.boolop(t, 2)
            b = self.expr(t, 1)
            op = rng.choice(["<", "<=", ">", "!=", "=="])
            if not self.pyx and a.ty != b.ty:
                a, b = self.convert(a, "float"), self.convert(b, "float")
            a, b = self.c_pair(a, b)
            cond = E(f"({a.src} {op} {b.src})", f"({a.ora} {op} {b.ora})", self.bool_ty())
        self.emit(lines, ind, f"while {cond.src}:")
        self.ora_cond(lines, cond)
        self.emit(lines, ind + 1, f"{c} += 1")
        self.emit(lines, ind + 1, f"if {c} > {k}:")
        self.emit(lines, ind + 2, "break")
        self.loop_depth += 1
        saved = self.mult
        self.mult *= k + 1
        self.block(lines, ind + 1, depth, True)
        self.mult = saved
        self.loop_depth -= 1
        if self.chance(0.2):
            self.emit(lines, ind, "else:")
            self.block(lines, ind + 1, depth, False, 1)

    def for_stmt(self, lines, ind, depth) -> None:
        rng = self.rng
        k = rng.randint(1, 8)
        c = self.new_counter(lines, ind)
        self.vars[c] = self.int_loop_ty()
        iv = self.fresh("i")
        lt = self.int_loop_ty()
        self.decls.append((iv, lt, "0"))
        self.vars[iv] = lt
        self.readonly.add(iv)
        r = rng.random()

        def bound():
            if rng.random() < 0.5:
                return E.same(str(rng.randint(-3, 10)), "int", True)
            e = self.expr(lt, 1)
            if self.pyx and not _VAR_RE.search(e.src):
                e = E.same(str(rng.randint(-3, 10)), "int", True)  # no cast of a constant (see convert)
            elif self.pyx:
                e = E.same(f"<long>({e.src})" if e.ty != "long" else e.src, "long")
            return e

        if r < 0.3:
            args = [bound()]
        elif r < 0.6:
            args = [bound(), bound()]
        else:
            step = rng.choice([1, 2, 3, -1, -2])
            if not self.pyx and rng.random() < 0.3:
                st = self.expr("int", 1)
                args = [bound(), bound(), st]
            else:
                args = [bound(), bound(), E.same(str(step) if step > 0 else f"({step})", "int", True)]
        self.emit(lines, ind, f"for {iv} in range({', '.join(a.src for a in args)}):")
        self.alt[len(lines) - 1] = "    " * ind + f"for {iv} in range({', '.join(a.ora for a in args)}):"
        self.emit(lines, ind + 1, f"{c} += 1")
        self.emit(lines, ind + 1, f"if {c} > {k}:")
        self.emit(lines, ind + 2, "break")
        self.loop_depth += 1
        saved = self.mult
        self.mult *= k + 1
        self.block(lines, ind + 1, depth, True)
        self.mult = saved
        self.loop_depth -= 1
        if self.chance(0.15):
            self.emit(lines, ind, "else:")
            self.block(lines, ind + 1, depth, False, 1)

    # -- functions ----------------------------------------------------------------------
    def function(self, idx: int, last: bool) -> Func:
        rng = self.rng
        name = f"{self.prefix}f{idx}"
        recursive = rng.random() < 0.25
        nparams = rng.randint(1, 4)
        params = []
        if recursive:
            params.append(("d", self.int_ty() if not self.pyx else rng.choice(["int", "long", "unsigned int", "short"])))
        while len(params) < nparams + (1 if recursive else 0):
            params.append((f"p{len(params)}", self.rand_type()))
        ret = self.rand_type()
        f = Func(name, params, ret, recursive=recursive)
        if self.pyx:
            r = rng.random()
            if last or r < 0.5:
                f.decl = "cpdef"
            elif r < 0.7:
                f.decl = "def"
            elif r < 0.85:
                f.decl, f.exported = "cdef", False
            else:
                f.decl, f.exported = "cdef inline", False
        self.cur = f
        self.vars = dict(params)
        self.readonly = set()
        if recursive:
            self.readonly.add("d")
        self.loop_depth = 0
        self.mult = 1
        self.budget = 3000
        self.spent = 0
        self.selfcalls = 0
        self.no_self = True  # no self-call before the depth guard
        self.decls = []
        self.alt = {}
        body: list = []
        # locals, declared and initialised at the top
        for _ in range(rng.randint(1, 4)):
            t = self.rand_type()
            e = self.expr(t, rng.randint(0, 2))
            e = self.convert(e, t) if (not self.pyx or kind(e.ty) != kind(t) or kind(t) == "bool") else e
            v = self.fresh("v")
            self.decls.append((v, t, e))
            self.vars[v] = t
        ind = 1
        if recursive:
            base = self.ret_expr(1)
            lim = rng.randint(2, 5)
            self.emit(body, ind, f"if d <= 0 or d > {lim}:")
            self.emit(body, ind + 1, f"return {base.src}")
            self.ora_ret(body, base)
        self.no_self = False
        self.block(body, ind, 3, False, rng.randint(2, 6))
        e = self.ret_expr(rng.randint(1, 3))
        self.emit(body, ind, f"return {e.src}")
        self.ora_ret(body, e)
        # render
        src, ora = [], []
        if self.pyx:
            ps = ", ".join(f"{t} {n}" for n, t in params)
            src.append(f"def {name}({ps}):" if f.decl == "def" else f"{f.decl} {ret} {name}({ps}):")
        else:
            ps = ", ".join(f"{n}: {t}" for n, t in params)
            src.append(f"def {name}({ps}) -> {ret}:")
        ora.append(src[0])
        for v, t, e in self.decls:
            if isinstance(e, E):
                s = f"    cdef {t} {v} = {e.src}" if self.pyx else f"    {v}: {t} = {e.src}"
                o = f"    {v}: {t} = {e.ora}"
            else:
                s = f"    cdef {t} {v} = {e}" if self.pyx else f"    {v}: {t} = {e}"
                o = f"    {v}: {t} = {e}"
            src.append(s)
            ora.append(o)
        for i, line in enumerate(body):
            src.append(line)
            ora.append(self.alt.get(i, line))
        f.lines = src
        f.ora_lines = ora
        # cost: the body (loops counted with their bounds) plus the callees, times the
        # recursion's call tree
        body_cost = 20 + self.spent
        f.cost = body_cost * (2 ** (lim + 1) if recursive and self.selfcalls > 1 else (lim + 1) if recursive else 1)
        return f

    def module(self, nfuncs: int):
        for i in range(nfuncs):
            f = self.function(i, i == nfuncs - 1)
            if f.cost > 20000:
                f.cost = 20000
            self.funcs.append(f)
        head = []
        if self.pyx:
            head.append("# cython: language_level=3" + (", cdivision=True" if self.cdivision else ""))
            if self.libc:
                head.append(f"from libc.math cimport {', '.join(sorted(self.libc))}")
        elif self.uses_math:
            head.append("import math")
        src = "\n".join(head) + "\n\n\n" + "\n\n\n".join("\n".join(f.lines) for f in self.funcs) + "\n"
        ora = ORACLE_PRELUDE + "\n\n" + "\n\n\n".join("\n".join(f.ora_lines) for f in self.funcs) + "\n"
        return src, ora


@dataclass
class Module:
    seed: int
    index: int
    dialect: str
    source: str
    oracle: str  # py: the oracle rendering; pyx: unused (Cython runs `source`)
    funcs: list  # [(name, [(param, type)], ret, exported)]
    cdivision: bool = False

    @property
    def name(self) -> str:
        return f"pg_{self.dialect}_{self.seed}_{self.index}"


def make_module(seed: int, index: int, dialect: str) -> Module:
    rng = random.Random(zlib.crc32(f"progen:{seed}:{index}:{dialect}".encode()))
    cdiv = dialect == "pyx" and rng.random() < 0.3
    prefix = f"m{index}_" if dialect == "pyx" else ""
    g = Gen(rng, dialect, prefix, cdiv)
    src, ora = g.module(rng.randint(3, 10))
    funcs = [(f.name, f.params, f.ret, f.exported) for f in g.funcs]
    return Module(seed, index, dialect, src, ora, funcs, cdiv)


# ---------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------

F_EDGES = [0.0, -0.0, 1.0, -1.0, math.nan, math.inf, -math.inf, 0.5, 2.5, 1e308, -1e308, 5e-324, 1e-300, 3.0, 100.0]


def f32(v: float) -> float:
    return struct.unpack("f", struct.pack("f", v))[0] if math.isfinite(v) and abs(v) < 3.4e38 else v


def arg_values(ty: str, rng: random.Random, dialect: str) -> list:
    k = kind(ty)
    if k == "bool":
        return [False, True]
    if k == "float":
        vals = list(F_EDGES) + [rng.uniform(-20, 20) for _ in range(4)] + [float(rng.randint(-5, 5))]
        if ty == "float" and dialect == "pyx":
            vals = [f32(v) if abs(v) < 3.4e38 or not math.isfinite(v) else math.copysign(math.inf, v) for v in vals]
        return vals
    if dialect == "pyx":
        lo, hi = c_range(ty)
        vals = [0, 1, lo, hi, lo + 1, hi - 1, 2, 3, 5, 7] + ([-1, -2] if lo < 0 else [])
        vals += [rng.randint(lo, hi) for _ in range(3)] + [rng.randint(max(lo, -10), min(hi, 10)) for _ in range(3)]
        return vals
    vals = [0, 1, -1, 2, 3, 5, -7, INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1, 2**31, -(2**32), 2**53 + 1, 100]
    vals += [rng.randint(-10, 10) for _ in range(4)] + [rng.randint(-(2**40), 2**40)]
    return vals


def inputs_for(mod: Module, fname: str, params, n: int) -> list:
    rng = random.Random(zlib.crc32(f"{mod.name}:{fname}".encode()))
    per = [arg_values(t, rng, mod.dialect) for _, t in params]
    out, seen = [], set()
    # small values most of the time (so the interesting paths run), edges otherwise
    for _ in range(n * 3):
        args = []
        for (pname, t), vals in zip(params, per):
            if pname == "d" and rng.random() < 0.8:
                args.append(rng.randint(0, 6))
            elif kind(t) == "int" and rng.random() < 0.45:
                lo, hi = (c_range(t) if mod.dialect == "pyx" else (INT64_MIN, INT64_MAX))
                args.append(rng.randint(max(lo, -8), min(hi, 8)))
            else:
                args.append(rng.choice(vals))
        key = tuple((type(a).__name__, repr(a)) for a in args)
        if key not in seen:
            seen.add(key)
            out.append(tuple(args))
        if len(out) >= n:
            break
    return out


# ---------------------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------------------


def outcome(fn, args):
    """('ok', type name, value repr) or ('raise', exception type name, message)."""
    try:
        v = fn(*args)
    except KeyboardInterrupt:
        raise
    except BaseException as e:  # noqa: BLE001 - every exception is an outcome (a panic too)
        return ("raise", type(e).__name__, str(e))
    if isinstance(v, float):
        if v != v:
            return ("ok", "float", "nan")
        return ("ok", "float", struct.pack("<d", v).hex() + f" {v!r}")
    return ("ok", type(v).__name__, repr(v))


# Exception messages pycc takes from CPython; any other message (OverflowError's, Cython's
# wordings) is compared by type only.
def same(exp, act, dialect: str) -> bool:
    if exp[0] != act[0] or exp[1] != act[1]:
        return False
    if exp[0] == "ok":
        if exp[1] == "float" and (exp[2] == "nan" or act[2] == "nan"):
            return exp[2] == act[2]
        return exp[2].split(" ")[0] == act[2].split(" ")[0]
    if dialect == "pyx" or exp[1] == "OverflowError":
        return True
    return exp[2] == act[2]


# ---------------------------------------------------------------------------------------
# Oracles
# ---------------------------------------------------------------------------------------


def oracle_namespace(mod: Module) -> dict:
    ns = {"__name__": f"oracle_{mod.name}"}
    exec(compile(mod.oracle, f"<oracle {mod.name}>", "exec"), ns)
    return ns


EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX") or ".so"


def cython_build(mods: list, workdir: Path, tag: str):
    """Builds one extension holding the functions of ``mods`` (pyx, same cdivision) with
    Cython and the C compiler.  Returns the module, or raises RuntimeError with output."""
    import importlib.util

    libc = set()
    bodies = []
    for m in mods:
        lines = m.source.splitlines()
        for ln in lines:
            if ln.startswith("from libc.math cimport"):
                libc.update(x.strip() for x in ln.split("cimport", 1)[1].split(","))
        bodies.append("\n".join(ln for ln in lines if not ln.startswith(("#", "from libc"))))
    head = "# cython: language_level=3" + (", cdivision=True" if mods[0].cdivision else "")
    text = head + "\n" + (f"from libc.math cimport {', '.join(sorted(libc))}\n" if libc else "") + "\n".join(bodies)
    name = f"cy_{tag}"
    pyx = workdir / f"{name}.pyx"
    pyx.write_text(text)
    c = workdir / f"{name}.c"
    r = subprocess.run([sys.executable, "-m", "cython", "-3", str(pyx), "-o", str(c)], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("cython failed:\n" + (r.stdout + r.stderr)[-3000:])
    so = workdir / f"{name}{EXT_SUFFIX}"
    inc = sysconfig.get_paths()["include"]
    cc = os.environ.get("CC", "cc")
    r = subprocess.run([cc, "-shared", "-fPIC", "-O1", "-fwrapv", "-fno-strict-aliasing", "-w", f"-I{inc}", str(c), "-o", str(so), "-lm"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("cc failed:\n" + (r.stdout + r.stderr)[-3000:])
    spec = importlib.util.spec_from_file_location(name, so)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


# ---------------------------------------------------------------------------------------
# Backends
# ---------------------------------------------------------------------------------------


def find_cli() -> list:
    beside = Path(sys.executable).parent / "pycc"
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "pycc"]


def is_refusal(msg: str) -> bool:
    """A diagnostic (error: ... [code]) that is not an internal compiler error or a panic."""
    low = msg.lower()
    if "internal compiler error" in low or "panic" in low or "internalerror" in low:
        return False
    return "error" in low


def compile_jit(mod: Module, optimize: bool):
    import pycc

    return pycc.compile_source(mod.source, name=mod.name, kind=mod.dialect, optimize=optimize)


def compile_aot(mods: list, optimize: bool, workdir: Path):
    """Builds each module with one `pycc build` invocation (many files at once) and imports
    them.  Returns {index: module or ('refused'|'ice', text)}."""
    import importlib.util

    out = {}
    sub = workdir / ("aot_O" if optimize else "aot_O0")
    sub.mkdir(parents=True, exist_ok=True)
    paths = []
    for m in mods:
        name = m.name + ("" if optimize else "_O0")
        p = sub / f"{name}.{m.dialect}"
        p.write_text(m.source)
        paths.append((m, name, p))
    cmd = find_cli() + ["build", "--force", "-o", str(sub)] + ([] if optimize else ["-O0"]) + [str(p) for _, _, p in paths]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    text = r.stdout + r.stderr
    for m, name, p in paths:
        so = sub / f"{name}{EXT_SUFFIX}"
        if not so.exists():
            mine = "\n".join(ln for ln in text.splitlines() if name in ln) or text[-2000:]
            if r.returncode < 0 or "panick" in text or "internal compiler error" in text:
                if name in text or r.returncode < 0:
                    out[m.index] = ("ice", f"exit {r.returncode}\n{mine}")
                    continue
            out[m.index] = ("refused", mine)
            continue
        spec = importlib.util.spec_from_file_location(name, so)
        em = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(em)
        except Exception as e:  # noqa: BLE001
            out[m.index] = ("ice", f"import failed: {type(e).__name__}: {e}")
            continue
        out[m.index] = em
    return out


# ---------------------------------------------------------------------------------------
# The campaign: one worker process runs a batch and reports JSON lines
# ---------------------------------------------------------------------------------------

N_INPUTS = 10


def run_batch(seed: int, start: int, count: int, dialect: str, backends: list, report, workdir: Path,
              use_cython: bool = True) -> None:
    """Runs modules [start, start+count) and calls ``report(dict)`` for each event:
    {'ev': 'start', 'i': i} before running module i's compiled code (so a crash names it),
    {'ev': 'done', 'i', 'stat': {...}, 'fails': [...]} after."""
    mods = [make_module(seed, i, dialect) for i in range(start, start + count)]
    expected = {}
    stats_oracle_fail = {}
    if dialect == "py":
        for m in mods:
            try:
                ns = oracle_namespace(m)
            except Exception as e:  # noqa: BLE001
                stats_oracle_fail[m.index] = f"oracle failed: {type(e).__name__}: {e}"
                continue
            expected[m.index] = {
                f: [(a, outcome(ns[f], a)) for a in inputs_for(m, f, params, N_INPUTS)]
                for f, params, ret, exp in m.funcs if exp
            }
    else:
        if not use_cython:
            raise RuntimeError("the pyx dialect needs Cython as its oracle")
        for cdiv in (False, True):
            group = [m for m in mods if m.cdivision == cdiv]
            if not group:
                continue
            try:
                cm = cython_build(group, workdir, f"{seed}_{start}_{int(cdiv)}")
            except RuntimeError as e:
                for m in group:
                    stats_oracle_fail[m.index] = str(e)
                continue
            for m in group:
                expected[m.index] = {
                    f: [(a, outcome(getattr(cm, f), a)) for a in inputs_for(m, f, params, N_INPUTS)]
                    for f, params, ret, exp in m.funcs if exp
                }
    aot = {}
    for be in backends:
        if be.startswith("aot"):
            aot[be] = compile_aot([m for m in mods if m.index in expected], be == "aot-O", workdir)
    for m in mods:
        i = m.index
        stat = {"refused": {}, "calls": 0, "oracle_fail": 0}
        fails = []
        if i not in expected:
            stat["oracle_fail"] = 1
            report({"ev": "done", "i": i, "stat": stat, "fails": [], "oracle_error": stats_oracle_fail.get(i, "")[:2000]})
            continue
        report({"ev": "start", "i": i})
        for be in backends:
            if be.startswith("jit"):
                try:
                    cm = compile_jit(m, be == "jit-O")
                except KeyboardInterrupt:
                    raise
                except BaseException as e:  # noqa: BLE001 - pyo3's PanicException is a BaseException
                    msg = f"{type(e).__name__}: {e}"
                    if type(e).__name__ == "CompileError" and is_refusal(msg):
                        stat["refused"][be] = msg.splitlines()[0][:300] if msg else ""
                    else:
                        fails.append({"backend": be, "kind": "ice", "detail": msg[:3000]})
                    continue
            else:
                cm = aot[be].get(i)
                if isinstance(cm, tuple):
                    if cm[0] == "refused":
                        stat["refused"][be] = cm[1][:300]
                    else:
                        fails.append({"backend": be, "kind": "ice", "detail": cm[1][:3000]})
                    continue
            for f, rows in expected[i].items():
                fn = getattr(cm, f, None)
                if fn is None:
                    fails.append({"backend": be, "kind": "missing", "detail": f})
                    continue
                for args, exp in rows:
                    act = outcome(fn, args)
                    stat["calls"] += 1
                    if not same(exp, act, dialect):
                        fails.append({"backend": be, "kind": "mismatch", "call": f"{f}{args!r}" if len(args) != 1 else f"{f}({args[0]!r})",
                                      "expected": list(exp), "actual": list(act)})
        report({"ev": "done", "i": i, "stat": stat, "fails": fails[:20]})


ALL_BACKENDS = ["jit-O", "jit-O0", "aot-O", "aot-O0"]


def worker_main(argv) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--start", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--dialect", default="py")
    ap.add_argument("--backends", default=",".join(ALL_BACKENDS))
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args(argv)

    def report(d):
        sys.stdout.write(json.dumps(d) + "\n")
        sys.stdout.flush()

    run_batch(a.seed, a.start, a.count, a.dialect, a.backends.split(","), report, Path(a.workdir))
    return 0


@dataclass
class Summary:
    modules: int = 0
    calls: int = 0
    refused: dict = field(default_factory=dict)  # backend -> count
    refusal_samples: list = field(default_factory=list)
    oracle_fail: int = 0
    oracle_samples: list = field(default_factory=list)
    failures: list = field(default_factory=list)  # (seed, index, dialect, [fail dicts] or crash text)

    def merge(self, o: "Summary") -> None:
        self.modules += o.modules
        self.calls += o.calls
        for k, v in o.refused.items():
            self.refused[k] = self.refused.get(k, 0) + v
        self.refusal_samples += o.refusal_samples[: max(0, 20 - len(self.refusal_samples))]
        self.oracle_fail += o.oracle_fail
        self.oracle_samples += o.oracle_samples[: max(0, 5 - len(self.oracle_samples))]
        self.failures += o.failures


def run_supervised(seed: int, start: int, count: int, dialect: str, backends=ALL_BACKENDS,
                   timeout: float = 300.0, workdir: Path | None = None) -> Summary:
    """Runs a batch in a worker subprocess.  A crash or a hang is attributed to the module
    that was running (the last 'start' event); the rest of the batch is run again after it."""
    s = Summary()
    todo = [(start, count)]
    own = workdir is None
    tmp = tempfile.TemporaryDirectory(prefix="progen_") if own else None
    wd = Path(tmp.name) if own else workdir
    try:
        while todo:
            st, n = todo.pop()
            if n <= 0:
                continue
            cmd = [sys.executable, str(Path(__file__).resolve()), "worker", "--seed", str(seed), "--start", str(st),
                   "--count", str(n), "--dialect", dialect, "--backends", ",".join(backends), "--workdir", str(wd)]
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                out, err = proc.communicate(timeout=timeout)
                hung = False
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
                hung = True
            done, running = set(), None
            for line in out.splitlines():
                try:
                    d = json.loads(line)
                except ValueError:
                    continue
                if d["ev"] == "start":
                    running = d["i"]
                    continue
                done.add(d["i"])
                running = None
                s.modules += 1
                st_ = d["stat"]
                s.calls += st_["calls"]
                if st_["oracle_fail"]:
                    s.oracle_fail += 1
                    if len(s.oracle_samples) < 5:
                        s.oracle_samples.append(d.get("oracle_error", ""))
                for be, msg in st_["refused"].items():
                    s.refused[be] = s.refused.get(be, 0) + 1
                    if len(s.refusal_samples) < 20:
                        s.refusal_samples.append(msg)
                if d["fails"]:
                    s.failures.append((seed, d["i"], dialect, d["fails"]))
            if proc.returncode != 0 or hung:
                if running is not None:
                    why = "hang (timeout)" if hung else f"crash (exit {proc.returncode})"
                    s.modules += 1
                    s.failures.append((seed, running, dialect, [{"backend": "?", "kind": why, "detail": err[-3000:]}]))
                    rest = st + n - running - 1
                    todo.append((running + 1, rest))
                else:
                    missing = [i for i in range(st, st + n) if i not in done]
                    if missing and len(missing) == n and n > 1:
                        # failed before any module started (e.g. in the oracle or AOT build):
                        # split the batch so the culprit is found
                        h = n // 2
                        todo += [(st, h), (st + h, n - h)]
                    elif missing:
                        s.modules += 1
                        s.failures.append((seed, missing[0], dialect, [{"backend": "?", "kind": "worker died", "detail": err[-3000:]}]))
                        todo.append((missing[0] + 1, st + n - missing[0] - 1))
    finally:
        if tmp is not None:
            tmp.cleanup()
    return s


def format_failure(seed: int, index: int, dialect: str, fails: list, limit: int = 6) -> str:
    m = make_module(seed, index, dialect)
    lines = [f"=== module seed={seed} index={index} dialect={dialect} ({m.name}) ===",
             f"reproduce: python tests/python/progen.py show --seed {seed} --index {index} --dialect {dialect}"]
    for f in fails[:limit]:
        if f["kind"] == "mismatch":
            lines.append(f"[{f['backend']}] {f['call']}\n    expected {f['expected']}\n    actual   {f['actual']}")
        else:
            lines.append(f"[{f['backend']}] {f['kind']}: {f.get('detail', '')}")
    if len(fails) > limit:
        lines.append(f"... and {len(fails) - limit} more")
    lines.append("--- source ---")
    lines.append(m.source)
    return "\n".join(lines)


def long_main(argv) -> int:
    ap = argparse.ArgumentParser(description="progen long campaign")
    ap.add_argument("--seed", type=int, default=int(os.environ.get("PYCC_PROGEN_SEED", "1")))
    ap.add_argument("--modules", type=int, default=100_000)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--pyx-every", type=int, default=10, help="one pyx batch per N py batches (0: none)")
    ap.add_argument("--backends", default=",".join(ALL_BACKENDS))
    ap.add_argument("--out", default="progen_long.log")
    ap.add_argument("--minutes", type=float, default=0, help="stop starting batches after this long")
    a = ap.parse_args(argv)
    from concurrent.futures import ThreadPoolExecutor

    backends = a.backends.split(",")
    jobs = []
    k = 0
    for st in range(a.start, a.start + a.modules, a.batch):
        n = min(a.batch, a.start + a.modules - st)
        dialect = "pyx" if a.pyx_every and k % a.pyx_every == a.pyx_every - 1 else "py"
        jobs.append((st, n if dialect == "py" else min(n, 60), dialect))
        k += 1
    t0 = time.time()
    total = Summary()
    log = open(a.out, "a")

    def one(job):
        if a.minutes and time.time() - t0 > a.minutes * 60:
            return None
        st, n, d = job
        return job, run_supervised(a.seed, st, n, d, backends, timeout=900)

    with ThreadPoolExecutor(a.jobs) as ex:
        for res in ex.map(one, jobs):
            if res is None:
                continue
            (st, n, d), s = res
            total.merge(s)
            for fl in s.failures:
                log.write(format_failure(*fl) + "\n\n")
            log.write(f"# batch {d} {st}+{n}: {s.modules} modules, {s.calls} calls, {len(s.failures)} failing, refused {s.refused}; "
                      f"total {total.modules} modules, {len(total.failures)} failing, {time.time() - t0:.0f}s\n")
            log.flush()
    log.write(f"# DONE {total.modules} modules, {total.calls} calls, {len(total.failures)} failing modules, refused {total.refused}, "
              f"oracle failures {total.oracle_fail}, {time.time() - t0:.0f}s\n")
    log.close()
    print(f"{total.modules} modules, {total.calls} calls, {len(total.failures)} failing, refused {total.refused}, {time.time() - t0:.0f}s")
    return 1 if total.failures else 0


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "worker":
        return worker_main(argv[1:])
    if argv and argv[0] == "show":
        ap = argparse.ArgumentParser()
        ap.add_argument("--seed", type=int, required=True)
        ap.add_argument("--index", type=int, required=True)
        ap.add_argument("--dialect", default="py")
        ap.add_argument("--oracle", action="store_true")
        a = ap.parse_args(argv[1:])
        m = make_module(a.seed, a.index, a.dialect)
        print(m.oracle if a.oracle else m.source)
        return 0
    if argv and argv[0] == "long":
        argv = argv[1:]
    return long_main(argv)


if __name__ == "__main__":
    sys.exit(main())
