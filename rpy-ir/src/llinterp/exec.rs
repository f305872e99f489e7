//! The execution loop over compiled graphs.
//!
//! Invariants:
//! - Frames are contiguous in the value stack (a [`RootBuf`], scanned by the collector): a
//!   callee's registers start right after its caller's. The frame stack ([`Machine::frames`])
//!   holds only indices (no GC pointers), so it can be a plain `Vec`.
//! - `regs` always points at the current frame inside the value stack; whenever the value
//!   stack moves (it grows on a deep call) every raw pointer into it is re-derived.
//! - Nothing is allocated per op or per call except GC objects the program asks for, and the
//!   value stack / frame stack / `jit_hook` operand buffer when they grow (amortised).
//! - Register indices were validated at compile time, so the loop reads registers unchecked.

use super::compile::{
    Code, HookSite, Inst, SwitchTable, ARRAY_BYTE_ITEMS, ARRAY_CHAR_ITEMS, ARRAY_HAS_POINTERS,
    NO_OP,
};
use crate::gc::{self, RootBuf};
use crate::ir::{GraphIdx, OpIdx, Program};
use crate::layout::{self, Layout, ARRAY_ITEMS_OFFSET, ARRAY_LENGTH_OFFSET};
use crate::runtime::error::{
    error_message, RuntimeError, RuntimeErrorKind, DEFAULT_MAX_DEPTH, MAX_ARRAY_BYTES,
    MAX_STACK_WORDS,
};
use crate::runtime::RtValue;
use crate::types::Ty;
use cranelift_entity::EntityRef;

/// Most arguments an extern takes.
pub(super) const MAX_EXTERN_ARGS: usize = 8;

/// A suspended caller.
#[derive(Clone, Copy, Debug)]
pub(super) struct Frame {
    /// The caller's graph index.
    graph: u32,
    /// Where the caller resumes.
    ret_pc: u32,
    /// The caller's first register in the value stack.
    base: u32,
    /// The caller's register receiving the result.
    dst: u32,
}

/// The mutable state of an interpreter: value stack, frame stack, counters and limits.
pub(super) struct Machine {
    /// Every frame's registers; its length is its capacity (all words are usable).
    stack: RootBuf,
    /// Suspended callers, innermost last.
    frames: Vec<Frame>,
    /// IR ops executed.
    pub ops: u64,
    /// Limit on nested calls.
    pub max_depth: usize,
    /// Highest value-stack word used since the last reset.
    high_water: usize,
    /// The operands of a `jit_hook` call, reused from call to call. Not scanned by the
    /// collector: the same words stay in the caller's registers while the hook runs.
    hook_args: Vec<RtValue>,
    /// A tail call's arguments in transit (its frame overwrites the caller's registers). Not
    /// scanned: nothing allocates while they are here.
    tail_args: Vec<u64>,
}

/// The read-only state shared by every call.
pub(super) struct Shared<'a> {
    pub program: &'a Program,
    pub layout: &'a Layout,
    pub codes: &'a [Code],
    pub externs: &'a [fn(&[u64]) -> u64],
    /// The JIT called by `jit_hook` ops, if one is installed.
    pub jit_hook: Option<&'a super::JitHookFn<'a>>,
}

impl Machine {
    pub(super) fn new(words: usize) -> Machine {
        let mut stack = RootBuf::with_capacity(words);
        stack.resize(words);
        Machine {
            stack,
            frames: Vec::with_capacity(64),
            ops: 0,
            max_depth: DEFAULT_MAX_DEPTH,
            high_water: 0,
            hook_args: Vec::new(),
            tail_args: Vec::new(),
        }
    }

    /// Forgets every frame, clears the registers used (so stale pointers keep nothing alive)
    /// and gives back the memory of a deep recursion.
    pub(super) fn reset(&mut self, initial_words: usize) {
        self.frames.clear();
        if self.stack.len() > 16 * initial_words {
            self.stack = RootBuf::with_capacity(initial_words);
            self.stack.resize(initial_words);
        } else {
            let used = self.high_water.min(self.stack.len());
            self.stack.as_mut_slice()[..used].fill(0);
        }
        self.high_water = 0;
    }

