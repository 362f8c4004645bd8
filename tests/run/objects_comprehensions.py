# List, set and dict comprehensions (own scope, several clauses, nested), and generator
# expressions as the only argument of a call, compiled as loops. CPython is the oracle.


# call: squares(ints())
# call: squares(obj())
def squares(xs):
    return [x * x for x in xs]


# call: evens(ints())
# call: evens(text())
def evens(xs):
    return [x for x in xs if x and x == x]


# call: filtered(ints())
def filtered(xs):
    return [x + 1 for x in xs if x > 0 if x % 2 == 0]


# call: pairs(ints(), text())
def pairs(xs, ys):
    return [(x, y) for x in xs for y in ys if x]


# call: nested(choice([[1, 2], [3]], [], [[]], [[1], [2, 3], [4, 5, 6]], [["a", "b"], "cd"]))
def nested(m):
    return [[y * 2 for y in row] for row in m]


# call: flatten(choice([[1, 2], [3]], [], [[]], [[1], [2, 3], [4, 5, 6]], ["ab", "cd"]))
def flatten(m):
    return [y for row in m for y in row]


# call: as_set(ints())
# call: as_set(text())
# call: as_set(obj())
def as_set(xs):
    return {x for x in xs}


# call: as_dict(ints())
# call: as_dict(text())
def as_dict(xs):
    return {x: i for i, x in enumerate(xs)}


# call: invert(choice({}, {"a": 1}, {"a": 1, "b": 2}, {1: [2]}, {"x": "y", "z": "y"}))
def invert(d):
    return {v: k for k, v in d.items()}


# call: scope(ints())
def scope(xs):
    x = "outer"
    ys = [x for x in xs]
    return x, ys


# call: scope_read(ints(), int(-5, 5))
def scope_read(xs, k):
    return [x * k for x in xs if x > k]


# call: ranged(int(-3, 30))
def ranged(n):
    return [i * i for i in range(n)]


# call: ranged2(int(-10, 10), int(-10, 10))
def ranged2(a, b):
    return [(i, j) for i in range(a, b) for j in range(i, b, 3)]


# call: ranged_step(int(-10, 10), int(-3, 3))
def ranged_step(n, s):
    return [i for i in range(0, n, s)]


# call: range_obj(choice(3, 2.5, "x", None, True, -2))
def range_obj(n):
    return [i for i in range(n)]


# call: raising(ints())
# call: raising(choice([1, 2, 0, 4], [0], [1, 1, 1], [], [5, 0]))
def raising(xs):
    return [10 // x for x in xs]


# call: raising_dict(choice([1, 2, 0, 4], [0], [], ["a"]))
def raising_dict(xs):
    return {x: 1 // x for x in xs}


# call: not_iterable_comp(obj())
def not_iterable_comp(v):
    return [x for x in v]


# call: unhashable(choice([1, 2], [[1], 2], [(1, 2)], [{}]))
def unhashable(xs):
    return {x for x in xs}


# call: in_expression(ints())
def in_expression(xs):
    return len([x for x in xs if x > 0]) + sum(x for x in xs)


# call: in_loop(ints())
def in_loop(xs):
    out = []
    for k in range(3):
        out.append([x + k for x in xs])
    return out


# call: gen_sum(ints())
# call: gen_sum(choice([1.5, 2], [], [10**30, 1], ["a"], [[1], [2]]))
def gen_sum(xs):
    return sum(x * 2 for x in xs)


# call: gen_sum_start(ints())
def gen_sum_start(xs):
    return sum((x for x in xs), 0.5)


# call: gen_any(ints())
def gen_any(xs):
    return any(x > 3 for x in xs)


# call: gen_all(ints())
def gen_all(xs):
    return all(x > -40 for x in xs)


# call: gen_any_nested(choice([[1, 2], [3]], [], [[]], [[-1], [5]], [[0, 0], [0]]))
def gen_any_nested(m):
    return any(y for row in m for y in row)


# call: gen_all_nested(choice([[1, 2], [3]], [], [[]], [[-1], [0]], [[1, 1], [1]]))
def gen_all_nested(m):
    return all(y for row in m for y in row)


# call: short_circuit(ints())
def short_circuit(xs):
    seen = []
    found = any(seen.append(x) or x > 10 for x in xs)
    return found, seen


# call: short_circuit_all(ints())
def short_circuit_all(xs):
    seen = []
    ok = all(seen.append(x) or x < 10 for x in xs)
    return ok, seen


# call: iterator_left(ints())
def iterator_left(xs):
    it = iter(xs)
    found = any(x > 0 for x in it)
    return found, list(it)


# call: gen_list(ints())
def gen_list(xs):
    return list(x - 1 for x in xs)


# call: gen_tuple(text())
def gen_tuple(s):
    return tuple(c for c in s if c != " ")


# call: gen_set(ints())
def gen_set(xs):
    return set(x % 5 for x in xs)


# call: gen_sorted(ints())
# call: gen_sorted(choice([3, "a"], [], [2, 1]))
def gen_sorted(xs):
    return sorted(-x for x in xs)


# call: gen_sorted_key(ints())
def gen_sorted_key(xs):
    return sorted((x for x in xs), key=abs, reverse=True)


# call: gen_min(ints())
# call: gen_min(text())
def gen_min(xs):
    return min(x for x in xs)


# call: gen_max(ints())
def gen_max(xs):
    return max(x * x for x in xs)


# call: gen_max_default(ints())
def gen_max_default(xs):
    return max((x for x in xs if x > 20), default=None)


# call: gen_join(text())
def gen_join(s):
    return "-".join(c.upper() for c in s)


# call: gen_join_sep(ints(), text())
def gen_join_sep(xs, sep):
    return sep.join(str(x) for x in xs)


# call: gen_join_bad(ints())
def gen_join_bad(xs):
    return "".join(x for x in xs)


# call: gen_dict(ints())
def gen_dict(xs):
    return dict((x, x * x) for x in xs)


# call: listcomp_unpack(choice([(1, 2), (3, 4)], [], [(1, 2, 3)], [(5, 6)], ["ab"]))
def listcomp_unpack(rows):
    return [b - a for a, b in rows]


# call: listcomp_star(choice([(1, 2), (3, 4, 5)], [], [(1,)], ["abc"]))
def listcomp_star(rows):
    return [rest for first, *rest in rows]


# call: dict_order(ints())
def dict_order(xs):
    keys = []
    d = {keys.append(x) or x: keys.append(-x) or x for x in xs}
    return d, keys


# call: shadow_param(int(-3, 12))
def shadow_param(x):
    return [x * 2 for x in range(x)]


# call: triangle(int(0, 8))
def triangle(n):
    return [[i * j for j in range(i)] for i in range(n)]


# call: cond_dict(ints())
def cond_dict(xs):
    return {x: x * x for x in xs if x % 3 == 0}


# call: set_of_c(int(0, 30), int(1, 7))
def set_of_c(n: int, k: int):
    return {i % k for i in range(n)}


# call: comp_of_iter(ints())
def comp_of_iter(xs):
    it = iter(xs)
    first = [x for x, _ in zip(it, range(2))]
    return first, [x for x in it]
