"""`pycc build`, `pycc check`, `pycc translate` and `pycc bench`, run as a user runs them:
as a subprocess, checking the files written, the exit status and what is printed."""

import os
import subprocess
import sys
import sysconfig
import textwrap

import pytest

EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples")


def pycc(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "pycc", *args], cwd=cwd, env=env, capture_output=True, text=True)


def run_python(code, cwd, env=None):
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)


SQUARE_PYX = textwrap.dedent('''\
    """A module docstring."""

    cdef int helper(int x):
        return x * x

    def square(int x):
        """Square of x."""
        return helper(x)

    cpdef double half(double x):
        return x / 2
''')


def test_build_writes_a_module_that_imports_in_a_fresh_interpreter(tmp_path):
    (tmp_path / "example.pyx").write_text(SQUARE_PYX)
    proc = pycc("build", "example.pyx", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / f"example{EXT_SUFFIX}").exists()
    assert f"compiled example.pyx -> example{EXT_SUFFIX} in " in proc.stdout
    code = ("import example, inspect; print(example.square(7), example.half(3.0), example.__doc__,"
            " example.square.__doc__, example.square.__name__, example.square.__module__, hasattr(example, 'helper'))")
    out = run_python(code, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["49", "1.5", "A", "module", "docstring.", "Square", "of", "x.", "square", "example", "False"]


def test_build_errors_print_every_diagnostic_exit_nonzero_and_write_nothing(tmp_path):
    (tmp_path / "bad.pyx").write_text("def f(int x):\n    return x @ x\n\ndef g(double z):\n    return z & 1\n")
    proc = pycc("build", "bad.pyx", cwd=tmp_path)
    assert proc.returncode != 0
    assert "bad.pyx:2:12: error: " in proc.stderr and "bad.pyx:5:12: error: " in proc.stderr
    assert "    return x @ x" in proc.stderr and "^" in proc.stderr
    assert not any(p.name.startswith("bad") and p.suffix == ".so" for p in tmp_path.iterdir())


def test_unchanged_rebuild_is_skipped_and_force_rebuilds(tmp_path):
    (tmp_path / "m.py").write_text("def f(x: int) -> int:\n    return x + 1\n")
    assert pycc("build", "m.py", cwd=tmp_path).returncode == 0
    again = pycc("build", "m.py", cwd=tmp_path)
    assert again.returncode == 0 and "up to date" in again.stdout
    forced = pycc("build", "m.py", "--force", cwd=tmp_path)
    assert "compiled m.py" in forced.stdout
    (tmp_path / "m.py").write_text("def f(x: int) -> int:\n    return x + 2\n")
    changed = pycc("build", "m.py", cwd=tmp_path)
    assert "compiled m.py" in changed.stdout
    assert run_python("import m; print(m.f(1))", cwd=tmp_path).stdout.strip() == "3"


def test_output_dir_and_several_files(tmp_path):
    (tmp_path / "a.py").write_text("def fa(x: float) -> float:\n    return x * 2.0\n")
    (tmp_path / "b.pyx").write_text("def fb(long n):\n    return n - 1\n")
    out = tmp_path / "out"
    proc = pycc("build", "a.py", "b.pyx", "-o", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    res = run_python("import a, b; print(a.fa(1.25), b.fb(10))", cwd=out)
    assert res.stdout.split() == ["2.5", "9"], res.stderr


def test_two_sources_with_one_stem_into_one_directory_are_refused(tmp_path):
    # Issue 7, finding 11: they used to overwrite each other silently.
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "m.py").write_text("def f(a: int) -> int:\n    return a + 1\n")
    (tmp_path / "y" / "m.pyx").write_text("def f(int a):\n    return a + 2\n")
    proc = pycc("build", "x/m.py", "y/m.pyx", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 1
    assert "x/m.py and y/m.pyx would both be built as module `m`" in proc.stderr
    assert not (tmp_path / "out" / f"m{EXT_SUFFIX}").exists()
    # Into their own directories they build; the same file twice builds once.
    proc = pycc("build", "x/m.py", "y/m.pyx", "x/m.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert run_python("import m; print(m.f(1))", cwd=tmp_path / "y").stdout.strip() == "3"


def test_non_ascii_module_names_import(tmp_path):
    # Issue 7, finding 10: CPython looks up `PyInitU_<punycode>` for a non-ASCII name.
    (tmp_path / "café.py").write_text("def f(a: int) -> int:\n    return a * 3\n")
    proc = pycc("build", "café.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    res = run_python("import café; print(café.f(2), café.__name__, café.f.__module__)", cwd=tmp_path)
    assert res.stdout.split() == ["6", "café", "café"], res.stderr


def test_too_many_parameters_is_a_compile_error(tmp_path):
    params = ", ".join(f"a{i}: int" for i in range(40))
    (tmp_path / "wide.py").write_text(f"def f({params}) -> int:\n    return a0\n")
    for command in ("check", "build"):
        proc = pycc(command, "wide.py", cwd=tmp_path)
        assert proc.returncode == 1, proc.stdout
        assert "wide.py:1:5: error: `f` has 40 parameters; a function called from Python may have at most 32" in proc.stderr
    assert not (tmp_path / f"wide{EXT_SUFFIX}").exists()


@pytest.mark.parametrize("kind,suffix,needle", [("clif", ".clif", "function"), ("tir", ".tir", "square"), ("obj", ".o", None)])
def test_emit_writes_the_intermediate_instead_of_a_module(tmp_path, kind, suffix, needle):
    (tmp_path / "example.pyx").write_text(SQUARE_PYX)
    proc = pycc("build", "example.pyx", "--emit", kind, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    target = tmp_path / f"example{suffix}"
    assert target.exists()
    assert not (tmp_path / f"example{EXT_SUFFIX}").exists()
    if needle:
        assert needle in target.read_text()
    else:
        assert target.read_bytes()[:4] == b"\x7fELF"


def test_built_module_without_the_runtime_fails_with_a_clear_import_error(tmp_path):
    (tmp_path / "example.pyx").write_text(SQUARE_PYX)
    assert pycc("build", "example.pyx", cwd=tmp_path).returncode == 0
    # Hide the installed pycc package: an import hook that refuses it.
    code = textwrap.dedent("""
        import sys
        class Refuse:
            def find_spec(self, name, path=None, target=None):
                if name == "pycc" or name.startswith("pycc."):
                    raise ModuleNotFoundError("No module named 'pycc'")
        sys.meta_path.insert(0, Refuse())
        try:
            import example
        except ImportError as e:
            print("ImportError:", e)
    """)
    out = run_python(code, cwd=tmp_path)
    assert "ImportError:" in out.stdout, out.stderr
    assert "pycc" in out.stdout and "install" in out.stdout


def test_missing_linker_is_one_clear_line(tmp_path):
    (tmp_path / "m.py").write_text("def f(x: int) -> int:\n    return x\n")
    env = dict(os.environ, CC="/nonexistent/cc-for-pycc-test")
    proc = pycc("build", "m.py", cwd=tmp_path, env=env)
    assert proc.returncode != 0
    assert "no C compiler to link with" in proc.stderr
    assert not (tmp_path / f"m{EXT_SUFFIX}").exists()


def test_translate_prints_python_that_cpython_runs(tmp_path):
    (tmp_path / "example.pyx").write_text(SQUARE_PYX)
    proc = pycc("translate", "example.pyx", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    namespace = {}
    exec(proc.stdout, namespace)
    assert namespace["square"](7) == 49 and namespace["half"](3.0) == 1.5


def test_check_reports_ok_or_errors(tmp_path):
    (tmp_path / "good.py").write_text("def f(x: int) -> int:\n    return x\n")
    (tmp_path / "bad.py").write_text("def f(x: int) -> int:\n    return x + 1j\n")
    assert pycc("check", "good.py", cwd=tmp_path).returncode == 0
    bad = pycc("check", "bad.py", cwd=tmp_path)
    assert bad.returncode == 1 and "bad.py:2:" in bad.stderr


def test_bench_prints_a_table_with_agreeing_results(tmp_path):
    json_path = tmp_path / "figures.json"
    proc = pycc("bench", os.path.join(EXAMPLES, "fib.pyx"), "--call", "fib(15)", "--call", "fib_iter(40)",
                "--repeat", "2", "--json", str(json_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "| fib(15)" in proc.stdout and "speedup" in proc.stdout and "MISMATCH" not in proc.stdout
    import json
    figures = json.loads(json_path.read_text())
    assert [c["call"] for c in figures["calls"]] == ["fib(15)", "fib_iter(40)"]
    assert all(c["agree"] for c in figures["calls"])
    assert all(c["pycc"]["median"] > 0 for c in figures["calls"])


def test_bench_reports_a_mismatch_and_fails(tmp_path):
    # Python ints grow; pycc's `int` raises OverflowError instead: bench must say they differ.
    (tmp_path / "big.py").write_text("def sq(x: int) -> int:\n    return x * x\n")
    proc = pycc("bench", "big.py", "--call", "sq(2**40)", "--repeat", "1", cwd=tmp_path)
    assert proc.returncode == 1
    assert "MISMATCH" in proc.stdout and "OverflowError" in proc.stdout


def test_bench_against_a_missing_tool_says_so(tmp_path):
    (tmp_path / "m.py").write_text("def f(x: int) -> int:\n    return x + 1\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    # A fake `numba` that cannot be imported stands for "not installed".
    (tmp_path / "numba.py").write_text("raise ImportError('no numba here')\n")
    proc = pycc("bench", "m.py", "--call", "f(1)", "--repeat", "1", "--against", "numba", cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "not installed" in proc.stdout
