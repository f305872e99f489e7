counter = 0
items = []
def bump():
    global counter
    counter += 1
    items.append(counter)
for _ in range(3):
    bump()
print(counter, items)
def read_only():
    return counter * 10
print(read_only())
def define_new():
    global NEW_CONST
    NEW_CONST = 42
define_new()
print(NEW_CONST)
