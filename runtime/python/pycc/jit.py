"""`@jit`: compile a typed Python function with pycc when it is defined (or first called).

    @pycc.jit
    def hypot(x: float, y: float) -> float:
        return math.sqrt(x * x + y * y)

The decorator reads the function's source (`inspect`), cuts out the `def` (the `@jit` line
and any decorator above it are blanked, so line numbers stay those of your file), adds the
source of every `@jit` function it calls (transitively, found through the function's
globals) and the imports its globals imply (`math`, `from math import sqrt`, `cython`),
and compiles the lot with `pycc._pycc.compile_source`. The result is the compiled-function
object itself (`py_func` / `__wrapped__` are the original). Compile errors raise
`pycc.CompileError`, pointing at your file's lines.

When a name the function uses is not defined yet (a function defined further down the
file), compiling waits for the first call: `@jit` then returns a `LazyJitFunction`, which
compiles on its first call, replaces itself in its module's globals with the compiled
function, and forwards calls to it (a Python-level call slower than the compiled object,
for callers that kept a reference to it).

Known limits: a callee must be called by its own name (`from m import f as g` is not
followed); callees from another file are compiled after the caller's lines, so their
diagnostics carry wrong line numbers; directives (`boundscheck`, ...) of the decorated
function apply to the callees compiled with it; columns of nested (indented) functions are
those of the dedented text.
"""

import sys

#: The options `jit()` accepts (Numba's names plus Cython's directives).
OPTIONS = (
    "nopython",
    "nogil",
    "cache",
    "fastmath",
    "boundscheck",
    "wraparound",
    "cdivision",
    "inline",
    "error_model",
    "parallel",
)
_BOOL_OPTIONS = ("nopython", "nogil", "cache", "fastmath", "boundscheck", "wraparound", "cdivision", "parallel")
# Options that become `# cython:` directives in the compiled source.
_DIRECTIVES = ("boundscheck", "wraparound", "cdivision")
_JIT_NAMES = ("jit", "njit")


def _check_options(options):
    for name, value in options.items():
        if name not in OPTIONS:
            raise TypeError(
                f"jit() got an unexpected keyword argument {name!r} (accepted: {', '.join(OPTIONS)})"
            )
        if name in _BOOL_OPTIONS and not isinstance(value, bool):
            raise TypeError(f"jit() argument {name!r} must be True or False, not {type(value).__name__}")
        if name == "error_model" and value not in ("python", "numpy"):
            raise ValueError(f"jit() argument 'error_model' must be 'python' or 'numpy', not {value!r}")
        if name == "inline" and not (isinstance(value, bool) or value in ("never", "always")):
            raise ValueError(f"jit() argument 'inline' must be 'never', 'always' or a bool, not {value!r}")


def jit(fn=None, **options):
    """Compiles a typed function with pycc. Use as `@jit`, `@jit()` or `@jit(option=...)`.

    Options (accepted and recorded as `f.__pycc_options__`): `boundscheck`, `wraparound`,
    `cdivision` (Cython directives for the compiled source), `nogil` (calls release the
    GIL), and, without effect so far, `nopython` (always true), `cache`, `fastmath`,
    `inline`, `error_model`, `parallel`.
    """
    _check_options(options)
    if fn is None:

        def decorate(f):
            return _jit_function(f, options)

        return decorate
    if isinstance(fn, str):
        raise TypeError("pycc.jit takes no signature string: annotate the function's parameters instead")
    return _jit_function(fn, options)


#: Numba's name; the same decorator (pycc always compiles without the Python object layer).
njit = jit


def _jit_function(fn, options):
    target = _jit_target(fn)
    if target is not None:
        fn = target
    if type(fn) is not type(_jit_function):
        raise TypeError(f"@jit needs a function defined with `def`, not {type(fn).__name__!r}")
    group = _Group(fn)
    if not group.unresolved:
        return _compile(fn, options, group)
    return LazyJitFunction(fn, options)


class LazyJitFunction:
    """A `@jit` function whose callees were not all defined at decoration: it compiles on its
    first call, then replaces itself in its module's globals with the compiled function and
    forwards calls to it (one Python call slower, only for references kept to this object).
    """

    def __init__(self, fn, options):
        import _thread

        self.py_func = fn
        self.__wrapped__ = fn
        self.__module__ = fn.__module__
        self.__name__ = fn.__name__
        self.__qualname__ = fn.__qualname__
        self.__doc__ = fn.__doc__
        self.__pycc_options__ = dict(options)
        self._compiled = None
        self._lock = _thread.allocate_lock()

    def compile(self):
        """Compiles now (if not done yet) and returns the compiled function."""
        with self._lock:
            if self._compiled is None:
                self._compiled = _compile(self.py_func, self.__pycc_options__, _Group(self.py_func))
                namespace = self.py_func.__globals__
                if namespace.get(self.__name__) is self:
                    namespace[self.__name__] = self._compiled
        return self._compiled

    def __call__(self, *args, **kwargs):
        compiled = self._compiled
        if compiled is None:
            compiled = self.compile()
        return compiled(*args, **kwargs)

    @property
    def __signature__(self):
        import inspect

        return inspect.signature(self.py_func)

    def __repr__(self):
        state = "compiled" if self._compiled is not None else "not compiled yet"
        return f"<pycc lazy function {self.__qualname__} ({state})>"


