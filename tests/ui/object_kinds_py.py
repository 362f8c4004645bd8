# `None` for a C-typed parameter, and values that cannot be of a typed object's kind.
from typing import List, Optional


def c_param(x: int = None):  # error: [invalid-assignment]
    return x


def optional_int(x: Optional[int] = None):
    return x


def wrong_default(xs: List[int] = "ab"):  # error: [invalid-assignment]
    return xs


def wrong_return(n: int) -> dict:
    return [n]  # error: [invalid-assignment]
