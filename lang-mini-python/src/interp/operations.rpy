#! operations.rpy: the generic operations every opcode and builtin goes through (PyPy's
#! "object space"): truth, repr/str, equality and hashing, arithmetic and comparisons
#! (items, iteration and length are in items.rpy).
#!
#! Invariants: builtin types are handled by `isinstance` fast paths (the JIT folds them when
#! the class is known); anything else goes to the special methods of the object's type
#! (`special(w, "__add__")`), then to CPython's TypeError message. Operators are numbered as
#! the bytecode numbers them (`OP_*` for BINARY_OP, `CMP_*` for COMPARE_OP).

const OP_ADD = 0
const OP_SUB = 1
const OP_MUL = 2
const OP_TRUEDIV = 3
const OP_FLOORDIV = 4
const OP_MOD = 5
const OP_POW = 6
const OP_LSHIFT = 7
const OP_RSHIFT = 8
const OP_OR = 9
const OP_XOR = 10
const OP_AND = 11
const CMP_LT = 0
const CMP_LE = 1
const CMP_EQ = 2
const CMP_NE = 3
const CMP_GT = 4
const CMP_GE = 5

def op_symbol(op: int) -> str:
    if op == OP_ADD:
        return "+"
    if op == OP_SUB:
        return "-"
    if op == OP_MUL:
        return "*"
    if op == OP_TRUEDIV:
        return "/"
    if op == OP_FLOORDIV:
        return "//"
    if op == OP_MOD:
        return "%"
    if op == OP_POW:
        return "** or pow()"
    if op == OP_LSHIFT:
        return "<<"
    if op == OP_RSHIFT:
        return ">>"
    if op == OP_OR:
        return "|"
    if op == OP_XOR:
        return "^"
    return "&"

def op_special(op: int) -> str:
    if op == OP_ADD:
        return "add"
    if op == OP_SUB:
        return "sub"
    if op == OP_MUL:
        return "mul"
    if op == OP_TRUEDIV:
        return "truediv"
    if op == OP_FLOORDIV:
        return "floordiv"
    if op == OP_MOD:
        return "mod"
    if op == OP_POW:
        return "pow"
    if op == OP_LSHIFT:
        return "lshift"
    if op == OP_RSHIFT:
        return "rshift"
    if op == OP_OR:
        return "or"
    if op == OP_XOR:
        return "xor"
    return "and"

def cmp_symbol(op: int) -> str:
    if op == CMP_LT:
        return "<"
    if op == CMP_LE:
        return "<="
    if op == CMP_EQ:
        return "=="
    if op == CMP_NE:
        return "!="
    if op == CMP_GT:
        return ">"
    return ">="

def cmp_special(op: int) -> str:
    if op == CMP_LT:
        return "__lt__"
    if op == CMP_LE:
        return "__le__"
    if op == CMP_EQ:
        return "__eq__"
    if op == CMP_NE:
        return "__ne__"
    if op == CMP_GT:
        return "__gt__"
    return "__ge__"

def cmp_swapped(op: int) -> int:
    if op == CMP_LT:
        return CMP_GT
    if op == CMP_LE:
        return CMP_GE
    if op == CMP_GT:
        return CMP_LT
    if op == CMP_GE:
        return CMP_LE
    return op

# The special method `name` of w's type if it is user-defined (builtin types answer through
# the fast paths), or None.
# A builtin object whose special methods are builtins in its type's dict, which `special`
# finds there (bytes, mappingproxy): no operation needs a case of its own for it.
struct W_TypeMethods(W_Object) immutable:
    def get_type(self) -> W_Type:
        return SPACE.object_type

def special(w: W_Object, name: str) -> W_Object:
    if isinstance(w, W_TypeMethods):
        return type_lookup(w.get_type(), intern(name))
    if not isinstance(w, W_Instance):
        return user_override(w, name)
    return type_lookup((w as W_Instance).cls, intern(name))

def call_special(m: W_Object, w: W_Object) -> W_Object:
    return call_object(m, args1(w))

def call_special2(m: W_Object, w: W_Object, x: W_Object) -> W_Object:
    return call_object(m, args2(w, x))

def int_of(w: W_Object) -> int:
    if isinstance(w, W_Int):
        return (w as W_Int).value
    if isinstance(w, W_Long):
        raise guest_error("OverflowError", "Python int too large to convert to C ssize_t")
    if special(w, "__index__") is not None:
        return int_of(index_of(w))
    raise type_error("'" + type_name(w) + "' object cannot be interpreted as an integer")

