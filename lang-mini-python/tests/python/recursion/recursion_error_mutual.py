def ping(n):
    return pong(n + 1)
def pong(n):
    return ping(n + 1)
try:
    ping(0)
except RecursionError:
    print("mutual recursion stopped")
class Node:
    def __init__(self):
        self.next = self
    def length(self):
        return 1 + self.next.length()
try:
    Node().length()
except RecursionError as e:
    print(type(e).__name__, isinstance(e, RuntimeError))
