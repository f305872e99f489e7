# error: enumerate_start_twice.rpy:3:37: error: enumerate() got multiple values for 'start'
def f(x: int) -> int:
    for i, c in enumerate("abc", 1, start=2):
        x += i
    return x
