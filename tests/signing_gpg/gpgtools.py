"""OpenPGP keys made with the real ``gpg`` program, and plain-gpg checks that do not use pyocm.

Imported by the tests as ``gpgtools``; the fixture :func:`gpg_keys` is in ``conftest.py``."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

PASSPHRASE = "correct horse battery staple"


@dataclass(frozen=True)
class GPGKey:
    """An OpenPGP key pair exported armored, with its primary fingerprint and long key id."""

    fingerprint: str
    secret: bytes
    public: bytes
    passphrase: str = ""

    @property
    def key_id(self) -> str:
        """The long (16 hex digit) key id: the last 64 bits of the v4 fingerprint."""
        return self.fingerprint[-16:]


@dataclass(frozen=True)
class GPGKeys:
    """Three keys: alice and carol unprotected, bob protected by :data:`PASSPHRASE`."""

    alice: GPGKey
    bob: GPGKey
    carol: GPGKey


def gpg_program() -> str:
    """The gpg program; fails in CI and skips elsewhere when it is missing."""
    program = shutil.which("gpg")
    if program is None:
        if os.environ.get("CI"):
            pytest.fail("gpg (GnuPG) is not installed: run scripts/install-test-tools.sh")
        pytest.skip(reason="gpg (GnuPG) is not installed")
    return program


def _gpg(home: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [gpg_program(), "--homedir", str(home), "--batch", "--no-tty", *args],
        input=data,
        capture_output=True,
        check=True,
        timeout=120,
    )


def stop_agent(home: Path) -> None:
    gpgconf = shutil.which("gpgconf")
    if gpgconf is not None:
        subprocess.run(
            [gpgconf, "--homedir", str(home), "--kill", "gpg-agent"],
            capture_output=True,
            check=False,
            timeout=60,
        )


def make_key(home: Path, user: str, passphrase: str) -> GPGKey:
    loopback = ["--pinentry-mode", "loopback", "--passphrase", passphrase]
    _gpg(home, *loopback, "--quick-gen-key", user, "ed25519", "sign", "never")
    listing = _gpg(home, "--with-colons", "--list-keys", user).stdout.decode()
    fingerprint = next(line.split(":")[9] for line in listing.splitlines() if line[:4] == "fpr:")
    secret = _gpg(home, *loopback, "--armor", "--export-secret-keys", fingerprint).stdout
    public = _gpg(home, "--armor", "--export", fingerprint).stdout
    return GPGKey(fingerprint, secret, public, passphrase)


def plain_gpg_verify(public: bytes, signature: str, data: bytes) -> list[str]:
    """The status lines of ``gpg --verify`` of the detached ``signature`` over ``data``, checked
    with nothing but gpg and the public keyring ``public`` (raises when gpg rejects it)."""
    home = Path(tempfile.mkdtemp(prefix="gpgcheck-"))
    try:
        _gpg(home, "--no-autostart", "--import", data=public)
        (home / "sig.asc").write_text(signature)
        (home / "data").write_bytes(data)
        signature_file, data_file = str(home / "sig.asc"), str(home / "data")
        done = _gpg(
            home, "--no-autostart", "--status-fd", "1", "--verify", signature_file, data_file
        )
        return [line.removeprefix("[GNUPG:] ") for line in done.stdout.decode().splitlines()]
    finally:
        shutil.rmtree(home, ignore_errors=True)
