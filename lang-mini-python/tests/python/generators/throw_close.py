def g():
    try:
        yield 1
        yield 2
    except ValueError as e:
        print("caught", e)
        yield 10
    finally:
        print("fin")
x = g()
print(next(x))
print(x.throw(ValueError("boom")))
x.close()
print(list(x))

def h():
    r = yield from sub()
    print("r", r)
    return r * 2
def sub():
    try:
        yield 1
    except KeyError as e:
        print("sub caught", repr(e))
        return 5
    yield 2
it = h()
print(next(it))
try:
    it.throw(KeyError, "k")
except StopIteration as e:
    print("stop", e.value, e.args)

def k():
    yield 1
    return 7
it = k()
next(it)
try:
    next(it)
except StopIteration as e:
    print("value", e.value)
print(StopIteration().value, StopIteration(3, 4).value)

def stubborn():
    try:
        yield 1
    except GeneratorExit:
        print("ignoring")
    yield 2
s = stubborn()
next(s)
try:
    s.close()
except RuntimeError as e:
    print("RuntimeError:", e)
print(list(s))

def closer():
    try:
        yield 1
    except GeneratorExit:
        print("exit seen")
        raise
c = closer()
next(c)
c.close()
c.close()
print(issubclass(GeneratorExit, BaseException), issubclass(GeneratorExit, Exception))

def outer():
    try:
        yield from closer()
    finally:
        print("outer finally")
o = outer()
next(o)
o.close()

def unstarted():
    print("never")
    yield 1
u = unstarted()
try:
    u.throw(TypeError("early"))
except TypeError as e:
    print("early", e)
print(list(u))

def counter():
    n = 0
    while True:
        try:
            v = yield n
        except ValueError:
            n = -100
            continue
        if v is not None:
            n = v
        else:
            n += 1
cn = counter()
print(next(cn), next(cn), cn.send(10), next(cn), cn.throw(ValueError), next(cn))
try:
    cn.throw(5)
except TypeError as e:
    print(e)

class It:
    def __iter__(self): return self
    def __next__(self): return 1
def deleg():
    yield from It()
dl = deleg()
next(dl)
try:
    dl.throw(IndexError("ie"))
except IndexError as e:
    print("ie passed", e)

