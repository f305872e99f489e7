# error: hint_elidable_void.rpy:2:2: error: @elidable function 'log' must return a value (an elidable call is worth only its result)
@elidable
def log(x: int):
    print_int(x)
