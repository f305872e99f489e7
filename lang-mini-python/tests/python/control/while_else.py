n = 0
while n < 5:
    n += 1
    if n == 3:
        continue
    print("n", n)
else:
    print("while finished", n)
i = 0
while True:
    i += 1
    if i > 4:
        break
print("broke at", i)
k = 10
while k > 0:
    k -= 3
    if k == 1:
        break
else:
    print("no break")
print("k", k)
