"""`__signature__` of compiled functions, built on first use (so `inspect` is imported only
when someone asks for a signature)."""

import inspect

# The annotation shown for a return type, by ABI name.
_RETURN_NAMES = {
    "i8": "signed char",
    "i16": "short",
    "i32": "int",
    "i64": "long",
    "u8": "unsigned char",
    "u16": "unsigned short",
    "u32": "unsigned int",
    "u64": "unsigned long",
    "f32": "float",
    "f64": "double",
    "bool": "bint",
    "void": None,
}


_KINDS = {
    "pos": inspect.Parameter.POSITIONAL_OR_KEYWORD,
    "posonly": inspect.Parameter.POSITIONAL_ONLY,
    "kwonly": inspect.Parameter.KEYWORD_ONLY,
    "varargs": inspect.Parameter.VAR_POSITIONAL,
    "varkw": inspect.Parameter.VAR_KEYWORD,
}


def signature_of(func):
    """The signature of a compiled function: its Python original's for `@jit` functions,
    else one built from the parameter descriptions (C type names as annotations)."""
    py_func = func.__dict__.get("py_func")
    if py_func is not None:
        return inspect.signature(py_func)
    params = []
    for (name, type_name, has_default, default), kind in zip(func.__pycc_params__, func.__pycc_param_kinds__):
        star = kind in ("varargs", "varkw")
        params.append(
            inspect.Parameter(
                name,
                _KINDS[kind],
                default=default if has_default else inspect.Parameter.empty,
                annotation=inspect.Parameter.empty if star else type_name,
            )
        )
    # `inspect`'s order (`*args` before the keyword-only ones), not the descriptor's.
    params.sort(key=lambda p: p.kind)
    ret = _RETURN_NAMES.get(func.__pycc_return__, inspect.Signature.empty)
    return inspect.Signature(params, return_annotation=ret)
