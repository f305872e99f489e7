for n in range(2, 20):
    for d in range(2, n):
        if n % d == 0:
            break
    else:
        print(n, "is prime")
for x in []:
    print("never")
else:
    print("empty loop else")
for c in "abcdef":
    if c == "d":
        break
    print(c, end="")
else:
    print("no")
print()
