"""The ``Flags:`` sections of help list flags only, never the positional arguments."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import click
import pytest
from click.testing import Result

from pyocm.cli.aliases import OcmCommand
from pyocm.cli.app import cli

Invoke = Callable[..., Result]


def _leaves(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _leaves(command, (*path, name))
        else:
            yield (*path, name)


def _flag_entries(help_text: str) -> list[str]:
    """The first column of every entry under ``Flags:`` and ``Global Flags:``."""
    entries: list[str] = []
    inside = False
    for line in help_text.splitlines():
        if line in ("Flags:", "Global Flags:"):
            inside = True
        elif line and not line.startswith(" "):
            inside = False
        elif inside and line.startswith("  ") and not line.startswith("   "):
            entries.append(line.split()[0])
    return entries


@pytest.mark.parametrize("path", list(_leaves(cli)), ids=" ".join)
def test_every_leaf_command_lists_only_flags(invoke: Invoke, path: tuple[str, ...]) -> None:
    result = invoke(*path, "--help")
    assert result.exit_code == 0, result.stderr
    entries = _flag_entries(result.stdout)
    assert entries
    assert [e for e in entries if not e.startswith("-")] == []
    assert "[ARGS]" not in result.stdout


class _DocumentedArgument(click.Argument):
    """A positional argument with a help record, as click 8.5 gives every argument."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        return f"[{str(self.name).upper()}]...", "positional values"


def test_an_argument_with_a_help_record_is_not_listed_as_a_flag() -> None:
    command = OcmCommand("demo", args_metavar="{file}")
    command.params.insert(0, _DocumentedArgument(["files"], nargs=-1))
    ctx = click.Context(command, info_name="demo")
    text = command.get_help(ctx)
    assert "[FILES]" not in text
    assert "Usage: demo {file} [flags]" in text
    assert "--loglevel" in text
