n = 27
steps = []
while n != 1 and len(steps) < 200:
    steps.append(n)
    n = n // 2 if n % 2 == 0 else 3 * n + 1
print(len(steps), max(steps))
i, j = 0, 10
while i < j:
    i += 2
    j -= 1
print(i, j)
stack = [1, [2, [3, [4]]]]
depth = 0
while isinstance(stack, list) and stack:
    depth += 1
    stack = stack[-1]
print(depth, stack)
