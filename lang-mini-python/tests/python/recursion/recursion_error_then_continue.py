count = 0
def f():
    global count
    count += 1
    f()
for attempt in range(3):
    count = 0
    try:
        f()
    except RecursionError:
        print("attempt", attempt, "went deep:", count > 500)
def g(n):
    if n == 0:
        return "bottom"
    return g(n - 1)
print(g(500))
