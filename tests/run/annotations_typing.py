# Annotations from `typing` and the standard forms never refuse a module: `List[int]` is a
# list (element types are not checked, as in Cython), `Optional[X]` / `X | None` allow
# None, `Any`, `Iterator`, `Callable`, forward references and unknown names are objects,
# `Final[int]` is an `int`. Builtin kinds are checked as Cython checks annotations.
from __future__ import annotations

import typing
import typing as t
from typing import Any, Callable, ClassVar, Dict, Final, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Set, Tuple, Union


# call: list_of_int(ints())
# call: list_of_int(kinds())
# ref: list_of_int = kind_checked(list_of_int, xs="list!~")
def list_of_int(xs: List[int]) -> int:
    return len(xs)


# call: builtin_generic(ints())
# call: builtin_generic(kinds())
# ref: builtin_generic = kind_checked(builtin_generic, xs="list!~")
def builtin_generic(xs: list[int]) -> int:
    return len(xs) * 2


# call: dict_of(choice({}, {"a": 1.5}), "a")
# call: dict_of(kinds(), "a")
# ref: dict_of = kind_checked(dict_of, d="dict!~")
def dict_of(d: Dict[str, float], k: str) -> bool:
    return k in d


# call: tuple_of(choice((), (1,), (1, 2, 3)))
# call: tuple_of(kinds())
# ref: tuple_of = kind_checked(tuple_of, tup="tuple!~")
def tuple_of(tup: Tuple[int, ...]) -> int:
    return len(tup)


# call: set_of(kinds())
# ref: set_of = kind_checked(set_of, s="set!~")
def set_of(s: Set[int]) -> int:
    return len(s)


# call: frozenset_of(kinds())
# ref: frozenset_of = kind_checked(frozenset_of, s="frozenset!~")
def frozenset_of(s: FrozenSet[int]) -> int:
    return len(s)


# call: optional_list(kinds())
# ref: optional_list = kind_checked(optional_list, xs="list~")
def optional_list(xs: Optional[List[int]]) -> int:
    if xs is None:
        return 0
    return len(xs) + 1


# call: union_none(kinds())
# ref: union_none = kind_checked(union_none, xs="list~")
def union_none(xs: Union[list, None]) -> int:
    if xs is None:
        return 0
    return len(xs) + 2


# call: pipe_none(kinds())
# ref: pipe_none = kind_checked(pipe_none, xs="list~")
def pipe_none(xs: list | None) -> int:
    if xs is None:
        return 0
    return len(xs) + 3


# call: none_pipe(kinds())
# ref: none_pipe = kind_checked(none_pipe, d="dict~")
def none_pipe(d: None | dict):
    return d


# call: union_any(kinds())
def union_any(x: Union[int, str]):
    return x


# call: optional_int(any_of(int(-5, 5), choice(None)))
def optional_int(x: Optional[int]):
    if x is None:
        return -100
    return x + 1


# call: anything(obj())
def anything(x: Any) -> Any:
    return x


# call: iterable(ints())
# call: iterable(choice((1, 2), "ab", {1: 2}))
def iterable(xs: Iterable[int]) -> int:
    n = 0
    for _ in xs:
        n += 1
    return n


# call: sequence(any_of(ints(), text()))
def sequence(xs: Sequence[int]):
    return len(xs)


# call: iterator(ints())
def iterator(xs: Iterator[int]):
    return xs


# call: callable_arg(choice(None, 1))
def callable_arg(f: Callable[[int], int]):
    return f


# call: forward_ref(obj())
def forward_ref(x: "Foo") -> "Bar":
    return x


# call: unknown_name(obj())
def unknown_name(x: SomeClass):
    return x


# call: typing_module(kinds())
# ref: typing_module = kind_checked(typing_module, xs="list!~")
def typing_module(xs: typing.List[int]) -> int:
    return len(xs)


# call: typing_alias(kinds())
# ref: typing_alias = kind_checked(typing_alias, d="dict~")
def typing_alias(d: t.Optional[t.Dict[str, int]]):
    return d


# call: string_annotation(kinds())
# ref: string_annotation = kind_checked(string_annotation, xs="list!~")
def string_annotation(xs: "List[int]") -> "int":
    return len(xs)


# call: string_optional(kinds())
# ref: string_optional = kind_checked(string_optional, s="str~")
def string_optional(s: "Optional[str]"):
    return s


# call: final_local(int(-1000, 1000))
def final_local(n: int) -> int:
    k: Final[int] = 3
    m: Final = 4
    return n * k + m


# call: classvar_local(int(-10, 10))
def classvar_local(n: int):
    c: ClassVar[int] = n
    return c


# call: int_float_bool(int(-100, 100), float(-10, 10), bool())
def int_float_bool(i: int, f: float, b: bool) -> float:
    return i + f + b


# call: list_return(kinds())
# ref: list_return = lambda o: expect_kind(o, "list")
def list_return(o) -> List[int]:
    return o


# call: optional_return(kinds())
# ref: optional_return = lambda o: expect_kind(o, "tuple")
def optional_return(o) -> Optional[Tuple[int, int]]:
    return o


# call: annotated_local(kinds())
# ref: annotated_local = lambda o: expect_kind(o, "dict")
def annotated_local(o):
    d: Dict[str, int] = o
    return d


# call: str_default()
# call: str_default(text())
def str_default(s: str = "hello", n: int = -3, f: float = float("-inf")):
    return [s, n, f]
