"""constraints.txt pins everything the test command installs, within the declared ranges."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PINS = {
    canonicalize_name(name): version
    for name, version in re.findall(
        r"^([A-Za-z0-9._-]+)==(\S+)$", (ROOT / "constraints.txt").read_text(), re.M
    )
}
DECLARED = [
    Requirement(spec) for spec in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]
]


def test_the_test_command_installs_from_the_constraints() -> None:
    script = (ROOT / "scripts" / "test.sh").read_text()
    assert "pip install --disable-pip-version-check -q -c constraints.txt -e '.[test]'" in script


def test_every_declared_dependency_is_pinned_within_its_range() -> None:
    for requirement in DECLARED:
        pinned = PINS.get(canonicalize_name(requirement.name))
        assert pinned is not None, f"{requirement.name} is not in constraints.txt"
        assert requirement.specifier.contains(pinned), f"{requirement} excludes {pinned}"


def test_every_package_the_installed_dependencies_pull_in_is_pinned() -> None:
    # Walk the requirements of the installed distributions, as pip resolved them here.
    seen: set[str] = set()
    todo = list(DECLARED)
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in seen or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
            continue
        seen.add(name)
        try:
            requires = distribution(requirement.name).requires or []
        except PackageNotFoundError:
            continue  # not installed here: checked by the declared-range test above
        todo.extend(Requirement(spec) for spec in requires)
    assert sorted(seen - PINS.keys()) == []
