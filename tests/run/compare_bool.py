# Comparisons (including chains), `and`/`or`/`not` with short-circuit evaluation,
# conditional expressions, `bool` values and truthiness.


# call: chain_lt(int(-5, 5), int(-5, 5), int(-5, 5))
def chain_lt(a: int, b: int, c: int) -> bool:
    return a < b <= c


# call: chain_mixed(int(-3, 3), int(-3, 3), int(-3, 3), int(-3, 3))
def chain_mixed(a: int, b: int, c: int, d: int) -> bool:
    return a != b == c > d


# call: chain_float(floats_special(), floats_special(), float(-2, 2))
def chain_float(a: float, b: float, c: float) -> bool:
    return a <= b < c


# The middle operand of a chain is evaluated once: `checked_div` raises when b == 0,
# and must not be reached when the first comparison is false.
def checked_div(a: int, b: int) -> int:
    return a // b


# call: chain_once(int(-10, 10), int(-3, 3), int(-10, 10))
def chain_once(a: int, b: int, c: int) -> bool:
    return a < checked_div(100, b) < c


# `b != 0 and ...`: the right operand would raise ZeroDivisionError if it were evaluated.
# call: guarded_and(int(-20, 20), int(-3, 3))
def guarded_and(a: int, b: int) -> bool:
    return b != 0 and a // b > 1


# call: guarded_or(int(-20, 20), int(-3, 3))
def guarded_or(a: int, b: int) -> bool:
    return b == 0 or a % b == 0


# Short-circuit through calls to compiled functions.
def is_big(x: int) -> bool:
    return 100 // x > 10


# call: guarded_call(int(-20, 20))
def guarded_call(x: int) -> bool:
    return not (x == 0 or not is_big(x)) and (x > 0 or is_big(-x))


# call: not_ops(int(-3, 3), int(-3, 3))
def not_ops(a: int, b: int) -> bool:
    return not a < b and not not (a != b)


# call: bool_params(bool(), bool(), bool())
def bool_params(p: bool, q: bool, r: bool) -> bool:
    return (p and not q) or (q and r) or (p == r and p != q)


# call: bool_to_int(bool(), int(-100, 100))
def bool_to_int(p: bool, x: int) -> int:
    if p:
        return x
    return -x


# call: ternary(int(-10, 10), int(-10, 10))
def ternary(a: int, b: int) -> int:
    return a if a > b else b if b > 0 else -1


# The arm not taken is not evaluated.
# call: ternary_guard(int(-100, 100), int(-3, 3))
def ternary_guard(a: int, b: int) -> int:
    return a // b if b != 0 else a % 7


# call: ternary_float(floats_special())
def ternary_float(x: float) -> float:
    return x * 2.0 if x > 0.0 else -x if x < 0.0 else 0.5


# Truthiness: nonzero ints and floats are true, NaN is true, -0.0 is false.
# call: truthy_int(int64())
def truthy_int(x: int) -> bool:
    if x:
        return True
    return False


# call: truthy_float(floats_special())
def truthy_float(x: float) -> int:
    if x:
        return 1
    return 0


# call: to_bool(floats_special(), int(-2, 2))
def to_bool(x: float, n: int) -> bool:
    return bool(x) != bool(n)


# call: compare_int_float(int(-5, 5), float(-5, 5))
# call: compare_int_float(int64(), floats_special())
def compare_int_float(a: int, x: float) -> int:
    r = 0
    if a < x:
        r += 1
    if a == x:
        r += 2
    if a > x:
        r += 4
    return r
