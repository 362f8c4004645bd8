#!/usr/bin/env bash
# Every test pycc has: the Rust unit and golden tests, then the Python package built from
# this checkout and its pytest suite (differential, runtime, CLI).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
# Every compile in the tests runs Cranelift's verifier (debug builds always do; this turns
# it on in the release build the Python tests use).
export PYCC_VERIFY=1

echo "== test dependencies (maturin to build, pytest, numpy, hypothesis, Cython as the C oracle)"
"$PYTHON" -m pip install --quiet --disable-pip-version-check "maturin>=1.5,<2" pytest numpy hypothesis Cython

echo "== cargo test (compiler, cli)"
cargo test --quiet -p pycc-compiler -p pycc

echo "== pip install . (the pycc package, release build)"
"$PYTHON" -m pip install --quiet --no-build-isolation --force-reinstall --no-deps .

echo "== pytest"
"$PYTHON" -m pytest tests/python -q -p no:cacheprovider
