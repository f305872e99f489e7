def positive(n):
    assert n > 0
    return n
positive(3)
positive(0)
