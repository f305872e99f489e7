# casefold, expandtabs, isdecimal/isnumeric/isdigit on Unicode digits and numerals, isascii,
# istitle, isidentifier (ASCII), isprintable and the repr of unprintable characters, format_map.

words = ["Stra\u00dfe", "STRASSE", "\u03a3\u03af\u03c3\u03c5\u03c6\u03bf\u03c2", "\u00b5m", "\ufb01ne", "MiXeD"]
for w in words:
    print(repr(w.casefold()), w.casefold() == w.lower())
print("Stra\u00dfe".casefold() == "strasse".casefold())

print(repr("a\tb\tc".expandtabs()))
print(repr("ab\tc\n\td".expandtabs(4)))
print(repr("x\ty".expandtabs(tabsize=2)), repr("\t".expandtabs(0)), repr("12345678\t|".expandtabs()))
print(repr("a\r\tb".expandtabs(3)), repr("".expandtabs()))

samples = ["123", "", "12a", "\u0663\u0664", "\u00b2", "\u00bd", "\u2155", "\u4e00\u4e8c", "\uff11\uff12", "\u2167", "-1", "1.5", " 1"]
for s in samples:
    print(repr(s), s.isdecimal(), s.isnumeric(), s.isdigit())

for s in ["abc", "", "caf\u00e9", "\x7f", "tab\t"]:
    print(repr(s), s.isascii())

for s in ["Hello World", "Hello world", "HELLO", "hello", "", "A", "Hello  World 2", "1st Place", "O'Neil Is", "\u01c5ungla"]:
    print(repr(s), s.istitle())

for s in ["name", "_x1", "1x", "", "a-b", "if", "__init__", "A B"]:
    print(repr(s), s.isidentifier())

for s in ["abc def", "", "tab\t", "new\nline", "\x7f", "\xa0", "caf\u00e9", "\xad", "\u200b", "\u2028x", "\U0001f600", "\U000e0001", "\ue000", "\u0378", "\u4e2d"]:
    print(repr(s), s.isprintable())

print("{name} is {age} years".format_map({"name": "Ann", "age": 7}))


class Defaulting(dict):
    def __missing__(self, key):
        return "<" + key + ">"


print("{a}-{b}-{c[0]}-{d.__class__.__name__}".format_map(Defaulting(a=1, d=2)))
for f in [lambda: "{0}".format_map({}), lambda: "{}".format_map({}), lambda: "{x}".format_map({})]:
    try:
        f()
    except (ValueError, KeyError) as e:
        print(type(e).__name__, e)
print(["\x85", "\u00a0\u00ad", "\u200b\u2028\u3000", "\ud7ff\ue000\uffff", "\U0001f600\U000e0001\U0010ffff"])
print(ascii("\u200b\xe9\U0001f600"))
