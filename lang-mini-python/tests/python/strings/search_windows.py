s = "abracadabra"
print(s.find("a", 1), s.find("a", 1, 3), s.find("bra", -4), s.find("", 11), s.find("", 12))
print(s.rfind("a"), s.rfind("a", 0, 10), s.rfind("x"), s.rindex("bra"), s.index("a", 4))
print(s.count("a", 1), s.count("a", 1, -1), s.count("", 3, 5), s.count("a", 20))
print(s.startswith("bra", 1), s.startswith(("x", "cad"), 4), s.endswith("cad", 0, 7))
print(s.endswith(("ra",)), s.startswith("a", 50), s.startswith("", 11))
print(s.replace("a", "A", 2), s.replace("a", "", 0), s.replace("", "-", 3), s.replace("zz", "y", 1))
print("a b  c   d".split(None, 2), "a,b,c,d".split(",", maxsplit=1), "x".split(",", 0))
print("  a b  c  ".split(maxsplit=1), "a,b,,c".split(sep=","), "a b c".split(" ", -1))
print("a b  c   d".rsplit(None, 2), "a,b,c,d".rsplit(",", 1), "  x y  ".rsplit())
print("a::b::c".rsplit("::"), "abc".rsplit("b", 0), "".rsplit("x"))
print("k=v=w".rpartition("="), "kvw".rpartition("="))
print("ABC".isupper(), "AbC".isupper(), "abc1".islower(), "123".islower(), "".isupper())
print("hello World".capitalize(), "Hello World".swapcase(), "".capitalize())
try:
    s.rindex("zz")
except ValueError as e:
    print("ValueError:", e)
try:
    "a b".split("")
except ValueError as e:
    print("ValueError:", e)
