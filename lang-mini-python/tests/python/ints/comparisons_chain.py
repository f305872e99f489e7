a, b, c = 1, 2, 3
print(a < b < c, a < c < b)
print(1 <= 1 < 2 <= 2)
print(3 > 2 > 1 > 0)
print(a == 1 == True)
print(1 != 2 != 1)
x = 5
print(0 < x <= 5, 0 < x < 5)
print(2 ** 70 > 2 ** 69 > 0)
