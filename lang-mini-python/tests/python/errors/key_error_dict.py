stock = {"apple": 3, "pear": 0}
def take(name):
    stock[name] -= 1
    return stock[name]
print(take("apple"))
print(take("banana"))
