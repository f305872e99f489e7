class Matrix:
    def __init__(self, rows):
        self.rows = [list(r) for r in rows]
        self.n = len(rows)
        self.m = len(rows[0]) if rows else 0
    @classmethod
    def identity(cls, n):
        return cls([[1 if i == j else 0 for j in range(n)] for i in range(n)])
    @classmethod
    def zeros(cls, n, m):
        return cls([[0] * m for _ in range(n)])
    def __getitem__(self, ij):
        i, j = ij
        return self.rows[i][j]
    def __setitem__(self, ij, v):
        i, j = ij
        self.rows[i][j] = v
    def __add__(self, other):
        return Matrix([[a + b for a, b in zip(r1, r2)] for r1, r2 in zip(self.rows, other.rows)])
    def __mul__(self, other):
        if isinstance(other, Matrix):
            if self.m != other.n:
                raise ValueError("shape mismatch: %dx%d * %dx%d" % (self.n, self.m, other.n, other.m))
            out = Matrix.zeros(self.n, other.m)
            for i in range(self.n):
                for j in range(other.m):
                    s = 0
                    for k in range(self.m):
                        s += self.rows[i][k] * other.rows[k][j]
                    out[i, j] = s
            return out
        return Matrix([[a * other for a in r] for r in self.rows])
    __rmul__ = __mul__
    def transpose(self):
        return Matrix([[self.rows[i][j] for i in range(self.n)] for j in range(self.m)])
    def __eq__(self, other):
        return self.rows == other.rows
    def power(self, k):
        result = Matrix.identity(self.n)
        base = self
        while k:
            if k & 1:
                result = result * base
            base = base * base
            k >>= 1
        return result
    def __str__(self):
        width = max(len(str(v)) for r in self.rows for v in r)
        return "\n".join(" ".join(str(v).rjust(width) for v in r) for r in self.rows)

a = Matrix([[1, 2], [3, 4]])
b = Matrix([[0, 1], [1, 0]])
print(a + b)
print(a * b)
print(2 * a)
print(a.transpose())
print(a * Matrix.identity(2) == a)
fib = Matrix([[1, 1], [1, 0]])
print(fib.power(90)[0, 1])
try:
    a * Matrix([[1, 2, 3]])
except ValueError as e:
    print("ValueError:", e)
m = Matrix.zeros(2, 3)
m[1, 2] = 7.5
print(m)
