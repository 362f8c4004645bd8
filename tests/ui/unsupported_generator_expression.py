# Generator expressions are compiled only as the only argument of the builtins that consume
# them (as a loop); anywhere else they need generators, which pycc does not compile yet.


def total(n: int) -> int:
    g = (i for i in range(n))  # error: [unsupported-syntax]
    return n


def passed(xs):
    return print(x for x in xs)  # error: [unsupported-syntax]


def two_args(xs, ys):
    return zip((x for x in xs), ys)  # error: [unsupported-syntax]


def keyed(xs, f):
    return sorted((x for x in xs), key=f(1))  # error: [unsupported-syntax]


def async_comp(xs):
    return [x async for x in xs]  # error: [unsupported-syntax]


def fine(xs):
    return sum(x for x in xs) + len([x for x in xs]) + max(x for x in xs)
