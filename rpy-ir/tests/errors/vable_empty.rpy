# error: vable_empty.rpy:2:14: error: virtualizable(...) names no field
struct Frame virtualizable():
    depth: int
