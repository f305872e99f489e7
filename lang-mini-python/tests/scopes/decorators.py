def deco(fn):
    calls = []
    def wrapper(*args, **kwargs):
        calls.append(args)
        return fn(*args, **kwargs)
    return wrapper

@deco
def f(a):
    return a

class P:
    @property
    def x(self):
        return self._x
    @x.setter
    def x(self, v):
        self._x = v
    @staticmethod
    def s():
        return P
    @classmethod
    def c(cls):
        return cls()
