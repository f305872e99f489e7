#!/bin/sh
# The cost of an overflow-checked add (issue 15): callgrind instruction counts of the same loop
# with `s = (s ^ i) + (i & 7)` and with `ovfcheck(...)`, translated at O2, loop unrolling off
# (otherwise LLVM unrolls the plain loop 8x and the comparison says nothing about the check).
# The per-iteration figure is the difference between n = 11M and n = 1M, over 10M iterations,
# so start-up and translation cancel out. Expected: the checked loop costs one instruction
# more per iteration (its `jno`).
set -e
cd "$(dirname "$0")/.."
export LLVM_SYS_191_PREFIX=${LLVM_SYS_191_PREFIX:-/usr/lib/llvm-19}
cargo build --release -q -p backend-llvm --bin rpy-llvm
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)"; exit 1; }
prog=backend-llvm/benches/programs/ovfcheck.rpy
count() {
    RPY_LLVM_ARGS='-unroll-threshold=0 -unroll-runtime=false' \
        valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        target/release/rpy-llvm run --no-cache --opt O2 "$prog" "$1" "$2" 2>&1 |
        awk '/Collected/ {print $4}'
}
for f in plain checked; do
    small=$(count $f 1000000)
    big=$(count $f 11000000)
    echo "$f: $(echo "scale=2; ($big - $small) / 10000000" | bc) instructions per iteration"
done
