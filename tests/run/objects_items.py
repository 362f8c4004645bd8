# Item reads with a C integer index and len() without a call: an exact list or tuple is
# read from its items after a bounds test (negative indices from the end); anything else
# (a subclass with its own __getitem__, a dict, a str, an object with __getitem__, None, an
# index out of range) takes Python's protocol and raises CPython's errors.
from typing import Optional


# call: item(kinds(), int(-4, 4))
# call: item(ints(max_len=4), int(-6, 6))
# call: item(choice((), (1,), (1, "a", None), (2.5, 3)), int(-4, 4))
def item(xs, i: int):
    return xs[i]


# call: first_last(kinds())
# call: first_last(ints())
def first_last(xs):
    return [xs[0], xs[-1]]


# call: literal_far(kinds())
def literal_far(xs):
    return xs[2]


# call: literal_negative_far(kinds())
def literal_negative_far(xs):
    return xs[-3]


# call: index_from_call(kinds(), int(-3, 3))
def index_from_call(xs, i: int):
    # The index expression runs once, before the item is read.
    return xs[bump(i)]


def bump(i: int) -> int:
    return i + 1


# call: pair_sum(choice((1, 2), [3, 4], (1.5, 2.5), ("a", "b"), (1,), [], None, {0: 1, 1: 2}))
def pair_sum(p):
    return p[0] + p[1]


# call: nested(choice(((1, 2), (3, 4)), [[1], [2, 3]], ((1,),), [(5, 6)], ()), int(-2, 2), int(-2, 2))
def nested(xs, i: int, j: int):
    return xs[i][j]


# call: loop_items(kinds())
# call: loop_items(ints())
def loop_items(xs):
    out = []
    n: int = len(xs)
    for k in range(n):
        out.append(xs[k])
    return out


# call: typed_list_item(ints(max_len=4), int(-6, 6))
# call: typed_list_item(kinds(), int(-2, 2))
# ref: typed_list_item = kind_checked(typed_list_item, xs="list!~")
def typed_list_item(xs: list, i: int):
    return xs[i]


# call: typed_tuple_item(choice((), (1,), (1, "a", None)), int(-4, 4))
# call: typed_tuple_item(kinds(), 0)
# ref: typed_tuple_item = kind_checked(typed_tuple_item, t="tuple!~")
def typed_tuple_item(t: tuple, i: int):
    return t[i]


# call: optional_item(choice(None, [1, 2], [], [7]), int(-3, 3))
def optional_item(xs: Optional[list], i: int):
    return xs[i]


# call: display_item(int(-5, 5))
def display_item(i: int):
    xs = [10, 20, 30]
    t = ("a", "b")
    return [xs[i], t[i]]


# call: kind_lens(ints(), text())
def kind_lens(xs: list, s: str):
    t = (1, 2, 3)
    d = {"a": 1}
    st = {1, 2}
    return [len(xs), len(t), len(d), len(st), len(s), len([]), len(())]


# call: optional_len(choice(None, [], [1, 2]))
def optional_len(xs: Optional[list]):
    return len(xs)


# call: untyped_len(kinds())
def untyped_len(x):
    return len(x)


# str(x) and repr(x) call PyObject_Str / PyObject_Repr, as the builtins do.
# call: to_str(obj())
# call: to_str(kinds())
def to_str(x):
    return str(x)


# call: to_repr(obj())
# call: to_repr(kinds())
def to_repr(x):
    return repr(x)


# call: c_values_str(int(-1000, 1000), float(-1e6, 1e6))
def c_values_str(i: int, f: float):
    b: bool = i > 0
    return [str(i), str(f), str(b), repr(i), repr(f), str(i) + repr(f)]


# call: str_forms(text())
def str_forms(s):
    # Other forms call the builtin.
    return [str(), str(s.encode(), "utf-8"), str(object=s)]
