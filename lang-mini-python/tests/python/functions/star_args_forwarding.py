def log_call(fn, *args, **kwargs):
    parts = [repr(a) for a in args] + [k + "=" + repr(v) for k, v in kwargs.items()]
    print(fn.__name__ + "(" + ", ".join(parts) + ")")
    return fn(*args, **kwargs)
def power(base, exp=2, mod=None):
    r = base ** exp
    return r % mod if mod else r
print(log_call(power, 3))
print(log_call(power, 3, 4))
print(log_call(power, 2, exp=100, mod=1000))
args = (5,)
kw = {"exp": 3}
print(power(*args, **kw))
def collect(a, *rest, **named):
    return a, rest, named
print(collect(*[1, 2, 3], **{"x": 4}))