def is_true(w: W_Object) -> bool:
    if w is W_TRUE:
        return True
    if w is W_FALSE or w is W_NONE:
        return False
    return is_true_generic(w)

def is_true_generic(w: W_Object) -> bool:
    hint(w, promote_class=True)
    if OVERRIDES.seen != 0 and value_overridden(w):
        t = value_truth(w)
        if t is not None:
            return t is W_TRUE
    if w is W_TRUE:
        return True
    if w is W_FALSE or w is W_NONE:
        return False
    if isinstance(w, W_Int):
        return (w as W_Int).value != 0
    if isinstance(w, W_Long):
        return not big_is_zero((w as W_Long).value)
    if isinstance(w, W_Float):
        return (w as W_Float).value != 0.0
    if isinstance(w, W_Str):
        return len((w as W_Str).value) != 0
    if isinstance(w, W_List):
        if isinstance(w, W_ListUser):
            t = sub_truth(w)
            if t is not None:
                return t is W_TRUE
        return len((w as W_List).items) != 0
    if isinstance(w, W_Tuple):
        return len((w as W_Tuple).items) != 0
    if isinstance(w, W_Dict):
        if isinstance(w, W_DictUser):
            t = sub_truth(w)
            if t is not None:
                return t is W_TRUE
        return len((w as W_Dict).d) != 0
    if isinstance(w, W_DictView):
        return view_len(w as W_DictView) != 0
    if isinstance(w, W_Range):
        return range_len(w as W_Range) != 0
    if isinstance(w, W_Set):
        return len((w as W_Set).d) != 0
    m = special(w, "__bool__")
    if m is not None:
        r = call_special(m, w)
        if not isinstance(r, W_Bool):
            raise type_error("__bool__ should return bool, returned " + type_name(r))
        return r is W_TRUE
    m = special(w, "__len__")
    if m is not None:
        return int_of(call_special(m, w)) != 0
    return True

def repr_items(items: array[W_Object], open: str, close: str, one_comma: bool) -> str:
    b = new_builder()
    builder_append(b, open)
    i = 0
    while i < len(items):
        if i > 0:
            builder_append(b, ", ")
        builder_append(b, repr_of(items[i]))
        i += 1
    if one_comma and len(items) == 1:
        builder_append(b, ",")
    builder_append(b, close)
    return builder_build(b)

def repr_of(w: W_Object) -> str:
    if isinstance(w, W_Str):
        if isinstance(w, W_StrUser):
            m = user_override(w, "__repr__")
            if m is not None:
                return str_result(call_special(m, w), "__repr__")
        return str_repr((w as W_Str).value)
    if isinstance(w, W_Int):
        if isinstance(w, W_IntUser):
            m = user_override(w, "__repr__")
            if m is not None:
                return str_result(call_special(m, w), "__repr__")
        return int_repr(w as W_Int)
    if isinstance(w, W_Long):
        return long_repr(w as W_Long)
    if isinstance(w, W_Float):
        if isinstance(w, W_FloatUser):
            return str_result(value_sub_repr(w), "__repr__")
        return float_to_str((w as W_Float).value)
    if w is W_NONE:
        return "None"
    if is_sub_object(w):
        m = user_override(w, "__repr__")
        if m is not None:
            return str_result(call_special(m, w), "__repr__")
    if isinstance(w, W_List):
        l = (w as W_List).items
        arr = array[W_Object](len(l))
        i = 0
        while i < len(l):
            arr[i] = l[i]
            i += 1
        return repr_items(arr, "[", "]", False)
    if isinstance(w, W_Tuple):
        if isinstance(w, W_TupleUser):
            return str_result(value_sub_repr(w), "__repr__")
        return repr_items((w as W_Tuple).items, "(", ")", True)
    if isinstance(w, W_Dict):
        d = (w as W_Dict).d
        keys = d.keys()
        b = new_builder()
        builder_append(b, "{")
        i = 0
        while i < len(keys):
            if i > 0:
                builder_append(b, ", ")
            builder_append(b, repr_of(keys[i]))
            builder_append(b, ": ")
            builder_append(b, repr_of(d[keys[i]]))
            i += 1
        builder_append(b, "}")
        return builder_build(b)
    if isinstance(w, W_Range):
        r = w as W_Range
        s = "range(" + int_to_str(r.start) + ", " + int_to_str(r.stop)
        if r.step != 1:
            s = s + ", " + int_to_str(r.step)
        return s + ")"
    if isinstance(w, W_Type):
        return "<class '" + qualified_type_name(w as W_Type) + "'>"
    if isinstance(w, W_DictView):
        return view_repr(w as W_DictView)
    if isinstance(w, W_Set):
        if isinstance(w, W_SetUser):
            return str_result(value_sub_repr(w), "__repr__")
        return set_repr(w as W_Set)
    m = special(w, "__repr__")
    if m is not None:
        return str_result(call_special(m, w), "__repr__")
    return w.default_repr()

