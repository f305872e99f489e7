#! builtins.rpy: the builtin functions that are not a type's constructor or method, and
#! the builtin modules (`sys`, `math`).
#!
#! Add a builtin: a `def bi_NAME(a: Args) -> W_Object` (positional arguments in `a.vals`,
#! keyword ones through `kwarg(a, "name")`) and one `add_builtin("NAME", bi_NAME)` line in
#! `setup_builtins`. A module function: `add_module_function(m, "NAME", f)`.

struct W_EnumerateIter(W_Iter):
    it: W_Object
    index: int

    def next_or_none(self) -> W_Object:
        w = next_of(self.it)
        if w is None:
            return None
        i = self.index
        self.index = i + 1
        return new_tuple2(W_Int(value=i), w)

struct W_ZipIter(W_Iter):
    its: array[W_Object]

    def next_or_none(self) -> W_Object:
        if len(self.its) == 0:
            return None
        items = array[W_Object](len(self.its))
        i = 0
        while i < len(self.its):
            w = next_of(self.its[i])
            if w is None:
                return None
            items[i] = w
            i += 1
        return W_Tuple(items=items)

struct W_MapIter(W_Iter):
    func: W_Object
    its: array[W_Object]

    def next_or_none(self) -> W_Object:
        vals = array[W_Object](len(self.its))
        i = 0
        while i < len(self.its):
            w = next_of(self.its[i])
            if w is None:
                return None
            vals[i] = w
            i += 1
        return call_object(self.func, make_args(vals))

struct W_FilterIter(W_Iter):
    func: W_Object
    it: W_Object

    def next_or_none(self) -> W_Object:
        while True:
            w = next_of(self.it)
            if w is None:
                return None
            if self.func is W_NONE:
                if is_true(w):
                    return w
            elif is_true(call_object(self.func, args1(w))):
                return w

def bi_map(a: Args) -> W_Object:
    if npos(a) < 2:
        raise type_error("map() must have at least two arguments.")
    its = array[W_Object](npos(a) - 1)
    i = 1
    while i < npos(a):
        its[i - 1] = iter_of(a.vals[i])
        i += 1
    return W_MapIter(func=a.vals[0], its=its)

def bi_filter(a: Args) -> W_Object:
    check_args(a, "filter", 2, 2)
    return W_FilterIter(func=a.vals[0], it=iter_of(a.vals[1]))

def print_text(s: str, to_stderr: bool):
    if to_stderr:
        err_write(s)
    else:
        print_str(s)

def is_stderr(w: W_Object) -> bool:
    if w is None or w is W_NONE:
        return False
    return w is ns_get((SPACE.modules[intern("sys")] as W_Module).ns, intern("stderr"))

def bi_print(a: Args) -> W_Object:
    sep = " "
    end = "\n"
    w = kwarg(a, "sep")
    if w is not None and w is not W_NONE:
        sep = (w as W_Str).value
    w = kwarg(a, "end")
    if w is not None and w is not W_NONE:
        end = (w as W_Str).value
    err = is_stderr(kwarg(a, "file"))
    b = new_builder()
    n = npos(a)
    i = 0
    while i < n:
        if i > 0:
            builder_append(b, sep)
        builder_append(b, str_of(a.vals[i]))
        i += 1
    builder_append(b, end)
    print_text(builder_build(b), err)
    return W_NONE

def bi_len(a: Args) -> W_Object:
    check_args(a, "len", 1, 1)
    return W_Int(value=len_of(a.vals[0]))

def bi_abs(a: Args) -> W_Object:
    check_args(a, "abs", 1, 1)
    w = a.vals[0]
    if isinstance(w, W_Int):
        v = (w as W_Int).value
        if v < 0:
            return unary_negative(w)
        return W_Int(value=v)
    if isinstance(w, W_Long):
        return wrap_big(big_abs((w as W_Long).value))
    if isinstance(w, W_Float):
        return W_Float(value=math_fabs((w as W_Float).value))
    m = special(w, "__abs__")
    if m is not None:
        return call_special(m, w)
    raise type_error("bad operand type for abs(): '" + type_name(w) + "'")

# min()/max(): the items are taken from the iterator one at a time, as CPython does (a
# generator's items are never all held at once; `key` is called on each as it comes).
def min_max(a: Args, op: int, name: str) -> W_Object:
    it: W_Object = None
    if npos(a) == 1:
        it = iter_of(a.vals[0])
    else:
        it = iter_of(W_Tuple(items=array_prefix(a.vals, npos(a))))
    key = kwarg(a, "key")
    if key is W_NONE:
        key = None
    best: W_Object = None
    best_key: W_Object = None
    while True:
        w = next_of(it)
        if w is None:
            break
        k = w
        if key is not None:
            k = call_object(key, args1(w))
        if best is None:
            best = w
            best_key = k
        elif is_true(compare(k, op, best_key)):
            best = w
            best_key = k
    if best is None:
        d = kwarg(a, "default")
        if d is not None:
            return d
        raise guest_error("ValueError", name + "() arg is an empty sequence")
    return best

