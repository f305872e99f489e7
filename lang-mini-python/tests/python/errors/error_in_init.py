class Matrix:
    def __init__(self, rows):
        self.n = len(rows)
        self.m = len(rows[0])
        for r in rows:
            if len(r) != self.m:
                raise ValueError("ragged matrix")
        self.rows = rows
Matrix([[1, 2], [3, 4]])
print("first ok")
Matrix([[1, 2], [3]])
