# error: hint_elidable_void_method.rpy:5:6: error: @elidable function 'log' must return a value (an elidable call is worth only its result)
struct Logger:
    level: int

    @elidable
    def log(self, x: int):
        print_int(x)
