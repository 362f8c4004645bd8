"""The `pycc` package as installed: import cost, version, the console script's entry."""

import subprocess
import sys

import pytest

import pycc
from pycc import _pycc

# Modules `import pycc` must not load: the decorator needs them only when it is used.
HEAVY = {"inspect", "ast", "textwrap", "pycc._pycc", "pycc.benchmark", "argparse", "subprocess", "tempfile", "statistics"}


def test_import_pycc_is_light():
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import pycc"], capture_output=True, text=True, check=True
    )
    rows = [line.split("|") for line in proc.stderr.splitlines() if line.startswith("import time:")][1:]
    # Rows are in post-order: what `import pycc` loaded sits between the previous top-level
    # import (the interpreter's start-up, e.g. `site`) and the `pycc` row.
    top_level = [i for i, row in enumerate(rows) if not row[2].startswith("  ")]
    end = next(i for i in top_level if rows[i][2].strip() == "pycc")
    start = max([i for i in top_level if i < end], default=-1) + 1
    imported = {row[2].strip() for row in rows[start : end + 1]}
    assert "pycc.jit" in imported
    assert not (imported & HEAVY), sorted(imported & HEAVY)
    cumulative_us = int(rows[end][1])
    # About 0.5 ms with bytecode caches, a few ms without; 100 ms would mean a heavy import.
    assert cumulative_us < 100_000


def test_public_names_and_version():
    for name in ("jit", "njit", "compile_file", "compile_source", "CompileError", "InternalCompilerError"):
        assert hasattr(pycc, name), name
    assert pycc.__version__ == _pycc.__version__
    assert callable(pycc.bench)
    proc = subprocess.run(
        [sys.executable, "-c", "from pycc import bench; import pycc; print(bench is pycc.bench, type(bench).__name__)"],
        capture_output=True, text=True, check=True,
    )
    assert proc.stdout.split() == ["True", "function"]
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        pycc.nope


def test_command_line_through_the_package():
    proc = subprocess.run([sys.executable, "-m", "pycc", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"pycc {pycc.__version__}"
    proc = subprocess.run([sys.executable, "-m", "pycc", "frobnicate"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "unknown command `frobnicate`" in proc.stderr


def test_bench_is_handled_in_python():
    proc = subprocess.run([sys.executable, "-m", "pycc", "bench", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    assert "usage: pycc bench" in proc.stdout
