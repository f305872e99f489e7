#!/usr/bin/env bash
# Times every JIT-robustness repro (`shared/repros/jit-robustness/*.tlc.src`) in every execution
# mode of lang-tlc and prints a table: per mode the wall time, its ratio to translated mode,
# the peak memory, and whether the run passes: the same outcome as translated mode (stdout,
# stderr and exit status) within 3x translated's time + 0.5 s.
#
# Usage: scripts/repro_times.sh [NAME...]    (names without .tlc.src; default: every repro)
# Environment:
#   REPROS   the repro directory (default: ../shared/repros/jit-robustness from the project
#            root, else /work/shared/repros/jit-robustness)
#   TIMEOUT  seconds a single run may take before it is killed (default 60)
#   LANG_TLC the binary (default: target/release/lang-tlc, built first with cargo)
#
# Each repro runs with the input its README gives (`NAME.tlc.src N` or `(input N)`); where the
# README gives the size only in words, the table below (`readme_input`) has it. Rows that fail
# are reported, not fixed, here: the script exits 0 whatever the table says.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
repros=${REPROS:-$root/../shared/repros/jit-robustness}
[ -d "$repros" ] || repros=/work/shared/repros/jit-robustness
timeout_s=${TIMEOUT:-60}
if [ -z "${LANG_TLC:-}" ]; then
    (cd "$root" && cargo build --release -q -p lang-tlc) || exit 2
    LANG_TLC=$root/target/release/lang-tlc
fi
[ -x "$LANG_TLC" ] || { echo "no binary $LANG_TLC" >&2; exit 2; }
[ -f "$repros/README.txt" ] || { echo "no README.txt in $repros" >&2; exit 2; }

# The modes, as lang-tlc arguments; `translated` is the reference and runs first.
modes=("translated" "llinterp" "jit" "jit-llinterp" "jit --jit-hot 1")
labels=("translated" "llinterp" "jit" "jit-llinterp" "jit-hot1")

# The input of repro $1: the first `NAME.tlc.src N` or `NAME.tlc.src (input N)` in the README,
# else the size the README describes in words, else 0.
readme_input() {
    local name=$1 n
    n=$(grep -oE "$name\.tlc\.src (\(input )?-?[0-9]+" "$repros/README.txt" | head -1 |
        grep -oE -- '-?[0-9]+$')
    if [ -n "$n" ]; then echo "$n"; return; fi
    case $name in
        nested_car_eq) echo 200000 ;;        # "N>100000"
        object_chain_print) echo 100000 ;;   # "1e5"
        send_recursion) echo 10000000 ;;     # "1e7"
        *) echo 0 ;;
    esac
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs repro file $1 with input $2 in mode index $3; leaves out.$3, err.$3, rc.$3, time.$3.
run_one() {
    local file=$1 input=$2 i=$3
    # shellcheck disable=SC2086 # the mode is several words on purpose
    /usr/bin/time -f "%e %M" -o "$work/time.$i" \
        timeout -s KILL "$timeout_s" "$LANG_TLC" run "$file" "$input" --mode ${modes[$i]} \
        >"$work/out.$i" 2>"$work/err.$i"
    echo $? >"$work/rc.$i"
}

printf '%-36s %9s' "repro" "input"
for l in "${labels[@]}"; do printf ' | %-28s' "$l"; done
echo
printf '%-36s %9s' "" ""
for _ in "${labels[@]}"; do printf ' | %-28s' "   secs  x tr    MB verdict"; done
echo
failed=0
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for f in "$repros"/*.tlc.src; do names+=("$(basename "$f" .tlc.src)"); done
fi
for name in "${names[@]}"; do
    file=$repros/$name.tlc.src
    [ -f "$file" ] || { echo "$name: no such repro" >&2; continue; }
    input=$(readme_input "$name")
    printf '%-36s %9s' "$name" "$input"
    ref_time=
    for i in "${!modes[@]}"; do
        run_one "$file" "$input" "$i"
        rc=$(cat "$work/rc.$i")
        read -r secs kb < <(grep -E '^[0-9.]+ [0-9]+$' "$work/time.$i" | tail -1)
        secs=${secs:-0} kb=${kb:-0}
        mb=$((kb / 1024))
        if [ "$rc" = 137 ] || [ "$rc" = 124 ]; then
            verdict=TIMEOUT
        elif [ "$i" = 0 ]; then
            verdict="rc=$rc"
            [ "$rc" -le 2 ] && ref_time=$secs
        elif ! cmp -s "$work/out.$i" "$work/out.0" || ! cmp -s "$work/err.$i" "$work/err.0" ||
            [ "$rc" != "$(cat "$work/rc.0")" ]; then
            verdict="DIFF(rc=$rc)"
        elif [ -n "$ref_time" ] && awk -v t="$secs" -v r="$ref_time" 'BEGIN{exit !(t > 3*r + 0.5)}'; then
            verdict=SLOW
        else
            verdict=ok
        fi
        ratio=-
        if [ -n "$ref_time" ]; then
            ratio=$(awk -v t="$secs" -v r="$ref_time" 'BEGIN{printf "%.1f", (r > 0 ? t / r : 0)}')
        fi
        case $verdict in ok | rc=*) ;; *) failed=$((failed + 1)) ;; esac
        [ "$verdict" = TIMEOUT ] && mb=?  # the killed process's memory is not known
        printf ' | %7.2f %5s %5s %-8s' "$secs" "$ratio" "$mb" "$verdict"
    done
    echo
done
echo "runs failing (TIMEOUT: over ${timeout_s} s; DIFF: outcome differs from translated;" \
    "SLOW: over 3x translated + 0.5 s): $failed"