def qualified_type_name(t: W_Type) -> str:
    if t.kind == KIND_BUILTIN or t.module == "":
        return t.name
    return t.module + "." + t.name

def str_result(r: W_Object, what: str) -> str:
    if not isinstance(r, W_Str):
        raise type_error(what + " returned non-string (type " + type_name(r) + ")")
    return (r as W_Str).value

def str_of(w: W_Object) -> str:
    if isinstance(w, W_Str):
        if isinstance(w, W_StrUser):
            m = user_override(w, "__str__")
            if m is not None:
                return str_result(call_special(m, w), "__str__")
        return (w as W_Str).value
    m = special(w, "__str__")
    if m is not None:
        return str_result(call_special(m, w), "__str__")
    if isinstance(w, W_BaseException):
        return exception_str(w as W_BaseException)
    return repr_of(w)

def hash_of(w: W_Object) -> int:
    if OVERRIDES.seen != 0 and value_overridden(w):
        r = value_hash(w)
        if r is not None:
            return hash_of(plain_value(r))
    if isinstance(w, W_Int):
        v = (w as W_Int).value
        if v == -1:
            return -2
        if v >= 2305843009213693951 or v <= -2305843009213693951:
            return big_hash(big_from_int(v))
        return v
    if isinstance(w, W_Long):
        return big_hash((w as W_Long).value)
    if isinstance(w, W_Str):
        return str_hash((w as W_Str).value)
    if isinstance(w, W_Float):
        x = (w as W_Float).value
        if x == float_floor(x) and x < 9.0e18 and x > -9.0e18:
            return hash_of(W_Int(value=int(x)))
        if x == float_floor(x) and x - x == 0.0:
            return float_big_hash(x)
        return float_fraction_hash(x)
    if isinstance(w, W_Tuple):
        if isinstance(w, W_NamedTuple):
            r = nt_hash_override(w as W_NamedTuple)
            if r is not None:
                return int_of(r)
        items = (w as W_Tuple).items
        h = 3430008
        i = 0
        while i < len(items):
            h = (h * 1000003) ^ hash_of(items[i])
            i += 1
        return h
    if isinstance(w, W_Set) and (w as W_Set).is_frozen:
        keys = (w as W_Set).d.keys()
        hs = 1927868237
        i = 0
        while i < len(keys):
            hs = hs ^ (hash_of(keys[i]) * 3644798167)
            i += 1
        return hs
    if is_sub_object(w):
        m = user_override(w, "__hash__")
        if m is not None and m is not W_NONE:
            return int_of(call_special(m, w))
    if isinstance(w, W_List) or isinstance(w, W_Dict) or isinstance(w, W_Set) or isinstance(w, W_Slice):
        raise type_error("unhashable type: '" + type_name(w) + "'")
    m = special(w, "__hash__")
    if m is not None:
        if m is W_NONE:
            raise type_error("unhashable type: '" + type_name(w) + "'")
        return int_of(call_special(m, w))
    if special(w, "__eq__") is not None:
        raise type_error("unhashable type: '" + type_name(w) + "'")
    return id(w)

def eq_of(a: W_Object, b: W_Object) -> bool:
    if a is b:
        return True
    return is_true(compare(a, CMP_EQ, b))

def seq_eq(x: array[W_Object], y: array[W_Object]) -> bool:
    if len(x) != len(y):
        return False
    i = 0
    while i < len(x):
        if not eq_of(x[i], y[i]):
            return False
        i += 1
    return True

def list_array(l: list[W_Object]) -> array[W_Object]:
    arr = array[W_Object](len(l))
    i = 0
    while i < len(l):
        arr[i] = l[i]
        i += 1
    return arr

