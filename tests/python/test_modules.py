"""Module-level code: the module's own statements run when the module is made (JIT
`compile_file` and AOT import), in source order, with CPython's results, output and errors.
Each program runs under CPython, under `pycc.compile_file` and as a `pycc build` module, in
fresh interpreters; their output must be identical."""

import os
import subprocess
import sys
import textwrap

import pytest

import pycc
from pycc.errors import CompileError

PROGRAM = '''
"""A module with code of its own."""
import math
from collections import defaultdict, OrderedDict
import os.path as osp
from os import path

LIMIT = 30
SQUARES = []
for i in range(LIMIT):
    if i % 3 == 0:
        SQUARES.append(i * i)
TABLE = {k: v for k, v in zip("abc", SQUARES)}
counts = defaultdict(int)
for word in "the cat and the hat and the bat".split():
    counts[word] += 1
counter = 0
name_seen = __name__ == "prog"


def bump(k: int) -> int:
    global counter
    counter += k
    return counter


def total(n: int) -> int:
    s = 0
    for j in range(n):
        s += j * j
    return s


def describe(x):
    return str(x) + "/" + str(LIMIT)


def rebind():
    global LIMIT
    LIMIT = LIMIT * 2
    return LIMIT


print("squares", SQUARES)
print("table", sorted(TABLE.items()))
print("counts", sorted(counts.items()))
print("bump", bump(3), bump(4), counter)
print("total", total(LIMIT), math.sqrt(total(4)), osp.join("a", "b"), path is osp)
print("describe", describe(7), rebind(), describe(7))
del word
x, y = divmod(LIMIT, 7)
print("unpacked", x, y, type(OrderedDict()).__name__)
if __name__ == "__main__":
    print("main")
'''


