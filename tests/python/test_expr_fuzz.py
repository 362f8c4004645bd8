"""Random expressions, compiled and compared with CPython: a seeded generator writes two
modules (int and float) of functions whose bodies are random expression trees, and every
function runs on generated inputs under CPython and under each backend.

Integer functions use Python `int` (64-bit, checked in pycc). Their oracle evaluates the
tree node by node with CPython's arithmetic and raises OverflowError as soon as any
intermediate value leaves 64 bits: that is pycc's rule, and it is stricter than the
`overflow` option of the corpus (which only looks at the result). Float functions use
CPython itself as the oracle: `**` only squares or cubes bounded leaves, so it cannot
overflow (where pycc follows C and gives inf), and min/max and conditional arms are
converted to float (CPython returns the winning int object where typed code converts).

The seed is fixed (`PYCC_FUZZ_SEED` overrides it, `PYCC_FUZZ_FUNCS` the number of functions
of each kind), so a failure reproduces; the report shows the expression.
"""

from __future__ import annotations

import math
import os
import random
from pathlib import Path

import pytest

import pycc_testing as pt

SEED = int(os.environ.get("PYCC_FUZZ_SEED", "20251125"))
N_FUNCS = int(os.environ.get("PYCC_FUZZ_FUNCS", "40"))
N_INPUTS = 60

INT_BINOPS = ["+", "-", "*", "//", "%", "&", "|", "^", "<<", ">>"]


def _check(v: int) -> int:
    if not pt.INT64_MIN <= v <= pt.INT64_MAX:
        raise OverflowError("intermediate out of 64 bits")
    return v


class IntExpr:
    """A tree node: kind, children, and the Python text."""

    def __init__(self, kind, *kids, value=None):
        self.kind, self.kids, self.value = kind, kids, value

    def has_var(self) -> bool:
        return self.kind == "var" or any(k.has_var() for k in self.kids)

    def text(self) -> str:
        k, c = self.kind, self.kids
        if k == "var":
            return self.value
        if k == "const":
            return repr(self.value) if self.value >= 0 else f"({self.value!r})"
        if k == "neg":
            return f"(-{c[0].text()})"
        if k == "invert":
            return f"(~{c[0].text()})"
        if k in ("abs", "min", "max"):
            return f"{k}({', '.join(x.text() for x in c)})"
        if k == "pow":
            return f"({c[0].text()} ** {self.value})"
        if k == "ifexp":
            return f"({c[0].text()} if {c[1].text()} < {c[2].text()} else {c[3].text()})"
        return f"({c[0].text()} {k} {c[1].text()})"

    def eval(self, env: dict) -> int:
        """CPython's value with pycc's 64-bit rule applied at every node."""
        k, c = self.kind, self.kids
        if k == "var":
            return env[self.value]
        if k == "const":
            return self.value
        if k == "neg":
            return _check(-c[0].eval(env))
        if k == "invert":
            return ~c[0].eval(env)
        if k == "abs":
            return _check(abs(c[0].eval(env)))
        if k in ("min", "max"):
            x, y = c[0].eval(env), c[1].eval(env)
            return min(x, y) if k == "min" else max(x, y)
        if k == "pow":
            return _check(c[0].eval(env) ** self.value)
        if k == "ifexp":
            return c[3].eval(env) if not c[1].eval(env) < c[2].eval(env) else c[0].eval(env)
        x = c[0].eval(env)
        y = c[1].eval(env)
        if k == "<<":
            if y < 0:
                raise ValueError("negative shift count")
            if x == 0:
                return 0
            return _check(x << y)
        return _check(eval(f"x {k} y"))  # CPython's operator, with its exceptions and messages


