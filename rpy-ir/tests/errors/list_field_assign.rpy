# error: list_field_assign.rpy:4:6: error: cannot assign to field 'length' of list[int]: a container's fields belong to its methods
def f(n: int) -> int:
    l: list[int] = [1, 2]
    l.length = 5
    return l[3]
