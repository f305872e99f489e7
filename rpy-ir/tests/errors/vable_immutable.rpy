# error: vable_immutable.rpy:2:24: error: virtualizable struct 'Frame' cannot be immutable
struct Frame immutable virtualizable(depth):
    depth: int
