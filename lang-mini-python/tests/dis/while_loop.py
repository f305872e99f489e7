def count(n):
    i = 0
    total = 0
    while i < n:
        i += 1
        if i % 3 == 0:
            continue
        if i > 100:
            break
        total += i
    else:
        total = -total
    return total
