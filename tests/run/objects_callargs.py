# Argument passing in full (issue 8): star arguments at call sites (`f(*xs, **kw)`), star
# items in displays (`[*a, *b]`, `{**d}`), and `def` signatures with `/`, keyword-only
# parameters, `*args` and `**kwargs`, called from Python (the runtime binds them), through
# Python (a star call of a function of the module) and directly (bound at compile time).
from typing import Optional


# --- Star items in displays ------------------------------------------------------------

# call: list_items(ints(max_len=4), ints(max_len=3))
# call: list_items(any_of(ints(), text(), obj()), ints())
def list_items(a, b):
    return [*a, 0, *b]


# call: tuple_items(ints(max_len=4), text(max_len=4))
# call: tuple_items(obj(), text())
def tuple_items(a, s):
    return (*a, *s)


# call: only_star(any_of(ints(), text(), obj()))
def only_star(a):
    return (*a,), [*a]


# call: set_items(ints(lo=-3, hi=3), ints(lo=-3, hi=3))
# call: set_items(obj(), ints())
def set_items(a, b):
    return sorted({*a, 1, *b})


# call: dict_items(choice({}, {'a': 1}, {'k': 5, 'b': 2}, {1: 'x'}), int(0, 9))
# call: dict_items(obj(), int(0, 3))
# call: dict_items(any_of(ints(), text(), choice({'z': 1})), int(0, 3))
def dict_items(d, v):
    return {'a': 0, **d, 'k': v}


# call: dict_two(choice({}, {'a': 1}, {'a': 2, 'b': 3}), choice({}, {'a': 9}, {'c': 0}))
# call: dict_two(choice({'a': 1}), obj())
def dict_two(d, e):
    return {**d, **e}


# call: nested_items(ints(max_len=3), text(max_len=3))
def nested_items(a, s):
    return [*[*a, *s], *(*s,)]


# --- Star arguments to builtins and Python callables ---------------------------------

# call: star_max(ints(lo=-9, hi=9, max_len=4))
# call: star_max(any_of(ints(), obj()))
def star_max(xs):
    return max(*xs)


# call: star_max_more(ints(lo=-9, hi=9, max_len=3), int(-9, 9))
def star_max_more(xs, n: int):
    return max(n, *xs, -100)


# call: star_dict(choice({}, {'a': 1}, {'a': 1, 'b': 2}, {1: 2}), int(0, 5))
# call: star_dict(obj(), int(0, 5))
def star_dict(kw, n: int):
    return dict(**kw, n=n)


# call: star_dict_pairs(choice([], [('a', 1)], [('a', 1), ('b', 2)]), choice({}, {'c': 3}, {'a': 0}))
def star_dict_pairs(pairs, kw):
    return dict(pairs, **kw)


# call: star_method(text(max_len=6), ints(lo=-3, hi=10, max_len=2))
def star_method(s, args):
    return s.center(*args)


# call: star_format(choice('{}-{}', '{a}{b}', '{0}', '{}{a}'), ints(max_len=3), choice({}, {'a': 1}, {'a': 1, 'b': 2}))
def star_format(fmt, xs, kw):
    return fmt.format(*xs, **kw)


# call: star_callable(choice('list', 'tuple', 'sorted', 'len'), ints(max_len=4))
def star_callable(name, xs):
    f = {'list': list, 'tuple': tuple, 'sorted': sorted, 'len': len}[name]
    return f(*[xs])


# call: star_mixed(ints(max_len=3), ints(max_len=3))
def star_mixed(a, b):
    return max(0, *a, *b, key=abs)


# call: star_zip(ints(max_len=3), ints(max_len=3))
def star_zip(a, b):
    return list(zip(*[a, b]))


# --- def signatures: positional-only, keyword-only, *args, **kwargs --------------------

# call: pair(int(-5, 5))
# call: pair(int(-5, 5), b=int(-5, 5))
# call: pair(b=int(-5, 5), a=int(-5, 5))
def pair(a, b=10):
    return (a, b)


# call: kwonly(int(-5, 5))
# call: kwonly(int(-5, 5), n=int(0, 3))
def kwonly(a: int, *, n: int = 3) -> int:
    return a * n


# call: kwonly_req(obj(), k=obj())
# call: kwonly_req(obj(), k=int(0, 3), m=text())
# call: kwonly_req(a=obj(), k=int(0, 3))
def kwonly_req(a, *, k, m=2):
    return (a, k, m)


