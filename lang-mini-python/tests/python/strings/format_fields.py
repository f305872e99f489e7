class P:
    x = 3
    def __init__(self):
        self.items = [10, 20]
        self.d = {"k": "v", 1: "one"}
print("{:{w}.{p}f}".format(3.14159, w=10, p=2))
print("{:{}.{}f}|{}".format(2.71828, 9, 3, "end"))
print("{0:{1}} {0:>{2}}".format("ab", 5, 6))
print("{0!r} {0!s} {0!a} {1!a:>10}".format("hé", "ü"))
print("{0.x} {1[1]} {0.items[0]} {0.d[k]} {0.d[1]} {p.items[1]}".format(P(), [5, 6], p=P()), "{.x}".format(P()))
print("{[0]} {[1]}".format([1, 2], (3, 4)))
print("{{}} {{{}}} }}{{".format(7))
print("{!r:^9}|{:*<6}|{:+d}".format("x", "ab", 5))
print(f"{'é'!a} {3!a} {[1]!a:>6}")
print(ascii("héllo"), ascii([1, "ü", "\U0001f600"]), ascii(5))
print("{0[a]}".format({"a": 1}), "{x[-1]}".format(x={"-1": "neg"}))
cases = ["{", "}", "a{b", "{0", "{0!}", "{0!x}", "{0!rr}", "{0:{}", "{0.}", "{0[}", "{0[0]x}",
         "{0[]}", "{}{0}", "{0}{}", "{:{:{}}}", "{a{}", "{5}", "{nope}", "{0.nope}", "{0[9]}",
         "{0!r", "{:}", "{!s}", "x}y", "{:{:}}", "{0..x}", "{0[0]"]
for c in cases:
    try:
        print(repr(c), "->", repr(c.format([1], 2, 3)))
    except (ValueError, IndexError, KeyError, AttributeError, TypeError) as e:
        print(repr(c), type(e).__name__, e)
