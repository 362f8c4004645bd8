"""Text processing in the style of a small script: str methods, dicts of lists, sorting,
%-formatting, str.format and f-strings, a table built at module level."""

from collections import Counter, defaultdict

TEXT = """It was the best of times, it was the worst of times, it was the age of wisdom,
it was the age of foolishness, it was the epoch of belief, it was the epoch of incredulity,
it was the season of Light, it was the season of Darkness, it was the spring of hope,
it was the winter of despair."""

STOP = {w for w in "it was the of a".split()}
VOWELS = "aeiou"


def words(text):
    out = []
    for line in text.splitlines():
        for raw in line.split():
            w = raw.strip(",.").lower()
            if w and w not in STOP:
                out.append(w)
    return out


def by_initial(ws):
    groups = defaultdict(list)
    for w in ws:
        groups[w[0]].append(w)
    return {k: sorted(set(v)) for k, v in groups.items()}


def vowel_ratio(w):
    n = 0
    for ch in w:
        if ch in VOWELS:
            n += 1
    return n / len(w)


def report(text):
    ws = words(text)
    counts = Counter(ws)
    print("%d words, %d distinct" % (len(ws), len(counts)))
    for word, n in counts.most_common(4):
        print("{:>10} {}".format(word, n))
    groups = by_initial(ws)
    for k in sorted(groups):
        print(f"{k}: {', '.join(groups[k])}")
    ratios = sorted((round(vowel_ratio(w), 3), w) for w in set(ws))
    print("most vowels:", ratios[-1], "fewest:", ratios[0])
    longest = max(ws, key=len)
    print("longest", longest, len(longest), longest.upper()[::-1])


if __name__ == "__main__":
    report(TEXT)
