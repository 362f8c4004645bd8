# Objects of a known builtin kind (`xs: list`, `d: dict`, `s: str`, ...): Cython's argument
# tests at the call boundary (an annotation refuses None and subclasses), the check of an
# assignment to a typed local or of a typed return, and the fast paths (len, xs[i] with a C
# index, xs[i] = v, append, `in` on dicts and sets), whose errors are CPython's.
from typing import Optional


# call: first(ints())
# call: first(kinds())
# ref: first = kind_checked(first, xs="list!~")
def first(xs: list):
    return xs[0]


# call: item(ints(), int(-10, 10))
# call: item(kinds(), int(-3, 3))
# ref: item = kind_checked(item, xs="list!~")
def item(xs: list, i: int):
    return xs[i]


# call: titem(choice((), (1,), (1, "a", None), (2.5, 3)), int(-4, 4))
# call: titem(kinds(), 0)
# ref: titem = kind_checked(titem, t="tuple!~")
def titem(t: tuple, i: int):
    return t[i]


# call: last_two(ints())
def last_two(xs: list):
    return [xs[-1], xs[-2]]


# call: len_list(ints())
# call: len_list(kinds())
# ref: len_list = kind_checked(len_list, xs="list!~")
def len_list(xs: list) -> int:
    return len(xs)


# call: len_tuple(kinds())
# ref: len_tuple = kind_checked(len_tuple, t="tuple!~")
def len_tuple(t: tuple) -> int:
    return len(t)


# call: len_dict(kinds())
# ref: len_dict = kind_checked(len_dict, d="dict!~")
def len_dict(d: dict) -> int:
    return len(d)


# call: len_set(kinds())
# ref: len_set = kind_checked(len_set, s="set!~")
def len_set(s: set) -> int:
    return len(s)


# call: len_frozenset(kinds())
# ref: len_frozenset = kind_checked(len_frozenset, s="frozenset!~")
def len_frozenset(s: frozenset) -> int:
    return len(s)


# call: len_str(text())
# call: len_str(kinds())
# ref: len_str = kind_checked(len_str, s="str!~")
def len_str(s: str) -> int:
    return len(s)


# call: len_bytes(kinds())
# ref: len_bytes = kind_checked(len_bytes, b="bytes!~")
def len_bytes(b: bytes) -> int:
    return len(b)


# call: len_bytearray(kinds())
# ref: len_bytearray = kind_checked(len_bytearray, b="bytearray!~")
def len_bytearray(b: bytearray) -> int:
    return len(b)


# call: opt_len(kinds())
# ref: opt_len = kind_checked(opt_len, xs="list~")
def opt_len(xs: Optional[list]) -> int:
    if xs is None:
        return -1
    return len(xs)


# call: none_default(kinds())
# ref: none_default = kind_checked(none_default, xs="list~")
def none_default(xs: list = None) -> int:
    if xs is None:
        return -1
    return len(xs) + 100


# call: len_of_none(choice(None, [1]))
def len_of_none(xs: Optional[list]) -> int:
    return len(xs)


# call: index_of_none(choice(None, [1, 2]), int(-2, 2))
def index_of_none(xs: Optional[list], i: int):
    return xs[i]


# call: setitem(ints(), int(-10, 10), obj())
def setitem(xs: list, i: int, v):
    xs[i] = v
    return xs


# call: setitem_none(choice(None, [0, 1]), int(-3, 3))
def setitem_none(xs: Optional[list], i: int):
    xs[i] = 9
    return xs


# call: append_all(ints(), ints())
# call: append_all(kinds(), ints())
# ref: append_all = kind_checked(append_all, xs="list!~")
def append_all(xs: list, ys):
    for y in ys:
        xs.append(y)
    return xs


# call: append_none(choice(None, [1]))
def append_none(xs: Optional[list]):
    xs.append(1)
    return xs


# call: append_result(ints(), obj())
def append_result(xs: list, v):
    r = xs.append(v)
    return [r, len(xs)]


# call: dict_contains(choice({}, {"a": 1}, {1: 2, "k": 3}), obj())
# call: dict_contains(kinds(), "a")
# ref: dict_contains = kind_checked(dict_contains, d="dict!~")
def dict_contains(d: dict, k) -> bool:
    return k in d


# call: dict_not_in(choice({}, {"a": 1}, {(1, 2): 0}), obj())
def dict_not_in(d: dict, k) -> bool:
    return k not in d


# call: set_contains(choice({1, 2}, {"a", (1,)}, {0.5}), obj())
# call: set_contains(kinds(), 1)
# ref: set_contains = kind_checked(set_contains, s="set!~")
def set_contains(s: set, k) -> bool:
    return k in s


# call: frozenset_contains(kinds(), 1)
# ref: frozenset_contains = kind_checked(frozenset_contains, s="frozenset!~")
def frozenset_contains(s: frozenset, k) -> bool:
    return k in s


