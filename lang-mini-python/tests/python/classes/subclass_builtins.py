class Stack(list):
    def push(self, x):
        self.append(x)
    def peek(self):
        return self[-1]
s = Stack()
s.push(1); s.push(2); s.push(3)
print(s.peek(), len(s), s.pop(), list(s))
class DefaultDict(dict):
    def get_or(self, k, default):
        if k in self:
            return self[k]
        return default
d = DefaultDict()
d["a"] = 1
print(d.get_or("a", 0), d.get_or("b", 0), len(d))
print(isinstance(s, list), isinstance(d, dict))
