#! frame.rpy: code objects, the virtualizable frame and the bytecode loop (`eval_frame`,
#! the portal: greens `code` and `pc`).
#!
#! Vocabulary and invariants:
#! - `Code` is immutable (loaded once by loader.rpy): `ops`, `args`, `lines` one entry per
#!   instruction (see lang-mini-python/src/bytecode.rs for the instruction set); `names`
#!   and `varnames` hold interned name ids; `exc` the exception table, 4 ints per entry
#!   (start, end, target, depth).
#! - `Frame`: fast locals (`locals`, None = unbound), cells (own cellvars then the closure's
#!   freevars), the value stack (`stack`, `sp` entries), the globals, and `ns`, the
#!   namespace of module and class-body code (`*_NAME` instructions; None in functions).
#! - `f.sp` is set from `code.depths[pc]` at each instruction (the depth the bytecode
#!   verifier computes), so it is a compile-time constant in the JIT.
#! - A guest exception raised by the instruction at `pc` gets a traceback entry (unless it
#!   is a re-raise), then the first exception-table entry covering `pc` handles it: the
#!   stack is cut to the entry's depth, the exception pushed, and the loop goes on at the
#!   target; with none, it leaves the frame.
#! - Opcodes: each `elif op == X` line calls a handler where the work is more than a few
#!   lines; an opcode not handled raises NotImplementedError naming it. Add an opcode: its
#!   constant (the number in bytecode.rs), a handler in the file of its subject, one `elif`.

const NOP = 0
const POP_TOP = 1
const ROT_TWO = 2
const ROT_THREE = 3
const DUP_TOP = 4
const DUP_TOP_TWO = 5
const LOAD_CONST = 10
const LOAD_FAST = 11
const STORE_FAST = 12
const DELETE_FAST = 13
const LOAD_DEREF = 14
const STORE_DEREF = 15
const DELETE_DEREF = 16
const LOAD_CLOSURE = 17
const LOAD_CLASSDEREF = 18
const LOAD_NAME = 19
const STORE_NAME = 20
const DELETE_NAME = 21
const LOAD_GLOBAL = 22
const STORE_GLOBAL = 23
const DELETE_GLOBAL = 24
const LOAD_ATTR = 25
const STORE_ATTR = 26
const DELETE_ATTR = 27
const LOAD_METHOD = 28
const CALL_METHOD = 29
const BINARY_SUBSCR = 30
const STORE_SUBSCR = 31
const DELETE_SUBSCR = 32
const BUILD_SLICE = 33
const UNARY_POSITIVE = 40
const UNARY_NEGATIVE = 41
const UNARY_NOT = 42
const UNARY_INVERT = 43
const BINARY_OP = 44
const COMPARE_OP = 45
const IS_OP = 46
const CONTAINS_OP = 47
const JUMP = 50
const POP_JUMP_IF_FALSE = 51
const POP_JUMP_IF_TRUE = 52
const JUMP_IF_FALSE_OR_POP = 53
const JUMP_IF_TRUE_OR_POP = 54
const GET_ITER = 55
const FOR_ITER = 56
const BUILD_TUPLE = 60
const BUILD_LIST = 61
const BUILD_SET = 62
const BUILD_MAP = 63
const LIST_APPEND = 64
const SET_ADD = 65
const MAP_ADD = 66
const LIST_EXTEND = 67
const SET_UPDATE = 68
const DICT_UPDATE = 69
const DICT_MERGE = 70
const LIST_TO_TUPLE = 71
const UNPACK_SEQUENCE = 72
const UNPACK_EX = 73
const FORMAT_VALUE = 74
const BUILD_STRING = 75
const CALL_FUNCTION = 80
const CALL_FUNCTION_KW = 81
const CALL_FUNCTION_EX = 82
const MAKE_FUNCTION = 83
const BUILD_CLASS = 84
const RETURN_VALUE = 85
const YIELD_VALUE = 86
const GET_YIELD_FROM_ITER = 87
const YIELD_FROM = 88
const RAISE_VARARGS = 90
const RERAISE = 91
const PUSH_EXC_INFO = 92
const POP_EXCEPT = 93
const CHECK_EXC_MATCH = 94
const BEFORE_WITH = 95
const WITH_EXCEPT_START = 96
const IMPORT_NAME = 100
const IMPORT_FROM = 101
const LOAD_ASSERTION_ERROR = 102
const PRINT_EXPR = 103

