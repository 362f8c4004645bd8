"""Shared machinery of the pycc differential tests: the corpus format, input generators,
the CPython oracle, the JIT and AOT backends, and outcome comparison.

The corpus format itself is documented at the top of ``test_differential.py``; this module
implements it. Nothing here depends on ``pycc`` being importable until a backend is asked
for, so the oracle side can be checked on its own.
"""

from __future__ import annotations

import builtins
import copy
import ctypes
import ctypes.util
import gc
import importlib.util
import itertools
import math
import os
import random
import re
import shlex
import shutil
import struct
import subprocess
import sys
import sysconfig
import types
import zlib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = ROOT / "tests" / "run"
UI_DIR = ROOT / "tests" / "ui"
EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX") or ".so"

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


# ---------------------------------------------------------------------------------------
# Outcomes and comparison
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Raises:
    """An expected exception. ``msg=None`` accepts any message (used where CPython has no
    equivalent to take the message from: the documented deviations)."""

    exc: type
    msg: str | None = None
    # True when a `# ref:` returned it (an expectation), False when code raised it.
    declared: bool = field(default=False, compare=False)
    # (function name, line) of the innermost traceback frame, when code raised it.
    where: tuple[str, int] | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        return f"{self.exc.__name__}({self.msg!r})" if self.msg is not None else f"{self.exc.__name__}(<any message>)"


@dataclass(frozen=True)
class Returned:
    value: object

    def __repr__(self) -> str:
        return show_value(self.value)


def show_value(v: object) -> str:
    if isinstance(v, float):
        return f"{v!r} (float)"
    if isinstance(v, bool):
        return f"{v!r} (bool)"
    if isinstance(v, int):
        return f"{v!r} (int)"
    return f"{v!r} ({type(v).__name__})"


def run_outcome(fn, args=(), kwargs=None):
    """Calls ``fn`` and returns ``Returned`` or ``Raises`` (exact type and message, and the
    innermost traceback frame). Array arguments are made fresh for this call."""
    args = tuple(_fresh(a) for a in args)
    kwargs = {k: _fresh(v) for k, v in (kwargs or {}).items()}
    try:
        return Returned(fn(*args, **(kwargs or {})))
    except Exception as e:  # noqa: BLE001 - every exception is an outcome to compare
        tb = e.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = (tb.tb_frame.f_code.co_name, tb.tb_lineno) if tb is not None else None
        return Raises(type(e), str(e), where=where)


def _fresh(v):
    """An argument as the call gets it: a new array, or a copy of a mutable container (the
    oracle and each backend get their own, since functions may mutate them)."""
    if isinstance(v, ArrayArg):
        return v.make()
    if isinstance(v, (list, dict, set, bytearray)):
        return copy.deepcopy(v)
    return v


def float_bits(x: float) -> bytes:
    return struct.pack("<d", x)


def same_value(expected: object, actual: object) -> bool:
    """Equal values of the same type; floats are compared by bit pattern (so -0.0 != 0.0)
    except that any NaN equals any NaN, also as items of lists and tuples."""
    if type(expected) is not type(actual):
        return False
    if type(expected) in (list, tuple):
        return len(expected) == len(actual) and all(same_value(e, a) for e, a in zip(expected, actual))
    if isinstance(expected, float):
        if math.isnan(expected) and math.isnan(actual):
            return True
        return float_bits(expected) == float_bits(actual)
    return expected == actual


def same_outcome(expected, actual) -> bool:
    if isinstance(expected, Returned):
        return isinstance(actual, Returned) and same_value(expected.value, actual.value)
    if not isinstance(actual, Raises):
        return False
    if actual.exc is not expected.exc:
        return False
    return expected.msg is None or expected.msg == actual.msg


def show_call(name: str, args, kwargs=None) -> str:
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in (kwargs or {}).items()]
    return f"{name}({', '.join(parts)})"


def mismatch_report(title: str, rows: list[tuple[str, object, object]], total: int, limit: int = 12) -> str:
    """``rows`` = (call text, expected outcome, actual outcome)."""
    lines = [f"{title}: {len(rows)} of {total} inputs differ"]
    for call, exp, act in rows[:limit]:
        lines.append(f"  {call}\n      expected {exp!r}\n      got      {act!r}")
    if len(rows) > limit:
        lines.append(f"  ... and {len(rows) - limit} more")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# C helpers for reference functions (`# ref:` lines)
