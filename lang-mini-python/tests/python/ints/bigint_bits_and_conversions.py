# Shifts, bitwise operators and conversions on ints beyond 64 bits.
x = 0xDEADBEEFCAFEBABE12345678
print(x, hex(x), hex(-x), x >> 40, x << 70, -x >> 3)
print(x & 0xFFFF, x | (1 << 100), x ^ x, ~x, -x & 0xFF, (1 << 200) - 1 == ~(-1 << 200))
print(int("123456789" * 5), int("-" + "9" * 25), int("ff" * 12, 16), int("1" * 80, 2))
print(int(1e25), int(-3.5e30), round(7.5e22), int(2 ** 80 + 0.5))
print(str(-(10 ** 25)), repr(10 ** 25), f"{10 ** 25}", "%d" % (3 ** 50))
print(divmod(10 ** 30 + 7, 10 ** 15), divmod(-(10 ** 30), 7), (-(10 ** 30)) % 7)
print(pow(2, 10 ** 5, 10 ** 9 + 7), pow(3, 200, 2 ** 70), pow(-(10 ** 20), 3, 97))
print(1 << 64 >> 64, (2 ** 64) >> 100, (-(2 ** 64)) >> 100, 0 << 1000)
try:
    print(1 << -1)
except ValueError as e:
    print("ValueError:", e)
try:
    print(10 ** 30 // 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    print(10 ** 30 % 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
