# Calls through the inliner whose callers branch on an argument or on a value-producing
# `and`/`or` (issue 7, finding 1: the pass that threads inlined return statuses rewrote such
# branches, giving wrong answers and invalid code).


def h(p: int) -> int:
    return p + 1


# call: g(bool(), int(-100, 100))
def g(flag: bool, n: int) -> int:
    if flag:
        return h(n)
    return n


# call: k(int(-5, 5))
def k(a: int) -> int:
    return (a or 5) + h(1)


# call: w(choice(3, 4, 5, 6, 9, 100, -2))
def w(a: int) -> int:
    i0 = 0
    steps = 0
    while (i0 and a) < 5 and steps < 50:
        i0 = h(i0) + 2
        steps += 1
    return i0 * 100 + steps


# call: chain(int(-3, 3), int(-3, 3))
def chain(a: int, b: int) -> int:
    if (a and b) or h(a) > 1:
        return h(h(b)) + (b or a)
    return h(a and b)
