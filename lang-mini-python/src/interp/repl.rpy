#! repl.rpy: the REPL's side of the interpreter: the echo of an expression statement's
#! value (`PRINT_EXPR`, what CPython's `sys.displayhook` does) and the entry point
#! `repl_main(data)`, which runs one input of an interactive session.
#!
#! Vocabulary and invariants:
#! - A session is a sequence of `repl_main` calls on one machine; the first one sets the
#!   interpreter up (`setup`) and makes the session's globals (`REPL.globals`, the module
#!   `__main__`); later ones keep them, so names defined by one input are seen by the next.
#! - `data` is what `main` takes (loader.rpy's header): the input's file name (`<stdin>`),
#!   its lines, `sys.argv`, whether stderr is captured, then its code objects.
#! - An uncaught exception prints its traceback and ends only that input (status 1);
#!   `SystemExit` ends the session: `repl_main` returns `EXIT_BASE + status` for it.

struct ReplSession:
    started: bool
    globals: Namespace

const REPL = ReplSession(started=False, globals=None)

# What `repl_main` adds to the exit status of a `SystemExit` (so the host tells it apart
# from 0 and 1, the statuses of an input that ended normally or with an exception).
const EXIT_BASE = 1099511627776

# `PRINT_EXPR`: prints `repr(v)` unless `v` is None and binds it to `builtins._`.
def op_print_expr(f: Frame):
    w = pop(f)
    if w is W_NONE:
        return
    ns_set(SPACE.builtins, intern("_"), W_NONE)
    print_str(repr_of(w) + "\n")
    ns_set(SPACE.builtins, intern("_"), w)

def repl_main(data: str) -> int:
    r = Reader(words=decode_words(data), pos=0)
    SPACE.filename = read_str(r)
    SPACE.source = read_strs(r)
    SPACE.argv = read_strs(r)
    SPACE.capture_stderr = read_int(r) != 0
    parts: list[str] = []
    SPACE.err_parts = parts
    if not REPL.started:
        setup()
        REPL.globals = new_namespace()
        ns_set(REPL.globals, intern("__name__"), W_Str(value="__main__"))
        REPL.started = True
    SPACE.handled = None
    SPACE.depth = 0
    ncodes = read_int(r)
    codes: list[Code] = []
    i = 0
    while i < ncodes:
        codes.append(read_code(r, codes))
        i += 1
    code = codes[ncodes - 1]
    f = new_frame(code, REPL.globals, REPL.globals, None)
    try:
        eval_frame(code, f)
    except GuestError as e:
        if is_subtype(e.w.cls, builtin_type("SystemExit")):
            return EXIT_BASE + exit_status(e.w)
        print_traceback(e.w)
        return 1
    return 0
