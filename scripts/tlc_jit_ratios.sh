#!/usr/bin/env bash
# The JIT on generated TLC programs (issue 17): builds lang-tlc and its corpus driver, then runs
# N generated programs (lang_tlc::benchgen, seeds FIRST..FIRST+N) whole-process in translated,
# jit and `jit --jit-hot 1` modes and prints one line per program, the distribution of speed
# ratios (translated time / jit time: worst, 10th percentile, median, best), default tiering
# against --jit-hot 1, compile time against run time (from RPY_JIT_LOG=summary and
# RPY_LLVM_LOG=jit) and the bottom ten programs with their seeds. Every JIT run must print what
# translated mode prints (a MISMATCH line on stderr otherwise).
#
# Usage: scripts/tlc_jit_ratios.sh [--n N (default 60)] [--first SEED] [--ops 10M,30M,80M] [--fixed]
#                                  [--timeout S]
#   --ops: the sizes (bytecodes executed), cycled over the programs; the default gives about
#          0.1 to 2 s per program translated on this machine (about 10 minutes for the default 60 on the loaded 2-core machine).
#   --fixed: also the two fixed programs of lang-tlc/bench-corpus/ (two_classes, collatz).
# Show one program: target/release/examples/tlc_corpus show SEED [OPS]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export LLVM_SYS_191_PREFIX=${LLVM_SYS_191_PREFIX:-/usr/lib/llvm-19}
cargo build --release -q -p lang-tlc --bin lang-tlc --example tlc_corpus
exec target/release/examples/tlc_corpus ratios --bin target/release/lang-tlc "$@"
