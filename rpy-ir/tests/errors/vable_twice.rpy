# error: vable_twice.rpy:2:35: error: field 'depth' is named twice in virtualizable(...)
struct Frame virtualizable(depth, depth):
    depth: int
