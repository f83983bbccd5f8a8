"""Plain tables of ``get cv`` and ``add cv``: every cell shows its value; ``add cv`` lists
what the constructor file added, not the versions it only references."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

Invoke = Callable[..., Result]

LIB = "name: acme.org/lib\nversion: 1.0.0\nprovider: {name: acme.org}\n"
APP = """\
components:
- name: acme.org/app
  version: 1.0.0
  provider: {name: acme.org}
  componentReferences:
  - {name: lib, componentName: acme.org/lib, version: 1.0.0}
  - {name: tool, componentName: acme.org/tool, version: 1.0.0}
- name: acme.org/tool
  version: 1.0.0
  provider: {name: acme.org}
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lib.yaml").write_text(LIB)
    (tmp_path / "app.yaml").write_text(APP)
    return tmp_path


def _rows(table: str) -> list[list[str]]:
    lines = table.splitlines()[2:]  # header and rule
    return [[cell.strip() for cell in line.split("│")] for line in lines]


@pytest.mark.usefixtures("workdir")
def test_get_cv_repeats_the_provider_in_every_row(invoke: Invoke) -> None:
    assert invoke("add", "cv", "-c", "lib.yaml", "-r", "./ctf").exit_code == 0
    assert invoke("add", "cv", "-c", "app.yaml", "-r", "./ctf").exit_code == 0
    result = invoke("get", "cv", "./ctf")
    assert result.exit_code == 0, result.stderr
    rows = _rows(result.stdout)
    assert len(rows) == 3
    assert all(row[2] == "acme.org" and row[0] for row in rows)


@pytest.mark.usefixtures("workdir")
def test_get_cv_repeats_the_component_of_each_version(invoke: Invoke, workdir: Path) -> None:
    assert invoke("add", "cv", "-c", "lib.yaml", "-r", "./ctf").exit_code == 0
    (workdir / "lib.yaml").write_text(LIB.replace("1.0.0", "2.0.0"))
    assert invoke("add", "cv", "-c", "lib.yaml", "-r", "./ctf").exit_code == 0
    rows = _rows(invoke("get", "cv", "./ctf//acme.org/lib").stdout)
    assert rows == [["acme.org/lib", "2.0.0", "acme.org"], ["acme.org/lib", "1.0.0", "acme.org"]]


@pytest.mark.usefixtures("workdir")
@pytest.mark.parametrize("output", ["table", "json"])
def test_add_cv_lists_only_what_the_file_added(invoke: Invoke, output: str) -> None:
    assert invoke("add", "cv", "-c", "lib.yaml", "-r", "./ctf").exit_code == 0
    result = invoke("add", "cv", "-c", "app.yaml", "-r", "./ctf", "-o", output)
    assert result.exit_code == 0, result.stderr
    if output == "table":
        listed = [row[0] for row in _rows(result.stdout)]
    else:
        listed = [d["component"]["name"] for d in json.loads(result.stdout)]
    assert listed == ["acme.org/app", "acme.org/tool"]  # acme.org/lib was only referenced


@pytest.mark.usefixtures("workdir")
def test_add_cv_tree_still_shows_the_references(invoke: Invoke) -> None:
    assert invoke("add", "cv", "-c", "lib.yaml", "-r", "./ctf").exit_code == 0
    result = invoke("add", "cv", "-c", "app.yaml", "-r", "./ctf", "-o", "tree")
    assert result.exit_code == 0, result.stderr
    assert "acme.org/lib" in result.stdout
