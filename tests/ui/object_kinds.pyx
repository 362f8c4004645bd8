# Builtin object types that cannot hold a value, and `None` defaults of C parameters.


def c_param(int x=None):  # error: [invalid-assignment]
    return x


def wrong_default(list xs=(1, 2)):  # error: [invalid-assignment]
    return xs


def computed_default(list xs=list("ab")):  # error: [unsupported-syntax]
    return xs


def known_kinds(o):
    cdef list xs = (1, 2)  # error: [invalid-assignment]
    cdef str s = 5  # error: [invalid-assignment]
    cdef tuple t = o
    return xs, s, t
