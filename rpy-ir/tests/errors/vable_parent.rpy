# error: vable_parent.rpy:4:14: error: virtualizable struct 'Frame' cannot have a parent
struct Base:
    x: int
struct Frame(Base) virtualizable(x):
    y: int
