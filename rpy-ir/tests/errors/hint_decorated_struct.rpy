# error: hint_decorated_struct.rpy:3:1: error: expected 'def' after a decorator, found 'struct'
@elidable
struct S:
    x: int
