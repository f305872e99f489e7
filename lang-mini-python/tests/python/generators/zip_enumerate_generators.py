def letters():
    for c in "abcde":
        yield c
def countdown(n):
    while n > 0:
        yield n
        n -= 1
print(list(zip(letters(), countdown(3))))
print(list(enumerate(countdown(4), 1)))
print(dict(zip(letters(), range(100))))
print(sorted(countdown(5)), list(reversed(list(countdown(3)))))
print(list(map(lambda c: c.upper(), letters())))
print(list(filter(lambda n: n % 2, countdown(9))))
