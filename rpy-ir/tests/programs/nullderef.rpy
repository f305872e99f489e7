# Reading a field through None is a runtime error with the source position.
# run: crash 0 => error: null

struct Box:
    value: int

def crash(x: int) -> int:
    b: Box = None
    if x > 0:
        b = Box(value = x)
    return b.value
