"""Digits of pi with big integers (the unbounded spigot of pyperformance's bm_pidigits,
written without generators)."""

NDIGITS = 300


def compose(a, b):
    aq, ar, as_, at = a
    bq, br, bs, bt = b
    return (aq * bq, aq * br + ar * bt, as_ * bq + at * bs, as_ * br + at * bt)


def extract(z, j):
    q, r, s, t = z
    return (q * j + r) // (s * j + t)


def pi_digits(n):
    z = (1, 0, 0, 1)
    k = 1
    digits = []
    while len(digits) < n:
        y = extract(z, 3)
        if y == extract(z, 4):
            digits.append(y)
            z = compose((10, -10 * y, 0, 1), z)
        else:
            z = compose(z, (k, 4 * k + 2, 0, 2 * k + 1))
            k += 1
    return digits


if __name__ == "__main__":
    d = pi_digits(NDIGITS)
    text = "".join(str(x) for x in d)
    for i in range(0, len(text), 50):
        print(text[i:i + 50])
    print("sum", sum(d), "last", d[-1])
