# Non-printable characters in a .pyx file are named by their code point.


def f(int x):
    return x   # error: [syntax-error] "U+00A0"
