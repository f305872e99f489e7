def f(n):
    squares = [i * i for i in range(n)]
    pairs = {(a, b) for a in range(n) for b in range(a) if a != b}
    d = {k: v for k, v in zip(squares, squares)}
    g = (x + n for x in squares)
    nested = [[j for j in range(i)] for i in range(n)]
    return squares, pairs, d, g, nested

class K:
    base = 3
    vals = [base * i for i in range(3)]
    other = [i for i in range(base)]
