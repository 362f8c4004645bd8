#!/usr/bin/env bash
# Every test pycc has: the Rust unit and golden tests, then the Python package built from
# this checkout and its pytest suite (differential, runtime, CLI).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

echo "== cargo test (compiler, cli)"
cargo test --quiet -p pycc-compiler -p pycc

echo "== pip install . (the pycc package, release build)"
"$PYTHON" -m pip install --quiet --no-build-isolation --force-reinstall --no-deps .

echo "== pytest"
"$PYTHON" -m pytest tests/python -q -p no:cacheprovider
