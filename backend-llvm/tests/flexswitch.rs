//! The flexswitch runtime, with a Rust handler standing in for the JIT (it compiles each case
//! as a tiny LLVM function in a new module of the same session, see `support/flexjit.rs`):
//! one callback per distinct value and none once warm, live values of every type intact,
//! right results, in both designs (case table, rewritten dispatchers) and the policy between
//! them; dispatchers freed while case frames are live; misses that finish or fail.

#[path = "support/flexjit.rs"]
mod flexjit;

use backend_llvm::flexswitch::{
    build_site, CaseCall, FlexError, FlexOptions, FlexRuntime, Miss, MissAction, Policy, Retire,
};
use backend_llvm::lower::llvm_type;
use backend_llvm::OptLevel;
use flexjit::{expected, fn_type, ref_ty, value_sequence, Jit};
use inkwell::IntPredicate;
use rpy_ir::runtime::RtValue;
use rpy_ir::types::{Sig, Ty};
use std::cell::{Cell, RefCell};

/// The designs: (a) the table only, (b) a rewrite at every new case, and the default policy
/// (table, then a rewrite once settled) with a small threshold.
const POLICIES: [Policy; 3] = [Policy::Table, Policy::Rewrite, Policy::Settle { hits: 20 }];

const VALUES: [i64; 9] = [5, -3, 0, 17, 1 << 40, 8, 2, 9, i64::MIN];

fn runtime(jit: &Jit, policy: Policy, retire: Retire) -> FlexRuntime {
    FlexRuntime::new(
        jit.session.clone(),
        FlexOptions { policy, opt: OptLevel::O0, retire, log: false },
    )
}

fn int_sig(n: usize) -> Sig {
    Sig { params: vec![Ty::Int; n], ret: Ty::Int }
}

/// A handler compiling the case of each value it is asked for, counting its calls.
fn compiling_handler<'a>(
    jit: &'a Jit,
    calls: &'a RefCell<Vec<i64>>,
) -> impl Fn(&Miss<'_>) -> Result<MissAction, String> + 'a {
    move |m: &Miss<'_>| {
        calls.borrow_mut().push(m.value);
        Ok(MissAction::Continue(jit.case(m.value, m.sig)))
    }
}

fn refuse(m: &Miss<'_>) -> Result<MissAction, String> {
    panic!("no callback expected once warm, got {} value {}", m.switch, m.value)
}

#[test]
fn one_callback_per_distinct_value_and_none_once_warm() {
    let designs = POLICIES.iter().flat_map(|&p| [(p, OptLevel::O0), (p, OptLevel::O2)]);
    for (policy, opt) in designs.filter(|&(p, o)| p != Policy::Table || o == OptLevel::O0) {
        let jit = Jit::new(OptLevel::O0);
        let flex = FlexRuntime::new(
            jit.session.clone(),
            FlexOptions { policy, opt, retire: Retire::Free, log: false },
        );
        let id = flex.create(int_sig(2), 0);
        let owner: extern "C" fn(i64, i64, i64) -> i64 =
            // SAFETY: built as owner(i64 value, i64, i64) -> i64.
            unsafe { std::mem::transmute(jit.owner(&flex.site(id), false)) };
        let calls = RefCell::new(Vec::new());
        let handler = compiling_handler(&jit, &calls);
        let seq = value_sequence(&VALUES, 2000);
        let run = |round: i64| {
            for (i, &v) in seq.iter().enumerate() {
                let (a, b) = (i as i64 * round, -3 * i as i64);
                let want = expected(v, &[RtValue::Int(a), RtValue::Int(b)]);
                assert_eq!(owner(v, a, b), want, "{policy:?}: value {v}, call {i}");
            }
        };
        flex.with_handler(&handler, || run(1));
        let mut seen = calls.borrow().clone();
        seen.sort();
        let mut want = VALUES.to_vec();
        want.sort();
        assert_eq!(seen, want, "{policy:?}: one callback per distinct value");
        flex.with_handler(&refuse, || run(2));
        let warm = flex.stats(id);
        flex.with_handler(&refuse, || run(3));
        let stats = flex.stats(id);
        assert_eq!(stats.cases, 9);
        assert_eq!(stats.handler_calls, 9);
        assert!(flex.take_errors().is_empty());
        match policy {
            Policy::Table => {
                assert_eq!(stats.rewrites, 0);
                assert_eq!(stats.table_hits, 3 * 2000 - 9);
            }
            Policy::Rewrite => {
                assert_eq!((stats.rewrites, stats.freed, stats.inline_cases), (9, 8, 9));
                assert_eq!(stats.table_hits, 0, "every call after a miss goes through the switch");
            }
            Policy::Settle { .. } => {
                assert!(stats.rewrites >= 1);
                assert_eq!(stats.inline_cases, 9);
                assert_eq!(stats.freed, stats.rewrites - 1);
                // Settled: warm calls no longer walk the table.
                assert_eq!(stats.table_hits, warm.table_hits);
            }
        }
    }
}

