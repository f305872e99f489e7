# error: vable_shared_array.rpy:8:12: error: virtualized items field 'stack' must be set to an array made there (as in 'Frame(stack=array[...](n))'), which no other virtualized items field holds
struct Frame virtualizable(locals[*], stack[*]):
    locals: array[int]
    stack: array[int]

def make() -> Frame:
    a = array[int](4)
    return Frame(locals=a, stack=a)