const CO_VARARGS = 4
const CO_VARKEYWORDS = 8
const CO_GENERATOR = 32

struct Code immutable:
    name: str
    qualname: str
    filename: str
    first_line: int
    argcount: int
    kwonlyargcount: int
    flags: int
    varnames: array[int]
    ncellvars: int
    cellnames: array[int]
    names: array[int]
    consts: array[W_Object]
    ops: array[int]
    args: array[int]
    lines: array[int]
    # LOC_WORDS ints per instruction: its source span and anchor (traceback_marks.rpy).
    locs: array[int]
    exc: array[int]
    stacksize: int
    # The value stack's depth before each instruction (from the bytecode: green in the JIT).
    depths: array[int]

struct W_Code(W_Object) immutable:
    code: Code

struct Frame virtualizable(sp, locals[*], stack[*]):
    locals: array[W_Object]
    cells: array[W_Cell]
    stack: array[W_Object]
    sp: int
    globals: Namespace
    ns: Namespace
    # Where `eval_frame` starts (a generator's resumption point; see generators.rpy) and
    # whether it returned by yielding.
    resume: int
    yielded: bool
    # An exception `throw()` (generators.rpy) raises at the yield the frame resumes at, or None.
    thrown: W_BaseException

def new_frame(code: Code, globals: Namespace, ns: Namespace, closure: W_Tuple) -> Frame:
    ncells = len(code.cellnames)
    cells = KNOWN_NAMES.no_cells
    if ncells > 0 or cells is None:
        cells = array[W_Cell](ncells)
    i = 0
    while i < code.ncellvars:
        cells[i] = W_Cell(value=None)
        i += 1
    while i < ncells:
        cells[i] = closure.items[i - code.ncellvars] as W_Cell
        i += 1
    f = Frame(locals=array[W_Object](len(code.varnames)), cells=cells, stack=array[W_Object](code.stacksize + 1), sp=0, globals=globals, ns=ns, resume=0, yielded=False, thrown=None)
    return f

def push(f: Frame, w: W_Object):
    f.stack[f.sp] = w
    f.sp += 1

def pop(f: Frame) -> W_Object:
    f.sp -= 1
    w = f.stack[f.sp]
    f.stack[f.sp] = None
    return w

def top(f: Frame) -> W_Object:
    return f.stack[f.sp - 1]

def peek(f: Frame, i: int) -> W_Object:
    return f.stack[f.sp - 1 - i]

# The values of the `n` top entries (popped), bottom first.
def pop_values(f: Frame, n: int) -> array[W_Object]:
    vals = array[W_Object](n)
    i = n - 1
    while i >= 0:
        vals[i] = pop(f)
        i -= 1
    return vals

# The handler of an exception raised at `pc`: its index in code.exc (times 4), or -1.
# (With `code` deepfrozen and `pc` green, the JIT runs it at compile time.) Not `@elidable`
# and re-raised below through `throw(e)` rather than `raise e`: with those two shapes the JIT
# gives up at every merge point ("a green register receives the run-time value"), a
# timeshifter bug not yet reduced (timeshift/tests/portal_handlers.rs holds the attempt).
def find_handler(code: Code, pc: int) -> int:
    i = 0
    while i < len(code.exc):
        if code.exc[i] <= pc and pc < code.exc[i + 1]:
            return i
        i += 4
    return -1

@dont_look_inside
def name_error(nid: int) -> GuestError:
    return guest_error("NameError", "name '" + name_of(nid) + "' is not defined")

# The globals are promoted (PyPy's code objects know their module's globals): a constant
# for the JIT, so the elidable `ns_lookup` of a constant name folds to the value, guarded
# by the namespace's quasi-immutable version, and a global read costs nothing.
def load_global(f: Frame, nid: int) -> W_Object:
    w = ns_get(hint(f.globals, promote=True), nid)
    if w is None:
        w = ns_get(SPACE.builtins, nid)
        if w is None:
            raise name_error(nid)
    return w

