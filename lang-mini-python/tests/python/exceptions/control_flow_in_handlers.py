def first_positive(xs):
    for x in xs:
        try:
            if x <= 0:
                raise ValueError(x)
        except ValueError:
            continue
        finally:
            print("checked", x)
        return x
    return None
print(first_positive([-1, 0, 5, 7]))
results = []
for i in range(6):
    try:
        if i == 4:
            raise KeyError(i)
        results.append(i)
    except KeyError:
        results.append("stop")
        break
    finally:
        results.append("f%d" % i)
print(results)
def from_except():
    try:
        return 1 // 0
    except ZeroDivisionError:
        return "returned from except"
    finally:
        print("finally after except return")
print(from_except())
count = 0
while True:
    count += 1
    try:
        if count < 3:
            continue
        break
    finally:
        print("loop finally", count)
print("count", count)
