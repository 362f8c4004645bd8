# Strings are not compiled (no str type).


def greet(n: int) -> int:
    s = "hello"  # error: [unsupported-syntax]
    return n