#[test]
fn live_values_of_every_type_arrive_intact() {
    rpy_ir::gc::register_current_thread();
    let r = ref_ty();
    // int, float, GC pointer, bool, char, negative int, float
    let sig = Sig {
        params: vec![Ty::Int, Ty::Float, r, Ty::Bool, Ty::Char, Ty::Int, Ty::Float],
        ret: Ty::Int,
    };
    for policy in POLICIES {
        let jit = Jit::new(OptLevel::O0);
        let flex = runtime(&jit, policy, Retire::Free);
        let id = flex.create(sig.clone(), 77);
        type Owner = extern "C" fn(i64, i64, f64, *mut u8, i64, i64, i64, f64) -> i64;
        // SAFETY: built as owner(i64 value, live...) with bools and chars widened to i64.
        let owner: Owner = unsafe { std::mem::transmute(jit.owner(&flex.site(id), false)) };
        let cell = rpy_ir::gc::alloc(16, false);
        let bad = RefCell::new(Vec::new());
        let args = Cell::new(Vec::<RtValue>::new());
        let calls = Cell::new(0);
        let handler = |m: &Miss<'_>| {
            calls.set(calls.get() + 1);
            let want = args.take();
            assert_eq!(m.tag, 77);
            for (i, w) in want.iter().enumerate() {
                let same = match (m.value(i), *w) {
                    (RtValue::Float(x), RtValue::Float(y)) => x.to_bits() == y.to_bits(),
                    (x, y) => x == y,
                };
                if !same {
                    bad.borrow_mut().push(format!(
                        "value {}: live {i}: {:?} != {w:?}",
                        m.value,
                        m.value(i)
                    ));
                }
            }
            args.set(want);
            Ok(MissAction::Continue(jit.case(m.value, m.sig)))
        };
        flex.with_handler(&handler, || {
            for (i, &v) in value_sequence(&VALUES, 500).iter().enumerate() {
                let k = i as i64;
                // SAFETY: a live 16-byte GC block.
                unsafe { *(cell as *mut i64) = 1000 + k };
                let (x, f, flag, ch, neg, g) = (
                    k * 11,
                    k as f64 * 0.25 - 3.5,
                    i % 2 == 1,
                    char::from_u32(0x1F600 + (i % 50) as u32).expect("a scalar value"),
                    -k - 1,
                    1e-3 * k as f64,
                );
                let live = [
                    RtValue::Int(x),
                    RtValue::Float(f),
                    RtValue::Ref(cell),
                    RtValue::Bool(flag),
                    RtValue::Char(ch),
                    RtValue::Int(neg),
                    RtValue::Float(g),
                ];
                args.set(live.to_vec());
                let got = owner(v, x, f, cell, flag as i64, u32::from(ch) as i64, neg, g);
                assert_eq!(got, expected(v, &live), "{policy:?}: value {v}, call {i}");
            }
        });
        assert_eq!(calls.get(), 9);
        assert!(bad.borrow().is_empty(), "{policy:?}: {:#?}", bad.borrow());
    }
}

