#!/usr/bin/env bash
# Refreshes constraints.txt: the exact versions, transitive ones included, that
# `pip install -c constraints.txt -e '.[test]'` (scripts/test.sh) installs.
#
# Resolves pyproject.toml's dependencies and the `test` extra afresh, to the newest releases
# that fit, in a throwaway virtual environment, and writes what pip installed.  Run it on
# purpose (after changing a dependency, or to move to new releases), then run
# `bash scripts/test.sh` and commit constraints.txt with what the new versions needed.
# scripts/check-dependency-bounds.sh checks the declared lower bounds and the newest releases.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --disable-pip-version-check -q -e '.[test]'
{
  echo "# The versions scripts/test.sh installs (pip install -c constraints.txt -e '.[test]'),"
  echo "# written by scripts/update-constraints.sh with $("$work/venv/bin/python" -V) on $(date -u +%F)."
  echo "# Refresh on purpose: bash scripts/update-constraints.sh"
  "$work/venv/bin/python" -m pip freeze --disable-pip-version-check --exclude-editable \
    | grep -viE '^(pyocm|pip|setuptools|wheel)=='
} >constraints.txt.new
mv constraints.txt.new constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) packages pinned"
