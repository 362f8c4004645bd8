# A Python syntax error: the file does not parse.


def incomplete(x: int) -> int:
    return x +  # error: [syntax-error]
