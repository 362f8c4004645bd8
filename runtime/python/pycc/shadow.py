"""A stand-in for Cython's pure-Python `cython` module, used when Cython is not installed.

Running a pure-mode file under CPython (the interpreted side of `pycc bench` and of the
differential tests) needs `import cython` to work: the type names become plain Python
types and the decorators do nothing, as in Cython's own `Cython.Shadow`.
"""

import builtins as _builtins
import sys as _sys

compiled = False

_INT_NAMES = ("char", "schar", "uchar", "short", "ushort", "sshort", "int", "uint", "sint", "long", "ulong",
              "slong", "longlong", "ulonglong", "slonglong", "Py_ssize_t", "size_t", "Py_hash_t")
_FLOAT_NAMES = ("float", "double", "longdouble")
_DECORATORS = ("cfunc", "ccall", "inline", "nogil", "with_gil", "exceptval", "returns", "locals",
               "boundscheck", "wraparound", "cdivision", "initializedcheck", "nonecheck", "overflowcheck",
               "infer_types", "cpow", "profile", "linetrace", "binding", "embedsignature", "final")


class _Directive:
    """A no-op decorator that also works as `with cython.boundscheck(False):`."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, fn):
        return fn

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _decorator(*args, **kwargs):
    if len(args) == 1 and not kwargs and callable(args[0]):
        return args[0]
    return _Directive()


for _name in _INT_NAMES:
    globals()[_name] = _builtins.int
for _name in _FLOAT_NAMES:
    globals()[_name] = _builtins.float
for _name in _DECORATORS:
    globals()[_name] = _decorator
bint = _builtins.bool
void = None
gil = _Directive()


def cast(type_, value, *args, **kwargs):
    return type_(value) if type_ in (_builtins.int, _builtins.float, _builtins.bool) else value


def declare(type_=None, value=None, **kwargs):
    return value


def typeof(obj):
    return type(obj).__name__


def install():
    """Makes `import cython` work, with this module, when Cython is not installed."""
    try:
        import cython  # noqa: F401
    except ImportError:
        _sys.modules["cython"] = _sys.modules[__name__]
