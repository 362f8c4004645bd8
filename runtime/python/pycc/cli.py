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
        from .benchmark import main as bench_main

        return bench_main(argv[1:])
    import os
    import sysconfig

    from . import _pycc

    # `pycc build` must target this interpreter, not whichever `python3` is on PATH.
    os.environ.setdefault("PYCC_EXT_SUFFIX", sysconfig.get_config_var("EXT_SUFFIX") or "")
    os.environ.setdefault("PYTHON", sys.executable)
    # The Rust side writes to the process's stdout/stderr directly: flush Python's first.
    sys.stdout.flush()
    sys.stderr.flush()
    return _pycc.cli_main(argv)
