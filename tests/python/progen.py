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
  About a quarter of the functions (``OBJ_SHARE``, ``PYCC_PROGEN_OBJ_SHARE``) are untyped
  *object functions* (``ObjectGen``): unannotated parameters and locals whose runtime kind
  the generator tracks (big ints, float, bool, str, list, tuple, dict, None) and CPython's
  operations on them (methods, comprehensions, f-strings, `for x in obj`, unpacking,
  `in`, `is None`, slices, builtins), calling typed functions and called from typed code
  (`v = f(...)`).  Their oracle is CPython on the same text, with `_ck`/`float` only where
  a value meets C int64 code.  Documented differences it steers around (README "Where
  pycc differs"): bounded locals are C ints in `.py` (no bare literal or `len()` assigned
  to an int local, no big int literal below 2**64, range bounds within 64 bits), `int /
  int` of two C ints converts to double first, `min`/`max`/`or`/`if-else` of an int and
  a float, reads of a loop variable after a loop that may not run, expressions of
  literals beyond 64 bits (pycc computes them as Python ints).
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
import copy
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
    # object code (py dialect): ``ty`` is the value's runtime kind (OBJ_KINDS)
    cint: bool = False  # pycc computes it as a C int64 (checked): `_ck` in the oracle
    grow: bool = False  # may be far larger than its operands (`*`, `**`, `<<`, calls)

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


_PRELUDE_NS: dict = {}
exec(ORACLE_PRELUDE, _PRELUDE_NS)


def _literal_fits(ora: str) -> bool:
    """An expression of literals (its oracle text) whose value is an int64."""
    try:
        v = eval(ora, dict(_PRELUDE_NS))
    except Exception:  # noqa: BLE001 - a raise, or a call of a module function
        return False
    return isinstance(v, int) and INT64_MIN <= v <= INT64_MAX


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
    obj: bool = False  # an untyped function (object parameters, runtime kinds "o:KIND")
    ret_c: bool = False  # obj: every return value is a C int (pycc infers an `int` return)


# The share of object functions in a py module (the rest are typed).
OBJ_SHARE = float(os.environ.get("PYCC_PROGEN_OBJ_SHARE", "0.25"))

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


# ---------------------------------------------------------------------------------------
# Object code (py dialect): untyped functions whose values' runtime kinds are tracked
# ---------------------------------------------------------------------------------------

# The runtime kinds of object values: Python int (any size), float, bool, str, list of
# ints, tuple of ints, dict of str to int, and `opt` (an int or None).
OBJ_KINDS = ("int", "float", "bool", "str", "list", "tuple", "dict", "opt")
OBJ_PARAM_KINDS = ("int", "int", "int", "float", "float", "bool", "str", "str", "list", "list", "tuple", "dict", "opt")
OBJ_RET_KINDS = ("int", "int", "int", "float", "bool", "str", "str", "list", "tuple", "dict")
STR_CONSTS = ["''", "'a'", "'abc'", "'é'", "'中文'", "'😀'", "'a,b'", "' x '", "'Ab'", "'-'", "'ß'", "'0'"]
# Reductions that keep a value that grows in a loop (or is returned) bounded, big beyond 64
# bits all the same.
INT_MODS = ["(2 ** 64)", "(2 ** 65)", "(2 ** 100)", "(10 ** 20)", "(3 ** 50)", "(2 ** 128)"]


def is_obj(ty: str) -> bool:
    return ty.startswith("o:")


