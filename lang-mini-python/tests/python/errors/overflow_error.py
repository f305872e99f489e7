import math
x = 1.0
for i in range(12):
    x = x * 4
    print(i, math.exp(x))
