class Base(object):
    kind = "base"
    def __init__(self, v):
        self.v = v
    def describe(self):
        return kind + str(self.v)

class Child(Base):
    def __init__(self, v, w):
        super().__init__(v)
        self.w = w
    def cls(self):
        return __class__
    size = len(kind)