class ObjectGen:
    """py dialect: untyped ("object") functions beside the typed ones. Their parameters and
    locals have no annotations; the generator tracks each value's runtime kind (OBJ_KINDS)
    and writes only well-kinded code (no TypeError, no IndexError or KeyError: indices are
    taken modulo the length, keys read with `.get`), so that a difference is a wrong answer.

    The oracle is CPython running the same text, except where pycc computes with C ints: a
    typed function's `int` result, loop counters, range loop variables and `len()` are C
    int64 values in pycc (README: safe inference keeps bounded locals C-typed), and
    arithmetic on two of them is checked (`_ck(...)` in the oracle, flag ``cint``).  An
    object int passed to an `int` parameter is converted with a range check (`_ck`), to a
    `float` one with `float()`.  Untyped locals are kept objects by construction: an int
    local is never assigned a bare literal or `len()` (those stay C ints, README "Where
    pycc differs"), and one that is ever assigned a C int gets `v += 0` after the
    declarations, which makes it an object (arithmetic on an unbounded local).

    Avoided by design: range bounds beyond 64 bits (a range loop variable is a C int), int
    literals between 2**31 and 2**64 in object code (a C int64 constant; big ints are
    written `2 ** 70`), `min`/`max`/`if-else`/`or` of an int and a float (pycc gives the
    common type, README), `int()` of an unbounded float (C conversion where the float is a
    C double), mutation of a container while a loop iterates it.  Growth is bounded: in a
    loop an int that grows by `*`, `**`, `<<` or a call is reduced modulo a big constant,
    lists and strings are sliced, `*=` takes a C int; returns are reduced the same way."""

    # -- state --------------------------------------------------------------------------
    def o_reset(self) -> None:
        self.ovars: dict = {}  # name -> kind
        self.ocint: set = set()  # names that are C ints in pycc (counters, range variables)
        self.oiter: set = set()  # containers a loop is iterating (not mutated)
        self.omaybe_c: set = set()  # int locals assigned a C int somewhere
        self.oreadonly: set = set()
        self.ocomp = 0  # comprehension variable counter

    def oname(self, k: str, writable: bool = False, mutable: bool = False) -> str | None:
        c = [n for n, t in self.ovars.items() if t == k and (not writable or n not in self.oreadonly)
             and (not mutable or n not in self.oiter)]
        return self.rng.choice(c) if c else None

    def ovar(self, n: str) -> E:
        return E(n, n, self.ovars[n], cint=n in self.ocint)

    @staticmethod
    def oe(src: str, ora: str | None = None, k: str = "int", cint: bool = False, grow: bool = False, const: bool = False) -> E:
        return E(src, src if ora is None else ora, k, const, cint, grow)

    # -- leaves -------------------------------------------------------------------------
    def oleaf(self, k: str) -> E:
        rng = self.rng
        n = self.oname(k) if rng.random() < 0.7 else None
        if n is not None:
            return self.ovar(n)
        if k == "int":
            r = rng.random()
            if r < 0.7:
                v = rng.choice([0, 1, 2, 3, 5, 7, 10, 100, -1, -3, 42])
                t = str(v) if v >= 0 else f"({v})"
                return self.oe(t, k="int", cint=True, const=True)
            if r < 0.9:  # a big int: an operation on two literals is a Python int
                b, e = rng.choice([(2, rng.randint(64, 130)), (3, rng.randint(41, 70)), (10, rng.randint(20, 40))])
                return self.oe(f"({b} ** {e})")
            return self.oe(f"(-(2 ** {rng.choice([63, 64, 65, 100])}))")
        if k == "float":
            if rng.random() < 0.08:
                self.uses_math = True
                return self.oe(rng.choice(["math.inf", "math.nan", "(-math.inf)", "math.pi"]), k="float", const=True)
            v = rng.choice(FLOAT_CONSTS + [-0.0, -1.5, -2.0])
            t = repr(float(v))
            return self.oe(f"({t})" if t.startswith("-") else t, k="float", const=True)
        if k == "bool":
            return self.oe(rng.choice(["True", "False"]), k="bool", const=True)
        if k == "str":
            return self.oe(rng.choice(STR_CONSTS), k="str", const=True)
        if k == "opt":
            if rng.random() < 0.5:
                return self.oe("None", k="opt", const=True)
            e = self.oleaf("int")
            return E(e.src, e.ora, "opt", e.const, e.cint)
        if k == "list":
            n = rng.randint(0, 3)
            items = [self.oleaf("int") for _ in range(n)]
            return self.oe("[" + ", ".join(i.src for i in items) + "]", "[" + ", ".join(i.ora for i in items) + "]", "list")
        if k == "tuple":
            n = rng.randint(0, 3)
            items = [self.oleaf("int") for _ in range(n)]
            tail = "," if n == 1 else ""
            return self.oe("(" + ", ".join(i.src for i in items) + tail + ")", "(" + ", ".join(i.ora for i in items) + tail + ")", "tuple")
        # dict
        n = rng.randint(0, 3)
        keys = rng.sample(STR_CONSTS, n)
        vals = [self.oleaf("int") for _ in range(n)]
        return self.oe("{" + ", ".join(f"{a}: {v.src}" for a, v in zip(keys, vals)) + "}",
                       "{" + ", ".join(f"{a}: {v.ora}" for a, v in zip(keys, vals)) + "}", "dict")

    # -- expressions --------------------------------------------------------------------
    def oexpr(self, k: str, depth: int) -> E:
        if depth <= 0 or self.chance(0.2):
            return self.oleaf(k)
        return getattr(self, "o_" + k)(depth)

    def o_bin(self, op: str, a: E, b: E, k: str = "int") -> E:
        src = f"({a.src} {op} {b.src})"
        cint = a.cint and b.cint and k == "int"
        ora = f"_ck({a.ora} {op} {b.ora})" if cint and op in ("+", "-", "*", "//") else f"({a.ora} {op} {b.ora})"
        grow = a.grow or b.grow or (op == "*" and not (a.cint or b.cint)) or op in ("**", "<<")
        return self.oe(src, ora, k, cint, grow)

    def o_index(self, seq: E, depth: int, k: str) -> E:
        """``seq[i]`` with an in-range index (any int taken modulo the length), or a default
        of kind ``k`` when the sequence is empty."""
        if seq.grow:  # (written three times: no calls in it)
            seq = self.oleaf(seq.ty)
        alt = self.oleaf(k)
        if self.chance(0.3):
            ix_s = ix_o = self.rng.choice(["0", "-1"])
        else:
            i = self.oexpr("int", depth - 1)
            if i.grow:
                i = self.oleaf("int")
            ix_s, ix_o = f"{i.src} % len({seq.src})", f"{i.ora} % len({seq.ora})"
        return self.oe(f"({seq.src}[{ix_s}] if {seq.src} else {alt.src})", f"({seq.ora}[{ix_o}] if {seq.ora} else {alt.ora})", k)

    def o_int(self, depth: int) -> E:
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            op = rng.choice(["+", "-", "*", "+", "-", "*", "//", "%", "&", "|", "^"])
            a, b = self.oexpr("int", depth - 1), self.oexpr("int", depth - 1)
            if op in ("//", "%") and rng.random() < 0.6:
                b = self.oe(str(rng.choice([2, 3, 7, 10, 1000])), k="int", cint=True, const=True)
            if op == "*" and self.loop_depth and not (a.cint or b.cint):
                b = self.oe(f"({self.oleaf('int').src} & 15)", k="int", cint=True)
            return self.o_bin(op, a, b)
        if r < 0.38:
            a = self.oexpr("int", depth - 1)
            if a.cint or a.const:
                a = self.oleaf("int") if self.chance(0.5) else self.oe("(2 ** 70)")
                if a.cint:
                    a = self.oe(f"({a.src} + (2 ** 64))", f"({a.ora} + (2 ** 64))")
            if rng.random() < 0.5:
                op, b = "<<", self.oe(str(rng.randint(0, 70)), k="int", cint=True, const=True)
            elif rng.random() < 0.5:
                op, b = ">>", self.oe(str(rng.randint(0, 70)), k="int", cint=True, const=True)
            else:
                op, b = "**", self.oe(str(rng.randint(0, 3)), k="int", cint=True, const=True)
            if self.loop_depth and op != ">>":
                op = ">>"
            return self.o_bin(op, a, b)
        if r < 0.45:
            a = self.oexpr("int", depth - 1)
            op = rng.choice(["-", "~", "abs"])
            if op == "abs":
                return self.oe(f"abs({a.src})", f"_ck(abs({a.ora}))" if a.cint else f"abs({a.ora})", cint=a.cint, grow=a.grow)
            if op == "-":
                return self.oe(f"(-{a.src})", f"_ck(-{a.ora})" if a.cint else f"(-{a.ora})", cint=a.cint, grow=a.grow)
            return self.oe(f"(~{a.src})", f"(~{a.ora})", cint=a.cint, grow=a.grow)
        if r < 0.53:
            x = self.oexpr(rng.choice(["str", "list", "tuple", "dict"]), depth - 1)
            return self.oe(f"len({x.src})", f"len({x.ora})", cint=True)
        if r < 0.6:
            s = self.oexpr(rng.choice(["list", "tuple"]), depth - 1)
            if rng.random() < 0.5:
                return self.oe(f"sum({s.src})", f"sum({s.ora})")
            fn, dflt = rng.choice(["min", "max"]), rng.choice([0, -1, 7])
            return self.oe(f"{fn}({s.src}, default={dflt})", f"{fn}({s.ora}, default={dflt})", grow=s.grow)
        if r < 0.66:
            return self.o_index(self.oexpr(rng.choice(["list", "tuple"]), depth - 1), depth, "int")
        if r < 0.7:
            d = self.oexpr("dict", depth - 1)
            key = self.oexpr("str", depth - 1)
            dv = self.oleaf("int")
            return self.oe(f"{d.src}.get({key.src}, {dv.src})", f"{d.ora}.get({key.ora}, {dv.ora})", grow=d.grow)
        if r < 0.74:
            s = self.oexpr("str", depth - 1)
            m = rng.choice(["count", "find"])
            sub = self.oleaf("str")
            if rng.random() < 0.5:
                return self.oe(f"(ord({s.src}[0]) if {s.src} else 0)", f"(ord({s.ora}[0]) if {s.ora} else 0)")
            return self.oe(f"{s.src}.{m}({sub.src})", f"{s.ora}.{m}({sub.ora})")
        if r < 0.78:
            f = self.oexpr("float", depth - 1)
            return self.oe(f"int(max(-1e6, min(1e6, {f.src})))", f"int(max(-1e6, min(1e6, {f.ora})))")
        if r < 0.82:
            a, b = self.oexpr("int", depth - 1), self.oexpr("int", depth - 1)
            fn = rng.choice(["min", "max"])
            return self.oe(f"{fn}({a.src}, {b.src})", f"{fn}({a.ora}, {b.ora})", cint=a.cint and b.cint, grow=a.grow or b.grow)
        if r < 0.86:
            return self.o_choice("int", depth)
        if r < 0.9:
            xs = self.oexpr(rng.choice(["list", "tuple"]), depth - 1)
            x = self.o_compvar()
            body = self.o_bin(rng.choice(["*", "+", "-", "%"]), self.oe(x), self.oe(str(rng.randint(1, 9)), k="int", cint=True, const=True))
            cond = f" if {x} {rng.choice(['>', '<', '!='])} {rng.randint(-2, 3)}" if rng.random() < 0.5 else ""
            return self.oe(f"sum({body.src} for {x} in {xs.src}{cond})", f"sum({body.ora} for {x} in {xs.ora}{cond})", grow=xs.grow)
        if r < 0.93:
            b = self.oexpr("bool", depth - 1)
            return self.oe(f"int({b.src})", f"int({b.ora})", cint=True)
        e = self.o_call("int", depth)
        return e if e is not None else self.o_bin("+", self.oexpr("int", depth - 1), self.oexpr("int", depth - 1))

    def o_compvar(self) -> str:
        self.ocomp += 1
        return f"x{self.ocomp}"

    def o_choice(self, k: str, depth: int) -> E:
        """`a if c else b` or `a or b` / `a and b` of one kind."""
        a, b = self.oexpr(k, depth - 1), self.oexpr(k, depth - 1)
        g = a.grow or b.grow
        ci = a.cint and b.cint
        if self.chance(0.5):
            c = self.ocond(depth - 1)
            return self.oe(f"({a.src} if {c.src} else {b.src})", f"({a.ora} if {c.ora} else {b.ora})", k, ci, g)
        op = self.rng.choice(["or", "and"])
        return self.oe(f"({a.src} {op} {b.src})", f"({a.ora} {op} {b.ora})", k, ci, g)

    def o_float(self, depth: int) -> E:
        rng = self.rng
        r = rng.random()
        if r < 0.4:
            op = rng.choice(["+", "-", "*", "/", "+", "*", "//", "%"])
            a = self.oexpr("float" if rng.random() < 0.7 else "int", depth - 1)
            b = self.oexpr("float" if a.ty == "int" or rng.random() < 0.7 else "int", depth - 1)
            return self.o_bin(op, a, b, "float")
        if r < 0.5:
            a, b = self.oexpr("int", depth - 1), self.oexpr("int", depth - 1)
            if a.cint and b.cint:  # C ints: both converted to double first (README)
                return self.oe(f"({a.src} / {b.src})", f"_tdiv({a.ora}, {b.ora})", "float")
            return self.o_bin("/", a, b, "float")
        if r < 0.6:
            a = self.oexpr(rng.choice(["int", "bool", "float"]), depth - 1)
            return self.oe(f"float({a.src})", f"float({a.ora})", "float", grow=a.grow)
        if r < 0.66:
            a = self.oexpr("float", depth - 1)
            return self.oe(f"abs({a.src})", f"abs({a.ora})", "float")
        if r < 0.72:
            a, b = self.oexpr("float", depth - 1), self.oexpr("float", depth - 1)
            fn = rng.choice(["min", "max"])
            return self.oe(f"{fn}({a.src}, {b.src})", f"{fn}({a.ora}, {b.ora})", "float")
        if r < 0.78:
            a = self.oexpr("float", depth - 1)
            return self.oe(f"(-{a.src})", f"(-{a.ora})", "float")
        if r < 0.84:
            return self.o_choice("float", depth)
        if r < 0.88:
            a = self.oexpr("float", depth - 1)
            self.uses_math = True
            fn = rng.choice(["math.fabs({})", "math.copysign(1.5, {})", "math.sqrt(abs({}))"])
            return self.oe(fn.format(a.src), fn.format(a.ora), "float")
        if r < 0.92:
            a = self.oexpr("float", depth - 1)
            return self.oe(f"float(repr({a.src}))", f"float(repr({a.ora}))", "float")
        e = self.o_call("float", depth)
        return e if e is not None else self.oleaf("float")

    def ocond(self, depth: int) -> E:
        if self.chance(0.25):
            return self.oexpr(self.rng.choice(OBJ_KINDS), max(depth, 1))
        return self.oexpr("bool", max(depth, 1))

    def o_bool(self, depth: int) -> E:
        rng = self.rng
        r = rng.random()
        if r < 0.35:
            k = rng.choice(["int", "int", "float", "str", "list", "tuple", "bool"])
            n = 2 if rng.random() < 0.75 or k in ("list", "tuple", "bool") else 3
            parts = []
            for _ in range(n):
                kk = k if k != "int" or rng.random() < 0.8 else "float"  # int/float comparisons are exact
                parts.append(self.oexpr(kk, depth - 1))
            ops = ["<", "<=", ">", ">=", "==", "!="] if k not in ("bool",) else ["==", "!="]
            src, ora = parts[0].src, parts[0].ora
            for p in parts[1:]:
                op = rng.choice(ops)
                src += f" {op} {p.src}"
                ora += f" {op} {p.ora}"
            return self.oe(f"({src})", f"({ora})", "bool")
        if r < 0.5:
            w = rng.random()
            if w < 0.4:
                a, c = self.oexpr("int", depth - 1), self.oexpr(rng.choice(["list", "tuple"]), depth - 1)
            elif w < 0.7:
                a, c = self.oexpr("str", depth - 1), self.oexpr(rng.choice(["str", "dict"]), depth - 1)
            else:
                a, c = self.oexpr("int", depth - 1), self.oexpr("dict", depth - 1)
                c = self.oe(f"{c.src}.values()", f"{c.ora}.values()", "list")
            op = rng.choice(["in", "not in"])
            return self.oe(f"({a.src} {op} {c.src})", f"({a.ora} {op} {c.ora})", "bool")
        if r < 0.58:
            o = self.oexpr("opt", depth - 1)
            if not re.search(r"\b[pvx]\d+\b", o.src):  # (`5 is None` is a SyntaxWarning)
                d, k = self.oexpr("dict", depth - 1), self.oexpr("str", depth - 1)
                o = self.oe(f"{d.src}.get({k.src})", f"{d.ora}.get({k.ora})", "opt")
            op = rng.choice(["is None", "is not None"])
            return self.oe(f"({o.src} {op})", f"({o.ora} {op})", "bool")
        if r < 0.68:
            x = self.oexpr("bool" if rng.random() < 0.6 else rng.choice(OBJ_KINDS), depth - 1)
            return self.oe(f"(not {x.src})", f"(not {x.ora})", "bool")
        if r < 0.75:
            x = self.oexpr(rng.choice(OBJ_KINDS), depth - 1)
            return self.oe(f"bool({x.src})", f"bool({x.ora})", "bool")
        if r < 0.8:
            s, p = self.oexpr("str", depth - 1), self.oleaf("str")
            m = rng.choice(["startswith", "endswith", "isdigit", "isalpha", "isupper"])
            arg = p.src if m in ("startswith", "endswith") else ""
            return self.oe(f"{s.src}.{m}({arg})", f"{s.ora}.{m}({arg})", "bool")
        if r < 0.86:
            xs = self.oexpr(rng.choice(["list", "tuple"]), depth - 1)
            x = self.o_compvar()
            fn, op, v = rng.choice(["any", "all"]), rng.choice([">", "<", "=="]), rng.randint(-1, 3)
            return self.oe(f"{fn}({x} {op} {v} for {x} in {xs.src})", f"{fn}({x} {op} {v} for {x} in {xs.ora})", "bool")
        if r < 0.92:
            return self.o_choice("bool", depth)
        e = self.o_call("bool", depth)
        return e if e is not None else self.oleaf("bool")

    def o_str(self, depth: int) -> E:
        rng = self.rng
        r = rng.random()
        if r < 0.15:
            a, b = self.oexpr("str", depth - 1), self.oexpr("str", depth - 1)
            return self.oe(f"({a.src} + {b.src})", f"({a.ora} + {b.ora})", "str", grow=True)
        if r < 0.22:
            a = self.oexpr("str", depth - 1)
            n = rng.randint(0, 3)
            return self.oe(f"({a.src} * {n})", f"({a.ora} * {n})", "str", grow=True)
        if r < 0.32:
            a = self.oexpr("str", depth - 1)
            lo, hi = self.o_slice_bounds(depth)
            return self.oe(f"{a.src}[{lo.src}:{hi.src}]", f"{a.ora}[{lo.ora}:{hi.ora}]", "str", grow=a.grow)
        if r < 0.38:
            return self.o_index(self.oexpr("str", depth - 1), depth, "str")
        if r < 0.48:
            a = self.oexpr("str", depth - 1)
            m = rng.choice(["upper()", "lower()", "strip()", "title()", "swapcase()", f"replace({rng.choice(STR_CONSTS[1:])}, {rng.choice(STR_CONSTS)})",
                            f"center({rng.randint(0, 8)})", f"zfill({rng.randint(0, 6)})"])
            return self.oe(f"{a.src}.{m}", f"{a.ora}.{m}", "str", grow=a.grow)
        if r < 0.6:
            x = self.oexpr(rng.choice(OBJ_KINDS), depth - 1)
            fn = rng.choice(["str", "repr"])
            return self.oe(f"{fn}({x.src})", f"{fn}({x.ora})", "str", grow=x.grow)
        if r < 0.74:
            return self.o_fstring(depth)
        if r < 0.82:
            sep = rng.choice(["','", "''", "' '", "'-é-'"])
            xs = self.oexpr(rng.choice(["list", "tuple"]), depth - 1)
            x = self.o_compvar()
            if rng.random() < 0.5:
                return self.oe(f"{sep}.join(str({x}) for {x} in {xs.src})", f"{sep}.join(str({x}) for {x} in {xs.ora})", "str", grow=True)
            return self.oe(f"{sep}.join([str({x}) for {x} in {xs.src}])", f"{sep}.join([str({x}) for {x} in {xs.ora}])", "str", grow=True)
        if r < 0.86:
            d = self.oexpr("dict", depth - 1)
            return self.oe(f"''.join(sorted({d.src}))", f"''.join(sorted({d.ora}))", "str", grow=True)
        if r < 0.92:
            return self.o_choice("str", depth)
        e = self.o_call("str", depth)
        return e if e is not None else self.oleaf("str")

    def o_fstring(self, depth: int) -> E:
        rng = self.rng
        parts_s, parts_o = [], []
        for _ in range(rng.randint(1, 3)):
            k = rng.choice(["int", "float", "str", "bool", "list", "opt"])
            x = self.oexpr(k, depth - 1)
            spec = ""
            w = rng.random()
            if k == "int" and w < 0.5:
                spec = ":" + rng.choice(["05d", "x", ",", ">8", "+d", "b", "_"])
            elif k == "float" and w < 0.6:
                spec = ":" + rng.choice([".3f", "e", "g", ">10.2f", "+.1f", ".0%", ",.2f"])
            elif k == "str" and w < 0.5:
                spec = ":" + rng.choice([">6", "<4", "^7", "*^5"])
            elif w < 0.2:
                spec = "!r"
            lit = rng.choice(["", "-", " é ", "|", "{{", "}}"])
            if '"' in x.src or '"' in x.ora:  # (no nested f-strings: Python 3.11)
                x = self.oleaf(k)
            parts_s.append(f"{lit}{{({x.src}){spec}}}")
            parts_o.append(f"{lit}{{({x.ora}){spec}}}")
        q = '"'
        s = "f" + q + "".join(parts_s) + q
        o = "f" + q + "".join(parts_o) + q
        return self.oe(s, o, "str", grow=True)

    def o_slice_bounds(self, depth: int):
        def b():
            if self.chance(0.3):
                return self.oe("")
            return self.oexpr("int", depth - 1) if self.chance(0.3) else self.oe(str(self.rng.randint(-4, 6)))
        return b(), b()

    def o_list(self, depth: int) -> E:
        rng = self.rng
        r = rng.random()
        if r < 0.15:
            items = [self.oexpr("int", depth - 1) for _ in range(rng.randint(0, 3))]
            return self.oe("[" + ", ".join(i.src for i in items) + "]", "[" + ", ".join(i.ora for i in items) + "]", "list",
                           grow=any(i.grow for i in items))
        if r < 0.25:
            a, b = self.oexpr("list", depth - 1), self.oexpr("list", depth - 1)
            return self.oe(f"({a.src} + {b.src})", f"({a.ora} + {b.ora})", "list", grow=True)
        if r < 0.35:
            a = self.oexpr("list", depth - 1)
            lo, hi = self.o_slice_bounds(depth)
            step = rng.choice(["", "", ":2", ":-1", ":3", ":-2"])
            return self.oe(f"{a.src}[{lo.src}:{hi.src}{step}]", f"{a.ora}[{lo.ora}:{hi.ora}{step}]", "list", grow=a.grow)
        if r < 0.45:
            a = self.oexpr(rng.choice(["list", "tuple"]), depth - 1)
            w = rng.random()
            if w < 0.4:
                return self.oe(f"sorted({a.src})", f"sorted({a.ora})", "list", grow=a.grow)
            if w < 0.6:
                return self.oe(f"sorted({a.src}, reverse=True)", f"sorted({a.ora}, reverse=True)", "list", grow=a.grow)
            if w < 0.8:
                return self.oe(f"sorted({a.src}, key=lambda v: (v % 3, -v))", f"sorted({a.ora}, key=lambda v: (v % 3, -v))", "list", grow=a.grow)
            return self.oe(f"list(reversed({a.src}))", f"list(reversed({a.ora}))", "list", grow=a.grow)
        if r < 0.6:
            src_k = rng.choice(["list", "tuple", "range", "str", "dict"])
            x = self.o_compvar()
            if src_k == "range":
                it = f"range({rng.randint(-2, 3)}, {rng.randint(0, 8)})"
                it_o = it
                xe = self.oe(x, cint=True)
            elif src_k == "str":
                s = self.oexpr("str", depth - 1)
                it, it_o = s.src, s.ora
                xe = self.oe(f"ord({x})", cint=False)
            elif src_k == "dict":
                d = self.oexpr("dict", depth - 1)
                it, it_o = f"{d.src}.values()", f"{d.ora}.values()"
                xe = self.oe(x)
            else:
                s = self.oexpr(src_k, depth - 1)
                it, it_o = s.src, s.ora
                xe = self.oe(x)
            body = self.o_bin(rng.choice(["+", "*", "-", "//", "%"]), xe, self.oe(str(rng.randint(1, 9)), k="int", cint=True, const=True))
            cond = f" if {x} {rng.choice(['>', '<', '!=', '=='])} {rng.randint(-1, 3)}" if rng.random() < 0.4 and src_k != "str" else ""
            return self.oe(f"[{body.src} for {x} in {it}{cond}]", f"[{body.ora} for {x} in {it_o}{cond}]", "list", grow=True)
        if r < 0.66:
            t = self.oexpr("tuple", depth - 1)
            return self.oe(f"list({t.src})", f"list({t.ora})", "list", grow=t.grow)
        if r < 0.72:
            d = self.oexpr("dict", depth - 1)
            return self.oe(f"list({d.src}.values())", f"list({d.ora}.values())", "list", grow=d.grow)
        if r < 0.76:
            a = self.oexpr("list", depth - 1)
            n = rng.randint(0, 2)
            return self.oe(f"({a.src} * {n})", f"({a.ora} * {n})", "list", grow=True)
        if r < 0.8:
            s = self.oexpr(rng.choice(["list", "tuple"]), depth - 1)
            x = self.o_compvar()
            return self.oe(f"sorted({{{x} % 5 for {x} in {s.src}}})", f"sorted({{{x} % 5 for {x} in {s.ora}}})", "list", grow=True)
        if r < 0.88:
            return self.o_choice("list", depth)
        e = self.o_call("list", depth)
        return e if e is not None else self.oleaf("list")

    def o_tuple(self, depth: int) -> E:
        rng = self.rng
        r = rng.random()
        if r < 0.25:
            items = [self.oexpr("int", depth - 1) for _ in range(rng.randint(1, 3))]
            tail = "," if len(items) == 1 else ""
            return self.oe("(" + ", ".join(i.src for i in items) + tail + ")", "(" + ", ".join(i.ora for i in items) + tail + ")", "tuple",
                           grow=any(i.grow for i in items))
        if r < 0.4:
            a = self.oexpr(rng.choice(["list", "tuple"]), depth - 1)
            return self.oe(f"tuple({a.src})", f"tuple({a.ora})", "tuple", grow=a.grow)
        if r < 0.5:
            a = self.oexpr("tuple", depth - 1)
            lo, hi = self.o_slice_bounds(depth)
            return self.oe(f"{a.src}[{lo.src}:{hi.src}]", f"{a.ora}[{lo.ora}:{hi.ora}]", "tuple", grow=a.grow)
        if r < 0.6:
            a, b = self.oexpr("tuple", depth - 1), self.oexpr("tuple", depth - 1)
            return self.oe(f"({a.src} + {b.src})", f"({a.ora} + {b.ora})", "tuple", grow=True)
        if r < 0.7:
            a, b = self.oexpr("int", depth - 1), self.oexpr("int", depth - 1)
            if rng.random() < 0.6:
                b = self.oe(str(rng.choice([3, 7, -2])), k="int", cint=True, const=True)
            return self.oe(f"divmod({a.src}, {b.src})", f"divmod({a.ora}, {b.ora})", "tuple", grow=a.grow)
        if r < 0.85:
            return self.o_choice("tuple", depth)
        e = self.o_call("tuple", depth)
        return e if e is not None else self.oleaf("tuple")

    def o_dict(self, depth: int) -> E:
        rng = self.rng
        r = rng.random()
        if r < 0.2:
            n = rng.randint(1, 3)
            ks = [self.oexpr("str", depth - 1) for _ in range(n)]
            vs = [self.oexpr("int", depth - 1) for _ in range(n)]
            return self.oe("{" + ", ".join(f"{a.src}: {b.src}" for a, b in zip(ks, vs)) + "}",
                           "{" + ", ".join(f"{a.ora}: {b.ora}" for a, b in zip(ks, vs)) + "}", "dict", grow=True)
        if r < 0.4:
            xs = self.oexpr(rng.choice(["list", "tuple"]), depth - 1)
            x = self.o_compvar()
            return self.oe(f"{{str({x}): {x} for {x} in {xs.src}}}", f"{{str({x}): {x} for {x} in {xs.ora}}}", "dict", grow=True)
        if r < 0.55:
            d = self.oexpr("dict", depth - 1)
            kx, vx = self.o_compvar(), self.o_compvar()
            op = rng.choice(["+", "*", "-"])
            cond = f" if {vx} {rng.choice(['>', '<', '!='])} {rng.randint(-1, 2)}" if rng.random() < 0.5 else ""
            return self.oe(f"{{{kx}: {vx} {op} 1 for {kx}, {vx} in {d.src}.items(){cond}}}",
                           f"{{{kx}: {vx} {op} 1 for {kx}, {vx} in {d.ora}.items(){cond}}}", "dict", grow=True)
        if r < 0.65:
            d = self.oexpr("dict", depth - 1)
            k, v = self.oexpr("str", depth - 1), self.oexpr("int", depth - 1)
            return self.oe(f"{{**{d.src}, {k.src}: {v.src}}}", f"{{**{d.ora}, {k.ora}: {v.ora}}}", "dict", grow=True)
        if r < 0.75:
            s = self.oexpr("str", depth - 1)
            xs = self.oexpr("list", depth - 1)
            return self.oe(f"dict(zip({s.src}, {xs.src}))", f"dict(zip({s.ora}, {xs.ora}))", "dict", grow=True)
        if r < 0.85:
            return self.o_choice("dict", depth)
        e = self.o_call("dict", depth)
        return e if e is not None else self.oleaf("dict")

    def o_opt(self, depth: int) -> E:
        if self.chance(0.4):
            return self.o_choice("opt", depth)
        d = self.oexpr("dict", depth - 1)
        k = self.oexpr("str", depth - 1)
        return self.oe(f"{d.src}.get({k.src})", f"{d.ora}.get({k.ora})", "opt")

    def o_arg(self, pty: str, depth: int) -> E:
        """An argument for a parameter of type ``pty`` (typed or object) of a callee."""
        if not is_obj(pty):
            k = kind(pty)
            if k == "int":
                a = self.oexpr("int", depth - 1)
                return E(a.src, a.ora if a.cint else f"_ck({a.ora})", "int")
            if k == "float":
                a = self.oexpr("float" if self.chance(0.7) else "int", depth - 1)
                return E(a.src, a.ora if a.ty == "float" else f"float({a.ora})", "float")
            return self.oexpr("bool", depth - 1)
        return self.oexpr(pty[2:], depth - 1)

    def o_call(self, k: str, depth: int) -> E | None:
        """A call of an earlier function (typed or object) whose result has kind ``k``."""
        cands = []
        for f in self.funcs:
            if f.cost * self.mult > self.budget:
                continue
            rk = f.ret[2:] if is_obj(f.ret) else kind(f.ret)
            if rk == k:
                cands.append(f)
        if not cands:
            return None
        f = self.rng.choice(cands)
        self.budget -= f.cost * self.mult
        self.spent += f.cost * self.mult
        args = []
        for pname, pty in f.params:
            if pname == "d":
                v = str(self.rng.randint(0, 4))
                args.append(E(v, v, "int"))
            else:
                args.append(self.o_arg(pty, depth))
        src = f"{f.name}({', '.join(a.src for a in args)})"
        ora = f"{f.name}({', '.join(a.ora for a in args)})"
        cint = (not f.obj and kind(f.ret) == "int") or (f.obj and f.ret_c)
        return self.oe(src, ora, k, cint=cint, grow=k in ("int", "list", "str", "dict", "tuple"))

    # -- statements ---------------------------------------------------------------------
    def oemit(self, lines: list, ind: int, src: str, ora: str | None = None) -> None:
        lines.append(("    " * ind + src, "    " * ind + (src if ora is None else ora)))

    def o_bounded(self, e: E) -> E:
        """``e`` made small enough to be stored in a loop or returned (see the class docs)."""
        if not e.grow:
            return e
        if e.ty == "int":
            m = self.rng.choice(INT_MODS)
            if self.chance(0.3):
                return self.oe(f"({e.src}) % {m} - {m} // 2", f"({e.ora}) % {m} - {m} // 2", "int")
            return self.oe(f"({e.src}) % {m}", f"({e.ora}) % {m}", "int")
        if e.ty in ("list", "str", "tuple"):
            n = self.rng.choice([8, 12, 20])
            return self.oe(f"({e.src})[:{n}]", f"({e.ora})[:{n}]", e.ty)
        return e

    def o_value(self, k: str, depth: int) -> E:
        """A value to store in an object local of kind ``k``: never a bare literal or `len()`
        for an int (those keep a local a C int)."""
        e = self.oexpr(k, depth)
        if self.loop_depth:
            e = self.o_bounded(e)
        if k == "int" and (e.const or e.src.startswith("len(")):
            e = self.oe(f"int({e.src})", f"int({e.ora})", k, cint=True)
        return e

    def o_store(self, n: str, e: E) -> None:
        if e.cint:
            self.omaybe_c.add(n)

    def ostmt(self, lines: list, ind: int, depth: int, in_loop: bool) -> None:
        rng = self.rng
        r = rng.random()
        ed = rng.randint(1, 3)
        if r < 0.25 or depth <= 0:
            n = self.oname(rng.choice(OBJ_KINDS), writable=True)
            if n is None:
                return
            k = self.ovars[n]
            e = self.o_value(k, ed)
            self.o_store(n, e)
            self.oemit(lines, ind, f"{n} = {e.src}", f"{n} = {e.ora}")
            return
        if r < 0.37:
            k = rng.choice(["int", "int", "float", "str", "list"])
            n = self.oname(k, writable=True, mutable=k == "list")
            if n is None:
                return self.ostmt(lines, ind, 0, in_loop)
            if k == "int":
                op = rng.choice(["+", "-", "*", "+", "//", "%", "|", "^"])
                e = self.oexpr("int", ed)
                if op in ("*",) and self.loop_depth:
                    e = self.oe(f"({e.src} & 7)", f"({e.ora} & 7)", cint=True) if not e.cint else e
                elif self.loop_depth:
                    e = self.o_bounded(e)
                if op in ("//", "%") and self.chance(0.6):
                    e = self.oe(str(rng.choice([3, 7, 100])), cint=True, const=True)
                self.o_store(n, e)
            elif k == "float":
                op = rng.choice(["+", "-", "*", "/"])
                e = self.oexpr("float", ed)
            elif k == "str":
                op = "+"
                e = self.o_bounded(self.oexpr("str", ed)) if self.loop_depth else self.oexpr("str", ed)
                if self.loop_depth:
                    self.oemit(lines, ind, f"{n} = ({n} + {e.src})[-16:]", f"{n} = ({n} + {e.ora})[-16:]")
                    return
            else:
                op = "+"
                e = self.o_bounded(self.oexpr("list", ed))
                if self.loop_depth:
                    self.oemit(lines, ind, f"{n} = ({n} + {e.src})[:16]", f"{n} = ({n} + {e.ora})[:16]")
                    return
            self.oemit(lines, ind, f"{n} {op}= {e.src}", f"{n} {op}= {e.ora}")
            return
        if r < 0.47:
            return self.o_mutate(lines, ind, ed)
        if r < 0.6:
            c = self.ocond(2)
            self.oemit(lines, ind, f"if {c.src}:", f"if {c.ora}:")
            self.oblock(lines, ind + 1, depth, in_loop)
            if self.chance(0.3):
                c = self.ocond(2)
                self.oemit(lines, ind, f"elif {c.src}:", f"elif {c.ora}:")
                self.oblock(lines, ind + 1, depth, in_loop)
            if self.chance(0.5):
                self.oemit(lines, ind, "else:")
                self.oblock(lines, ind + 1, depth, in_loop)
            return
        if r < 0.7 and self.loop_depth < 2:
            return self.o_for_range(lines, ind, depth)
        if r < 0.8 and self.loop_depth < 2:
            return self.o_for_each(lines, ind, depth)
        if r < 0.84 and self.loop_depth < 2:
            return self.o_while(lines, ind, depth)
        if r < 0.88:
            a, b = self.oname("int", writable=True), self.oname("int", writable=True)
            if a and b and a != b:
                if self.chance(0.5):
                    self.oemit(lines, ind, f"{a}, {b} = {b}, {a}")
                else:
                    x, y = self.o_value("int", 1), self.o_value("int", 1)
                    self.o_store(a, x)
                    self.o_store(b, y)
                    self.oemit(lines, ind, f"{a}, {b} = {x.src}, {y.src}", f"{a}, {b} = {x.ora}, {y.ora}")
                if self.chance(0.5):
                    self.omaybe_c.update((a, b))  # (swapping may bring a C int in)
                return
            return self.ostmt(lines, ind, 0, in_loop)
        if in_loop and r < 0.93:
            c = self.ocond(1)
            self.oemit(lines, ind, f"if {c.src}:", f"if {c.ora}:")
            self.oemit(lines, ind + 1, rng.choice(["break", "continue"]))
            return
        if r < 0.97:
            c = self.ocond(2)
            self.oemit(lines, ind, f"if {c.src}:", f"if {c.ora}:")
            e = self.o_ret_expr(ed)
            self.oemit(lines, ind + 1, f"return {e.src}", f"return {e.ora}")
            return
        self.ostmt(lines, ind, 0, in_loop)

    def o_mutate(self, lines: list, ind: int, ed: int) -> None:
        rng = self.rng
        xs = self.oname("list", writable=True, mutable=True)
        d = self.oname("dict", writable=True, mutable=True)
        r = rng.random()
        if xs and (r < 0.6 or not d):
            e = self.oexpr("int", ed)
            if self.loop_depth:
                e = self.o_bounded(e)
            w = rng.random()
            if w < 0.35:
                self.oemit(lines, ind, f"{xs}.append({e.src})", f"{xs}.append({e.ora})")
            elif w < 0.55:
                i = self.oexpr("int", 1)
                self.oemit(lines, ind, f"if {xs}:")
                self.oemit(lines, ind + 1, f"{xs}[{i.src} % len({xs})] = {e.src}", f"{xs}[{i.ora} % len({xs})] = {e.ora}")
            elif w < 0.65:
                self.oemit(lines, ind, f"if {xs}:")
                self.oemit(lines, ind + 1, f"{xs}.pop()")
            elif w < 0.75:
                self.oemit(lines, ind, f"{xs}.sort()" if self.chance(0.5) else f"{xs}.reverse()")
            elif w < 0.85:
                self.oemit(lines, ind, f"{xs}.extend([{e.src}, {e.src}])", f"{xs}.extend([{e.ora}, {e.ora}])")
            else:
                p = rng.randint(-2, 3)
                self.oemit(lines, ind, f"{xs}.insert({p}, {e.src})", f"{xs}.insert({p}, {e.ora})")
            return
        if d:
            k = self.oexpr("str", ed)
            if self.loop_depth:
                k = self.o_bounded(k)
            if rng.random() < 0.7:
                v = self.oexpr("int", ed)
                if self.loop_depth:
                    v = self.o_bounded(v)
                self.oemit(lines, ind, f"{d}[{k.src}] = {v.src}", f"{d}[{k.ora}] = {v.ora}")
            else:
                self.oemit(lines, ind, f"if {k.src} in {d}:", f"if {k.ora} in {d}:")
                self.oemit(lines, ind + 1, f"del {d}[{k.src}]", f"del {d}[{k.ora}]")
            return
        self.ostmt(lines, ind, 0, False)

    def o_counter(self, lines: list, ind: int) -> str:
        c = self.fresh("c")
        self.ocint.add(c)
        self.oemit(lines, ind, f"{c} = 0")
        return c

    def o_loop_body(self, lines, ind, depth, c, k, mult) -> None:
        self.oemit(lines, ind + 1, f"{c} += 1")
        self.oemit(lines, ind + 1, f"if {c} > {k}:")
        self.oemit(lines, ind + 2, "break")
        self.loop_depth += 1
        saved = self.mult
        self.mult *= mult
        self.oblock(lines, ind + 1, depth, True)
        self.mult = saved
        self.loop_depth -= 1

    def o_for_range(self, lines, ind, depth) -> None:
        rng = self.rng
        c = self.o_counter(lines, ind)
        iv = self.fresh("i")
        if rng.random() < 0.3:
            # an accumulator that leaves 64 bits: `acc = acc * (i + 2) + o`
            acc = self.oname("int", writable=True)
            if acc is not None:
                n, step = rng.randint(20, 30), rng.randint(1, 3)
                saved = self.mult
                self.mult *= n
                o = self.o_bounded(self.oexpr("int", 1))
                self.mult = saved
                self.oemit(lines, ind, f"for {iv} in range({n}):")
                self.o_bind_range(iv)
                self.oemit(lines, ind + 1, f"{acc} = {acc} * ({iv} + {step}) + {o.src}", f"{acc} = {acc} * ({iv} + {step}) + {o.ora}")
                self.o_unbind(iv)
                return
        k = rng.randint(1, 8)
        b = self.oe(str(rng.randint(-2, 10)))
        if rng.random() < 0.4:
            x = self.oexpr(rng.choice(["str", "list", "tuple", "dict"]), 1)
            b = self.oe(f"len({x.src})", f"len({x.ora})")
        args = [b.src] if rng.random() < 0.5 else [str(rng.randint(-3, 2)), b.src, rng.choice(["1", "2", "(-1)"])]
        args_o = [b.ora] if len(args) == 1 else [args[0], b.ora, args[2]]
        self.oemit(lines, ind, f"for {iv} in range({', '.join(args)}):", f"for {iv} in range({', '.join(args_o)}):")
        self.o_bind_range(iv)
        self.o_loop_body(lines, ind, depth, c, k, k + 1)
        self.o_unbind(iv)

    def o_bind_range(self, n: str) -> None:
        self.ovars[n] = "int"
        self.ocint.add(n)
        self.oreadonly.add(n)

    def o_unbind(self, n: str) -> None:
        """A loop variable is unbound after a loop that did not run: no reads after it
        (pycc reads 0 or None where CPython raises UnboundLocalError, README)."""
        self.ovars.pop(n, None)

    def o_for_each(self, lines, ind, depth) -> None:
        rng = self.rng
        c = self.o_counter(lines, ind)
        k = rng.randint(1, 8)
        src_k = rng.choice(["list", "tuple", "str", "dict", "items", "enumerate", "zip"])
        x = self.fresh("x")
        n = self.oname({"items": "dict", "enumerate": "list", "zip": "list"}.get(src_k, src_k))
        it = self.ovar(n) if n is not None and rng.random() < 0.7 else self.oexpr({"items": "dict", "enumerate": "list", "zip": "list"}.get(src_k, src_k), 1)
        if n is not None and it.src == n:
            self.oiter.add(n)
        names = []
        if src_k in ("list", "tuple"):
            target, it_s, it_o = x, it.src, it.ora
            names = [(x, "int")]
        elif src_k == "str":
            target, it_s, it_o = x, it.src, it.ora
            names = [(x, "str")]
        elif src_k == "dict":
            target, it_s, it_o = x, it.src, it.ora
            names = [(x, "str")]
        elif src_k == "items":
            y = self.fresh("x")
            target, it_s, it_o = f"{x}, {y}", f"{it.src}.items()", f"{it.ora}.items()"
            names = [(x, "str"), (y, "int")]
        elif src_k == "enumerate":
            y = self.fresh("x")
            target, it_s, it_o = f"{x}, {y}", f"enumerate({it.src})", f"enumerate({it.ora})"
            names = [(x, "int"), (y, "int")]
        else:
            y = self.fresh("x")
            s = self.oexpr("str", 1)
            target, it_s, it_o = f"{x}, {y}", f"zip({it.src}, {s.src})", f"zip({it.ora}, {s.ora})"
            names = [(x, "int"), (y, "str")]
        for nm, kk in names:
            self.ovars[nm] = kk
            self.oreadonly.add(nm)
        self.oemit(lines, ind, f"for {target} in {it_s}:", f"for {target} in {it_o}:")
        self.o_loop_body(lines, ind, depth, c, k, k + 1)
        self.oiter.discard(n)
        for nm, _ in names:
            del self.ovars[nm]  # (a loop over an empty iterable leaves it unbound)

    def o_while(self, lines, ind, depth) -> None:
        c = self.o_counter(lines, ind)
        k = self.rng.randint(1, 6)
        cond = self.ocond(2)
        self.oemit(lines, ind, f"while {cond.src}:", f"while {cond.ora}:")
        self.o_loop_body(lines, ind, depth, c, k, k + 1)

    def oblock(self, lines, ind, depth, in_loop, n=None) -> None:
        n = n if n is not None else self.rng.randint(1, 3)
        start = len(lines)
        for _ in range(n):
            self.ostmt(lines, ind, depth - 1, in_loop)
        if len(lines) == start:
            self.oemit(lines, ind, "pass")

    def o_ret_expr(self, depth: int) -> E:
        k = self.cur.ret[2:]
        e = self.o_bounded(self.oexpr(k, depth))
        if k == "int":
            self.oret_c = self.oret_c and e.cint
        return e

    def obj_function(self, idx: int) -> Func:
        rng = self.rng
        name = f"{self.prefix}f{idx}"
        params = [(f"p{i}", "o:" + rng.choice(OBJ_PARAM_KINDS)) for i in range(rng.randint(1, 4))]
        ret = "o:" + rng.choice(OBJ_RET_KINDS)
        f = Func(name, params, ret, obj=True)
        self.cur = f
        self.o_reset()
        for n, t in params:
            self.ovars[n] = t[2:]
        self.vars = {}
        self.loop_depth = 0
        self.mult = 1
        self.budget = 3000
        self.spent = 0
        self.oret_c = True
        decls = []
        for _ in range(rng.randint(1, 4)):
            k = rng.choice(OBJ_KINDS)
            e = self.o_value(k, rng.randint(1, 2))
            v = self.fresh("v")
            self.o_store(v, e)
            decls.append((f"    {v} = {e.src}", f"    {v} = {e.ora}"))
            self.ovars[v] = k
        body: list = []
        self.oblock(body, 1, 3, False, rng.randint(2, 6))
        e = self.o_ret_expr(rng.randint(1, 3))
        self.oemit(body, 1, f"return {e.src}", f"return {e.ora}")
        f.ret_c = self.oret_c
        marks = [(f"    {n} += 0", f"    {n} += 0") for n in sorted(self.omaybe_c) if n in self.ovars and self.ovars[n] in ("int",)
                 and n not in self.ocint and not n.startswith("p")]
        head = f"def {name}({', '.join(n for n, _ in params)}):"
        rows = [(head, head)] + decls + marks + body
        f.lines = [s for s, _ in rows]
        f.ora_lines = [o for _, o in rows]
        f.cost = 20 + self.spent
        return f

    # -- typed code calling object code -------------------------------------------------
    def objcall_stmt(self, lines: list, ind: int) -> bool:
        """Typed code: `v = objf(...)` into a typed local of the callee's result kind."""
        cands = []
        for f in self.funcs:
            if f.obj and f.ret[2:] in ("int", "float", "bool") and f.cost * self.mult <= self.budget:
                tgt = self.assign_target(f.ret[2:])
                if tgt is not None:
                    cands.append((f, tgt))
        if not cands:
            return False
        f, (n, t) = self.rng.choice(cands)
        self.budget -= f.cost * self.mult
        self.spent += f.cost * self.mult
        args_s, args_o = [], []
        for _, pty in f.params:
            k = pty[2:]
            if k in ("int", "float", "bool"):
                a = self.convert(self.expr(k, 2), k)
            elif k == "opt":
                a = self.convert(self.expr("int", 2), "int") if self.chance(0.6) else E.same("None", "int")
            else:
                self.ovars = {}  # (a literal: typed code has no object locals)
                a = self.oleaf(k)
            args_s.append(a.src)
            args_o.append(a.ora)
        call_s = f"{f.name}({', '.join(args_s)})"
        call_o = f"{f.name}({', '.join(args_o)})"
        self.emit(lines, ind, f"{n} = {call_s}")
        self.alt[len(lines) - 1] = "    " * ind + f"{n} = " + (f"_ck({call_o})" if kind(t) == "int" else call_o)
        return True


