//! The printed form of a TLC result (TLC.md "In this project"): `42`, `nil`, `(1 2 . 3)`,
//! `<object foo=42 bar=nil>`.
//!
//! The printer reads objects through an [`ObjReader`] (the runner's calls of the accessors of
//! `tlc.rpy`, the same in every execution mode) and never recurses: an explicit work stack
//! holds what is left to print, so a list nested a million times in its cars, or a chain of
//! a million objects, prints in time and Rust stack independent of its depth. Time is linear
//! in the size of the printed text.
//!
//! Cycles go through instances only (conses are immutable). An instance met again while it is
//! being printed, i.e. inside its own attributes, prints as `<object ...>`; the instances
//! being printed are a set keyed by identity (the collector does not move objects), so the
//! check costs the same at any depth. An instance shared but not cyclic prints in full at each
//! occurrence.

use std::collections::HashSet;
use std::fmt::Write;

use rpy_ir::runtime::RtValue;

use crate::runner::TlcError;

/// What a TLC object is, with what the printer needs of it, as an [`ObjReader`] answers.
#[derive(Clone, Copy, Debug)]
pub enum ObjView {
    /// An int and its value.
    Int(i64),
    /// `nil`.
    Nil,
    /// A cons cell and its two halves.
    Cons {
        /// The first element.
        car: RtValue,
        /// The rest.
        cdr: RtValue,
    },
    /// An instance and how many attributes it has.
    Instance {
        /// The number of attributes (in declaration order: `0..size`).
        size: i64,
    },
}

/// Reads TLC objects for the printer (implemented by the runner's session over the RPy
/// interpreter's accessors).
pub trait ObjReader {
    /// What `obj` is.
    fn view(&mut self, obj: RtValue) -> Result<ObjView, TlcError>;
    /// The name and value of attribute `index` of the instance `obj`.
    fn attr(&mut self, obj: RtValue, index: i64) -> Result<(&str, RtValue), TlcError>;
}

