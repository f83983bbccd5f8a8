"""Click command classes with the Go CLI's aliases, global flags and help layout.

    >>> import click
    >>> from pyocm.cli.aliases import OcmCommand, OcmGroup
    >>> leaf = OcmCommand("component-version", aliases=["cv", "cvs"], short_help="Get them")
    >>> group = OcmGroup("get", commands=[leaf])
    >>> ctx = click.Context(group, info_name="get")
    >>> group.resolve_command(ctx, ["cvs", "ref"])[0]
    'component-version'

:class:`OcmGroup` resolves a subcommand by its name or any of its aliases, prints the aliases in
its command list, suggests close names for unknown commands, and prints its help (exit 0) when
called without a subcommand.  :class:`OcmCommand` adds the global flags to every command, checks
positional arguments the way cobra does, sets up logging before the command runs, and lays its
help out as ``Usage``, description, ``Aliases``, ``Examples``, ``Flags``, ``Global Flags``.
"""

from __future__ import annotations

import importlib
import os
import textwrap
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import click

from pyocm.cli.flags import go_style_args
from pyocm.cli.globalflags import GLOBAL_NAMES, GlobalOption, global_flags, global_options
from pyocm.cli.positional import ArgsCheck, no_args

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

NO_COMPLETION_DESCRIPTIONS = "OCM_COMPLETION_NO_DESCRIPTIONS"
"""Set (by the scripts of ``ocm completion --no-descriptions``) to complete names only."""

CONTEXT_SETTINGS: dict[str, Any] = {
    "help_option_names": ["-h", "--help"],
    "show_default": True,
    "max_content_width": 120,
}


def _wrap(text: str, width: int, indent: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=max(width, 40),
        initial_indent=indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    )


def _write_verbatim(formatter: click.HelpFormatter, heading: str | None, text: str) -> None:
    body = textwrap.dedent(text).strip("\n")
    if not body:
        return
    formatter.write_paragraph()
    if heading:
        formatter.write_heading(heading)
    formatter.indent()
    for line in body.splitlines():
        formatter.write(f"{' ' * formatter.current_indent}{line}".rstrip() + "\n")
    formatter.dedent()


def _write_aliases(cmd: click.Command, aliases: Sequence[str], fmt: click.HelpFormatter) -> None:
    if not aliases:
        return
    fmt.write_paragraph()
    fmt.write_heading("Aliases")
    names = ", ".join([str(cmd.name), *aliases])
    for line in _wrap(names, fmt.width, " " * (fmt.current_indent + 2)):
        fmt.write(line + "\n")


def _write_options(
    cmd: click.Command, ctx: click.Context, formatter: click.HelpFormatter, *, own_heading: str
) -> None:
    own: list[tuple[str, str, str]] = []
    shared: list[tuple[str, str, str]] = []
    for param in cmd.get_params(ctx):
        if not isinstance(param, click.Option):
            continue  # positional arguments are named in the usage line, not listed as flags
        record = param.get_help_record(ctx)
        if record is None:
            continue
        key = max(param.opts, key=len).lstrip("-")
        is_root = ctx.parent is None
        target = shared if isinstance(param, GlobalOption) and not is_root else own
        target.append((key, *record))
    for heading, rows in ((own_heading, own), ("Global Flags", shared)):
        if rows:
            with formatter.section(heading):
                formatter.write_dl([(names, text) for _, names, text in sorted(rows)])


class CommandSummary(NamedTuple):
    """A subcommand as its parent's help lists it."""

    name: str
    short_help: str
    aliases: tuple[str, ...] = ()


class LazyCommand(NamedTuple):
    """A subcommand known by its summary, defined as ``attribute`` of the module ``module``."""

    summary: CommandSummary
    module: str
    attribute: str


class LazyCommands(MutableMapping[str, click.Command]):
    """Subcommands by name, each imported from its module when first looked up.

    Listing the names (and the summaries) imports nothing; ``values()`` and ``items()`` import
    every module.  Commands added later are kept as given.
    """

    def __init__(self, lazy: Iterable[LazyCommand]) -> None:
        self._lazy = {entry.summary.name: entry for entry in lazy}
        self._loaded: dict[str, click.Command] = {}

    def summary(self, name: str) -> CommandSummary | None:
        """The summary of the lazy command ``name`` (None for one added as a command)."""
        entry = self._lazy.get(name)
        return None if entry is None else entry.summary

    def __getitem__(self, name: str) -> click.Command:
        found = self._loaded.get(name)
        if found is None:
            entry = self._lazy[name]
            found = getattr(importlib.import_module(entry.module), entry.attribute)
            assert isinstance(found, click.Command) and found.name == name, entry
            self._loaded[name] = found
        return found

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._lazy.pop(name, None)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._lazy.pop(name, None)
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        yield from self._lazy
        yield from (name for name in self._loaded if name not in self._lazy)

    def __len__(self) -> int:
        return len(self._lazy.keys() | self._loaded.keys())

    def __contains__(self, name: object) -> bool:
        return name in self._lazy or name in self._loaded


def _strip_descriptions(items: list[CompletionItem]) -> list[CompletionItem]:
    if not os.environ.get(NO_COMPLETION_DESCRIPTIONS):
        return items
    from click.shell_completion import CompletionItem

    return [CompletionItem(i.value, type=i.type) for i in items]