class Gen(ObjectGen):
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
        self.has_obj = False  # some function of the module is an object function

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
        if not self.pyx and kind(e.ty) == "int" and not e.const and not _VAR_RE.search(e.src) and not _literal_fits(e.ora):
            # pycc computes an expression of literals (`abs(-42) << 66`) as Python ints,
            # which the int64 oracle does not model: keep a variable in where it leaves 64 bits
            v = self.nonconst_int()
            return v if v is not None else self.const("int")
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
            b = self.nonconst_int() or b
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

    def nonconst_int(self) -> E | None:
        """py: an int that is not a literal (a variable, or one converted to int), for an
        operand beside a literal."""
        v = self.var_of("int") or self.var_of(None)
        return None if v is None else self.convert(v, "int")

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
            a = self.nonconst_int() or a
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
            if f.obj:  # (typed code calls object functions as `v = f(...)`: objcall_stmt)
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
        if not self.pyx and self.has_obj and rng.random() < 0.1 and self.objcall_stmt(lines, ind):
            return
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

    def module(self, nfuncs: int, obj_share: float = 0.0):
        for i in range(nfuncs):
            if obj_share and self.rng.random() < obj_share:
                f = self.obj_function(i)
                self.has_obj = True
            else:
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
    n = rng.randint(3, 10)
    src, ora = g.module(n, OBJ_SHARE if dialect == "py" else 0.0)
    funcs = [(f.name, f.params, f.ret, f.exported) for f in g.funcs]
    return Module(seed, index, dialect, src, ora, funcs, cdiv)


