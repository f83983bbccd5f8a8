"""``ocm completion``: shell scripts, and the completions they ask ``ocm`` for."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import version

import pytest
from click import shell_completion
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


def _click_writes_powershell() -> bool:
    """Whether the installed click has a PowerShell script writer (click 8.5 added one)."""
    from click.shell_completion import get_completion_class

    writes = get_completion_class("powershell") is not None
    major, minor = (int(part) for part in version("click").split(".")[:2])
    assert writes == ((major, minor) >= (8, 5)), "the messages say 'click 8.5 or later'"
    return writes


UNSUPPORTED = (
    "Error: completion scripts for powershell need click 8.5 or later "
    f"(click {version('click')} is installed)\n"
)


def test_powershell_script_where_the_installed_click_writes_one(invoke: Invoke) -> None:
    result = invoke("completion", "powershell")
    if _click_writes_powershell():
        assert result.exit_code == 0, result.stderr
        assert "Register-ArgumentCompleter -Native -CommandName ocm " in result.stdout
        assert "$env:_OCM_COMPLETE = 'powershell_complete'" in result.stdout
        assert "OCM_COMPLETION_NO_DESCRIPTIONS" not in result.stdout
    else:
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", UNSUPPORTED)


def test_powershell_no_descriptions_sets_the_variable_for_the_session(invoke: Invoke) -> None:
    result = invoke("completion", "powershell", "--no-descriptions")
    if _click_writes_powershell():
        assert result.exit_code == 0, result.stderr
        first, rest = result.stdout.split("\n", 1)
        assert first == "$env:OCM_COMPLETION_NO_DESCRIPTIONS = '1'"
        assert rest.startswith("Register-ArgumentCompleter ")
    else:
        assert (result.exit_code, result.stderr) == (1, UNSUPPORTED)


def test_powershell_help_says_what_the_installed_click_allows(invoke: Invoke) -> None:
    text = invoke("completion", "powershell", "--help").stdout
    if _click_writes_powershell():
        assert "ocm completion powershell | Out-String | Invoke-Expression" in text
    else:
        assert "need click 8.5 or later; with the installed click this command fails" in text


def test_powershell_fails_clearly_where_click_writes_no_script(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    # click before 8.5, whichever click is installed here: no "powershell" script writer.
    monkeypatch.delitem(shell_completion._available_shells, "powershell", raising=False)
    result = invoke("completion", "powershell")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", UNSUPPORTED)


def _complete(words: str, shell: str = "zsh", **env: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", "from pyocm.cli import main; main()"],
        env={
            **os.environ,
            "_OCM_COMPLETE": f"{shell}_complete",
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


def test_powershell_completion_answers_where_click_writes_the_script() -> None:
    lines = _complete("ocm get c", shell="powershell")
    if _click_writes_powershell():
        assert lines[:6] == [
            "plain",
            "component-version",
            "Get component version(s) from an OCM repository",
            "plain",
            "config",
            "Display the effective merged OCM configuration",
        ]
    else:
        assert lines == []  # click answers nothing for a shell it does not know