# ---------------------------------------------------------------------------------------


class _Libm:
    """The C math library through ctypes: C semantics (NaN and infinities as values, no
    exceptions), for the references of `libc.math` cases."""

    _unary = (
        "sqrt exp expm1 log log2 log10 log1p sin cos tan asin acos atan sinh cosh tanh asinh "
        "acosh atanh floor ceil trunc fabs round cbrt"
    ).split()
    _binary = "pow fmod hypot atan2 copysign fmin fmax".split()

    def __init__(self) -> None:
        lib = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
        for name in self._unary:
            f = getattr(lib, name)
            f.restype, f.argtypes = ctypes.c_double, [ctypes.c_double]
            setattr(self, name, f)
        for name in self._binary:
            f = getattr(lib, name)
            f.restype, f.argtypes = ctypes.c_double, [ctypes.c_double, ctypes.c_double]
            setattr(self, name, f)


_LIBM: _Libm | None = None


def libm() -> _Libm:
    global _LIBM
    if _LIBM is None:
        _LIBM = _Libm()
    return _LIBM


INT_TYPES = {
    "i8": (8, True), "u8": (8, False), "i16": (16, True), "u16": (16, False),
    "i32": (32, True), "u32": (32, False), "i64": (64, True), "u64": (64, False),
}


def wrap_int(v: int, kind: str) -> int:
    """Reduces ``v`` modulo 2**bits into the range of a C integer type, as C conversions do."""
    bits, signed = INT_TYPES[kind]
    v &= (1 << bits) - 1
    if signed and v >= 1 << (bits - 1):
        v -= 1 << bits
    return v


def round_f32(v: float) -> float:
    """Rounds a double to the nearest C `float` (overflowing to an infinity, as C does)."""
    return ctypes.c_float(v).value


def c_trunc_div(a: int, b: int) -> int:
    """C integer division: rounds toward zero (exact for any size)."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def c_rem(a: int, b: int) -> int:
    """C `%`: the remainder takes the dividend's sign."""
    return a - b * c_trunc_div(a, b)


def ieee_div(a: float, b: float) -> float:
    """IEEE division, with the results C gives for a zero divisor instead of an exception."""
    if b != 0.0:
        return a / b
    if a != a or a == 0.0:
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def c_saturate(x: float, kind: str) -> int:
    """pycc's documented float → C integer cast: truncate toward zero, saturate at the type's
    bounds, NaN → 0."""
    bits, signed = INT_TYPES[kind]
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    if x != x:
        return 0
    if x == math.inf:
        return hi
    if x == -math.inf:
        return lo
    return max(lo, min(hi, int(x)))


_KIND_TYPES = {
    "list": list, "tuple": tuple, "dict": dict, "set": set, "frozenset": frozenset, "str": str, "bytes": bytes,
    "bytearray": bytearray,
}
_CYTHON_SUBCLASS_NOTE = (
    ". Note that Cython is deliberately stricter than PEP-484 and rejects subclasses of builtin types. "
    "If you need to pass subclasses then set the 'annotation_typing' directive to False."
)


def kind_checked(fn, ret=None, **params):
    """`fn` with Cython's tests of typed object parameters (`__Pyx_ArgTypeTest`) in front:
    each keyword names a parameter and its kind, `"list"` (None allowed, a `.pyx`
    declaration), `"list!"` (`not None`), `"list!~"` (an annotation: not None, and the
    subclass note in the message). `ret` checks the result as a typed return does
    (`Expected list, got tuple`)."""
    import inspect  # noqa: PLC0415

    sig = inspect.signature(fn)

    def checked(*args, **kwargs):
        bound = sig.bind(*args, **kwargs)
        for name, spec in params.items():
            if name not in bound.arguments:
                continue
            v, kind = bound.arguments[name], spec.rstrip("!~")
            t = _KIND_TYPES[kind]
            if type(v) is t or (v is None and "!" not in spec):
                continue
            msg = f"Argument '{name}' has incorrect type (expected {kind}, got {type(v).__name__})"
            if "~" in spec and isinstance(v, t):
                msg += _CYTHON_SUBCLASS_NOTE
            return Raises(TypeError, msg)
        out = fn(*args, **kwargs)
        return expect_kind(out, ret) if ret else out

    return checked


