class Node:
    def __init__(self, value, next=None):
        self.value = value
        self.next = next
class LinkedList:
    def __init__(self, items=()):
        self.head = None
        self.length = 0
        for x in reversed(list(items)):
            self.push_front(x)
    def push_front(self, value):
        self.head = Node(value, self.head)
        self.length += 1
    def __iter__(self):
        n = self.head
        while n is not None:
            yield n.value
            n = n.next
    def __len__(self):
        return self.length
    def reverse(self):
        prev = None
        n = self.head
        while n:
            n.next, prev, n = prev, n, n.next
        self.head = prev
    def __str__(self):
        return " -> ".join(str(v) for v in self) or "(empty)"
l = LinkedList([1, 2, 3, 4])
print(l, len(l))
l.reverse()
print(l)
l.push_front(0)
print(list(l), sum(l))
print(LinkedList())
