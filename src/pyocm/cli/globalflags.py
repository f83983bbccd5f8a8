"""The global (persistent) flags of ``ocm``, accepted before or after any subcommand.

    >>> from pyocm.cli.app import cli
    >>> ctx = cli.make_context("ocm", ["--loglevel", "debug"])
    >>> resolve(ctx).loglevel, resolve(ctx).plugin_shutdown_timeout
    ('debug', 10.0)

As in the Go CLI, ``ocm --loglevel debug get cv REF`` and ``ocm get cv REF --loglevel debug`` mean
the same: every command carries these flags, and the value given closest to the end of the
command line wins.  ``--config`` collects its values from every position, in order.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import click
from click.core import ParameterSource

from pyocm.cli.flags import Duration, Enum

LOG_LEVELS = ("info", "warn", "debug", "error")
LOG_FORMATS = ("text", "json")
LOG_OUTPUTS = ("stderr", "stdout")
PLUGIN_DIRECTORY_DEFAULT = "$HOME/.config/ocm/plugins"

_CONFIG_HELP = (
    "configuration file to use instead of the discovered ones ($OCM_CONFIG, "
    "$XDG_CONFIG_HOME/ocm/config, ~/.config/ocm/config, ~/.ocmconfig, ./.ocmconfig …); "
    "repeatable, later files win"
)


class GlobalOption(click.Option):
    """An option every ``ocm`` command accepts; listed under "Global Flags" in help."""


def _make_global_options() -> tuple[click.Option, ...]:
    return (
        GlobalOption(["--config"], multiple=True, metavar="PATH", help=_CONFIG_HELP),
        GlobalOption(
            ["--loglevel"],
            type=Enum(LOG_LEVELS),
            default=LOG_LEVELS[0],
            help="log level: debug (everything), info (what happens), warn (warnings and "
            "errors only), error (errors only)",
        ),
        GlobalOption(
            ["--logformat"],
            type=Enum(LOG_FORMATS),
            default=LOG_FORMATS[0],
            help="log line format: text (key=value, for people) or json (one JSON object "
            "per line, for machines)",
        ),
        GlobalOption(
            ["--logoutput"],
            type=Enum(LOG_OUTPUTS),
            default=LOG_OUTPUTS[0],
            help="where logs go: stderr (apart from results) or stdout",
        ),
        GlobalOption(
            ["--plugin-directory"],
            default=PLUGIN_DIRECTORY_DEFAULT,
            help="directory scanned for ocm plugins ($VARS are expanded)",
        ),
        GlobalOption(
            ["--plugin-shutdown-timeout"],
            type=Duration(),
            default="10s",
            help="how long plugins get to shut down before they are killed",
        ),
        GlobalOption(
            ["--temp-folder"],
            default=None,
            help="folder for temporary files (default: the configured or the system one)",
        ),
        GlobalOption(
            ["--working-directory"],
            default=None,
            help="directory that input paths are resolved against and confined to",
        ),
    )


_GLOBAL_OPTIONS = _make_global_options()
GLOBAL_NAMES = frozenset(str(o.name) for o in _GLOBAL_OPTIONS)


def global_options() -> list[click.Option]:
    """The global flag options, to add to a command (the option objects are shared; click
    keeps parsed values in the context, not in the options)."""
    return list(_GLOBAL_OPTIONS)


@dataclass(frozen=True)
class GlobalFlags:
    """The effective global flags of one ``ocm`` invocation."""

    config: tuple[str, ...]
    """Config files given with ``--config``, in command-line order; empty means discovery."""
    loglevel: str
    logformat: str
    logoutput: str
    plugin_directory: str
    """With environment variables expanded, as the Go CLI does."""
    plugin_shutdown_timeout: float
    """Seconds."""
    temp_folder: str | None
    working_directory: str | None


_META_KEY = "pyocm.cli.global_flags"
_GIVEN = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)


def resolve(ctx: click.Context) -> GlobalFlags:
    """Merge the global flags given at every level of ``ctx``'s command chain."""
    chain: list[click.Context] = []
    node: click.Context | None = ctx
    while node is not None:
        chain.append(node)
        node = node.parent
    chain.reverse()  # root first, the way they appear on the command line
    values = {name: chain[-1].params.get(name) for name in GLOBAL_NAMES}
    config: list[str] = []
    for c in chain:
        config.extend(c.params.get("config") or ())
        for name in GLOBAL_NAMES:
            if name in c.params and c.get_parameter_source(name) in _GIVEN:
                values[name] = c.params[name]
    return GlobalFlags(
        config=tuple(config),
        loglevel=str(values["loglevel"]),
        logformat=str(values["logformat"]),
        logoutput=str(values["logoutput"]),
        plugin_directory=os.path.expandvars(str(values["plugin_directory"])),
        plugin_shutdown_timeout=float(values["plugin_shutdown_timeout"] or 0.0),
        temp_folder=values["temp_folder"] or None,
        working_directory=values["working_directory"] or None,
    )


_current: list[GlobalFlags] = []


def global_flags(ctx: click.Context) -> GlobalFlags:
    """The effective global flags for the command running in ``ctx`` (resolved once)."""
    flags = ctx.meta.get(_META_KEY)
    if not isinstance(flags, GlobalFlags):
        flags = resolve(ctx)
        ctx.meta[_META_KEY] = flags
        _current[:] = [flags]
    return flags


def current() -> GlobalFlags | None:
    """The global flags of the command that ran last in this process, if any."""
    return _current[0] if _current else None


def forget() -> None:
    """Start a new run: :func:`current` returns None until a command resolves its flags."""
    _current.clear()
