"""What the ``ocm`` command does with its configuration before any subcommand runs.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from pyocm.config.discovery import Environment
    >>> from pyocm.config.startup import startup_config
    >>> empty = Path(tempfile.mkdtemp())
    >>> config = startup_config(temp_folder="/scratch",
    ...                         environment=Environment({"HOME": str(empty)}, empty, None))
    >>> [(e.data["type"], e.data["tempFolder"]) for e in config.entries]
    [('filesystem.config.ocm.software/v1alpha1', '/scratch')]

The Go v2 CLI's pre-run hook (``cli/cmd/setup``), steps 2 to 4:

1. auto-configuration on first start, unless ``--config`` was given
   (:func:`pyocm.config.autoconfig.auto_configure`; a failure is a warning);
2. loading and flattening the configuration (:func:`pyocm.config.discovery.load_config`);
3. the effective filesystem configuration: ``--temp-folder`` and ``--working-directory`` beat
   the configured values (with a warning when the configuration set them too; Go warns about
   the defaulted temp folder as well, which pyocm does not); when the configuration has no
   filesystem entry, the effective one is appended to it, so ``ocm get config`` always shows
   one.  When it has one, the flags change what commands use but not what ``get config`` shows.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from pyocm.config.autoconfig import auto_configure
from pyocm.config.discovery import Environment, load_config
from pyocm.config.merge import (
    FilesystemConfig,
    filesystem_config,
    filesystem_entries,
    go_temp_dir,
)
from pyocm.config.model import Config, ConfigEntry
from pyocm.errors import OCMError

__all__ = ["effective_filesystem", "startup_config"]

_log = logging.getLogger("pyocm.config")


def effective_filesystem(
    config: Config, temp_folder: str | None = None, working_directory: str | None = None
) -> FilesystemConfig:
    """The filesystem configuration commands use: the configured one, flags overriding it."""
    configured = filesystem_config(config, default_temp_folder=False)
    result = replace(configured, temp_folder=configured.temp_folder or go_temp_dir())
    if temp_folder:
        if configured.temp_folder:
            _log.warning(
                "temp folder was defined in ocm config with value, will be overwritten by value",
                extra={"original": configured.temp_folder, "new": temp_folder},
            )
        result = replace(result, temp_folder=temp_folder)
    if working_directory:
        if configured.working_directory:
            _log.warning(
                "working-directory was defined in ocm config with value, "
                "will be overwritten by value",
                extra={"original": configured.working_directory, "new": working_directory},
            )
        result = replace(result, working_directory=working_directory)
    return result


def startup_config(
    config_files: Sequence[str | Path] = (),
    *,
    temp_folder: str | None = None,
    working_directory: str | None = None,
    environment: Environment | None = None,
) -> Config:
    """The configuration a command runs with, prepared as the Go CLI prepares it.

    ``config_files`` are the ``--config`` values (empty: discovery and first-start
    auto-configuration); ``temp_folder`` and ``working_directory`` the flags of those names.
    Raises :class:`~pyocm.errors.OCMError` when a ``--config`` file cannot be loaded.
    """
    if not config_files:
        try:
            auto_configure(environment)
        except OCMError as e:
            _log.warning("auto configuration failed", extra={"error": str(e)})
    config = load_config(list(config_files) or None, environment=environment)
    if filesystem_entries(config):
        return config
    effective = effective_filesystem(config, temp_folder, working_directory)
    return config.with_entry(ConfigEntry.from_data(effective.to_dict(), location="(effective)"))
