# str.translate with tables from str.maketrans (one dict, two strings, a third of deletions)
# and with any mapping or sequence; the errors of both, caught.

t = str.maketrans("abc", "xyz")
print(sorted(t.items()))
print("aabbcc-abc".translate(t))
t2 = str.maketrans("ab", "AB", "c ")
print("a b c d".translate(t2), sorted(t2.items()))
t3 = str.maketrans({"a": "1", "b": None, 100: "DD", "e": 69})
print(sorted(t3.items()))
print("abcde".translate(t3))
print("hello".translate({ord("l"): "L"}))
print("hello".translate({}))
print("".maketrans("x", "y"))


class Rot13:
    def __getitem__(self, c):
        if 97 <= c <= 122:
            return (c - 97 + 13) % 26 + 97
        raise LookupError(c)


print("hello, world".translate(Rot13()))
print("abc".translate(["A", "B", "C"] * 40))
print("d\u00e9j\u00e0 vu".translate({0xE9: "e", 0xE0: "a"}))

errors = [
    lambda: str.maketrans(3),
    lambda: str.maketrans("ab", "c"),
    lambda: str.maketrans({"ab": 1}),
    lambda: str.maketrans({1.5: 1}),
    lambda: str.maketrans(1, "a"),
    lambda: str.maketrans("a", 1),
    lambda: str.maketrans("a", "b", 3),
    lambda: str.maketrans(),
    lambda: "a".translate({97: 1.5}),
    lambda: "a".translate({97: -1}),
    lambda: "a".translate(),
]
for f in errors:
    try:
        print(repr(f()))
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e)
