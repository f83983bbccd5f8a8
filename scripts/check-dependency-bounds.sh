#!/usr/bin/env bash
# Checks that pyproject.toml's declared dependency ranges are honest: installs pyocm into a
# throwaway virtual environment with its runtime dependencies at one end of their ranges and
# runs the tests there.
#
#   bash scripts/check-dependency-bounds.sh lowest [pytest args]   # each `name>=X` at exactly X
#   bash scripts/check-dependency-bounds.sh newest [pytest args]   # the newest releases of all
#
# `lowest` pins the direct runtime dependencies to their lower bounds (pip has no lowest
# resolution, so it writes a constraints file of `name==X`); everything else resolves to the
# newest release that fits.  `newest` ignores constraints.txt and upgrades everything.  The
# pytest args default to the whole suite; the installed versions are printed first.  A
# dependency without a `>=` lower bound is an error: every range needs a tested floor.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
case "$mode" in
  lowest | newest) shift ;;
  *)
    echo "usage: check-dependency-bounds.sh lowest|newest [pytest args]" >&2
    exit 2
    ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
python=$work/venv/bin/python
pip=("$python" -m pip install --disable-pip-version-check -q)

# the direct runtime dependencies, as `name==lower bound` (and their names, to print)
python3 - "$work" <<'PY'
import re, sys, tomllib
from pathlib import Path

work = Path(sys.argv[1])
deps = tomllib.loads(Path("pyproject.toml").read_text())["project"]["dependencies"]
pins, names = [], []
for dep in deps:
    found = re.match(r"^\s*([A-Za-z0-9._-]+)\s*(?:\[[^]]*\])?\s*>=\s*([^,;\s]+)", dep)
    if found is None:
        sys.exit(f"check-dependency-bounds: {dep!r} has no '>=' lower bound")
    pins.append(f"{found[1]}=={found[2]}")
    names.append(found[1])
(work / "lowest.txt").write_text("\n".join(pins) + "\n")
(work / "names.txt").write_text("\n".join(names) + "\n")
PY

if [ "$mode" = lowest ]; then
  "${pip[@]}" -c "$work/lowest.txt" -e '.[test]'
else
  "${pip[@]}" --upgrade --upgrade-strategy eager -e '.[test]'
fi
echo "check-dependency-bounds: $mode:" $("$python" -m pip list --disable-pip-version-check \
  --format freeze | grep -iE "^($(paste -sd'|' "$work/names.txt"))==")
export PATH="$work/venv/bin:$PATH"
"$python" -m pytest -p no:cacheprovider "$@"
