# Exception handling is not compiled.
# xfail: the underline of a multi-line statement (try) runs over the trailing comment


def safe_div(a: int, b: int) -> int:
    try:  # error: [unsupported-syntax]
        return a // b
    except ZeroDivisionError:
        return 0