def array_prefix(vals: array[W_Object], n: int) -> array[W_Object]:
    out = array[W_Object](n)
    i = 0
    while i < n:
        out[i] = vals[i]
        i += 1
    return out

def bi_min(a: Args) -> W_Object:
    return min_max(a, CMP_LT, "min")

def bi_max(a: Args) -> W_Object:
    return min_max(a, CMP_GT, "max")

def bi_sum(a: Args) -> W_Object:
    check_args(a, "sum", 1, 2)
    acc: W_Object = W_Int(value=0)
    if npos(a) == 2:
        acc = a.vals[1]
    # One item at a time, as CPython does: summing a generator holds none of its items.
    it = iter_of(a.vals[0])
    while True:
        w = next_of(it)
        if w is None:
            return acc
        acc = binop(acc, OP_ADD, w, False)

# A stable merge sort of `items` by `keys` (compared with <), in place.
def sort_by_keys(items: list[W_Object], keys: list[W_Object], reverse: bool):
    n = len(items)
    if n < 2:
        return
    width = 1
    while width < n:
        tmp_i: list[W_Object] = []
        tmp_k: list[W_Object] = []
        lo = 0
        while lo < n:
            mid = lo + width
            if mid > n:
                mid = n
            hi = lo + 2 * width
            if hi > n:
                hi = n
            i = lo
            j = mid
            while i < mid or j < hi:
                take_right = False
                if i >= mid:
                    take_right = True
                elif j < hi:
                    if reverse:
                        take_right = is_true(compare(keys[i], CMP_LT, keys[j]))
                    else:
                        take_right = is_true(compare(keys[j], CMP_LT, keys[i]))
                if take_right:
                    tmp_i.append(items[j])
                    tmp_k.append(keys[j])
                    j += 1
                else:
                    tmp_i.append(items[i])
                    tmp_k.append(keys[i])
                    i += 1
            lo = hi
        k = 0
        while k < n:
            items[k] = tmp_i[k]
            keys[k] = tmp_k[k]
            k += 1
        width = width * 2

def sort_list(items: list[W_Object], a: Args):
    key = kwarg(a, "key")
    rev = kwarg(a, "reverse")
    reverse = rev is not None and is_true(rev)
    keys: list[W_Object] = []
    i = 0
    while i < len(items):
        if key is not None and key is not W_NONE:
            keys.append(call_object(key, args1(items[i])))
        else:
            keys.append(items[i])
        i += 1
    sort_by_keys(items, keys, reverse)

def bi_sorted(a: Args) -> W_Object:
    check_args(a, "sorted", 1, 1)
    items = list_of_iterable(a.vals[0])
    sort_list(items, a)
    return W_List(items=items)

def list_sort(a: Args) -> W_Object:
    check_args(a, "sort", 1, 1)
    sort_list((a.vals[0] as W_List).items, a)
    return W_NONE

def bi_reversed(a: Args) -> W_Object:
    check_args(a, "reversed", 1, 1)
    items = reversible_items(a.vals[0])
    if items is None:
        return call_special(special(a.vals[0], "__reversed__"), a.vals[0])
    out: list[W_Object] = []
    i = len(items) - 1
    while i >= 0:
        out.append(items[i])
        i -= 1
    return W_ListIter(items=out, index=0)

def bi_enumerate(a: Args) -> W_Object:
    check_args(a, "enumerate", 1, 2)
    start = 0
    if npos(a) == 2:
        start = int_of(a.vals[1])
    w = kwarg(a, "start")
    if w is not None:
        start = int_of(w)
    return W_EnumerateIter(it=iter_of(a.vals[0]), index=start)

def bi_zip(a: Args) -> W_Object:
    its = array[W_Object](npos(a))
    i = 0
    while i < npos(a):
        its[i] = iter_of(a.vals[i])
        i += 1
    return W_ZipIter(its=its)

def bi_iter(a: Args) -> W_Object:
    check_args(a, "iter", 1, 2)
    if npos(a) == 2:
        return callable_iter(a.vals[0], a.vals[1])
    return iter_of(a.vals[0])