    /// Grows the value stack to hold at least `need` words.
    #[cold]
    fn grow(&mut self, need: usize) {
        let new = need.max(self.stack.len() * 2).min(MAX_STACK_WORDS.max(need));
        self.stack.resize(new);
    }
}

/// Runs graph `entry` in a fresh frame at the bottom of the value stack; `set_args` writes the
/// arguments into the frame given its registers and the parameter registers.
pub(super) fn call(
    sh: &Shared<'_>,
    m: &mut Machine,
    entry: usize,
    set_args: impl FnOnce(*mut u64, &[u32]),
) -> Result<u64, RuntimeError> {
    // Normally empty already; not after a panic (in an extern) unwound through a call.
    m.frames.clear();
    let code = &sh.codes[entry];
    let need = code.nregs as usize;
    if need > m.stack.len() {
        if need > MAX_STACK_WORDS {
            return Err(error(sh, m, entry, usize::MAX, RuntimeErrorKind::StackOverflow, 0, 0));
        }
        m.grow(need);
    }
    m.high_water = need;
    let regs = m.stack.as_mut_ptr();
    // SAFETY: the stack holds `nregs` words for the frame.
    unsafe {
        std::ptr::copy_nonoverlapping(
            code.consts.as_ptr(),
            regs.add(code.const_base as usize),
            code.consts.len(),
        );
    }
    set_args(regs, &code.params);
    // SAFETY: the frame is set up; `run` keeps every pointer in bounds (see the invariants).
    unsafe { run(sh, m, entry) }
}

