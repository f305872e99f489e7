//! Differential test of constant folding against the IR interpreter: for every foldable
//! opcode, a one-op graph `f(args) -> result` runs in llinterp on many operands (a fixed list
//! of interesting values and a seeded pseudo-random sample), and `rpy_ir::fold` must give the
//! identical value (floats: identical bits) or the identical error kind and message.
//!
//! Scalar ops (int, float, bool, char operands) must always fold. Heap ops run on prebuilt
//! objects and nulls; they must fold except where they read what a program may change (a
//! mutable field or an in-bounds item of a mutable array), where fold must answer `None`.

use rpy_ir::fold::{may_fold, FoldError, Folder};
use rpy_ir::ir::{Aux, Const, Graph, GraphIdx, Prebuilt, Program, Value};
use rpy_ir::llinterp::Interp;
use rpy_ir::ops::{Opcode, TyClass};
use rpy_ir::runtime::{RtValue, RuntimeError};
use rpy_ir::span::Span;
use rpy_ir::types::{Field, HeapType, HeapTypeIdx, Ty, TypeTable};
use std::collections::BTreeSet;

/// Marsaglia's xorshift64: a reproducible sample without a dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const RANDOM_SAMPLES: usize = 3000;

fn interesting_ints() -> Vec<i64> {
    let mut v = vec![
        0,
        1,
        -1,
        2,
        -2,
        3,
        -3,
        7,
        -7,
        10,
        -10,
        63,
        64,
        65,
        -63,
        -64,
        127,
        128,
        255,
        256,
        -255,
        -256,
        1 << 31,
        1 << 32,
        -(1 << 32),
        (1 << 53) + 1,
        1 << 62,
        i64::MAX,
        i64::MAX - 1,
        i64::MIN,
        i64::MIN + 1,
    ];
    v.extend([i64::MAX / 3, i64::MIN / 7, 0x5555_5555_5555_5555, -0x5555_5555_5555_5555]);
    v
}

/// 2**63, the first float above every int.
const TWO_63: f64 = 9223372036854775808.0;

fn interesting_floats() -> Vec<f64> {
    vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        1.5,
        -1.5,
        2.5,
        0.1,
        3.0,
        -7.0,
        1e300,
        -1e300,
        1e-300,
        f64::MIN_POSITIVE,
        5e-324,
        f64::MAX,
        f64::MIN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
        f64::from_bits(0x7ff8_0000_dead_beef),
        f64::from_bits(0x7ff0_0000_0000_0001),
        TWO_63,
        -TWO_63,
        // The floats next to +-2**63, just inside and just outside the int range.
        f64::from_bits(TWO_63.to_bits() - 1),
        -f64::from_bits(TWO_63.to_bits() + 1),
        f64::from_bits(TWO_63.to_bits() + 1),
        9007199254740994.0,
    ]
}

/// Values of a scalar type: the interesting ones first, then `RANDOM_SAMPLES` random ones.
fn values(ty: Ty, rng: &mut XorShift) -> (Vec<Const>, Vec<Const>) {
    let random_int = |rng: &mut XorShift| match rng.below(4) {
        0 => rng.next() as i64,
        1 => (rng.next() % 200) as i64 - 100,
        2 => (rng.next() % 140) as i64 - 70,
        _ => ((rng.next() >> rng.below(64)) as i64).wrapping_mul(if rng.below(2) == 0 {
            1
        } else {
            -1
        }),
    };
    let (fixed, random): (Vec<Const>, Vec<Const>) = match ty {
        Ty::Int => (
            interesting_ints().into_iter().map(Const::Int).collect(),
            (0..RANDOM_SAMPLES).map(|_| Const::Int(random_int(rng))).collect(),
        ),
        Ty::Float => (
            interesting_floats().into_iter().map(Const::float).collect(),
            (0..RANDOM_SAMPLES)
                .map(|_| match rng.below(3) {
                    0 => Const::Float(rng.next()),
                    1 => Const::float(random_int(rng) as f64 / 4.0),
                    _ => Const::float((rng.next() as i64) as f64 * 1.5),
                })
                .collect(),
        ),
        Ty::Bool => (vec![Const::Bool(false), Const::Bool(true)], Vec::new()),
        Ty::Char => (
            (0..=255u8)
                .map(char::from)
                .chain(['\u{d7ff}', '\u{e000}', '\u{ffff}', '\u{10000}', '\u{10ffff}', '😀'])
                .map(Const::Char)
                .collect(),
            Vec::new(),
        ),
        other => panic!("not a scalar type: {other:?}"),
    };
    (fixed, random)
}

