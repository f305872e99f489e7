# A method that raises, called through the dispatch chain (an overriding subclass) and
# directly (`Parent.m(self)`): the caller's handler sees the exception, and one that nothing
# catches leaves the host call.
# run: dispatched 1 => -1
# run: dispatched -5 => 9223372036854775802
# run: through_parent 3 => -2
# run: uncaught 1 => error: OverflowError: integer overflow

struct O:
    def add(self, x: int) -> int:
        raise ValueError(message="no add")

struct I(O):
    v: int

    def add(self, x: int) -> int:
        return ovfcheck(self.v + x)

def call_add(o: O, x: int) -> int:
    try:
        r = o.add(x)
        return r
    except OverflowError:
        return -1
    except ValueError:
        return -2

def dispatched(n: int) -> int:
    return call_add(I(v=n), 9223372036854775807)

def through_parent(n: int) -> int:
    i = I(v=n)
    try:
        return O.add(i, n)
    except ValueError:
        return -2

def uncaught(n: int) -> int:
    o: O = I(v=n)
    return o.add(9223372036854775807)
