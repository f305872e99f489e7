# error: const_dict_struct_key.rpy:6:26: error: a constant dict cannot have struct keys: they hash by address
struct P:
    x: int

const Q = P(1)
const D: dict[P, int] = {Q: 1}
