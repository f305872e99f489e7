# error: exception_field_unknown.rpy:3:22: error: struct 'ValueError' has no field 'msg'
def f(x: int) -> int:
    raise ValueError(msg="oops")
