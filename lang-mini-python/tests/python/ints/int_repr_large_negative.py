n = -1
for i in range(25):
    n *= 7
    if i % 6 == 0:
        print(n, str(n), repr(n), abs(n))
print(-10 ** 25, (-10) ** 25, (-2) ** 64)
print(int("-" + "3" * 25) // 7, int("-" + "3" * 25) % 7)
print(hex(-(2 ** 65)))
