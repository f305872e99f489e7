# an exception thrown into a generator that does not catch it comes back out of throw(),
# with the generator's frame in the traceback
def worker():
    yield 'ready'
    yield 'working'

w = worker()
print(next(w))
w.throw(ValueError('stop now'))