def expect_kind(v, kind):
    """`v` if it is `None` or exactly of the builtin type `kind`, else Cython's TypeError for
    an assignment to a typed variable (`Expected list, got tuple`)."""
    if v is None or type(v) is _KIND_TYPES[kind]:
        return v
    return Raises(TypeError, f"Expected {kind}, got {type(v).__name__}")


def ref_namespace() -> dict:
    """The names a `# ref:` expression can use."""
    return {
        "kind_checked": kind_checked,
        "expect_kind": expect_kind,
        "__builtins__": builtins,
        "math": math,
        "libm": libm(),
        "Raises": Raises,
        "wrap": wrap_int,
        "round_f32": round_f32,
        "c_trunc_div": c_trunc_div,
        "c_rem": c_rem,
        "ieee_div": ieee_div,
        "c_saturate": c_saturate,
        "INT64_MIN": INT64_MIN,
        "INT64_MAX": INT64_MAX,
    }


# ---------------------------------------------------------------------------------------
# Input generators (the names usable in `# call:` lines)
# ---------------------------------------------------------------------------------------


class Gen:
    """An argument generator: a list of edge values tried first, and a random draw."""

    def edges(self) -> list:
        raise NotImplementedError

    def draw(self, rng: random.Random):
        raise NotImplementedError


@dataclass
class IntRange(Gen):
    lo: int
    hi: int

    def __post_init__(self) -> None:
        if not (isinstance(self.lo, int) and isinstance(self.hi, int)) or self.lo > self.hi:
            raise ValueError(f"int({self.lo!r}, {self.hi!r}): need two ints with lo <= hi")

    def edges(self) -> list:
        cands = [self.lo, self.hi, 0, 1, -1, self.lo + 1, self.hi - 1]
        return _dedupe(v for v in cands if self.lo <= v <= self.hi)

    def draw(self, rng):
        return rng.randint(self.lo, self.hi)


@dataclass
class Int64(Gen):
    """Any signed 64-bit value, with magnitudes spread over all bit lengths."""

    def edges(self) -> list:
        return [INT64_MIN, INT64_MAX, 0, 1, -1, INT64_MIN + 1, 2**31 - 1, -(2**31), 2**32, 2**53 + 1, -(2**62)]

    def draw(self, rng):
        bits = rng.randint(0, 63)
        v = rng.getrandbits(bits) if bits else 0
        return -v - rng.randint(0, 1) if rng.random() < 0.5 else v


@dataclass
class FloatRange(Gen):
    lo: float
    hi: float

    def __post_init__(self) -> None:
        self.lo, self.hi = float(self.lo), float(self.hi)
        if not self.lo <= self.hi:
            raise ValueError(f"float({self.lo!r}, {self.hi!r}): need lo <= hi")

    def edges(self) -> list:
        cands = [self.lo, self.hi]
        if self.lo <= 0.0 <= self.hi:
            cands += [0.0, -0.0]
        cands += [v for v in (1.0, -1.0, 0.5, -0.5) if self.lo <= v <= self.hi]
        return _dedupe(cands)

    def draw(self, rng):
        return rng.uniform(self.lo, self.hi)


@dataclass
class Float32Range(FloatRange):
    """Like ``float(lo, hi)`` but every value is exactly representable as a C `float`."""

    def edges(self) -> list:
        return _dedupe(round_f32(v) for v in super().edges())

    def draw(self, rng):
        return round_f32(super().draw(rng))


SPECIAL_FLOATS = [
    math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0,
    5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, 1e300, -1e300,
    1.7976931348623157e308, -1.7976931348623157e308, 2.0**53, 1e16 + 1.0, math.pi,
]


