#! ints.rpy: `int` and `bool` (a subclass of int), and `None`.
#!
#! Vocabulary and invariants:
#! - `W_Int.value` is a machine word. Arithmetic uses `ovfcheck`; an overflow redoes the
#!   operation on big ints (`long_binop` of longs.rpy), whose results that fit a word come
#!   back as `W_Int`.
#! - `W_Bool` is a `W_Int` with value 0 or 1: the two prebuilt objects `W_TRUE`, `W_FALSE`;
#!   `W_NONE` is the only `W_NoneObj`. `wrap_bool` maps an RPy bool to them.
#! - `binop` returns None for NotImplemented (the caller tries the reflected operation).

struct W_NoneObj(W_Object) immutable:
    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.none_type

struct W_Int(W_Object) immutable:
    value: int

    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.int_type

struct W_Bool(W_Int) immutable:
    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.bool_type

# The builtin types the interpreter's own code needs at hand (set up by each file's setup).
struct BuiltinTypes:
    none_type: W_Type
    int_type: W_Type
    bool_type: W_Type
    float_type: W_Type
    str_type: W_Type
    list_type: W_Type
    tuple_type: W_Type
    dict_type: W_Type
    range_type: W_Type
    function_type: W_Type
    builtin_function_type: W_Type
    method_type: W_Type
    module_type: W_Type
    cell_type: W_Type
    iterator_type: W_Type
    slice_type: W_Type
    base_exception: W_Type

const TYPES_BY_KIND = BuiltinTypes(none_type=None, int_type=None, bool_type=None, float_type=None, str_type=None, list_type=None, tuple_type=None, dict_type=None, range_type=None, function_type=None, builtin_function_type=None, method_type=None, module_type=None, cell_type=None, iterator_type=None, slice_type=None, base_exception=None)

const W_NONE = W_NoneObj()
const W_TRUE = W_Bool(value=1)
const W_FALSE = W_Bool(value=0)

def wrap_bool(b: bool) -> W_Object:
    if b:
        return W_TRUE
    return W_FALSE

def wrap_int(i: int) -> W_Object:
    return W_Int(value=i)

def floor_div(a: int, b: int) -> int:
    q = a // b
    r = a - q * b
    if r != 0 and ((r < 0) != (b < 0)):
        q -= 1
    return q

def int_mod(a: int, b: int) -> int:
    if b == 0:
        raise guest_error("ZeroDivisionError", "integer modulo by zero")
    if b == -1:
        return 0
    q = floor_div(a, b)
    return a - q * b

def int_power(a: int, b: int) -> W_Object:
    result = 1
    base = a
    e = b
    try:
        while e > 0:
            if e % 2 == 1:
                result = ovfcheck(result * base)
            e = e // 2
            if e > 0:
                base = ovfcheck(base * base)
    except OverflowError:
        return long_pow_small(a, b)
    return W_Int(value=result)

def int_binop(a: int, op: int, b: int) -> W_Object:
    try:
        if op == OP_ADD:
            return W_Int(value=ovfcheck(a + b))
        if op == OP_SUB:
            return W_Int(value=ovfcheck(a - b))
        if op == OP_MUL:
            return W_Int(value=ovfcheck(a * b))
        if op == OP_FLOORDIV:
            if b == 0:
                raise guest_error("ZeroDivisionError", "integer division or modulo by zero")
            if b == -1:
                return W_Int(value=ovfcheck(0 - a))
            return W_Int(value=floor_div(a, b))
        if op == OP_MOD:
            return W_Int(value=int_mod(a, b))
        if op == OP_TRUEDIV:
            if b == 0:
                raise guest_error("ZeroDivisionError", "division by zero")
            if not is_exact_float_int(a) or not is_exact_float_int(b):
                return W_Float(value=big_truediv(big_from_int(a), big_from_int(b)))
            return W_Float(value=float(a) / float(b))
        if op == OP_POW:
            if b < 0:
                if a == 0:
                    raise guest_error("ZeroDivisionError", "0.0 cannot be raised to a negative power")
                return W_Float(value=float_pow(float(a), float(b)))
            return int_power(a, b)
        if op == OP_LSHIFT:
            if b < 0:
                raise guest_error("ValueError", "negative shift count")
            if a == 0:
                return W_Int(value=0)
            if b >= 63:
                return long_binop(big_from_int(a), op, big_from_int(b))
            r = a << b
            if (r >> b) != a:
                return long_binop(big_from_int(a), op, big_from_int(b))
            return W_Int(value=r)
        if op == OP_RSHIFT:
            if b < 0:
                raise guest_error("ValueError", "negative shift count")
            if b >= 63:
                if a < 0:
                    return W_Int(value=-1)
                return W_Int(value=0)
            return W_Int(value=a >> b)
        if op == OP_OR:
            return W_Int(value=a | b)
        if op == OP_XOR:
            return W_Int(value=a ^ b)
        if op == OP_AND:
            return W_Int(value=a & b)
    except OverflowError:
        return long_binop(big_from_int(a), op, big_from_int(b))
    return None

