def build(n):
    node = None
    for i in range(n):
        node = (i, node)
    return node
def length(node):
    total = 0
    while node is not None:
        total += 1
        node = node[1]
    return total
lst = build(100000)
print(length(lst))
def tree_depth(t):
    if t is None:
        return 0
    return 1 + max(tree_depth(t[0]), tree_depth(t[1]))
def make_tree(d):
    if d == 0:
        return None
    return (make_tree(d - 1), make_tree(d - 2) if d > 1 else None)
print(tree_depth(make_tree(15)))