@dataclass
class FloatsSpecial(Gen):
    """NaN, infinities, signed zeros, subnormals, the largest values, and random doubles of
    any exponent."""

    def edges(self) -> list:
        return list(SPECIAL_FLOATS)

    def draw(self, rng):
        r = rng.random()
        if r < 0.4:
            return rng.uniform(-10.0, 10.0)
        while True:
            v = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
            if math.isfinite(v):
                return v


@dataclass
class Choice(Gen):
    values: tuple

    def __post_init__(self) -> None:
        if not self.values:
            raise ValueError("choice() needs at least one value")

    def edges(self) -> list:
        return list(self.values)

    def draw(self, rng):
        return rng.choice(self.values)


@dataclass
class Bool(Gen):
    def edges(self) -> list:
        return [False, True]

    def draw(self, rng):
        return rng.random() < 0.5


_TEXT_ALPHABET = "abcxyz ABC,.:-_0123456789éß€\u00a0\n"


@dataclass
class Text(Gen):
    """Short strings (ASCII, Latin-1, BMP characters, spaces, punctuation, digits)."""

    max_len: int = 12

    def edges(self) -> list:
        return ["", " ", "a", "abc", "a,b,,c", "  padded  ", "MiXeD case", "héllo wörld", "123", "-4.5", "x" * self.max_len]

    def draw(self, rng):
        return "".join(rng.choice(_TEXT_ALPHABET) for _ in range(rng.randint(0, self.max_len)))


@dataclass
class IntList(Gen):
    """Lists of integers in [lo, hi], up to `max_len` long (each call gets a copy)."""

    lo: int = -50
    hi: int = 50
    max_len: int = 8

    def edges(self) -> list:
        return [[], [0], [self.lo, self.hi], [3, 1, 2], [1] * self.max_len]

    def draw(self, rng):
        return [rng.randint(self.lo, self.hi) for _ in range(rng.randint(0, self.max_len))]


@dataclass
class Obj(Gen):
    """Python objects of many types: None, bools, ints of any size, floats (special ones
    too), strings, bytes, tuples, lists and dicts."""

    def edges(self) -> list:
        return [None, True, False, 0, 1, -1, 7, 2**64, -(2**70), 0.5, -0.0, 1e300, math.inf, math.nan, "", "abc", "héllo",
                b"xy", (), (1, 2), [], [1, "a"], {"k": 1}]

    def draw(self, rng):
        kind = rng.randrange(8)
        if kind == 0:
            return rng.randint(-(2**rng.randint(1, 100)), 2**rng.randint(1, 100))
        if kind == 1:
            return rng.uniform(-1e6, 1e6)
        if kind == 2:
            return Text().draw(rng)
        if kind == 3:
            return tuple(rng.randint(-5, 5) for _ in range(rng.randint(0, 3)))
        if kind == 4:
            return IntList(-5, 5, 4).draw(rng)
        if kind == 5:
            return rng.choice([None, True, False])
        if kind == 6:
            return {Text(3).draw(rng): rng.randint(0, 9) for _ in range(rng.randint(0, 3))}
        return rng.randint(-100, 100)


class SubList(list):
    """A subclass of `list` (Cython's typed parameters refuse subclasses of builtin types)."""


class SubDict(dict):
    pass


class SubStr(str):
    pass


class SubTuple(tuple):
    """A subclass of `tuple` whose items come back through its own `__getitem__`."""

    def __getitem__(self, i):
        return ("sub", tuple.__getitem__(self, i))


class Indexed:
    """Not a sequence type, but indexable and sized (`__getitem__`, `__len__`)."""

    def __getitem__(self, i):
        if not -3 <= i < 3:
            raise IndexError("Indexed index out of range")
        return i * 10

    def __len__(self):
        return 3

    def __repr__(self):
        return "Indexed()"


