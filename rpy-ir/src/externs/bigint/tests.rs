//! The `big_*` externs against values CPython 3.11 computes (`/usr/bin/python3`, pasted as
//! literals), called as the IR interpreter calls them (words in, words out).

use super::*;
use crate::externs::test_support::{call, read, s};

/// A bigint word from decimal text.
fn big(text: &str) -> u64 {
    call("big_from_str", &[s(text), 10])
}

/// The decimal text of a bigint word.
fn dec(b: u64) -> String {
    read(call("big_to_str", &[b, 10]))
}

/// `name(a, b)` on two decimal bigints, in decimal.
fn op(name: &str, a: &str, b: &str) -> String {
    dec(call(name, &[big(a), big(b)]))
}

/// `name(a, n)` on a decimal bigint and an int, in decimal.
fn op_int(name: &str, a: &str, n: i64) -> String {
    dec(call(name, &[big(a), n as u64]))
}

fn float(name: &str, a: &str, b: &str) -> f64 {
    f64::from_bits(call(name, &[big(a), big(b)]))
}

fn pow(b: i64, e: i64) -> String {
    dec(call("big_pow", &[call("big_from_int", &[b as u64]), e as u64]))
}

fn factorial(n: i64) -> String {
    let mut acc = call("big_from_int", &[1]);
    for i in 2..=n {
        acc = call("big_mul", &[acc, call("big_from_int", &[i as u64])]);
    }
    dec(acc)
}

#[test]
fn encoding_is_canonical_and_round_trips() {
    for text in ["0", "1", "-1", "65535", "65536", "-4294967296", "18446744073709551621"] {
        let x: BigInt = text.parse().unwrap();
        let items = encode(&x);
        assert_eq!(decode(&items), x, "{text}");
        assert!(items.iter().all(|&c| (0x1_0000..=0x1_ffff).contains(&c)), "{text}: plane 1");
        assert_ne!(items.last(), Some(&DIGIT_BASE).filter(|_| items.len() > 1), "no top zero");
    }
    assert_eq!(encode(&BigInt::zero()), vec![SIGN_ZERO]);
    // 10**20 + 7, as timeshift/tests/bigint.rs writes it in a string literal.
    assert_eq!(
        encode(&"100000000000000000007".parse().unwrap()),
        vec![0x10001, 0x10007, 0x16310, 0x15e2d, 0x16bc7, 0x10005]
    );
    assert_eq!(encode(&BigInt::from(65536)), vec![SIGN_POS, DIGIT_BASE, DIGIT_BASE + 1]);
    // Equal values are equal strings, whichever way they were made.
    let a = call("big_add", &[big("65535"), big("1")]);
    assert_eq!(call("str_eq", &[a, call("big_from_int", &[65536])]), 1);
    assert_eq!(call("str_eq", &[call("big_sub", &[a, a]), call("big_from_int", &[0])]), 1);
    // Null and the empty string are zero.
    assert_eq!(dec(0), "0");
    assert_eq!(dec(s("")), "0");
}

#[test]
fn printing_as_cpython() {
    assert_eq!(pow(2, 200), "1606938044258990275541962092341162602522202993782792835301376");
    assert_eq!(factorial(50), "30414093201713378043612608166064768844377641568960512000000000000");
    assert_eq!(
        factorial(60),
        "8320987112741390144276341183223364380754172606361245952449277696409600000000000000"
    );
    assert_eq!(
        op("big_floordiv", &pow(2, 300), &pow(3, 50)),
        "2837500607689200757156486412249968214147487892651150129813482328429"
    );
    let hex = |t: &str, base: i64| read(call("big_to_str", &[big(t), base as u64]));
    assert_eq!(hex(&pow(2, 200), 16), "100000000000000000000000000000000000000000000000000");
    assert_eq!(hex("-1180591620717411303424", 8), "-200000000000000000000000");
    assert_eq!(
        hex("36893488147419103235", 2),
        "100000000000000000000000000000000000000000000000000000000000000011"
    );
    assert_eq!(hex("-18446744073709551616", 16), "-10000000000000000");
    assert_eq!(hex("0", 16), "0");
}

#[test]
fn parsing_as_cpython_int() {
    let parse = |t: &str, base: i64| dec(call("big_from_str", &[s(t), base as u64]));
    assert_eq!(parse(&"1".repeat(50), 10), "1".repeat(50));
    assert_eq!(parse(" -0x_ff_ff ", 16), "-65535");
    assert_eq!(parse("0b101", 0), "5");
    assert_eq!(parse("  12_345_678_901_234_567_890_123 ", 10), "12345678901234567890123");
    assert_eq!(parse(&"zz".repeat(10), 36), "13367494538843734067838845976575");
    assert_eq!(parse("+7", 10), "7");
    // Not accepted: zero (the caller validated with `str_to_int_status`).
    assert_eq!(parse("12a", 10), "0");
    assert_eq!(parse("", 10), "0");
    assert_eq!(parse("5", 99), "0");
}

