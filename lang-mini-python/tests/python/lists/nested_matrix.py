m = [[i * 3 + j for j in range(3)] for i in range(3)]
print(m)
t = [[m[j][i] for j in range(3)] for i in range(3)]
print(t)
for row in m:
    print(" ".join(str(v) for v in row))
print(sum(sum(r) for r in m))
print([r[1] for r in m])
print(m[1][-1], m[-1][0])
