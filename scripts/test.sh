#!/usr/bin/env bash
# Installs everything the tests need, then runs the linters and the whole test suite.
# README command (2); .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --disable-pip-version-check -q -e '.[test]'
python3 -m ruff check src tests bench
python3 -m ruff format --check src tests bench
python3 -m mypy
bash scripts/install-test-tools.sh
python3 -m pytest