def bi_next(a: Args) -> W_Object:
    check_args(a, "next", 1, 2)
    w = next_of(a.vals[0])
    if w is None:
        if npos(a) == 2:
            return a.vals[1]
        raise stop_iteration_of(a.vals[0])
    return w

def bi_any(a: Args) -> W_Object:
    check_args(a, "any", 1, 1)
    it = iter_of(a.vals[0])
    while True:
        w = next_of(it)
        if w is None:
            return W_FALSE
        if is_true(w):
            return W_TRUE

def bi_all(a: Args) -> W_Object:
    check_args(a, "all", 1, 1)
    it = iter_of(a.vals[0])
    while True:
        w = next_of(it)
        if w is None:
            return W_TRUE
        if not is_true(w):
            return W_FALSE

def bi_divmod(a: Args) -> W_Object:
    check_args(a, "divmod", 2, 2)
    return new_tuple2(binop(a.vals[0], OP_FLOORDIV, a.vals[1], False), binop(a.vals[0], OP_MOD, a.vals[1], False))

def bi_pow(a: Args) -> W_Object:
    check_args(a, "pow", 2, 3)
    if npos(a) == 3:
        i = 0
        while i < 3:
            if not is_int_obj(a.vals[i]):
                raise type_error("pow() 3rd argument not allowed unless all arguments are integers")
            i += 1
        return long_pow_mod(a.vals[0], a.vals[1], a.vals[2])
    return binop(a.vals[0], OP_POW, a.vals[1], False)

def bi_hex(a: Args) -> W_Object:
    check_args(a, "hex", 1, 1)
    return W_Str(value=int_prefixed(index_of(a.vals[0]), 16, "0x"))

def bi_hash(a: Args) -> W_Object:
    check_args(a, "hash", 1, 1)
    return W_Int(value=hash_of(a.vals[0]))

def bi_id(a: Args) -> W_Object:
    check_args(a, "id", 1, 1)
    return W_Int(value=id(a.vals[0]))

def bi_callable(a: Args) -> W_Object:
    check_args(a, "callable", 1, 1)
    w = a.vals[0]
    return wrap_bool(isinstance(w, W_Function) or isinstance(w, W_Builtin) or isinstance(w, W_Type) or isinstance(w, W_BoundMethod) or special(w, "__call__") is not None)

def bi_issubclass(a: Args) -> W_Object:
    check_args(a, "issubclass", 2, 2)
    w = a.vals[0]
    if not isinstance(w, W_Type):
        raise type_error("issubclass() arg 1 must be a class")
    c = a.vals[1]
    if isinstance(c, W_Type):
        return wrap_bool(is_subtype(w as W_Type, c as W_Type))
    items = (c as W_Tuple).items
    i = 0
    while i < len(items):
        if is_subtype(w as W_Type, items[i] as W_Type):
            return W_TRUE
        i += 1
    return W_FALSE

def bi_round(a: Args) -> W_Object:
    check_args(a, "round", 1, 2)
    w = a.vals[0]
    nd_given = npos(a) == 2 and a.vals[1] is not W_NONE
    if is_int_obj(w):
        if nd_given and int_of(a.vals[1]) < 0:
            return round_int_digits(w, int_of(a.vals[1]))
        if isinstance(w, W_Bool):
            return W_Int(value=(w as W_Int).value)
        return w
    if not is_number(w):
        m = special(w, "__round__")
        if m is not None:
            return call_special(m, w)
        raise type_error("type " + type_name(w) + " doesn't define __round__ method")
    x = as_float(w)
    if nd_given:
        nd = int_of(a.vals[1])
        if nd < 0:
            return W_Float(value=round_float_negative(x, nd))
        if x != x or x - x != 0.0 or nd > 400:
            return W_Float(value=x)
        return W_Float(value=parse_float(float_format_f(x, nd)))
    r = float_floor(x)
    diff = x - r
    if diff > 0.5 or (diff == 0.5 and float_mod(r, 2.0) == 1.0):
        r = r + 1.0
    return int_of_float(r)

def bi_input(a: Args) -> W_Object:
    check_args(a, "input", 0, 1)
    if npos(a) == 1:
        print_str(str_of(a.vals[0]))
    line = read_line()
    if len(line) == 0:
        raise guest_error_noargs("EOFError")
    if line[len(line) - 1] == '\n':
        line = str_slice(line, 0, len(line) - 1)
    return W_Str(value=line)

def new_module(name: str) -> W_Module:
    m = W_Module(name=name, ns=new_namespace())
    SPACE.modules[intern(name)] = m
    return m

def add_module_function(m: W_Module, name: str, f: fn(Args) -> W_Object):
    ns_set(m.ns, intern(name), W_Builtin(name=name, f=f))

