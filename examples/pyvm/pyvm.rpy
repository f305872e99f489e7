# pyvm: a Python-shaped example interpreter in RPy (issue 15), the proving ground before
# mini-Python. A stack bytecode VM run by the JIT generator in every mode (IR interpreter,
# translated, JIT on the IR interpreter and on LLVM) by backend-llvm/tests/pyvm.rs and
# timeshift/tests/pyvm.rs; examples/pyvm/README.md lists the bytecode.
#
# Vocabulary and invariants:
# - A `Code` object holds the bytecode as a `str` (one byte per opcode, one argument byte
#   after the opcodes that take one: `HAS_ARG`), its constants (`consts`, guest objects), the
#   names it uses (`names`: LOAD_GLOBAL/STORE_GLOBAL/LOAD_ATTR/CALL_METHOD take an index into
#   them), its number of locals and its maximum stack depth. Code objects are immutable.
# - Guest values are boxed objects under the root class `Obj`: `Int` (a 64-bit int; `add`
#   overflows into the guest error `OverflowError`, never a wrong answer), `Bool`, `Str`,
#   `Function` (a code object), `Class` (field names, method names, methods) and `Instance`
#   (a class and its field values). Operations are methods of `Obj` (`add`, `lt`, `truth`,
#   `repr`) dispatched by class; a class without the operation raises the guest `TypeError`.
# - The frame is virtualizable (locals array, value stack, depth): the JIT keeps it in
#   registers. A frame is made per call; a guest call is a recursive call of the portal `run`.
# - Globals: PyPy makes module dicts constant with a quasi-immutable version. Here (no dicts
#   yet) the globals are one prebuilt `Globals` struct holding an `array[Obj]` of values
#   indexed by a name index the bytecode compiler resolves (the argument of
#   LOAD_GLOBAL/STORE_GLOBAL), and a quasi-immutable `version` that every STORE_GLOBAL bumps.
#   LOAD_GLOBAL calls the elidable `global_at(GLOBALS, version, index)`: with the version a
#   compile-time constant (quasi-immutable read), the call folds to the value now stored and
#   compiled code depends on the version; a later STORE_GLOBAL invalidates it. An unset global
#   is the guest `NameError`.
# - Guest exceptions are RPy exceptions: `GuestError` carries the guest value raised. RAISE
#   raises one; an RPy `OverflowError` (from `ovfcheck`) becomes a guest error whose value is
#   the string "OverflowError". SETUP_EXCEPT TARGET installs a handler (one level: a second
#   SETUP_EXCEPT before POP_BLOCK is a guest `SystemError`); a guest error raised while one is
#   installed unwinds the value stack to its depth at SETUP_EXCEPT, pushes the raised value
#   and continues at TARGET, with the handler removed. Without a handler the error leaves
#   `run` (and the guest caller's `run`, up to the host: `Uncaught`).
#
# JIT hints: `run` is the portal; its greens are the code object and the pc (the opcode is
# `concrete`, which makes pc green), with the stack depth and the handler (its target and
# depth) green too: they are known at each instruction from the bytecode. The code object is
# deepfrozen (its bytecode, constants and names are constants). Operands are class-promoted
# before their methods are called, so dispatch folds; the boxes the loop makes stay virtual.

const LOAD_FAST = 1
const STORE_FAST = 2
const LOAD_CONST = 3
const BINARY_ADD = 4
const COMPARE_LT = 5
const POP_JUMP_IF_FALSE = 6
const JUMP = 7
const RETURN_VALUE = 8
const LOAD_GLOBAL = 9
const STORE_GLOBAL = 10
const CALL_FUNCTION = 11
const CALL_METHOD = 12
const RAISE = 13
const SETUP_EXCEPT = 14
const POP_BLOCK = 15
const POP_TOP = 16
const LOAD_ATTR = 17

# The error a guest program sees: `value` is the guest object raised.
struct GuestError(Exception):
    value: Obj

struct Obj:
    def add(self, other: Obj) -> Obj:
        raise type_error("unsupported operand for +")

    def lt(self, other: Obj) -> bool:
        raise type_error("unsupported operand for <")

    def truth(self) -> bool:
        return True

    def repr(self) -> str:
        return "<object>"

struct Int(Obj) immutable:
    value: int

    def add(self, other: Obj) -> Obj:
        hint(other, promote_class=True)
        if isinstance(other, Int):
            return Int(value=ovfcheck(self.value + (other as Int).value))
        raise type_error("unsupported operand for +")

    def lt(self, other: Obj) -> bool:
        hint(other, promote_class=True)
        if isinstance(other, Int):
            return self.value < (other as Int).value
        raise type_error("unsupported operand for <")

    def truth(self) -> bool:
        return self.value != 0

    def repr(self) -> str:
        return int_to_str(self.value)

