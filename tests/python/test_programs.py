"""Whole programs nobody wrote for pycc (`tests/programs/`: pyperformance-style benchmarks,
plain untyped Python) compile unchanged and print what CPython prints, under
`compile_file` and as `pycc build` modules, each in a fresh interpreter."""

import pathlib
import subprocess
import sys

import pytest

PROGRAMS = sorted((pathlib.Path(__file__).resolve().parents[1] / "programs").glob("*.py"))


def run(args, cwd):
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("path", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_prints_what_cpython_prints(path, tmp_path):
    expected = run([str(path)], tmp_path)
    assert expected.returncode == 0, expected.stderr
    assert expected.stdout.strip(), "the program prints its results"
    # `__name__ == "__main__"`: compile_file runs the module's code as the main module.
    jit = run(["-c", f"import pycc; pycc.compile_file({str(path)!r}, '__main__')"], tmp_path)
    assert jit.returncode == 0, jit.stderr
    assert jit.stdout == expected.stdout
    built = run(["-m", "pycc", "build", str(path), "-o", str(tmp_path)], tmp_path)
    assert built.returncode == 0, built.stderr
    # An extension module cannot be `__main__`: import it and call what the main block calls.
    aot = run(["-c", f"import runpy; runpy.run_path({str(path)!r}, run_name='__main__')"], tmp_path)
    assert aot.returncode == 0, aot.stderr
    assert aot.stdout == expected.stdout
