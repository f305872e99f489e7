//! I/O at the edges: reading a line from stdin, writing to stderr, and the process's exit
//! status.
//!
//! Conventions:
//! - `read_line()` returns the next line of stdin *with* its `\n` (Python's
//!   `sys.stdin.readline()`), the last line without one if the input does not end in `\n`, and
//!   the empty string at end of input: a line is never empty otherwise, so `""` is the EOF
//!   result. Input is decoded as UTF-8 (an invalid sequence becomes U+FFFD). Reading first
//!   flushes buffered output, so prompts appear before the program waits.
//! - `write_stderr(s)` writes `s` in UTF-8 to stderr at once (after flushing buffered stdout,
//!   so the two streams interleave in program order on a terminal).
//! - `set_exit_status(n)` records the status the process should exit with (the last call
//!   wins; the value is kept as `n & 0xff`'s source, see [`exit_status`]). Nothing exits: the
//!   host reads [`exit_status`] when the program's call returns and passes it to
//!   `std::process::exit` (the `rpy-ir` and `rpy-llvm` binaries and lang-tlc's CLI do). The
//!   record is process-wide, shared by every mode (the IR interpreter and compiled code call
//!   the same extern); [`take_exit_status`] reads and clears it for hosts running several
//!   programs.
//! - `time_ns()` reads the wall clock (nanoseconds since the Unix epoch): a seed, never a
//!   value a test may compare.

use super::*;
use std::collections::VecDeque;
use std::io::BufRead;
use std::sync::atomic::{AtomicI64, Ordering};

thread_local! {
    /// Input fed by [`with_input`] instead of stdin, if any.
    static INPUT: RefCell<Option<VecDeque<u8>>> = const { RefCell::new(None) };
}

/// Runs `f` with `read_line` on this thread reading `input` instead of stdin (then end of
/// input): how tests and hosts that own the input feed a program.
pub fn with_input<R>(input: &[u8], f: impl FnOnce() -> R) -> R {
    /// Puts the enclosing input back, also when `f` panics.
    struct Restore(Option<VecDeque<u8>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let prev = self.0.take();
            let _ = INPUT.try_with(|i| *i.borrow_mut() = prev);
        }
    }
    let prev = INPUT.with(|i| i.borrow_mut().replace(input.iter().copied().collect()));
    let _restore = Restore(prev);
    f()
}

/// The next line's bytes with its `\n`, from the fed input or stdin; empty at end of input.
fn next_line() -> Vec<u8> {
    let mut line = Vec::new();
    let fed = INPUT.with(|i| {
        let mut i = i.borrow_mut();
        let input = i.as_mut()?;
        while let Some(b) = input.pop_front() {
            line.push(b);
            if b == b'\n' {
                break;
            }
        }
        Some(())
    });
    if fed.is_none() {
        // A read error ends the input like EOF does: there is no other way to report it.
        let _ = std::io::stdin().lock().read_until(b'\n', &mut line);
    }
    line
}

/// No status was set.
const UNSET: i64 = i64::MIN;

/// The recorded exit status ([`UNSET`] if none).
static EXIT_STATUS: AtomicI64 = AtomicI64::new(UNSET);

/// The exit status the program set with `set_exit_status`, if it did.
pub fn exit_status() -> Option<i64> {
    Some(EXIT_STATUS.load(Ordering::SeqCst)).filter(|&s| s != UNSET)
}

/// [`exit_status`], clearing the record.
pub fn take_exit_status() -> Option<i64> {
    Some(EXIT_STATUS.swap(UNSET, Ordering::SeqCst)).filter(|&s| s != UNSET)
}

/// The status a process exits with for a recorded status `n`: its low byte, as POSIX keeps
/// (Python's `sys.exit(256)` exits 0 too).
pub fn process_status(n: i64) -> i32 {
    (n & 0xff) as i32
}

externs! {
    /// The next line of stdin with its newline; `""` at end of input (see the module header).
    fn read_line() -> StrPtr [allocates] {
        flush_output();
        StrPtr::from_text(&String::from_utf8_lossy(&next_line()))
    }
    /// Writes a string to stderr in UTF-8 (`<null>` for null), unbuffered.
    fn write_stderr(s: StrPtr) [] {
        flush_output();
        let text = if s.0.is_null() {
            "<null>".to_string()
        } else {
            // SAFETY: a live str argument.
            utf8(unsafe { s.chars() })
        };
        let mut err = std::io::stderr().lock();
        // Like stdout, a closed stderr cannot be reported to RPy code.
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }
    /// Records the status the process exits with (see the module header).
    fn set_exit_status(n: i64) [] {
        EXIT_STATUS.store(n, Ordering::SeqCst);
    }
    /// Nanoseconds since the Unix epoch (0 if the clock is before it): the entropy of
    /// mini-Python's `random.seed()` without an argument. Not pure: every call reads the clock.
    fn time_ns() -> i64 [] {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_status_is_recorded_and_taken() {
        let set = lookup("set_exit_status").unwrap();
        assert!(!set.pure);
        (set.interp)(&[3]);
        assert_eq!(exit_status(), Some(3));
        (set.interp)(&[(-1i64) as u64]);
        assert_eq!(take_exit_status(), Some(-1));
        assert_eq!(exit_status(), None);
        assert_eq!(process_status(-1), 255);
        assert_eq!(process_status(256), 0);
        assert_eq!(process_status(42), 42);
    }

    #[test]
    fn lines_are_read_with_their_newline_and_eof_is_empty() {
        let read = || {
            let w = (lookup("read_line").unwrap().interp)(&[]);
            // SAFETY: a fresh str result, kept alive by this stack frame.
            utf8(unsafe { StrPtr::from_word(w).chars() })
        };
        let lines =
            with_input("héllo\n\nlast".as_bytes(), || (0..5).map(|_| read()).collect::<Vec<_>>());
        assert_eq!(lines, ["héllo\n", "\n", "last", "", ""]);
        assert_eq!(with_input(b"\xff\n", read), "\u{fffd}\n", "invalid UTF-8 is replaced");
    }

    #[test]
    fn the_clock_reads_nanoseconds_since_the_epoch() {
        let clock = lookup("time_ns").unwrap();
        assert!(clock.params.is_empty() && clock.ret == ExternTy::Int && !clock.pure);
        let (a, b) = ((clock.interp)(&[]) as i64, (clock.interp)(&[]) as i64);
        // Both after 2020-01-01 (the wall clock may step back, so no order is asserted).
        assert!(a > 1_577_836_800_000_000_000 && b > 1_577_836_800_000_000_000);
    }

    #[test]
    fn io_externs_have_their_signatures() {
        let r = lookup("read_line").unwrap();
        assert!(r.params.is_empty() && r.ret == ExternTy::Str && r.allocates && !r.pure);
        let w = lookup("write_stderr").unwrap();
        assert_eq!(w.params, &[ExternTy::Str]);
        assert_eq!(w.ret, ExternTy::Void);
    }
}
