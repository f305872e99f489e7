class InsufficientFunds(Exception):
    pass
class Wallet:
    def __init__(self, amount):
        self.amount = amount
    def pay(self, n):
        if n > self.amount:
            raise InsufficientFunds("need " + str(n) + ", have " + str(self.amount))
        self.amount -= n
w = Wallet(10)
w.pay(4)
print(w.amount)
w.pay(7)
