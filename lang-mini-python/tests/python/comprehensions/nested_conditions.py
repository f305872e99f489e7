matrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
print([x for row in matrix for x in row if x % 2 == 1])
print([[x * 10 for x in row if x != 5] for row in matrix])
print({x: [y for y in range(x)] for x in range(4)})
print([(a, b, c) for a in range(1, 20) for b in range(a, 20) for c in range(b, 20) if a * a + b * b == c * c])
print([x if x % 2 else -x for x in range(6)])
print(sum(1 for row in matrix for x in row if x > 4))
