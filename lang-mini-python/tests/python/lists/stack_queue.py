stack = []
push = stack.append
pop = stack.pop
for i in range(5):
    push(i * i)
print(stack)
while stack:
    print(pop(), end=" ")
print()
queue = [1, 2, 3]
queue.append(4)
first = queue.pop(0)
print(first, queue)
