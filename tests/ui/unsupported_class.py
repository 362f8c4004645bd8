# Classes are not compiled.


class Point:  # error: [unsupported-syntax]
    x: float
    y: float


def norm(x: float) -> float:
    return x