@dataclass
class Kinds(Gen):
    """Objects of every builtin kind pycc types (list, tuple, dict, set, frozenset, str,
    bytes, bytearray), `None`, numbers, subclasses of list, dict, str and tuple (one with
    its own `__getitem__`), and an object that only has `__getitem__` and `__len__`."""

    def edges(self) -> list:
        return [None, [], [1, 2], (), (1, "a"), {}, {"k": 1}, set(), {1, 2}, frozenset({3}), "", "abc", b"", b"xy",
                bytearray(b"ab"), 0, 1.5, True, SubList([1]), SubDict(a=1), SubStr("s"), SubTuple((4, 5)), Indexed()]

    def draw(self, rng):
        items = [rng.randint(-5, 5) for _ in range(rng.randint(0, 4))]
        return rng.choice([
            lambda: items, lambda: tuple(items), lambda: {i: i * i for i in items}, lambda: set(items),
            lambda: frozenset(items), lambda: Text(4).draw(rng), lambda: bytes(i % 256 for i in items),
            lambda: bytearray(i % 256 for i in items), lambda: None, lambda: SubList(items),
        ])()


@dataclass
class AnyOf(Gen):
    """The union of generators: each one's edges, and a draw from one picked at random."""

    gens: tuple

    def edges(self) -> list:
        return _dedupe(e for g in self.gens for e in g.edges())

    def draw(self, rng):
        return rng.choice(self.gens).draw(rng)


@dataclass(frozen=True)
class ArrayArg:
    """A NumPy array argument, kept as data until a call (each call gets a fresh array, so a
    function that writes to it cannot change another call's input): `values` fill a C-ordered
    base array of `base_shape`, then `step` slices axis 0 and `transpose` reverses the axes."""

    dtype: str
    base_shape: tuple
    values: tuple
    step: int = 1
    transpose: bool = False

    def make(self):
        import numpy as np  # noqa: PLC0415 - only corpus files with arrays need NumPy

        a = np.array(self.values, dtype=self.dtype).reshape(self.base_shape)[:: self.step]
        return a.T if self.transpose else a

    def __repr__(self) -> str:
        return f"array({self.dtype}, {list(self.values)!r}, shape={self.base_shape}, step={self.step}{', T' if self.transpose else ''})"


@dataclass
class ArrayGen(Gen):
    """``array(dtype, shape, lo, hi, step=1, transpose=False)``: NumPy arrays of `dtype`
    (`"f8"`, `"i4"`, ...) and `shape` (an int or a tuple), elements in [lo, hi] (integers for
    integer dtypes); `step` takes every step-th row of a larger array (negative: reversed),
    `transpose` gives a non-C-contiguous array. Edges: all `lo`, all `hi`."""

    dtype: str
    shape: object
    lo: float
    hi: float
    step: int = 1
    transpose: bool = False

    def _base(self) -> tuple:
        shape = (self.shape,) if isinstance(self.shape, int) else tuple(self.shape)
        return (shape[0] * abs(self.step),) + shape[1:] if shape else shape

    def _arg(self, values) -> ArrayArg:
        return ArrayArg(self.dtype, self._base(), tuple(values), self.step, self.transpose)

    def edges(self) -> list:
        n = math.prod(self._base())
        return [self._arg([self.lo] * n), self._arg([self.hi] * n)]

    def draw(self, rng):
        n = math.prod(self._base())
        if self.dtype.lstrip("<>=").startswith(("i", "u")):
            return self._arg(rng.randint(int(self.lo), int(self.hi)) for _ in range(n))
        return self._arg(rng.uniform(self.lo, self.hi) for _ in range(n))


def uses_arrays(call: "Call") -> bool:
    return any(isinstance(g, ArrayGen) for g in call.args + list(call.kwargs.values()))


def _dedupe(values) -> list:
    seen, out = set(), []
    for v in values:
        k = value_key(v)
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


def value_key(v) -> tuple:
    """A hashable key telling apart values that compare equal but differ (0.0 / -0.0,
    1 / 1.0 / True, NaN)."""
    return (type(v).__name__, repr(v))


GENERATORS = {
    "int": IntRange,
    "int64": Int64,
    "float": FloatRange,
    "f32": Float32Range,
    "floats_special": FloatsSpecial,
    "choice": lambda *values: Choice(tuple(values)),
    "const": lambda value: Choice((value,)),
    "bool": Bool,
    "array": ArrayGen,
    "text": Text,
    "ints": IntList,
    "obj": Obj,
    "kinds": Kinds,
    "any_of": lambda *gens: AnyOf(tuple(as_gen(g) for g in gens)),
}


