# error: vable_child.rpy:4:12: error: struct 'Sub' cannot inherit from the virtualizable struct 'Frame'
struct Frame virtualizable(depth):
    depth: int
struct Sub(Frame):
    z: int