def sys_exit(a: Args) -> W_Object:
    check_args(a, "exit", 0, 1)
    e = guest_error_noargs("SystemExit")
    if npos(a) == 1:
        e.w.args = W_Tuple(items=array_prefix(a.vals, 1))
    raise e

# The deepest guest recursion the interpreter's own stack surely holds (RPy's call depth
# limit, with up to ~15 RPy frames per guest frame through builtins and special methods):
# a larger `sys.setrecursionlimit` is remembered (`getrecursionlimit` answers it) but the
# depth checked (`SPACE.recursion_limit`) stays this, so deep recursion is a guest
# RecursionError, never the host's failure.
const MAX_GUEST_DEPTH = 5000

struct RecursionSetting:
    requested: int

const RECURSION = RecursionSetting(requested=1000)

def sys_setrecursionlimit(a: Args) -> W_Object:
    check_args(a, "setrecursionlimit", 1, 1)
    n = int_of(a.vals[0])
    if n < 1:
        raise guest_error("ValueError", "recursion limit must be greater or equal than 1")
    RECURSION.requested = n
    if n > MAX_GUEST_DEPTH:
        n = MAX_GUEST_DEPTH
    SPACE.recursion_limit = n
    return W_NONE

def sys_getrecursionlimit(a: Args) -> W_Object:
    return W_Int(value=RECURSION.requested)

def stream_write(a: Args) -> W_Object:
    check_args(a, "write", 2, 2)
    s = str_arg(a, 1, "write")
    print_text(s, (a.vals[0] as W_Instance).cls.name == "stderr")
    return W_Int(value=len(s))

def float_arg(a: Args, i: int) -> float:
    w = a.vals[i]
    if not is_number(w):
        f = float_hook(w)
        if f is not None:
            return (f as W_Float).value
        raise type_error("must be real number, not " + type_name(w))
    return as_float(w)

def math_sqrt_m(a: Args) -> W_Object:
    check_args(a, "sqrt", 1, 1)
    x = float_arg(a, 0)
    if x < 0.0:
        raise guest_error("ValueError", "math domain error")
    return W_Float(value=math_sqrt(x))

def math_floor_m(a: Args) -> W_Object:
    check_args(a, "floor", 1, 1)
    if is_int_obj(a.vals[0]):
        return a.vals[0]
    return int_of_float(float_floor(float_arg(a, 0)))

def math_ceil_m(a: Args) -> W_Object:
    check_args(a, "ceil", 1, 1)
    if is_int_obj(a.vals[0]):
        return a.vals[0]
    return int_of_float(float_ceil(float_arg(a, 0)))

def math_result(name: str, x: float, r: float) -> W_Object:
    st = math_status(r, x, x)
    if st != 0 and r != r:
        raise guest_error("ValueError", "math domain error")
    if st != 0:
        raise guest_error("OverflowError", "math range error")
    return W_Float(value=r)

def math_sin_m(a: Args) -> W_Object:
    check_args(a, "sin", 1, 1)
    x = float_arg(a, 0)
    return math_result("sin", x, math_sin(x))

def math_cos_m(a: Args) -> W_Object:
    check_args(a, "cos", 1, 1)
    x = float_arg(a, 0)
    return math_result("cos", x, math_cos(x))

def math_tan_m(a: Args) -> W_Object:
    check_args(a, "tan", 1, 1)
    x = float_arg(a, 0)
    return math_result("tan", x, math_tan(x))

def math_exp_m(a: Args) -> W_Object:
    check_args(a, "exp", 1, 1)
    x = float_arg(a, 0)
    return math_result("exp", x, math_exp(x))

def math_log_m(a: Args) -> W_Object:
    check_args(a, "log", 1, 2)
    x = float_arg(a, 0)
    if x <= 0.0:
        raise guest_error("ValueError", "math domain error")
    r = math_log(x)
    if npos(a) == 2:
        base = float_arg(a, 1)
        if base <= 0.0 or base == 1.0:
            raise guest_error("ValueError", "math domain error")
        r = r / math_log(base)
    return W_Float(value=r)

def math_fabs_m(a: Args) -> W_Object:
    check_args(a, "fabs", 1, 1)
    return W_Float(value=math_fabs(float_arg(a, 0)))

def math_atan2_m(a: Args) -> W_Object:
    check_args(a, "atan2", 2, 2)
    return W_Float(value=math_atan2(float_arg(a, 0), float_arg(a, 1)))

def math_hypot_m(a: Args) -> W_Object:
    check_args(a, "hypot", 2, 2)
    return W_Float(value=math_hypot(float_arg(a, 0), float_arg(a, 1)))

