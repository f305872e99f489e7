//! A stand-in for the JIT, shared by the flexswitch tests and benchmark: it compiles owners
//! (functions whose body is a flexswitch site) and cases (functions computing
//! `value * 1000 + sum of (i + 1) * live value i`) as tiny LLVM functions, each into a new
//! module of one ORC session, as the JIT will compile residual graphs.
//!
//! Contribution of a live value by type: ints as they are, floats times 16 truncated to an int,
//! pointers the i64 they point to, bools and chars zero-extended. Results: an int is the
//! sum; a float is the sum as a float divided by 4; void stores the sum at a given address.

#![allow(dead_code)]

use backend_llvm::flexswitch::{build_site, CaseCall, Site};
use backend_llvm::lower::llvm_type;
use backend_llvm::session::Session;
use backend_llvm::target::{self, OptLevel};
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::module::Module;
use inkwell::targets::TargetMachine;
use inkwell::types::{BasicMetadataTypeEnum, BasicType, BasicTypeEnum};
use inkwell::values::{BasicValueEnum, FunctionValue, IntValue};
use inkwell::AddressSpace;
use rpy_ir::runtime::RtValue;
use rpy_ir::types::{Sig, Ty};
use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// The session every test JIT compiles into, and how.
pub struct Jit {
    pub session: Rc<Session>,
    pub opt: OptLevel,
    counter: Cell<usize>,
    machine: TargetMachine,
    /// Time spent compiling cases (LLVM IR, code generation, linking).
    pub case_time: Cell<Duration>,
}

/// A GC pointer type for signatures (heap type 0; only the address matters here).
pub fn ref_ty() -> Ty {
    Ty::Ref(rpy_ir::types::HeapTypeIdx::from_u32(0))
}

impl Jit {
    pub fn new(opt: OptLevel) -> Jit {
        Jit {
            session: Rc::new(Session::new().unwrap()),
            opt,
            counter: Cell::new(0),
            machine: target::host_machine(opt),
            case_time: Cell::new(Duration::ZERO),
        }
    }

    /// Compiles one function `build` defines (named as given) in a new module; its address.
    pub fn compile(
        &self,
        prefix: &str,
        build: impl for<'c> FnOnce(&'c Context, &Module<'c>, &str),
    ) -> usize {
        let n = self.counter.get();
        self.counter.set(n + 1);
        let name = format!("{prefix}.{n}");
        let llcx = Context::create();
        let module = llcx.create_module(&name);
        let machine = &self.machine;
        target::configure_module(&module, machine);
        build(&llcx, &module, &name);
        module.verify().unwrap_or_else(|e| panic!("{}\n{e}", module.print_to_string()));
        target::optimise(&module, machine, self.opt).unwrap();
        let object = target::emit_object(&module, machine).unwrap();
        self.session.add_object(&object, &name).unwrap();
        self.session.lookup(&name).unwrap()
    }

    /// The case of `value` for switches of signature `sig`.
    pub fn case(&self, value: i64, sig: &Sig) -> usize {
        self.case_with(value, sig, 0)
    }

    /// The case of `value`; a void case stores its result at `store_at`.
    pub fn case_with(&self, value: i64, sig: &Sig, store_at: usize) -> usize {
        let start = Instant::now();
        let sig = sig.clone();
        let addr = self.compile("case", move |llcx, module, name| {
            let f = module.add_function(name, fn_type(llcx, &sig.params, sig.ret), None);
            let b = llcx.create_builder();
            b.position_at_end(llcx.append_basic_block(f, "entry"));
            let params: Vec<BasicValueEnum> = f.get_param_iter().collect();
            let sum = weighted_sum(llcx, &b, value, &sig.params, &params);
            ret_sum(llcx, &b, sum, sig.ret, store_at);
        });
        self.case_time.set(self.case_time.get() + start.elapsed());
        addr
    }

    /// An owner: `owner(i64 value, live...) -> result` whose body is the site of `site`'s
    /// switch (bools and chars arrive as i64 and are truncated first). With `report_failed`
    /// it returns the site's failure flag (as an i64) instead of the result.
    pub fn owner(&self, site: &Site, report_failed: bool) -> usize {
        let site = site.clone();
        self.compile("owner", move |llcx, module, name| {
            let wide: Vec<Ty> = site
                .sig
                .params
                .iter()
                .map(|&t| if matches!(t, Ty::Bool | Ty::Char) { Ty::Int } else { t })
                .collect();
            let mut params = vec![Ty::Int];
            params.extend(wide);
            let ret = if report_failed { Ty::Int } else { site.sig.ret };
            let f = module.add_function(name, fn_type(llcx, &params, ret), None);
            let b = llcx.create_builder();
            b.position_at_end(llcx.append_basic_block(f, "entry"));
            let value = f.get_nth_param(0).unwrap().into_int_value();
            let live = narrow_live(llcx, &b, f, &site.sig.params);
            let code = build_site(llcx, &b, &site, value, &live, CaseCall::Plain).unwrap();
            if report_failed {
                let flag = b.build_int_z_extend(code.failed, llcx.i64_type(), "").unwrap();
                b.build_return(Some(&flag)).unwrap();
            } else {
                match code.result {
                    Some(r) => b.build_return(Some(&r)).unwrap(),
                    None => b.build_return(None).unwrap(),
                };
            }
        })
    }
}

