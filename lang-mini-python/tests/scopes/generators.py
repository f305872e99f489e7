def gen(n):
    for i in range(n):
        got = yield i
        if got:
            yield from helper(got)
    return n

def helper(k):
    yield k

total = sum(x for x in gen(3))
