# error: break_outside.rpy:3:5: error: 'break' outside a loop
def f(x: int):
    break
