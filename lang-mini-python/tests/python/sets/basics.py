s = {3, 1, 2}
print(s, len(s))
s.add(5)
s.add(1)
print(sorted(s))
s.remove(3)
s.discard(100)
print(sorted(s), 2 in s, 3 in s)
try:
    s.remove(100)
except KeyError as e:
    print("KeyError:", e)
print(set(), set([4, 4, 2]), set("aab") == {"a", "b"})
e = set()
print(len(e), bool(e))
