# Operators and builtins applied to operands of the wrong kind.


def f(x: float) -> float:
    return ~x  # error: [invalid-operand]


def g(x: float, n: int) -> int:
    return n << x  # error: [invalid-operand]


def h(x: float, y: float) -> float:
    return x & y  # error: [invalid-operand]
