# Arithmetic on objects that are exactly floats: `+ - * /` compute the C operation on the
# values (what float's own slots do); a subclass of float, an int, a str or any other
# object takes the number protocol, with CPython's results and errors.


# call: add(floats_special(), floats_special())
# call: add(obj(), obj())
# call: add(float(-10, 10), choice(1, 2**70, True, -0.0, "s", None, [1]))
def add(a, b):
    return a + b


# call: sub(floats_special(), floats_special())
# call: sub(obj(), float(-5, 5))
def sub(a, b):
    return a - b


# call: mul(floats_special(), floats_special())
# call: mul(obj(), choice(2.0, -0.0, 3))
def mul(a, b):
    return a * b


# call: div(floats_special(), floats_special())
# call: div(float(-5, 5), choice(0.0, -0.0, 0, 2.5, 3))
# call: div(obj(), choice(0.0, 1.5))
def div(a, b):
    return a / b


# call: accumulate(choice([1.5, 2.5, -0.0], [1, 2.5], [0.1] * 10, [], [1e308, 1e308], ["a"]))
def accumulate(xs):
    total = 0.0
    for x in xs:
        total += x * 2.0 - x / 4.0
    return total


# call: with_c_double(obj(), float(-100, 100))
def with_c_double(a, c: float):
    return [a + c, c - a, a * c]


# call: with_c_double_div(float(-3, 3), choice(0.0, -0.0, 2.0))
def with_c_double_div(a, c: float):
    return a / c