#[test]
fn float_and_void_results() {
    for policy in POLICIES {
        let jit = Jit::new(OptLevel::O0);
        let flex = runtime(&jit, policy, Retire::Free);
        // float result
        let fsig = Sig { params: vec![Ty::Int, Ty::Float], ret: Ty::Float };
        let fid = flex.create(fsig, 0);
        // SAFETY: built as owner(i64, i64, f64) -> f64.
        let fowner: extern "C" fn(i64, i64, f64) -> f64 =
            unsafe { std::mem::transmute(jit.owner(&flex.site(fid), false)) };
        // void result: the case stores its sum here
        let out = Box::new(Cell::new(0i64));
        let out_addr = &*out as *const Cell<i64> as usize;
        let vsig = Sig { params: vec![Ty::Int], ret: Ty::Void };
        let vid = flex.create(vsig, 0);
        // SAFETY: built as owner(i64, i64).
        let vowner: extern "C" fn(i64, i64) =
            unsafe { std::mem::transmute(jit.owner(&flex.site(vid), false)) };
        let handler =
            |m: &Miss<'_>| Ok(MissAction::Continue(jit.case_with(m.value, m.sig, out_addr)));
        flex.with_handler(&handler, || {
            for (i, &v) in value_sequence(&VALUES[..5], 300).iter().enumerate() {
                let (a, f) = (i as i64, i as f64 / 8.0);
                let want = expected(v, &[RtValue::Int(a), RtValue::Float(f)]) as f64 / 4.0;
                assert_eq!(fowner(v, a, f), want, "{policy:?}");
                vowner(v, a);
                assert_eq!(out.get(), expected(v, &[RtValue::Int(a)]), "{policy:?}");
            }
        });
        assert_eq!(flex.stats(fid).handler_calls, 5);
        assert_eq!(flex.stats(vid).handler_calls, 5);
    }
}

#[test]
fn a_handler_may_finish_the_call_itself() {
    let jit = Jit::new(OptLevel::O0);
    let flex = runtime(&jit, Policy::Rewrite, Retire::Free);
    let id = flex.create(Sig { params: vec![Ty::Int], ret: Ty::Float }, 0);
    // SAFETY: built as owner(i64, i64) -> f64.
    let owner: extern "C" fn(i64, i64) -> f64 =
        unsafe { std::mem::transmute(jit.owner(&flex.site(id), false)) };
    let calls = Cell::new(0);
    // Runs the rest itself (as the IR-interpreter backend's hook does), installing nothing.
    let handler = |m: &Miss<'_>| {
        calls.set(calls.get() + 1);
        Ok(MissAction::Finish((m.value as f64 + m.int(0) as f64 / 2.0).to_bits()))
    };
    flex.with_handler(&handler, || {
        assert_eq!(owner(3, 5), 5.5);
        assert_eq!(owner(3, 7), 6.5);
    });
    assert_eq!(calls.get(), 2, "nothing installed: every call misses");
    assert_eq!(flex.stats(id).cases, 0);
}

