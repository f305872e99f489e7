def check(n):
    assert n >= 0, "n must be non-negative, got " + str(n)
    assert n < 100
    return n
print(check(5))
for v in [-1, 150]:
    try:
        check(v)
    except AssertionError as e:
        print("AssertionError:", repr(str(e)))
try:
    assert False, ("tuple", 1)
except AssertionError as e:
    print(e.args)
