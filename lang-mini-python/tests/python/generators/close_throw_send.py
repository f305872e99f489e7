# close(), throw() and send(): GeneratorExit, finally blocks, return values, errors
# thrown into a generator not yet started, and through yield from
def gen():
    try:
        yield 1
        yield 2
    except GeneratorExit:
        print('exit seen')
        raise
    finally:
        print('finally')
g = gen()
print(next(g))
g.close()
g.close()
print('closed', list(g))
def bad():
    try:
        yield 1
    except GeneratorExit:
        yield 2
b = bad()
next(b)
try:
    b.close()
except RuntimeError as e:
    print('RuntimeError', e)
def ret():
    try:
        yield 1
    except GeneratorExit:
        return 5
r = ret(); next(r); print(r.close())
def thrower():
    while True:
        try:
            x = yield
            print('got', x)
        except ValueError as e:
            print('ValueError', e)
t = thrower()
next(t)
t.send(10)
t.throw(ValueError('v'))
t.throw(ValueError)
try:
    t.throw(KeyError('k'))
except KeyError as e:
    print('propagated', e)
try:
    next(t)
except StopIteration:
    print('stopped')
u = gen()
try:
    u.throw(TypeError('before start'))
except TypeError as e:
    print('unstarted', e)
print(list(u))
v = gen()
v.close()
print(list(v))
def echo():
    r = yield 'first'
    while True:
        r = yield r * 2
e = echo()
print(e.send(None), e.send(3), e.send('ab'))
try:
    echo().send(1)
except TypeError as ex:
    print(ex)
def sub():
    try:
        yield 'a'
        yield 'b'
    finally:
        print('sub finally')
def outer():
    yield from sub()
o = outer()
print(next(o))
o.close()
o2 = outer(); next(o2)
try:
    o2.throw(IndexError('x'))
except IndexError:
    print('through yield from')
