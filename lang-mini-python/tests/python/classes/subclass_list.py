class Stack(list):
    def __init__(self, items=()):
        super().__init__(items)
        self.pushes = 0
    def push(self, x):
        self.pushes += 1
        self.append(x)
    def peek(self):
        return self[-1]
    def __repr__(self):
        return "Stack(" + super().__repr__() + ")"

s = Stack([1, 2])
s.push(3)
print(s, len(s), s.pushes, s.peek(), s[0], s[1:], type(s[1:]).__name__)
print(isinstance(s, list), isinstance(s, Stack), type(s).__name__, type(s) is Stack)
print(str(s), [x * 2 for x in s], sorted(s, reverse=True), sum(s), max(s), 2 in s)
s.extend([4, 5]); s.sort(reverse=True); print(s, s.pop(), s.index(3), s.count(1))
print(s == [4, 3, 2, 1], s + [9], type(s + [9]).__name__, list(s), tuple(s))
s += [7]
print(s, type(s).__name__, bool(Stack()), bool(s))
s[0] = 100; del s[1]; print(s, s.copy(), type(s.copy()).__name__)
s[1:3] = ['a', 'b', 'c']; print(s)
print(repr(s), "%s" % s, f"{s}")

class Plain(list):
    pass
p = Plain("abc")
print(p, repr(p), len(p), p == ['a', 'b', 'c'], type(p).__name__, Plain(), Plain(range(3)))
p.tag = "t"
print(p.tag, hasattr(p, "tag"), getattr(p, "nope", 0))
try:
    hash(p)
except TypeError as e:
    print("TypeError:", e)

class Counting(list):
    def __getitem__(self, i):
        print("get", i)
        return super().__getitem__(i) * 10
    def __setitem__(self, i, v):
        print("set", i, v)
        list.__setitem__(self, i, v + 1)
    def __len__(self):
        return super().__len__() + 100
    def __contains__(self, x):
        return x == "magic"
    def __iter__(self):
        return iter([0, 0])
c = Counting([1, 2, 3])
print(c[1]); c[0] = 5; print(c, len(c), "magic" in c, 1 in c, list(c), [y for y in c])
print(list.__len__(c), c.__len__())

class Sub(Stack):
    def push(self, x):
        super().push(x * 2)
t = Sub()
t.push(1); t.push(5)
print(t, t.pushes, isinstance(t, Stack), isinstance(t, list), issubclass(Sub, list))

