# Names bound nowhere in the function or the module.


def f(x: int) -> int:
    return x + y  # error: [undefined-name]


def g(x: int) -> int:
    return no_such_function(x)  # error: [undefined-name]