/// The interpreter loop.
///
/// # Safety
/// The frame of `entry` must be set up at the bottom of the value stack.
unsafe fn run(sh: &Shared<'_>, m: &mut Machine, entry: usize) -> Result<u64, RuntimeError> {
    let codes = sh.codes;
    let mut gi = entry;
    let mut code: &Code = &codes[gi];
    let mut insts: *const Inst = code.insts.as_ptr();
    let mut base = 0usize;
    let mut stack: *mut u64 = m.stack.as_mut_ptr();
    let mut regs: *mut u64 = stack;
    let mut pc = 0usize;
    let mut ops = 0u64;

    macro_rules! r {
        ($x:expr) => {
            *regs.add($x as usize)
        };
    }
    macro_rules! fail {
        ($kind:expr, $a:expr, $b:expr) => {{
            m.ops += ops;
            let e = error(sh, m, gi, pc - 1, $kind, $a as i64, $b as i64);
            return Err(e);
        }};
    }
    macro_rules! int_bin {
        ($d:expr, $a:expr, $b:expr, $f:expr) => {{
            let f: fn(i64, i64) -> i64 = $f;
            r!($d) = f(r!($a) as i64, r!($b) as i64) as u64;
        }};
    }
    macro_rules! cmp {
        ($d:expr, $a:expr, $b:expr, $op:tt) => {
            r!($d) = ((r!($a) as i64) $op (r!($b) as i64)) as u64
        };
    }
    macro_rules! fbin {
        ($d:expr, $a:expr, $b:expr, $op:tt) => {
            r!($d) = (f64::from_bits(r!($a)) $op f64::from_bits(r!($b))).to_bits()
        };
    }
    macro_rules! fcmp {
        ($d:expr, $a:expr, $b:expr, $op:tt) => {
            r!($d) = (f64::from_bits(r!($a)) $op f64::from_bits(r!($b))) as u64
        };
    }
    // Enters graph `target` from a call whose result goes to register `d` (`off`: its operand
    // list): checks the depth and stack limits, grows the value stack, pushes the frame.
    macro_rules! call_into {
        ($d:expr, $target:expr, $off:expr) => {{
            let target: usize = $target;
            let callee_code = &codes[target];
            let new_base = base + code.nregs as usize;
            let need = new_base + callee_code.nregs as usize;
            if m.frames.len() + 1 >= m.max_depth || need > MAX_STACK_WORDS {
                fail!(RuntimeErrorKind::StackOverflow, m.frames.len() + 1, need);
            }
            reserve!(need);
            let new_regs = stack.add(new_base);
            enter(code, callee_code, $off, regs, new_regs);
            m.frames.push(Frame {
                graph: gi as u32,
                ret_pc: pc as u32,
                base: base as u32,
                dst: $d,
            });
            gi = target;
            code = callee_code;
            insts = code.insts.as_ptr();
            base = new_base;
            regs = new_regs;
            pc = 0;
        }};
    }
    macro_rules! object {
        ($reg:expr) => {{
            let p = r!($reg) as usize as *mut u8;
            if p.is_null() {
                fail!(RuntimeErrorKind::NullDereference, 0, 0);
            }
            p
        }};
    }
    // The address of item `index` of the array in register `arr`, bounds-checked.
    macro_rules! item {
        ($arr:expr, $index:expr, $size:expr) => {{
            let p = object!($arr);
            let len = *(p.add(ARRAY_LENGTH_OFFSET) as *const u64);
            let i = r!($index);
            if i >= len {
                fail!(RuntimeErrorKind::IndexOutOfBounds, i, len);
            }
            p.add(ARRAY_ITEMS_OFFSET + $size * i as usize)
        }};
    }
    // Makes the value stack at least `need` words (it may move: `stack` and `regs` follow).
    macro_rules! reserve {
        ($need:expr) => {{
            let need: usize = $need;
            if need > m.stack.len() {
                m.grow(need);
                stack = m.stack.as_mut_ptr();
                regs = stack.add(base);
            }
            m.high_water = m.high_water.max(need);
        }};
    }
    // Ends a block of `n` ops by jumping to `t` if `cond` holds, else to `f`.
    macro_rules! branch {
        ($n:expr, $cond:expr, $t:expr, $f:expr) => {{
            ops += $n as u64;
            pc = if $cond { $t } else { $f } as usize;
        }};
    }
    // Returns `value` from the current frame: to the caller's frame, or out of the run.
    macro_rules! ret {
        ($value:expr) => {{
            let value: u64 = $value;
            match m.frames.pop() {
                None => {
                    m.ops += ops;
                    return Ok(value);
                }
                Some(f) => {
                    gi = f.graph as usize;
                    code = &codes[gi];
                    insts = code.insts.as_ptr();
                    base = f.base as usize;
                    regs = stack.add(base);
                    pc = f.ret_pc as usize;
                    r!(f.dst) = value;
                }
            }
        }};
    }
    // The divisor in register `b` of a division of register `a`, checked for zero.
    macro_rules! divisor {
        ($a:expr, $b:expr) => {{
            let (x, y) = (r!($a) as i64, r!($b) as i64);
            if y == 0 {
                fail!(RuntimeErrorKind::DivisionByZero, x, y);
            }
            (x, y)
        }};
    }
    // The shift count in register `b` of a shift of register `a`, checked for sign.
    macro_rules! shift_count {
        ($a:expr, $b:expr) => {{
            let c = r!($b) as i64;
            if c < 0 {
                fail!(RuntimeErrorKind::NegativeShift, r!($a), c);
            }
            c
        }};
    }

    loop {
        debug_assert!(pc < code.insts.len());
        let inst = *insts.add(pc);
        pc += 1;
        match inst {
            Inst::IntAdd(d, a, b) => r!(d) = r!(a).wrapping_add(r!(b)),
            Inst::IntSub(d, a, b) => r!(d) = r!(a).wrapping_sub(r!(b)),
            Inst::IntMul(d, a, b) => r!(d) = r!(a).wrapping_mul(r!(b)),
            Inst::IntFloorDiv(d, a, b) => {
                let (x, y) = divisor!(a, b);
                r!(d) = floordiv(x, y) as u64;
            }
            Inst::IntMod(d, a, b) => {
                let (x, y) = divisor!(a, b);
                r!(d) = modulo(x, y) as u64;
            }
            Inst::IntAnd(d, a, b) => r!(d) = r!(a) & r!(b),
            Inst::IntOr(d, a, b) => r!(d) = r!(a) | r!(b),
            Inst::IntXor(d, a, b) => r!(d) = r!(a) ^ r!(b),
            Inst::IntLshift(d, a, b) => {
                let c = shift_count!(a, b);
                r!(d) = if c >= 64 { 0 } else { r!(a) << c };
            }
            Inst::IntRshift(d, a, b) => {
                shift_count!(a, b);
                int_bin!(d, a, b, |x, c| x >> c.min(63));
            }
            Inst::IntLt(d, a, b) => cmp!(d, a, b, <),
            Inst::IntLe(d, a, b) => cmp!(d, a, b, <=),
            Inst::IntEq(d, a, b) => r!(d) = (r!(a) == r!(b)) as u64,
            Inst::IntNe(d, a, b) => r!(d) = (r!(a) != r!(b)) as u64,
            Inst::IntGt(d, a, b) => cmp!(d, a, b, >),
            Inst::IntGe(d, a, b) => cmp!(d, a, b, >=),
            Inst::IntNeg(d, a) => r!(d) = r!(a).wrapping_neg(),
            Inst::IntAddOvf(d, a, b) => {
                r!(d) = (r!(a) as i64).checked_add(r!(b) as i64).is_none() as u64
            }
            Inst::IntSubOvf(d, a, b) => {
                r!(d) = (r!(a) as i64).checked_sub(r!(b) as i64).is_none() as u64
            }
            Inst::IntMulOvf(d, a, b) => {
                r!(d) = (r!(a) as i64).checked_mul(r!(b) as i64).is_none() as u64
            }
            Inst::IntLshiftOvf(d, a, b) => {
                r!(d) = crate::fold::int_lshift_ovf(r!(a) as i64, r!(b) as i64) as u64
            }
            Inst::IntNegOvf(d, a) => r!(d) = (r!(a) as i64 == i64::MIN) as u64,
            Inst::IntInvert(d, a) => r!(d) = !r!(a),
            Inst::FloatAdd(d, a, b) => fbin!(d, a, b, +),
            Inst::FloatSub(d, a, b) => fbin!(d, a, b, -),
            Inst::FloatMul(d, a, b) => fbin!(d, a, b, *),
            Inst::FloatTrueDiv(d, a, b) => fbin!(d, a, b, /),
            Inst::FloatNeg(d, a) => r!(d) = (-f64::from_bits(r!(a))).to_bits(),
            Inst::FloatLt(d, a, b) => fcmp!(d, a, b, <),
            Inst::FloatLe(d, a, b) => fcmp!(d, a, b, <=),
            Inst::FloatEq(d, a, b) => fcmp!(d, a, b, ==),
            Inst::FloatNe(d, a, b) => fcmp!(d, a, b, !=),
            Inst::FloatGt(d, a, b) => fcmp!(d, a, b, >),
            Inst::FloatGe(d, a, b) => fcmp!(d, a, b, >=),
            Inst::CastIntToFloat(d, a) => r!(d) = (r!(a) as i64 as f64).to_bits(),
            // `as` saturates and maps NaN to 0: exactly the op's definition.
            Inst::CastFloatToInt(d, a) => r!(d) = f64::from_bits(r!(a)) as i64 as u64,
            Inst::CastIntToChar(d, a) => {
                let v = r!(a);
                if u32::try_from(v).ok().and_then(char::from_u32).is_none() {
                    fail!(RuntimeErrorKind::InvalidChr, v, 0);
                }
                r!(d) = v;
            }
            Inst::BoolNot(d, a) => r!(d) = r!(a) ^ 1,
            Inst::PtrIsNull(d, a) => r!(d) = (r!(a) == 0) as u64,
            Inst::PtrNonNull(d, a) => r!(d) = (r!(a) != 0) as u64,
            Inst::Move(d, a) => r!(d) = r!(a),
            Inst::Malloc(d, tag, size) => {
                let p = gc::alloc_registered(size as usize, true);
                if p.is_null() {
                    fail!(RuntimeErrorKind::OutOfMemory, size, 0);
                }
                *(p as *mut u64) = tag as u64;
                r!(d) = p as usize as u64;
            }
            Inst::MallocArray(d, l, tag, flags) => {
                let len = r!(l) as i64;
                if len < 0 {
                    fail!(RuntimeErrorKind::NegativeLength, len, 0);
                }
                let item = if flags & ARRAY_BYTE_ITEMS != 0 {
                    1
                } else if flags & ARRAY_CHAR_ITEMS != 0 {
                    layout::CHAR_SIZE
                } else {
                    8
                };
                let size = match layout::array_size_for(item, len) {
                    Some(s) if s <= MAX_ARRAY_BYTES => s,
                    _ => fail!(RuntimeErrorKind::OutOfMemory, len, 0),
                };
                let p = gc::alloc_registered(size, flags & ARRAY_HAS_POINTERS != 0);
                if p.is_null() {
                    fail!(RuntimeErrorKind::OutOfMemory, len, 0);
                }
                *(p as *mut u64) = tag as u64;
                *(p.add(ARRAY_LENGTH_OFFSET) as *mut i64) = len;
                r!(d) = p as usize as u64;
            }
            Inst::GetField(d, o, off) => {
                let p = object!(o);
                r!(d) = *(p.add(off as usize) as *const u64);
            }
            Inst::SetField(o, off, v) => {
                let p = object!(o);
                *(p.add(off as usize) as *mut u64) = r!(v);
            }
            Inst::GetItemW(d, arr, i) => {
                let at = item!(arr, i, 8);
                r!(d) = *(at as *const u64);
            }
            Inst::GetItemB(d, arr, i) => {
                let at = item!(arr, i, 1);
                r!(d) = *at as u64;
            }
            Inst::SetItemW(arr, i, v) => {
                let at = item!(arr, i, 8);
                *(at as *mut u64) = r!(v);
            }
            Inst::SetItemB(arr, i, v) => {
                let at = item!(arr, i, 1);
                *at = r!(v) as u8;
            }
            Inst::GetItemC(d, arr, i) => {
                let at = item!(arr, i, 4);
                r!(d) = *(at as *const u32) as u64;
            }
            Inst::SetItemC(arr, i, v) => {
                let at = item!(arr, i, 4);
                *(at as *mut u32) = r!(v) as u32;
            }
            Inst::ArrayLen(d, a) => {
                let p = object!(a);
                r!(d) = *(p.add(ARRAY_LENGTH_OFFSET) as *const u64);
            }
            Inst::TypeOf(d, a) => {
                let p = object!(a);
                r!(d) = *(p as *const u64);
            }
            Inst::InstanceOf(d, a, lo, hi) => {
                let p = r!(a) as usize as *const u64;
                r!(d) = (!p.is_null() && (lo as u64..=hi as u64).contains(&*p)) as u64;
            }
            Inst::Cast(d, a, lo, hi) => {
                let p = r!(a) as usize as *const u64;
                if !p.is_null() && !(lo as u64..=hi as u64).contains(&*p) {
                    fail!(RuntimeErrorKind::BadCast, *p, 0);
                }
                r!(d) = p as usize as u64;
            }
            Inst::Call(d, callee, off) => call_into!(d, callee as usize, off),
            Inst::TailCall(callee, off, n) => {
                ops += n as u64;
                let target = callee as usize;
                let callee_code = &codes[target];
                let need = base + callee_code.nregs as usize;
                if need > MAX_STACK_WORDS {
                    fail!(RuntimeErrorKind::StackOverflow, m.frames.len() + 1, need);
                }
                let list = code.operands.as_ptr().add(off as usize);
                let k = *list as usize;
                m.tail_args.clear();
                for i in 0..k {
                    m.tail_args.push(r!(*list.add(1 + i)));
                }
                reserve!(need);
                let tail_args = m.tail_args.as_ptr();
                bind_frame(callee_code, regs, k, |i| *tail_args.add(i));
                gi = target;
                code = callee_code;
                insts = code.insts.as_ptr();
                pc = 0;
            }
            Inst::CallIndirect(d, f, off) => {
                let fw = r!(f);
                if fw == 0 {
                    fail!(RuntimeErrorKind::NullDereference, 0, 0);
                }
                call_into!(d, fw as usize - 1, off);
            }
            Inst::CallExtern(d, ext, off) => {
                let list = code.operands.as_ptr().add(off as usize);
                let n = *list as usize;
                // The arguments are copied to this (registered) thread's stack, which the
                // collector scans, and stay in the caller's registers too.
                let mut args = [0u64; MAX_EXTERN_ARGS];
                for (i, slot) in args.iter_mut().enumerate().take(n) {
                    *slot = r!(*list.add(1 + i));
                }
                let f = *sh.externs.get_unchecked(ext as usize);
                r!(d) = f(&args[..n]);
            }
            Inst::JitHook(d, site) => {
                // The operands are handed to the hook as values copied out of this frame's
                // registers, where they stay (the value stack is scanned by the collector and
                // untouched while the hook runs: other interpreters have their own), so every
                // object passed stays alive for the whole call.
                let site = code.hooks.get_unchecked(site as usize);
                match call_hook(sh, &mut m.hook_args, site, regs) {
                    Ok(w) => r!(d) = w,
                    Err(None) => fail!(RuntimeErrorKind::JitHookMissing, site.id, 0),
                    Err(Some(e)) => {
                        m.ops += ops;
                        m.frames.clear();
                        return Err(e);
                    }
                }
            }
            Inst::Jump(t, n) => {
                ops += n as u64;
                pc = t as usize;
            }
            Inst::JumpMoves(t, off, n) => {
                ops += n as u64;
                let list = code.operands.as_ptr().add(off as usize);
                let k = *list as usize;
                for i in 0..k {
                    let (d, s) = (*list.add(1 + 2 * i), *list.add(2 + 2 * i));
                    r!(d) = r!(s);
                }
                pc = t as usize;
            }
            Inst::BrLt(n, a, b, t, f) => branch!(n, (r!(a) as i64) < (r!(b) as i64), t, f),
            Inst::BrLe(n, a, b, t, f) => branch!(n, (r!(a) as i64) <= (r!(b) as i64), t, f),
            Inst::BrEq(n, a, b, t, f) => branch!(n, r!(a) == r!(b), t, f),
            Inst::BrNe(n, a, b, t, f) => branch!(n, r!(a) != r!(b), t, f),
            Inst::Branch(c, t, f, n) => branch!(n, r!(c) != 0, t, f),
            Inst::Switch(v, table, n) => {
                ops += n as u64;
                let table: &SwitchTable = code.switches.get_unchecked(table as usize);
                pc = table.target(r!(v) as i64) as usize;
            }
            Inst::Ret(v, n) => {
                ops += n as u64;
                ret!(r!(v));
            }
            Inst::RetVoid(n) => {
                ops += n as u64;
                ret!(0);
            }
        }
    }
}