#[test]
fn floor_division_and_modulo_of_negatives() {
    assert_eq!(op("big_floordiv", "-7", "2"), "-4");
    assert_eq!(op("big_mod", "-7", "2"), "1");
    assert_eq!(op("big_floordiv", "7", "-2"), "-4");
    assert_eq!(op("big_mod", "7", "-2"), "-1");
    let m = "-1267650600228229401496703205376"; // -(2**100)
    assert_eq!(op("big_floordiv", m, "3"), "-422550200076076467165567735126");
    assert_eq!(op("big_mod", m, "3"), "2");
    assert_eq!(op("big_mod", "1267650600228229401496703205376", "-7"), "-5");
    assert_eq!(op("big_floordiv", "5", "0"), "0", "the caller checks zero");
    assert_eq!(op("big_mod", "5", "0"), "0");
}

#[test]
fn arithmetic_and_bit_operations_as_python() {
    let p70 = "1180591620717411303424";
    let m70 = "-1180591620717411303424";
    assert_eq!(op("big_add", p70, m70), "0");
    assert_eq!(op("big_sub", "0", p70), m70);
    assert_eq!(op("big_mul", m70, m70), "1393796574908163946345982392040522594123776");
    assert_eq!(dec(call("big_neg", &[big(p70)])), m70);
    assert_eq!(dec(call("big_abs", &[big(m70)])), p70);
    // Shifts of negatives round towards negative infinity.
    assert_eq!(op_int("big_rshift", m70, 3), "-147573952589676412928");
    assert_eq!(op_int("big_rshift", "-5", 1), "-3");
    assert_eq!(op_int("big_rshift", "-1180591620717411303425", 70), "-2");
    assert_eq!(op_int("big_rshift", "-1", 1000), "-1");
    assert_eq!(op_int("big_rshift", p70, 100), "0");
    assert_eq!(op_int("big_lshift", "-3", 70), "-3541774862152233910272");
    assert_eq!(op_int("big_lshift", "-5", -1), "-3", "negative count shifts the other way");
    // Two's complement of infinite width.
    assert_eq!(op("big_and", m70, "36893488147419103231"), "0");
    assert_eq!(op("big_or", m70, "12345"), "-1180591620717411291079");
    assert_eq!(op("big_xor", m70, "1208925819614629174706176"), "-1210106411235346586009600");
    assert_eq!(dec(call("big_invert", &[big(p70)])), "-1180591620717411303425");
    // Powers.
    assert_eq!(pow(-3, 3), "-27");
    assert_eq!(pow(7, 0), "1");
    assert_eq!(pow(0, 0), "1");
    assert_eq!(pow(-1, i64::MAX), "-1");
    assert_eq!(pow(-1, 1 << 62), "1");
    assert_eq!(pow(-1, 2), "1");
    assert_eq!(pow(1, i64::MAX), "1");
    assert_eq!(pow(0, i64::MAX), "0");
    assert_eq!(pow(5, -1), "0", "the caller checks the exponent");
}

#[test]
fn comparisons_and_conversions() {
    let cmp = |a: &str, b: &str| call("big_cmp", &[big(a), big(b)]) as i64;
    assert_eq!(cmp("-18446744073709551621", "3"), -1);
    assert_eq!(cmp("18446744073709551621", "18446744073709551620"), 1);
    assert_eq!(cmp("-5", "-5"), 0);
    let fits = |t: &str| call("big_fits_int", &[big(t)]) == 1;
    assert!(fits("9223372036854775807") && fits("-9223372036854775808"));
    assert!(!fits("9223372036854775808") && !fits("-9223372036854775809"));
    let to_int = |t: &str| call("big_to_int", &[big(t)]) as i64;
    assert_eq!(to_int("-9223372036854775808"), i64::MIN);
    assert_eq!(to_int("-42"), -42);
    assert_eq!(to_int("18446744073709551621"), 5, "the low 64 bits");
    assert_eq!(call("big_bit_length", &[big("18446744073709551621")]), 65);
    assert_eq!(call("big_bit_length", &[big("-18446744073709551616")]), 65);
    assert_eq!(call("big_bit_length", &[big("0")]), 0);
    assert_eq!(call("big_sign", &[big("-3")]) as i64, -1);
    assert_eq!(call("big_sign", &[big("0")]), 0);
    assert_eq!(call("big_sign", &[big("3")]), 1);
    assert_eq!(call("big_is_zero", &[big("0")]), 1);
    assert_eq!(call("big_is_zero", &[big("-1")]), 0);
    let from_float = |x: f64| dec(call("big_from_float", &[x.to_bits()]));
    assert_eq!(
        from_float(1e300),
        "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160"
    );
    assert_eq!(from_float(-2.5e20), "-250000000000000000000");
    assert_eq!(from_float(-0.9), "0");
    assert_eq!(from_float(f64::NAN), "0");
    assert_eq!(dec(call("big_from_int", &[i64::MIN as u64])), "-9223372036854775808");
}

