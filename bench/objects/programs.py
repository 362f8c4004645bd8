"""Object-heavy programs for `bench/objects/run.py`: plain, untyped Python (one typed hot
loop in `mixed`, in Cython's pure mode), compiled unchanged by pycc and by Cython."""

import cython

WORDS = ("the quick brown fox jumps over the lazy dog and the cat, "
         "The Dog barks; a fox runs. Over and over the words repeat")


def make_text(n):
    parts = []
    for i in range(n):
        parts.append(WORDS)
        parts.append(str(i % 17))
    return " ".join(parts)


def wordcount(text):
    """Word counting with a dict and str methods."""
    counts = {}
    for raw in text.split():
        word = raw.strip(".,;").lower()
        if not word:
            continue
        if word in counts:
            counts[word] += 1
        else:
            counts[word] = 1
    best = sorted(counts.items())
    return len(counts), best[0], best[-1]


def tuples(n):
    """Building and sorting a list of tuples."""
    rows = []
    seed = 12345
    for i in range(n):
        seed = (seed * 1103515245 + 12345) % 2147483648
        rows.append((seed % 1000, i, str(seed % 97)))
    rows.sort()
    total = 0
    for key, i, tag in rows[:100]:
        total += key + i + len(tag)
    return total, rows[0], rows[-1]


def scale(p, k):
    return (p[0] * k, p[1] * k)


def norm2(p):
    return p[0] * p[0] + p[1] * p[1]


def calls(points):
    """Calls to Python functions and methods in a loop."""
    total = 0.0
    seen = {}
    out = []
    for p in points:
        q = scale(p, 2.0)
        total += norm2(q) + abs(p[0] - p[1])
        key = str(round(q[0]))
        seen[key] = seen.get(key, 0) + 1
        out.append(key.upper())
    return round(total, 6), len(seen), len(out)


@cython.cfunc
def _series(n: cython.int, x: cython.double) -> cython.double:
    s: cython.double = 0.0
    t: cython.double = 1.0
    i: cython.int
    for i in range(1, n):
        t = t * x / i
        s += t - 0.5 * t * t
    return s


def mixed(rows):
    """A typed hot loop inside untyped glue."""
    results = {}
    for name, x in rows:
        results[name] = round(_series(200, x), 6)
    ranked = sorted(results.items())
    return ranked[:3], len(results)


def bigint(n):
    """Big-integer arithmetic: Fibonacci and factorial past 64 bits."""
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    f = 1
    for i in range(2, n // 4):
        f *= i
    return a % 1000000007, f % 998244353, a.bit_length() + f.bit_length()
