# error: vable_items_not_array.rpy:2:28: error: 'depth[*]': field 'depth' has type int, not a mutable array
struct Frame virtualizable(depth[*]):
    depth: int