# Lexicographic comparison of two sequences.
def seq_compare(x: array[W_Object], op: int, y: array[W_Object]) -> bool:
    i = 0
    while i < len(x) and i < len(y):
        if not eq_of(x[i], y[i]):
            if op == CMP_EQ:
                return False
            if op == CMP_NE:
                return True
            return is_true(compare(x[i], op, y[i]))
        i += 1
    return int_compare(len(x), op, len(y))

# a OP b for the six comparisons; NotImplemented both ways is identity for ==/!= and a
# TypeError for the orderings.
def compare(a: W_Object, op: int, b: W_Object) -> W_Object:
    if OVERRIDES.seen != 0:
        if value_overridden(a) or value_overridden(b):
            return compare_generic(a, op, b)
    if hint(isinstance(a, W_Int), likely=True) and hint(isinstance(b, W_Int), likely=True):
        return wrap_bool(int_compare((a as W_Int).value, op, (b as W_Int).value))
    return compare_generic(a, op, b)

def compare_generic(a: W_Object, op: int, b: W_Object) -> W_Object:
    hint(a, promote_class=True)
    hint(b, promote_class=True)
    if OVERRIDES.seen != 0 and (value_overridden(a) or value_overridden(b)):
        r = sub_compare(a, op, b)
        if r is not None:
            return r
    if isinstance(a, W_Int) and isinstance(b, W_Int):
        return wrap_bool(int_compare((a as W_Int).value, op, (b as W_Int).value))
    if is_number(a) and is_number(b) and needs_exact_compare(a, b):
        return wrap_bool(long_compare(a, op, b))
    if is_number(a) and is_number(b):
        return wrap_bool(float_compare(as_float(a), op, as_float(b)))
    if isinstance(a, W_Str) and isinstance(b, W_Str):
        return wrap_bool(int_compare(str_cmp((a as W_Str).value, (b as W_Str).value), op, 0))
    if is_sub_object(a) or is_sub_object(b):
        r = sub_compare(a, op, b)
        if r is not None:
            return r
    if isinstance(a, W_List) and isinstance(b, W_List):
        return wrap_bool(seq_compare(list_array((a as W_List).items), op, list_array((b as W_List).items)))
    if isinstance(a, W_Tuple) and isinstance(b, W_Tuple):
        return wrap_bool(seq_compare((a as W_Tuple).items, op, (b as W_Tuple).items))
    if isinstance(a, W_Slice) and isinstance(b, W_Slice):
        return wrap_bool(seq_compare(slice_items(a as W_Slice), op, slice_items(b as W_Slice)))
    if isinstance(a, W_Set):
        r = set_compare(a as W_Set, op, b)
        if r is not None:
            return r
    if isinstance(a, W_Dict) and isinstance(b, W_Dict) and (op == CMP_EQ or op == CMP_NE):
        return wrap_bool(dict_eq(a as W_Dict, b as W_Dict) == (op == CMP_EQ))
    if isinstance(a, W_Range) and isinstance(b, W_Range) and (op == CMP_EQ or op == CMP_NE):
        return wrap_bool(range_eq(a as W_Range, b as W_Range) == (op == CMP_EQ))
    m = special(a, cmp_special(op))
    if m is not None:
        r = call_special2(m, a, b)
        if r is not NOT_IMPLEMENTED:
            return r
    m = special(b, cmp_special(cmp_swapped(op)))
    if m is not None:
        r = call_special2(m, b, a)
        if r is not NOT_IMPLEMENTED:
            return r
    if op == CMP_EQ:
        return wrap_bool(a is b)
    if op == CMP_NE:
        if special(a, "__eq__") is not None:
            return wrap_bool(not is_true(compare(a, CMP_EQ, b)))
        return wrap_bool(a is not b)
    raise type_error("'" + cmp_symbol(op) + "' not supported between instances of '" + type_name(a) + "' and '" + type_name(b) + "'")

def dict_eq(a: W_Dict, b: W_Dict) -> bool:
    if len(a.d) != len(b.d):
        return False
    keys = a.d.keys()
    i = 0
    while i < len(keys):
        k = keys[i]
        if not (k in b.d):
            return False
        if not eq_of(a.d[k], b.d[k]):
            return False
        i += 1
    return True

