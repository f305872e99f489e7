def numbers():
    n = 0
    while True:
        print("produce", n)
        yield n
        n += 1
def evens(src):
    for x in src:
        if x % 2 == 0:
            yield x
def take(k, src):
    for x in src:
        if k <= 0:
            return
        yield x
        k -= 1
print(list(take(3, evens(numbers()))))
