def trace(fn):
    def wrapper(*args, **kwargs):
        print("call", fn.__name__, args)
        result = fn(*args, **kwargs)
        print("ret", result)
        return result
    return wrapper
@trace
def add(a, b):
    return a + b
add(2, 3)
def twice(fn):
    def w(x):
        return fn(fn(x))
    return w
@twice
def inc(x):
    return x + 1
print(inc(5))
calls = []
def register(fn):
    calls.append(fn.__name__)
    return fn
@register
def alpha():
    return "a"
@register
def beta():
    return "b"
print(calls, alpha(), beta())
