class Steps:
    def __init__(self, n):
        self.i = 0
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        self.i += 1
        if self.i > self.n:
            raise StopIteration
        return 10 // (self.n - self.i)
for s in Steps(3):
    print(s)
