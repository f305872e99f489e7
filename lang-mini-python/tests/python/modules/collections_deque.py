from collections import deque
import collections
q = deque([1, 2, 3])
q.append(4); q.appendleft(0)
print(q, len(q), q[0], q[-1], 2 in q, list(q), sorted(q, reverse=True), bool(deque()), type(q), type(q).__name__)
print(q.pop(), q.popleft(), q, isinstance(q, list), q == deque([1, 2, 3]), q == [1, 2, 3], q != [1, 2, 3], q.maxlen)
q.extend("ab"); q.extendleft([9, 8])
print(q, q.count(1), q.index(2), q.index("a", 2))
q.rotate(2); print(q); q.rotate(-3); print(q); q.reverse(); print(q)
q.remove("a"); q.insert(1, "x"); q[0] = "first"; del q[2]
print(q, q.copy(), q + deque([7]), q * 2, deque([1]) < deque([2]))
q += [5, 6]
print(q)
w = deque(range(10), maxlen=3)
print(w, w.maxlen)
w.append(10); w.appendleft(-1)
print(w, deque(maxlen=2), deque("abc", 2), collections.deque([1]))
graph = {1: [2, 3], 2: [4], 3: [4], 4: []}
seen, order, todo = {1}, [], deque([1])
while todo:
    node = todo.popleft()
    order.append(node)
    for nxt in graph[node]:
        if nxt not in seen:
            seen.add(nxt)
            todo.append(nxt)
print(order)
for bad in [lambda: deque().pop(), lambda: deque().popleft(), lambda: deque([1])[5], lambda: deque([1])[0:1],
            lambda: deque([1]).remove(7), lambda: deque([1]) + [2], lambda: deque([1], maxlen=1).insert(0, 2),
            lambda: deque([1]).index(9), lambda: deque([1], -1)]:
    try:
        bad()
    except (IndexError, TypeError, ValueError, AttributeError) as e:
        print(type(e).__name__, e)
class Window(deque):
    def mean(self):
        return sum(self) / len(self)
win = Window([1, 2, 3], maxlen=3)
win.append(10)
win.label = "w"
print(win, win.mean(), win.label, isinstance(win, deque))
