for a in (7, -7):
    for b in (2, -2):
        print(a, b, a // b, a % b, divmod(a, b))
print(-7 // 2)
print(7 // -2)
print(-1 % 10)
print(0 // 5, 0 % -5)
print(-13 % 4, 13 % -4, -13 % -4)
