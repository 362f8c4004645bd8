"""The compiler's C-API table (`compiler/src/capi.rs`) against the running interpreter:
every function it lists is exported by this interpreter, and its prototype in CPython's
headers has the parameter and return types the table says. (What a function does to
references and how it fails are CPython's documented conventions, checked by the object
layer's reference-count tests.)"""

from __future__ import annotations

import ctypes
import re
import sysconfig
from pathlib import Path

import pytest

from pycc import _pycc

INCLUDE = Path(sysconfig.get_paths()["include"])

C_TYPES = {
    "PyObject *": {"Obj", "NewRef", "Borrowed"},
    "const char *": {"CStr"},
    "PyObject *const *": {"Ptr"},
    "int": {"Int"},
    "long": {"Long"},
    "long long": {"LongLong"},
    "unsigned long long": {"ULongLong"},
    "Py_ssize_t": {"Ssize"},
    "size_t": {"SizeT"},
    "double": {"Double"},
    "void": {"Void"},
    "Py_hash_t": {"Ssize"},
}


def prototypes() -> dict[str, tuple[str, list[str]]]:
    """name -> (return type, [parameter types]) from every `PyAPI_FUNC` in the headers."""
    found = {}
    pattern = re.compile(r"PyAPI_FUNC\(\s*([^)]*?)\s*\)\s*(\w+)\s*\(([^;{]*?)\)\s*;", re.S)
    for header in INCLUDE.rglob("*.h"):
        text = re.sub(r"/\*.*?\*/", " ", header.read_text(errors="replace"), flags=re.S)
        for ret, name, params in pattern.findall(text):
            params = " ".join(params.split())
            kinds = [] if params in ("", "void") else [param_type(p) for p in split_params(params)]
            found[name] = (normalise(ret), kinds)
    return found


def split_params(params: str) -> list[str]:
    return [p.strip() for p in params.split(",")]


TYPE_WORDS = {"int", "long", "double", "char", "void", "size_t", "Py_ssize_t", "Py_hash_t", "PyObject", "const",
              "unsigned", "signed", "short"}


def param_type(param: str) -> str:
    """`PyObject *o1` -> `PyObject *`; `Py_ssize_t` -> `Py_ssize_t`; `PyObject *const *args` ->
    `PyObject *const *`."""
    words = param.replace("*", " * ").split()
    if len(words) > 1 and words[-1] not in TYPE_WORDS and words[-1] != "*":
        words = words[:-1]
    return normalise(" ".join(words))


def normalise(ctype: str) -> str:
    """One spelling per type: `PyObject *`, `PyObject *const *`, `const char *`."""
    words = ctype.replace("*", " * ").split()
    out = ""
    for w in words:
        if w == "*":
            out += " *"
        elif out.endswith("*"):
            out += w + " " if w == "const" else " " + w
        else:
            out += (" " if out else "") + w
    return " ".join(out.split()).replace("* const *", "*const *")


HAVE_HEADERS = (INCLUDE / "Python.h").exists()


@pytest.mark.skipif(not HAVE_HEADERS, reason="CPython's headers are not installed")
def test_every_entry_matches_its_prototype_in_the_headers():
    protos = prototypes()
    problems = []
    for name, args, ret, _fails, _steals in _pycc._capi_table():
        if name not in protos:
            problems.append(f"{name}: no PyAPI_FUNC prototype in {INCLUDE}")
            continue
        proto_ret, proto_args = protos[name]
        if ret not in C_TYPES.get(proto_ret, set()):
            problems.append(f"{name}: returns `{proto_ret}`, table says {ret}")
        if len(proto_args) != len(args):
            problems.append(f"{name}: takes {len(proto_args)} parameters {proto_args}, table says {args}")
            continue
        for k, (c, ours) in enumerate(zip(proto_args, args)):
            if ours not in C_TYPES.get(c, set()):
                problems.append(f"{name}: parameter {k} is `{c}`, table says {ours}")
    assert not problems, "\n".join(problems)


def test_every_entry_is_exported_by_this_interpreter():
    # The JIT resolves these names in the running process; AOT modules leave them to the
    # dynamic loader. Either way the interpreter must export them.
    process = ctypes.pythonapi
    missing = [name for name, *_ in _pycc._capi_table() if not hasattr(process, name)]
    assert not missing, missing


def test_table_facts_that_matter_most():
    table = {name: (args, ret, fails, steals) for name, args, ret, fails, steals in _pycc._capi_table()}
    # Stealing setters, borrowed getters, and the two "NULL is not always an error" cases.
    assert table["PyTuple_SetItem"][3] == 1 << 2 and table["PyList_SetItem"][3] == 1 << 2
    assert table["PyList_GetItem"][1] == "Borrowed" and table["PyDict_GetItemWithError"][1] == "Borrowed"
    assert table["PyIter_Next"][2] == "NullMaybeError" and table["PyDict_GetItemWithError"][2] == "NullMaybeError"
    assert table["PyLong_AsLongLong"][2] == "MinusOneMaybeError"
    assert all(steals == 0 for name, (_, _, _, steals) in table.items() if not name.endswith("_SetItem"))
