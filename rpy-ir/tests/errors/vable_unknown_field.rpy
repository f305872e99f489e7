# error: vable_unknown_field.rpy:2:35: error: 'stack' is not a field of struct 'Frame'
struct Frame virtualizable(depth, stack[*]):
    depth: int
