# Argument passing in full, in a .pyx (Cython 3 semantics): star arguments and star items,
# and `def` signatures with C-typed keyword-only parameters, `/`, `*args` and `**kwargs`.


# call: scaled(int(-5, 5))
# call: scaled(int(-5, 5), n=int(-3, 3))
# call: scaled(a=int(-5, 5), n=int(-3, 3), bias=float(-1, 1))
def scaled(int a, *, int n=3, double bias=0.0):
    return a * n + bias


# call: needs_key(int(0, 9), key=int(0, 9))
# call: needs_key(int(0, 9), key=obj())
def needs_key(long a, *, key, long step=1):
    return (a + step, key)


# call: first_two(int(0, 5), int(0, 5))
# call: first_two(int(0, 5), int(0, 5), c=int(0, 5))
def first_two(int a, int b, /, int c=7):
    return a * 100 + b * 10 + c


# call: gather(int(0, 5))
# call: gather(int(0, 5), obj(), text(), flag=bool(), extra=obj())
def gather(int a, *args, bint flag=False, **kw):
    cdef int n = len(args)
    return (a + n, flag, args, sorted(kw))


# call: count_args(obj(), obj(), obj())
# call: count_args()
def count_args(*args):
    cdef int n = 0
    for x in args:
        n += 1
    return n


# call: total(int(0, 9), a=int(0, 9), b=int(0, 9))
# call: total(int(0, 9))
def total(int base, **kw):
    cdef long s = base
    for v in kw.values():
        s += v
    return s


# call: via_scaled(ints(lo=-3, hi=3, max_len=2), choice({}, {'n': 2}, {'bias': 0.5}, {'q': 1}, {'a': 1}, {'n': 1, 'bias': -1.0}))
def via_scaled(xs, kw):
    return scaled(*xs, **kw)


# call: via_first_two(ints(lo=0, hi=5, max_len=4), choice({}, {'c': 1}, {'a': 1}, {'a': 1, 'b': 2}, {'d': 0}))
def via_first_two(xs, kw):
    return first_two(*xs, **kw)


# call: via_needs_key(ints(lo=0, hi=5, max_len=3), choice({}, {'key': 1}, {'step': 2}, {'key': 0, 'step': 3}, {'z': 1}))
def via_needs_key(xs, kw):
    return needs_key(*xs, **kw)


# call: via_gather(ints(max_len=4), choice({}, {'flag': True}, {'x': 1}, {'a': 2}))
def via_gather(xs, kw):
    return gather(*xs, **kw)


# call: pyx_displays(ints(max_len=3), text(max_len=3), choice({}, {'k': 1}, {'z': 2}))
# call: pyx_displays(obj(), text(), obj())
def pyx_displays(a, s, d):
    return [*a, *s], (*s, *a), sorted({*a}), {**d, 'k': 0}


# call: pyx_star_builtin(ints(lo=-9, hi=9, max_len=4))
def pyx_star_builtin(xs):
    cdef int m = max(0, *xs)
    return m


# call: pyx_direct(int(0, 9))
def pyx_direct(int n):
    return (
        scaled(n, n=2),
        needs_key(n, key='k', step=n),
        first_two(n, 1),
        first_two(1, n, c=n),
        gather(n, 1, 2, flag=True, w=0),
        count_args(n, n),
        total(n, x=1),
    )
