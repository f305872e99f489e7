def integers(start):
    n = start
    while True:
        yield n
        n += 1
def primes():
    found = []
    for n in integers(2):
        if all(n % p for p in found if p * p <= n):
            found.append(n)
            yield n
def take(n, it):
    out = []
    for x in it:
        if len(out) == n:
            break
        out.append(x)
    return out
print(take(15, primes()))
def pairwise(it):
    prev = None
    first = True
    for x in it:
        if not first:
            yield prev, x
        prev = x
        first = False
gaps = [b - a for a, b in pairwise(take(30, primes()))]
print(gaps)
