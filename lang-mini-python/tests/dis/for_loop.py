def find(items, target):
    for i, item in enumerate(items):
        if item == target:
            return i
    else:
        return -1

for k in range(3):
    for j in range(k):
        if j == 1:
            break
        print(k, j)
