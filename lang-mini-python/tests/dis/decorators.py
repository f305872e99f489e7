def trace(fn):
    def wrapper(*args, **kwargs):
        print("call", fn.__name__)
        return fn(*args, **kwargs)
    return wrapper

@trace
def hello(who):
    return "hi " + who

class Temp:
    @staticmethod
    def make():
        return Temp()
    @classmethod
    def build(cls):
        return cls()