/// Sets up a callee's frame: arguments from the caller's registers, then the constants.
///
/// # Safety
/// `regs` is the caller's frame, `new_regs` room for the callee's; `off` indexes a call's
/// operand list in `caller`.
#[inline(always)]
unsafe fn enter(caller: &Code, callee: &Code, off: u32, regs: *mut u64, new_regs: *mut u64) {
    let list = caller.operands.as_ptr().add(off as usize);
    let n = *list as usize;
    bind_frame(callee, new_regs, n, |i| *regs.add(*list.add(1 + i) as usize));
}

/// Fills a callee's frame: argument `i` (of `n`, from `arg(i)`) into the `i`th parameter
/// register, then the constants.
///
/// # Safety
/// `regs` has room for `callee`'s registers, and `arg` may be called for every `i < n`.
#[inline(always)]
unsafe fn bind_frame(callee: &Code, regs: *mut u64, n: usize, arg: impl Fn(usize) -> u64) {
    let params = callee.params.as_ptr();
    for i in 0..n {
        *regs.add(*params.add(i) as usize) = arg(i);
    }
    std::ptr::copy_nonoverlapping(
        callee.consts.as_ptr(),
        regs.add(callee.const_base as usize),
        callee.consts.len(),
    );
}

/// Calls the JIT hook for `site` with the operands read from `regs`, and returns the result
/// word; `Err(None)` when no hook is installed, `Err(Some(e))` when the hook fails. Panics if
/// the hook answers with a value of another type than the op's result.
///
/// # Safety
/// `regs` is the frame of the graph `site` belongs to.
#[cold]
#[inline(never)]
unsafe fn call_hook(
    sh: &Shared<'_>,
    args: &mut Vec<RtValue>,
    site: &HookSite,
    regs: *const u64,
) -> Result<u64, Option<RuntimeError>> {
    let hook = sh.jit_hook.ok_or(None)?;
    args.clear();
    args.extend(site.args.iter().map(|&(r, ty)| super::decode(*regs.add(r as usize), ty)));
    let result = hook(site.id, args);
    args.clear();
    let value = result.map_err(Some)?;
    match (value, site.ret) {
        (_, Ty::Void) => Ok(0),
        // A null function pointer reads back as a null `Ref` (see `RtValue::from_word`).
        (RtValue::Ref(p), Ty::Func(_)) if p.is_null() => Ok(0),
        (v, ty) if v.fits(ty) => Ok(v.to_word(super::compile::func_word)),
        (v, ty) => panic!(
            "jit_hook #{} returned {v:?} for a result of type {}",
            site.id,
            sh.program.types.display(ty)
        ),
    }
}

