import math
x = 1.5
for i in range(12):
    x = x ** 2
    print(i, x)
