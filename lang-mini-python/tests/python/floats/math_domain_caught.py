import math
for v in [4.0, 0.0, -1.0]:
    try:
        print(math.sqrt(v))
    except ValueError as e:
        print("ValueError:", e)
for v in [1.0, 0.0]:
    try:
        print(math.log(v))
    except ValueError as e:
        print("ValueError:", e)
try:
    print(math.exp(1000))
except OverflowError as e:
    print("OverflowError:", e)
try:
    print(float(10 ** 400))
except OverflowError as e:
    print("OverflowError:", e)
try:
    print(1.0 / 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    print(1.0 % 0.0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
