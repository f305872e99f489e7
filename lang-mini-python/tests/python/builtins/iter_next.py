it = iter([1, 2, 3])
print(next(it), next(it), next(it), next(it, "default"))
s = iter("ab")
print(next(s), next(s))
d = iter({"k": 1, "j": 2})
print(list(d))
r = iter(range(3))
print(next(r), list(r))
try:
    next(iter([]))
except StopIteration:
    print("StopIteration")
t = iter((9,))
print(next(t))