struct Bool(Obj) immutable:
    value: bool

    def truth(self) -> bool:
        return self.value

    def repr(self) -> str:
        if self.value:
            return "True"
        return "False"

struct Str(Obj) immutable:
    value: str

    def truth(self) -> bool:
        return len(self.value) != 0

    def repr(self) -> str:
        return self.value

struct Code immutable:
    name: str
    ops: str
    consts: frozen[Obj]
    names: frozen[str]
    nlocals: int
    stacksize: int

struct Function(Obj) immutable:
    code: Code

    def repr(self) -> str:
        return "<function " + self.code.name + ">"

struct Class(Obj) immutable:
    name: str
    fields: frozen[str]
    method_names: frozen[str]
    methods: frozen[Function]

    def repr(self) -> str:
        return "<class " + self.name + ">"

struct Instance(Obj):
    cls: Class
    values: array[Obj]

    def repr(self) -> str:
        return "<" + self.cls.name + " object>"

struct Globals:
    values: array[Obj]
    version: int quasi

const GLOBALS = Globals(values=[None, None, None, None, None, None, None, None], version=0)

struct Frame virtualizable(depth, locals[*], stack[*]):
    locals: array[Obj]
    stack: array[Obj]
    depth: int

def guest_error(kind: str, message: str) -> GuestError:
    return GuestError(message=kind + ": " + message, value=Str(value=kind))

def type_error(message: str) -> GuestError:
    return guest_error("TypeError", message)

# The value of global `index` while the globals are at `version` (the version only keys the
# JIT's folding: see the header).
@elidable
def global_at(g: Globals, version: int, index: int) -> Obj:
    return g.values[index]

# The index of `name` in `names`, or -1.
@elidable
def index_of(names: frozen[str], name: str) -> int:
    i = 0
    while i < len(names):
        if names[i] == name:
            return i
        i += 1
    return -1

def new_frame(code: Code, n: int) -> Frame:
    f = Frame(locals=array[Obj](code.nlocals), stack=array[Obj](code.stacksize), depth=0)
    f.locals[0] = Int(value=n)
    return f

# A guest call: a new frame for `code` whose first locals are the `nargs` values on top of
# `caller`'s stack (whose depth is `sp`).
def call_code(code: Code, caller: Frame, sp: int, nargs: int, receiver: Obj) -> Obj:
    if nargs > code.nlocals:
        raise type_error(code.name + "() takes " + int_to_str(code.nlocals) + " arguments")
    f = Frame(locals=array[Obj](code.nlocals), stack=array[Obj](code.stacksize), depth=0)
    first = 0
    if receiver is not None:
        f.locals[0] = receiver
        first = 1
    i = 0
    while i < nargs:
        f.locals[first + i] = caller.stack[sp - nargs + i]
        i += 1
    return run(code, f)

