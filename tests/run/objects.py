# Python objects in compiled code (untyped parameters): the number protocol, comparisons,
# truth, `is`/`in`, strings, containers, attributes and methods, calls of builtins and of
# module functions, big integers, and mixed object/C operands. CPython is the oracle.


# call: add(obj(), obj())
# call: add(text(), text())
# call: add(ints(), ints())
# call: add(int64(), int64())
def add(a, b):
    return a + b


# call: arith(obj(), obj())
# call: arith(any_of(int(-10, 10), float(-3, 3)), any_of(int(-10, 10), float(-3, 3)))
def arith(a, b):
    return (a - b) * (a + b)


# call: div(any_of(int64(), float(-100, 100)), any_of(int(-5, 5), float(-2, 2)))
def div(a, b):
    return a / b


# call: floordiv_mod(any_of(int64(), float(-100, 100)), any_of(int(-5, 5), float(-2, 2)))
def floordiv_mod(a, b):
    return a // b + a % b


# call: power(int(-20, 20), int(-3, 40))
# call: power(float(-3, 3), int(-4, 4))
def power(a, b):
    return a ** b


# call: bits(int64(), int(0, 70))
def bits(a, n):
    return (a << n) ^ (a >> 3) | (a & 0xFF)


# call: unary(obj())
def unary(a):
    return -a


# call: invert(int64())
# call: invert(obj())
def invert(a):
    return ~a + (+a)


# call: compare(obj(), obj())
# call: compare(int64(), float(-1e19, 1e19))
def compare(a, b):
    return a < b


# call: compare_eq(obj(), obj())
def compare_eq(a, b):
    return a == b


# call: chain(int(-5, 5), obj(), int(-5, 5))
def chain(a, b, c):
    return a < b <= c


# call: truth(obj())
def truth(a):
    if a:
        return 1
    return 0


# call: truth_not(obj())
def truth_not(a):
    return not a


# call: ifexp(obj(), obj(), obj())
def ifexp(c, a, b):
    return a if c else b


# call: identity(obj(), obj())
def identity(a, b):
    return (a is b, a is not None, b is None)


# call: contains(obj(), any_of(ints(), text(), obj()))
def contains(x, xs):
    return x in xs


# call: not_contains(text(3), text())
def not_contains(x, xs):
    return x not in xs


# call: greet(text())
def greet(name):
    return "hello, " + name + "!"


# call: strings(text())
def strings(s):
    return s.upper() + "|" + s.strip() + "|" + s.replace("a", "A")


# call: split_join(text())
def split_join(s):
    parts = s.split(",")
    return "-".join(parts)


# call: count_words(text(30))
def count_words(s):
    return len(s.split())


# call: find(text(), text(2))
def find(s, sub):
    return s.find(sub) + s.count(sub)


# call: format_percent(int64(), float(-1e3, 1e3))
def format_percent(a, b):
    return "%d and %.3f" % (a, b)


# call: index(any_of(ints(), text()), int(-10, 10))
def index(xs, i):
    return xs[i]


# call: slice2(any_of(ints(), text()), int(-10, 10), int(-10, 10))
def slice2(xs, a, b):
    return xs[a:b]


# call: slice3(any_of(ints(), text()), int(-5, 5), int(-3, 3))
def slice3(xs, a, step):
    return xs[a::step]


# call: store(ints(), int(-10, 10), obj())
def store(xs, i, v):
    xs[i] = v
    return xs


# call: dict_count(text(3), int(1, 4))
def dict_count(key, n: int):
    d = dict()
    for i in range(n):
        d[key] = d.get(key, 0) + i
    return d


# call: dict_del(text(2), text(2))
def dict_del(a, b):
    d = dict()
    d[a] = 1
    d[b] = 2
    del d[a]
    return d


# call: append_all(ints(), int(0, 6))
def append_all(xs, n: int):
    for i in range(n):
        xs.append(i * i)
    return xs


# call: aug_list(ints(), ints())
def aug_list(xs, ys):
    alias = xs
    xs += ys
    return alias


# call: aug_number(obj(), int(-3, 3))
def aug_number(a, n):
    a += n
    a *= 2
    return a


# call: sort_desc(ints())
# call: sort_desc(obj())
def sort_desc(xs):
    return sorted(xs, reverse=True)


# call: sort_by_len(text(), text(), text())
def sort_by_len(a, b, c):
    return sorted([a, b, c], key=len)


# call: builtins_mix(ints())
def builtins_mix(xs):
    return (len(xs), sum(xs), min(xs, default=None), max(xs, default=-1), list(reversed(xs)))


