class Celsius(int):
    def __repr__(self):
        return "Celsius(" + str(int(self)) + ")"

    def to_fahrenheit(self):
        return self * 9 // 5 + 32

t = Celsius(25)
print(t, repr(t), str(t), f"{t}", f"{t:>5d}", format(t, ""), "%s/%d/%r" % (t, t, t))
print(t + 1, type(t + 1).__name__, t * 2, -t, t == 25, t < 30, hash(t) == hash(25), t.to_fahrenheit())
print(isinstance(t, int), isinstance(t, Celsius), type(t).__name__, type(t) is Celsius, issubclass(Celsius, int))
print([t, Celsius(-3)], sorted([Celsius(3), 1, Celsius(2)]), {t: "warm"}[25], max(t, 7), abs(Celsius(-4)))
print(Celsius(), Celsius("12"), Celsius("ff", 16), Celsius(3.9), Celsius(True), bin(t), hex(t), range(10)[t // 5])
t2 = Celsius(7)
t2.label = "room"
print(t2.label, hasattr(t2, "label"), getattr(t2, "nope", None))

class Tag(str):
    def wrap(self, inner):
        return "<" + self + ">" + inner + "</" + self + ">"

    def __repr__(self):
        return "Tag(" + str.__repr__(self) + ")"

b = Tag("b")
print(b, repr(b), str(b), f"[{b}]", f"{b:>4}", "%s %r" % (b, b), [b], b.wrap("bold"), b.upper(), type(b.upper()).__name__)
print(b == "b", {"b": 1}[b], b in "abc", len(Tag("hello")), Tag("hello")[1:3], Tag(42), Tag(), Tag([1, 2]))
print(isinstance(b, str), type(b).__name__, ", ".join([Tag("x"), "y"]), b * 3, sorted([Tag("z"), "a"]))

class Plain(str):
    pass
p = Plain("text")
print(p, repr(p), p.split("x"), type(p).__name__, p.startswith("te"), p + "!", int(Plain("5")) + 1)

class Code(str):
    def __new__(cls, value, kind):
        obj = super().__new__(cls, value.upper())
        obj.kind = kind
        return obj

c = Code("abc", "letters")
print(c, c.kind, type(c).__name__, len(c))

class Even(int):
    def __new__(cls, n):
        if n % 2:
            return int.__new__(int, n + 1)
        return int.__new__(cls, n)

    def __init__(self, n):
        self.original = n

e1 = Even(4)
e2 = Even(5)
print(e1, type(e1).__name__, e1.original, e2, type(e2).__name__)