def run(code: Code, f: Frame) -> Obj:
    code = hint(code, deepfreeze=True)
    ops = code.ops
    pc = 0
    sp = 0
    handler = -1
    handler_sp = 0
    while True:
        hint(None, global_merge_point=True)
        op = hint(ord(ops[pc]), concrete=True)
        sp = hint(sp, concrete=True)
        handler = hint(handler, concrete=True)
        handler_sp = hint(handler_sp, concrete=True)
        pc += 1
        try:
            if op == LOAD_FAST:
                v = f.locals[ord(ops[pc])]
                if v is None:
                    raise guest_error("UnboundLocalError", "local " + int_to_str(ord(ops[pc])))
                f.stack[sp] = v
                sp += 1
                f.depth = sp
                pc += 1
            elif op == STORE_FAST:
                sp -= 1
                f.locals[ord(ops[pc])] = f.stack[sp]
                f.depth = sp
                pc += 1
            elif op == LOAD_CONST:
                f.stack[sp] = code.consts[ord(ops[pc])]
                sp += 1
                f.depth = sp
                pc += 1
            elif op == BINARY_ADD:
                sp -= 1
                a = f.stack[sp - 1]
                hint(a, promote_class=True)
                f.stack[sp - 1] = a.add(f.stack[sp])
                f.depth = sp
            elif op == COMPARE_LT:
                sp -= 1
                a = f.stack[sp - 1]
                hint(a, promote_class=True)
                f.stack[sp - 1] = Bool(value=a.lt(f.stack[sp]))
                f.depth = sp
            elif op == POP_JUMP_IF_FALSE:
                sp -= 1
                f.depth = sp
                c = f.stack[sp]
                hint(c, promote_class=True)
                if c.truth():
                    pc += 1
                else:
                    pc = ord(ops[pc])
            elif op == JUMP:
                pc = ord(ops[pc])
            elif op == RETURN_VALUE:
                sp -= 1
                f.depth = sp
                return f.stack[sp]
            elif op == LOAD_GLOBAL:
                v = global_at(GLOBALS, GLOBALS.version, ord(ops[pc]))
                if v is None:
                    raise guest_error("NameError", code.names[ord(ops[pc])])
                f.stack[sp] = v
                sp += 1
                f.depth = sp
                pc += 1
            elif op == STORE_GLOBAL:
                sp -= 1
                GLOBALS.values[ord(ops[pc])] = f.stack[sp]
                GLOBALS.version += 1
                f.depth = sp
                pc += 1
            elif op == CALL_FUNCTION:
                nargs = ord(ops[pc])
                callee = f.stack[sp - 1 - nargs]
                hint(callee, promote_class=True)
                if isinstance(callee, Function):
                    r = call_code((callee as Function).code, f, sp, nargs, None)
                elif isinstance(callee, Class):
                    cls = callee as Class
                    if nargs != len(cls.fields):
                        raise type_error(cls.name + "() takes " + int_to_str(len(cls.fields)) + " arguments")
                    inst = Instance(cls=cls, values=array[Obj](nargs))
                    i = 0
                    while i < nargs:
                        inst.values[i] = f.stack[sp - nargs + i]
                        i += 1
                    r = inst
                else:
                    raise type_error(callee.repr() + " is not callable")
                sp -= nargs
                f.stack[sp - 1] = r
                f.depth = sp
                pc += 1
            elif op == CALL_METHOD:
                # receiver, one argument -> result
                name = code.names[ord(ops[pc])]
                recv = f.stack[sp - 2]
                hint(recv, promote_class=True)
                if not isinstance(recv, Instance):
                    raise type_error(recv.repr() + " has no method " + name)
                cls = hint((recv as Instance).cls, promote=True)
                m = index_of(cls.method_names, name)
                if m < 0:
                    raise guest_error("AttributeError", cls.name + " has no method " + name)
                r = call_code(cls.methods[m].code, f, sp, 1, recv)
                sp -= 1
                f.stack[sp - 1] = r
                f.depth = sp
                pc += 1
            elif op == LOAD_ATTR:
                name = code.names[ord(ops[pc])]
                o = f.stack[sp - 1]
                hint(o, promote_class=True)
                if not isinstance(o, Instance):
                    raise guest_error("AttributeError", o.repr() + " has no attribute " + name)
                inst = o as Instance
                cls = hint(inst.cls, promote=True)
                k = index_of(cls.fields, name)
                if k < 0:
                    raise guest_error("AttributeError", cls.name + " has no attribute " + name)
                f.stack[sp - 1] = inst.values[k]
                pc += 1
            elif op == RAISE:
                sp -= 1
                f.depth = sp
                v = f.stack[sp]
                raise GuestError(message=v.repr(), value=v)
            elif op == SETUP_EXCEPT:
                if handler >= 0:
                    raise guest_error("SystemError", "nested SETUP_EXCEPT")
                handler = ord(ops[pc])
                handler_sp = sp
                pc += 1
            elif op == POP_BLOCK:
                handler = -1
            elif op == POP_TOP:
                sp -= 1
                f.depth = sp
            else:
                raise guest_error("SystemError", "bad opcode " + int_to_str(op))
        except OverflowError:
            if handler < 0:
                raise guest_error("OverflowError", "integer overflow")
            pc = handler
            sp = handler_sp
            f.stack[sp] = Str(value="OverflowError")
            sp += 1
            f.depth = sp
            handler = -1
        except GuestError as e:
            if handler < 0:
                raise e
            pc = handler
            sp = handler_sp
            f.stack[sp] = e.value
            sp += 1
            f.depth = sp
            handler = -1

# The int a guest value stands for (tests read results through it): an Int's or a Bool's
# value, a string's length, -1 for anything else.
def int_value(o: Obj) -> int:
    if isinstance(o, Int):
        return (o as Int).value
    if isinstance(o, Bool):
        if (o as Bool).value:
            return 1
        return 0
    if isinstance(o, Str):
        return len((o as Str).value)
    return -1

