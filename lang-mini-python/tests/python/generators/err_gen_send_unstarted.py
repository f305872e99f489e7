# a generator that has not started can only be sent None
def accumulate():
    total = 0
    while True:
        total += yield total

acc = accumulate()
print(acc.send(None), acc.send(5), acc.send(10))
fresh = accumulate()
fresh.send(1)
