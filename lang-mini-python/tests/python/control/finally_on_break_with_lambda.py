# break, continue and return run the finally body on their way out (it is compiled once
# per exit); lambdas and comprehensions in it are the same scopes every time.
for i in range(3):
    try:
        if i == 1:
            continue
        if i == 2:
            break
    finally:
        print(i, [x * i for x in range(3)], (lambda y: y + i)(10))
def f(n):
    try:
        return n
    finally:
        print("leaving", sorted([3, 1, 2], key=lambda v: -v), {k: n for k in "ab"})
print(f(5))
