#! dunders.rpy: special methods of the builtin types called by name (`[1, 2].__len__()`),
#! each the operation the builtin function or operator performs.

def dunder_len(a: Args) -> W_Object:
    check_args(a, "__len__", 1, 1)
    return W_Int(value=len_of(plain_view(a.vals[0])))

def setup_dunders():
    add_method(TYPES_BY_KIND.list_type, "__len__", dunder_len)
    add_method(TYPES_BY_KIND.tuple_type, "__len__", dunder_len)
    add_method(TYPES_BY_KIND.dict_type, "__len__", dunder_len)
    add_method(TYPES_BY_KIND.str_type, "__len__", dunder_len)
    add_method(TYPES_BY_KIND.range_type, "__len__", dunder_len)
