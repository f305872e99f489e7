values = []
for i in range(6):
    values.append(i) if i % 2 else values.append(-i)
print(values)
x = 0
x = x or 5
print(x)
flag = not values
print(flag)
n = len(values) and values[-1]
print(n)
