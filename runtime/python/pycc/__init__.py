"""pycc: a Cython-like compiler for typed Python, written in Rust.

- `@pycc.jit` compiles a typed function when it is defined (or first called).
- `pycc.compile_source(text)` / `pycc.compile_file(path)` compile a whole `.py`/`.pyx` file
  in-process and return a module.
- `pycc build file.pyx` (the command line) writes an extension module.

Compile errors raise `pycc.CompileError`, with the diagnostics rendered as
`file:line:col: error[code]: message`; bugs in pycc raise `pycc.InternalCompilerError`.
"""

from .errors import CompileError, InternalCompilerError
from .jit import jit, njit
from .source import compile_file, compile_source

__version__ = "0.1.0"

__all__ = [
    "CompileError",
    "InternalCompilerError",
    "__version__",
    "bench",
    "compile_file",
    "compile_source",
    "jit",
    "njit",
]


def __getattr__(name):
    # `pycc.bench` imports argparse, statistics, subprocess, ...: only when used.
    if name == "bench":
        from .benchmark import bench

        globals()["bench"] = bench  # looked up once
        return bench
    raise AttributeError(f"module 'pycc' has no attribute {name!r}")
