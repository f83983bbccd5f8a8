"""Finding and reading ``.ocmconfig`` files, in the Go v2 CLI's places and order.

    >>> import os, tempfile
    >>> from pathlib import Path
    >>> from pyocm.config.discovery import Environment, discover_config_paths, load_config
    >>> home = Path(tempfile.mkdtemp())
    >>> _ = (home / ".ocmconfig").write_text("type: generic.config.ocm.software/v1\\n"
    ...     "configurations: [{type: transfer.config.ocm.software/v1alpha1, recursive: -1}]\\n")
    >>> where = Environment({"HOME": str(home)}, cwd=home / "work", executable=None)
    >>> [p.name for p in discover_config_paths(where)]
    ['.ocmconfig']
    >>> config = load_config(environment=where)
    >>> [e.where.endswith(".ocmconfig: configurations[0]") for e in config.entries]
    [True]

Without ``--config``, **every** existing file of this list is read and merged, later files
having higher priority (so ``$OCM_CONFIG`` has the *lowest*):

1. ``$OCM_CONFIG``
2. ``$XDG_CONFIG_HOME/ocm/config``, ``$XDG_CONFIG_HOME/.ocmconfig`` (when the variable is set)
3. ``$HOME/.config/ocm/config``, ``$HOME/.config/.ocmconfig``
4. ``$HOME/.ocm/config``, ``$HOME/.ocmconfig``
5. ``$PWD/.ocm/config``, ``$PWD/.ocmconfig``
6. ``<directory of the ocm executable>/.ocm/config``, ``<…>/.ocmconfig``

A file found there that cannot be read or decoded is logged at ERROR and skipped; no file at
all means an empty configuration.  A path that appears twice (``$XDG_CONFIG_HOME`` being
``$HOME/.config``, the working directory being ``$HOME``) is read twice, as Go does.  With
``--config a --config b`` exactly those files are read, in that order, and any failure is an
error (``could not load configuration: ...``).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyocm.config.merge import flatten_document
from pyocm.config.model import Config, ConfigEntry
from pyocm.errors import OCMError

__all__ = [
    "OCM_CONFIG_ENV",
    "Environment",
    "discover_config_paths",
    "load_config",
    "read_config_file",
]

OCM_CONFIG_ENV = "OCM_CONFIG"
XDG_CONFIG_HOME_ENV = "XDG_CONFIG_HOME"

_log = logging.getLogger("pyocm.config")

_DOT_NAMES = (".ocm/config", ".ocmconfig")
"""File names in directories that are not config directories ($HOME, $PWD, the exe dir)."""
_XDG_NAMES = ("ocm/config", ".ocmconfig")
"""File names in config directories ($XDG_CONFIG_HOME, $HOME/.config)."""


@dataclass(frozen=True)
class Environment:
    """What discovery looks at: environment variables, working directory, program location."""

    variables: Mapping[str, str]
    cwd: Path
    executable: Path | None = None
    """The running ``ocm`` program; its directory is the last discovery location."""

    @classmethod
    def current(cls) -> Environment:
        """This process: ``os.environ``, the working directory and the running program."""
        program = sys.argv[0] if sys.argv else ""
        executable = Path(program).resolve() if program and os.path.isfile(program) else None
        return cls(os.environ, Path(os.getcwd()), executable)

    def get(self, name: str) -> str:
        """The variable ``name`` (``""`` when unset)."""
        return self.variables.get(name, "")

    @property
    def home(self) -> Path | None:
        """The user's home as Go's ``os.UserHomeDir`` finds it (``$HOME``; None when unset)."""
        home = self.get("USERPROFILE" if sys.platform == "win32" else "HOME")
        return Path(home) if home else None


def _existing(base: Path, names: Sequence[str]) -> list[Path]:
    found = []
    for name in names:
        path = Path(os.path.normpath(base / name))
        if os.path.exists(path):  # any stat error means "not there", as in Go
            found.append(path)
    return found


def discover_config_paths(environment: Environment | None = None) -> list[Path]:
    """The existing configuration files, lowest priority first (see the module docs)."""
    env = environment or Environment.current()
    paths: list[Path] = []
    explicit = env.get(OCM_CONFIG_ENV)
    if explicit and os.path.exists(os.path.normpath(explicit)):
        paths.append(Path(explicit))
    xdg = env.get(XDG_CONFIG_HOME_ENV)
    if xdg:
        paths += _existing(Path(xdg), _XDG_NAMES)
    if env.home is not None:
        paths += _existing(env.home / ".config", _XDG_NAMES)
        paths += _existing(env.home, _DOT_NAMES)
    paths += _existing(env.cwd, _DOT_NAMES)
    if env.executable is not None:
        paths += _existing(env.executable.parent, _DOT_NAMES)
    return paths


def read_config_file(path: str | Path) -> list[ConfigEntry]:
    """The entries of one configuration file, nested generic documents flattened.

    Raises :class:`~pyocm.errors.OCMError` naming the file when it cannot be read or is not a
    ``generic.config.ocm.software/v1`` document.
    """
    from pyocm._internal.documents import parse_document

    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise OCMError(f"cannot read {source}: {e.strerror or e}") from None
    if not data:
        raise OCMError(f"{source}: cannot decode empty input data")
    return flatten_document(parse_document(data, source), source)


def load_config(
    paths: Sequence[str | Path] | None = None, *, environment: Environment | None = None
) -> Config:
    """Read and merge the configuration: ``paths`` (``--config``) or the discovered files.

    With ``paths`` every file must load, else :class:`~pyocm.errors.OCMError`
    (``could not load configuration: ...``).  Without, the files
    :func:`discover_config_paths` finds in ``environment`` (default: this process) are read,
    and those that fail are logged and skipped.
    """
    entries: list[ConfigEntry] = []
    sources: list[str] = []
    if paths is not None:
        for path in paths:
            try:
                entries += read_config_file(path)
            except OCMError as e:
                raise OCMError(f"could not load configuration: {e}") from e
            sources.append(str(path))
        return Config(tuple(entries), tuple(sources))
    for path in discover_config_paths(environment):
        try:
            entries += read_config_file(path)
        except OCMError as e:
            _log.error(
                "ocm config path was skipped due to an error loading it",
                extra={"path": str(path), "error": str(e)},
            )
            continue
        _log.debug("ocm config was loaded successfully", extra={"path": str(path)})
        sources.append(str(path))
    return Config(tuple(entries), tuple(sources))