/// Operand lists for an op on `params`: every combination of the fixed values, then random
/// combinations (each operand drawn from fixed and random values alike).
fn operand_lists(params: &[Ty], rng: &mut XorShift) -> Vec<Vec<Const>> {
    let pools: Vec<(Vec<Const>, Vec<Const>)> = params.iter().map(|&t| values(t, rng)).collect();
    let mut lists: Vec<Vec<Const>> = vec![Vec::new()];
    for (fixed, _) in &pools {
        lists = lists
            .into_iter()
            .flat_map(|l| {
                fixed.iter().map(move |&c| {
                    let mut l = l.clone();
                    l.push(c);
                    l
                })
            })
            .collect();
    }
    if pools.iter().any(|(_, random)| !random.is_empty()) {
        for _ in 0..RANDOM_SAMPLES {
            let list = pools
                .iter()
                .map(|(fixed, random)| {
                    let i = rng.below(fixed.len() + random.len());
                    if i < fixed.len() {
                        fixed[i]
                    } else {
                        random[i - fixed.len()]
                    }
                })
                .collect();
            lists.push(list);
        }
    }
    lists
}

fn scalar_ty(class: TyClass) -> Option<Ty> {
    match class {
        TyClass::I => Some(Ty::Int),
        TyClass::F => Some(Ty::Float),
        TyClass::B => Some(Ty::Bool),
        TyClass::C => Some(Ty::Char),
        _ => None,
    }
}

/// Whether `op` is pure and works on scalars only (`same_as` counts: it takes any type).
fn is_scalar_op(op: Opcode) -> bool {
    let i = op.info();
    op.is_pure()
        && (i.operands == [TyClass::Any]
            || (!i.operands.is_empty()
                && i.operands.iter().all(|&c| scalar_ty(c).is_some())
                && scalar_ty(i.result).is_some()))
}

/// Adds `f(params) -> ret` applying `opcode[aux]` to its parameters.
fn add_op_graph(p: &mut Program, opcode: Opcode, aux: Aux, params: &[Ty], ret: Ty) -> GraphIdx {
    let name = format!("f{}", p.graphs.len());
    let mut g = Graph::new(name, params.to_vec(), ret, Span::UNKNOWN);
    let e = g.entry;
    let operands: Vec<Value> = g.param_vars().iter().map(|&x| x.into()).collect();
    let r = g.push_op(e, opcode, operands, aux, ret, Span::new(0, 1, 1));
    g.blocks[e].exit = rpy_ir::ir::Exit::Return(r.map(Value::Var));
    p.add_graph(g)
}

/// The interpreter's value for a constant.
fn rt(interp: &Interp<'_>, c: Const) -> RtValue {
    RtValue::from_const(c, |p| interp.prebuilt(p))
}

/// Whether the folded constant is exactly the value the interpreter produced.
fn same_value(interp: &Interp<'_>, folded: Const, ran: RtValue) -> bool {
    match (folded, ran) {
        (Const::Float(bits), RtValue::Float(f)) => bits == f.to_bits(),
        (Const::Null(_), RtValue::Ref(p)) => p.is_null(),
        (c, r) => rt(interp, c) == r,
    }
}

/// Checks fold against one interpreter run; returns whether fold answered.
fn check(
    interp: &mut Interp<'_>,
    folder: &Folder<'_>,
    (opcode, aux, gi): (Opcode, &Aux, GraphIdx),
    args: &[Const],
) -> bool {
    let rt_args: Vec<RtValue> = args.iter().map(|&c| rt(interp, c)).collect();
    let ran: Result<RtValue, RuntimeError> = interp.call(gi, &rt_args);
    let Some(folded) = folder.fold(opcode, aux, args) else { return false };
    match (&folded, &ran) {
        (Ok(c), Ok(r)) if same_value(interp, *c, *r) => {}
        (Err(FoldError { kind, message }), Err(e)) if *kind == e.kind && *message == e.message => {}
        _ => panic!("{opcode}[{aux:?}]{args:?}: fold gives {folded:?}, llinterp {ran:?}"),
    }
    true
}

