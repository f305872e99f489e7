#!/bin/sh
# RPy `list[int]` append + index against Rust's `Vec<i64>` (issue 15), in callgrind
# instructions: `list_bench` of backend-llvm/benches/programs/containers.rpy translated at O2,
# and the same loop in Rust (benches/programs/vec_list.rs, rustc -C opt-level=3). One
# iteration is one append and four reads; the per-iteration figure is the difference between
# n = 2M and n = 1M over 1M iterations, so start-up and translation cancel out. It counts
# everything the program runs for the list: the loops, the growth (copying, the allocator's
# zeroing of the new arrays, the GC) — the same work `cargo bench --bench containers` times.
set -e
cd "$(dirname "$0")/.."
export LLVM_SYS_191_PREFIX=${LLVM_SYS_191_PREFIX:-/usr/lib/llvm-19}
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)"; exit 1; }
cargo build --release -q -p backend-llvm --bin rpy-llvm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rustc -C opt-level=3 -o "$tmp/vec_list" backend-llvm/benches/programs/vec_list.rs
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | awk '/Collected/ {print $4}'
}
per_iteration() {
    small=$(count "$@" 1000000)
    big=$(count "$@" 2000000)
    echo $(((big - small) / 1000000))
}
rpy=$(per_iteration target/release/rpy-llvm run --no-cache --opt O2 \
    backend-llvm/benches/programs/containers.rpy list_bench)
rust=$(per_iteration "$tmp/vec_list")
echo "list append + 4 reads, instructions per iteration: RPy $rpy, Rust Vec $rust," \
    "ratio $(echo "scale=2; $rpy / $rust" | bc)"