def load_name(f: Frame, nid: int) -> W_Object:
    w = ns_get(f.ns, nid)
    if w is None:
        return load_global(f, nid)
    return w

def cell_name(code: Code, i: int) -> str:
    return name_of(code.cellnames[i])

def load_deref(code: Code, f: Frame, i: int) -> W_Object:
    w = f.cells[i].value
    if w is None:
        if i < code.ncellvars:
            raise guest_error("UnboundLocalError", "cannot access local variable '" + cell_name(code, i) + "' where it is not associated with a value")
        raise guest_error("NameError", "cannot access free variable '" + cell_name(code, i) + "' where it is not associated with a value in enclosing scope")
    return w

def op_call(f: Frame, argc: int, kwnames: array[str]):
    vals = pop_values(f, argc)
    callee = pop(f)
    push(f, call_object(callee, Args(vals=vals, kwnames=kwnames)))

# CALL_FUNCTION: `super()`, `vars()`, `locals()` and `globals()` with no arguments need the
# calling frame.
def op_call_positional(code: Code, f: Frame, argc: int):
    if argc == 0 and peek(f, 0) is DESCRS.super_builtin:
        pop(f)
        push(f, zero_arg_super(code, f))
        return
    if argc == 0 and isinstance(peek(f, 0), W_FrameBuiltin):
        push(f, frame_names(code, f, pop(f) as W_FrameBuiltin))
        return
    op_call(f, argc, None)

def op_call_method(f: Frame, argc: int):
    vals = pop_values(f, argc)
    self_w = pop(f)
    meth = pop(f)
    if self_w is None:
        push(f, call_object(meth, make_args(vals)))
    else:
        all = array[W_Object](argc + 1)
        all[0] = self_w
        i = 0
        while i < argc:
            all[i + 1] = vals[i]
            i += 1
        push(f, call_object(meth, make_args(all)))

def op_load_method(f: Frame, nid: int):
    w = pop(f)
    if hint(isinstance(w, W_Instance), likely=True):
        load_method_instance(f, w as W_Instance, nid)
        return
    if not isinstance(w, W_Type) and not isinstance(w, W_Module):
        t = type_of(w)
        found = type_lookup(t, nid)
        if not isinstance(w, W_Super) and (isinstance(found, W_Function) or isinstance(found, W_Builtin)):
            shadow: W_Object = None
            attrs = user_attrs(w)
            if attrs is not None:
                shadow = instance_get(attrs, nid)
            if shadow is None:
                push(f, found)
                push(f, w)
                return
    push(f, getattr_of(w, nid))
    push(f, None)

def op_call_kw(f: Frame, argc: int):
    names = (pop(f) as W_Tuple).items
    kw = array[str](len(names))
    i = 0
    while i < len(names):
        kw[i] = (names[i] as W_Str).value
        i += 1
    op_call(f, argc, kw)

def op_call_ex(f: Frame, flags: int):
    kwargs: W_Object = None
    if (flags & 1) != 0:
        kwargs = pop(f)
    args = pop(f)
    callee = pop(f)
    pos = list_of_iterable(args)
    nk = 0
    keys: list[W_Object] = []
    if kwargs is not None:
        keys = (kwargs as W_Dict).d.keys()
        nk = len(keys)
    vals = array[W_Object](len(pos) + nk)
    i = 0
    while i < len(pos):
        vals[i] = pos[i]
        i += 1
    kwnames: array[str] = None
    if nk > 0:
        kwnames = array[str](nk)
        j = 0
        while j < nk:
            kwnames[j] = str_of(keys[j])
            vals[i + j] = (kwargs as W_Dict).d[keys[j]]
            j += 1
    push(f, call_object(callee, Args(vals=vals, kwnames=kwnames)))