def gen_int(rng: random.Random, depth: int) -> IntExpr:
    if depth == 0 or rng.random() < 0.2:
        if rng.random() < 0.7:
            return IntExpr("var", value=rng.choice("ab"))
        return IntExpr("const", value=rng.choice([0, 1, -1, 2, 3, 7, -13, 1000, 2**31, -(2**40), 2**62]))
    r = rng.random()
    if r < 0.55:
        op = rng.choice(INT_BINOPS)
        if op in ("<<", ">>"):
            count = IntExpr("var", value="c") if rng.random() < 0.5 else IntExpr("const", value=rng.randint(0, 70))
            return IntExpr(op, gen_int(rng, depth - 1), count)
        right = gen_int(rng, depth - 1)
        while op in ("&", "|", "^") and not right.has_var():
            # A constant (maybe negative) right operand of & | ^ is rejected by the checker
            # today; tests/run/bitwise_neg_const.py holds that bug, strict-xfail.
            right = gen_int(rng, depth - 1)
        return IntExpr(op, gen_int(rng, depth - 1), right)
    if r < 0.65:
        return IntExpr(rng.choice(["neg", "invert", "abs"]), gen_int(rng, depth - 1))
    if r < 0.75:
        return IntExpr(rng.choice(["min", "max"]), gen_int(rng, depth - 1), gen_int(rng, depth - 1))
    if r < 0.85:
        return IntExpr("pow", gen_int(rng, depth - 1), value=rng.randint(0, 4))
    return IntExpr("ifexp", *(gen_int(rng, depth - 1) for _ in range(4)))


def gen_float(rng: random.Random, depth: int) -> str:
    if depth == 0 or rng.random() < 0.2:
        r = rng.random()
        if r < 0.5:
            return rng.choice(["x", "y"])
        if r < 0.65:
            return "a"  # an int variable mixed into float arithmetic
        if r < 0.75:
            return f"({rng.choice(['x', 'y'])} ** {rng.choice(['2', '2.0', '3', '0'])})"
        return repr(rng.choice([0.0, -0.0, 1.0, 0.5, -2.5, 3.0, 1e-3, 1e3]))
    r = rng.random()
    if r < 0.6:
        op = rng.choice(["+", "-", "*", "/", "//", "%"])
        return f"({gen_float(rng, depth - 1)} {op} {gen_float(rng, depth - 1)})"
    if r < 0.7:
        return f"(-{gen_float(rng, depth - 1)})"
    if r < 0.8:
        return f"{rng.choice(['abs', 'math.fabs', 'math.sin', 'math.sqrt', 'math.atan'])}({gen_float(rng, depth - 1)})"
    # min/max and the arms of a conditional get `* 1.0`: CPython returns the winning object
    # (an int, maybe) where typed code converts both to double, as Cython does.
    if r < 0.9:
        return f"{rng.choice(['min', 'max'])}({gen_float(rng, depth - 1)} * 1.0, {gen_float(rng, depth - 1)} * 1.0)"
    return f"({gen_float(rng, depth - 1)} * 1.0 if {gen_float(rng, 1)} < {gen_float(rng, 1)} else {gen_float(rng, depth - 1)} * 1.0)"


def _build():
    """Two modules (so that a compile error in one does not hide the other's results)."""
    rng = random.Random(SEED)
    int_funcs, float_funcs = [], []
    header = ["# Generated by tests/python/test_expr_fuzz.py; do not edit.", "import math", ""]
    int_lines, float_lines = list(header), list(header)
    for i in range(N_FUNCS):
        tree = gen_int(rng, rng.randint(1, 4))
        name = f"int_expr_{i}"
        int_funcs.append((name, tree))
        int_lines += [f"def {name}(a: int, b: int, c: int) -> int:", f"    return {tree.text()}", ""]
    for i in range(N_FUNCS):
        text = gen_float(rng, rng.randint(1, 4))
        name = f"float_expr_{i}"
        float_funcs.append((name, text))
        # `* 1.0` makes the result a float in CPython when the expression is an int leaf.
        float_lines += [f"def {name}(x: float, y: float, a: int) -> float:", f"    return ({text}) * 1.0", ""]
    return "\n".join(int_lines), "\n".join(float_lines), int_funcs, float_funcs


INT_SOURCE, FLOAT_SOURCE, INT_FUNCS, FLOAT_FUNCS = _build()
INT_GEN = pt.Choice((0, 1, -1, 2, 7, -100, 1000, -(2**31), 2**32 + 1, pt.INT64_MAX, pt.INT64_MIN))


def _int_inputs(seed: int) -> list:
    rng = random.Random(seed)
    out = []
    for _ in range(N_INPUTS):
        a = rng.choice(INT_GEN.values) if rng.random() < 0.3 else rng.randint(-1000, 1000)
        b = rng.choice(INT_GEN.values) if rng.random() < 0.3 else rng.randint(-1000, 1000)
        out.append((a, b, rng.randint(-2, 70)))
    return out


