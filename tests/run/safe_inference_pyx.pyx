# Safe type inference (Cython's infer_types=None): an untyped local that takes part in
# arithmetic that may overflow a C integer is a Python object, so untyped code gives
# CPython's (and Cython's) big ints; counters and locals that stay out of arithmetic keep
# C types. Every function here is compared with CPython running the same code.


# call: fact(int(0, 40))
def fact(n):
    r = 1
    for i in range(1, n + 1):
        r *= i
    return r


# call: fact_typed(int(0, 40))
def fact_typed(int n):
    r = 1
    for i in range(1, n + 1):
        r *= i
    return r


# call: fib(int(0, 200))
def fib(int n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


# call: squares(int(0, 3000))
def squares(int n):
    s = 0
    for i in range(n):
        s += i * i * i * i * i
    return s


# call: power_sum(int(-10**6, 10**6), int(0, 12))
def power_sum(long x, int k):
    t = x
    for _ in range(k):
        t = t * x + 1
    return t


# call: neg_min(int(-2**63, 2**63 - 1))
def neg_min(long long v):
    x = v
    y = -x
    return y


# call: abs_min(int(-2**63, 2**63 - 1))
def abs_min(long long v):
    x = v
    return abs(x)


# call: counter(int(0, 5000))
def counter(int n):
    c = 0
    k = 0
    while k < n:
        k += 1
        if k % 3 == 0:
            c += 1
    return c, k


# call: index_only(int(1, 50))
def index_only(int n):
    xs = list(range(n))
    total = 0.0
    for i in range(n):
        total += xs[i]
    return total


# call: big_literal(int(-5, 5))
def big_literal(int n):
    x = 3000000000
    x += n
    return x * x


# call: shifted(int(0, 62), int(0, 200))
def shifted(int k, int m):
    v = 1
    v = v << k
    return v * m


# call: bitwise_only(int(-2**31, 2**31 - 1), int(-2**31, 2**31 - 1))
def bitwise_only(int a, int b):
    x = a
    y = b
    return x & y, x | y, x ^ y


# call: accumulate_list(ints())
def accumulate_list(xs):
    total = 0
    for x in xs:
        total += x * x
    return total
