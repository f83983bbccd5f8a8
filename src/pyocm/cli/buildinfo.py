"""What ``ocm version`` reports: pyocm's version in the Go CLI's output shapes.

    >>> from pyocm.cli.buildinfo import legacy_version_info
    >>> info = legacy_version_info("1.2.3-20240102-abc", "python3.11.7", "cpython", "linux/amd64")
    >>> info["minor"], info["buildDate"], info["gitCommit"]
    ('2', '20240102', 'abc')

The Go CLI reads Go build information; pyocm fills the same keys with Python values:
``goVersion`` is ``python<X.Y.Z>``, ``compiler`` the implementation (``cpython``), and
``platform`` uses Go's names (``linux/amd64``, ``darwin/arm64``).
"""

from __future__ import annotations

import json
import platform
import re
import sys
from dataclasses import dataclass, field
from typing import Any

_SEMVER = re.compile(
    r"^v?(?P<major>\d+)(?:\.(?P<minor>\d+))?(?:\.(?P<patch>\d+))?"
    r"(?:-(?P<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
    r"(?:\+(?P<meta>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)

_GO_ARCH = {
    "x86_64": "amd64",
    "amd64": "amd64",
    "aarch64": "arm64",
    "arm64": "arm64",
    "i386": "386",
    "i686": "386",
    "x86": "386",
    "armv6l": "arm",
    "armv7l": "arm",
    "arm": "arm",
}


def go_os() -> str:
    """The running OS under Go's ``GOOS`` name (``linux``, ``darwin``, ``windows`` …)."""
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform.startswith("freebsd"):
        return "freebsd"
    return sys.platform


def go_arch() -> str:
    """The running CPU architecture under Go's ``GOARCH`` name (``amd64``, ``arm64`` …)."""
    machine = platform.machine().lower()
    return _GO_ARCH.get(machine, machine)


def python_version() -> str:
    """The interpreter version where Go reports its own, e.g. ``python3.11.7``."""
    return "python" + platform.python_version()


def compiler() -> str:
    """The interpreter implementation where Go reports its compiler, e.g. ``cpython``."""
    return sys.implementation.name


def legacy_version_info(
    version: str, go_version: str, compiler_name: str, platform_name: str
) -> dict[str, str]:
    """The ``legacyjson`` object of ``ocm version``, keys in the Go CLI's order.

    A version that is not semantic keeps its text in ``gitVersion`` with ``0.0.0`` numbers; a
    pre-release ``<date>-<commit>`` is split into ``buildDate`` and ``gitCommit``.
    """
    m = _SEMVER.match(version)
    if m is None:
        return {
            "major": "0",
            "minor": "0",
            "patch": "0",
            "gitVersion": version,
            "goVersion": go_version,
            "compiler": compiler_name,
            "platform": platform_name,
        }
    major, minor, patch = (str(int(m.group(k) or 0)) for k in ("major", "minor", "patch"))
    pre, meta = m.group("pre") or "", m.group("meta") or ""
    canonical = (
        f"{major}.{minor}.{patch}" + (f"-{pre}" if pre else "") + (f"+{meta}" if meta else "")
    )
    build_date, _, commit = pre.partition("-")
    info = {"major": major, "minor": minor, "patch": patch}
    if pre:
        info["prerelease"] = pre
    if meta:
        info["meta"] = meta
    info["gitVersion"] = canonical
    if commit:
        info["gitCommit"] = commit
    if build_date:
        info["buildDate"] = build_date
    info.update(goVersion=go_version, compiler=compiler_name, platform=platform_name)
    return info


@dataclass(frozen=True)
class Module:
    """One module in :class:`BuildInfo`: a distribution name and its version."""

    path: str
    version: str


@dataclass(frozen=True)
class BuildInfo:
    """The data of Go's ``debug.BuildInfo``, filled from the Python installation."""

    go_version: str
    main: Module
    deps: list[Module] = field(default_factory=list)
    settings: list[tuple[str, str]] = field(default_factory=list)

    def text(self) -> str:
        """Tab-separated lines as Go's ``BuildInfo.String()`` writes them."""
        lines = [
            f"go\t{self.go_version}",
            f"path\t{self.main.path}",
            f"mod\t{self.main.path}\t{self.main.version}\t",
        ]
        lines += [f"dep\t{d.path}\t{d.version}\t" for d in self.deps]
        lines += [f"build\t{k}={v}" for k, v in self.settings]
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """One JSON line with the field names of Go's ``debug.BuildInfo``."""

        def module(m: Module) -> dict[str, Any]:
            return {"Path": m.path, "Version": m.version, "Sum": "", "Replace": None}

        data = {
            "GoVersion": self.go_version,
            "Path": self.main.path,
            "Main": module(self.main),
            "Deps": [module(d) for d in self.deps],
            "Settings": [{"Key": k, "Value": v} for k, v in self.settings],
        }
        return json.dumps(data, separators=(",", ":")) + "\n"


_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def build_info(distribution: str, version: str) -> BuildInfo:
    """Build information for ``distribution`` at ``version`` and its installed requirements."""
    from importlib import metadata

    deps: list[Module] = []
    try:
        requirements = metadata.requires(distribution) or []
    except metadata.PackageNotFoundError:
        requirements = []
    for requirement in requirements:
        m = _REQUIREMENT_NAME.match(requirement)
        if m is None or "extra ==" in requirement:
            continue
        try:
            deps.append(Module(m.group(1), metadata.version(m.group(1))))
        except metadata.PackageNotFoundError:
            deps.append(Module(m.group(1), "(missing)"))
    settings = [("-compiler", compiler()), ("GOARCH", go_arch()), ("GOOS", go_os())]
    return BuildInfo(python_version(), Module(distribution, version), deps, settings)
