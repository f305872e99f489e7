def limited(xs):
    for x in xs:
        if x < 0:
            return
        yield x
print(list(limited([1, 2, -1, 3])))
def empty():
    return
    yield 1
print(list(empty()))
def squares(n):
    yield from (i * i for i in range(n))
print(list(squares(5)), sum(squares(4)))
