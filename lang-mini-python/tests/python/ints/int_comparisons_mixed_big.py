big = 2 ** 100
print(big > 1e29, big < 1e31, big == float(big), big + 1 == float(big))
print(sorted([big, -big, 0, 1.5, 2 ** 64]))
print(max(big, 1e30), min(-big, -1e31))
print(big // 1.0, big / 2 ** 90)
print(2 ** 53 + 1 > float(2 ** 53))
