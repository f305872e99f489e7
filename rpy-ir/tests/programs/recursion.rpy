# Deep recursion is a stack-overflow error, not a crash of the host; mutual recursion works.
# run: even 1001 => False
# run: depth 10000 => 10000
# run: forever 0 => error: stack overflow

def even(n: int) -> bool:
    if n == 0:
        return True
    return odd(n - 1)

def odd(n: int) -> bool:
    if n == 0:
        return False
    return even(n - 1)

def depth(n: int) -> int:
    if n == 0:
        return 0
    return 1 + depth(n - 1)

def forever(n: int) -> int:
    return forever(n + 1) + 1
