//! Bytes literals (`b'..'`, `rb'..'`): their bodies decoded to bytes as CPython 3.11 does.
//!
//! A body may hold only ASCII characters; the escapes are those of str literals less `\u`,
//! `\U` and `\N` (which stay as written, backslash included, like any unknown escape); an
//! octal escape above `\377` keeps its low eight bits (CPython 3.11 warns and masks).
//! Errors are CPython's messages; the caller places them (CPython points at the token after
//! the literals).

use crate::token::StrLit;

/// Why a bytes literal's body does not decode.
pub enum BytesError {
    /// A character outside ASCII.
    NonAscii,
    /// A bad escape, with CPython's message.
    Escape(String),
}

/// The bytes of one literal's body.
pub fn decode_bytes(lit: &StrLit) -> Result<Vec<u8>, BytesError> {
    if !lit.body.is_ascii() {
        return Err(BytesError::NonAscii);
    }
    let body = lit.body.as_bytes();
    if lit.raw {
        return Ok(body.to_vec());
    }
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let c = body[i];
        i += 1;
        if c != b'\\' || i >= body.len() {
            out.push(c);
            continue;
        }
        let e = body[i];
        i += 1;
        match e {
            b'\n' => {}
            b'\\' | b'\'' | b'"' => out.push(e),
            b'a' => out.push(0x07),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(0x0b),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                let mut n = 1;
                while n < 3 && i < body.len() && (b'0'..=b'7').contains(&body[i]) {
                    v = v * 8 + u32::from(body[i] - b'0');
                    i += 1;
                    n += 1;
                }
                out.push((v & 0xff) as u8);
            }
            b'x' => {
                let hex = |k: usize| body.get(k).and_then(|&d| (d as char).to_digit(16));
                match (hex(i), hex(i + 1)) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => {
                        return Err(BytesError::Escape(format!(
                            "(value error) invalid \\x escape at position {}",
                            i - 2
                        )))
                    }
                }
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(body: &str, raw: bool) -> StrLit {
        StrLit {
            raw,
            fstring: false,
            bytes: true,
            body: body.to_string(),
            body_line: 1,
            body_col: 0,
        }
    }

    fn ok(body: &str, raw: bool) -> Vec<u8> {
        decode_bytes(&lit(body, raw)).ok().expect("decodes")
    }

    #[test]
    fn escapes_decode_as_cpythons() {
        assert_eq!(ok(r"a\x41\102\0\n\t\\\'", false), b"aAB\0\n\t\\'");
        assert_eq!(ok(r"\777\400", false), [0xff, 0x00]);
        assert_eq!(ok(r"\u1234\N{x}\q", false), br"\u1234\N{x}\q");
        assert_eq!(ok(r"\x41\n", true), br"\x41\n");
        assert_eq!(ok("line\\\nnext", false), b"linenext");
    }

    #[test]
    fn bad_literals_are_cpythons_errors() {
        match decode_bytes(&lit(r"ab\x4", false)) {
            Err(BytesError::Escape(m)) => {
                assert_eq!(m, r"(value error) invalid \x escape at position 2")
            }
            _ => panic!("a truncated \\x escape is an error"),
        }
        assert!(matches!(decode_bytes(&lit("café", false)), Err(BytesError::NonAscii)));
        assert!(matches!(decode_bytes(&lit("café", true)), Err(BytesError::NonAscii)));
    }
}
