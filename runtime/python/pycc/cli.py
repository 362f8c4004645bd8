"""The `pycc` console script: the same command line as the Rust binary (`pycc_cli::run`).

`pycc bench` runs Python code (CPython, Cython, Numba side by side), so it is handled here;
everything else goes to the compiler's command line through `_pycc.cli_main`.
"""

import sys


def main(argv=None):
    if argv is None:
        argv = sys.argv[1:]
    argv = [str(a) for a in argv]
    if argv[:1] == ["bench"]:
        from .bench import main as bench_main

        return bench_main(argv[1:])
    from . import _pycc

    # The Rust side writes to the process's stdout/stderr directly: flush Python's first.
    sys.stdout.flush()
    sys.stderr.flush()
    return _pycc.cli_main(argv)
