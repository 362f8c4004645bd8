"""Compiling and calling from threads with small stacks, and deep recursion in each.

Issue 7, findings 3 and 4: compiled recursion in a thread with a 256 KiB stack crashed
(the stack limit fell below the thread's stack), and compiling in a thread with 80 KiB of
stack crashed inside Cranelift. Every case runs in a fresh interpreter, so a crash is a
failed test with the interpreter's output instead of a dead test run, and so that glibc has
no cached thread stack of another size to reuse.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap

import pytest

# The smallest stack `threading.stack_size` accepts is 32 KiB.
STACK_SIZES = [32 * 1024, 64 * 1024, 80 * 1024, 256 * 1024, 1024 * 1024]

PROGRAM = textwrap.dedent("""
    import sys, threading
    import pycc

    SOURCE = '''
    def depth(n: int) -> int:
        if n == 0:
            return 0
        return depth(n - 1) + 1


    def fib(n: int) -> int:
        if n < 2:
            return n
        return fib(n - 1) + fib(n - 2)
    '''

    results = []

    def work():
        try:
            mod = pycc.compile_source(SOURCE, "stackmod")
            results.append(("fib", mod.fib(20)))
            results.append(("shallow", mod.depth(100)))
            try:
                mod.depth(DEEP)
                results.append(("deep", "returned"))
            except RecursionError as e:
                results.append(("deep", "RecursionError: " + str(e)))
            # The thread still works after the error.
            results.append(("after", mod.depth(50)))
        except BaseException as e:
            results.append(("error", repr(e)))

    SIZE = int(sys.argv[1])
    DEEP = int(sys.argv[2])
    if SIZE:
        threading.stack_size(SIZE)
        t = threading.Thread(target=work)
        t.start()
        t.join()
    else:
        work()
    print(results)
""")


def run(size: int, deep: int, unlimited_stack: bool = False) -> list:
    def preexec():
        if unlimited_stack:
            resource.setrlimit(resource.RLIMIT_STACK, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))

    out = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(size), str(deep)], capture_output=True, text=True, timeout=300,
        preexec_fn=preexec,
    )
    assert out.returncode == 0, f"exit {out.returncode}\nstdout: {out.stdout}\nstderr: {out.stderr[-3000:]}"
    return eval(out.stdout)  # noqa: S307 - our own subprocess's repr of a list of tuples


@pytest.mark.parametrize("size", STACK_SIZES)
def test_compile_and_recurse_in_a_thread_with_a_small_stack(size):
    results = dict(run(size, 10**7))
    assert "error" not in results, results
    assert results["fib"] == 6765 and results["shallow"] == 100 and results["after"] == 50
    assert results["deep"].startswith("RecursionError: maximum recursion depth exceeded"), results


def test_deep_recursion_on_the_main_thread():
    results = dict(run(0, 10**8))
    assert results["deep"].startswith("RecursionError"), results
    assert results["after"] == 50


def test_deep_recursion_with_an_unlimited_stack_raises():
    # `ulimit -s unlimited`: the main thread's stack has no bound of its own; pycc bounds
    # compiled recursion at 256 MiB of stack (README), so this raises as CPython does.
    hard = resource.getrlimit(resource.RLIMIT_STACK)[1]
    if hard != resource.RLIM_INFINITY:
        pytest.skip("the hard stack limit is finite here")
    results = dict(run(0, 10**8, unlimited_stack=True))
    assert results["deep"].startswith("RecursionError"), results
    assert results["after"] == 50


DEEP_PROGRAM = textwrap.dedent("""
    import sys, threading
    import pycc

    results = []

    def work():
        chain = "def s(x: int) -> int:\\n    return " + " + ".join(["x"] * 990) + "\\n"
        results.append(("chain", pycc.compile_source(chain, "chain").s(3)))
        for name, src in [
            ("calls", "def f(x: int) -> int:\\n    return " + "abs(" * 10000 + "x" + ")" * 10000 + "\\n"),
            ("unary", "def f(x: int) -> int:\\n    return " + "-" * 10000 + "x\\n"),
            ("ifexp", "def f(x: int) -> int:\\n    return " + "x if x else (" * 10000 + "x" + ")" * 10000 + "\\n"),
            ("blocks", "def f(x: int) -> int:\\n" + "".join(" " * (i + 1) + "if x:\\n" for i in range(5000)) + " " * 5001 + "return x\\n    return 0\\n"),
        ]:
            try:
                pycc.compile_source(src, name)
                results.append((name, "compiled"))
            except pycc.CompileError as e:
                results.append((name, "too-deeply-nested" in str(e)))

    threading.stack_size(int(sys.argv[1]))
    t = threading.Thread(target=work)
    t.start()
    t.join()
    print(results)
""")


@pytest.mark.parametrize("size", [32 * 1024, 8 * 1024 * 1024])
def test_deep_source_is_a_diagnostic_in_any_thread(size):
    # Issue 7, finding 5: deep nesting crashed the front end. A 990-term chain compiles (as
    # CPython compiles it); 10,000 levels of anything are a `too-deeply-nested` error.
    out = subprocess.run([sys.executable, "-c", DEEP_PROGRAM, str(size)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, f"exit {out.returncode}\n{out.stderr[-3000:]}"
    results = dict(eval(out.stdout))  # noqa: S307 - our own subprocess's repr
    assert results == {"chain": 990 * 3, "calls": True, "unary": True, "ifexp": True, "blocks": True}, results
