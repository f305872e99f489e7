#! generators.rpy: generator objects (calls of functions whose code has CO_GENERATOR,
#! generator expressions), `yield`, `yield from`, `send`.
#!
#! Vocabulary and invariants:
#! - A `W_Generator` keeps its guest `Frame` alive between runs of `eval_frame`. The frame's
#!   `resume` is the pc `eval_frame` starts at (0 for a fresh frame; promoted, so it is
#!   green in the JIT); YIELD_VALUE and YIELD_FROM set it and `yielded`, then return the
#!   yielded value. A return from `eval_frame` with `yielded` false is the generator's end
#!   (`retval` its return value).
#! - Resuming writes the sent value (None for `next`) at the top of the stack the resume
#!   instruction expects (`depths[resume] - 1`): YIELD_VALUE's result, or the `sent`
#!   operand of the YIELD_FROM re-executed.
#! - `next_or_none` (the W_Iter protocol: FOR_ITER, `next()`, builtins over iterables)
#!   resumes with None and answers None at the end.
#! - A StopIteration escaping the generator's frame becomes `RuntimeError: generator raised
#!   StopIteration` (its cause); any exception escaping ends the generator.
#! - The exception being handled (`SPACE.handled`) is the generator's own while it runs,
#!   kept across a suspension inside an `except` block, and the caller's again after.
#! - `throw(exc)` resumes a suspended generator with `exc` raised at its yield: the frame's
#!   `thrown` is set and its `resume` is the yield instruction itself, so `eval_frame` finds
#!   the handler of that instruction (`resume_throw`) before running. Suspended in a
#!   `yield from`, the exception goes first to the sub-generator (its `throw`), and only
#!   what comes out of it is raised at the YIELD_FROM; a sub-generator that returns ends
#!   the `yield from` with its value. `close()` throws `GeneratorExit` and expects it (or
#!   StopIteration) back: a generator that yields instead is a RuntimeError.
#! - A finished generator drops its frame (`frame` None, read only while not `finished`):
#!   a generator object still referenced after its end (a stale slot anywhere) must not
#!   keep its frame's locals alive (sieve's `sum(1 for f in sieve(n) if f)` kept a 20 MB
#!   list per finished generator).
#! - `StopIteration.value` is its first argument (None without one), read by `lookup_attr`.
#! - Not done: closing a generator when it is dropped (CPython's refcounting runs its
#!   `finally` blocks then; nothing here does).

struct GeneratorTypes:
    generator_type: W_Type

const GEN_TYPES = GeneratorTypes(generator_type=None)

struct W_Generator(W_Iter):
    code: Code
    frame: Frame
    started: bool
    finished: bool
    running: bool
    retval: W_Object
    # The exception being handled inside the suspended generator, or None.
    handled: W_Object

    def get_type(self) -> W_Type:
        return GEN_TYPES.generator_type

    def next_or_none(self) -> W_Object:
        return gen_resume(self, W_NONE)

# A call of a generator function: the frame with its arguments bound, not run yet.
def new_generator(func: W_Function, a: Args) -> W_Object:
    code = func.code
    f = new_frame(code, func.globals, None, func.closure)
    bind_args(func, a, f.locals)
    return W_Generator(code=code, frame=f, started=False, finished=False, running=False, retval=W_NONE, handled=None)

@dont_look_inside
def generator_raised_stop(stop: W_BaseException) -> GuestError:
    err = guest_error("RuntimeError", "generator raised StopIteration")
    err.w.cause = stop
    err.w.context = stop
    return err

# Runs `g` until its next yield (answered) or its end (None; `g.retval` set).
def gen_resume(g: W_Generator, sent: W_Object) -> W_Object:
    if g.finished:
        g.retval = W_NONE
        return None
    if g.running:
        raise guest_error("ValueError", "generator already executing")
    f = g.frame
    code = g.code
    if not g.started:
        if sent is not W_NONE:
            raise type_error("can't send non-None value to a just-started generator")
        g.started = True
    else:
        f.stack[code.depths[f.resume] - 1] = sent
    return gen_run(g)

