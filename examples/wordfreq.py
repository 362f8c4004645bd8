"""A typical module: untyped helpers, a typed hot loop, a module-level table, results
printed. It runs unchanged under CPython (`python examples/wordfreq.py`) and as a module
built by pycc (`pycc build examples/wordfreq.py`, then `python -c "import wordfreq"`), with
the same output."""

from collections import Counter

TEXT = """the quick brown fox jumps over the lazy dog the dog barks and the fox runs
a quick brown dog jumps over a lazy fox and the quick fox sleeps"""

# A module-level table, built when the module is made.
STOP = {w for w in "a and the over".split()}
WEIGHTS = {ch: i + 1 for i, ch in enumerate("abcdefghijklmnopqrstuvwxyz")}


def words(text):
    """Untyped glue: Python objects all the way."""
    return [w for w in text.split() if w not in STOP]


def score(word):
    return sum(WEIGHTS.get(ch, 0) for ch in word)


def collatz_steps(n: int) -> int:
    """The typed hot loop: C integers."""
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def longest_chain(limit: int) -> int:
    best = 1
    best_steps = 0
    for k in range(1, limit):
        s = collatz_steps(k)
        if s > best_steps:
            best, best_steps = k, s
    return best


def by_count(item):
    word, n = item
    return -n, word


counts = Counter(words(TEXT))
for word, n in sorted(counts.items(), key=by_count)[:5]:
    print(word, n, score(word))
print("distinct:", len(counts), "longest chain below 10000 starts at", longest_chain(10000))
