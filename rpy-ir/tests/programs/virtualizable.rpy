# A virtualizable frame: declared, made, read and written like any struct (the declaration
# only tells the JIT it may keep the frame's depth and items in registers).
# run: sum_stack 5 => 15
# run: sum_stack 0 => 0
# run: overflow 4 => error: index 4 out of bounds

struct Frame virtualizable(depth, locals[*], stack[*]):
    locals: array[int]
    stack: array[int]
    depth: int

def new_frame(n: int) -> Frame:
    return Frame(locals=array[int](2), stack=array[int](n), depth=0)

def push(f: Frame, x: int):
    f.stack[f.depth] = x
    f.depth += 1

def sum_stack(n: int) -> int:
    f = new_frame(n)
    i = 1
    while i <= n:
        push(f, i)
        i += 1
    while f.depth > 0:
        f.depth -= 1
        f.locals[0] += f.stack[f.depth]
    return f.locals[0]

def overflow(n: int) -> int:
    f = new_frame(n)
    i = 0
    while i <= n:
        push(f, i)
        i += 1
    return f.depth