# Runs the frame of a started generator from its `resume` (see gen_resume).
def gen_run(g: W_Generator) -> W_Object:
    f = g.frame
    code = g.code
    if SPACE.depth >= SPACE.recursion_limit:
        raise guest_error("RecursionError", "maximum recursion depth exceeded")
    outer = SPACE.handled
    if g.handled is not None:
        SPACE.handled = g.handled
    g.handled = None
    g.running = True
    f.yielded = False
    SPACE.depth += 1
    w: W_Object = None
    try:
        w = eval_frame(code, f)
    except GuestError as e:
        SPACE.depth -= 1
        SPACE.handled = outer
        g.running = False
        g.finished = True
        g.frame = None
        if is_instance_of(e.w, builtin_type("StopIteration")):
            raise generator_raised_stop(e.w)
        raise e
    SPACE.depth -= 1
    g.running = False
    if f.yielded:
        if SPACE.handled is not outer:
            g.handled = SPACE.handled
        SPACE.handled = outer
        return w
    SPACE.handled = outer
    g.finished = True
    g.frame = None
    g.retval = w
    return None

# The StopIteration ending `it` (with the generator's return value when not None).
@dont_look_inside
def stop_iteration_of(it: W_Object) -> GuestError:
    if isinstance(it, W_Generator):
        r = (it as W_Generator).retval
        if r is not W_NONE:
            return GuestError(message="", w=new_exception(builtin_type("StopIteration"), args1(r)), reraise=False)
    return guest_error_noargs("StopIteration")

# YIELD_FROM: `it sent -> r`. Sends `sent` into `it`: answers the value it yields (the
# stack left as it was, for the instruction to be re-executed on resumption), or None
# when it is exhausted, with its return value replacing both operands.
def op_yield_from(f: Frame) -> W_Object:
    sent = pop(f)
    it = top(f)
    w: W_Object = None
    if isinstance(it, W_Generator):
        w = gen_resume(it as W_Generator, sent)
    elif sent is W_NONE:
        w = next_of(it)
    else:
        w = call_object(getattr_of(it, intern("send")), args1(sent))
    if w is None:
        pop(f)
        if isinstance(it, W_Generator):
            push(f, (it as W_Generator).retval)
        else:
            push(f, W_NONE)
        return None
    push(f, sent)
    return w

def gen_self(a: Args, name: str) -> W_Generator:
    if len(a.vals) == 0 or not isinstance(a.vals[0], W_Generator):
        raise type_error("descriptor '" + name + "' for 'generator' objects needs an argument")
    return a.vals[0] as W_Generator

def gen_send(a: Args) -> W_Object:
    check_args(a, "send", 2, 2)
    g = gen_self(a, "send")
    w = gen_resume(g, a.vals[1])
    if w is None:
        raise stop_iteration_of(g)
    return w

def gen_next(a: Args) -> W_Object:
    check_args(a, "__next__", 1, 1)
    g = gen_self(a, "__next__")
    w = gen_resume(g, W_NONE)
    if w is None:
        raise stop_iteration_of(g)
    return w

def gen_iter(a: Args) -> W_Object:
    check_args(a, "__iter__", 1, 1)
    return gen_self(a, "__iter__")

def gen_close(a: Args) -> W_Object:
    check_args(a, "close", 1, 1)
    gen_close_of(gen_self(a, "close"))
    return W_NONE

def gen_close_of(g: W_Generator):
    if not g.started or g.finished:
        g.finished = True
        return
    w: W_Object = None
    try:
        w = gen_throw_into(g, new_exception(builtin_type("GeneratorExit"), make_args(array[W_Object](0))))
    except GuestError as e:
        if is_instance_of(e.w, builtin_type("GeneratorExit")) or is_instance_of(e.w, builtin_type("StopIteration")):
            return
        raise e
    if w is not None:
        raise guest_error("RuntimeError", "generator ignored GeneratorExit")

# The exception `throw(typ[, val])` raises: an instance as given, or the class called with
# `val` (unless `val` already is an instance of it).
def thrown_exception(a: Args) -> W_BaseException:
    typ = a.vals[1]
    val: W_Object = W_NONE
    if npos(a) >= 3:
        val = a.vals[2]
    if isinstance(typ, W_Type) and (typ as W_Type).kind == KIND_EXCEPTION:
        t = typ as W_Type
        if isinstance(val, W_BaseException) and is_instance_of(val, t):
            return val as W_BaseException
        if val is W_NONE:
            return exception_from(t)
        if isinstance(val, W_Tuple):
            return call_type(t, make_args((val as W_Tuple).items)) as W_BaseException
        return call_type(t, args1(val)) as W_BaseException
    if isinstance(typ, W_BaseException):
        if val is not W_NONE:
            raise type_error("instance exception may not have a separate value")
        return typ as W_BaseException
    raise type_error("exceptions must be classes or instances deriving from BaseException, not " + type_name(typ))

