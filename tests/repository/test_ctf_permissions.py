"""Writes the system refuses say what could not be written and why, in pyocm's words.

The tests run as root, for whom permission bits do not block writes; the ``ocm`` processes
are therefore started through ``setpriv`` without ``CAP_DAC_OVERRIDE`` (and
``CAP_DAC_READ_SEARCH``), so that a ``0555`` directory really refuses them.  Without root,
plain ``chmod`` does.  The mapping itself is also tested with errors the OS really raises.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from fixtures.cli import ocm_command
from pyocm.cli.app import error_message
from pyocm.errors import OCMError
from pyocm.repository.ctf.store import BlobStore, atomic_write, writing

GOOD = """components:
- name: acme.org/hello
  version: {version}
  provider: {{name: acme}}
  resources:
  - name: text
    type: plainText
    input: {{type: file, path: hello.txt}}
"""


def _unprivileged(tmp_path: Path) -> list[str]:
    """A command prefix under which permission bits apply (checked, not assumed)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.fail("running as root needs setpriv to drop CAP_DAC_OVERRIDE")
        prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"]
    probe = tmp_path / "probe"
    probe.mkdir()
    probe.chmod(0o555)
    done = subprocess.run([*prefix, "touch", str(probe / "x")], capture_output=True)
    probe.chmod(0o755)
    assert done.returncode != 0, "the probe could write into a read-only directory"
    return prefix


def _ocm(prefix: list[str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, *ocm_command(), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def ctf(tmp_path: Path) -> Path:
    (tmp_path / "hello.txt").write_text("hello\n")
    (tmp_path / "c1.yaml").write_text(GOOD.format(version="1.0.0"))
    (tmp_path / "c2.yaml").write_text(GOOD.format(version="2.0.0"))
    done = _ocm([], tmp_path, "add", "cv", "-r", "ctf", "-c", "c1.yaml")
    assert done.returncode == 0, done.stderr
    return tmp_path / "ctf"


def test_add_into_a_read_only_ctf(tmp_path: Path, ctf: Path) -> None:
    prefix = _unprivileged(tmp_path)
    (tmp_path / "hello.txt").write_text("changed\n")  # a new blob must be written
    for directory in (ctf, ctf / "blobs"):
        directory.chmod(0o555)
    try:
        done = _ocm(prefix, tmp_path, "add", "cv", "-r", "ctf", "-c", "c2.yaml")
    finally:
        for directory in (ctf, ctf / "blobs"):
            directory.chmod(0o755)
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("Error: components[0].resources[0]: cannot store resource")
    assert f": cannot write CTF ctf: permission denied ({ctf / 'blobs'})\n" in done.stderr
    assert "Errno" not in done.stderr and ".incoming" not in done.stderr


def test_signing_a_read_only_ctf_names_the_index_not_a_temporary(tmp_path: Path, ctf: Path) -> None:
    prefix = _unprivileged(tmp_path)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    ctf.chmod(0o555)  # blobs/ stays writable: the new descriptor is stored, the index is not
    try:
        done = _ocm(prefix, tmp_path, "sign", "cv", "ctf//acme.org/hello:1.0.0", "-K", "key.pem")
    finally:
        ctf.chmod(0o755)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        f"Error: cannot write CTF ctf: permission denied ({ctf / 'artifact-index.json'})"
    )


def test_a_lock_file_that_cannot_be_opened(tmp_path: Path, ctf: Path) -> None:
    prefix = _unprivileged(tmp_path)
    (ctf / ".pyocm.lock").chmod(0o444)
    ctf.chmod(0o555)
    try:
        done = _ocm(prefix, tmp_path, "add", "cv", "-r", "ctf", "-c", "c2.yaml")
    finally:
        ctf.chmod(0o755)
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: cannot write CTF ctf: permission denied ({ctf / '.pyocm.lock'})\n"
    )


def test_an_os_error_on_a_temporary_names_the_file_meant(tmp_path: Path) -> None:
    """As any user: a file where the directory should be makes the OS refuse (ENOTDIR)."""
    (tmp_path / "ctf").write_text("not a directory")
    with pytest.raises(OCMError) as raised, writing("CTF x", tmp_path / "ctf"):
        atomic_write(tmp_path / "ctf" / "artifact-index.json", [b"{}"])
    assert str(raised.value) == (
        f"cannot write CTF x: not a directory ({tmp_path / 'ctf' / 'artifact-index.json'})"
    )
    store = BlobStore(tmp_path / "ctf", "CTF x")
    with pytest.raises(OCMError, match=r"^cannot write CTF x: not a directory \(.*/ctf/blobs\)$"):
        store.put_bytes(b"data")


class _DirectoryStream:
    """A stream whose reads the OS refuses: ``read(2)`` on a directory gives EISDIR."""

    def __init__(self, path: Path):
        self.fd = os.open(path, os.O_RDONLY)

    def read(self, size: int = -1) -> bytes:
        return os.read(self.fd, size if size > 0 else 1 << 16)


def test_an_error_reading_the_source_is_not_called_a_write_error(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "ctf")
    (tmp_path / "d").mkdir()
    stream = _DirectoryStream(tmp_path / "d")
    try:
        with pytest.raises(IsADirectoryError):
            store.put_stream(stream)  # type: ignore[arg-type]
    finally:
        os.close(stream.fd)
    assert os.listdir(tmp_path / "ctf" / "blobs") == []


def test_an_unexpected_os_error_reaching_the_cli_is_plain_words(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OSError) as raised:
        open(tmp_path / "file" / "x", "w")  # noqa: SIM115
    assert error_message(raised.value) == (
        f"cannot access {tmp_path / 'file' / 'x'}: not a directory"
    )
