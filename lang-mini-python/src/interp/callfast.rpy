#! callfast.rpy: the fast paths of guest calls (issue 18): a call of a plain function with
#! positional arguments goes from the caller's value stack straight into the callee's fast
#! locals, without the `Args` object, its array, the receiver's copy of it, or `bind_args`.
#!
#! Vocabulary and invariants:
#! - A *plain call* of a `W_Function` with `n` positional arguments (no keywords): its code
#!   is not a generator, has no `*args`, `**kwargs` or keyword-only parameters, and
#!   `argcount - ndefaults <= n <= argcount`. Binding it puts the arguments in locals
#!   `0..n-1` and the last defaults in `n..argcount-1`: exactly what `bind_args` does for
#!   such a call, which cannot fail, so the fast path raises no binding error to get right.
#! - Every other call (keywords, `*args`, too many or too few arguments, a builtin, a type,
#!   an object with `__call__`) goes through `call_object` as before; the fast paths only
#!   skip work, never change what a call does (the recursion limit, the depth counting and
#!   the frame are `call_function`'s).
#! - The callee's code is promoted (`plain_code`): compiled code guards on it once per call
#!   site, then knows its argument count, flags, frame sizes and defaults, so the new frame
#!   stays virtual and `eval_frame` of it is a portal call with a constant code, which the
#!   JIT makes a direct call of the callee's compiled code (PyPy's `call_assembler`).
#! - `call_on_stack` leaves the caller's stack as `op_call`/`op_call_method` leave it: the
#!   callee (and the method slot) and the arguments popped, the result pushed.

# `func`'s code, promoted: a constant for the JIT from here on.
def plain_code(func: W_Function) -> Code:
    return hint(func.code, promote=True)

# Whether calling `func` (of code `code`) with `n` positional arguments and no keywords is a
# plain call.
def is_plain_call(func: W_Function, code: Code, n: int) -> bool:
    if (code.flags & (CO_VARARGS | CO_VARKEYWORDS | CO_GENERATOR)) != 0 or code.kwonlyargcount != 0:
        return False
    argc = code.argcount
    if n == argc:
        return True
    if n > argc or func.defaults is None:
        return False
    return n >= argc - len(func.defaults.items)

# A new frame for a plain call of `func` with `n` arguments, its locals from `n` onwards
# filled with the defaults (the caller stores the arguments in locals `0..n-1`).
def plain_frame(func: W_Function, code: Code, n: int) -> Frame:
    # A guard: the limit reached is cold (a red branch compiled the error's residual call,
    # and the caller's frame forced before it, with every call of a loop).
    if not hint(SPACE.depth < SPACE.recursion_limit, likely=True):
        raise guest_error("RecursionError", "maximum recursion depth exceeded")
    f = new_frame(code, func.globals, None, func.closure)
    argc = code.argcount
    if n < argc:
        items = func.defaults.items
        first = argc - len(items)
        p = n
        while p < argc:
            f.locals[p] = items[p - first]
            p += 1
    return f

# Runs a frame made by `plain_frame` (counting the depth, as `call_function` does).
def run_plain(code: Code, f: Frame) -> W_Object:
    SPACE.depth += 1
    try:
        r = eval_frame(code, f)
    finally:
        SPACE.depth -= 1
    return r

# The plain call of `func` with the `argc` values on top of `caller`'s stack, and `self_w`
# before them unless None; pops the arguments and `below` (1 or 2) more entries (the callee's slots)
# and pushes the result. False (nothing popped) when the call is not plain.
def call_on_stack(caller: Frame, func: W_Function, self_w: W_Object, argc: int, below: int) -> bool:
    first = 0
    if self_w is not None:
        first = 1
    code = plain_code(func)
    if not is_plain_call(func, code, argc + first):
        return False
    f = plain_frame(func, code, argc + first)
    locals = f.locals
    # `argc` and `below` are constants for the JIT (the instruction's argument): the common
    # counts are straight-line code, so no loop of the call is compiled with its counter as
    # a variable.
    if argc == 1:
        locals[first] = pop(caller)
    elif argc == 2:
        locals[first + 1] = pop(caller)
        locals[first] = pop(caller)
    else:
        i = argc - 1
        while i >= 0:
            locals[first + i] = pop(caller)
            i -= 1
    if self_w is not None:
        locals[0] = self_w
    pop(caller)
    if below == 2:
        pop(caller)
    push(caller, run_plain(code, f))
    return True

# CALL_FUNCTION's fast path: True when the callee is a plain function called plainly.
def call_function_fast(f: Frame, argc: int) -> bool:
    callee = peek(f, argc)
    hint(callee, promote_class=True)
    if isinstance(callee, W_Function):
        return call_on_stack(f, callee as W_Function, None, argc, 1)
    if isinstance(callee, W_BoundMethod):
        m = callee as W_BoundMethod
        if isinstance(m.func, W_Function):
            return call_on_stack(f, m.func as W_Function, m.self_w, argc, 1)
    return False

# CALL_METHOD's fast path (stack: method, receiver or None, arguments).
def call_method_fast(f: Frame, argc: int) -> bool:
    meth = peek(f, argc + 1)
    hint(meth, promote_class=True)
    self_w = peek(f, argc)
    if isinstance(meth, W_Function):
        return call_on_stack(f, meth as W_Function, self_w, argc, 2)
    if self_w is None and isinstance(meth, W_BoundMethod):
        m = meth as W_BoundMethod
        if isinstance(m.func, W_Function):
            return call_on_stack(f, m.func as W_Function, m.self_w, argc, 2)
    return False

# `func(self_w, *a)` (a method called with its receiver first: `__init__`, special methods),
# without copying the arguments into a new `Args` when the call is plain.
def call_with_self(func: W_Object, self_w: W_Object, a: Args) -> W_Object:
    if a.kwnames is None and isinstance(func, W_Function):
        wf = func as W_Function
        n = len(a.vals)
        code = plain_code(wf)
        if is_plain_call(wf, code, n + 1):
            f = plain_frame(wf, code, n + 1)
            f.locals[0] = self_w
            i = 0
            while i < n:
                f.locals[i + 1] = a.vals[i]
                i += 1
            return run_plain(code, f)
    return call_object(func, prepend_arg(self_w, a))

# LOAD_METHOD on an instance (`op_load_method`'s case of a `W_Instance`, whose type is its
# `cls`): the function found on the class and the receiver, unless the instance has its own
# attribute of that name; else the attribute and None.
def load_method_instance(f: Frame, inst: W_Instance, nid: int):
    # The class promoted (as `getattr_fast` does): the lookup folds to the method, and the
    # map's test of the instance's own attribute to a guard.
    cls = hint(inst.cls, promote=True)
    found = type_lookup(cls, nid)
    if isinstance(found, W_Function) or isinstance(found, W_Builtin):
        # A guard: an instance's own attribute shadowing a method is cold.
        if hint(instance_get(inst, nid) is None, likely=True):
            push(f, found)
            push(f, inst)
            return
    push(f, getattr_of(inst, nid))
    push(f, None)

# What the call paths use without making it again at every call: name ids interned once,
# the cells of a frame without cells (one empty array: nothing is ever stored in it).
struct KnownNames:
    init: int
    no_cells: array[W_Cell] quasi

const KNOWN_NAMES = KnownNames(init=-1, no_cells=None)

def setup_callfast():
    KNOWN_NAMES.init = intern("__init__")
    KNOWN_NAMES.no_cells = array[W_Cell](0)
