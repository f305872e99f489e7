def counter(start):
    def inc():
        nonlocal start
        start += 1
        return start
    return inc

def uses_param_in_comp(xs, k):
    return [x * k for x in xs]
