def encode(s):
    if not s:
        return []
    out = []
    prev = s[0]
    count = 1
    for c in s[1:]:
        if c == prev:
            count += 1
        else:
            out.append((prev, count))
            prev, count = c, 1
    out.append((prev, count))
    return out
def decode(pairs):
    return "".join(c * n for c, n in pairs)
def to_text(pairs):
    return "".join(("%d%s" % (n, c)) if n > 1 else c for c, n in pairs)
def from_text(t):
    pairs = []
    num = ""
    for c in t:
        if c.isdigit():
            num += c
        else:
            pairs.append((c, int(num) if num else 1))
            num = ""
    return pairs
for s in ["aaabccdddd", "abc", "", "zzzzzzzzzzzz", "aabbaa"]:
    e = encode(s)
    t = to_text(e)
    print(repr(s), e, t, decode(from_text(t)) == s)
