# A linked list: building, reversing, summing; None checks.
# run: run 100 => 4950
# run: reversed_head 10 => 0

struct Node:
    value: int
    next: Node

def build(n: int) -> Node:
    head: Node = None
    i = n - 1
    while i >= 0:
        head = Node(value = i, next = head)
        i -= 1
    return head

def reverse(l: Node) -> Node:
    prev: Node = None
    while l is not None:
        nxt = l.next
        l.next = prev
        prev = l
        l = nxt
    return prev

def run(n: int) -> int:
    l = build(n)
    s = 0
    while l is not None:
        s += l.value
        l = l.next
    return s

def reversed_head(n: int) -> int:
    r = reverse(reverse(build(n)))
    return r.value
