# dir() without arguments: the names of the running function, class body or module
import math

limit = 10

def compute(x, y=2):
    total = x + y
    print(dir())
    def inner():
        return total
    print(dir())
    return inner

compute(1)

class Config:
    print(dir())
    debug = False
    level = 3
    print(dir())

def empty():
    print(dir())

empty()
print(dir())