def _jit_target(value):
    """The Python function behind a `@jit` object (compiled or lazy), else None."""
    if isinstance(value, LazyJitFunction):
        return value.py_func
    if type(value).__name__ == "CompiledFunction":
        from . import _pycc

        if isinstance(value, _pycc.CompiledFunction):
            return value.__dict__.get("py_func")
    return None


class _Source:
    """One function's source, ready to be placed in a compiled unit: `lines[i]` is line
    `first_line + i` of `filename`, dedented, with the `@jit` decorator (and any decorator
    above it, which applies to the compiled object, not to what is compiled) blanked."""

    __slots__ = ("fn", "filename", "first_line", "lines", "names")

    def __init__(self, fn):
        import ast
        import inspect
        import textwrap

        from .errors import CompileError

        self.fn = fn
        code = fn.__code__
        self.filename = code.co_filename
        try:
            lines, first_line = inspect.getsourcelines(fn)
        except (OSError, TypeError) as exc:
            raise CompileError(
                f"{self.filename}:{code.co_firstlineno}: error: pycc needs the source of `{fn.__qualname__}` "
                f"and cannot read it ({exc}); define the function in a file"
            ) from None
        text = textwrap.dedent("".join(lines))
        try:
            tree = ast.parse(text)
        except SyntaxError as exc:
            raise CompileError(
                f"{self.filename}:{first_line}: error: cannot parse the source of `{fn.__qualname__}` ({exc.msg})"
            ) from None
        node = tree.body[0] if tree.body else None
        if not isinstance(node, ast.FunctionDef):
            raise CompileError(
                f"{self.filename}:{first_line}: error: @jit needs a function defined with `def` "
                f"(`{fn.__qualname__}` is not)"
            )
        text_lines = text.splitlines(keepends=True)
        decorators = node.decorator_list
        jit_positions = [i for i, d in enumerate(decorators) if _is_jit_decorator(d, fn.__globals__)]
        blanked = decorators[: max(jit_positions) + 1] if jit_positions else []
        for deco in blanked:
            for lineno in range(deco.lineno, deco.end_lineno + 1):
                text_lines[lineno - 1] = "\n"
        if text_lines and not text_lines[-1].endswith("\n"):
            text_lines[-1] += "\n"
        self.first_line = first_line
        self.lines = text_lines
        kept = decorators[len(blanked):]
        self.names = _free_names(node, kept)

    def start(self):
        """The file line of the first non-blank line."""
        for i, line in enumerate(self.lines):
            if line.strip():
                return self.first_line + i
        return self.first_line

    def body(self):
        """The lines from `start()` on."""
        return self.lines[self.start() - self.first_line:]


def _is_jit_decorator(node, namespace):
    import ast

    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr in _JIT_NAMES
    if isinstance(node, ast.Name):
        if node.id in _JIT_NAMES:
            return True
        value = namespace.get(node.id)
        return value is jit or value is njit
    return False


def _free_names(node, decorators):
    """Names the function reads that it does not bind itself (globals or builtins)."""
    import ast

    roots = [node.args, *node.body, *decorators]
    if node.returns is not None:
        roots.append(node.returns)
    bound = set()
    loaded = set()
    args = node.args
    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
        if arg is not None:
            bound.add(arg.arg)
    declared_global = set()
    for root in roots:
        for sub in ast.walk(root):
            if isinstance(sub, ast.Name):
                if isinstance(sub.ctx, ast.Load):
                    loaded.add(sub.id)
                else:
                    bound.add(sub.id)
            elif isinstance(sub, (ast.Global, ast.Nonlocal)):
                declared_global.update(sub.names)
            elif isinstance(sub, (ast.FunctionDef, ast.ClassDef)) and sub is not node:
                bound.add(sub.name)
            elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                for alias in sub.names:
                    bound.add((alias.asname or alias.name).split(".")[0])
    return loaded - (bound - declared_global)


