#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine, once; harmless to run again.
# Prints the environment to use (LLVM_SYS_191_PREFIX); callers `source` nothing — the Makefile
# exports it itself.
set -euo pipefail
pkgs="llvm-19-dev libpolly-19-dev libzstd-dev zlib1g-dev libxml2-dev libffi-dev libgc-dev pkg-config graphviz"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing$missing" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi
if ! command -v cargo >/dev/null 2>&1; then
    echo "setup: cargo not found; install Rust with rustup (https://rustup.rs)" >&2
    exit 1
fi
