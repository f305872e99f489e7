# Dicts and strings: a text made of pseudo-random words (an LCG picks syllables), split,
# counted in a dict, the most frequent words formatted into a report with f-strings, `%`
# and `str.format`, and a string built by joining.
# Usage: wordcount.py [WORDS]  (default 800000)
import sys

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "shi", "po", "an", "el", "ok", "zu"]


def make_text(nwords):
    x = 42
    words = []
    for _ in range(nwords):
        x = (x * 1103515245 + 12345) % 2147483648
        k = 1 + (x >> 16) % 3
        w = ""
        y = x
        for _ in range(k):
            w += SYLLABLES[y % len(SYLLABLES)]
            y //= 12
        words.append(w)
        if x % 17 == 0:
            words.append("\n")
    return " ".join(words)


def count_words(text):
    counts = {}
    for line in text.split("\n"):
        for w in line.split():
            counts[w] = counts.get(w, 0) + 1
    return counts


def report(counts):
    total = sum(counts.values())
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    lines = []
    for rank, (word, n) in enumerate(items[:10]):
        lines.append(f"{rank + 1:2d}. {word:<12}{n:>7}")
        lines.append("    %s has %d letters, %.3f%% of words" % (word.upper(), len(word), 100.0 * n / total))
        lines.append("    {0}|{1:>5}|{2}".format(word[::-1], n % 1000, word.replace("a", "@")))
    return "\n".join(lines)


def main():
    nwords = int(sys.argv[1]) if len(sys.argv) > 1 else 800000
    text = make_text(nwords)
    counts = count_words(text)
    print(len(text), len(counts), sum(counts.values()))
    print(report(counts))
    by_len = {}
    for w in counts:
        by_len.setdefault(len(w), []).append(w)
    print(", ".join(f"{k}:{len(v)}" for k, v in sorted(by_len.items())))


main()
