print(float("3.5"), float(" 2 "), float("-1e3"), float("1_0.5"))
print(float(7), float(-2 ** 53), float(True))
print(int(2.999), int(-0.1))
print(str(1.0), str(1e100))
print(float("0.1") == 0.1)
try:
    float("abc")
except ValueError as e:
    print(e)
try:
    int(float("inf"))
except OverflowError as e:
    print("OverflowError", e)
try:
    int(float("nan"))
except ValueError as e:
    print("ValueError", e)
