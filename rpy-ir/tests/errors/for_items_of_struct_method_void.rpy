# error: for_items_of_struct_method_void.rpy:9:14: error: cannot iterate over the result of 'items()': it returns nothing
struct Box:
    n: int
    def items(self):
        pass

def f(x: int) -> int:
    b = Box(1)
    for k in b.items():
        x += k
    return x
