n = 4
squares = [i * i for i in range(n) if i % 2 == 0]
table = {(i, j): i * j for i in range(n) for j in range(i)}
letters = {c for c in "hello" if c != "l"}
nested = [[j for j in range(i)] for i in range(n)]
