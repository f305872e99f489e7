#! loader.rpy: the entry point `main(data)`: decodes the program the Rust side encoded
#! (lang-mini-python/src/host/encode.rs), sets the interpreter up, runs the module and
#! reports an uncaught exception; returns the process's exit status.
#!
#! The input is one string of little-endian 64-bit words (`decode_words`), so every
#! execution mode passes it the same way. A string is its length then one word per code
#! point. The stream: the script's file name, its source lines, `sys.argv`, whether stderr is captured, then the code
#! objects, nested ones before the code holding them (a code constant names an earlier
#! one by index), the module's code last. A code object: name, qualname, filename,
#! first_line, argcount, kwonlyargcount, flags, varnames, the number of cellvars, cell
#! names (cellvars then freevars), names, constants, the instruction count then ops,
#! args and lines, then LOC_WORDS ints of source location per instruction
#! (traceback_marks.rpy), the exception table (count of ints, then the ints), stacksize, the
#! stack depth before each instruction. A
#! constant: a tag (CONST_*) then its payload.

const CONST_NONE = 0
const CONST_TRUE = 1
const CONST_FALSE = 2
const CONST_ELLIPSIS = 3
const CONST_INT = 4
const CONST_FLOAT = 5
const CONST_STR = 6
const CONST_TUPLE = 7
const CONST_CODE = 8
const CONST_BIGINT = 9
const CONST_BYTES = 10

struct Reader:
    words: array[int]
    pos: int

def decode_words(s: str) -> array[int]:
    n = len(s) // 8
    words = array[int](n)
    i = 0
    while i < n:
        w = 0
        k = 7
        while k >= 0:
            w = w * 256 + ord(s[i * 8 + k])
            k -= 1
        words[i] = w
        i += 1
    return words

def read_int(r: Reader) -> int:
    w = r.words[r.pos]
    r.pos += 1
    return w

def read_str(r: Reader) -> str:
    n = read_int(r)
    chars = array[char](n)
    i = 0
    while i < n:
        chars[i] = chr(read_int(r))
        i += 1
    return str_from_chars(chars)

def read_strs(r: Reader) -> array[str]:
    n = read_int(r)
    out = array[str](n)
    i = 0
    while i < n:
        out[i] = read_str(r)
        i += 1
    return out

def read_ids(r: Reader) -> array[int]:
    n = read_int(r)
    out = array[int](n)
    i = 0
    while i < n:
        out[i] = intern(read_str(r))
        i += 1
    return out

def read_ints(r: Reader, n: int) -> array[int]:
    out = array[int](n)
    i = 0
    while i < n:
        out[i] = read_int(r)
        i += 1
    return out

def read_const(r: Reader, codes: list[Code]) -> W_Object:
    tag = read_int(r)
    if tag == CONST_NONE:
        return W_NONE
    if tag == CONST_TRUE:
        return W_TRUE
    if tag == CONST_FALSE:
        return W_FALSE
    if tag == CONST_ELLIPSIS:
        return W_NONE
    if tag == CONST_INT:
        return W_Int(value=read_int(r))
    if tag == CONST_FLOAT:
        return W_Float(value=parse_float(read_str(r)))
    if tag == CONST_BIGINT:
        return long_from_str(read_str(r), 10)
    if tag == CONST_STR:
        return W_Str(value=read_str(r))
    if tag == CONST_BYTES:
        return W_Bytes(value=read_str(r))
    if tag == CONST_TUPLE:
        n = read_int(r)
        items = array[W_Object](n)
        i = 0
        while i < n:
            items[i] = read_const(r, codes)
            i += 1
        return W_Tuple(items=items)
    return W_Code(code=codes[read_int(r)])

