print([0] * 5, [1, 2] * 3, [] * 10, [7] * 0)
print([1] + [2, 3])
a = [1]
a += [2]
a *= 3
print(a)
print(3 * [None])
print([[1]] * 2)
