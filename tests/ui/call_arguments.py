# Signatures and calls pycc refuses or that bind wrongly at compile time: star parameters
# in `cdef`/`cpdef` functions (Cython allows them only in `def`), star arguments to what has
# no Python object, and direct calls that break a signature's rules.
import cython


@cython.cfunc
def c_star(*args) -> cython.int:  # error: [unsupported-syntax]
    return 1


@cython.ccall
def c_kwonly(a: cython.int, *, b: cython.int = 2) -> cython.int:  # error: [unsupported-syntax]
    return a + b


@cython.cfunc
def c_plain(a: cython.int) -> cython.int:
    return a


def kw(a, *, k, m=2):
    return a


def pos(a, b, /, c=0):
    return a


def star_to_cdef(xs):
    return c_plain(*xs)  # error: [unsupported-syntax]


def missing_keyword_only(x):
    return kw(x, m=1)  # error: [wrong-argument-count]


def too_many_positional(x):
    return kw(x, x, k=1)  # error: [wrong-argument-count]


def positional_only_by_name(x):
    return pos(x, b=x)  # error: [wrong-argument-count]


def star_to_math(xs):
    return cython.cast(*xs)  # error: [unsupported-syntax]
