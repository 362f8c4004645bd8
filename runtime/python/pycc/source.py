"""`compile_source` and `compile_file`: a whole `.py`/`.pyx` file compiled in-process."""

import sys

_ModuleType = type(sys)


def compile_source(text, name="mod", filename=None, kind=None, *, optimize=True):
    """Compiles `text` with pycc's JIT and returns a module object named `name` holding its
    exported functions (`def` and `cpdef`).

    `filename` is used in diagnostics and tracebacks (default `<pycc:NAME>`); `kind` is
    `"py"` or `"pyx"`, inferred from `filename`'s extension when not given (default `"py"`).
    Raises `pycc.CompileError` if the source has errors.
    """
    from . import _pycc

    if filename is None:
        filename = f"<pycc:{name}>"
    filename = str(filename)
    if kind is None:
        kind = "pyx" if filename.endswith((".pyx", ".pxi")) else "py"
    if kind not in ("py", "pyx"):
        raise ValueError(f"kind must be 'py' or 'pyx', not {kind!r}")
    module = _ModuleType(name)
    module.__file__ = filename
    namespace = _pycc.compile_source(text, name, filename, kind, optimize=optimize, globals=module.__dict__)
    module.__dict__.update(namespace)
    return module


def compile_file(path, name=None, *, optimize=True):
    """Reads `path` (a `.py` or `.pyx` file) and compiles it with `compile_source`; the
    module is named after the file's stem unless `name` is given."""
    import os

    path = os.fspath(path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if name is None:
        name = os.path.splitext(os.path.basename(path))[0]
    return compile_source(text, name, path, optimize=optimize)
