//! `lang-mini-python`: the mini-Python command line. The language is not implemented yet
//! (its issue is not open); until then the binary says so and exits with status 2, so that
//! `cargo run -p lang-mini-python` answers truthfully instead of failing to build.

use std::process::ExitCode;

fn main() -> ExitCode {
    eprintln!(
        "lang-mini-python: mini-Python is not implemented yet (see ../shared/spec/MINI_PYTHON.md \
         for the planned language); nothing was run"
    );
    ExitCode::from(2)
}
