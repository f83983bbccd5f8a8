"""The session's OpenPGP keys (see ``gpgtools``)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from gpgtools import PASSPHRASE, GPGKeys, make_key, stop_agent


@pytest.fixture(scope="session")
def gpg_keys() -> Iterator[GPGKeys]:
    """Keys generated once per session with ``gpg --quick-gen-key`` in a scratch home."""
    home = Path(tempfile.mkdtemp(prefix="gpgkeys-"))
    try:
        yield GPGKeys(
            make_key(home, "Alice <alice@example.org>", ""),
            make_key(home, "Bob <bob@example.org>", PASSPHRASE),
            make_key(home, "Carol <carol@example.org>", ""),
        )
    finally:
        stop_agent(home)
        shutil.rmtree(home, ignore_errors=True)
