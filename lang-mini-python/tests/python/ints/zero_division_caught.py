for a, b in [(1, 0), (5, 2), (0, 0)]:
    try:
        print(a // b)
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)
for op in ("div", "mod", "true"):
    try:
        if op == "div":
            print(3 // 0)
        elif op == "mod":
            print(3 % 0)
        else:
            print(3 / 0)
    except ZeroDivisionError as e:
        print(op, e)
try:
    print(2 ** 100 // 0)
except ZeroDivisionError as e:
    print("big", e)
