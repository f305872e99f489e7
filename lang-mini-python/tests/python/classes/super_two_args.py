class Base:
    def __init__(self):
        self.log = ["Base"]
    def hello(self):
        return "base hello"
class Mid(Base):
    def __init__(self):
        super(Mid, self).__init__()
        self.log.append("Mid")
    def hello(self):
        return "mid+" + super(Mid, self).hello()
class Leaf(Mid):
    def __init__(self):
        super(Leaf, self).__init__()
        self.log.append("Leaf")
    def hello(self):
        return "leaf+" + super().hello()
x = Leaf()
print(x.log, x.hello())