#[test]
fn failed_misses_set_the_flag_and_keep_the_error() {
    let jit = Jit::new(OptLevel::O0);
    let flex = runtime(&jit, Policy::Table, Retire::Free);
    let id = flex.create(int_sig(1), 0);
    // SAFETY: built as owner(i64, i64) -> i64 returning the failure flag.
    let failed: extern "C" fn(i64, i64) -> i64 =
        unsafe { std::mem::transmute(jit.owner(&flex.site(id), true)) };
    // No handler installed.
    assert_eq!(failed(4, 1), 1);
    let errs = flex.take_errors();
    assert!(matches!(errs[..], [FlexError::NoHandler { value: 4, .. }]), "{errs:?}");
    // The handler's error.
    let refuse = |_: &Miss<'_>| Err("budget exhausted".to_string());
    assert_eq!(flex.with_handler(&refuse, || failed(4, 1)), 1);
    let errs = flex.take_errors();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].to_string(), "flex0: the handler failed on value 4: budget exhausted");
    // A panic in the handler is an error, not an abort.
    let panics = |_: &Miss<'_>| -> Result<MissAction, String> { panic!("boom") };
    assert_eq!(flex.with_handler(&panics, || failed(4, 1)), 1);
    assert!(flex.take_errors()[0].to_string().contains("panicked: boom"));
    // A null case.
    let null = |_: &Miss<'_>| Ok(MissAction::Continue(0));
    assert_eq!(flex.with_handler(&null, || failed(4, 1)), 1);
    assert!(matches!(flex.take_errors()[..], [FlexError::NullCase { value: 4, .. }]));
    // Nothing was installed; a working handler then succeeds.
    assert_eq!(flex.stats(id).cases, 0);
    let calls = RefCell::new(Vec::new());
    let handler = compiling_handler(&jit, &calls);
    assert_eq!(flex.with_handler(&handler, || failed(4, 1)), 0);
    assert_eq!(flex.with_handler(&refuse, || failed(4, 1)), 0, "warm: no callback");
    assert!(flex.take_errors().is_empty());
}

/// `case_v(n, acc)`: `v * 1000 + acc` if `n == 0`, else `owner((v + 4) % 9, n - 1, acc + v)`:
/// every case runs below frames of the owner and of other cases.
fn recursive_case(jit: &Jit, owner: usize, value: i64) -> usize {
    jit.compile("rcase", |llcx, module, name| {
        let f = module.add_function(name, fn_type(llcx, &[Ty::Int, Ty::Int], Ty::Int), None);
        let b = llcx.create_builder();
        let (entry, base, rec) = (
            llcx.append_basic_block(f, "entry"),
            llcx.append_basic_block(f, "base"),
            llcx.append_basic_block(f, "rec"),
        );
        let i64t = llcx.i64_type();
        let n = f.get_nth_param(0).unwrap().into_int_value();
        let acc = f.get_nth_param(1).unwrap().into_int_value();
        b.position_at_end(entry);
        let zero = b.build_int_compare(IntPredicate::EQ, n, i64t.const_zero(), "").unwrap();
        b.build_conditional_branch(zero, base, rec).unwrap();
        b.position_at_end(base);
        let r = b.build_int_add(acc, i64t.const_int((value * 1000) as u64, true), "").unwrap();
        b.build_return(Some(&r)).unwrap();
        b.position_at_end(rec);
        let next = i64t.const_int(((value + 4) % 9) as u64, false);
        let n1 = b.build_int_sub(n, i64t.const_int(1, false), "").unwrap();
        let acc1 = b.build_int_add(acc, i64t.const_int(value as u64, false), "").unwrap();
        let ptr = llcx.ptr_type(Default::default());
        let callee = i64t.const_int(owner as u64, false).const_to_pointer(ptr);
        let owner_ty = fn_type(llcx, &[Ty::Int, Ty::Int, Ty::Int], Ty::Int);
        let r = b
            .build_indirect_call(owner_ty, callee, &[next.into(), n1.into(), acc1.into()], "")
            .unwrap()
            .try_as_basic_value()
            .unwrap_basic();
        b.build_return(Some(&r)).unwrap();
    })
}

