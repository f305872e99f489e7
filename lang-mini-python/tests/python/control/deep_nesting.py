def grid(n):
    out = []
    for i in range(n):
        if i % 2 == 0:
            for j in range(n):
                if j % 2 == 1:
                    k = 0
                    while k < 2:
                        if k == 1:
                            out.append((i, j))
                        k += 1
                else:
                    continue
        else:
            out.append(i)
    return out
print(grid(5))
