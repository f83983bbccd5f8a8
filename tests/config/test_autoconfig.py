"""First-start auto-configuration, ported from NG cli/cmd/setup/setup_autoconfig_test.go."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from cfgtools import Sandbox, generic, write

from pyocm.config.autoconfig import auto_configure, auto_configure_disabled
from pyocm.config.credentials.lookups import oci_credentials
from pyocm.config.discovery import discover_config_paths, load_config, read_config_file
from pyocm.config.startup import startup_config
from pyocm.errors import OCMError


def _docker_config(directory: Path) -> Path:
    # the docker config of the Go test: ghcr.io with auth "user:pass"
    return write(directory / "config.json", '{"auths":{"ghcr.io":{"auth":"dXNlcjpwYXNz"}}}')


def test_writes_config_from_docker_config(sandbox: Sandbox) -> None:
    docker = _docker_config(sandbox.home / ".docker")
    env = sandbox.environment()
    target = auto_configure(env)
    assert target == sandbox.home / ".ocm" / "config"
    assert target.read_text() == (
        "configurations:\n"
        "- repositories:\n"
        "  - repository:\n"
        f"      dockerConfigFile: {docker}\n"
        "      type: DockerConfig/v1\n"
        "  type: credentials.config.ocm.software/v1\n"
        "type: generic.config.ocm.software/v1\n"
    )
    assert len(read_config_file(target)) == 1
    assert target in discover_config_paths(env)


def test_written_config_gives_the_docker_credentials(sandbox: Sandbox) -> None:
    _docker_config(sandbox.home / ".docker")
    auto_configure(sandbox.environment())
    found = oci_credentials(load_config(environment=sandbox.environment()), "ghcr.io")
    assert found is not None
    assert (found.username, found.password) == ("user", "pass")


def test_written_file_is_private(sandbox: Sandbox) -> None:
    _docker_config(sandbox.home / ".docker")
    target = auto_configure(sandbox.environment())
    assert target is not None
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700


def test_respects_xdg_config_home(sandbox: Sandbox) -> None:
    _docker_config(sandbox.home / ".docker")
    target = auto_configure(sandbox.environment(XDG_CONFIG_HOME=str(sandbox.xdg)))
    assert target == sandbox.xdg / "ocm" / "config"
    assert target.is_file()


def test_detects_docker_config_env_var(sandbox: Sandbox) -> None:
    docker = _docker_config(sandbox.root / "docker-dir")
    target = auto_configure(sandbox.environment(DOCKER_CONFIG=str(docker.parent)))
    assert target is not None
    assert str(docker) in target.read_text()


def test_docker_config_env_var_wins_over_home(sandbox: Sandbox) -> None:
    _docker_config(sandbox.home / ".docker")
    empty_dir = sandbox.root / "empty-docker"
    empty_dir.mkdir()
    assert auto_configure(sandbox.environment(DOCKER_CONFIG=str(empty_dir))) is None


def test_no_docker_config_writes_nothing(sandbox: Sandbox) -> None:
    assert auto_configure(sandbox.environment()) is None
    assert not (sandbox.home / ".ocm").exists()


def test_skips_when_a_config_exists(sandbox: Sandbox) -> None:
    _docker_config(sandbox.home / ".docker")
    write(sandbox.home / ".ocmconfig", generic())
    assert auto_configure(sandbox.environment()) is None
    assert not (sandbox.home / ".ocm" / "config").exists()


@pytest.mark.parametrize("value", ["true", "1", "T", "yes-please"])
def test_disabled_via_env(sandbox: Sandbox, value: str) -> None:
    _docker_config(sandbox.home / ".docker")
    assert auto_configure(sandbox.environment(OCM_DISABLE_AUTO_CONFIG=value)) is None
    assert not (sandbox.home / ".ocm" / "config").exists()


@pytest.mark.parametrize("value", ["", "false", "0", "F", "FALSE"])
def test_false_values_keep_it_enabled(value: str) -> None:
    assert auto_configure_disabled(value) is False


def test_skipped_when_config_flag_given(sandbox: Sandbox) -> None:
    _docker_config(sandbox.home / ".docker")
    explicit = write(sandbox.root / "explicit.yaml", generic())
    startup_config([explicit], environment=sandbox.environment())
    assert not (sandbox.home / ".ocm" / "config").exists()


def test_startup_runs_it_without_config_flag(sandbox: Sandbox) -> None:
    _docker_config(sandbox.home / ".docker")
    config = startup_config(environment=sandbox.environment())
    assert config.sources == (str(sandbox.home / ".ocm" / "config"),)


def test_a_second_writer_is_rejected(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    # NG TestAutoConfigure_ConcurrentWriteIsRejected: the file is created exclusively.
    _docker_config(sandbox.home / ".docker")
    target = write(sandbox.home / ".ocm" / "config", "written by the other process\n")
    # the race: this process looked before the other one wrote
    monkeypatch.setattr("pyocm.config.autoconfig.discover_config_paths", lambda _env: [])
    with pytest.raises(OCMError, match="could not write ocm configuration"):
        auto_configure(sandbox.environment())
    assert target.read_text() == "written by the other process\n"


def test_startup_only_warns_when_writing_fails(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    _docker_config(sandbox.home / ".docker")
    xdg_file = write(sandbox.root / "not-a-dir", "")
    with caplog.at_level(logging.WARNING, logger="pyocm.config"):
        config = startup_config(environment=sandbox.environment(XDG_CONFIG_HOME=str(xdg_file)))
    assert [r.getMessage() for r in caplog.records] == ["auto configuration failed"]
    assert config.sources == ()
