#! exceptions.rpy: guest exceptions: the class hierarchy, exception objects, the RPy
#! exception that carries them, raising helpers and the traceback printer.
#!
#! Vocabulary and invariants:
#! - A guest exception object is a `W_BaseException` (an instance: user subclasses get
#!   attributes through maps) with its `args` tuple, its traceback (`tb_code`, `tb_line`:
#!   one entry per frame it was raised in or passed through, innermost first) and its
#!   context (the exception being handled when it was raised, for "During handling...").
#! - Raising in RPy is `raise GuestError(message="", w=exc)`; `reraise` is set by a
#!   re-raise (bare `raise`, RERAISE): the frame it is raised in adds no traceback entry.
#! - `guest_error("TypeError", msg)` makes one of the builtin classes by name.

struct GuestError(Exception):
    w: W_BaseException
    reraise: bool

struct W_BaseException(W_Instance):
    args: W_Tuple
    tb_code: list[Code]
    tb_line: list[int]
    # The instruction of each traceback entry (for its position markers).
    tb_pc: list[int]
    context: W_BaseException
    cause: W_BaseException
    # `__suppress_context__`: set by `raise ... from ...` (also `from None`).
    suppress_context: bool

def new_exception(t: W_Type, a: Args) -> W_BaseException:
    storage: list[W_Object] = []
    codes: list[Code] = []
    lines: list[int] = []
    pcs: list[int] = []
    n = npos(a)
    items = array[W_Object](n)
    i = 0
    while i < n:
        items[i] = a.vals[i]
        i += 1
    return W_BaseException(cls=t, map=MAPS.empty, storage=storage, args=W_Tuple(items=items), tb_code=codes, tb_line=lines, tb_pc=pcs, context=None, cause=None, suppress_context=False)

# Residual for the JIT (error paths are not worth compiling inline).
@dont_look_inside
def guest_error(kind: str, message: str) -> GuestError:
    t = builtin_type(kind)
    e = new_exception(t, args1(W_Str(value=message)))
    return GuestError(message=message, w=e, reraise=False)

# Residual for the JIT (error paths are not worth compiling inline).
@dont_look_inside
def guest_error_noargs(kind: str) -> GuestError:
    t = builtin_type(kind)
    e = new_exception(t, make_args(array[W_Object](0)))
    return GuestError(message="", w=e, reraise=False)

# Residual for the JIT (error paths are not worth compiling inline).
@dont_look_inside
def type_error(message: str) -> GuestError:
    return guest_error("TypeError", message)

# Residual for the JIT (error paths are not worth compiling inline).
@dont_look_inside
def not_implemented(what: str) -> GuestError:
    return guest_error("NotImplementedError", "mini-Python does not implement " + what + " yet")

# Residual for the JIT (error paths are not worth compiling inline).
@dont_look_inside
def key_error(k: W_Object) -> GuestError:
    t = builtin_type("KeyError")
    e = new_exception(t, args1(k))
    return GuestError(message="", w=e, reraise=False)

# The guest exception `w` raises (a class is instantiated), checked to derive from
# BaseException.
def exception_from(w: W_Object) -> W_BaseException:
    if isinstance(w, W_Type):
        t = w as W_Type
        if t.kind == KIND_EXCEPTION:
            r = call_type(t, make_args(array[W_Object](0)))
            return r as W_BaseException
    if isinstance(w, W_BaseException):
        return w as W_BaseException
    raise type_error("exceptions must derive from BaseException")

def exception_str(e: W_BaseException) -> str:
    items = e.args.items
    if len(items) == 0:
        return ""
    if len(items) == 1:
        if is_subtype(e.cls, builtin_type("KeyError")):
            return repr_of(items[0])
        return str_of(items[0])
    return repr_of(e.args)

def exc_init(a: Args) -> W_Object:
    e = a.vals[0] as W_BaseException
    n = npos(a)
    items = array[W_Object](n - 1)
    i = 1
    while i < n:
        items[i - 1] = a.vals[i]
        i += 1
    e.args = W_Tuple(items=items)
    return W_NONE

