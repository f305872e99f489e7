# A bank with accounts, transfers, interest and an audit log.
class BankError(Exception):
    pass

class InsufficientFunds(BankError):
    def __init__(self, account, amount):
        super().__init__("account %s cannot pay %d" % (account.number, amount))
        self.account = account

class Account:
    next_number = 1000
    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance
        self.number = Account.next_number
        Account.next_number += 1
        self.history = []
    def deposit(self, amount):
        if amount <= 0:
            raise BankError("deposit must be positive")
        self.balance += amount
        self.history.append(("deposit", amount))
    def withdraw(self, amount):
        if amount > self.balance:
            raise InsufficientFunds(self, amount)
        self.balance -= amount
        self.history.append(("withdraw", amount))
    def __repr__(self):
        return "Account(%d, %s, %d)" % (self.number, self.owner, self.balance)

class SavingsAccount(Account):
    rate_percent = 2
    def add_interest(self):
        interest = self.balance * self.rate_percent // 100
        self.deposit(interest) if interest > 0 else None
        return interest

class Bank:
    def __init__(self):
        self.accounts = {}
        self.log = []
    def open(self, owner, balance=0, savings=False):
        cls = SavingsAccount if savings else Account
        acct = cls(owner, balance)
        self.accounts[acct.number] = acct
        return acct
    def transfer(self, src, dst, amount):
        try:
            self.accounts[src].withdraw(amount)
        except InsufficientFunds as e:
            self.log.append("FAILED " + str(e))
            return False
        self.accounts[dst].deposit(amount)
        self.log.append("%d -> %d: %d" % (src, dst, amount))
        return True
    def total(self):
        return sum(a.balance for a in self.accounts.values())

bank = Bank()
alice = bank.open("alice", 500)
bob = bank.open("bob", 50)
carol = bank.open("carol", 10000, savings=True)
print(alice, bob, carol)
print(bank.transfer(alice.number, bob.number, 200))
print(bank.transfer(bob.number, alice.number, 1000))
print(bank.transfer(carol.number, bob.number, 1234))
for year in range(3):
    print("interest", carol.add_interest())
try:
    bob.deposit(-5)
except BankError as e:
    print("error:", e)
try:
    bank.transfer(9999, alice.number, 1)
except KeyError as e:
    print("no account", e)
for line in bank.log:
    print(line)
print(bank.total())
for acct in sorted(bank.accounts.values(), key=lambda a: -a.balance):
    print(acct.owner, acct.balance, len(acct.history), acct.history[-1])