# A digest of a frame's contents: its depth and its locals (unset ones count 7).
def digest(f: Frame) -> int:
    s = f.depth
    i = 0
    while i < len(f.locals):
        v = f.locals[i]
        if v is None:
            s = s * 31 + 7
        else:
            s = s * 31 + int_value(v)
        i += 1
    return s

# i = 0
# while i < n: i = i + 1
# return i
const COUNT = Code(name="count", ops="\x03\x00\x02\x01\x01\x01\x01\x00\x05\x06\x14\x01\x01\x03\x01\x04\x02\x01\x07\x04\x01\x01\x08", consts=[Int(value=0), Int(value=1)], names=[], nlocals=2, stacksize=2)

# def inc(x): return x + 1
const INC = Code(name="inc", ops="\x01\x00\x03\x00\x04\x08", consts=[Int(value=1)], names=[], nlocals=1, stacksize=2)

# inc = <function inc>
# i = 0; acc = 0
# while i < n:
#     acc = inc(acc) + i
#     i = i + 1
# return acc
const CALLS = Code(name="calls", ops="\x03\x02\x0a\x00\x03\x00\x02\x01\x03\x00\x02\x02\x01\x01\x01\x00\x05\x06\x27\x09\x00\x01\x02\x0b\x01\x01\x01\x04\x02\x02\x01\x01\x03\x01\x04\x02\x01\x07\x0c\x01\x02\x08", consts=[Int(value=0), Int(value=1), Function(code=INC)], names=["inc"], nlocals=3, stacksize=3)

# def add_to(self, x): return self.base + x
const ADD_TO = Code(name="add_to", ops="\x01\x00\x11\x00\x01\x01\x04\x08", consts=[], names=["base"], nlocals=2, stacksize=2)

const ACC = Class(name="Acc", fields=["base"], method_names=["add_to"], methods=[Function(code=ADD_TO)])

# class Acc: (a field `base`, a method `add_to`)
# obj = Acc(5)
# i = 0; s = 0
# while i < n:
#     s = s + obj.add_to(i)
#     i = i + 1
# return s
const METHODS = Code(name="methods", ops="\x03\x02\x0a\x01\x09\x01\x03\x03\x0b\x01\x02\x03\x03\x00\x02\x01\x03\x00\x02\x02\x01\x01\x01\x00\x05\x06\x2f\x01\x02\x01\x03\x01\x01\x0c\x00\x04\x02\x02\x01\x01\x03\x01\x04\x02\x01\x07\x14\x01\x02\x08", consts=[Int(value=0), Int(value=1), ACC, Int(value=5)], names=["add_to", "Acc"], nlocals=4, stacksize=3)

# i = 0; s = 0
# while i < n:
#     try: raise i
#     except e: s = e + s
#     i = i + 1
# return s
const EXCEPT = Code(name="except", ops="\x03\x00\x02\x01\x03\x00\x02\x02\x01\x01\x01\x00\x05\x06\x22\x0e\x14\x01\x01\x0d\x01\x02\x04\x02\x02\x01\x01\x03\x01\x04\x02\x01\x07\x08\x01\x02\x08", consts=[Int(value=0), Int(value=1)], names=[], nlocals=3, stacksize=2)

# x = 1; i = 0
# try:
#     while i < n: x = x + x; i = i + 1
#     return x
# except: return i            (the number of doublings before the overflow: 62)
const OVERFLOW = Code(name="overflow", ops="\x03\x01\x02\x01\x03\x00\x02\x02\x0e\x25\x01\x02\x01\x00\x05\x06\x21\x01\x01\x01\x01\x04\x02\x01\x01\x02\x03\x01\x04\x02\x02\x07\x0a\x0f\x01\x01\x08\x10\x01\x02\x08", consts=[Int(value=0), Int(value=1)], names=[], nlocals=3, stacksize=2)

# x = 1
# while True: x = x + x     (the guest OverflowError is not caught)
const UNCAUGHT = Code(name="uncaught", ops="\x03\x01\x02\x01\x01\x01\x01\x01\x04\x02\x01\x07\x04", consts=[Int(value=0), Int(value=1)], names=[], nlocals=2, stacksize=2)

# The example programs by number (for `rpy-ir run examples/pyvm/pyvm.rpy main PROGRAM N`).
def program(k: int) -> Code:
    if k == 0:
        return COUNT
    if k == 1:
        return CALLS
    if k == 2:
        return METHODS
    if k == 3:
        return EXCEPT
    if k == 4:
        return OVERFLOW
    return UNCAUGHT

# Runs example program `k` on `n` and returns its result as an int (`int_value`).
def main(k: int, n: int) -> int:
    code = program(k)
    return int_value(run(code, new_frame(code, n)))