# call: conversions(any_of(int64(), float(-1e6, 1e6), text(4)))
def conversions(x):
    return (str(x), repr(x), bool(x), type(x).__name__)


# call: to_int(any_of(int64(), float(-1e20, 1e20), floats_special(), choice("12", " -7 ", "x", "1e3")))
def to_int(x):
    return int(x)


# call: to_float(any_of(int64(), float(-1e6, 1e6), choice("1.5", "inf", "nan", "-0", "x")))
def to_float(x):
    return float(x)


# call: isinst(obj())
def isinst(x):
    return isinstance(x, int), isinstance(x, (str, bytes))


# call: big(int(-10, 10))
def big(n):
    return 2 ** 100 + n * 12345678901234567890123


# call: hash_of(any_of(int64(), text()))
def hash_of(x):
    return hash(x) == hash(x)


# call: get_attr(obj())
def get_attr(x):
    return x.real


# call: call_method(text())
def call_method(s):
    return s.startswith("a"), s.endswith(" ")


# call: kwargs_call(ints())
def kwargs_call(xs):
    return sorted(xs, key=abs, reverse=True)


def helper(x, y=10):
    return x * y


# call: call_module_function(int(-5, 5))
def call_module_function(n):
    return helper(n) + helper(n, y=2) + helper(y=3, x=n)


# call: mixed_c(int(-1000, 1000), obj())
def mixed_c(n: int, x):
    return n * 2 + x


# call: mixed_float(float(-10, 10), any_of(int(-5, 5), float(-2, 2)))
def mixed_float(v: float, x):
    return v * x - 1.5


# A return annotation converts, as a typed return does in Cython (CPython ignores it).
# ref: to_c_int = lambda x: x if type(x) is int else Raises(TypeError, f"'{type(x).__name__}' object cannot be interpreted as an integer")
# call: to_c_int(any_of(int64(), float(-5, 5), text(2)))
def to_c_int(x) -> int:
    return x


# ref: to_c_float = lambda x: float(x) if type(x) in (int, float) else Raises(TypeError, f"must be real number, not {type(x).__name__}")
# call: to_c_float(any_of(int64(), float(-5, 5), text(2)))
def to_c_float(x) -> float:
    return x


# call: len_of(obj())
def len_of(x):
    return len(x)


# call: none_default(obj())
def none_default(x):
    if x is None:
        return "none"
    return x


# call: implicit_none(int(-3, 3))
def implicit_none(n):
    if n > 0:
        return n


# call: name_error(int(0, 1))
def name_error(n):
    if n:
        return undefined_name_here
    return 0


# call: print_it(obj())
def print_it(x):
    print("x:", x, sep="", end="")
    return None


# call: loop_objects(int(0, 5))
def loop_objects(n):
    acc = ""
    for i in range(n):
        acc = acc + str(i)
    return acc


# call: range_object(any_of(int(-3, 50), float(0, 2), text(1), choice(None, "3")))
def range_object(n):
    total = 0
    for i in range(n):
        total += i
    return total


# call: iter_total(any_of(ints(), obj()))
def iter_total(xs):
    s = 0
    for x in xs:
        s = s + x
    return s


# call: iter_first_negative(any_of(ints(), obj()))
def iter_first_negative(xs):
    for x in xs:
        if x < 0:
            return x
    else:
        return "none"


# call: iter_keys(choice("abc", "a stop b", "skip x", ""), int(0, 3))
def iter_keys(s, n: int):
    out = []
    for k in s.split() + list(s):
        if k == "stop":
            break
        if k == "skip":
            continue
        out.append(k * n)
    return out


# call: iter_typed_sum(any_of(ints(), text(3)))
def iter_typed_sum(xs) -> float:
    t: float = 0.0
    for x in xs:
        t += x
    return t


# call: iter_nested(ints(), text(4))
def iter_nested(xs, s):
    pairs = []
    for x in xs:
        for c in s:
            pairs.append((x, c))
    return pairs


# call: iter_dict(text(5))
def iter_dict(s):
    counts = {}
    for c in s:
        counts[c] = counts.get(c, 0) + 1
    return sorted(counts.items())


# Found by the random program generator: an operand that is an object only because two
# literals overflow 64 bits (`1 << 70`) must go through Python's `max`, not the C one.
# call: max_of_big(int(-2**40, 2**40))
def max_of_big(n: int):
    return max(n * 2, (-2147483647) << 47) + max(1 << 70, n)


import math


# call: floor_obj(any_of(float(-1e15, 1e15), int(-100, 100)))
def floor_obj(x):
    return math.floor(x)
