"""What one ``ocm`` command run shares: its configuration, loaded once, as Go's pre-run does.

    >>> import click
    >>> from pyocm.cli.session import command_config          # doctest: +SKIP
    >>> config = command_config(click.get_current_context())   # doctest: +SKIP

The configuration is loaded on first use rather than before every command, so commands that
need none (``version``, ``--help``, ``completion``) start without reading it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pyocm.cli.globalflags import global_flags

if TYPE_CHECKING:
    from pyocm.config.model import Config

_CONFIG_KEY = "pyocm.config"


def command_config(ctx: click.Context) -> Config:
    """The merged configuration for the command running in ``ctx`` (auto-configuration,
    discovery or ``--config``, and the effective filesystem entry)."""
    root = ctx.find_root()
    config = root.meta.get(_CONFIG_KEY)
    if config is None:
        from pyocm.config.startup import startup_config

        flags = global_flags(ctx)
        config = startup_config(
            flags.config, temp_folder=flags.temp_folder, working_directory=flags.working_directory
        )
        root.meta[_CONFIG_KEY] = config
    return config