def exc_str(a: Args) -> W_Object:
    return W_Str(value=exception_str(a.vals[0] as W_BaseException))

def exc_repr(a: Args) -> W_Object:
    e = a.vals[0] as W_BaseException
    items = e.args.items
    if len(items) == 1:
        return W_Str(value=e.cls.name + "(" + repr_of(items[0]) + ")")
    return W_Str(value=e.cls.name + repr_of(e.args))

def add_exception(name: str, base: W_Type) -> W_Type:
    t = new_type(name, base, KIND_EXCEPTION)
    ns_set(SPACE.builtins, intern(name), t)
    return t

def setup_exceptions():
    base = add_exception("BaseException", SPACE.object_type)
    TYPES_BY_KIND.base_exception = base
    add_method(base, "__init__", exc_init)
    add_method(base, "__str__", exc_str)
    add_method(base, "__repr__", exc_repr)
    exc = add_exception("Exception", base)
    add_exception("KeyboardInterrupt", base)
    add_exception("SystemExit", base)
    arith = add_exception("ArithmeticError", exc)
    add_exception("ZeroDivisionError", arith)
    add_exception("OverflowError", arith)
    lookup = add_exception("LookupError", exc)
    add_exception("IndexError", lookup)
    add_exception("KeyError", lookup)
    add_exception("ValueError", exc)
    add_exception("TypeError", exc)
    name = add_exception("NameError", exc)
    add_exception("UnboundLocalError", name)
    add_exception("AttributeError", exc)
    add_exception("AssertionError", exc)
    rt = add_exception("RuntimeError", exc)
    add_exception("RecursionError", rt)
    add_exception("NotImplementedError", rt)
    add_exception("StopIteration", exc)
    add_exception("EOFError", exc)
    imp = add_exception("ImportError", exc)
    add_exception("ModuleNotFoundError", imp)
    add_exception("SyntaxError", exc)
    add_exception("GeneratorExit", base)

def source_line(code: Code, line: int) -> str:
    if code.filename != SPACE.filename:
        return ""
    if line < 1 or line > len(SPACE.source):
        return ""
    return str_strip(SPACE.source[line - 1])

def print_one_traceback(e: W_BaseException):
    if len(e.tb_code) > 0:
        err_write("Traceback (most recent call last):\n")
    i = len(e.tb_code) - 1
    # CPython prints the same entry (file, line, function) at most TB_RECURSIVE_CUTOFF
    # times in a row, then how many more there were
    last: Code = None
    last_line = -1
    count = 0
    while i >= 0:
        code = e.tb_code[i]
        line = e.tb_line[i]
        if last is None or code.filename != last.filename or line != last_line or code.name != last.name:
            print_repeated(count)
            last = code
            last_line = line
            count = 0
        count += 1
        if count <= TB_RECURSIVE_CUTOFF:
            err_write("  File \"" + code.filename + "\", line " + int_to_str(line) + ", in " + code.name + "\n")
            src = source_line(code, line)
            if len(src) > 0:
                err_write("    " + src + "\n")
                print_position_marks(code, e.tb_pc[i], line)
        i -= 1
    print_repeated(count)
    msg = str_of(e)
    # CPython's traceback module omits the module of `__main__` and builtin classes.
    name = e.cls.name
    if len(msg) == 0:
        err_write(name + "\n")
    else:
        err_write(name + ": " + msg + "\n")

# Prints an uncaught exception as CPython does (with its cause or context first).
def print_traceback(e: W_BaseException):
    if e.cause is not None:
        print_traceback(e.cause)
        err_write("\nThe above exception was the direct cause of the following exception:\n\n")
    elif e.context is not None and not e.suppress_context:
        print_traceback(e.context)
        err_write("\nDuring handling of the above exception, another exception occurred:\n\n")
    print_one_traceback(e)

# An exception's `__cause__` or `__context__` as the guest sees it (None when unset).
def exception_link(e: W_BaseException) -> W_Object:
    if e is None:
        return W_NONE
    return e