def concat_arrays(x: array[W_Object], y: array[W_Object]) -> array[W_Object]:
    out = array[W_Object](len(x) + len(y))
    i = 0
    while i < len(x):
        out[i] = x[i]
        i += 1
    j = 0
    while j < len(y):
        out[i + j] = y[j]
        j += 1
    return out

def repeat_list(l: list[W_Object], n: int) -> list[W_Object]:
    out: list[W_Object] = []
    if n > 0:
        # The exact size: growing by doubling would leave up to half the array unused
        # (`[False] * (n + 1)` is most of a sieve's memory).
        out.reserve(len(l) * n)
    k = 0
    while k < n:
        i = 0
        while i < len(l):
            out.append(l[i])
            i += 1
        k += 1
    return out

# a OP b (BINARY_OP); `inplace` for the augmented forms (a list's += extends it).
#
# `binop`, `compare` and `is_true` are each a fast path for ints, then the generic function
# (`*_generic`: promotion, every other type, special methods). The fast path's test is
# `likely` for the JIT: a loop compiled from here assumes ints (the test's other side is
# compiled when first taken), so its arithmetic folds to machine words without a class
# dispatch per operation. Each fast path answers exactly what its generic function answers
# for the objects it takes. The JIT follows them from the dispatch loop (the generic
# functions are in the object space's recursive component, so calls to them stay residual).
def binop(a: W_Object, op: int, b: W_Object, inplace: bool) -> W_Object:
    if OVERRIDES.seen != 0:
        if value_overridden(a) or value_overridden(b):
            return binop_generic(a, op, b, inplace)
    if hint(isinstance(a, W_Int), likely=True) and hint(isinstance(b, W_Int), likely=True):
        # Bools' `&`, `|`, `^` stay bools (binop_generic's case); `op` is a constant for the
        # JIT, so this test is gone for the other operators.
        bitop = op == OP_AND or op == OP_OR or op == OP_XOR
        # Each bool test a guard (a red `and` would split the state, compiling
        # binop_generic's call with the loop).
        if not bitop or hint(not isinstance(a, W_Bool), likely=True) or hint(not isinstance(b, W_Bool), likely=True):
            r = int_binop((a as W_Int).value, op, (b as W_Int).value)
            if r is not None:
                return r
    return binop_generic(a, op, b, inplace)

