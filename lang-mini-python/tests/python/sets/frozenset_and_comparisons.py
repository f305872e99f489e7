a = frozenset("abc")
b = frozenset("bcd")
print(sorted(a | b), sorted(a & b), sorted(a - b))
print(a == frozenset(["c", "b", "a"]), a != b, len(a))
groups = {frozenset([1, 2]): "pair", frozenset([3]): "single"}
print(groups[frozenset([2, 1])], frozenset([3]) in groups)
s = {1, 2, 3}
print(s == {3, 2, 1}, s <= s, s < s, {1} < s, s > {1, 2}, s >= {4})
print(set() == frozenset(), {1, 2} == frozenset([1, 2]))
