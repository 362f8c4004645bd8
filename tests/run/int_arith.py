# Python `int` arithmetic: 64-bit integers that raise OverflowError instead of wrapping.
# Calls marked `overflow` expect OverflowError where CPython's result needs more than 64 bits.


# call: add(int(-10**6, 10**6), int(-10**6, 10**6))
# call[overflow]: add(int64(), int64())
def add(a: int, b: int) -> int:
    return a + b


# call[overflow]: sub(int64(), int64())
def sub(a: int, b: int) -> int:
    return a - b


# call: mul(int(-10**6, 10**6), int(-10**6, 10**6))
# call[overflow]: mul(int64(), int64())
# call[overflow]: mul(choice(-1, 2, -2, 3037000499, 3037000500, -3037000500, 4294967296), choice(-9223372036854775808, 4611686018427387904, -4611686018427387904, 3037000499, 3037000500, 2147483648))
def mul(a: int, b: int) -> int:
    return a * b


# call: floordiv(int(-1000, 1000), int(-50, 50))
# call[overflow]: floordiv(int64(), choice(-1, 1, 2, -2, 0, 7, -7, 9223372036854775807))
def floordiv(a: int, b: int) -> int:
    return a // b


# call: mod(int(-1000, 1000), int(-50, 50))
# call: mod(int64(), int64())
# call: mod(int64(), choice(-1, 1, 2, -2, 0, 7, -7, 10**18))
def mod(a: int, b: int) -> int:
    return a % b


# call: truediv(int(-2**53, 2**53), int(-1000, 1000))
# call: truediv(int(-1000, 1000), int(-1000, 1000))
# Beyond 2**53, CPython's int / int is still correctly rounded (converting each operand to
# double first rounds twice).
# call[xfail=int / int converts both operands to double first and can round twice beyond 2**53]: truediv(int64(), int(-1000, 1000))
def truediv(a: int, b: int) -> float:
    return a / b


# call[overflow]: power(int(-20, 20), int(0, 70))
# call[overflow]: power(choice(-2, 2, -1, 0, 1, 3, -3), choice(0, 1, 2, 61, 62, 63, 64, 39, 40, 41))
def power(base: int, exp: int) -> int:
    return base ** exp


# The documented deviation: `int ** negative runtime int` raises ValueError (CPython gives a float).
# ref: power_signed = lambda b, e: b ** e if e >= 0 else Raises(ValueError)
# call: power_signed(int(-9, 9), int(-4, 4))
def power_signed(base: int, exp: int) -> int:
    return base ** exp


# A constant negative exponent makes `int ** int` a float, as in Python.
# call: power_neg_const(int(-50, 50))
def power_neg_const(x: int) -> float:
    return x ** -2


# call[overflow]: neg(int64())
def neg(a: int) -> int:
    return -a


# call: pos(int64())
def pos(a: int) -> int:
    return +a


# call[overflow]: absolute(int64())
def absolute(a: int) -> int:
    return abs(a)


# call[overflow]: factorial(int(0, 25))
def factorial(n: int) -> int:
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


# call: poly(int(-10**6, 10**6))
def poly(x: int) -> int:
    return 3 * x * x - 2 * x + 7


# Precedence and associativity: ** binds tighter than unary minus and is right-associative.
# call: precedence(int(-6, 6), int(0, 3), int(1, 3))
def precedence(a: int, b: int, c: int) -> int:
    return -a ** 2 + a - b - c + 2 ** b ** c // 3 % 1000 - (a - b) * c


# call: augmented(int(-1000, 1000), int(1, 30))
def augmented(x: int, y: int) -> int:
    x += y
    x *= 3
    x -= y * 2
    x //= y
    x %= 1000
    x **= 2
    x += -y
    return x


# Inferred local and return types.
# call: inferred(int(-10**6, 10**6), int(-100, 100))
def inferred(a: int, b: int):
    t = a * 2
    u = t - b
    return u // 3 + u % 7


# call[overflow]: literal_edge(int(-10, 10))
def literal_edge(a: int) -> int:
    return a + 9223372036854775807


# call: min_literal(int(0, 10))
def min_literal(a: int) -> int:
    return -9223372036854775807 - 1 + a


# Argument conversion: a Python int outside 64 bits raises OverflowError, a float TypeError.
# ref: ident = lambda a: Raises(TypeError) if isinstance(a, float) else (a if INT64_MIN <= a <= INT64_MAX else Raises(OverflowError))
# call: ident(int64())
# call: ident(int(-2**70, 2**70))
# call: ident(float(-3, 3))
def ident(a: int) -> int:
    return a
