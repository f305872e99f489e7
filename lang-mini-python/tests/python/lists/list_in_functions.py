def modify(lst):
    lst.append("added")
    lst[0] = "changed"
def rebind(lst):
    lst = ["new"]
    return lst
data = ["orig", 1]
modify(data)
print(data)
print(rebind(data), data)
def total(xs, acc=0):
    if not xs:
        return acc
    return total(xs[1:], acc + xs[0])
print(total(list(range(100))))
def rotate(xs, k):
    k %= len(xs)
    return xs[-k:] + xs[:-k]
print(rotate([1, 2, 3, 4, 5], 2), rotate([1, 2, 3], -1))
