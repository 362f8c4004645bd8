# Unpacking from any iterable (assignment and `for` targets, starred targets, nested
# targets, attributes and items as targets), `del` of several targets, and comparison
# chains on objects. CPython is the oracle, errors and messages included.


# call: pair(obj())
# call: pair(ints())
# call: pair(text())
# call: pair(choice([1, 2], (3, 4), "ab", {"k": 1, "j": 2}, b"xy", None, 5, [1], (1, 2, 3), ""))
def pair(xs):
    a, b = xs
    return b, a


# call: triple(obj())
# call: triple(ints())
# call: triple(text())
def triple(xs):
    [a, b, c] = xs
    return [c, b, a]


# call: first_rest(obj())
# call: first_rest(ints())
# call: first_rest(text())
def first_rest(xs):
    first, *rest = xs
    return first, rest


# call: init_last(obj())
# call: init_last(ints())
# call: init_last(text())
def init_last(xs):
    *init, last = xs
    return init, last


# call: middle(obj())
# call: middle(ints())
# call: middle(text())
def middle(xs):
    a, *mid, y, z = xs
    return a, mid, y, z


# call: swap(obj(), obj())
# call: swap(ints(), text())
def swap(x, y):
    x, y = y, x
    return x, y


# call: rotate(obj(), obj(), obj())
def rotate(a, b, c):
    a, b, c = b, c, a
    return [a, b, c]


# call: from_call(ints())
# call: from_call(text())
def from_call(xs):
    lo, hi = min(xs), max(xs)
    n, m = divmod(len(xs), 3)
    return lo, hi, n, m


# call: nested(choice(((1, 2), 3), ([4, 5], "x"), ((1,), 2), (1, 2), "ab", ((1, 2, 3), 4), (("ab", "cd"), "e")))
def nested(v):
    (a, b), c = v
    return a, b, c


# call: nested_star(choice(((1, 2, 3), 4), ([1], 2), ("abc", "d"), (1, 2), ((), 1)))
def nested_star(v):
    (a, *b), c = v
    return a, b, c


# call: fib_obj(int(0, 60))
def fib_obj(n):
    a, b = 0, 1
    for i in range(n):
        a, b = b, a + b
    return a


# call: fib_big(int(0, 90))
def fib_big(n):
    a, b = 0, 1
    k = 0
    while k < n:
        a, b = b, a + b
        k += 1
    return a


# call: display_mismatch(int(0, 3))
def display_mismatch(n):
    if n == 0:
        a, b = 1, 2, 3
        return a
    if n == 1:
        a, b, c = 1, 2
        return a
    if n == 2:
        a, *b = [n]
        return a, b
    a, *b, c = (n,)
    return a


# call: not_iterable(obj())
# call: not_iterable(choice(1, 2.5, None, True, 10**30, (1, 2)))
def not_iterable(v):
    a, b = v
    return a


# call: star_not_iterable(choice(1, 2.5, None, [1, 2], "abc", ()))
def star_not_iterable(v):
    a, *b = v
    return a, b


# call: iter_items(choice({}, {"a": 1}, {"a": 1, "b": 2, "c": 3}, {1: "x", 2: "y"}))
def iter_items(d):
    keys = []
    total = ""
    for k, v in d.items():
        keys.append(k)
        total += str(v)
    return keys, total


# call: iter_enumerate(ints())
# call: iter_enumerate(text())
def iter_enumerate(xs):
    out = []
    for i, x in enumerate(xs):
        out.append((x, i))
    return out


# call: iter_zip(ints(), ints())
# call: iter_zip(text(), ints())
def iter_zip(xs, ys):
    out = []
    for a, b in zip(xs, ys):
        out.append(a)
        out.append(b)
    return out


# call: iter_nested(ints(), text())
def iter_nested(xs, ys):
    out = []
    for (i, a), b in zip(enumerate(xs), ys):
        out.append((i, a, b))
    return out


# call: iter_bad(choice([(1, 2), (3, 4)], [(1, 2), (3,)], [(1, 2), 5], [(1, 2, 3)], [], ["ab", "cd", "e"]))
def iter_bad(rows):
    out = []
    for a, b in rows:
        out.append(b)
    return out


# call: iter_star(choice([(1, 2, 3), (4,)], [[1], [2, 3]], ["abc", "d"], [()], [5]))
def iter_star(rows):
    out = []
    for first, *rest in rows:
        out.append((first, rest))
    return out


# call: iter_else(choice([(1, 2)], [], [(3, 4), (5, 6)]))
def iter_else(rows):
    n = 0
    for a, b in rows:
        n += a * b
    else:
        n = -n
    return n


# call: attr_targets(obj(), obj())
def attr_targets(x, y):
    b = type("Box", (), {})()
    b.p, b.q = x, y
    b.p, b.q = b.q, b.p
    return b.p, b.q


# call: item_targets(obj(), obj())
def item_targets(x, y):
    d = {}
    d["a"], d["b"] = x, y
    lst = [0, 0, 0]
    lst[0], lst[2] = y, x
    return d, lst


# call: item_swap(ints(), int(-3, 3), int(-3, 3))
def item_swap(xs, i, j):
    xs[i], xs[j] = xs[j], xs[i]
    return xs


# call: mixed_targets(choice((1, 2, 3), "abc", [[1], 2, 3], (1, 2)))
def mixed_targets(v):
    d = {}
    b = type("Box", (), {})()
    d["k"], b.a, c = v
    return d, b.a, c


# call: chained_targets(obj())
def chained_targets(v):
    a = b, c = v
    return a, b, c


# call: del_items(ints())
def del_items(xs):
    d = {"a": 1, "b": 2, "c": 3}
    del d["a"], d["c"]
    if len(xs) > 2:
        del (xs[0], xs[-1])
    return d, xs


# call: chain_values(obj(), obj(), obj())
# call: chain_values(int(-3, 3), int(-3, 3), int(-3, 3))
# call: chain_values(text(), text(), text())
def chain_values(a, b, c):
    return a < b < c


# call: chain_mixed(obj())
# call: chain_mixed(any_of(int(-20, 20), float(-20, 20)))
def chain_mixed(x):
    return 0 <= x < 10


# call: chain_eq(obj(), obj())
def chain_eq(a, b):
    return a == b == a


# call: chain_cond(int(-5, 15), int(-5, 15))
# call: chain_cond(obj(), obj())
def chain_cond(x, y):
    if 0 < x <= y < 10:
        return "in"
    return "out"


# call: chain_in(obj(), ints())
def chain_in(x, xs):
    return x in xs != False


# call: chain_once(ints())
def chain_once(xs):
    it = iter(xs)
    return 0 <= next(it, 0) < 3, list(it)


# call: single(choice([(1,), (2,)], [[3]], [(1, 2)], [()], ["a", "bc"]))
def single(rows):
    out = []
    for x, in rows:
        out.append(x)
    return out


# call: same_name(obj())
def same_name(v):
    a, a = 1, v
    return a


# call: from_iterator(ints())
def from_iterator(xs):
    it = iter(xs)
    a, b = it, it
    c, *d = a
    return c, d, list(b)


# call: typed_swap(int(-100, 100), int(-100, 100))
def typed_swap(x: int, y: int) -> int:
    x, y = y, x - y
    return x * 1000 + y


# call: del_names(obj(), obj())
def del_names(a, b):
    c = [a, b]
    del a, b
    a = 1
    return c, a