def _header_eval_namespace() -> dict:
    ns = {"__builtins__": {}, "inf": math.inf, "nan": math.nan, "pi": math.pi, "True": True, "False": False}
    ns.update(GENERATORS)
    return ns


def as_gen(v) -> Gen:
    if isinstance(v, Gen):
        return v
    if isinstance(v, (bool, int, float, str, bytes, type(None))):
        return Choice((v,))
    raise ValueError(f"not a generator or a constant: {v!r}")


# ---------------------------------------------------------------------------------------
# The corpus format
# ---------------------------------------------------------------------------------------

DEFAULT_N = 200

_CALL_RE = re.compile(r"^\s*#\s*call(?:\[(?P<opts>[^\]]*)\])?:\s*(?P<expr>.+?)\s*$")
_REF_RE = re.compile(r"^\s*#\s*ref:\s*(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<expr>.+?)\s*$")
_NOT_EXPORTED_RE = re.compile(r"^\s*#\s*not-exported:\s*(?P<names>.+?)\s*$")
_ANY_DIRECTIVE_RE = re.compile(r"^\s*#\s*(call|ref|not-exported)\b")


@dataclass
class Call:
    path: Path
    line: int
    text: str
    func: str
    args: list
    kwargs: dict
    n: int = DEFAULT_N
    overflow: bool = False
    wrap: str | None = None
    xfail: str | None = None

    @property
    def id(self) -> str:
        return f"{self.path.name}:{self.line}:{self.func}"

    def inputs(self) -> list[tuple[tuple, dict]]:
        return generate_inputs(self)


@dataclass
class CorpusFile:
    path: Path
    calls: list[Call] = field(default_factory=list)
    refs: dict[str, tuple[int, str]] = field(default_factory=dict)
    not_exported: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "pyx" if self.path.suffix == ".pyx" else "py"


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS_DIR.iterdir() if p.suffix in (".py", ".pyx") and not p.name.startswith("_"))


def parse_corpus_file(path: Path) -> CorpusFile:
    cf = CorpusFile(path)
    for lineno, line in enumerate(path.read_text().splitlines(), 1):
        if not _ANY_DIRECTIVE_RE.match(line):
            continue
        where = f"{path.name}:{lineno}"
        if m := _CALL_RE.match(line):
            try:
                cf.calls.append(_parse_call(path, lineno, m.group("opts"), m.group("expr")))
            except Exception as e:  # noqa: BLE001 - reported as a failing header test
                cf.errors.append(f"{where}: bad `# call:` line: {e}")
        elif m := _REF_RE.match(line):
            name = m.group("name")
            if name in cf.refs:
                cf.errors.append(f"{where}: second `# ref:` for `{name}`")
            cf.refs[name] = (lineno, m.group("expr"))
        elif m := _NOT_EXPORTED_RE.match(line):
            cf.not_exported += [n.strip() for n in m.group("names").split(",") if n.strip()]
        else:
            cf.errors.append(f"{where}: malformed directive: {line.strip()}")
    return cf


def _parse_call(path: Path, lineno: int, opts: str | None, expr: str) -> Call:
    import ast

    tree = ast.parse(expr, mode="eval").body
    if not isinstance(tree, ast.Call) or not isinstance(tree.func, ast.Name):
        raise ValueError("expected `name(generator, ...)`")
    ns = _header_eval_namespace()

    def ev(node):
        return as_gen(eval(compile(ast.Expression(node), f"<{path.name}:{lineno}>", "eval"), ns))

    call = Call(
        path=path,
        line=lineno,
        text=expr,
        func=tree.func.id,
        args=[ev(a) for a in tree.args],
        kwargs={k.arg: ev(k.value) for k in tree.keywords},
    )
    for opt in filter(None, (o.strip() for o in (opts or "").split(","))):
        key, _, value = opt.partition("=")
        key, value = key.strip(), value.strip()
        if key == "n":
            call.n = int(value)
        elif key == "overflow" and not value:
            call.overflow = True
        elif key == "wrap" and (value in INT_TYPES or value == "f32"):
            call.wrap = value
        elif key == "xfail" and value:
            call.xfail = value.strip("'\"")
        else:
            raise ValueError(f"unknown option `{opt}` (known: n=N, overflow, wrap=i8|u8|...|u64|f32, xfail=REASON)")
    return call


