for n in range(-2, 3):
    s = "neg" if n < 0 else "zero" if n == 0 else "pos"
    print(n, s)
x = 4
print("even" if x % 2 == 0 else "odd")
print([("a" if i % 3 else "b") for i in range(6)])