/// Rewrites happen (and replaced dispatchers are freed) deep inside recursions through the
/// owner and its cases, some triggered by the table lookup a dispatcher tail-called. This is
/// what the `musttail` of rewritten dispatchers guarantees: built without it, this test
/// crashes (returning into a freed dispatcher).
#[test]
fn dispatchers_are_freed_while_cases_run_below_them() {
    for (policy, retire) in [
        (Policy::Settle { hits: 3 }, Retire::Free),
        (Policy::Rewrite, Retire::Free),
        (Policy::Settle { hits: 3 }, Retire::Keep),
    ] {
        let jit = Jit::new(OptLevel::O0);
        let flex = runtime(&jit, policy, retire);
        let id = flex.create(int_sig(2), 0);
        let owner_addr = jit.owner(&flex.site(id), false);
        // SAFETY: built as owner(i64, i64, i64) -> i64.
        let owner: extern "C" fn(i64, i64, i64) -> i64 = unsafe { std::mem::transmute(owner_addr) };
        let calls = Cell::new(0);
        let handler = |m: &Miss<'_>| {
            calls.set(calls.get() + 1);
            Ok(MissAction::Continue(recursive_case(&jit, owner_addr, m.value)))
        };
        let reference = |mut v: i64, mut n: i64, mut acc: i64| loop {
            if n == 0 {
                return v * 1000 + acc;
            }
            acc += v;
            n -= 1;
            v = (v + 4) % 9;
        };
        flex.with_handler(&handler, || {
            for start in 0..9 {
                for depth in [0, 1, 5, 40, 300] {
                    assert_eq!(owner(start, depth, 7), reference(start, depth, 7), "{policy:?}");
                }
            }
        });
        let s = flex.stats(id);
        assert_eq!(calls.get(), 9);
        assert!(s.rewrites >= 2, "{policy:?}: {s:?}");
        match retire {
            Retire::Free => assert_eq!((s.freed, s.kept), (s.rewrites - 1, 0), "{policy:?}"),
            Retire::Keep => assert_eq!((s.freed, s.kept), (0, s.rewrites - 1), "{policy:?}"),
        }
    }
}

#[test]
fn cases_added_from_rust_and_rewrites_on_demand() {
    let jit = Jit::new(OptLevel::O0);
    let flex = runtime(&jit, Policy::Table, Retire::Free);
    let sig = int_sig(1);
    let id = flex.create(sig.clone(), 0);
    // SAFETY: built as owner(i64, i64) -> i64.
    let owner: extern "C" fn(i64, i64) -> i64 =
        unsafe { std::mem::transmute(jit.owner(&flex.site(id), false)) };
    let cases: Vec<(i64, usize)> = [1, 2, 3].iter().map(|&v| (v, jit.case(v, &sig))).collect();
    for &(v, c) in &cases {
        flex.add_case(id, v, c).unwrap();
    }
    flex.add_case(id, 2, cases[1].1).unwrap();
    assert!(matches!(
        flex.add_case(id, 2, cases[0].1),
        Err(FlexError::DuplicateCase { value: 2, .. })
    ));
    assert_eq!(flex.cases(id), cases);
    let check = |vals: &[i64]| {
        for &v in vals {
            assert_eq!(owner(v, 10), v * 1000 + 10);
        }
    };
    flex.with_handler(&refuse, || check(&[1, 2, 3, 3, 2, 1]));
    assert_eq!(flex.stats(id).table_hits, 6);
    flex.rewrite(id).unwrap();
    flex.with_handler(&refuse, || check(&[1, 2, 3, 3, 2, 1]));
    assert_eq!(flex.stats(id).table_hits, 6, "rewritten: no table walk");
    // A case added after the rewrite is found through the table until the next rewrite.
    flex.add_case(id, 4, jit.case(4, &sig)).unwrap();
    flex.with_handler(&refuse, || check(&[4, 1, 4]));
    assert_eq!(flex.stats(id).table_hits, 8);
    flex.rewrite(id).unwrap();
    flex.with_handler(&refuse, || check(&[4, 1, 4]));
    let s = flex.stats(id);
    assert_eq!((s.table_hits, s.rewrites, s.freed, s.inline_cases), (8, 2, 1, 4));
}

