# Calls to Python callables that pycc does not compile.


def f(x: int) -> int:
    print(x)  # error: [uncompiled-call]
    return x


def g(x: int) -> int:
    return len(x)  # error: [uncompiled-call]
