"""``ocm completion``: shell scripts, and the completions they ask ``ocm`` for."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

import pytest
from click.testing import Result

Invoke = Callable[..., Result]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_script_calls_ocm_back_for_completions(invoke: Invoke, shell: str) -> None:
    result = invoke("completion", shell)
    assert result.exit_code == 0
    assert f"_OCM_COMPLETE={shell}_complete" in result.stdout
    assert "OCM_COMPLETION_NO_DESCRIPTIONS" not in result.stdout


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_no_descriptions_sets_the_variable_in_the_script(invoke: Invoke, shell: str) -> None:
    script = invoke("completion", shell, "--no-descriptions").stdout
    assert f"OCM_COMPLETION_NO_DESCRIPTIONS=1 _OCM_COMPLETE={shell}_complete" in script


def test_powershell_is_not_supported(invoke: Invoke) -> None:
    result = invoke("completion", "powershell")
    assert result.exit_code == 1
    assert result.stderr == "Error: completion scripts for powershell are not supported by pyocm\n"


def _complete(words: str, **env: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", "from pyocm.cli import main; main()"],
        env={
            **os.environ,
            "_OCM_COMPLETE": "zsh_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stdout.splitlines()


def test_completion_offers_subcommands_with_descriptions() -> None:
    lines = _complete("ocm get c")
    assert lines[:6] == [
        "plain",
        "component-version",
        "Get component version(s) from an OCM repository",
        "plain",
        "config",
        "Display the effective merged OCM configuration",
    ]


def test_completion_without_descriptions_offers_names_only() -> None:
    lines = _complete("ocm get c", OCM_COMPLETION_NO_DESCRIPTIONS="1")
    assert lines[:6] == ["plain", "component-version", "_", "plain", "config", "_"]
