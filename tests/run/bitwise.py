# Bitwise operators and shifts on Python `int` (two's complement semantics of Python's
# infinite-precision ints, restricted to 64 bits: `<<` that loses bits raises OverflowError).


# call: band(int64(), int64())
def band(a: int, b: int) -> int:
    return a & b


# call: bor(int64(), int64())
def bor(a: int, b: int) -> int:
    return a | b


# call: bxor(int64(), int64())
def bxor(a: int, b: int) -> int:
    return a ^ b


# call: binvert(int64())
def binvert(a: int) -> int:
    return ~a


# call[overflow]: shl(int(-1000, 1000), int(-2, 70))
# call[overflow]: shl(choice(-1, 1, -2, 2, 3, -3, 0), int(60, 66))
# call[overflow]: shl(int64(), int(0, 64))
def shl(a: int, n: int) -> int:
    return a << n


# call: shr(int64(), int(-2, 100))
def shr(a: int, n: int) -> int:
    return a >> n


# call: popcount(int(0, 2**62))
# call: popcount(int64())
def popcount(x: int) -> int:
    c = 0
    if x < 0:
        x = ~x
        c = 100
    while x:
        x &= x - 1
        c += 1
    return c


# call: bits_mix(int64(), int64())
def bits_mix(a: int, b: int) -> int:
    r = (a & b) ^ (a | ~b)
    r |= (a >> 3) & 255
    r ^= b >> 60
    r &= ~(a ^ 0x5555)
    return r


# Bitwise operators bind looser than comparisons' operands but tighter than `and`.
# call: bit_precedence(int(-100, 100), int(-100, 100))
def bit_precedence(a: int, b: int) -> bool:
    return a & 7 == b & 7 and a | 1 != 0 or a ^ b < 0


# call: shift_augmented(int(-10**6, 10**6), int(0, 20))
def shift_augmented(x: int, n: int) -> int:
    x <<= n
    x >>= 3
    x ^= n
    x |= 1
    x &= 0xFFFFF
    return x