# call: posonly(int(0, 5), int(0, 5))
# call: posonly(int(0, 5), int(0, 5), c=int(0, 5))
# call: posonly(int(0, 5), int(0, 5), int(0, 5))
def posonly(a, b, /, c=0):
    return (a, b, c)


# call: collect(obj())
# call: collect(int(0, 5), obj(), obj())
# call: collect(int(0, 5), text(), sep=text(), x=obj())
# call: collect(a=int(0, 5), y=int(0, 5))
def collect(a, *args, sep=', ', **kw):
    return (a, args, sep, sorted(kw.items()))


# call: only_args()
# call: only_args(obj(), obj(), obj())
def only_args(*args):
    return args


# call: only_kwargs()
# call: only_kwargs(a=obj(), b=obj())
def only_kwargs(**kwargs):
    return sorted(kwargs.items())


# call: everything(int(0, 3), int(0, 3), d=obj())
# call: everything(int(0, 3), int(0, 3), int(0, 3), int(0, 3), d=int(0, 3), e=text())
# call: everything(int(0, 3), b=int(0, 3), d=int(0, 3))
def everything(a, /, b, c=5, *args, d, e='e', **kw):
    return (a, b, c, args, d, e, sorted(kw))


# call: args_len(obj(), obj())
def args_len(*args) -> int:
    n = 0
    for x in args:
        n += 1
    return n + len(args)


# call: kwargs_typed(int(0, 9), x=int(0, 9), y=int(0, 9))
def kwargs_typed(base: int, **kw) -> int:
    total = base
    for v in kw.values():
        total += v
    return total


# call: kwonly_typed(float(-2, 2), scale=float(-2, 2))
# call: kwonly_typed(float(-2, 2))
def kwonly_typed(x: float, *, scale: float = 2.0, shift: Optional[int] = None) -> float:
    if shift is None:
        return x * scale
    return x * scale + shift


# --- The same signatures called through Python with star arguments (binding errors) --

# call: via_pair(ints(max_len=3))
# call: via_pair(ints(max_len=2), choice({}, {'b': 5}, {'a': 1}, {'c': 2}, {'a': 1, 'b': 2}))
def via_pair(xs, kw={}):
    return pair(*xs, **kw)


# call: via_kwonly(ints(max_len=3), choice({}, {'k': 1}, {'k': 1, 'm': 5}, {'z': 0}, {'a': 9, 'k': 0}, {'m': 1}))
def via_kwonly(xs, kw):
    return kwonly_req(*xs, **kw)


# call: via_posonly(ints(max_len=4), choice({}, {'c': 1}, {'a': 1}, {'b': 2, 'a': 1}, {'d': 1}, {'a': 1, 'c': 2}))
def via_posonly(xs, kw):
    return posonly(*xs, **kw)


# call: via_collect(ints(max_len=4), choice({}, {'sep': '-'}, {'x': 1}, {'a': 5}, {'x': 1, 'sep': ';'}))
def via_collect(xs, kw):
    return collect(*xs, **kw)


# call: via_everything(ints(max_len=5), choice({}, {'d': 1}, {'d': 1, 'b': 2}, {'a': 0, 'd': 1}, {'d': 0, 'z': 9}, {'c': 3, 'd': 4}))
def via_everything(xs, kw):
    return everything(*xs, **kw)


# call: via_kwonly_typed(ints(lo=-3, hi=3, max_len=2), choice({}, {'scale': 1.5}, {'shift': 2}, {'scale': 2.0}, {'shift': 1, 'scale': 0.5}))
def via_kwonly_typed(xs, kw):
    return kwonly_typed(*xs, **kw)


# call: via_keywords_after(ints(max_len=2), choice({}, {'m': 1}, {'z': 2}))
def via_keywords_after(xs, kw):
    return kwonly_req(*xs, **kw, k=7)


# --- Direct calls between compiled functions (bound at compile time) -----------------

# call: direct_calls(int(0, 9))
def direct_calls(n: int):
    return (
        collect(n, n + 1, x=n, sep='/'),
        collect(n),
        kwonly_req(n, k=n),
        kwonly_req(n, m=1, k=2),
        posonly(n, 2),
        posonly(1, n, c=n),
        everything(n, n, n, n, n, d=0, z=1),
        only_args(n, 'x'),
        only_kwargs(q=n),
        kwonly(n, n=2),
        kwargs_typed(n, a=1, b=2),
    )


# call: direct_order(ints(max_len=3))
def direct_order(xs):
    seen = []
    collect(seen.append(1), seen.append(2), w=seen.append(3), sep=seen.append(4), v=seen.append(5))
    return seen, collect(*xs) if xs else None
