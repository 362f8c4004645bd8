# Classes are not compiled.
# xfail: the underline of a multi-line statement (class) runs over the trailing comment


class Point:  # error: [unsupported-syntax]
    x: float
    y: float


def norm(x: float) -> float:
    return x
