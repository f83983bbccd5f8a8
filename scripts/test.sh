#!/usr/bin/env bash
# Installs everything the tests need, then runs the linters and the whole test suite.
# README command (2); .ci/run calls exactly this.
#
# First, in about a second, it checks what it cannot install itself and stops with one line
# naming it: Python >= 3.11 able to make a virtual environment, root for missing Debian
# packages, Go for the test tools not yet built (scripts/install-test-tools.sh --check).
# `bash scripts/test.sh --check` runs only these checks.
#
# Python packages: into the virtual environment python3 runs in, if it runs in one; otherwise
# into ./.venv, made once (this works where pip may not install into the system Python, PEP 668).
# They are pinned by constraints.txt (scripts/update-constraints.sh refreshes it); the install is
# skipped while pyproject.toml and constraints.txt are unchanged since the last one.
# Arguments after the options go to pytest (`bash scripts/test.sh tests/cli -x`).
set -euo pipefail
cd "$(dirname "$0")/.."

check_only=false
if [ "${1:-}" = --check ]; then
  check_only=true
  shift
fi

fail() {
  echo "test.sh: $*" >&2
  exit 1
}

# --- what this script cannot install ---------------------------------------------------------
command -v python3 >/dev/null 2>&1 \
  || fail "python3 not found: install Python 3.11 or newer (sudo apt-get install python3 python3-venv)"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || fail "needs Python 3.11 or newer, python3 is $(python3 -V 2>&1 | cut -d' ' -f2)"
if python3 -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)'; then
  python=python3 # already in a virtual environment: install into it
else
  python=.venv/bin/python
  if ! [ -x "$python" ]; then
    python3 -c 'import ensurepip' 2>/dev/null \
      || fail "python3 cannot make a virtual environment: install python3-venv (sudo apt-get install python3-venv)"
  fi
fi
bash scripts/install-test-tools.sh --check
if $check_only; then
  echo "test.sh: checks passed (Python packages go into $("$python" -c 'import sys; print(sys.prefix)' 2>/dev/null || echo ./.venv))"
  exit 0
fi

# --- Python packages -------------------------------------------------------------------------
if [ "$python" = .venv/bin/python ] && ! [ -x "$python" ]; then
  python3 -m venv .venv
fi
prefix=$("$python" -c 'import sys; print(sys.prefix)')
export PATH="$prefix/bin:$PATH" # the venv's ocm, ruff, mypy and pytest first
stamp=$prefix/.pyocm-test-install
want="$(pwd) $(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  "$python" -m pip install --disable-pip-version-check -q -c constraints.txt -e '.[test]'
  echo "$want" >"$stamp"
fi

# --- linters, test tools, tests ----------------------------------------------------------------
"$python" -m ruff check src tests bench
"$python" -m ruff format --check src tests bench
"$python" -m mypy
bash scripts/install-test-tools.sh
"$python" -m pytest "$@"
