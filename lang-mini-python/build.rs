//! Link settings of the `lang-mini-python` binary.
//!
//! `-z keep-text-section-prefix` (lld's and GNU ld's): the statically linked LLVM has ~640
//! static initialisers (one per C++ file), which run at every start, even in a mode that
//! never uses LLVM. Without the flag lld scatters them over the binary's 33 MB of code, so the
//! first touch of each brings its 64 KB fault-around window in: ~15 MB of peak RSS for an
//! empty program. With it they sit together in one `.text.startup` section (and the
//! `.text.hot`/`.text.unlikely` code apart likewise).
//!
//! `-z pack-relative-relocs` (RELR, glibc 2.36): the position-independent binary's ~120 000
//! relative relocations take 2.9 MB as `.rela.dyn`, all read by the loader at every start;
//! packed they take a few KB.
fn main() {
    println!("cargo:rustc-link-arg-bins=-Wl,-z,keep-text-section-prefix");
    println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    println!("cargo:rerun-if-changed=build.rs");
}
