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


def signature_of(func):
    """The signature of a compiled function: its Python original's for `@jit` functions,
    else one built from the parameter descriptions (C type names as annotations)."""
    py_func = func.__dict__.get("py_func")
    if py_func is not None:
        return inspect.signature(py_func)
    params = []
    for name, type_name, has_default, default in func.__pycc_params__:
        params.append(
            inspect.Parameter(
                name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=default if has_default else inspect.Parameter.empty,
                annotation=type_name,
            )
        )
    ret = _RETURN_NAMES.get(func.__pycc_return__, inspect.Signature.empty)
    return inspect.Signature(params, return_annotation=ret)
