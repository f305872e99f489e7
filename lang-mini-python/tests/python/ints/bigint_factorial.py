import math
print(math.factorial(50))
print(math.factorial(20))
print(math.factorial(0), math.factorial(1))
f = 1
for i in range(1, 31):
    f *= i
print(f)
print(f == math.factorial(30))
print(len(str(math.factorial(100))))
