#!/usr/bin/env bash
# The mini-Python benchmark suite (issue 18; lang-mini-python/bench/, listed in its sizes.txt)
# under our jit mode, our translated mode, CPython 3.11 (`python3`) and PyPy 3 (`pypy3`,
# installed with apt when missing), each run whole-process RUNS times (the implementations
# alternating), with a time limit per run. Prints and writes to OUT/results.md, per benchmark:
# the median wall time of each implementation, the ratios of ours to CPython and to PyPy,
# the peak RSS (`/usr/bin/time -f %M`, the largest of the runs), the JIT's compile time (the
# median over the jit runs of the driver's compilations, `RPY_JIT_LOG=summary`, plus the
# backend's module compilations, `RPY_LLVM_LOG=jit`: lower + optimise + codegen + link, on the
# compile thread too) beside the jit run's time; the geometric means of the ratios; a second
# table of the median CPU times (user + system) and their ratios; the start-up time (an empty
# program) and its RSS. Our modes run an empty program once first, untimed, so the object
# cache holds the translated interpreter. OUT/ratios.svg charts the time ratios to CPython on
# a log scale; OUT/results.json has the raw figures. A run whose stdout differs from
# CPython's is reported as a MISMATCH (and its time left out of the means); a run past the
# limit as a timeout.
#
# Usage: scripts/bench_python.sh [--runs N (default 3)] [--quick] [--timeout S (default 120)]
#                                [--out DIR (default target/bench-python)] [--no-pypy]
#                                [NAME...]
#   --quick: each benchmark at its small size (sizes.txt), one run: a smoke test of the script.
# e.g.   scripts/bench_python.sh --runs 1 fib richards
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export LLVM_SYS_191_PREFIX=${LLVM_SYS_191_PREFIX:-/usr/lib/llvm-19}
if ! command -v pypy3 >/dev/null 2>&1 && [[ " $* " != *" --no-pypy "* ]]; then
    echo "bench_python: installing pypy3 (Debian's package)" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq pypy3 >/dev/null
fi
[ -x /usr/bin/time ] || { echo "bench_python: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
cargo build --release -q -p lang-mini-python --bin lang-mini-python
exec python3 "$root/scripts/bench_python.py" "$root/target/release/lang-mini-python" \
    "$root/lang-mini-python/bench" "$@"
