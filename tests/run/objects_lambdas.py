# Lambdas and nested functions without free variables (they read their parameters, their
# own locals, globals and builtins), their defaults (constants made once, others computed
# when the `lambda`/`def` runs), errors raised inside them, and imports inside functions.
# CPython is the oracle.

import functools

SCALE = 3
OFFSET = 10


def twice(f, x):
    return f(f(x))


# call: sort_by_second(ints())
# call: sort_by_second(ints(-3, 3, 6))
def sort_by_second(xs):
    pairs = [(i, v) for i, v in enumerate(xs)]
    return sorted(pairs, key=lambda kv: kv[1])


# call: sort_by_second_desc(ints())
def sort_by_second_desc(xs):
    pairs = list(enumerate(xs))
    return sorted(pairs, key=lambda kv: (-kv[1], kv[0]))


# call: sort_words(text())
# call: sort_words(choice("b a C", "x yy zzz w", "", "Zeta alpha Beta"))
def sort_words(s):
    return sorted(s.split(), key=lambda w: (len(w), w.lower()))


# call: sort_abs(ints())
def sort_abs(xs):
    xs = list(xs)
    xs.sort(key=lambda v: abs(v))
    return xs


# call: max_key(ints())
def max_key(xs):
    if not xs:
        return None
    return max(xs, key=lambda v: (v % 7, v))


# call: min_key(ints())
def min_key(xs):
    return min(xs, key=lambda v: -v, default=None)


# call: mapped(ints())
def mapped(xs):
    return list(map(lambda v: v * 2 + 1, xs))


# call: mapped_two(ints(), ints())
def mapped_two(xs, ys):
    return list(map(lambda a, b: a - b, xs, ys))


# call: filtered(ints())
def filtered(xs):
    return list(filter(lambda v: v % 2 == 0, xs))


# call: reduced(ints())
def reduced(xs):
    return functools.reduce(lambda acc, v: acc * 3 + v, xs, 0)


# call: reduced_max(ints())
def reduced_max(xs):
    if not xs:
        return None
    return functools.reduce(lambda a, b: a if a > b else b, xs)


# call: call_now(obj())
def call_now(x):
    return (lambda y: [y, y])(x)


# call: no_params()
def no_params():
    f = lambda: 42
    return f() + f()


# call: reads_globals(int(-100, 100))
def reads_globals(x):
    f = lambda v: v * SCALE + OFFSET
    return f(x)


# call: calls_module_function(int(-100, 100))
def calls_module_function(x):
    return twice(lambda v: v + 1, x)


# call: builtin_in_lambda(ints())
def builtin_in_lambda(xs):
    f = lambda seq: (len(seq), sum(seq), sorted(seq))
    return f(xs)


# call: lambda_in_loop(int(0, 20))
def lambda_in_loop(n):
    total = 0
    for i in range(n):
        f = lambda v: v + 1
        total = f(total) + i
    return total


# call: lambdas_in_list(int(-10, 10))
def lambdas_in_list(x):
    fs = [lambda v: v + 1, lambda v: v * 2, lambda v: -v]
    return [f(x) for f in fs]


# call: lambda_of_lambda(int(-10, 10))
def lambda_of_lambda(x):
    make = lambda: (lambda v: v * v)
    return make()(x)


# call: constant_default(int(-10, 10))
def constant_default(x):
    f = lambda v, k=3: v * k
    return [f(x), f(x, 2), f(x, k=-1)]


# call: string_default(text())
def string_default(s):
    f = lambda v, sep="-": sep.join([v, v])
    return f(s), f(s, "+")


# call: none_default(obj())
def none_default(x):
    f = lambda v=None: v is None
    return f(), f(x)


# call: global_default(int(-10, 10))
def global_default(x):
    f = lambda v, k=SCALE: v + k
    return f(x)


# call: local_default(int(-10, 10), int(-10, 10))
def local_default(x, k):
    f = lambda v, k=k: v * 10 + k
    return f(x), f(x, 0)


# call: local_defaults_loop(int(0, 6))
def local_defaults_loop(n):
    fs = []
    for i in range(n):
        fs.append(lambda v, i=i: v + i)
    return [f(100) for f in fs]


# call: computed_default(ints())
def computed_default(xs):
    f = lambda v, n=len(xs) * 2: v + n
    return f(1)


# call: mixed_defaults(int(-10, 10), int(-10, 10))
def mixed_defaults(x, k):
    f = lambda a, b=1, c=k, d="z": (a, b, c, d)
    return f(x), f(x, 2), f(x, 2, 3), f(x, d="w")


# call: default_evaluated_once(int(0, 5))
def default_evaluated_once(n):
    acc = []
    f = lambda v, box=acc: box.append(v) or len(box)
    for i in range(n):
        f(i)
    return acc


# call: fresh_mutable_default(int(0, 5))
def fresh_mutable_default(n):
    out = []
    for i in range(n):
        f = lambda v, acc=[]: acc.append(v) or len(acc)
        out.append(f(i) + f(i))
    return out


# call: shared_mutable_default(int(0, 5))
def shared_mutable_default(n):
    f = lambda v, acc=[]: acc.append(v) or list(acc)
    return [f(i) for i in range(n)]


# call: lambda_raises(obj())
def lambda_raises(x):
    f = lambda v: v + 1
    return f(x)


# call: lambda_zero_division(int(-3, 3))
def lambda_zero_division(x):
    f = lambda v: 10 // v
    return f(x)


