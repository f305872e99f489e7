total = 0
for i in range(5):
    if i == 2:
        continue
    for j in range(5):
        if j > i:
            break
        if (i + j) % 2:
            continue
        total += i * j
        print(i, j)
print("total", total)
