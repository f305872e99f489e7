# error: raise_class_name.rpy:3:11: error: raise an instance of the class: raise ValueError(message="...")
def f(x: int) -> int:
    raise ValueError
