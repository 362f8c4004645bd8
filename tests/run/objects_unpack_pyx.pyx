# Unpacking and comprehensions in Cython: tuple assignment between C locals is done in C
# (no object), unpacking an object into C-typed targets converts each item (Cython's
# errors), and a comprehension variable the function declares with `cdef` keeps its C type.


# call: fib(int(0, 90))
def fib(int n):
    cdef long a = 0, b = 1
    cdef int i
    for i in range(n):
        a, b = b, a + b
    return a


# call: fib_temps(int(0, 90))
def fib_temps(int n):
    cdef long a = 0, b = 1, t
    cdef int i
    for i in range(n):
        t = a + b
        a = b
        b = t
    return a


# call: swap_double(float(-1e3, 1e3), float(-1e3, 1e3))
def swap_double(double x, double y):
    x, y = y, x
    return x - 2 * y


# call: rotate_mixed(int(-100, 100), float(-10, 10))
def rotate_mixed(int i, double d):
    cdef double a = i
    cdef double b = d
    cdef double c = i * d
    a, b, c = b, c, a
    return a + 10 * b + 100 * c


# call: c_targets(choice((1, 2.5), (3, 4), (1, 2, 3), [7, 8], (5,), 3))
def c_targets(v):
    cdef int a
    cdef double b
    a, b = v
    return a, b + 0.5


# call: c_from_items(choice({1: 2.5}, {}, {3: 4, 5: 6}))
def c_from_items(d):
    cdef long k
    cdef double v
    cdef double total = 0.5
    for k, v in d.items():
        total += k * v
    return total


# call: gcd(int(1, 10000), int(1, 10000))
def gcd(long a, long b):
    while b:
        a, b = b, a % b
    return a


# call: typed_comp(ints())
def typed_comp(xs):
    cdef int x
    return [x * 2 for x in xs]


# call: typed_range_comp(int(-5, 40))
def typed_range_comp(int n):
    cdef int i
    return [i * i for i in range(n)]


# call: comp_scope(int(0, 10))
def comp_scope(int n):
    cdef int i = 100
    squares = [i * i for i in range(n)]
    return i, squares


# call: untyped_comp(int(0, 10), ints())
def untyped_comp(n, xs):
    return {k: [x + k for x in xs] for k in range(n)}


# call: gen_sum_c(int(0, 100))
def gen_sum_c(int n):
    cdef int i
    return sum(i * i for i in range(n))


# call: gen_any_c(int(0, 50), int(0, 100))
def gen_any_c(int n, int k):
    cdef int i
    return any(i * i == k for i in range(n))


# call: view_swap(array("f8", 5, -10, 10), int(0, 4), int(0, 4))
def view_swap(double[:] m, int i, int j):
    m[i], m[j] = m[j], m[i]
    return float(m[0] + 2 * m[1] + 3 * m[2] + 4 * m[3] + 5 * m[4])


# call: view_unpack(array("i8", 3, -100, 100), choice((1, 2, 3), [4, 5, 6], (1, 2)))
def view_unpack(long[:] m, v):
    m[0], m[1], m[2] = v
    return int(m[0] * 10000 + m[1] * 100 + m[2])