def op_make_function(f: Frame, flags: int):
    code = (pop(f) as W_Code).code
    closure: W_Tuple = None
    kwdefaults: W_Dict = None
    defaults: W_Tuple = None
    if (flags & 8) != 0:
        closure = pop(f) as W_Tuple
    if (flags & 2) != 0:
        kwdefaults = pop(f) as W_Dict
    if (flags & 1) != 0:
        defaults = pop(f) as W_Tuple
    push(f, W_Function(code=code, globals=f.globals, defaults=defaults, kwdefaults=kwdefaults, closure=closure, name=code.name))

def op_build_class(f: Frame, n: int):
    bases = pop_values(f, n)
    name = (pop(f) as W_Str).value
    body = pop(f) as W_Function
    push(f, build_class(body, name, bases))

def op_unpack(f: Frame, n: int):
    w = pop(f)
    # A plain tuple of the right length (CPython's UNPACK_SEQUENCE_TUPLE): its items pushed
    # straight, `n` loads in compiled code. Each test a `likely` guard, so the general path
    # (`list_of_iterable`, not looked inside) is compiled only once taken. Subclasses, which
    # may iterate otherwise, and every other case take the general path.
    if hint(isinstance(w, W_Tuple), likely=True) and hint(not is_sub_object(w), likely=True):
        titems = (w as W_Tuple).items
        if hint(len(titems) == n, likely=True):
            i = n - 1
            while i >= 0:
                push(f, titems[i])
                i -= 1
            return
    items = list_of_iterable(w)
    if len(items) < n:
        raise guest_error("ValueError", "not enough values to unpack (expected " + int_to_str(n) + ", got " + int_to_str(len(items)) + ")")
    if len(items) > n:
        raise guest_error("ValueError", "too many values to unpack (expected " + int_to_str(n) + ")")
    i = n - 1
    while i >= 0:
        push(f, items[i])
        i -= 1

def op_unpack_ex(f: Frame, arg: int):
    before = arg & 255
    after = arg >> 8
    items = list_of_iterable(pop(f))
    if len(items) < before + after:
        raise guest_error("ValueError", "not enough values to unpack (expected at least " + int_to_str(before + after) + ", got " + int_to_str(len(items)) + ")")
    i = len(items) - 1
    while i >= len(items) - after:
        push(f, items[i])
        i -= 1
    mid: list[W_Object] = []
    j = before
    while j < len(items) - after:
        mid.append(items[j])
        j += 1
    push(f, W_List(items=mid))
    i = before - 1
    while i >= 0:
        push(f, items[i])
        i -= 1

def op_build_map(f: Frame, n: int):
    vals = pop_values(f, 2 * n)
    d = new_dict()
    i = 0
    while i < n:
        d.d[vals[2 * i]] = vals[2 * i + 1]
        i += 1
    push(f, d)

def op_raise(f: Frame, n: int):
    if n == 0:
        h = SPACE.handled
        if h is None:
            raise guest_error("RuntimeError", "No active exception to reraise")
        raise GuestError(message="", w=h as W_BaseException, reraise=True)
    cause: W_BaseException = None
    has_cause = False
    if n == 2:
        c = pop(f)
        has_cause = True
        if c is not W_NONE:
            cause = exception_from(c)
    e = exception_from(pop(f))
    if has_cause:
        e.cause = cause
        e.suppress_context = True
    raise GuestError(message="", w=e, reraise=False)

# BEFORE_WITH: ctx -> exit res.
def op_before_with(f: Frame):
    ctx = pop(f)
    enter = lookup_attr(ctx, intern("__enter__"))
    exit = lookup_attr(ctx, intern("__exit__"))
    if enter is None or exit is None:
        raise type_error("'" + type_name(ctx) + "' object does not support the context manager protocol")
    push(f, exit)
    push(f, call_object(enter, make_args(array[W_Object](0))))

# WITH_EXCEPT_START: exit prev exc -> exit prev exc r, r = exit(type(exc), exc, None).
def op_with_except_start(f: Frame):
    exc = peek(f, 0)
    exit = peek(f, 2)
    vals = array[W_Object](3)
    vals[0] = type_of(exc)
    vals[1] = exc
    vals[2] = W_NONE
    push(f, call_object(exit, make_args(vals)))

