for s in ["12", "x4", "", "3.5", " 7 ", "0x10", "1e3"]:
    try:
        print(repr(s), int(s))
    except ValueError as e:
        print(repr(s), "ValueError:", e)
try:
    int("g", 16)
except ValueError as e:
    print(e)
