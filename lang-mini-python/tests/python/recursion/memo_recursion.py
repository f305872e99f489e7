memo = {}
def ways(n):
    if n <= 1:
        return 1
    if n in memo:
        return memo[n]
    r = ways(n - 1) + ways(n - 2)
    memo[n] = r
    return r
print(ways(300))
def partitions(n, k):
    if n == 0:
        return 1
    if n < 0 or k == 0:
        return 0
    return partitions(n - k, k) + partitions(n, k - 1)
print([partitions(n, n) for n in range(1, 15)])