def op_import(f: Frame, nid: int):
    if nid in SPACE.modules:
        push(f, SPACE.modules[nid])
        return
    raise guest_error("ModuleNotFoundError", "No module named '" + name_of(nid) + "'")

def op_format_value(f: Frame, flags: int):
    spec = ""
    if (flags & 4) != 0:
        spec = (pop(f) as W_Str).value
    w = pop(f)
    conv = flags & 3
    if conv == 1:
        w = W_Str(value=str_of(w))
    elif conv == 2:
        w = W_Str(value=repr_of(w))
    elif conv == 3:
        w = W_Str(value=ascii_escape(repr_of(w)))
    push(f, W_Str(value=format_spec(w, spec)))

def op_build_string(f: Frame, n: int):
    vals = pop_values(f, n)
    b = new_builder()
    i = 0
    while i < n:
        builder_append(b, (vals[i] as W_Str).value)
        i += 1
    push(f, W_Str(value=builder_build(b)))

def list_of_array(vals: array[W_Object]) -> list[W_Object]:
    l: list[W_Object] = []
    i = 0
    while i < len(vals):
        l.append(vals[i])
        i += 1
    return l

# Adds the traceback entry of frame `code` at `pc` to the exception (unless re-raised)
# and its context (the exception being handled, if another).
@dont_look_inside
def record_traceback(code: Code, e: GuestError, pc: int):
    exc = e.w
    if not e.reraise:
        exc.tb_code.append(code)
        exc.tb_line.append(code.lines[pc])
        exc.tb_pc.append(pc)
        if exc.context is None and SPACE.handled is not None and SPACE.handled is not exc:
            exc.context = SPACE.handled as W_BaseException
    e.reraise = False

# Raises `e` (the loop raises through this call rather than with a `raise` statement
# inside its `try`, so that every guest error reaches the handler the same way).
def throw(e: GuestError):
    raise e

@dont_look_inside
def unbound_local(code: Code, i: int) -> GuestError:
    return guest_error("UnboundLocalError", "cannot access local variable '" + name_of(code.varnames[i]) + "' where it is not associated with a value")

