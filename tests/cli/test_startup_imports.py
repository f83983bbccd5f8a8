"""Starting ``ocm`` must not load the heavy library parts (YAML, cryptography, schemas, rich)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ["yaml", "cryptography", "jsonschema", "rich", "pyocm.descriptor"]
READING = [
    "yaml",
    "jsonschema",
    "cryptography",
    "rich",
    "httpx",
    "ssl",
    "filelock",
    "pyocm.descriptor.validate",
]
"""What reading a component version (stored as JSON) from a CTF needs none of: YAML, schemas,
keys, the network, progress bars, the writers' lock."""
COMMAND_MODULES = [f"pyocm.cli.commands.{name}" for name in ("add", "get", "sign", "transfer")]


def _loaded_after(code: str, heavy: list[str] = HEAVY) -> list[str]:
    script = (
        "import io, json, sys, contextlib\n"
        f"{code}\n"
        f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]), file=sys.__stdout__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    return list(json.loads(done.stdout.splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_module() -> None:
    assert _loaded_after("import pyocm.cli") == []


def test_importing_pyocm_loads_no_heavy_module() -> None:
    assert _loaded_after("import pyocm") == []


@pytest.mark.parametrize("args", [["--help"], ["version"], ["get", "cv", "--help"]])
def test_running_help_and_version_loads_no_heavy_module(args: list[str]) -> None:
    code = (
        "from pyocm.cli import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    cli.main({args!r}, standalone_mode=False)"
    )
    assert _loaded_after(code) == []


def test_the_root_help_summarises_every_command_as_the_command_itself_does() -> None:
    from pyocm.cli.aliases import CommandSummary
    from pyocm.cli.app import COMMANDS, cli

    for entry in COMMANDS:
        command = cli.commands[entry.summary.name]
        assert not command.hidden
        assert entry.summary == CommandSummary(
            str(command.name),
            command.get_short_help_str(limit=10_000),
            tuple(getattr(command, "aliases", ())),
        )


@pytest.mark.parametrize(
    ("args", "loaded"),
    [
        (["--help"], []),
        (["version"], []),
        (["get", "cv", "--help"], ["pyocm.cli.commands.get"]),
        (["transfer", "--help"], ["pyocm.cli.commands.transfer"]),
    ],
)
def test_a_command_loads_no_other_command_module(args: list[str], loaded: list[str]) -> None:
    code = (
        "from pyocm.cli import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    cli.main({args!r}, standalone_mode=False)"
    )
    assert _loaded_after(code, COMMAND_MODULES) == loaded


def _small_ctf(path: Path) -> None:
    """A CTF at ``path`` with ``acme.org/app:1.0.0`` and its one local resource."""
    from pyocm.blob import BytesBlob
    from pyocm.descriptor import Component, Descriptor, Provider, Resource
    from pyocm.repository.ctf.ocistore import CTFStore
    from pyocm.repository.ocm import OCMRepository

    with OCMRepository(CTFStore(path, writable=True)) as repo:
        resource = repo.add_local_resource(
            "acme.org/app",
            "1.0.0",
            Resource(name="readme", version="1.0.0", type="plainText"),
            BytesBlob(b"hello", "text/plain"),
        )
        repo.add_component_version(
            Descriptor(Component("acme.org/app", "1.0.0", Provider("acme"), resources=[resource]))
        )


def test_transferring_local_blobs_between_ctfs_loads_no_remote_access_type(
    tmp_path: Path,
) -> None:
    _small_ctf(tmp_path / "ctf")
    code = (
        "from pyocm.cli import cli\n"
        "with contextlib.redirect_stderr(io.StringIO()):\n"
        f"    cli.main(['transfer', 'cv', '{tmp_path / 'ctf'}//acme.org/app:1.0.0',"
        f" '{tmp_path / 'target'}'], standalone_mode=False)"
    )
    remote = ["pyocm.access.helm", "pyocm.access.wget", "pyocm.access.github", "httpx"]
    assert _loaded_after(code, remote) == []
    assert (tmp_path / "target").is_dir()


def test_getting_a_version_from_a_ctf_loads_no_schema_crypto_network_or_lock(
    tmp_path: Path,
) -> None:
    _small_ctf(tmp_path / "ctf")
    code = (
        "from pyocm.cli import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    cli.main(['get', 'cv', '{tmp_path / 'ctf'}//acme.org/app:1.0.0', '-o', 'json'],"
        " standalone_mode=False)"
    )
    assert _loaded_after(code, READING) == []
