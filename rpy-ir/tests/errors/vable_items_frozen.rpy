# error: vable_items_frozen.rpy:2:28: error: 'name[*]': field 'name' has type str, not a mutable array
struct Frame virtualizable(name[*]):
    name: str