def _float_inputs(seed: int) -> list:
    rng = random.Random(seed)
    specials = [0.0, -0.0, 1.0, -1.0, math.inf, -math.inf, math.nan, 1e-300, 5e-324]
    out = []
    for _ in range(N_INPUTS):
        x = rng.choice(specials) if rng.random() < 0.25 else rng.uniform(-1e3, 1e3)
        y = rng.choice(specials) if rng.random() < 0.25 else rng.uniform(-1e3, 1e3)
        out.append((x, y, rng.randint(-5, 5)))  # small: pure-int subtrees must not overflow
    return out


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("fuzz")
    (d / "int_expr_fuzz.py").write_text(INT_SOURCE)
    (d / "float_expr_fuzz.py").write_text(FLOAT_SOURCE)
    return d


@pytest.fixture(scope="module")
def int_oracle_ns(fuzz_dir) -> dict:
    return pt.load_oracle(fuzz_dir / "int_expr_fuzz.py", INT_SOURCE)


@pytest.fixture(scope="module")
def float_oracle_ns(fuzz_dir) -> dict:
    return pt.load_oracle(fuzz_dir / "float_expr_fuzz.py", FLOAT_SOURCE)


def test_int_oracle_agrees_with_cpython_when_nothing_overflows(int_oracle_ns):
    """The node-by-node oracle is CPython itself whenever no intermediate leaves 64 bits."""
    checked = 0
    for i, (name, tree) in enumerate(INT_FUNCS):
        for a, b, c in _int_inputs(i):
            exp = pt.run_outcome(tree.eval, ({"a": a, "b": b, "c": c},))
            if isinstance(exp, pt.Raises) and exp.exc is OverflowError:
                continue
            act = pt.run_outcome(int_oracle_ns[name], (a, b, c))
            assert pt.same_outcome(exp, act), f"{name}: {tree.text()} at {(a, b, c)}: {exp!r} vs {act!r}"
            checked += 1
    assert checked > N_FUNCS * N_INPUTS // 4


@pytest.mark.parametrize("backend", ["jit", "aot"])
def test_int_expressions(backend, fuzz_dir, backends):
    mod = backends.module(backend, fuzz_dir / "int_expr_fuzz.py")
    failures = []
    for i, (name, tree) in enumerate(INT_FUNCS):
        fn = getattr(mod, name)
        rows = []
        for a, b, c in _int_inputs(i):
            exp = pt.run_outcome(tree.eval, ({"a": a, "b": b, "c": c},))
            if isinstance(exp, pt.Raises) and exp.exc is OverflowError:
                exp = pt.Raises(OverflowError)  # pycc's message, not the oracle's
            act = pt.run_outcome(fn, (a, b, c))
            if not pt.same_outcome(exp, act):
                rows.append((pt.show_call(name, (a, b, c)), exp, act))
        if rows:
            failures.append(pt.mismatch_report(f"{name}: return {tree.text()}", rows, N_INPUTS, limit=3))
    assert not failures, f"{len(failures)} of {len(INT_FUNCS)} functions differ (seed {SEED}):\n" + "\n".join(failures)


@pytest.mark.parametrize("backend", ["jit", "aot"])
def test_float_expressions(backend, fuzz_dir, float_oracle_ns, backends):
    mod = backends.module(backend, fuzz_dir / "float_expr_fuzz.py")
    failures = []
    for i, (name, text) in enumerate(FLOAT_FUNCS):
        fn = getattr(mod, name)
        rows = []
        for x, y, a in _float_inputs(i):
            exp = pt.run_outcome(float_oracle_ns[name], (x, y, a))
            act = pt.run_outcome(fn, (x, y, a))
            if not pt.same_outcome(exp, act):
                rows.append((pt.show_call(name, (x, y, a)), exp, act))
        if rows:
            failures.append(pt.mismatch_report(f"{name}: return ({text}) * 1.0", rows, N_INPUTS, limit=3))
    assert not failures, f"{len(failures)} of {len(FLOAT_FUNCS)} functions differ (seed {SEED}):\n" + "\n".join(failures)
