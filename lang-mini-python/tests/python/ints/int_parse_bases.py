print(int("7fffffffffffffff", 16), int("ffffffffffffffffffff", 16))
print(int("-" + "1" * 70, 2))
print(int("zz", 36), int("ZZ", 36), int(" 0x1f ", 16), int("0b101", 2), int("0o17", 8))
print(int("+0"), int("-0"), int("000123"), int("1_2_3"))
print(hex(int("123456789" * 3)))
for s, b in [("12", 3), ("9", 8), ("1__0", 10), ("_1", 10), ("", 16)]:
    try:
        print(int(s, b))
    except ValueError as e:
        print("ValueError:", e)
