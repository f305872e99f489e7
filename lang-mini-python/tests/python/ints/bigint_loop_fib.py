a, b = 0, 1
for i in range(150):
    a, b = b, a + b
print(a)
n = 1
for i in range(40):
    n = n * 1000 + i
print(n)
print(n % 997)
