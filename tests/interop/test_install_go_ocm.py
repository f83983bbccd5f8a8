"""scripts/install-go-ocm.sh: the prebuilt Go CLIs are unpacked only when their SHA-256 is the
one SHA256SUMS names, cached after that, and binaries given by variable are used as they are.
Run on small stand-in files, so nothing large is unpacked here."""

from __future__ import annotations

import hashlib
import lzma
import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "install-go-ocm.sh"
V2 = "ocm-v2-cli-0.13.0-linux-amd64"
V1 = "ocm-v1-0.48.0-linux-amd64"


def _prebuilt(directory: Path, contents: dict[str, bytes], sums: dict[str, bytes]) -> Path:
    directory.mkdir()
    for name, data in contents.items():
        (directory / f"{name}.xz").write_bytes(lzma.compress(data))
    (directory / "SHA256SUMS").write_text(
        "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sums.items())
    )
    return directory


def _install(tmp_path: Path, prebuilt: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT)],
        capture_output=True,
        text=True,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("PYOCM_GO_OCM")},
            "PYOCM_TOOLS": str(tmp_path / "tools"),
            "PYOCM_GO_OCM_DIR": str(prebuilt),
            **env,
        },
        timeout=120,
    )


def test_checked_binaries_are_unpacked_once(tmp_path: Path) -> None:
    contents = {V2: b"#!/bin/sh\necho v2\n", V1: b"#!/bin/sh\necho v1\n"}
    prebuilt = _prebuilt(tmp_path / "go-ocm", contents, contents)
    first = _install(tmp_path, prebuilt)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        f"ocm-go-v2: unpacked ({V2})",
        f"ocm-go-v1: unpacked ({V1})",
    ]
    v2 = tmp_path / "tools" / "bin" / "ocm-go-v2"
    assert v2.read_bytes() == contents[V2]
    assert subprocess.run([str(v2)], capture_output=True, text=True).stdout == "v2\n"
    again = _install(tmp_path, prebuilt)
    assert again.stdout.splitlines() == [f"ocm-go-v2: cached ({V2})", f"ocm-go-v1: cached ({V1})"]


def test_a_binary_that_does_not_match_its_checksum_is_refused(tmp_path: Path) -> None:
    prebuilt = _prebuilt(
        tmp_path / "go-ocm", {V2: b"tampered\n", V1: b"v1\n"}, {V2: b"original\n", V1: b"v1\n"}
    )
    done = _install(tmp_path, prebuilt)
    assert done.returncode == 1
    unpacked = hashlib.sha256(b"tampered\n").hexdigest()
    assert f"{V2}.xz unpacks to SHA-256 {unpacked}" in done.stderr
    assert os.listdir(tmp_path / "tools" / "bin") == []  # neither the binary nor a temporary


def test_binaries_given_by_variable_are_used_as_they_are(tmp_path: Path) -> None:
    prebuilt = _prebuilt(tmp_path / "go-ocm", {}, {})
    done = _install(tmp_path, prebuilt, PYOCM_GO_OCM_V2="/opt/v2", PYOCM_GO_OCM_V1="/opt/v1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "ocm-go-v2: given by PYOCM_GO_OCM_V2 (/opt/v2)",
        "ocm-go-v1: given by PYOCM_GO_OCM_V1 (/opt/v1)",
    ]
    assert os.listdir(tmp_path / "tools" / "bin") == []