#[test]
fn scalar_ops_fold_exactly_as_llinterp_runs_them() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let mut p = Program::default();
    let mut cases = Vec::new();
    for &op in Opcode::ALL.iter().filter(|op| op.is_pure()) {
        let info = op.info();
        let instances: Vec<(Vec<Ty>, Ty)> = if info.operands == [TyClass::Any] {
            [Ty::Int, Ty::Float, Ty::Bool, Ty::Char].iter().map(|&t| (vec![t], t)).collect()
        } else {
            let params: Option<Vec<Ty>> = info.operands.iter().map(|&c| scalar_ty(c)).collect();
            match (params, scalar_ty(info.result)) {
                (Some(params), Some(ret)) if !params.is_empty() => vec![(params, ret)],
                _ => continue,
            }
        };
        for (params, ret) in instances {
            let gi = add_op_graph(&mut p, op, Aux::None, &params, ret);
            cases.push((op, gi, operand_lists(&params, &mut rng)));
        }
    }
    let folder = Folder::new(&p);
    let mut interp = Interp::new(&p);
    let mut ops = BTreeSet::new();
    for (op, gi, lists) in &cases {
        for args in lists {
            assert!(check(&mut interp, &folder, (*op, &Aux::None, *gi), args), "{op}{args:?}");
        }
        ops.insert(*op);
    }
    // Every pure op on scalars is here, none forgotten when the table grows.
    let expected: BTreeSet<Opcode> =
        Opcode::ALL.iter().copied().filter(|&op| is_scalar_op(op)).collect();
    assert_eq!(ops, expected);
    assert!(ops.len() >= 44, "{} scalar ops", ops.len());
}

/// Struct types whose mutable fields are named `m_*`: Obj(m_tag) <- Frozen(value, s)
/// immutable <- Deeper(more) immutable; Other(m_x, m_b, m_c) mutable; Box(item, c, b, x, f)
/// immutable. Arrays of ints (mutable and frozen), bools, floats, objects, and `str`.
fn heap_program() -> Program {
    let mut p = Program::default();
    let mut id = Graph::new("id", vec![Ty::Int], Ty::Int, Span::UNKNOWN);
    let x = id.param_vars()[0];
    id.blocks[id.entry].exit = rpy_ir::ir::Exit::Return(Some(x.into()));
    let id = p.add_graph(id);
    let fn_ty = Ty::Func(p.graph_sig(id));
    let t = &mut p.types;
    let field = |name: &str, ty| Field { name: name.into(), ty };
    let obj = t.declare_struct("Obj", false).unwrap();
    let frozen = t.declare_struct("Frozen", true).unwrap();
    let deeper = t.declare_struct("Deeper", true).unwrap();
    let other = t.declare_struct("Other", false).unwrap();
    let boxed = t.declare_struct("Box", true).unwrap();
    let str_ty = Ty::Ref(TypeTable::STR);
    t.set_fields(obj, None, vec![field("m_tag", Ty::Int)]);
    t.set_fields(frozen, Some(obj), vec![field("value", Ty::Int), field("s", str_ty)]);
    t.set_fields(deeper, Some(frozen), vec![field("more", Ty::Ref(obj))]);
    t.set_fields(
        other,
        None,
        vec![field("m_x", Ty::Float), field("m_b", Ty::Bool), field("m_c", Ty::Char)],
    );
    t.set_fields(
        boxed,
        None,
        vec![
            field("item", Ty::Ref(obj)),
            field("c", Ty::Char),
            field("b", Ty::Bool),
            field("x", Ty::Float),
            field("f", fn_ty),
        ],
    );
    let ints = t.array(Ty::Int, false);
    let frozen_ints = t.array(Ty::Int, true);
    let bools = t.array(Ty::Bool, true);
    let floats = t.array(Ty::Float, true);
    let objs = t.array(Ty::Ref(obj), true);
    let mutable_objs = t.array(Ty::Ref(obj), false);

    let empty = p.intern_str("");
    let hello = p.intern_str("hello");
    p.prebuilt.push(Prebuilt::Str(vec!['\u{ff}', '\0', 'a', '\u{10ffff}']));
    let pb = |p: &mut Program, x| Const::Prebuilt(p.prebuilt.push(x));
    let o = pb(&mut p, Prebuilt::Struct(obj, vec![Const::Int(-4)]));
    let fz = pb(
        &mut p,
        Prebuilt::Struct(frozen, vec![Const::Int(5), Const::Int(6), Const::Prebuilt(hello)]),
    );
    let dp = pb(
        &mut p,
        Prebuilt::Struct(
            deeper,
            vec![Const::Int(7), Const::Int(i64::MIN), Const::Null(TypeTable::STR), fz],
        ),
    );
    pb(
        &mut p,
        Prebuilt::Struct(
            deeper,
            vec![Const::Int(8), Const::Int(9), Const::Prebuilt(empty), Const::Null(deeper)],
        ),
    );
    pb(
        &mut p,
        Prebuilt::Struct(other, vec![Const::float(-0.0), Const::Bool(true), Const::Char('\u{c8}')]),
    );
    pb(
        &mut p,
        Prebuilt::Struct(
            boxed,
            vec![
                dp,
                Const::Char('\u{ff}'),
                Const::Bool(true),
                Const::Float(0x7ff8_0000_0000_0042),
                Const::Func(id),
            ],
        ),
    );
    pb(
        &mut p,
        Prebuilt::Struct(
            boxed,
            vec![
                Const::Null(frozen),
                Const::Char('\0'),
                Const::Bool(false),
                Const::float(f64::NEG_INFINITY),
                Const::Func(id),
            ],
        ),
    );
    let int_items = vec![Const::Int(10), Const::Int(-20), Const::Int(i64::MAX)];
    pb(&mut p, Prebuilt::Array(ints, int_items.clone()));
    pb(&mut p, Prebuilt::Array(ints, Vec::new()));
    pb(&mut p, Prebuilt::Array(frozen_ints, int_items));
    pb(&mut p, Prebuilt::Array(frozen_ints, Vec::new()));
    pb(&mut p, Prebuilt::Array(bools, vec![Const::Bool(true), Const::Bool(false)]));
    pb(
        &mut p,
        Prebuilt::Array(
            floats,
            vec![Const::float(-0.0), Const::float(f64::NAN), Const::float(1.5)],
        ),
    );
    pb(&mut p, Prebuilt::Array(objs, vec![o, Const::Null(obj), dp, Const::Null(deeper)]));
    pb(&mut p, Prebuilt::Array(mutable_objs, vec![fz, Const::Null(frozen)]));
    p
}