/// Python's `//` for a non-zero divisor; `MIN // -1` wraps to `MIN`.
#[inline]
pub(super) fn floordiv(x: i64, y: i64) -> i64 {
    if y == -1 {
        return x.wrapping_neg();
    }
    let q = x / y;
    if x % y != 0 && (x ^ y) < 0 {
        q - 1
    } else {
        q
    }
}

/// Python's `%` for a non-zero divisor (the sign of the divisor); `MIN % -1` is 0.
#[inline]
pub(super) fn modulo(x: i64, y: i64) -> i64 {
    if y == -1 {
        return 0;
    }
    let r = x % y;
    if r != 0 && (r ^ y) < 0 {
        r + y
    } else {
        r
    }
}

/// Builds the error for the instruction at `pc` of graph `gi` (`usize::MAX`: the graph's entry).
#[cold]
#[inline(never)]
fn error(
    sh: &Shared<'_>,
    m: &mut Machine,
    gi: usize,
    pc: usize,
    kind: RuntimeErrorKind,
    a: i64,
    b: i64,
) -> RuntimeError {
    m.frames.clear();
    let graph = &sh.program.graphs[GraphIdx::new(gi)];
    let origin = sh.codes[gi].origins.get(pc).copied().unwrap_or(NO_OP);
    let op = (origin != NO_OP).then(|| &graph.ops[OpIdx::new(origin as usize)]);
    let span = op.map_or(graph.span, |op| op.span);
    let message = error_message(sh.program, sh.layout, kind, op, a, b, m.max_depth);
    RuntimeError { kind, span, message, graph: graph.name.clone() }
}