def eval_frame(code: Code, f: Frame) -> W_Object:
    code = hint(code, deepfreeze=True)
    pc = hint(f.resume, promote=True)
    if f.thrown is not None:
        pc = hint(resume_throw(code, f, pc), promote=True)
    while True:
        hint(None, global_merge_point=True)
        op = hint(code.ops[pc], concrete=True)
        # The depth is a property of the instruction: with it constant, every stack index
        # is a constant for the JIT (the frame's stack stays in registers).
        f.sp = code.depths[pc]
        arg = code.args[pc]
        cur = pc
        pc += 1
        try:
            if op == LOAD_FAST:
                w = f.locals[arg]
                # A guard (the error path compiled when first taken, not with every read).
                if not hint(w is not None, likely=True):
                    throw(unbound_local(code, arg))
                push(f, w)
            elif op == STORE_FAST:
                f.locals[arg] = pop(f)
            elif op == LOAD_CONST:
                push(f, code.consts[arg])
            elif op == POP_TOP:
                pop(f)
            elif op == BINARY_OP:
                b = pop(f)
                a = pop(f)
                if arg >= 12:
                    push(f, binop_fast(a, arg - 12, b, True))
                else:
                    push(f, binop_fast(a, arg, b, False))
            elif op == COMPARE_OP:
                b = pop(f)
                a = pop(f)
                push(f, compare_fast(a, arg, b))
            elif op == POP_JUMP_IF_FALSE:
                if not is_true_fast(pop(f)):
                    pc = arg
            elif op == POP_JUMP_IF_TRUE:
                if is_true_fast(pop(f)):
                    pc = arg
            elif op == JUMP:
                pc = arg
            elif op == LOAD_GLOBAL:
                push(f, load_global(f, code.names[arg]))
            elif op == STORE_GLOBAL:
                ns_set(f.globals, code.names[arg], pop(f))
            elif op == DELETE_GLOBAL:
                if not ns_del(f.globals, code.names[arg]):
                    throw(name_error(code.names[arg]))
            elif op == LOAD_NAME:
                push(f, load_name(f, code.names[arg]))
            elif op == STORE_NAME:
                ns_set(f.ns, code.names[arg], pop(f))
            elif op == DELETE_NAME:
                if not ns_del(f.ns, code.names[arg]):
                    throw(name_error(code.names[arg]))
            elif op == LOAD_METHOD:
                op_load_method(f, code.names[arg])
            elif op == CALL_METHOD:
                if not call_method_fast(f, arg):
                    op_call_method(f, arg)
            elif op == CALL_FUNCTION:
                if not call_function_fast(f, arg):
                    op_call_positional(code, f, arg)
            elif op == CALL_FUNCTION_KW:
                op_call_kw(f, arg)
            elif op == CALL_FUNCTION_EX:
                op_call_ex(f, arg)
            elif op == RETURN_VALUE:
                return pop(f)
            elif op == GET_ITER:
                push(f, iter_of(pop(f)))
            elif op == FOR_ITER:
                w = next_of(top(f))
                if w is None:
                    pop(f)
                    pc = arg
                else:
                    push(f, w)
            elif op == LOAD_ATTR:
                push(f, getattr_fast(pop(f), code.names[arg]))
            elif op == STORE_ATTR:
                o = pop(f)
                setattr_fast(o, code.names[arg], pop(f))
            elif op == DELETE_ATTR:
                delattr_of(pop(f), code.names[arg])
            elif op == BINARY_SUBSCR:
                k = pop(f)
                push(f, getitem_fast(pop(f), k))
            elif op == STORE_SUBSCR:
                k = pop(f)
                o = pop(f)
                setitem_fast(o, k, pop(f))
            elif op == DELETE_SUBSCR:
                k = pop(f)
                delitem(pop(f), k)
            elif op == BUILD_SLICE:
                step: W_Object = W_NONE
                if arg == 3:
                    step = pop(f)
                stop = pop(f)
                push(f, W_Slice(start=pop(f), stop=stop, step=step))
            elif op == ROT_TWO:
                a = pop(f)
                b = pop(f)
                push(f, a)
                push(f, b)
            elif op == ROT_THREE:
                a = pop(f)
                b = pop(f)
                c = pop(f)
                push(f, a)
                push(f, c)
                push(f, b)
            elif op == DUP_TOP:
                push(f, top(f))
            elif op == DUP_TOP_TWO:
                a = peek(f, 1)
                b = peek(f, 0)
                push(f, a)
                push(f, b)
            elif op == DELETE_FAST:
                if f.locals[arg] is None:
                    throw(unbound_local(code, arg))
                f.locals[arg] = None
            elif op == LOAD_DEREF:
                push(f, load_deref(code, f, arg))
            elif op == STORE_DEREF:
                f.cells[arg].value = pop(f)
            elif op == DELETE_DEREF:
                load_deref(code, f, arg)
                f.cells[arg].value = None
            elif op == LOAD_CLOSURE:
                push(f, f.cells[arg])
            elif op == LOAD_CLASSDEREF:
                w = ns_get(f.ns, code.cellnames[arg])
                if w is None:
                    w = load_deref(code, f, arg)
                push(f, w)
            elif op == UNARY_POSITIVE:
                push(f, unary_positive(pop(f)))
            elif op == UNARY_NEGATIVE:
                push(f, unary_negative_fast(pop(f)))
            elif op == UNARY_NOT:
                push(f, wrap_bool(not is_true_fast(pop(f))))
            elif op == UNARY_INVERT:
                push(f, unary_invert(pop(f)))
            elif op == IS_OP:
                b = pop(f)
                a = pop(f)
                push(f, wrap_bool((a is b) != (arg == 1)))
            elif op == CONTAINS_OP:
                b = pop(f)
                a = pop(f)
                push(f, wrap_bool(contains(b, a) != (arg == 1)))
            elif op == JUMP_IF_FALSE_OR_POP:
                if not is_true_fast(top(f)):
                    pc = arg
                else:
                    pop(f)
            elif op == JUMP_IF_TRUE_OR_POP:
                if is_true_fast(top(f)):
                    pc = arg
                else:
                    pop(f)
            elif op == BUILD_TUPLE:
                push(f, W_Tuple(items=pop_values(f, arg)))
            elif op == BUILD_LIST:
                push(f, W_List(items=list_of_array(pop_values(f, arg))))
            elif op == BUILD_SET:
                op_build_set(f, arg)
            elif op == SET_ADD:
                op_set_add(f, arg)
            elif op == SET_UPDATE:
                op_set_update(f, arg)
            elif op == BUILD_MAP:
                op_build_map(f, arg)
            elif op == LIST_APPEND:
                w = pop(f)
                (peek(f, arg - 1) as W_List).items.append(w)
            elif op == MAP_ADD:
                v = pop(f)
                k = pop(f)
                (peek(f, arg - 1) as W_Dict).d[k] = v
            elif op == LIST_EXTEND:
                w = pop(f)
                l = (peek(f, arg - 1) as W_List).items
                items = list_of_iterable(w)
                i = 0
                while i < len(items):
                    l.append(items[i])
                    i += 1
            elif op == DICT_UPDATE or op == DICT_MERGE:
                w = pop(f)
                d = (peek(f, arg - 1) as W_Dict).d
                src = (w as W_Dict).d
                keys = src.keys()
                i = 0
                while i < len(keys):
                    d[keys[i]] = src[keys[i]]
                    i += 1
            elif op == LIST_TO_TUPLE:
                push(f, tuple_of_list((pop(f) as W_List).items))
            elif op == UNPACK_SEQUENCE:
                op_unpack(f, arg)
            elif op == UNPACK_EX:
                op_unpack_ex(f, arg)
            elif op == FORMAT_VALUE:
                op_format_value(f, arg)
            elif op == BUILD_STRING:
                op_build_string(f, arg)
            elif op == MAKE_FUNCTION:
                op_make_function(f, arg)
            elif op == BUILD_CLASS:
                op_build_class(f, arg)
            elif op == RAISE_VARARGS:
                op_raise(f, arg)
            elif op == RERAISE:
                throw(GuestError(message="", w=pop(f) as W_BaseException, reraise=True))
            elif op == PUSH_EXC_INFO:
                ex = pop(f)
                prev = SPACE.handled
                if prev is None:
                    push(f, W_NONE)
                else:
                    push(f, prev)
                SPACE.handled = ex
                push(f, ex)
            elif op == POP_EXCEPT:
                prev = pop(f)
                if prev is W_NONE:
                    SPACE.handled = None
                else:
                    SPACE.handled = prev
            elif op == CHECK_EXC_MATCH:
                cls = pop(f)
                push(f, wrap_bool(class_check(top(f), cls, "catching classes that do not inherit from BaseException is not allowed")))
            elif op == IMPORT_NAME:
                op_import(f, code.names[arg])
            elif op == IMPORT_FROM:
                m = top(f)
                w = lookup_attr(m, code.names[arg])
                if w is None:
                    throw(guest_error("ImportError", "cannot import name '" + name_of(code.names[arg]) + "'"))
                push(f, w)
            elif op == LOAD_ASSERTION_ERROR:
                push(f, builtin_type("AssertionError"))
            elif op == BEFORE_WITH:
                op_before_with(f)
            elif op == WITH_EXCEPT_START:
                op_with_except_start(f)
            elif op == NOP:
                pass
            elif op == YIELD_VALUE:
                f.resume = pc
                f.yielded = True
                return pop(f)
            elif op == GET_YIELD_FROM_ITER:
                push(f, iter_of(pop(f)))
            elif op == YIELD_FROM:
                w = op_yield_from(f)
                if w is not None:
                    f.resume = cur
                    f.yielded = True
                    return w
            elif op == PRINT_EXPR:
                op_print_expr(f)
            else:
                throw(not_implemented("the opcode " + int_to_str(op)))
        except GuestError as e:
            record_traceback(code, e, cur)
            h = find_handler(code, cur)
            if h < 0:
                throw(e)
                return None
            depth = code.exc[h + 3]
            while f.sp > depth:
                pop(f)
            push(f, e.w)
            pc = code.exc[h + 2]
