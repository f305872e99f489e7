#! builtinsrest.rpy: the rest of CPython 3.11's builtins namespace, so that every builtin name
#! a program may use is bound: the exception classes beyond the spec's (the `OSError` family
#! with its aliases `IOError`/`EnvironmentError`, the warnings, `MemoryError`, ...) as real
#! classes of the hierarchy, and the builtins mini-Python leaves out (`eval`, `open`,
#! `bytearray`, `complex`, ...), which fail closed with a NotImplementedError naming them.
#!
#! Invariants: an `OSError` (or a subclass) is made with at most one argument (CPython gives
#! two or more a meaning — `errno`, `strerror`, `filename`, the `[Errno N]` text — that is not
#! done: NotImplementedError), so its `errno`/`strerror`/`filename`/`filename2` are None, as
#! class attributes. The left-out types (`bytearray`, `complex`, `memoryview`) are
#! types without instances: `isinstance(x, bytes)` is False, as it is for every value a
#! mini-Python program can make; calling them raises. The exceptions whose constructors
#! need several arguments in CPython (`UnicodeDecodeError`, ...) and `ExceptionGroup` are
#! left unbound.

def oserror_init(a: Args) -> W_Object:
    if npos(a) > 2:
        raise not_implemented("OSError with more than one argument (errno, strerror, filename)")
    return exc_init(a)

def add_absent(name: str, f: fn(Args) -> W_Object):
    ns_set(SPACE.builtins, intern(name), W_Builtin(name=name, f=f))

# A type without instances whose constructor is `f` (raising).
def add_absent_type(name: str, f: fn(Args) -> W_Object):
    t = new_type(name, SPACE.object_type, KIND_BUILTIN)
    t.constructor = W_Builtin(name=name, f=f)
    ns_set(SPACE.builtins, intern(name), t)

def absent_eval(a: Args) -> W_Object:
    raise not_implemented("eval()")

def absent_exec(a: Args) -> W_Object:
    raise not_implemented("exec()")

def absent_compile(a: Args) -> W_Object:
    raise not_implemented("compile()")

def absent_open(a: Args) -> W_Object:
    raise not_implemented("open() (files)")

def absent_bytearray(a: Args) -> W_Object:
    raise not_implemented("bytearray")

def absent_complex(a: Args) -> W_Object:
    raise not_implemented("complex numbers")

def absent_memoryview(a: Args) -> W_Object:
    raise not_implemented("memoryview")

def absent_async(a: Args) -> W_Object:
    raise not_implemented("asynchronous iteration")

def absent_help(a: Args) -> W_Object:
    raise not_implemented("help()")

def absent_breakpoint(a: Args) -> W_Object:
    raise not_implemented("breakpoint()")

def setup_builtinsrest():
    exc = builtin_type("Exception")
    os = add_exception("OSError", exc)
    add_method(os, "__init__", oserror_init)
    type_set(os, intern("errno"), W_NONE)
    type_set(os, intern("strerror"), W_NONE)
    type_set(os, intern("filename"), W_NONE)
    type_set(os, intern("filename2"), W_NONE)
    ns_set(SPACE.builtins, intern("IOError"), os)
    ns_set(SPACE.builtins, intern("EnvironmentError"), os)
    add_exception("BlockingIOError", os)
    add_exception("ChildProcessError", os)
    conn = add_exception("ConnectionError", os)
    add_exception("BrokenPipeError", conn)
    add_exception("ConnectionAbortedError", conn)
    add_exception("ConnectionRefusedError", conn)
    add_exception("ConnectionResetError", conn)
    add_exception("FileExistsError", os)
    add_exception("FileNotFoundError", os)
    add_exception("InterruptedError", os)
    add_exception("IsADirectoryError", os)
    add_exception("NotADirectoryError", os)
    add_exception("PermissionError", os)
    add_exception("ProcessLookupError", os)
    add_exception("TimeoutError", os)
    add_exception("FloatingPointError", builtin_type("ArithmeticError"))
    add_exception("BufferError", exc)
    add_exception("MemoryError", exc)
    add_exception("ReferenceError", exc)
    add_exception("SystemError", exc)
    add_exception("StopAsyncIteration", exc)
    add_exception("UnicodeError", builtin_type("ValueError"))
    indent = add_exception("IndentationError", builtin_type("SyntaxError"))
    add_exception("TabError", indent)
    warning = add_exception("Warning", exc)
    add_exception("UserWarning", warning)
    add_exception("DeprecationWarning", warning)
    add_exception("PendingDeprecationWarning", warning)
    add_exception("SyntaxWarning", warning)
    add_exception("RuntimeWarning", warning)
    add_exception("FutureWarning", warning)
    add_exception("ImportWarning", warning)
    add_exception("UnicodeWarning", warning)
    add_exception("BytesWarning", warning)
    add_exception("ResourceWarning", warning)
    add_exception("EncodingWarning", warning)
    add_absent("eval", absent_eval)
    add_absent("exec", absent_exec)
    add_absent("compile", absent_compile)
    add_absent("open", absent_open)
    add_absent("help", absent_help)
    add_absent("breakpoint", absent_breakpoint)
    add_absent("aiter", absent_async)
    add_absent("anext", absent_async)
    add_absent_type("bytearray", absent_bytearray)
    add_absent_type("complex", absent_complex)
    add_absent_type("memoryview", absent_memoryview)
