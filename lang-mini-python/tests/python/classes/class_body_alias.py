class Money:
    def __init__(self, cents):
        self.cents = cents
    def __mul__(self, k):
        return Money(self.cents * k)
    __rmul__ = __mul__
    def __repr__(self):
        return "Money(%d)" % self.cents
    __str__ = __repr__
    RATE = 3
    DOUBLE_RATE = RATE * 2
m = Money(150)
print(m * 2, 3 * m, str(m), [m])
print(Money.DOUBLE_RATE)
