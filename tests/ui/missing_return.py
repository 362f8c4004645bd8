# A typed function whose end can be reached without `return`.


def sign(x: int) -> int:  # error: [missing-return]
    if x > 0:
        return 1
    elif x < 0:
        return -1


def loop(n: int) -> float:  # error: [missing-return]
    while n > 0:
        return 1.0
