# `&`, `|` and `^` with a negative constant right operand (masks such as `x & -8`). Its own
# file, because the checker currently rejects these at compile time ("negative shift
# count"), which fails every call of the file it is in.


# call: neg_masks(int64())
def neg_masks(a: int) -> int:
    return (a & -8) ^ (a | -2) ^ (a ^ -13)