/// The function type with these parameter and result types.
pub fn fn_type<'c>(llcx: &'c Context, params: &[Ty], ret: Ty) -> inkwell::types::FunctionType<'c> {
    let ps: Vec<BasicMetadataTypeEnum> =
        params.iter().map(|&t| llvm_type(llcx, t).unwrap().into()).collect();
    match llvm_type(llcx, ret) {
        Some(r) => r.fn_type(&ps, false),
        None => llcx.void_type().fn_type(&ps, false),
    }
}

/// Parameters 1.. of `f`, bools and chars truncated from i64 to their types.
fn narrow_live<'c>(
    llcx: &'c Context,
    b: &Builder<'c>,
    f: FunctionValue<'c>,
    tys: &[Ty],
) -> Vec<BasicValueEnum<'c>> {
    tys.iter()
        .enumerate()
        .map(|(i, &t)| {
            let p = f.get_nth_param(i as u32 + 1).unwrap();
            match llvm_type(llcx, t).unwrap() {
                BasicTypeEnum::IntType(it) if it.get_bit_width() < 64 => {
                    b.build_int_truncate(p.into_int_value(), it, "").unwrap().into()
                }
                _ => p,
            }
        })
        .collect()
}

/// `value * 1000 + sum of (i + 1) * contribution(live i)`, wrapping.
pub fn weighted_sum<'c>(
    llcx: &'c Context,
    b: &Builder<'c>,
    value: i64,
    tys: &[Ty],
    live: &[BasicValueEnum<'c>],
) -> IntValue<'c> {
    let i64t = llcx.i64_type();
    let mut sum = i64t.const_int(value.wrapping_mul(1000) as u64, true);
    for (i, (&t, &v)) in tys.iter().zip(live).enumerate() {
        let c = match t {
            Ty::Int => v.into_int_value(),
            Ty::Bool | Ty::Char => b.build_int_z_extend(v.into_int_value(), i64t, "").unwrap(),
            Ty::Float => {
                let x = b
                    .build_float_mul(v.into_float_value(), llcx.f64_type().const_float(16.0), "")
                    .unwrap();
                b.build_float_to_signed_int(x, i64t, "").unwrap()
            }
            Ty::Ref(_) | Ty::Func(_) => {
                b.build_load(i64t, v.into_pointer_value(), "").unwrap().into_int_value()
            }
            Ty::Void => unreachable!(),
        };
        let w = b.build_int_mul(c, i64t.const_int(i as u64 + 1, false), "").unwrap();
        sum = b.build_int_add(sum, w, "").unwrap();
    }
    sum
}

fn ret_sum<'c>(llcx: &'c Context, b: &Builder<'c>, sum: IntValue<'c>, ret: Ty, store_at: usize) {
    match ret {
        Ty::Int => {
            b.build_return(Some(&sum)).unwrap();
        }
        Ty::Float => {
            let f = b.build_signed_int_to_float(sum, llcx.f64_type(), "").unwrap();
            let q = b.build_float_div(f, llcx.f64_type().const_float(4.0), "").unwrap();
            b.build_return(Some(&q)).unwrap();
        }
        Ty::Void => {
            let ptr = llcx.ptr_type(AddressSpace::default());
            let at = llcx.i64_type().const_int(store_at as u64, false).const_to_pointer(ptr);
            b.build_store(at, sum).unwrap();
            b.build_return(None).unwrap();
        }
        other => panic!("no test cases return {other:?}"),
    }
}

/// What a case computes, from the live values as llinterp values.
pub fn expected(value: i64, live: &[RtValue]) -> i64 {
    let mut sum = value.wrapping_mul(1000);
    for (i, v) in live.iter().enumerate() {
        let c = match *v {
            RtValue::Int(x) => x,
            RtValue::Bool(x) => x as i64,
            RtValue::Char(x) => u32::from(x) as i64,
            RtValue::Float(x) => (x * 16.0) as i64,
            // SAFETY: the tests pass pointers to live i64s.
            RtValue::Ref(p) => unsafe { *(p as *const i64) },
            ref other => panic!("{other:?}"),
        };
        sum = sum.wrapping_add(c.wrapping_mul(i as i64 + 1));
    }
    sum
}

/// An argument list of `n` calls cycling through `values` in a scrambled order.
pub fn value_sequence(values: &[i64], n: usize) -> Vec<i64> {
    (0..n).map(|i| values[(i * 7 + i / values.len()) % values.len()]).collect()
}