class OcmCommand(click.Command):
    """A leaf command of ``ocm``.

    ``aliases`` are other names the parent group accepts; ``suggest_for`` are mistyped names for
    which the parent suggests this command; ``examples`` is shown verbatim in help;
    ``args_metavar`` names the positional arguments in the usage line, and ``check_args``
    validates them before the command runs.  The callback receives the positional arguments as
    ``args`` (a tuple) and its own options; the global flags are available through
    :func:`pyocm.cli.globalflags.global_flags`.
    """

    def __init__(
        self,
        name: str,
        *,
        aliases: Sequence[str] = (),
        suggest_for: Sequence[str] = (),
        examples: str = "",
        args_metavar: str = "",
        check_args: ArgsCheck = no_args,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("context_settings", dict(CONTEXT_SETTINGS))
        super().__init__(name, **kwargs)
        self.aliases = tuple(aliases)
        self.suggest_for = tuple(suggest_for)
        self.examples = examples
        self.args_metavar = args_metavar
        self.check_args = check_args
        self.params.append(click.Argument(["args"], nargs=-1))
        self.params.extend(global_options())

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, go_style_args(self.params, args))

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [p for p in (self.args_metavar, "[flags]") if p]

    def invoke(self, ctx: click.Context) -> Any:
        import logging

        from pyocm.cli import logging as cli_logging

        flags = global_flags(ctx)
        cli_logging.configure(flags.loglevel, flags.logformat, flags.logoutput)
        logging.getLogger("pyocm.cli").debug("running command", extra={"command": ctx.command_path})
        args: tuple[str, ...] = tuple(ctx.params.get("args") or ())
        self.check_args(ctx, args)
        if self.callback is None:
            return None
        own = {k: v for k, v in ctx.params.items() if k not in GLOBAL_NAMES}
        return ctx.invoke(self.callback, **own)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        _write_aliases(self, self.aliases, formatter)
        _write_verbatim(formatter, "Examples", self.examples)
        _write_options(self, ctx, formatter, own_heading="Flags")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _write_verbatim(formatter, None, self.help or self.short_help or "")

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        return _strip_descriptions(super().shell_complete(ctx, incomplete))


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


class OcmGroup(click.Group):
    """A command of ``ocm`` that holds subcommands, addressed by name or alias.

    Without a subcommand it prints its help and exits 0, as the Go CLI's parent commands do.
    The subcommands in ``lazy`` (visible ones) are imported only when one of them runs or
    shows its own help; the group's help lists them from their summaries.
    """

    def __init__(
        self,
        name: str,
        commands: Iterable[click.Command] = (),
        *,
        lazy: Iterable[LazyCommand] = (),
        aliases: Sequence[str] = (),
        suggest_for: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("context_settings", dict(CONTEXT_SETTINGS))
        kwargs.setdefault("invoke_without_command", True)
        kwargs.setdefault("callback", _print_help)
        kwargs.setdefault("subcommand_metavar", "<command>")
        super().__init__(name, **kwargs)
        self._commands = LazyCommands(lazy)
        self.commands = self._commands
        for command in commands:
            self.add_command(command)
        self.aliases = tuple(aliases)
        self.suggest_for = tuple(suggest_for)
        self.params.extend(global_options())

    def _aliases_of(self, name: str) -> tuple[str, ...]:
        summary = self._commands.summary(name)
        if summary is not None:
            return summary.aliases
        return tuple(getattr(self.commands[name], "aliases", ()))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        for name in self.commands:
            if cmd_name in self._aliases_of(name):
                return self.commands[name]
        return None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        cmd = self.get_command(ctx, name)
        if cmd is None and not ctx.resilient_parsing:
            if name.startswith("-"):
                self.parse_args(ctx, args)  # reports the unknown flag
            raise click.UsageError(self._unknown_command_message(ctx, name), ctx)
        return (cmd.name if cmd else None), cmd, args[1:]

    def _unknown_command_message(self, ctx: click.Context, name: str) -> str:
        message = f'unknown command "{name}" for "{ctx.command_path}"'
        lowered = name.lower()
        suggestions = [
            str(c.name)
            for c in self.commands.values()
            if not c.hidden
            and (
                _edit_distance(lowered, str(c.name)) <= 2
                or str(c.name).startswith(lowered)
                or name in getattr(c, "suggest_for", ())
            )
        ]
        if suggestions:
            message += "; did you mean " + " or ".join(f'"{s}"' for s in sorted(suggestions)) + "?"
        return message

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        _write_aliases(self, self.aliases, formatter)
        self.format_commands(ctx, formatter)
        _write_options(self, ctx, formatter, own_heading="Flags")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _write_verbatim(formatter, None, self.help or self.short_help or "")

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return ["[flags]", str(self.subcommand_metavar)]

    def summaries(self, ctx: click.Context) -> list[CommandSummary]:
        """What the ``Commands:`` section of help lists: every visible subcommand, by name."""
        summaries = []
        for name in self.list_commands(ctx):
            summary = self._commands.summary(name)
            if summary is not None:
                summaries.append(summary)
                continue
            cmd = self.commands[name]
            if not cmd.hidden:
                short_help = cmd.get_short_help_str(limit=10_000)
                summaries.append(CommandSummary(name, short_help, self._aliases_of(name)))
        return summaries

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        visible = self.summaries(ctx)
        if not visible:
            return
        first = max(len(s.name) for s in visible) + 2
        indent = formatter.current_indent + 2
        width = formatter.width - indent - first
        with formatter.section("Commands"):
            for name, short_help, aliases in visible:
                lines = _wrap(short_help, width, "") or [""]
                if aliases:
                    lines += _wrap("aliases: " + ", ".join(aliases), width, "")
                formatter.write(f"{'':{formatter.current_indent}}{name:{first}}{lines[0]}\n")
                for line in lines[1:]:
                    formatter.write(f"{'':{formatter.current_indent + first}}{line}\n")

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        return _strip_descriptions(super().shell_complete(ctx, incomplete))


@click.pass_context
def _print_help(ctx: click.Context, /, **_: Any) -> None:
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())
