# portal: f greens: n
# A loop counter is red at the loop header even when it starts green: otherwise the JIT would
# unroll the loop. The bound n stays green.
def f(n: int, x: int) -> int:
    i = 0
    s = 0
    while i < n:
        s += x
        i += 1
    return s