# call: contains_none(choice(None, {1: 1}), 1)
def contains_none(d: Optional[dict], k) -> bool:
    return k in d


# call: assign_typed(kinds())
# ref: assign_typed = lambda o: expect_kind(o, "list")
def assign_typed(o):
    xs: list = o
    return xs


# call: assign_dict(kinds())
# ref: assign_dict = lambda o: expect_kind(o, "dict")
def assign_dict(o):
    d: dict = o
    return d


# call: ret_list(kinds())
# ref: ret_list = lambda o: expect_kind(o, "list")
def ret_list(o) -> list:
    return o


# call: ret_str(kinds())
# ref: ret_str = lambda o: expect_kind(o, "str")
def ret_str(o) -> str:
    return o


# call: display_kinds(int(-100, 100))
def display_kinds(n: int):
    xs = [n, n + 1]
    t = (n, "a")
    d = {"k": n}
    xs.append(n * 2)
    xs[0] = t[1]
    return [len(xs), len(t), len(d), xs[-1], t[0], "k" in d, xs]


# call: sum_list(ints())
# call: sum_list(kinds())
# ref: sum_list = kind_checked(sum_list, xs="list!~")
def sum_list(xs: list):
    total = 0
    n = len(xs)
    i = 0
    while i < n:
        total = total + xs[i]
        i += 1
    return total


# call: reversed_copy(ints())
def reversed_copy(xs: list) -> list:
    out: list = []
    i = len(xs) - 1
    while i >= 0:
        out.append(xs[i])
        i -= 1
    return out


# call: keyword_call(ints())
def keyword_call(xs: list):
    return len_list(xs=xs) + len_list(xs)


# call: internal_opt(kinds())
# ref: internal_opt = lambda o: kind_checked(opt_len, xs="list~")(o)
def internal_opt(o):
    return opt_len(o)


# call: internal_call(kinds())
# ref: internal_call = lambda o: kind_checked(len_list, xs="list!~")(o)
def internal_call(o):
    return len_list(o)


# call: str_index(text(), int(-3, 3))
def str_index(s: str, i: int):
    return s[i]


# call: defaults()
# call: defaults(kinds())
# call: defaults(b=text())
def defaults(a=None, b="s", c=b"y", d=(1, (2, "x"), None), e=-5, f=1.5, g=True, h=float("inf"), i=-2**70, j=()):
    return (a, b, c, d, e, f, g, h, i, j)


# call: typed_defaults()
# call: typed_defaults(choice(None, "", "xyz"), choice((), (1, 2)))
# ref: typed_defaults = kind_checked(typed_defaults, s="str!~", t="tuple!~")
def typed_defaults(s: str = "abc", t: tuple = (1,)):
    return [len(s), len(t)]


# call: loop_sum(ints())
# call: loop_sum(kinds())
# ref: loop_sum = kind_checked(loop_sum, xs="list!~")
def loop_sum(xs: list):
    total = 0
    for x in xs:
        total = total + x
    return total


# call: loop_else(ints(), int(-50, 50))
def loop_else(xs: list, stop: int):
    seen = []
    for x in xs:
        if x == stop:
            break
        if x < 0:
            continue
        seen.append(x)
    else:
        seen.append("done")
    return seen


# call: loop_mutating(ints())
def loop_mutating(xs: list):
    n = 0
    for x in xs:
        n += 1
        if len(xs) < 12:
            xs.append(x)
        if n > 3 and len(xs) > 2:
            xs.pop(0)
    return [n, xs]


# call: loop_rebinding(ints())
def loop_rebinding(xs: list):
    out = []
    for x in xs:
        xs = [0]
        out.append(x)
    return [out, xs]


# call: loop_tuple(choice((), (1, 2, 3), ("a", None)))
def loop_tuple(t: tuple):
    out = []
    for x in t:
        out.append(x)
    return out


# call: loop_none(choice(None, [1, 2]))
def loop_none(xs: Optional[list]):
    n = 0
    for _ in xs:
        n += 1
    return n


def none_helper(x):
    if x is None:
        return 1
    return 2


# call: calls_none_helper(kinds())
def calls_none_helper(o):
    # A small callee that tests `is None` (a data symbol) called from compiled code: it
    # used to be inlined with the symbol renamed (a crash).
    return none_helper(o) + none_helper(None)


# call: mutable_default(int(-5, 5))
# call: mutable_default(int(0, 3), choice([7], []))
def mutable_default(v: int, acc=[], table={"a": 1, 2: (3,)}):
    # The default list is made once and shared by the calls, as in CPython: each call
    # sees what the calls before it appended (the harness calls in the same order).
    acc.append(v)
    return [len(acc) > 0, acc[-1], table]
