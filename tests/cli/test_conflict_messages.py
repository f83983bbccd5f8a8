"""Conflicts with what a repository already holds name the flag that resolves them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

Invoke = Callable[..., Result]

CONSTRUCTOR = "name: acme.org/app\nversion: 1.0.0\nprovider: {name: acme.org}\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "component-constructor.yaml").write_text(CONSTRUCTOR)
    return tmp_path


@pytest.mark.usefixtures("workdir")
def test_a_second_add_names_the_conflict_policy_flag_and_its_values(invoke: Invoke) -> None:
    assert invoke("add", "cv").exit_code == 0
    result = invoke("add", "cv")
    assert result.exit_code == 1
    message = result.stderr
    assert message.startswith('Error: component version "name=acme.org/app,version=1.0.0" ')
    assert "already exists" in message
    assert "--component-version-conflict-policy" in message
    assert "skip" in message
    assert "replace" in message
    assert result.stdout == ""


@pytest.mark.usefixtures("workdir")
@pytest.mark.parametrize("policy", ["skip", "replace"])
def test_the_named_values_resolve_the_conflict(invoke: Invoke, policy: str) -> None:
    assert invoke("add", "cv").exit_code == 0
    result = invoke("add", "cv", "--component-version-conflict-policy", policy)
    assert result.exit_code == 0, result.stderr
    assert "acme.org/app" in result.stdout


def test_paths_in_the_file_are_still_resolved_against_its_directory(
    invoke: Invoke, workdir: Path
) -> None:
    (workdir / "sub").mkdir()
    (workdir / "sub" / "hello.txt").write_text("hello\n")
    (workdir / "sub" / "c.yaml").write_text(
        CONSTRUCTOR + "resources:\n- name: hello\n  type: blob\n"
        "  input: {type: file, path: hello.txt}\n"
    )
    result = invoke("add", "cv", "-c", "sub/c.yaml", "-r", "./ctf")
    assert result.exit_code == 0, result.stderr