# ---------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------

F_EDGES = [0.0, -0.0, 1.0, -1.0, math.nan, math.inf, -math.inf, 0.5, 2.5, 1e308, -1e308, 5e-324, 1e-300, 3.0, 100.0]


def f32(v: float) -> float:
    return struct.unpack("f", struct.pack("f", v))[0] if math.isfinite(v) and abs(v) < 3.4e38 else v


OBJ_INT_EDGES = [2**63, -(2**63) - 1, 2**64, 2**64 - 1, 2**100, -(2**100) + 3, 10**30, -(3**50)]
OBJ_STRS = ["", "a", "abc", "é", "中文", "😀x", "Hello, World", "a,b,c", " sp ", "ÅÄÖ", "42", "ß-x"]


def obj_values(k: str, rng: random.Random) -> list:
    """Inputs for an object parameter of runtime kind ``k``: ints beyond 64 bits, float
    edges, non-ASCII strings, empty and non-empty containers."""
    ints = arg_values("int", rng, "py") + OBJ_INT_EDGES
    if k == "int":
        return ints
    if k == "float":
        return arg_values("float", rng, "py")
    if k == "bool":
        return [False, True]
    if k == "str":
        return OBJ_STRS + ["".join(rng.choice("aé中😀 ,b1") for _ in range(rng.randint(1, 6)))]
    if k == "opt":
        return [None, None, 0, 5, -3, 2**70]
    small = lambda: [rng.choice(ints) if rng.random() < 0.2 else rng.randint(-9, 9) for _ in range(rng.randint(1, 6))]
    if k == "list":
        return [[], [0], [1, 2, 3], [-5, 2**70, 3], [7, 7, 7, 7], small(), small()]
    if k == "tuple":
        return [(), (1,), (2, -3), (2**65, 1, 0), tuple(small()), tuple(small())]
    # dict
    return [{}, {"a": 1}, {"x": -2, "é": 2**66, "": 0}, {"中": 3, "b": -1}, {s: rng.randint(-5, 5) for s in rng.sample(OBJ_STRS, 4)}]


def arg_values(ty: str, rng: random.Random, dialect: str) -> list:
    if is_obj(ty):
        return obj_values(ty[2:], rng)
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
            elif (kind(t) == "int" or t == "o:int") and rng.random() < 0.45:
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
    """('ok', type name, value repr) or ('raise', exception type name, message). The
    arguments are copied: an object function may mutate a list it is given."""
    args = copy.deepcopy(args)
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
    return ("ok", type(v).__name__, big_repr(v))


def big_repr(v) -> str:
    """repr(v), also of ints beyond CPython's 4300-digit str() limit."""
    try:
        return repr(v)
    except ValueError:
        old = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)
        try:
            return repr(v)
        finally:
            sys.set_int_max_str_digits(old)


# Exception messages pycc takes from CPython; any other message (OverflowError's, Cython's
# wordings) is compared by type only.
def same(exp, act, dialect: str) -> bool:
    if exp[0] != act[0] or exp[1] != act[1]:
        return False
    if exp[0] == "ok":
        if exp[1] == "float":  # by bits (the repr follows the hex)
            return exp[2].split(" ")[0] == act[2].split(" ")[0]
        return exp[2] == act[2]  # ints of any size, str, containers: by repr
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
