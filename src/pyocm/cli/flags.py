"""Flag types that behave like the Go CLI's (pflag) flags.

    >>> from pyocm.cli.flags import BoolFlag, go_style_args, parse_duration
    >>> latest = BoolFlag(["--latest/--no-latest"], help="only the latest version")
    >>> go_style_args([latest], ["--latest=false", "ref"])
    ['--no-latest', 'ref']
    >>> parse_duration("1m30s")
    90.0

The Go CLI accepts ``--flag=false`` for booleans, ``--recursive`` without a value for integer
flags with a "no option default", ``-o=yaml`` for short flags, and reports bad values as
``invalid argument "x" for "-o, --output" flag: ...``.  :func:`go_style_args` rewrites the first
three into what click parses; :class:`Enum` and :class:`Duration` raise the last.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class FlagValueError(click.BadParameter):
    """A flag value the flag's type rejects, worded as the Go CLI words it."""

    def format_message(self) -> str:
        return self.message


def flag_label(param: click.Parameter | None) -> str:
    """The flag's names as pflag prints them in errors: ``-o, --output`` or ``--output``."""
    if not isinstance(param, click.Option):
        return param.human_readable_name if param is not None else "flag"
    shorts = [o for o in param.opts if not o.startswith("--")]
    longs = [o for o in param.opts if o.startswith("--")]
    return ", ".join(shorts[:1] + longs[:1])


class Enum(click.Choice[str]):
    """One of a fixed list of strings; the first is conventionally the default."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if value in self.choices:
            return str(value)
        quoted = " ".join(f'"{c}"' for c in self.choices)
        label = flag_label(param)
        raise FlagValueError(
            f'invalid argument "{value}" for "{label}" flag: expected one of [{quoted}]', ctx, param
        )


_DURATION_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")


def parse_duration(text: str) -> float:
    """Seconds in a Go duration string (``10s``, ``1m30s``, ``500ms``); ValueError if malformed."""
    body = text[1:] if text[:1] in "+-" else text
    sign = -1.0 if text.startswith("-") else 1.0
    if body == "0":
        return 0.0
    total, pos = 0.0, 0
    while pos < len(body):
        m = _DURATION_PART.match(body, pos)
        if m is None:
            break
        total += float(m.group(1)) * _DURATION_UNITS[m.group(2)]
        pos = m.end()
    if not body or pos != len(body):
        raise ValueError(f'time: invalid duration "{text}"')
    return sign * total


class Duration(click.ParamType[float]):
    """A Go duration (``10s``, ``1m30s``), converted to seconds."""

    name = "duration"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, int | float):
            return float(value)
        try:
            return parse_duration(str(value))
        except ValueError as e:
            raise FlagValueError(
                f'invalid argument "{value}" for "{flag_label(param)}" flag: {e}', ctx, param
            ) from None


class BoolFlag(click.Option):
    """A boolean flag that also accepts ``--name=true`` and ``--name=false``.

    Declare it with :func:`bool_flag`.  The off switch ``--no-name`` exists for the parser (see
    :func:`go_style_args`) and is left out of the help, as the Go CLI has no such flag.
    """

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        return ", ".join(self.opts), self.help or ""


def bool_flag(
    name: str, help: str, short: str | None = None, *, default: bool = False
) -> Callable[[F], F]:
    """Decorator adding the :class:`BoolFlag` ``--name`` (and ``-short``) to a command."""
    decls = [f"--{name}/--no-{name}"]
    if short:
        decls.insert(0, f"-{short}")
    return click.option(*decls, cls=BoolFlag, default=default, show_default=default, help=help)


class OptionalValueOption(click.Option):
    """A flag whose value may be left out (``--recursive`` means ``--recursive=-1``).

    As in the Go CLI, an explicit value must be attached with ``=``; a bare flag never takes the
    next argument as its value.
    """

    def __init__(self, decls: Sequence[str], *, no_opt_default: str, **kwargs: Any) -> None:
        super().__init__(list(decls), **kwargs)
        self.no_opt_default = no_opt_default

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        if record is None:
            return None
        names, text = record
        return f"{names}[={self.no_opt_default}]", text


_GO_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_GO_FALSE = {"0", "f", "F", "FALSE", "false", "False"}


def parse_go_bool(value: str, flag: str) -> bool:
    """A boolean as Go's ``strconv.ParseBool`` reads it; a click usage error otherwise."""
    if value in _GO_TRUE:
        return True
    if value in _GO_FALSE:
        return False
    raise click.UsageError(
        f'invalid argument "{value}" for "{flag}" flag: '
        f'strconv.ParseBool: parsing "{value}": invalid syntax'
    )


def go_style_args(params: Sequence[click.Parameter], args: Sequence[str]) -> list[str]:
    """Rewrite pflag spellings in ``args`` into what click's parser understands."""
    bools: set[str] = set()
    optional: dict[str, str] = {}
    short_with_value: set[str] = set()
    for p in params:
        if not isinstance(p, click.Option):
            continue
        if isinstance(p, BoolFlag):
            bools.update(o for o in p.opts if o.startswith("--"))
        elif isinstance(p, OptionalValueOption):
            optional.update((o, p.no_opt_default) for o in p.opts if o.startswith("--"))
        elif not p.is_flag:
            short_with_value.update(o for o in p.opts if len(o) == 2 and o[0] == "-")
    out: list[str] = []
    for i, arg in enumerate(args):
        if arg == "--":
            out.extend(args[i:])
            break
        name, eq, value = arg.partition("=")
        if eq and name in bools:
            out.append(name if parse_go_bool(value, name) else f"--no-{name[2:]}")
        elif not eq and name in optional:
            out.append(f"{name}={optional[name]}")
        elif eq and name in short_with_value:
            out.append(name + value)
        else:
            out.append(arg)
    return out


def split_commas(_ctx: click.Context, _param: click.Parameter, values: Sequence[str]) -> list[str]:
    """Callback for repeatable flags that also take comma-separated lists (pflag StringSlice)."""
    return [part for value in values for part in value.split(",") if part]