/// The type of a heap object's field `i`, if `t` is a struct with that field.
fn field_of(types: &TypeTable, t: HeapTypeIdx, i: u32) -> Option<&Field> {
    types.as_struct(t)?.fields.get(i as usize)
}

#[test]
fn heap_ops_fold_exactly_as_llinterp_runs_them_or_not_at_all() {
    let mut p = heap_program();
    let heap_types: Vec<(HeapTypeIdx, HeapType)> =
        p.types.heap_types().map(|(i, h)| (i, h.clone())).collect();
    // Every pointer operand: each prebuilt object and a null of each heap type.
    let mut pointers: Vec<Const> = p.prebuilt.keys().map(Const::Prebuilt).collect();
    pointers.extend(heap_types.iter().map(|(t, _)| Const::Null(*t)));
    let funcs: Vec<Const> = p.graphs.keys().map(Const::Func).collect();
    let ty_of = |p: &Program, c: Const| p.const_ty(c);
    let is_instance = |p: &Program, c: Const, t: HeapTypeIdx| match c {
        Const::Prebuilt(pb) => p.types.is_subtype(p.prebuilt[pb].heap_type(), t),
        _ => true,
    };
    let len_of = |p: &Program, c: Const| match c {
        Const::Prebuilt(pb) => match &p.prebuilt[pb] {
            Prebuilt::Str(b) => b.len() as i64,
            Prebuilt::Array(_, items) => items.len() as i64,
            Prebuilt::Struct(..) => -1,
        },
        _ => 0,
    };

    // (opcode, aux, operand lists, whether fold must answer for each list)
    struct Case {
        op: Opcode,
        aux: Aux,
        params: Vec<Ty>,
        ret: Ty,
        lists: Vec<(Vec<Const>, bool)>,
    }
    let mut cases: Vec<Case> = Vec::new();
    for &a in &pointers {
        let ta = ty_of(&p, a);
        let single = |op, ret| Case {
            op,
            aux: Aux::None,
            params: vec![ta],
            ret,
            lists: vec![(vec![a], true)],
        };
        cases.push(single(Opcode::PtrIsNull, Ty::Bool));
        cases.push(single(Opcode::PtrNonNull, Ty::Bool));
        cases.push(single(Opcode::TypeOf, Ty::Int));
        cases.push(single(Opcode::SameAs, ta));
        // An address is known only for null: a prebuilt object's is chosen when it runs.
        cases.push(Case {
            op: Opcode::CastPtrToInt,
            aux: Aux::None,
            params: vec![ta],
            ret: Ty::Int,
            lists: vec![(vec![a], matches!(a, Const::Null(_)))],
        });
        let Ty::Ref(static_t) = ta else { unreachable!() };
        if matches!(p.types.heap(static_t), HeapType::Array(_)) {
            cases.push(single(Opcode::ArrayLen, Ty::Int));
        }
        for &b in &pointers {
            for op in [Opcode::PtrEq, Opcode::PtrNe] {
                let params = vec![ta, ty_of(&p, b)];
                cases.push(Case {
                    op,
                    aux: Aux::None,
                    params,
                    ret: Ty::Bool,
                    lists: vec![(vec![a, b], true)],
                });
            }
        }
        for (t, ht) in &heap_types {
            for op in [Opcode::InstanceOf, Opcode::Cast] {
                let ret = if op == Opcode::Cast { Ty::Ref(*t) } else { Ty::Bool };
                cases.push(Case {
                    op,
                    aux: Aux::Type(*t),
                    params: vec![ta],
                    ret,
                    lists: vec![(vec![a], true)],
                });
            }
            match ht {
                HeapType::Struct(def) if is_instance(&p, a, *t) => {
                    for i in 0..def.fields.len() as u32 {
                        let f = field_of(&p.types, *t, i).unwrap();
                        let must = !f.name.starts_with("m_") || matches!(a, Const::Null(_));
                        cases.push(Case {
                            op: Opcode::GetField,
                            aux: Aux::Field(*t, i),
                            params: vec![ta],
                            ret: f.ty,
                            lists: vec![(vec![a], must)],
                        });
                    }
                }
                HeapType::Array(def) if static_t == *t || matches!(a, Const::Null(_)) => {
                    let len = len_of(&p, a);
                    let mut indices = vec![i64::MIN, -2, -1, len, len + 1, i64::MAX];
                    indices.extend(0..len);
                    let lists = indices
                        .into_iter()
                        .map(|i| {
                            let in_bounds = (0..len).contains(&i);
                            let must = def.immutable || !in_bounds || matches!(a, Const::Null(_));
                            (vec![a, Const::Int(i)], must)
                        })
                        .collect();
                    cases.push(Case {
                        op: Opcode::GetArrayItem,
                        aux: Aux::Array(*t),
                        params: vec![ta, Ty::Int],
                        ret: def.elem,
                        lists,
                    });
                }
                _ => {}
            }
        }
    }
    for &f in &funcs {
        let tf = ty_of(&p, f);
        cases.push(Case {
            op: Opcode::SameAs,
            aux: Aux::None,
            params: vec![tf],
            ret: tf,
            lists: vec![(vec![f], true)],
        });
        for &g in &funcs {
            for op in [Opcode::PtrEq, Opcode::PtrNe] {
                cases.push(Case {
                    op,
                    aux: Aux::None,
                    params: vec![tf, tf],
                    ret: Ty::Bool,
                    lists: vec![(vec![f, g], true)],
                });
            }
        }
    }

    let graphs: Vec<GraphIdx> =
        cases.iter().map(|c| add_op_graph(&mut p, c.op, c.aux.clone(), &c.params, c.ret)).collect();
    let folder = Folder::new(&p);
    let mut interp = Interp::new(&p);
    let (mut folded, mut declined) = (0, 0);
    let mut ops = BTreeSet::new();
    for (case, &gi) in cases.iter().zip(&graphs) {
        ops.insert(case.op);
        for (args, must) in &case.lists {
            let answered = check(&mut interp, &folder, (case.op, &case.aux, gi), args);
            if *must {
                assert!(answered, "{}[{:?}]{args:?} did not fold", case.op, case.aux);
            } else {
                assert!(!answered, "{}[{:?}]{args:?} read mutable memory", case.op, case.aux);
            }
            if answered {
                folded += 1;
            } else {
                declined += 1;
            }
        }
    }
    assert!(folded > 1000 && declined > 10, "folded {folded}, declined {declined}");

    // Together with the scalar test, every opcode fold may answer for is exercised.
    let untested: Vec<Opcode> = Opcode::ALL
        .iter()
        .copied()
        .filter(|&op| may_fold(op) && !is_scalar_op(op) && !ops.contains(&op))
        .collect();
    assert!(untested.is_empty(), "foldable ops on pointers not tested: {untested:?}");
}