def read_code(r: Reader, codes: list[Code]) -> Code:
    name = read_str(r)
    qualname = read_str(r)
    filename = read_str(r)
    first_line = read_int(r)
    argcount = read_int(r)
    kwonly = read_int(r)
    flags = read_int(r)
    varnames = read_ids(r)
    ncellvars = read_int(r)
    cellnames = read_ids(r)
    names = read_ids(r)
    nconsts = read_int(r)
    consts = array[W_Object](nconsts)
    i = 0
    while i < nconsts:
        consts[i] = read_const(r, codes)
        i += 1
    n = read_int(r)
    ops = read_ints(r, n)
    args = read_ints(r, n)
    lines = read_ints(r, n)
    locs = read_ints(r, n * LOC_WORDS)
    exc = read_ints(r, read_int(r))
    stacksize = read_int(r)
    depths = read_ints(r, n)
    return Code(name=name, qualname=qualname, filename=filename, first_line=first_line, argcount=argcount, kwonlyargcount=kwonly, flags=flags, varnames=varnames, ncellvars=ncellvars, cellnames=cellnames, names=names, consts=consts, ops=ops, args=args, lines=lines, locs=locs, exc=exc, stacksize=stacksize, depths=depths)

# The interpreter's state for a new run; each file's setup registers its types, builtins
# and methods.
def setup():
    SPACE.names = {}
    names: list[str] = []
    SPACE.name_strs = names
    SPACE.builtins = new_namespace()
    mods: dict[int, W_Object] = {}
    SPACE.modules = mods
    types: list[W_Type] = []
    SPACE.all_types = types
    SPACE.handled = None
    SPACE.depth = 0
    SPACE.recursion_limit = 1000
    SPACE.object_type = new_type("object", None, KIND_INSTANCE)
    SPACE.type_type = new_type("type", SPACE.object_type, KIND_BUILTIN)
    setup_ints()
    setup_floats()
    setup_strs()
    setup_strmethods()
    setup_containers()
    setup_sets()
    setup_dictviews()
    setup_functions()
    setup_exceptions()
    setup_classes()
    setup_descriptors()
    setup_format()
    setup_builtins()
    setup_modules()
    setup_number_modules()
    setup_generators()
    setup_dunders()
    setup_attrdel()
    setup_subclasses()
    setup_strformat()
    setup_attrhooks()
    setup_numbermethods()
    setup_containermethods()
    setup_more_set_methods()
    setup_more_str_methods()
    setup_instantiation()
    setup_collections()
    setup_deque()
    setup_callfast()
    setup_fastpaths()
    setup_mro()
    setup_strchars()
    setup_value_subclasses()
    setup_namedtuple()
    setup_ordereddict()
    setup_typecall()
    setup_slicetype()
    setup_builtinsrest()
    setup_bytes()
    setup_codecs()
    setup_introspect()
    setup_value_overrides()

# The exit status of an uncaught SystemExit (printing its message as CPython does).
def exit_status(e: W_BaseException) -> int:
    items = e.args.items
    if len(items) == 0 or items[0] is W_NONE:
        return 0
    if isinstance(items[0], W_Int):
        return (items[0] as W_Int).value
    err_write(str_of(items[0]) + "\n")
    return 1

def run_module(code: Code) -> int:
    globals = new_namespace()
    ns_set(globals, intern("__name__"), W_Str(value="__main__"))
    f = new_frame(code, globals, globals, None)
    try:
        eval_frame(code, f)
    except GuestError as e:
        if is_subtype(e.w.cls, builtin_type("SystemExit")):
            return exit_status(e.w)
        print_traceback(e.w)
        return 1
    return 0

def main(data: str) -> int:
    r = Reader(words=decode_words(data), pos=0)
    SPACE.filename = read_str(r)
    SPACE.source = read_strs(r)
    SPACE.argv = read_strs(r)
    SPACE.capture_stderr = read_int(r) != 0
    parts: list[str] = []
    SPACE.err_parts = parts
    setup()
    ncodes = read_int(r)
    codes: list[Code] = []
    i = 0
    while i < ncodes:
        codes.append(read_code(r, codes))
        i += 1
    return run_module(codes[ncodes - 1])
