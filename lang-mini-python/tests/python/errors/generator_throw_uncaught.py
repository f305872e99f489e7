def final():
    total = 0
    for i in range(3):
        total += yield i
    return total

fz = final()
print(next(fz))
print(fz.send(5))
fz.throw(ValueError("uncaught"))
