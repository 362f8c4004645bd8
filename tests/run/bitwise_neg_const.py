# `&`, `|` and `^` with a negative constant right operand (masks such as `x & -8`): once
# mistaken for negative shift counts by the checker.


# call: neg_masks(int64())
def neg_masks(a: int) -> int:
    return (a & -8) ^ (a | -2) ^ (a ^ -13)