def math_isnan_m(a: Args) -> W_Object:
    check_args(a, "isnan", 1, 1)
    return wrap_bool(math_isnan(float_arg(a, 0)))

def math_isinf_m(a: Args) -> W_Object:
    check_args(a, "isinf", 1, 1)
    return wrap_bool(math_isinf(float_arg(a, 0)))

def math_copysign_m(a: Args) -> W_Object:
    check_args(a, "copysign", 2, 2)
    x = math_fabs(float_arg(a, 0))
    y = float_arg(a, 1)
    if y < 0.0 or (y == 0.0 and 1.0 / y < 0.0):
        x = 0.0 - x
    return W_Float(value=x)

def math_gcd_m(a: Args) -> W_Object:
    x: W_Object = W_Int(value=0)
    i = 0
    while i < npos(a):
        x = long_gcd(x, index_of(a.vals[i]))
        i += 1
    return x

def math_factorial_m(a: Args) -> W_Object:
    check_args(a, "factorial", 1, 1)
    n = int_of(a.vals[0])
    if n < 0:
        raise guest_error("ValueError", "factorial() not defined for negative values")
    return long_factorial(n)

def setup_modules():
    sys = new_module("sys")
    RECURSION.requested = SPACE.recursion_limit
    argv: list[W_Object] = []
    i = 0
    while i < len(SPACE.argv):
        argv.append(W_Str(value=SPACE.argv[i]))
        i += 1
    ns_set(sys.ns, intern("argv"), W_List(items=argv))
    add_module_function(sys, "exit", sys_exit)
    add_module_function(sys, "setrecursionlimit", sys_setrecursionlimit)
    add_module_function(sys, "getrecursionlimit", sys_getrecursionlimit)
    out_t = new_type("stdout", SPACE.object_type, KIND_INSTANCE)
    add_method(out_t, "write", stream_write)
    err_t = new_type("stderr", SPACE.object_type, KIND_INSTANCE)
    add_method(err_t, "write", stream_write)
    ns_set(sys.ns, intern("stdout"), new_instance(out_t))
    ns_set(sys.ns, intern("stderr"), new_instance(err_t))
    math = new_module("math")
    ns_set(math.ns, intern("pi"), W_Float(value=3.141592653589793))
    ns_set(math.ns, intern("e"), W_Float(value=2.718281828459045))
    add_module_function(math, "sqrt", math_sqrt_m)
    add_module_function(math, "floor", math_floor_m)
    add_module_function(math, "ceil", math_ceil_m)
    ns_set(math.ns, intern("inf"), W_Float(value=parse_float("inf")))
    ns_set(math.ns, intern("nan"), W_Float(value=parse_float("nan")))
    add_module_function(math, "sin", math_sin_m)
    add_module_function(math, "cos", math_cos_m)
    add_module_function(math, "tan", math_tan_m)
    add_module_function(math, "exp", math_exp_m)
    add_module_function(math, "log", math_log_m)
    add_module_function(math, "fabs", math_fabs_m)
    add_module_function(math, "atan2", math_atan2_m)
    add_module_function(math, "hypot", math_hypot_m)
    add_module_function(math, "isnan", math_isnan_m)
    add_module_function(math, "isinf", math_isinf_m)
    add_module_function(math, "copysign", math_copysign_m)
    add_module_function(math, "gcd", math_gcd_m)
    add_module_function(math, "factorial", math_factorial_m)

def setup_builtins():
    add_builtin("print", bi_print)
    add_builtin("len", bi_len)
    add_builtin("abs", bi_abs)
    add_builtin("min", bi_min)
    add_builtin("max", bi_max)
    add_builtin("sum", bi_sum)
    add_builtin("sorted", bi_sorted)
    add_method(TYPES_BY_KIND.list_type, "sort", list_sort)
    add_builtin("reversed", bi_reversed)
    add_builtin("enumerate", bi_enumerate)
    add_builtin("zip", bi_zip)
    add_builtin("map", bi_map)
    add_builtin("filter", bi_filter)
    add_builtin("iter", bi_iter)
    add_builtin("next", bi_next)
    add_builtin("any", bi_any)
    add_builtin("all", bi_all)
    add_builtin("divmod", bi_divmod)
    add_builtin("pow", bi_pow)
    add_builtin("hex", bi_hex)
    add_builtin("hash", bi_hash)
    add_builtin("id", bi_id)
    add_builtin("callable", bi_callable)
    add_builtin("issubclass", bi_issubclass)
    add_builtin("round", bi_round)
    add_builtin("input", bi_input)
    add_builtin("exit", sys_exit)
    add_builtin("quit", sys_exit)
