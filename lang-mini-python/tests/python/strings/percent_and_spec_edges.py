# printf-style % conversions and format specs (flags, widths, *, big ints, errors).
print("%5d|%-5d|%05d|%+d|% d|%x|%#x|%X|%#o|%c|%c" % (42, 42, -42, 7, 7, 255, 255, 255, 8, 97, "b"))
print("%.3f|%10.2e|%-10g|%G|%E|%#g|%%" % (3.14159, 12345.678, 0.0001, 1e-10, 2.5, 1.0))
print("%*d|%-*d|%.*f|%s|%r|%a|%.2s" % (6, 1, 6, 2, 3, 2.0, [1, "x"], "q", "é", "abc"))
print("%d %i %u" % (3.99, -2.5, True), "%s and %s" % (2 ** 70, -(3 ** 45)), "%x" % 2 ** 70)
print(format(2 ** 70, ","), format(-(2 ** 70), "_"), format(2 ** 70, "#b")[:12], format(10 ** 20, "e"))
print(f"{12345.6789:,.2f}|{0.25:.1%}|{-0.0:z.2f}|{42:+08d}|{'x':^5}|{3:=+5}|{2 ** 64:>25}")
print("{0:>8.3f}|{1:<6}|{2:^7s}|{0:g}".format(3.14159, 10, "mid"), format(True, ">5"), format(False, "d"))
for bad in ["%d" % 1 + "%", "%y", "%(x)s"]:
    try:
        print(bad % 5)
    except (ValueError, TypeError) as e:
        print(type(e).__name__ + ":", e)
try:
    print("%d" % "str")
except TypeError as e:
    print("TypeError:", e)
try:
    print("%d %d" % (1,))
except TypeError as e:
    print("TypeError:", e)
try:
    print(format(1.5, "d"))
except ValueError as e:
    print("ValueError:", e)
try:
    print(format("s", "+"))
except ValueError as e:
    print("ValueError:", e)
print("%(name)s is %(age)d, %(name)r" % {"name": "Ann", "age": 41.5}, "%s" % {"k": 1}, "%%" % {})
try:
    print("%(missing)s" % {"name": 1})
except KeyError as e:
    print("KeyError:", e)
