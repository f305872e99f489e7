#! functions.rpy: guest functions, cells, bound methods, builtin functions, modules, and
#! calling (`call_object`, argument binding).
#!
#! Vocabulary and invariants:
#! - `W_Function`: a code object, the globals it runs in, positional defaults (a tuple or
#!   None), keyword-only defaults (a dict or None) and closure cells (None without).
#! - `W_Builtin`: an RPy function over `Args`; called with the receiver first when found
#!   as a method of a builtin type.
#! - `bind_args` fills a new frame's first locals as CPython does (positional, keywords,
#!   defaults, *args, **kwargs) with CPython's TypeError messages.
#! - Every guest call goes through `call_object`; `call_function` makes the frame and runs
#!   `eval_frame`, counting the depth (`SPACE.depth`) to raise RecursionError.

struct W_Builtin(W_Object) immutable:
    name: str
    f: fn(Args) -> W_Object

    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.builtin_function_type

    def default_repr(self) -> str:
        return "<built-in function " + self.name + ">"

struct W_Function(W_Object) immutable:
    code: Code
    globals: Namespace
    defaults: W_Tuple
    kwdefaults: W_Dict
    closure: W_Tuple
    name: str

    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.function_type

    def default_repr(self) -> str:
        return "<function " + self.code.qualname + " at 0x" + int_to_str_base(id(self), 16) + ">"

struct W_Cell(W_Object):
    value: W_Object

    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.cell_type

struct W_BoundMethod(W_Object) immutable:
    self_w: W_Object
    func: W_Object

    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.method_type

    def default_repr(self) -> str:
        f = self.func
        if isinstance(f, W_Function):
            return "<bound method " + (f as W_Function).code.qualname + " of " + repr_of(self.self_w) + ">"
        if isinstance(f, W_Builtin):
            return "<built-in method " + (f as W_Builtin).name + " of " + type_name(self.self_w) + " object at 0x" + int_to_str_base(id(self.self_w), 16) + ">"
        return "<bound method of " + repr_of(self.self_w) + ">"

struct W_Module(W_Object):
    name: str
    ns: Namespace

    def get_type(self) -> W_Type:
        return TYPES_BY_KIND.module_type

def prepend_arg(w: W_Object, a: Args) -> Args:
    vals = array[W_Object](len(a.vals) + 1)
    vals[0] = w
    i = 0
    while i < len(a.vals):
        vals[i + 1] = a.vals[i]
        i += 1
    return Args(vals=vals, kwnames=a.kwnames)

def call_object(w: W_Object, a: Args) -> W_Object:
    hint(w, promote_class=True)
    if isinstance(w, W_Function):
        return call_function(w as W_Function, a)
    if isinstance(w, W_Builtin):
        return (w as W_Builtin).f(a)
    if isinstance(w, W_BoundMethod):
        m = w as W_BoundMethod
        return call_object(m.func, prepend_arg(m.self_w, a))
    if isinstance(w, W_Type):
        return call_type(w as W_Type, a)
    call = special(w, "__call__")
    if call is not None:
        return call_object(call, prepend_arg(w, a))
    raise type_error("'" + type_name(w) + "' object is not callable")

def func_desc(code: Code) -> str:
    return code.qualname + "()"

def plural(n: int, word: str) -> str:
    if n == 1:
        return int_to_str(n) + " " + word
    return int_to_str(n) + " " + word + "s"

def names_list(names: list[str]) -> str:
    if len(names) == 1:
        return "'" + names[0] + "'"
    if len(names) == 2:
        return "'" + names[0] + "' and '" + names[1] + "'"
    s = ""
    i = 0
    while i < len(names):
        if i == len(names) - 1:
            s = s + "and '" + names[i] + "'"
        else:
            s = s + "'" + names[i] + "', "
        i += 1
    return s

