"""``ocm version``: pyocm's version in the Go CLI's formats (NG cli/cmd/version)."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from collections.abc import Callable
from importlib import metadata

import pytest
from click.testing import Result

from pyocm.cli.buildinfo import legacy_version_info

Invoke = Callable[..., Result]
RunOcm = Callable[..., subprocess.CompletedProcess[str]]

# The field order of LegacyVersionInfo in NG cli/cmd/version/legacy_version.go
LEGACY_KEYS = ["major", "minor", "patch", "gitVersion", "goVersion", "compiler", "platform"]


def test_version_prints_one_json_line_with_the_legacy_keys(run_ocm: RunOcm) -> None:
    done = run_ocm("version")
    assert done.returncode == 0
    assert done.stderr == ""
    assert done.stdout.count("\n") == 1
    info = json.loads(done.stdout)
    installed = metadata.version("pyocm")
    assert list(info) == LEGACY_KEYS  # a plain x.y.z version has no optional fields
    assert info["gitVersion"] == installed
    assert [info["major"], info["minor"], info["patch"]] == installed.split(".")[:3]
    assert info["goVersion"] == "python" + platform.python_version()
    assert info["compiler"] == sys.implementation.name
    os_name, arch = info["platform"].split("/")
    assert os_name in {"linux", "darwin", "windows", "freebsd"}
    assert arch in {"amd64", "arm64", "386", "arm", "ppc64le", "s390x", "riscv64"}


def test_version_is_compact_json_like_gos_encoder(invoke: Invoke) -> None:
    assert invoke("version").stdout.startswith('{"major":"')


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("1.2.3", {"major": "1", "minor": "2", "patch": "3", "gitVersion": "1.2.3"}),
        ("v0.27.0", {"major": "0", "minor": "27", "patch": "0", "gitVersion": "0.27.0"}),
        ("2", {"major": "2", "minor": "0", "patch": "0", "gitVersion": "2.0.0"}),
        (
            "0.0.0-20250101120000-abcdef123456",
            {
                "major": "0",
                "minor": "0",
                "patch": "0",
                "prerelease": "20250101120000-abcdef123456",
                "gitVersion": "0.0.0-20250101120000-abcdef123456",
                "gitCommit": "abcdef123456",
                "buildDate": "20250101120000",
            },
        ),
        (
            "1.0.0-rc.1+dirty",
            {
                "major": "1",
                "minor": "0",
                "patch": "0",
                "prerelease": "rc.1",
                "meta": "dirty",
                "gitVersion": "1.0.0-rc.1+dirty",
                "buildDate": "rc.1",
            },
        ),
        ("(devel)", {"major": "0", "minor": "0", "patch": "0", "gitVersion": "(devel)"}),
    ],
)
def test_legacy_info_splits_the_version_as_the_go_cli_does(
    version: str, expected: dict[str, str]
) -> None:
    info = legacy_version_info(version, "python3.x", "cpython", "linux/amd64")
    tail = {"goVersion": "python3.x", "compiler": "cpython", "platform": "linux/amd64"}
    assert list(info.items()) == list({**expected, **tail}.items())


def test_gobuildinfo_format_lists_module_and_dependencies(invoke: Invoke) -> None:
    result = invoke("version", "--format", "gobuildinfo")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "go\tpython" + platform.python_version()
    assert lines[1] == "path\tpyocm"
    assert lines[2] == f"mod\tpyocm\t{metadata.version('pyocm')}\t"
    assert f"dep\tclick\t{metadata.version('click')}\t" in lines
    assert any(line.startswith("build\tGOOS=") for line in lines)


def test_gobuildinfojson_format_has_gos_field_names(invoke: Invoke) -> None:
    result = invoke("version", "-f", "gobuildinfojson")
    assert result.exit_code == 0
    info = json.loads(result.stdout)
    assert list(info) == ["GoVersion", "Path", "Main", "Deps", "Settings"]
    assert info["Main"]["Version"] == metadata.version("pyocm")
    assert {"Path": "click", "Version": metadata.version("click"), "Sum": "", "Replace": None} in (
        info["Deps"]
    )


def test_unknown_format_prints_help_like_the_go_cli(invoke: Invoke) -> None:
    result = invoke("version", "-f", "xml")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ocm version [flags]")