def generate_inputs(call: Call) -> list[tuple[tuple, dict]]:
    """Deterministic inputs for a call: edge-value combinations first (at most half of
    ``n``), then random draws (each argument is an edge value 10% of the time)."""
    rng = random.Random(zlib.crc32(f"{call.path.name}:{call.text}".encode()))
    gens = call.args + list(call.kwargs.values())
    nargs = len(call.args)
    keys = list(call.kwargs)

    def pack(values):
        return tuple(values[:nargs]), dict(zip(keys, values[nargs:]))

    out, seen = [], set()

    def add(values) -> None:
        k = tuple(value_key(v) for v in values)
        if k not in seen:
            seen.add(k)
            out.append(pack(list(values)))

    edge_lists = [g.edges() for g in gens]
    size = math.prod(len(e) for e in edge_lists)
    cap = max(1, call.n // 2)
    if size <= cap:
        combos = list(itertools.product(*edge_lists))
    else:
        combos = [tuple(rng.choice(e) for e in edge_lists) for _ in range(cap)]
    for c in combos:
        add(c)
    attempts = 0
    while len(out) < call.n and attempts < call.n * 20:
        attempts += 1
        add([rng.choice(g.edges()) if rng.random() < 0.1 else g.draw(rng) for g in gens])
    return out


# ---------------------------------------------------------------------------------------
# The CPython oracle
# ---------------------------------------------------------------------------------------


def _cython_shim() -> types.ModuleType:
    """A stand-in for Cython's pure-Python `cython` module, so CPython can run `.py` corpus
    files that use `cython.int` annotations, `@cython.cfunc` and `cython.cast` (its values
    behave as Python numbers: no C wrapping, which the corpus avoids or masks)."""
    m = types.ModuleType("cython")
    m.compiled = False
    for name in ("char schar uchar short sshort ushort int sint uint long slong ulong longlong "
                 "slonglong ulonglong Py_ssize_t size_t").split():
        setattr(m, name, builtins.int)
    for name in ("float double longdouble").split():
        setattr(m, name, builtins.float)
    m.bint = builtins.bool
    m.void = None

    class _Directive:
        """`@cython.boundscheck(False)` and `with cython.boundscheck(False):` (also `nogil`)."""

        def __call__(self, f):
            return f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def identity_decorator(*a, **k):
        if len(a) == 1 and callable(a[0]) and not k:
            return a[0]
        return _Directive()

    for name in ("cfunc ccall inline locals returns exceptval cdivision boundscheck wraparound "
                 "initializedcheck nonecheck overflowcheck infer_types final").split():
        setattr(m, name, identity_decorator)
    m.nogil = m.gil = _Directive()

    def cast(t, v, typecheck=False):
        if t is builtins.bool:
            return bool(v)
        if t is builtins.float:
            return float(v)
        return int(v)

    def declare(t=None, value=None, **kw):
        return value

    m.cast, m.declare = cast, declare
    return m


def _oracle_builtins() -> dict:
    shim = _cython_shim()
    real_import = builtins.__import__

    def _import(name, globals=None, locals=None, fromlist=(), level=0):
        if name == "cython":
            return shim
        return real_import(name, globals, locals, fromlist, level)

    b = dict(vars(builtins))
    b["__import__"] = _import
    return b


def oracle_source(path: Path) -> str:
    """The Python text CPython runs for a corpus file: the file itself, or for `.pyx` the
    translation by `pycc._pycc.translate`."""
    text = path.read_text()
    if path.suffix == ".pyx":
        import pycc._pycc  # noqa: PLC0415 - the .pyx oracle needs the product's translator

        return pycc._pycc.translate(text, str(path))
    return text


def load_oracle(path: Path, source: str | None = None) -> dict:
    """Executes the oracle source of a corpus file; returns its namespace."""
    if source is None:
        source = oracle_source(path)
    ns = {"__name__": f"oracle_{path.stem}", "__file__": str(path), "__builtins__": _oracle_builtins()}
    exec(compile(source, f"<oracle {path.name}>", "exec"), ns)
    return ns


def expected_outcome(call: Call, fn, args, kwargs):
    """The oracle's outcome for one input, after the call's options are applied."""
    out = run_outcome(fn, args, kwargs)
    if isinstance(out, Returned) and isinstance(out.value, Raises):
        return Raises(out.value.exc, out.value.msg, declared=True)  # a reference's expectation
    if isinstance(out, Returned):
        v = out.value
        if call.overflow and type(v) is int and not INT64_MIN <= v <= INT64_MAX:
            return Raises(OverflowError, declared=True)
        if call.wrap == "f32" and isinstance(v, float):
            return Returned(round_f32(v))
        if call.wrap in INT_TYPES and type(v) is int:
            return Returned(wrap_int(v, call.wrap))
    return out


# ---------------------------------------------------------------------------------------
# Backends: JIT (pycc.compile_file) and AOT (`pycc build` + import)
# ---------------------------------------------------------------------------------------


def import_pycc():
    try:
        import pycc  # noqa: PLC0415
    except ImportError as e:
        raise AssertionError(
            f"`import pycc` failed ({e}); install it with `pip install .` at the repo root"
        ) from e
    return pycc


def find_cli() -> tuple[list[str] | None, str]:
    """The `pycc` command line, if a usable one exists, and a description of what was tried.

    Order: `$PYCC_CLI` (a command, split like a shell would), `pycc` next to this Python,
    `pycc` on PATH, `python -m pycc`. A candidate is usable when `--help` exits 0 and
    lists a `build` command."""
    tried = []
    cands = []
    if os.environ.get("PYCC_CLI"):
        cands.append(shlex.split(os.environ["PYCC_CLI"]))
    beside = Path(sys.executable).parent / "pycc"
    if beside.exists():
        cands.append([str(beside)])
    on_path = shutil.which("pycc")
    if on_path:
        cands.append([on_path])
    try:
        if importlib.util.find_spec("pycc") is not None and importlib.util.find_spec("pycc.__main__") is not None:
            cands.append([sys.executable, "-m", "pycc"])
    except (ImportError, ValueError):
        pass
    for cmd in cands:
        try:
            r = subprocess.run(cmd + ["--help"], capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            tried.append(f"`{' '.join(cmd)}` ({e})")
            continue
        text = r.stdout + r.stderr
        if r.returncode == 0 and re.search(r"^\s*build\b", text, re.M):
            return cmd, ""
        tried.append(f"`{' '.join(cmd)} --help` (exit {r.returncode}, output {text.strip()[:80]!r})")
    return None, "; ".join(tried) or "no `pycc` executable, no `python -m pycc`"


def aot_build(cli: list[str], src: Path, outdir: Path, module_name: str):
    """Copies ``src`` into ``outdir`` as ``module_name``, runs `pycc build` on it, and imports
    the extension module it writes. Returns the module. A failing build raises
    AssertionError with the CLI's output."""
    outdir.mkdir(parents=True, exist_ok=True)
    copy = outdir / f"{module_name}{src.suffix}"
    copy.write_text(src.read_text())
    r = subprocess.run(cli + ["build", str(copy), "-o", str(outdir)], capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise AssertionError(f"`pycc build {src.name}` failed (exit {r.returncode}):\n{r.stdout}{r.stderr}")
    so = outdir / f"{module_name}{EXT_SUFFIX}"
    if not so.exists():
        raise AssertionError(
            f"`pycc build {src.name}` exited 0 but did not write {so.name}; the directory holds "
            f"{sorted(p.name for p in outdir.iterdir())}"
        )
    spec = importlib.util.spec_from_file_location(module_name, so)
    if spec is None or spec.loader is None:
        raise AssertionError(f"cannot make an import spec for {so}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def refcount_after(fn, obj, times=50) -> int:
    """How many references to `obj` calling `fn()` `times` times left behind (exceptions
    it raises are expected and swallowed): 0 when every path releases what it took."""
    before = sys.getrefcount(obj)
    for _ in range(times):
        try:
            fn()
        except Exception:
            pass
    gc.collect()
    return sys.getrefcount(obj) - before
