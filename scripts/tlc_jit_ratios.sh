#!/usr/bin/env bash
# The JIT on generated TLC programs (issue 17): builds lang-tlc and its corpus driver, then runs
# N generated programs (lang_tlc::benchgen, seeds FIRST..FIRST+N) whole-process in translated,
# jit and `jit --jit-hot 1` modes and prints one line per program, the distribution of speed
# ratios (translated time / jit time: worst, 10th percentile, median, best), default tiering
# against --jit-hot 1, compile time against run time (from RPY_JIT_LOG=summary and
# RPY_LLVM_LOG=jit) and the bottom ten programs with their seeds. Every JIT run must print what
# translated mode prints (a MISMATCH line on stderr otherwise).
#
# Usage: scripts/tlc_jit_ratios.sh [--n N (default 60)] [--first SEED] [--seeds A,B,...]
#                                  [--ops 10M,30M,80M] [--fixed] [--timeout S]
#   --ops: the sizes (bytecodes executed); seed S gets the (S mod count)-th. The default gives
#          0.1 to 2 s of CPU per program translated; a default run took 10-20 minutes on the
#          shared 2-core machine (load 6-10), almost all of it in the JIT runs' compiling.
#   --seeds: these seeds only (e.g. the bottom ten of a run, for a before/after).
#   --fixed: also the two fixed programs of lang-tlc/bench-corpus/ (two_classes, collatz).
# Times are wall and CPU (user + system of the process); the ratios by CPU are the stable ones
# on a loaded machine. See lang-tlc/bench-corpus/README.md for what the figures mean.
# Show one program: target/release/examples/tlc_corpus show SEED [OPS]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export LLVM_SYS_191_PREFIX=${LLVM_SYS_191_PREFIX:-/usr/lib/llvm-19}
cargo build --release -q -p lang-tlc --bin lang-tlc --example tlc_corpus
exec target/release/examples/tlc_corpus ratios --bin target/release/lang-tlc "$@"
