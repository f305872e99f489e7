#! floats.rpy: `float` (an IEEE double in `W_Float.value`).
#!
#! Invariants: `repr`/`str` are CPython's (the `float_to_str` extern: shortest round trip);
#! mixed int/float arithmetic converts the int; division by zero raises CPython's messages.

struct W_Float(W_Object) immutable:
    value: float

    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.float_type

# The float value of an int or float, for mixed arithmetic; `ok` false for other objects.
def as_float(w: W_Object) -> float:
    if isinstance(w, W_Float):
        return (w as W_Float).value
    if isinstance(w, W_Long):
        return big_float((w as W_Long).value)
    return float((w as W_Int).value)

def is_number(w: W_Object) -> bool:
    return isinstance(w, W_Int) or isinstance(w, W_Float) or isinstance(w, W_Long)

def float_binop(a: float, op: int, b: float) -> W_Object:
    if op == OP_ADD:
        return W_Float(value=a + b)
    if op == OP_SUB:
        return W_Float(value=a - b)
    if op == OP_MUL:
        return W_Float(value=a * b)
    if op == OP_TRUEDIV:
        if b == 0.0:
            raise guest_error("ZeroDivisionError", "float division by zero")
        return W_Float(value=a / b)
    if op == OP_FLOORDIV:
        if b == 0.0:
            raise guest_error("ZeroDivisionError", "float floor division by zero")
        return W_Float(value=float_floordiv(a, b))
    if op == OP_MOD:
        if b == 0.0:
            raise guest_error("ZeroDivisionError", "float modulo")
        return W_Float(value=float_mod(a, b))
    if op == OP_POW:
        if a == 0.0 and b < 0.0:
            raise guest_error("ZeroDivisionError", "0.0 cannot be raised to a negative power")
        if a < 0.0 and b != float_floor(b):
            raise guest_error("ValueError", "complex results are not supported")
        return W_Float(value=float_pow(a, b))
    return None

def float_compare(a: float, op: int, b: float) -> bool:
    if op == CMP_LT:
        return a < b
    if op == CMP_LE:
        return a <= b
    if op == CMP_EQ:
        return a == b
    if op == CMP_NE:
        return a != b
    if op == CMP_GT:
        return a > b
    return a >= b

def bi_float(a: Args) -> W_Object:
    check_args(a, "float", 0, 1)
    if npos(a) == 0:
        return W_Float(value=0.0)
    w = a.vals[0]
    if isinstance(w, W_Float):
        if isinstance(w, W_FloatUser):
            return W_Float(value=(w as W_Float).value)
        return w
    if isinstance(w, W_Int) or isinstance(w, W_Long):
        return W_Float(value=as_float(w))
    if isinstance(w, W_Str):
        s = (w as W_Str).value
        try:
            return W_Float(value=parse_float(s))
        except ValueError:
            raise guest_error("ValueError", "could not convert string to float: " + str_repr(s))
    f = float_hook(w)
    if f is not None:
        return f
    raise type_error("float() argument must be a string or a real number, not '" + type_name(w) + "'")

def setup_floats():
    TYPES_BY_KIND.float_type = new_type("float", SPACE.object_type, KIND_BUILTIN)
    TYPES_BY_KIND.float_type.constructor = W_Builtin(name="float", f=bi_float)
    ns_set(SPACE.builtins, intern("float"), TYPES_BY_KIND.float_type)