def gen_throw(a: Args) -> W_Object:
    check_args(a, "throw", 2, 4)
    g = gen_self(a, "throw")
    w = gen_throw_into(g, thrown_exception(a))
    if w is None:
        raise stop_iteration_of(g)
    return w

def raise_exception(w: W_BaseException):
    raise GuestError(message="", w=w, reraise=False)

# Raises `exc` inside `g` at the yield it is suspended at: answers what `g` yields next,
# or None when it returns (`g.retval` set); what `g` does not handle propagates.
def gen_throw_into(g: W_Generator, exc: W_BaseException) -> W_Object:
    if g.running:
        raise guest_error("ValueError", "generator already executing")
    if g.finished or not g.started:
        g.started = True
        g.finished = True
        raise_exception(exc)
    f = g.frame
    code = g.code
    pc = f.resume
    if code.ops[pc] == YIELD_FROM:
        it = f.stack[code.depths[pc] - 2]
        inner: W_BaseException = None
        w: W_Object = None
        done = False
        retval: W_Object = W_NONE
        try:
            w = throw_to_delegate(it, exc)
            if w is None:
                done = True
                if isinstance(it, W_Generator):
                    retval = (it as W_Generator).retval
        except GuestError as e:
            if not isinstance(it, W_Generator) and is_instance_of(e.w, builtin_type("StopIteration")):
                done = True
                retval = stop_iteration_value(e.w)
            else:
                inner = e.w
        if w is not None:
            return w
        if done:
            # The delegate returned: the `yield from` ends with its value.
            f.resume = pc + 1
            f.stack[code.depths[pc + 1] - 1] = retval
            return gen_run(g)
        exc = inner
    else:
        f.resume = pc - 1
    f.thrown = exc
    return gen_run(g)

# Hands a thrown exception to the iterator a `yield from` delegates to: what it yields
# next, None when a generator ends by returning (another iterator's `throw` raises
# StopIteration); it raises what it does not handle (`exc` itself when it has no `throw`;
# a GeneratorExit closes it first).
def throw_to_delegate(it: W_Object, exc: W_BaseException) -> W_Object:
    if is_instance_of(exc, builtin_type("GeneratorExit")):
        if isinstance(it, W_Generator):
            gen_close_of(it as W_Generator)
        else:
            close = lookup_attr(it, intern("close"))
            if close is not None:
                call_object(close, make_args(array[W_Object](0)))
        raise_exception(exc)
    if isinstance(it, W_Generator):
        return gen_throw_into(it as W_Generator, exc)
    throw_m = lookup_attr(it, intern("throw"))
    if throw_m is None:
        raise_exception(exc)
    return call_object(throw_m, args1(exc))

# Entering `eval_frame` with `f.thrown` set (see gen_throw_into): the exception is raised
# at instruction `cur`; answers the pc of its handler (the exception pushed as the loop's
# own handler path does), or raises it when `cur` has none.
def resume_throw(code: Code, f: Frame, cur: int) -> int:
    w = f.thrown
    f.thrown = None
    e = GuestError(message="", w=w, reraise=False)
    f.sp = code.depths[cur]
    record_traceback(code, e, cur)
    h = find_handler(code, cur)
    if h < 0:
        raise e
    depth = code.exc[h + 3]
    while f.sp > depth:
        pop(f)
    push(f, w)
    return code.exc[h + 2]

# `StopIteration.value` (None for other exceptions, which have no such attribute: the
# caller answers None as "no attribute").
def stop_iteration_value(e: W_BaseException) -> W_Object:
    if not is_subtype(e.cls, builtin_type("StopIteration")):
        return None
    if len(e.args.items) == 0:
        return W_NONE
    return e.args.items[0]

def setup_generators():
    t = new_type("generator", SPACE.object_type, KIND_BUILTIN)
    GEN_TYPES.generator_type = t
    add_method(t, "send", gen_send)
    add_method(t, "__next__", gen_next)
    add_method(t, "__iter__", gen_iter)
    add_method(t, "close", gen_close)
    add_method(t, "throw", gen_throw)
