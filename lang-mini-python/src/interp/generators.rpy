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
#! - Not implemented (clear guest errors): `throw`, and `close` of a suspended generator.

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
    g = gen_self(a, "close")
    if g.started and not g.finished:
        raise not_implemented("close() of a suspended generator")
    g.finished = True
    return W_NONE

def gen_throw(a: Args) -> W_Object:
    raise not_implemented("generator.throw()")

def setup_generators():
    t = new_type("generator", SPACE.object_type, KIND_BUILTIN)
    GEN_TYPES.generator_type = t
    add_method(t, "send", gen_send)
    add_method(t, "__next__", gen_next)
    add_method(t, "__iter__", gen_iter)
    add_method(t, "close", gen_close)
    add_method(t, "throw", gen_throw)
