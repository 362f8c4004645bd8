# A Python syntax error: the file does not parse.
# xfail: the caret of a syntax error at the end of a line sits after the trailing comment


def incomplete(x: int) -> int:
    return x +  # error: [syntax-error]
