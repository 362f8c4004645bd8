"""Type stubs for the native module `pycc._pycc` (runtime/src/lib.rs)."""

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

__version__: str
#: The most parameters a function called from Python may have.
MAX_PARAMS: int
#: The capsule AOT modules import in their `PyInit` (`abi::AotApi`).
_C_API: object

class CompiledFunction:
    """A function compiled by pycc, called through vectorcall. Not instantiable from Python.

    `__name__`, `__qualname__`, `__module__`, `__doc__` (and `py_func`, `__wrapped__` for
    `@jit` functions) live in the instance `__dict__`."""

    __name__: str
    __qualname__: str
    __module__: str
    __doc__: Optional[str]
    __dict__: Dict[str, Any]
    #: Built on first use from `py_func` or the parameter descriptions; assignable.
    __signature__: Any
    #: `((name, C type name, has_default, default), ...)`.
    __pycc_params__: Tuple[Tuple[str, str, bool, Any], ...]
    __pycc_param_kinds__: Tuple[str, ...]
    #: The ABI name of the return type: `i64`, `f64`, `bool`, `void`, ...
    __pycc_return__: str
    #: Whether calls release the GIL.
    __pycc_nogil__: bool
    def __call__(self, *args: Any, **kwargs: Any) -> Any: ...

def compile_source(
    source: str,
    module_name: str,
    filename: str,
    kind: Optional[str] = None,
    line_offset: int = 0,
    optimize: bool = True,
    nogil: Sequence[str] = (),
    python_globals: Sequence[Tuple[str, str]] = (),
    globals: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    """Compiles `source` with the JIT. Returns `{name: CompiledFunction, ..., "__doc__": str | None}`.

    `kind` is "py" or "pyx" (inferred from `filename` when None); `line_offset` is added to
    every reported line; functions named in `nogil` get the descriptor's `nogil` flag and release the GIL while they run;
    `python_globals` are (name, kind) pairs of the Python module's other globals, which the
    compiler names precisely when the code uses one.
    Raises `pycc.CompileError` or `pycc.InternalCompilerError`."""

def check(source: str, filename: str, kind: Optional[str] = None) -> str:
    """The rendered warnings (empty if none); raises `pycc.CompileError` on errors."""

def translate(source: str, filename: str, kind: Optional[str] = None) -> str:
    """A `.pyx` source as plain Python (a `.py` source unchanged)."""

def cli_main(argv: List[str]) -> int:
    """The `pycc` command line; returns the exit code."""

def _testing_entries(views: bool = False) -> Tuple[str, List[int]]:
    """Descriptor text and entry addresses of hand-written test functions (tests only);
    `views` selects the module whose functions take memoryviews."""

def _testing_functions(nogil: Sequence[str] = ()) -> Dict[str, Any]:
    """The test functions (both testing modules) built as `compile_source` builds its result,
    with those named in `nogil` given the descriptor's `nogil` flag (tests only)."""