# call: lambda_key_error(text())
def lambda_key_error(s):
    table = {"a": 1, "": 0}
    return sorted([s, "a"], key=lambda k, table=table: table[k])


# call: lambda_wrong_arity(int(0, 3))
def lambda_wrong_arity(n):
    f = lambda a, b: a + b
    args = [1] * n
    return f(1, 2) + len(args)


# call: lambda_too_many(int(0, 1))
def lambda_too_many(x):
    f = lambda a: a
    if x:
        return f(1, 2)
    return f(x)


# call: lambda_missing(int(0, 1))
def lambda_missing(x):
    f = lambda a, b: a
    if x:
        return f(1)
    return f(x, x)


# call: lambda_unexpected_keyword(int(0, 1))
def lambda_unexpected_keyword(x):
    f = lambda a: a
    if x:
        return f(b=1)
    return f(a=x)


# call: lambda_name()
def lambda_name():
    f = lambda: 0
    return f.__name__, f.__qualname__


# call: nested_qualnames()
def nested_qualnames():
    def inner():
        return 0

    g = lambda: lambda: 1
    return inner.__name__, inner.__qualname__, g.__qualname__, g().__qualname__


# call: comprehension_qualname()
def comprehension_qualname():
    fs = [lambda: 0 for _ in range(2)]
    return fs[0].__qualname__


# call: lambda_identity_in_loop(int(1, 5))
def lambda_identity_in_loop(n):
    seen = []
    for _ in range(n):
        seen.append(lambda: 0)
    return len(seen), callable(seen[0])


# call: nested_def(ints())
def nested_def(xs):
    def key(v):
        return (abs(v), v)

    return sorted(xs, key=key)


# call: nested_def_called(int(-100, 100))
def nested_def_called(x):
    def square_plus(v, k=1):
        r = v * v
        return r + k

    return square_plus(x), square_plus(x, k=0)


# call: nested_def_docstring()
def nested_def_docstring():
    def helper():
        "Helps."
        return 1

    return helper.__doc__, helper()


# call: nested_def_locals(int(0, 30))
def nested_def_locals(n):
    def tri(m):
        total = 0
        for i in range(m + 1):
            total += i
        return total

    return tri(n)


# call: nested_def_typed(int(-1000, 1000))
def nested_def_typed(x):
    def cube(v: int) -> int:
        return v * v * v

    return cube(x)


# call: nested_def_typed_float(float(-100, 100))
def nested_def_typed_float(x):
    def half(v: float) -> float:
        return v / 2.0

    return half(x)


# call: nested_def_default_local(int(-10, 10))
def nested_def_default_local(x):
    base = x * 2

    def add(v, b=base):
        return v + b

    return add(1), add(1, 0)


# call: nested_def_raises(obj())
def nested_def_raises(x):
    def neg(v):
        return -v

    return neg(x)


# call: nested_def_rebound(int(0, 1))
def nested_def_rebound(flag):
    def f():
        return "first"

    if flag:
        def f():
            return "second"

    return f()


# call: nested_def_in_branch(int(0, 1))
def nested_def_in_branch(flag):
    if flag:
        def pick(a, b):
            return a
    else:
        def pick(a, b):
            return b
    return pick("a", "b")


# call: nested_returns_nested(int(-10, 10))
def nested_returns_nested(x):
    def outer_helper():
        def inner_helper(v):
            return v - 1

        return inner_helper

    return outer_helper()(x)


# call: lambda_returns_global_function(int(-10, 10))
def lambda_returns_global_function(x):
    get = lambda: twice
    return get()(lambda v: v * 2, x)


# call: nested_global_write(int(-10, 10))
def nested_global_write(x):
    def setter(v):
        global _last
        _last = v
        return v

    setter(x)
    return _last


_last = None


# call: local_import_math(float(0, 100))
def local_import_math(x):
    import math
    return math.sqrt(x) + math.floor(x)


# call: local_import_math_errors(float(-10, 10))
def local_import_math_errors(x):
    import math
    return math.log(x)


# call: local_import_math_object(obj())
def local_import_math_object(x):
    import math
    return math.isnan(x) if isinstance(x, float) else math.__name__


# call: local_import_as(ints())
def local_import_as(xs):
    import functools as ft
    return ft.reduce(lambda a, b: a + b, xs, 0)


# call: local_from_import(ints())
def local_from_import(xs):
    from collections import Counter
    return sorted(Counter(xs).items())


# call: local_from_import_as(text())
def local_from_import_as(s):
    from os import path as p
    return p.join("a", s)


# call: local_import_submodule(text())
def local_import_submodule(s):
    import os.path
    return os.path.basename("/x/" + s)


# call: local_import_defaultdict(ints())
def local_import_defaultdict(xs):
    from collections import defaultdict
    d = defaultdict(list)
    for v in xs:
        d[v % 3].append(v)
    return sorted(d.items())


# call: local_import_numpy(int(0, 10))
def local_import_numpy(n):
    import numpy as np
    return int(np.arange(n).sum()) + n


# call: local_numpy_zeros(int(0, 10))
def local_numpy_zeros(n: int):
    import numpy as np
    a = np.zeros(n)
    t = 0.0
    for i in range(n):
        a[i] = i * 0.5
    for i in range(n):
        t += a[i]
    return float(t)


# call: module_lambda_call(int(-10, 10))
def module_lambda_call(x):
    return INC(x), DOUBLE(x)


INC = lambda v: v + 1
DOUBLE = lambda v, k=2: v * k
