# Names bound nowhere in the function or the module: looked up in the module's globals and
# then the builtins when the line runs (NameError if missing), with a warning at compile
# time.


def f(x: int) -> int:
    return x + y  # warning: [undefined-name]


def g(x: int) -> int:
    return no_such_function(x)  # warning: [undefined-name]