#[test]
fn hash_as_cpython() {
    let hash = |t: &str| call("big_hash", &[big(t)]) as i64;
    assert_eq!(hash("2305843009213693952"), 1); // 2**61
    assert_eq!(hash("-2305843009213693952"), -2); // -(2**61)
    assert_eq!(hash("18446744073709551621"), 13); // 2**64 + 5
    assert_eq!(hash("-1"), -2);
    assert_eq!(hash("2305843009213693951"), 0); // 2**61 - 1
    assert_eq!(hash("-1267650600228229401496703205376"), -549755813888); // -(2**100)
    assert_eq!(hash("12345"), 12345);
}

#[test]
fn true_division_and_float_conversion_round_correctly() {
    let p = |e: u32| BigInt::from(2).pow(e).to_string();
    let cases: &[(String, String, f64)] = &[
        ("1".into(), "3".into(), 0.3333333333333333),
        (p(200), pow(3, 50), 2.238393297946874e+36),
        (format!("-{}", p(1000)), "7".into(), -1.5307265816946675e+300),
        (pow(10, 400), pow(10, 399), 10.0),
        ("1".into(), p(1074), 5e-324),
        ("1".into(), p(1075), 0.0),
        ("3".into(), p(1075), 1e-323),
        (op("big_add", &p(53), "1"), "1".into(), 9007199254740992.0),
        ("9223372036854776833".into(), "1".into(), 9.223372036854778e+18), // 2**63+2**10+1
        (p(1100), op("big_add", &p(80), "1"), 1.1235582092889474e+307),
        ("1000000000000000000000000000007".into(), "100000000000000000003".into(), 10000000000.0),
        (p(1000), pow(3, 20), 3.073056673303235e+291),
        (format!("-{}", pow(10, 50)), pow(7, 40), -1.5706463139488394e+16),
        (op("big_add", &p(60), "1"), "3458764513820540935".into(), 0.3333333333333333),
        (p(1000), p(2000), 9.332636185032189e-302),
        (p(2000), op("big_add", &p(3000), "1"), 9.332636185032189e-302),
        (p(1024), "2".into(), 8.98846567431158e+307),
    ];
    for (a, b, want) in cases {
        let got = float("big_truediv", a, b);
        assert_eq!(got.to_bits(), want.to_bits(), "{a} / {b}: {got:e} vs {want:e}");
    }
    assert_eq!(float("big_truediv", "0", "-5").to_bits(), (-0.0f64).to_bits());
    assert_eq!(float("big_truediv", &p(1025), "2"), f64::INFINITY, "too large");
    assert!(float("big_truediv", "1", "0").is_nan());
    let to_float = |t: &str| f64::from_bits(call("big_to_float", &[big(t)]));
    assert_eq!(to_float("9007199254740993"), 9007199254740992.0); // 2**53+1: half, even
    assert_eq!(to_float("18014398509481987"), 1.8014398509481988e+16); // 2**54+3
    let max = op("big_sub", &op("big_sub", &p(1024), &p(970)), "1");
    assert_eq!(to_float(&max), f64::MAX);
    assert_eq!(to_float(&op("big_sub", &p(1024), &p(970))), f64::INFINITY, "rounds up, overflows");
    assert_eq!(to_float(&format!("-{}", p(2000))), f64::NEG_INFINITY);
    assert_eq!(to_float("-12345"), -12345.0);
}

#[test]
fn purity_flags() {
    for e in TABLE {
        assert_eq!(
            e.allocates,
            e.ret == ExternTy::Str,
            "{}: allocates iff it returns a bigint",
            e.name
        );
        assert_eq!(e.pure, !e.allocates, "{}", e.name);
    }
}

/// Values around the digit, word and `int` boundaries, of both signs.
fn boundary_values() -> Vec<BigInt> {
    let mut out = vec![BigInt::zero()];
    for bits in [1u32, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 200] {
        let p = BigInt::one() << bits;
        for x in [p.clone() - 1, p.clone(), p + 1] {
            out.push(-x.clone());
            out.push(x);
        }
    }
    out.push(BigInt::from(i64::MIN));
    out.push(BigInt::from(i64::MAX));
    out
}

#[test]
fn encoded_comparison_bit_length_and_int_match_the_decoded_values() {
    let values = boundary_values();
    for a in &values {
        let wa = call("big_from_str", &[s(&a.to_string()), 10]);
        assert_eq!(decode(&encode(a)), *a);
        assert_eq!(call("big_bit_length", &[wa]), a.bits(), "bit_length of {a}");
        assert_eq!(call("big_fits_int", &[wa]) != 0, a.to_i64().is_some(), "fits {a}");
        let low = (a & BigInt::from(u64::MAX)).to_u64().unwrap() as i64;
        assert_eq!(call("big_to_int", &[wa]) as i64, low, "low 64 bits of {a}");
        for b in &values {
            let wb = call("big_from_str", &[s(&b.to_string()), 10]);
            let want = a.cmp(b) as i64;
            assert_eq!(call("big_cmp", &[wa, wb]) as i64, want, "cmp({a}, {b})");
        }
    }
}
