# Cython declarations of builtin object types: `def f(list xs)` takes None (unless
# `not None`), `cdef list ys = o` checks `o` when it runs, and the fast paths on typed
# locals and parameters raise what CPython raises.


# call: plain_len(kinds())
# ref: plain_len = kind_checked(plain_len, xs="list")
def plain_len(list xs):
    if xs is None:
        return -1
    return len(xs)


# call: not_none_len(kinds())
# ref: not_none_len = kind_checked(not_none_len, xs="list!")
def not_none_len(list xs not None):
    return len(xs)


# call: or_none(kinds())
# ref: or_none = kind_checked(or_none, d="dict")
def or_none(dict d or None):
    return d


# call: declared_local(kinds())
# ref: declared_local = lambda o: expect_kind(o, "list")
def declared_local(o):
    cdef list ys = o
    return ys


# call: declared_tuple(kinds())
# ref: declared_tuple = lambda o: expect_kind(o, "tuple")
def declared_tuple(o):
    cdef tuple t
    t = o
    return t


# call: declared_str(kinds())
# ref: declared_str = lambda o: expect_kind(o, "str")
def declared_str(o):
    cdef str s = o
    return s


# call: declared_bytes(kinds())
# ref: declared_bytes = lambda o: expect_kind(o, "bytes")
def declared_bytes(o):
    cdef bytes b = o
    return b


# call: declared_set(kinds())
# ref: declared_set = lambda o: expect_kind(o, "set")
def declared_set(o):
    cdef set s = o
    return s


# call: declared_frozenset(kinds())
# ref: declared_frozenset = lambda o: expect_kind(o, "frozenset")
def declared_frozenset(o):
    cdef frozenset s = o
    return s


# call: declared_dict(kinds())
# ref: declared_dict = lambda o: expect_kind(o, "dict")
def declared_dict(o):
    cdef dict d = o
    return d


# call: declared_bytearray(kinds())
# ref: declared_bytearray = lambda o: expect_kind(o, "bytearray")
def declared_bytearray(o):
    cdef bytearray b = o
    return b


# call: c_index(ints(), int(-10, 10))
# call: c_index(choice(None, [1, 2]), int(-3, 3))
def c_index(list xs, int i):
    return xs[i]


# call: c_index_tuple(choice((), (1, 2, 3), ("a",)), int(-4, 4))
def c_index_tuple(tuple t, Py_ssize_t i):
    return t[i]


# call: c_index_unsigned(ints(), int(0, 10))
def c_index_unsigned(list xs, unsigned int i):
    return xs[i]


# call: c_store(ints(), int(-9, 9), obj())
# call: c_store(choice(None, [1]), 0, 1)
def c_store(list xs, long i, v):
    xs[i] = v
    return xs


# call: build_squares(int(0, 30))
def build_squares(int n):
    cdef list out = []
    cdef int i
    for i in range(n):
        out.append(i * i)
    return out


# call: sum_typed(ints())
def sum_typed(list xs not None):
    cdef long total = 0
    cdef Py_ssize_t i
    for i in range(len(xs)):
        total += xs[i]
    return total


# call: count_in(choice({}, {"a": 1, "b": 2}), text(2))
def count_in(dict d, str k):
    cdef int n = 0
    if k in d:
        n += 1
    if k not in d:
        n += 10
    return n


# call: in_set(choice({1, 2, 3}, {2}, (), [4, 1]), int(-1, 4))
def in_set(s, int k):
    cdef set t = set(s)
    return k in t


# call: str_len(kinds())
# ref: str_len = kind_checked(str_len, s="str")
def str_len(str s):
    if s is None:
        return -1
    return len(s)


# call: unicode_len(text())
def unicode_len(unicode s):
    return len(s)


# call: obj_default()
# call: obj_default(obj())
def obj_default(x=None, s="abc", t=(1, 2.5, "z"), b=b"\x00\xff"):
    return (x, s, t, b)


# call: typed_default()
# call: typed_default(choice(None, [], [1, 2]))
def typed_default(list xs=None):
    if xs is None:
        return 0
    return len(xs)
