//! Exact integer literals: digits in base 2, 8, 10 or 16 to an `IntValue`.
//!
//! A literal that does not fit an `i64` is converted to its decimal digits with schoolbook
//! arithmetic on base-10^9 limbs (the only big-number work a compiler needs); the interpreter
//! owns real big-int arithmetic.

use crate::token::IntValue;

/// The value of `digits` (already stripped of prefix and underscores) in `radix`.
pub fn int_from_digits(digits: &str, radix: u32) -> IntValue {
    if let Ok(v) = i64::from_str_radix(digits, radix) {
        return IntValue::Small(v);
    }
    // little-endian limbs of 10^9
    let mut limbs: Vec<u64> = vec![0];
    for c in digits.chars() {
        let d = c.to_digit(radix).expect("lexer checked the digits") as u64;
        let mut carry = d;
        for limb in limbs.iter_mut() {
            let v = *limb * radix as u64 + carry;
            *limb = v % 1_000_000_000;
            carry = v / 1_000_000_000;
        }
        while carry > 0 {
            limbs.push(carry % 1_000_000_000);
            carry /= 1_000_000_000;
        }
    }
    let mut out = String::new();
    for (i, limb) in limbs.iter().rev().enumerate() {
        if i == 0 {
            out.push_str(&limb.to_string());
        } else {
            out.push_str(&format!("{limb:09}"));
        }
    }
    IntValue::Big(out)
}

/// The negation of an integer value (for folding `-LITERAL`).
pub fn negate(v: &IntValue) -> IntValue {
    match v {
        IntValue::Small(x) => match x.checked_neg() {
            Some(n) => IntValue::Small(n),
            None => IntValue::Big(x.to_string().trim_start_matches('-').to_string()),
        },
        IntValue::Big(s) => {
            if let Some(pos) = s.strip_prefix('-') {
                match pos.parse::<i64>() {
                    Ok(n) => IntValue::Small(n),
                    Err(_) => IntValue::Big(pos.to_string()),
                }
            } else if s == "9223372036854775808" {
                IntValue::Small(i64::MIN)
            } else {
                IntValue::Big(format!("-{s}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_big_values() {
        assert_eq!(int_from_digits("ff", 16), IntValue::Small(255));
        assert_eq!(int_from_digits("9223372036854775807", 10), IntValue::Small(i64::MAX));
        assert_eq!(
            int_from_digits("9223372036854775808", 10),
            IntValue::Big("9223372036854775808".into())
        );
        // 2**100
        assert_eq!(
            int_from_digits(&format!("1{}", "0".repeat(100)), 2),
            IntValue::Big("1267650600228229401496703205376".into())
        );
        assert_eq!(
            int_from_digits("ffffffffffffffffffff", 16),
            IntValue::Big("1208925819614629174706175".into())
        );
        assert_eq!(
            int_from_digits("1000000000000000000000", 10).to_string(),
            "1000000000000000000000"
        );
    }

    #[test]
    fn negation_crosses_the_word_boundary() {
        assert_eq!(negate(&IntValue::Big("9223372036854775808".into())), IntValue::Small(i64::MIN));
        assert_eq!(negate(&IntValue::Small(i64::MIN)), IntValue::Big("9223372036854775808".into()));
        assert_eq!(negate(&IntValue::Small(5)), IntValue::Small(-5));
        assert_eq!(
            negate(&IntValue::Big("99999999999999999999".into())).to_string(),
            "-99999999999999999999"
        );
    }
}
