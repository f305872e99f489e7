friends = {
    "ann": {"bob", "cat"},
    "bob": {"ann", "dan"},
    "cat": {"ann", "dan", "eve"},
    "dan": {"bob", "cat"},
    "eve": {"cat"},
}
def mutual(a, b):
    return sorted(friends[a] & friends[b])
print(mutual("ann", "dan"), mutual("bob", "cat"))
def reachable(start):
    seen = {start}
    frontier = [start]
    while frontier:
        n = frontier.pop()
        for m in sorted(friends[n] - seen):
            seen.add(m)
            frontier.append(m)
    return sorted(seen)
print(reachable("eve"))
everyone = set()
for fs in friends.values():
    everyone.update(fs)
print(sorted(everyone), len(everyone))
print(sorted(set(friends) - friends["cat"]))