# Binds the arguments of a call of `func` into `locals` (the frame's fast locals).
def bind_args(func: W_Function, a: Args, locals: array[W_Object]):
    code = func.code
    argc = code.argcount
    kwonly = code.kwonlyargcount
    has_varargs = (code.flags & CO_VARARGS) != 0
    has_varkw = (code.flags & CO_VARKEYWORDS) != 0
    n = npos(a)
    if n > argc and not has_varargs:
        given = n
        ndef = 0
        if func.defaults is not None:
            ndef = len(func.defaults.items)
        if ndef > 0:
            raise type_error(func_desc(code) + " takes from " + int_to_str(argc - ndef) + " to " + int_to_str(argc) + " positional arguments but " + int_to_str(given) + " were given")
        raise type_error(func_desc(code) + " takes " + plural(argc, "positional argument") + " but " + int_to_str(given) + " " + was_were(given) + " given")
    i = 0
    while i < n and i < argc:
        locals[i] = a.vals[i]
        i += 1
    slot = argc + kwonly
    if has_varargs:
        rest: list[W_Object] = []
        while i < n:
            rest.append(a.vals[i])
            i += 1
        locals[slot] = tuple_of_list(rest)
        slot += 1
    kwdict: W_Dict = None
    if has_varkw:
        kwdict = new_dict()
        locals[slot] = kwdict
    k = nkw(a)
    j = 0
    while j < k:
        name = a.kwnames[j]
        value = a.vals[n + j]
        found = -1
        p = 0
        while p < argc + kwonly:
            if name_of(code.varnames[p]) == name:
                found = p
            p += 1
        if found < 0:
            if kwdict is None:
                raise type_error(func_desc(code) + " got an unexpected keyword argument '" + name + "'")
            kwdict.d[W_Str(value=name)] = value
        else:
            if locals[found] is not None:
                raise type_error(func_desc(code) + " got multiple values for argument '" + name + "'")
            locals[found] = value
        j += 1
    missing: list[str] = []
    ndef = 0
    if func.defaults is not None:
        ndef = len(func.defaults.items)
    p = 0
    while p < argc:
        if locals[p] is None:
            if p >= argc - ndef:
                locals[p] = func.defaults.items[p - (argc - ndef)]
            else:
                missing.append(name_of(code.varnames[p]))
        p += 1
    if len(missing) > 0:
        raise type_error(func_desc(code) + " missing " + plural(len(missing), "required positional argument") + ": " + names_list(missing))
    p = argc
    while p < argc + kwonly:
        if locals[p] is None:
            key = W_Str(value=name_of(code.varnames[p]))
            if func.kwdefaults is not None and (key in func.kwdefaults.d):
                locals[p] = func.kwdefaults.d[key]
            else:
                missing.append(name_of(code.varnames[p]))
        p += 1
    if len(missing) > 0:
        raise type_error(func_desc(code) + " missing " + plural(len(missing), "required keyword-only argument") + ": " + names_list(missing))

def was_were(n: int) -> str:
    if n == 1:
        return "was"
    return "were"

def call_function(func: W_Function, a: Args) -> W_Object:
    code = func.code
    if (code.flags & CO_GENERATOR) != 0:
        return new_generator(func, a)
    if SPACE.depth >= SPACE.recursion_limit:
        raise guest_error("RecursionError", "maximum recursion depth exceeded")
    f = new_frame(code, func.globals, None, func.closure)
    bind_args(func, a, f.locals)
    SPACE.depth += 1
    try:
        r = eval_frame(code, f)
    finally:
        SPACE.depth -= 1
    return r

def setup_functions():
    o = SPACE.object_type
    TYPES_BY_KIND.function_type = new_type("function", o, KIND_BUILTIN)
    TYPES_BY_KIND.builtin_function_type = new_type("builtin_function_or_method", o, KIND_BUILTIN)
    TYPES_BY_KIND.method_type = new_type("method", o, KIND_BUILTIN)
    TYPES_BY_KIND.module_type = new_type("module", o, KIND_BUILTIN)
    TYPES_BY_KIND.cell_type = new_type("cell", o, KIND_BUILTIN)
