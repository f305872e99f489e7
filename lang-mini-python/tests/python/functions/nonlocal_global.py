total = 0
def add(n):
    global total
    total += n
add(5); add(7)
print(total)
def make():
    a = 1
    b = 10
    def step():
        nonlocal a, b
        a, b = b, a + b
        return a
    return step
s = make()
print([s() for _ in range(5)])
def set_global():
    global created
    created = "yes"
set_global()
print(created)
x = "global x"
def shadow():
    x = "local x"
    return x
print(shadow(), x)