def int_compare(a: int, op: int, b: int) -> bool:
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

def int_repr(w: W_Int) -> str:
    if isinstance(w, W_Bool):
        if w.value != 0:
            return "True"
        return "False"
    return int_to_str(w.value)

# int(x[, base]).
def bi_int(a: Args) -> W_Object:
    check_args(a, "int", 0, 2)
    n = npos(a)
    wbase = kwarg(a, "base")
    if n == 2:
        wbase = a.vals[1]
    if n == 0:
        if wbase is not None:
            raise type_error("int() missing string argument")
        return W_Int(value=0)
    w = a.vals[0]
    if wbase is not None:
        if not isinstance(w, W_Str):
            raise type_error("int() can't convert non-string with explicit base")
        return parse_int_guest((w as W_Str).value, int_of(wbase))
    if isinstance(w, W_Int):
        return W_Int(value=(w as W_Int).value)
    if isinstance(w, W_Long):
        return w
    if isinstance(w, W_Float):
        return int_of_float((w as W_Float).value)
    if isinstance(w, W_Str):
        return parse_int_guest((w as W_Str).value, 10)
    m = type_lookup(type_of(w), intern("__int__"))
    if m is not None:
        return call_object(m, args1(w))
    raise type_error("int() argument must be a string, a bytes-like object or a real number, not '" + type_name(w) + "'")

def parse_int_guest(s: str, base: int) -> W_Object:
    try:
        return W_Int(value=parse_int_base(s, base))
    except ValueError as e:
        if str_to_int_status(s, base) == 1:
            # CPython quotes the literal with its repr (double quotes when it holds a '),
            # cut to 200 characters (its `%.200R`).
            r = str_repr(s)
            if len(r) > 200:
                r = r[0:200]
            raise guest_error("ValueError", "invalid literal for int() with base " + int_to_str_base(base, 10) + ": " + r)
        raise guest_error("ValueError", e.message)
    except OverflowError:
        return long_from_str(s, base)

def bi_bool(a: Args) -> W_Object:
    check_args(a, "bool", 0, 1)
    if npos(a) == 0:
        return W_FALSE
    return wrap_bool(is_true(a.vals[0]))

def setup_ints():
    object_type = SPACE.object_type
    TYPES_BY_KIND.none_type = new_type("NoneType", object_type, KIND_BUILTIN)
    TYPES_BY_KIND.int_type = new_type("int", object_type, KIND_BUILTIN)
    TYPES_BY_KIND.int_type.constructor = W_Builtin(name="int", f=bi_int)
    TYPES_BY_KIND.bool_type = new_type("bool", TYPES_BY_KIND.int_type, KIND_BUILTIN)
    TYPES_BY_KIND.bool_type.constructor = W_Builtin(name="bool", f=bi_bool)
    ns_set(SPACE.builtins, intern("int"), TYPES_BY_KIND.int_type)
    ns_set(SPACE.builtins, intern("bool"), TYPES_BY_KIND.bool_type)
