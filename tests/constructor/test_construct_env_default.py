"""``construct``'s environment is read when it is called, and never shown as its default."""

from __future__ import annotations

import inspect
import pydoc
from pathlib import Path

import pytest

from pyocm.constructor import construct
from pyocm.repository import open_repository

CANARY = "pyocm-canary-token-5f0c"


def test_the_signature_and_help_do_not_show_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYOCM_TEST_SECRET", CANARY)
    assert CANARY not in str(inspect.signature(construct))
    assert CANARY not in pydoc.render_doc(construct, renderer=pydoc.plaintext)
    assert inspect.signature(construct).parameters["env"].default is None


def test_the_environment_of_the_call_is_substituted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    constructor = tmp_path / "component-constructor.yaml"
    constructor.write_text(
        "name: acme.org/app\nversion: ${PYOCM_TEST_VERSION}\nprovider: {name: acme.org}\n"
    )
    monkeypatch.setenv("PYOCM_TEST_VERSION", "1.2.3")
    with open_repository(str(tmp_path / "ctf"), mode="create") as repo:
        added = construct(constructor, repo)
        given = construct(constructor, repo, env={"PYOCM_TEST_VERSION": "2.0.0"})
    assert [cd.component.version for cd in added] == ["1.2.3"]
    assert [cd.component.version for cd in given] == ["2.0.0"]
