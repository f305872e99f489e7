def make_account(balance):
    def deposit(n):
        nonlocal balance
        balance += n
        return balance
    def withdraw(n):
        nonlocal balance
        if n > balance:
            return "insufficient"
        balance -= n
        return balance
    def get():
        return balance
    return deposit, withdraw, get
d, w, g = make_account(100)
print(d(50), w(30), w(500), g())