def binop_generic(a: W_Object, op: int, b: W_Object, inplace: bool) -> W_Object:
    hint(a, promote_class=True)
    hint(b, promote_class=True)
    if OVERRIDES.seen != 0 and (value_overridden(a) or value_overridden(b)):
        r = value_binop(a, op, b, inplace)
        if r is not None:
            return r
    if isinstance(a, W_Bool) and isinstance(b, W_Bool) and (op == OP_AND or op == OP_OR or op == OP_XOR):
        x = (a as W_Int).value
        y = (b as W_Int).value
        if op == OP_AND:
            return wrap_bool((x & y) != 0)
        if op == OP_OR:
            return wrap_bool((x | y) != 0)
        return wrap_bool((x ^ y) != 0)
    if isinstance(a, W_Int) and isinstance(b, W_Int):
        if isinstance(a, W_Bool) and isinstance(b, W_Bool) and (op == OP_AND or op == OP_OR or op == OP_XOR):
            return bool_bitop((a as W_Int).value, op, (b as W_Int).value)
        r = int_binop((a as W_Int).value, op, (b as W_Int).value)
        if r is not None:
            return r
    elif is_int_obj(a) and is_int_obj(b):
        r = long_binop(big_of(a), op, big_of(b))
        if r is not None:
            return r
    elif is_number(a) and is_number(b):
        r = float_binop(as_float(a), op, as_float(b))
        if r is not None:
            return r
    if is_sub_object(a) or is_sub_object(b):
        r = sub_binop(a, op, b, inplace)
        if r is not None:
            return r
    if isinstance(a, W_Str):
        if op == OP_ADD:
            if isinstance(b, W_Str):
                return W_Str(value=(a as W_Str).value + (b as W_Str).value)
            raise type_error("can only concatenate str (not \"" + type_name(b) + "\") to str")
        if op == OP_MUL and isinstance(b, W_Int):
            return W_Str(value=str_repeat((a as W_Str).value, (b as W_Int).value))
        if op == OP_MOD:
            return W_Str(value=percent_format((a as W_Str).value, b))
    if isinstance(a, W_List):
        if op == OP_ADD and isinstance(b, W_List):
            if inplace:
                l = (a as W_List).items
                items = list_of_iterable(b)
                i = 0
                while i < len(items):
                    l.append(items[i])
                    i += 1
                return a
            out = list_of_iterable(a)
            items = (b as W_List).items
            i = 0
            while i < len(items):
                out.append(items[i])
                i += 1
            return W_List(items=out)
        if op == OP_MUL and isinstance(b, W_Int):
            return W_List(items=repeat_list((a as W_List).items, (b as W_Int).value))
    if isinstance(a, W_Dict) and op == OP_OR:
        r = dict_or(a as W_Dict, b, inplace)
        if r is not None:
            return r
    if isinstance(a, W_DictView) or isinstance(b, W_DictView):
        r = view_binop(a, op, b)
        if r is not None:
            return r
    if isinstance(a, W_Set):
        r: W_Object = None
        if inplace and not (a as W_Set).is_frozen:
            r = set_inplace(a as W_Set, op, b)
        else:
            r = set_binop(a as W_Set, op, b)
        if r is not None:
            return r
    if isinstance(a, W_Tuple):
        if op == OP_ADD and isinstance(b, W_Tuple):
            return W_Tuple(items=concat_arrays((a as W_Tuple).items, (b as W_Tuple).items))
    if isinstance(b, W_Int) and op == OP_MUL:
        if isinstance(a, W_Tuple):
            l: list[W_Object] = []
            titems = (a as W_Tuple).items
            i = 0
            while i < len(titems):
                l.append(titems[i])
                i += 1
            return tuple_of_list(repeat_list(l, (b as W_Int).value))
    if isinstance(a, W_Int) and op == OP_MUL:
        if isinstance(b, W_Str) or isinstance(b, W_List) or isinstance(b, W_Tuple):
            return binop(b, op, a, False)
    name = op_special(op)
    if inplace:
        m = special(a, "__i" + name + "__")
        if m is not None:
            r = call_special2(m, a, b)
            if r is not NOT_IMPLEMENTED:
                return r
    m = special(a, "__" + name + "__")
    if m is not None:
        r = call_special2(m, a, b)
        if r is not NOT_IMPLEMENTED:
            return r
    m = None
    if type_of(a) is not type_of(b):
        m = special(b, "__r" + name + "__")
    if m is not None:
        r = call_special2(m, b, a)
        if r is not NOT_IMPLEMENTED:
            return r
    if op == OP_MUL and (is_sequence(a) or is_sequence(b)):
        other = b
        if not is_sequence(a):
            other = a
        raise type_error("can't multiply sequence by non-int of type '" + type_name(other) + "'")
    sym = op_symbol(op)
    if inplace:
        sym = sym + "="
    raise type_error("unsupported operand type(s) for " + sym + ": '" + type_name(a) + "' and '" + type_name(b) + "'")

def is_sequence(w: W_Object) -> bool:
    return isinstance(w, W_Str) or isinstance(w, W_List) or isinstance(w, W_Tuple)

def unary_negative(w: W_Object) -> W_Object:
    if isinstance(w, W_Int):
        try:
            return W_Int(value=ovfcheck(0 - (w as W_Int).value))
        except OverflowError:
            return wrap_big(big_neg(big_of(w)))
    if isinstance(w, W_Long):
        return wrap_big(big_neg((w as W_Long).value))
    if isinstance(w, W_Float):
        return W_Float(value=-(w as W_Float).value)
    m = special(w, "__neg__")
    if m is not None:
        return call_special(m, w)
    raise type_error("bad operand type for unary -: '" + type_name(w) + "'")

def unary_positive(w: W_Object) -> W_Object:
    if isinstance(w, W_Bool):
        return W_Int(value=(w as W_Int).value)
    if isinstance(w, W_Int) or isinstance(w, W_Float) or isinstance(w, W_Long):
        return w
    m = special(w, "__pos__")
    if m is not None:
        return call_special(m, w)
    raise type_error("bad operand type for unary +: '" + type_name(w) + "'")

def unary_invert(w: W_Object) -> W_Object:
    if isinstance(w, W_Int):
        return W_Int(value=-1 - (w as W_Int).value)
    if isinstance(w, W_Long):
        return wrap_big(big_invert((w as W_Long).value))
    m = special(w, "__invert__")
    if m is not None:
        return call_special(m, w)
    raise type_error("bad operand type for unary ~: '" + type_name(w) + "'")