/// What is left to print, on the work stack (the top is printed next).
enum Step {
    /// A whole object.
    Value(RtValue),
    /// The rest of a list after an element: `)`, or ` ` and the next elements, or ` . tail)`.
    ListTail(RtValue),
    /// The attributes `index..size` of an instance being printed, then its `>`.
    Attrs { obj: RtValue, index: i64, size: i64 },
    /// A fixed piece of text.
    Text(&'static str),
}

/// The identity of an object, as a key of the set of instances being printed.
fn identity(obj: RtValue) -> usize {
    match obj {
        RtValue::Ref(p) => p as usize,
        _ => 0,
    }
}

/// The printed form of the TLC object `root`.
pub fn format(reader: &mut impl ObjReader, root: RtValue) -> Result<String, TlcError> {
    let mut out = String::new();
    let mut printing: HashSet<usize> = HashSet::new();
    let mut work = vec![Step::Value(root)];
    while let Some(step) = work.pop() {
        match step {
            Step::Text(text) => out.push_str(text),
            Step::Value(obj) => match reader.view(obj)? {
                ObjView::Int(v) => {
                    let _ = write!(out, "{v}");
                }
                ObjView::Nil => out.push_str("nil"),
                ObjView::Cons { car, cdr } => {
                    out.push('(');
                    work.push(Step::ListTail(cdr));
                    work.push(Step::Value(car));
                }
                ObjView::Instance { size } => {
                    if printing.insert(identity(obj)) {
                        out.push_str("<object");
                        work.push(Step::Attrs { obj, index: 0, size });
                    } else {
                        out.push_str("<object ...>");
                    }
                }
            },
            Step::ListTail(tail) => match reader.view(tail)? {
                ObjView::Nil => out.push(')'),
                ObjView::Cons { car, cdr } => {
                    out.push(' ');
                    work.push(Step::ListTail(cdr));
                    work.push(Step::Value(car));
                }
                _ => {
                    out.push_str(" . ");
                    work.push(Step::Text(")"));
                    work.push(Step::Value(tail));
                }
            },
            Step::Attrs { obj, index, size } if index >= size => {
                out.push('>');
                printing.remove(&identity(obj));
            }
            Step::Attrs { obj, index, size } => {
                let (name, value) = reader.attr(obj, index)?;
                let _ = write!(out, " {name}=");
                work.push(Step::Attrs { obj, index: index + 1, size });
                work.push(Step::Value(value));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Objects in a Rust table, for testing the printer without an interpreter: an object is
    /// `RtValue::Ref` of its index + 1 (so that no object is null).
    #[derive(Default)]
    struct Table {
        objects: Vec<Object>,
    }

    enum Object {
        Int(i64),
        Nil,
        Cons(RtValue, RtValue),
        Instance(Vec<(String, RtValue)>),
    }

    impl Table {
        fn add(&mut self, o: Object) -> RtValue {
            self.objects.push(o);
            RtValue::Ref(self.objects.len() as *mut u8)
        }

        fn get(&self, obj: RtValue) -> &Object {
            &self.objects[identity(obj) - 1]
        }

        fn set_attr(&mut self, obj: RtValue, index: usize, value: RtValue) {
            let i = identity(obj) - 1;
            let Object::Instance(attrs) = &mut self.objects[i] else { panic!("not an instance") };
            attrs[index].1 = value;
        }
    }

    impl ObjReader for Table {
        fn view(&mut self, obj: RtValue) -> Result<ObjView, TlcError> {
            Ok(match self.get(obj) {
                Object::Int(v) => ObjView::Int(*v),
                Object::Nil => ObjView::Nil,
                Object::Cons(car, cdr) => ObjView::Cons { car: *car, cdr: *cdr },
                Object::Instance(attrs) => ObjView::Instance { size: attrs.len() as i64 },
            })
        }

        fn attr(&mut self, obj: RtValue, index: i64) -> Result<(&str, RtValue), TlcError> {
            let Object::Instance(attrs) = self.get(obj) else { panic!("not an instance") };
            let (name, value) = &attrs[index as usize];
            Ok((name, *value))
        }
    }

    #[test]
    fn lists_proper_and_improper() {
        let mut t = Table::default();
        let nil = t.add(Object::Nil);
        let (one, two, three) =
            (t.add(Object::Int(1)), t.add(Object::Int(2)), t.add(Object::Int(3)));
        let tail = t.add(Object::Cons(two, three));
        let improper = t.add(Object::Cons(one, tail));
        assert_eq!(format(&mut t, improper).unwrap(), "(1 2 . 3)");
        let l3 = t.add(Object::Cons(three, nil));
        let l2 = t.add(Object::Cons(improper, l3));
        let l1 = t.add(Object::Cons(nil, l2));
        assert_eq!(format(&mut t, l1).unwrap(), "(nil (1 2 . 3) 3)");
    }

    #[test]
    fn instances_cycles_and_sharing() {
        let mut t = Table::default();
        let nil = t.add(Object::Nil);
        let attrs = |names: &[&str]| names.iter().map(|n| (n.to_string(), nil)).collect();
        let a = t.add(Object::Instance(attrs(&["foo", "bar"])));
        let b = t.add(Object::Instance(attrs(&["x"])));
        let forty_two = t.add(Object::Int(42));
        t.set_attr(a, 0, forty_two);
        assert_eq!(format(&mut t, a).unwrap(), "<object foo=42 bar=nil>");
        // a.bar = (b b), b.x = a: a cycle through a, and b shared.
        let l2 = t.add(Object::Cons(b, nil));
        let l1 = t.add(Object::Cons(b, l2));
        t.set_attr(a, 1, l1);
        t.set_attr(b, 0, a);
        assert_eq!(
            format(&mut t, a).unwrap(),
            "<object foo=42 bar=(<object x=<object ...>> <object x=<object ...>>)>"
        );
        assert_eq!(
            format(&mut t, b).unwrap(),
            "<object x=<object foo=42 bar=(<object ...> <object ...>)>>"
        );
    }

    #[test]
    fn deep_nesting_needs_no_recursion() {
        let depth = 1_000_000;
        let mut t = Table::default();
        let nil = t.add(Object::Nil);
        let mut list = nil;
        for _ in 0..depth {
            list = t.add(Object::Cons(list, nil));
        }
        let expect = format!("{}nil{}", "(".repeat(depth), ")".repeat(depth));
        assert_eq!(format(&mut t, list).unwrap(), expect);
        let mut chain = nil;
        for _ in 0..depth {
            chain = t.add(Object::Instance(vec![("value".to_string(), chain)]));
        }
        let expect = format!("{}nil{}", "<object value=".repeat(depth), ">".repeat(depth));
        assert_eq!(format(&mut t, chain).unwrap(), expect);
    }
}
