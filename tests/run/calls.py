# Calls between compiled functions: recursion, mutual recursion, calls to functions defined
# later in the file, keyword arguments and defaults, tuple assignment.


# call[n=26]: fib(int(0, 25))
def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


# (The last addition computes the result itself, so `overflow` applies: fib(93) > 2**63.)
# call[overflow]: fib_iter(int(0, 100))
def fib_iter(n: int) -> int:
    if n == 0:
        return 0
    a, b = 0, 1
    for _ in range(n - 1):
        a, b = b, a + b
    return b


# call[n=40]: ackermann(int(0, 3), int(0, 4))
def ackermann(m: int, n: int) -> int:
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


# Mutual recursion, the second function defined after the first uses it.
# call: is_even(int(0, 300))
def is_even(n: int) -> bool:
    if n == 0:
        return True
    return is_odd(n - 1)


def is_odd(n: int) -> bool:
    if n == 0:
        return False
    return is_even(n - 1)


# call: forward(int(-1000, 1000))
def forward(x: int) -> int:
    return defined_later(x, 3) * 2


def defined_later(a: int, b: int) -> int:
    return a - b


# Keyword arguments and defaults, from Python and between compiled functions.
# call: scale(float(-10, 10))
# call: scale(float(-10, 10), factor=float(-3, 3))
# call: scale(float(-10, 10), offset=int(-5, 5))
# call: scale(float(-10, 10), float(-3, 3), int(-5, 5))
# call: scale(x=float(-10, 10), offset=int(-5, 5), factor=float(-3, 3))
def scale(x: float, factor: float = 2.0, offset: int = 0) -> float:
    return x * factor + offset


# call: clamp(int(-200, 200))
# call: clamp(int(-200, 200), hi=int(-50, 50))
# call: clamp(int(-200, 200), int(-50, 50), int(-50, 50), bool())
def clamp(x: int, lo: int = 0, hi: int = 100, mirror: bool = False) -> int:
    if mirror:
        x = -x
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


# call: uses_keywords(float(-10, 10))
def uses_keywords(x: float) -> float:
    return scale(x, offset=3) + scale(x, 1.5) + scale(factor=-1.0, x=x) + clamp(int(x), hi=5)


# call: negative_default(int(-10, 10))
# call: negative_default(int(-10, 10), float(-10, 10))
def negative_default(a: int, b: float = -0.0) -> float:
    return a + b


# call: swap(int(-100, 100), int(-100, 100))
def swap(a: int, b: int) -> int:
    a, b = b, a
    return a * 1000 + b


# call: rotate(int(-9, 9), int(-9, 9), int(-9, 9))
def rotate(a: int, b: int, c: int) -> int:
    a, b, c = b, c, a
    return (a * 100 + b) * 100 + c


# call[n=100]: gcd_rec(int(-10**6, 10**6), int(-10**6, 10**6))
def gcd_rec(a: int, b: int) -> int:
    if b == 0:
        return a
    return gcd_rec(b, a % b)


# A call result used in every kind of expression.
# call: call_in_exprs(int(-50, 50))
def call_in_exprs(x: int) -> int:
    y = defined_later(x, 1) if defined_later(x, 0) > 0 else defined_later(0, x)
    while defined_later(y, 10) > 0:
        y = defined_later(y, 7)
    return y + fib(5) * clamp(x)


# A function taking a float called with an int argument from compiled code.
# call: int_arg_to_float(int(-100, 100))
def int_arg_to_float(n: int) -> float:
    return scale(n) + scale(n, n, n)


# Recursion depth well inside CPython's limit.
# call[n=40]: sum_down(int(0, 400))
def sum_down(n: int) -> int:
    if n <= 0:
        return 0
    return n + sum_down(n - 1)
