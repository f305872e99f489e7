from collections import defaultdict, Counter
import collections
d = defaultdict(list)
for w in "the quick brown the lazy the end".split():
    d[len(w)].append(w)
print(d, d[9], dict(d), len(d), 3 in d, type(d), type(d).__name__, isinstance(d, dict))
print(d.default_factory, defaultdict().default_factory, defaultdict(int, {"a": 1}, b=2))
counts = defaultdict(int)
for ch in "mississippi":
    counts[ch] += 1
print(counts, sorted(counts.items()), counts.get("z"), "z" in counts)
c2 = counts.copy()
c2["m"] += 10
print(type(c2).__name__, c2["m"], counts["m"], c2.default_factory)
nd = defaultdict(None)
try:
    nd["x"]
except KeyError as e:
    print("KeyError", e)
try:
    defaultdict(5)
except TypeError as e:
    print("TypeError:", e)
c = Counter("abracadabra")
print(c, c["a"], c["z"], "z" in c, c.most_common(2), c.most_common(), len(c))
print(sorted(c.elements()), c.total(), list(c), Counter(), Counter({"x": 2, "y": 0}), Counter(a=3, b=1))
c.update("aaz")
c.update({"b": 5})
c.subtract(["a", "a", "q"])
print(c)
print(Counter("aab") + Counter("bcc"), Counter("aab") - Counter("abb"), Counter("aab") | Counter("abb"), Counter("aab") & Counter("abb"))
print(Counter(a=1) == Counter(a=1, b=0), Counter(a=1) == {"a": 1}, Counter("ab") != Counter("ba"), dict(Counter("hello")))
words = "one two three two three three".split()
print(Counter(words).most_common(1)[0], collections.Counter(words)["three"], [w for w, n in Counter(words).items() if n > 1])
class Tally(Counter):
    def top(self):
        return self.most_common(1)[0][0]
t = Tally("hello world")
print(t.top(), t, type(t).__name__, isinstance(t, Counter))
print(repr(defaultdict(lambda: "x")).startswith("defaultdict(<function <lambda>"))
def describe(f):
    return repr(f).split(" at ")[0]
print(describe(defaultdict(lambda: "x").default_factory), describe(describe), repr(len))
