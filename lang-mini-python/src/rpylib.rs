//! mini-Python's library code written in RPy over plain RPy values (ints, floats, strs,
//! bools, `list[T]`; no guest objects): the interpreter appends these sources to its own and
//! wraps guest values around the calls.
//!
//! - [`RANDOM`] (`rpylib/random.rpy`): CPython 3.11's Mersenne Twister (`struct MT`,
//!   `mt_seed`, `mt_seed_chunks` for big seeds, `mt_seed_time`, `mt_random`,
//!   `mt_getrandbits`, `mt_getrandbits_chunks`, `mt_randbelow`) and random.py's methods over
//!   it (`mt_randrange`, `mt_randrange_stop`, `mt_randint`, `mt_choice_index`,
//!   `mt_shuffle_swaps`, `mt_shuffle_ints`, `mt_uniform`): the same numbers as CPython for the
//!   same int seed.
//! - [`FORMAT`] (`rpylib/format.rpy`): the format-spec mini-language (`format_int`,
//!   `format_int_digits` for big ints, `format_int_named`, `format_float`, `format_str`) and
//!   one printf-style conversion (`percent_int`, `percent_int_digits`, `percent_float`,
//!   `percent_str`, `percent_bad_char`), raising CPython 3.11's exceptions.
//!
//! Both compile into one program (their helpers are prefixed `mt_` and `fmt_`); each file's
//! header states its vocabulary and limits. `tests/rpylib.rs` runs them against CPython's
//! values in the IR interpreter and translated mode.

/// The source of `rpylib/random.rpy`.
pub const RANDOM: &str = include_str!("rpylib/random.rpy");

/// The source of `rpylib/format.rpy`.
pub const FORMAT: &str = include_str!("rpylib/format.rpy");