class _Group:
    """A function and every `@jit` function it calls, transitively, with the imports their
    globals imply and the names that resolve to nothing yet."""

    def __init__(self, fn):
        self.sources = []
        self.imports = set()
        self.unresolved = set()
        # Names bound to Python objects pycc does not compile (plain functions, classes):
        # left in the source, and explained if the compiler reports them.
        self.python_globals = {}
        queue = [fn]
        seen_names = {fn.__name__}
        while queue:
            current = queue.pop(0)
            source = _Source(current)
            self.sources.append(source)
            namespace = current.__globals__
            builtins = namespace.get("__builtins__", {})
            builtins = builtins if isinstance(builtins, dict) else vars(builtins)
            for name in sorted(source.names):
                if name == current.__name__:
                    continue
                if name not in namespace:
                    if name not in builtins:
                        self.unresolved.add(name)
                    continue
                value = namespace[name]
                callee = _jit_target(value)
                if callee is not None:
                    if callee.__name__ == name and name not in seen_names:
                        seen_names.add(name)
                        queue.append(callee)
                    continue
                statement = _import_for(name, value)
                if statement is not None:
                    self.imports.add(statement)
                elif type(value) is not type(sys):
                    self.python_globals.setdefault(name, value)

    def text(self, options):
        """The compiled unit's source and its `line_offset`: the functions from the main
        function's file sit at their own line numbers (blank lines between them)."""
        main = self.sources[0]
        header = []
        directives = [f"{name}={options[name]}" for name in _DIRECTIVES if name in options]
        if directives:
            header.append("# cython: " + ", ".join(directives) + "\n")
        if self.imports:
            header.append("; ".join(sorted(self.imports)) + "\n")
        same_file = sorted((s for s in self.sources if s.filename == main.filename), key=_Source.start)
        other_files = [s for s in self.sources if s.filename != main.filename]
        line_offset = max(0, same_file[0].start() - 1 - len(header))
        out = list(header)
        for source in same_file:
            target = source.start() - line_offset
            if len(out) + 1 < target:
                out.extend(["\n"] * (target - 1 - len(out)))
            out.extend(source.body())
        for source in other_files:
            out.append("\n")
            out.extend(source.body())
        return "".join(out), line_offset


_math_names = None


def _import_for(name, value):
    """The import statement that binds `name` to `value` in the compiled source, for the
    modules pycc knows (`math`, `cython`, `numpy`); None for anything else."""
    global _math_names
    math = sys.modules.get("math")
    if math is not None:
        if value is math:
            return "import math" if name == "math" else f"import math as {name}"
        if _math_names is None:
            _math_names = {id(v): k for k, v in vars(math).items() if not k.startswith("_")}
        math_name = _math_names.get(id(value))
        if math_name is not None and getattr(math, math_name, None) is value:
            return f"from math import {math_name}" + ("" if math_name == name else f" as {name}")
    cython = sys.modules.get("cython")
    is_cython = (cython is not None and value is cython) or (
        type(value) is type(sys) and value.__name__ in ("cython", "pycc.shadow")
    )
    if is_cython:
        return "import cython" if name == "cython" else f"import cython as {name}"
    numpy = sys.modules.get("numpy")
    if numpy is not None and value is numpy:
        return "import numpy" if name == "numpy" else f"import numpy as {name}"
    # Annotations: `typing` (and `typing_extensions`, `mypy_extensions`) and their names.
    for module_name in ("typing", "typing_extensions", "mypy_extensions"):
        module = sys.modules.get(module_name)
        if module is None:
            continue
        if value is module:
            return f"import {module_name}" if name == module_name else f"import {module_name} as {name}"
        for attr in (name, getattr(value, "_name", None), getattr(value, "__name__", None)):
            if isinstance(attr, str) and not attr.startswith("_") and getattr(module, attr, None) is value:
                return f"from {module_name} import {attr}" + ("" if attr == name else f" as {name}")
    return None


def _compile(fn, options, group):
    from . import _pycc
    from .errors import CompileError

    text, line_offset = group.text(options)
    nogil = [fn.__name__] if options.get("nogil") else []
    python_globals = [(name, _kind_of(value)) for name, value in group.python_globals.items()]
    namespace = _pycc.compile_source(
        text, fn.__module__ or "__main__", group.sources[0].filename, "py", line_offset, nogil=nogil,
        python_globals=python_globals, globals=fn.__globals__, unit=True,
    )
    compiled = namespace.get(fn.__name__)
    if compiled is None:
        raise CompileError(
            f"{group.sources[0].filename}:{fn.__code__.co_firstlineno}: error: `{fn.__qualname__}` was compiled "
            f"but is not callable from Python (is it a `cdef` / `@cython.cfunc` function?)"
        )
    attrs = compiled.__dict__
    attrs.update(fn.__dict__)
    attrs["__name__"] = fn.__name__
    attrs["__qualname__"] = fn.__qualname__
    attrs["__module__"] = fn.__module__
    attrs["__doc__"] = fn.__doc__
    attrs["__annotations__"] = getattr(fn, "__annotations__", {})
    attrs["py_func"] = fn
    attrs["__wrapped__"] = fn
    attrs["__pycc_options__"] = dict(options)
    attrs["__pycc_source__"] = text
    return compiled


def _kind_of(value):
    """How a diagnostic names a module global: `function`, `class`, or its type's name."""
    if isinstance(value, type):
        return "class"
    if hasattr(value, "__code__"):
        return "function"
    return type(value).__name__