#[test]
fn misses_nest_inside_the_handler() {
    let jit = Jit::new(OptLevel::O0);
    let flex = runtime(&jit, Policy::Rewrite, Retire::Free);
    let (a, b) = (flex.create(int_sig(1), 1), flex.create(int_sig(1), 2));
    // SAFETY: built as owner(i64, i64) -> i64.
    let owner_b: extern "C" fn(i64, i64) -> i64 =
        unsafe { std::mem::transmute(jit.owner(&flex.site(b), false)) };
    // SAFETY: as above.
    let owner_a: extern "C" fn(i64, i64) -> i64 =
        unsafe { std::mem::transmute(jit.owner(&flex.site(a), false)) };
    let log = RefCell::new(Vec::new());
    // A miss at `a` runs compiled code that misses at `b` before compiling `a`'s case.
    let handler = |m: &Miss<'_>| {
        log.borrow_mut().push((m.tag, m.value));
        if m.tag == 1 {
            assert_eq!(owner_b(m.value + 100, 1), (m.value + 100) * 1000 + 1);
        }
        Ok(MissAction::Continue(jit.case(m.value, m.sig)))
    };
    flex.with_handler(&handler, || {
        for v in [1, 2, 1, 2] {
            assert_eq!(owner_a(v, 5), v * 1000 + 5);
        }
    });
    assert_eq!(*log.borrow(), [(1, 1), (2, 101), (1, 2), (2, 102)]);
    assert_eq!(flex.stats(b).inline_cases, 2);
}

#[test]
fn runtimes_and_switches_share_a_session() {
    let jit = Jit::new(OptLevel::O0);
    let runtimes = [
        runtime(&jit, Policy::Rewrite, Retire::Free),
        runtime(&jit, Policy::Rewrite, Retire::Free),
    ];
    let calls = RefCell::new(Vec::new());
    let handler = compiling_handler(&jit, &calls);
    for flex in &runtimes {
        for k in 0..3 {
            let id = flex.create(int_sig(1), k);
            // SAFETY: built as owner(i64, i64) -> i64.
            let owner: extern "C" fn(i64, i64) -> i64 =
                unsafe { std::mem::transmute(jit.owner(&flex.site(id), false)) };
            flex.with_handler(&handler, || {
                for v in [k as i64, 7, k as i64, 7] {
                    assert_eq!(owner(v, 3), v * 1000 + 3);
                }
            });
            assert_eq!(flex.stats(id).rewrites, 2);
        }
    }
    assert_eq!(calls.borrow().len(), 12);
    drop(runtimes);
    // The session outlives the runtimes (their dispatchers freed) and keeps working.
    let sig = int_sig(1);
    let c = jit.case(9, &sig);
    // SAFETY: a case of signature (i64) -> i64.
    let f: extern "C" fn(i64) -> i64 = unsafe { std::mem::transmute(c) };
    assert_eq!(f(1), 9001);
}

#[test]
fn sites_check_the_live_values_against_the_signature() {
    let jit = Jit::new(OptLevel::O0);
    let flex = runtime(&jit, Policy::Table, Retire::Free);
    let id = flex.create(Sig { params: vec![Ty::Int, Ty::Float], ret: Ty::Int }, 0);
    let site = flex.site(id);
    let llcx = inkwell::context::Context::create();
    let module = llcx.create_module("m");
    let f = module.add_function("f", fn_type(&llcx, &[Ty::Int, Ty::Int], Ty::Int), None);
    let b = llcx.create_builder();
    b.position_at_end(llcx.append_basic_block(f, "entry"));
    let x = f.get_nth_param(0).unwrap();
    let err = build_site(&llcx, &b, &site, x.into_int_value(), &[x], CaseCall::Plain).unwrap_err();
    assert_eq!(err.to_string(), "flexswitch site: flex0: 1 live values for 2 case parameters");
    let err =
        build_site(&llcx, &b, &site, x.into_int_value(), &[x, x], CaseCall::Plain).unwrap_err();
    assert_eq!(
        err.to_string(),
        "flexswitch site: flex0: live value 1 is a i64, the case takes a double"
    );
    let small = llvm_type(&llcx, Ty::Char).unwrap().into_int_type().const_int(1, false);
    let err = build_site(&llcx, &b, &site, small, &[x, x], CaseCall::Plain).unwrap_err();
    assert!(err.to_string().contains("must be an i64"), "{err}");
}
