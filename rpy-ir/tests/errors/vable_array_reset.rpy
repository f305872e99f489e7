# error: vable_array_reset.rpy:7:6: error: field 'stack' of virtualizable struct 'Frame' holds virtualized items: it can only be set on a 'Frame' made in the same function
struct Frame virtualizable(depth, stack[*]):
    stack: array[int]
    depth: int

def grow(f: Frame):
    f.stack = array[int](2 * len(f.stack))
