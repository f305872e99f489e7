graph = {
    "A": {"B": 4, "C": 2},
    "B": {"C": 5, "D": 10},
    "C": {"E": 3},
    "D": {"F": 11},
    "E": {"D": 4},
    "F": {},
}
def dijkstra(g, start):
    dist = {start: 0}
    prev = {}
    todo = [start]
    done = set()
    while todo:
        todo.sort(key=lambda n: dist[n])
        node = todo.pop(0)
        if node in done:
            continue
        done.add(node)
        for nxt, w in g[node].items():
            d = dist[node] + w
            if nxt not in dist or d < dist[nxt]:
                dist[nxt] = d
                prev[nxt] = node
                todo.append(nxt)
    return dist, prev
def path(prev, target):
    out = [target]
    while out[-1] in prev:
        out.append(prev[out[-1]])
    return list(reversed(out))
dist, prev = dijkstra(graph, "A")
for node in sorted(dist):
    print(node, dist[node], "->".join(path(prev, node)))
def bfs_order(g, start):
    seen = [start]
    queue = [start]
    while queue:
        n = queue.pop(0)
        for m in sorted(g[n]):
            if m not in seen:
                seen.append(m)
                queue.append(m)
    return seen
print(bfs_order(graph, "A"))
def dfs(g, n, seen=None):
    if seen is None:
        seen = []
    seen.append(n)
    for m in g[n]:
        if m not in seen:
            dfs(g, m, seen)
    return seen
print(dfs(graph, "A"))
