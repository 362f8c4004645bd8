# Exception handling is not compiled.


def safe_div(a: int, b: int) -> int:
    try:  # error: [unsupported-syntax]
        return a // b
    except ZeroDivisionError:
        return 0
