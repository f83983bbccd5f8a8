"""First-start auto-configuration: reuse the docker login when there is no ``.ocmconfig`` yet.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from pyocm.config.autoconfig import auto_configure
    >>> from pyocm.config.discovery import Environment
    >>> home = Path(tempfile.mkdtemp())
    >>> (home / ".docker").mkdir()
    >>> _ = (home / ".docker" / "config.json").write_text('{"auths": {}}')
    >>> written = auto_configure(Environment({"HOME": str(home)}, cwd=home, executable=None))
    >>> written == home / ".ocm" / "config"
    True
    >>> print(written.read_text().replace(str(home), "~"), end="")
    configurations:
    - repositories:
      - repository:
          dockerConfigFile: ~/.docker/config.json
          type: DockerConfig/v1
      type: credentials.config.ocm.software/v1
    type: generic.config.ocm.software/v1

As the Go v2 CLI does before every command (``cli/cmd/setup/setup_autoconfig.go``): when no
``--config`` was given, ``OCM_DISABLE_AUTO_CONFIG`` is unset or false, no configuration file
exists in any discovery location and a docker config exists (``$DOCKER_CONFIG/config.json``,
else ``$HOME/.docker/config.json``), a configuration is written to
``$XDG_CONFIG_HOME/ocm/config`` (or ``$HOME/.ocm/config``) that names the docker config as a
``DockerConfig/v1`` credential repository.  The file is created exclusively (mode 0600), so two
processes starting at once cannot both write it.  Values of ``OCM_DISABLE_AUTO_CONFIG`` that
are no boolean count as "disable".  Failures are returned to the caller to log, never fatal.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pyocm.config.discovery import XDG_CONFIG_HOME_ENV, Environment, discover_config_paths
from pyocm.config.model import CREDENTIALS, GENERIC
from pyocm.errors import OCMError

__all__ = ["AUTO_CONFIG_ENV", "auto_configure", "auto_configure_disabled", "docker_config_path"]

AUTO_CONFIG_ENV = "OCM_DISABLE_AUTO_CONFIG"

_log = logging.getLogger("pyocm.config")

_FALSE = ("0", "f", "F", "FALSE", "false", "False")


def auto_configure_disabled(value: str) -> bool:
    """Whether ``OCM_DISABLE_AUTO_CONFIG=value`` disables auto-configuration (Go ParseBool)."""
    if not value:
        return False
    return value not in _FALSE


def docker_config_path(environment: Environment) -> Path | None:
    """The docker config file docker itself would use, if it exists."""
    directory = environment.get("DOCKER_CONFIG")
    if directory:
        candidate = Path(directory) / "config.json"
    elif environment.home is not None:
        candidate = environment.home / ".docker" / "config.json"
    else:
        return None
    return candidate if os.path.isfile(candidate) else None


def _target(environment: Environment) -> Path:
    xdg = environment.get(XDG_CONFIG_HOME_ENV)
    if xdg:
        return Path(xdg) / "ocm" / "config"
    if environment.home is None:
        raise OCMError("could not determine ocm config write location: $HOME is not defined")
    return environment.home / ".ocm" / "config"


def _document(docker_config: Path) -> dict[str, object]:
    repository = {"type": "DockerConfig/v1", "dockerConfigFile": str(docker_config)}
    credentials = {"type": f"{CREDENTIALS}/v1", "repositories": [{"repository": repository}]}
    return {"type": f"{GENERIC}/v1", "configurations": [credentials]}


def auto_configure(environment: Environment | None = None) -> Path | None:
    """Write the first-start configuration when the conditions hold; the path written or None.

    Raises :class:`~pyocm.errors.OCMError` when writing fails (the caller logs it as a
    warning and goes on, as the Go CLI does).  The caller skips this when ``--config`` is given.
    """
    from pyocm._internal.documents import dump_data

    env = environment or Environment.current()
    if auto_configure_disabled(env.get(AUTO_CONFIG_ENV)):
        _log.debug("auto configuration disabled via environment variable")
        return None
    existing = discover_config_paths(env)
    if existing:
        _log.debug(
            "ocm configuration already present, skipping auto configuration",
            extra={"paths": [str(p) for p in existing]},
        )
        return None
    docker_config = docker_config_path(env)
    if docker_config is None:
        _log.debug("no docker config detected, skipping auto configuration")
        return None
    target = _target(env)
    text = dump_data(_document(docker_config), "yaml")
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as e:
        raise OCMError(f"could not write ocm configuration to {str(target)!r}: {e}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    _log.info(
        "created initial ocm configuration from detected docker config",
        extra={"config": str(target), "dockerConfig": str(docker_config)},
    )
    return target