def run_three(tmp_path, source, stem="prog"):
    """stdout (and return codes) of CPython, `compile_file` and a `pycc build` module."""
    src = tmp_path / f"{stem}.py"
    src.write_text(textwrap.dedent(source))
    env = dict(os.environ)
    cpython = subprocess.run([sys.executable, "-c", f"import {stem}"], cwd=tmp_path, capture_output=True, text=True, env=env)
    jit = subprocess.run(
        [sys.executable, "-c", f"import pycc; pycc.compile_file({str(src)!r}, {stem!r})"],
        cwd=tmp_path, capture_output=True, text=True, env=env,
    )
    build_dir = tmp_path / "aot"
    build_dir.mkdir()
    built = subprocess.run([sys.executable, "-m", "pycc", "build", str(src), "-o", str(build_dir)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    aot = subprocess.run([sys.executable, "-c", f"import {stem}"], cwd=build_dir, capture_output=True, text=True, env=env)
    return cpython, jit, aot


def test_module_code_runs_as_cpython_runs_it(tmp_path):
    cpython, jit, aot = run_three(tmp_path, PROGRAM)
    assert cpython.returncode == 0, cpython.stderr
    assert jit.returncode == 0, jit.stderr
    assert aot.returncode == 0, aot.stderr
    assert "squares [0, 9, 36" in cpython.stdout
    assert jit.stdout == cpython.stdout
    assert aot.stdout == cpython.stdout


def test_module_namespace_after_import(tmp_path):
    m = pycc.compile_source(PROGRAM, "prog")
    assert m.SQUARES == [i * i for i in range(30) if i % 3 == 0]
    assert m.counter == 7 and m.bump(1) == 8 and m.counter == 8
    assert m.LIMIT == 60 and m.rebind() == 120 and m.LIMIT == 120
    assert "word" not in vars(m) and m.math.pi == 3.141592653589793
    assert m.__doc__ == "A module with code of its own."


def test_errors_at_module_level_are_cpython_errors(tmp_path):
    cases = {
        "name": ("x = 1\nprint(undefined_thing)\n", "NameError: name 'undefined_thing' is not defined"),
        "import": ("from os import no_such_name\n", "ImportError: cannot import name 'no_such_name' from 'os'"),
        "module": ("import no_such_module_pycc\n", "ModuleNotFoundError: No module named 'no_such_module_pycc'"),
        "zero": ("a = 1\nb = a // 0\n", "ZeroDivisionError"),
        "unpack": ("a, b = [1, 2, 3]\n", "ValueError: too many values to unpack (expected 2)"),
        "delete": ("del nothing_here\n", "NameError: name 'nothing_here' is not defined"),
    }
    for stem, (source, message) in cases.items():
        sub = tmp_path / stem
        sub.mkdir()
        results = run_three(sub, source, f"err_{stem}")
        for r in results:
            assert r.returncode != 0
            assert message in r.stderr, (stem, r.stderr)
        # The traceback names the module's line, as CPython's does.
        line = source.strip().count("\n") + 1
        for r in results[1:]:
            assert f"line {line}" in r.stderr and "<module>" in r.stderr, (stem, r.stderr)


def test_compile_source_raises_the_module_error():
    with pytest.raises(ZeroDivisionError):
        pycc.compile_source("x = 0\ny = 1 // x\n", "modzero")


PYX = '''
cdef int counter = 0
cdef double scale = 2.5
cdef object cache
cdef list items = []
N = 4

def bump(int k):
    global counter
    counter += k
    return counter

def scaled(double x):
    return x * scale

def remember(x):
    global cache
    old = cache
    cache = x
    return old

def fill():
    for i in range(N):
        items.append(i)
    return items
'''


def test_cdef_globals_are_c_globals_of_the_module():
    m = pycc.compile_source(PYX, "cglobals", kind="pyx")
    assert m.bump(3) == 3 and m.bump(4) == 7
    assert m.scaled(2.0) == 5.0
    assert m.remember("a") is None and m.remember("b") == "a"
    assert m.fill() == [0, 1, 2, 3]
    # As in Cython, C globals are not in the module's dict; Python globals are.
    assert not any(hasattr(m, n) for n in ("counter", "scale", "cache", "items"))
    assert m.N == 4
    with pytest.raises(OverflowError):
        m.bump(2**31)


def test_object_c_global_references():
    m = pycc.compile_source(PYX, "cglobals_refs", kind="pyx")
    token = object()
    before = sys.getrefcount(token)
    m.remember(token)
    assert sys.getrefcount(token) == before + 1
    m.remember(None)
    assert sys.getrefcount(token) == before


def test_unknown_cimport_is_still_an_error():
    with pytest.raises(CompileError, match="module `libcpp.vector` is not supported"):
        pycc.compile_source("from libcpp.vector cimport vector\n", "cimp", kind="pyx")


def test_example_module_prints_what_cpython_prints(tmp_path):
    """`examples/wordfreq.py`: a typical module (untyped helpers, a typed hot loop, a
    module-level table, printed results) unchanged under CPython, JIT and AOT."""
    example = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "wordfreq.py")
    with open(example, encoding="utf-8") as f:
        source = f.read()
    cpython, jit, aot = run_three(tmp_path, source, "wordfreq")
    assert cpython.returncode == 0 and "longest chain" in cpython.stdout, cpython.stderr
    assert jit.stdout == cpython.stdout, jit.stderr
    assert aot.stdout == cpython.stdout, aot.stderr


def test_low_level_compile_source_without_globals_returns_the_namespace():
    from pycc import _pycc

    ns = _pycc.compile_source("X = [1, 2]\n\ndef f():\n    return X\n", "lowlevel", "<lowlevel>", "py")
    assert ns["X"] == [1, 2] and ns["f"]() == [1, 2]


CACHED = '''
K = 1


def read():
    return K, repr(-3), divmod(7, 2)


def loop(n):
    out = []
    for i in range(n):
        out.append(K + divmod(i, 2)[0])
    return out
'''

# The same program as a script: each step rebinds or deletes a global or a builtin, then
# prints what the compiled functions see (a cached `LoadGlobal` must see every change).
# (`abs`, `len`, `min`, ... are compiled as the builtins, as in Cython: not rebound here.)
CACHED_STEPS = '''
import builtins
print(read(), loop(3))
K = 5
print(read(), loop(3))
repr = lambda x: "module repr"
print(read())
del repr
print(read())
saved = builtins.divmod
builtins.divmod = lambda a, b: (len(str(a)), b)
print(read(), loop(2))
builtins.divmod = saved
print(read())
globals().update(K=7)
print(read(), loop(2))
del K
try:
    read()
except NameError as e:
    print("NameError", e)
K = 9
print(read())
'''


def test_global_lookups_see_every_rebinding(tmp_path):
    # `lambda` is Python here: the steps run in the module's namespace through exec.
    src = CACHED + "\nexec(compile(" + repr(CACHED_STEPS) + ", 'steps', 'exec'), globals())\n"
    cpython, jit, aot = run_three(tmp_path, src)
    assert cpython.returncode == 0, cpython.stderr
    assert "NameError name 'K' is not defined" in cpython.stdout
    assert jit.stdout == cpython.stdout, jit.stderr
    assert aot.stdout == cpython.stdout, aot.stderr


DEFAULTS = '''
calls = []


def make(tag):
    calls.append(tag)
    return [tag]


TABLE = [1, 2, 3]


def first(xs=TABLE, k=len(TABLE) * 2, tag=make("f")):
    tag.append(len(tag))
    return xs[0], k, tag


def second(a, b=make("s") + TABLE, *, c=None):
    return a, b, c


def caller():
    # Compiled calls that omit the arguments read the same default objects.
    return first(), second(1), first([9])


ACC = []


def collect(x, acc=ACC):
    acc.append(x)
    return len(acc)


collect(1)
collect(2)
print("shared default", ACC, collect(3), ACC)
TABLE = [7]
print("calls at def time", calls)
print(first(), first())
print(second(0), second(0, [5]))
print(caller())
'''


def test_defaults_are_evaluated_when_the_def_runs(tmp_path):
    cpython, jit, aot = run_three(tmp_path, DEFAULTS.replace("c=None", "c=make('k')"))
    assert cpython.returncode == 0, cpython.stderr
    assert "calls at def time ['f', 's', 'k']" in cpython.stdout
    assert jit.stdout == cpython.stdout, jit.stderr
    assert aot.stdout == cpython.stdout, aot.stderr
