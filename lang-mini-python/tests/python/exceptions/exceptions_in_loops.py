results = []
for x in [5, 0, "a", 2, None, 4]:
    try:
        results.append(100 // x)
    except ZeroDivisionError:
        results.append("div0")
        continue
    except TypeError as e:
        results.append("type")
        if x is None:
            break
    finally:
        results.append("|")
print(results)
count = 0
while True:
    try:
        count += 1
        if count == 5:
            raise StopIteration
    except StopIteration:
        break
print(count)
