def gen(n):
    for i in range(n):
        sent = yield i
        if sent:
            yield from range(sent)
    return "end"

def delegate():
    result = yield from gen(2)
    yield result

print(list(gen(3)), sum(x * x for x in range(4)))
