def ratio(a, b):
    return a // b
def report(values):
    for v in values:
        print(v, ratio(100, v))
report([5, 3, 0, 1])
