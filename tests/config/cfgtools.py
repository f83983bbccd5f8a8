"""Helpers of the config tests: the sandbox directories and config-file writers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyocm.config.discovery import Environment

GENERIC_HEADER = "type: generic.config.ocm.software/v1\nconfigurations:\n"


@dataclass(frozen=True)
class Sandbox:
    """Directories standing in for the user's home, XDG config home and working directory."""

    root: Path
    home: Path
    xdg: Path
    cwd: Path
    exe_dir: Path

    def environment(self, **variables: str) -> Environment:
        """An Environment with HOME set to the fake home plus ``variables``."""
        return Environment({"HOME": str(self.home), **variables}, self.cwd, self.exe_dir / "ocm")


def write(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` (parents created); returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def generic(*entries: str) -> str:
    """A generic config document holding the given YAML flow-style entries."""
    return GENERIC_HEADER + "".join(f"- {entry}\n" for entry in entries)
