a = 5.5
b = 0.0
print(a % b)
