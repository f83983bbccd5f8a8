"""`verify cv` checks content by default: the help says so, missing references say what to do,
remote fetches are logged, and a refused connection fails at once instead of being retried."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from pyocm.descriptor import AccessSpec, Component, Descriptor, Digest, Provider, Resource
from pyocm.errors import RegistryError
from pyocm.oci.client import RegistryClient
from pyocm.oci.retry import RetryPolicy
from pyocm.repository.ctf.ocistore import CTFStore
from pyocm.repository.ocm import OCMRepository

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

CONSTRUCTOR = """\
components:
- name: acme.org/child
  version: 1.0.0
  provider: {name: acme}
  resources:
  - name: data
    type: plainText
    input: {type: utf8, text: child}
- name: acme.org/parent
  version: 1.0.0
  provider: {name: acme}
  componentReferences:
  - name: kid
    componentName: acme.org/child
    version: 1.0.0
"""


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    folder = tmp_path_factory.mktemp("keys")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private, public = folder / "key.pem", folder / "pub.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


def _ok(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_help_says_content_checks_are_on_by_default(run_ocm: RunOcm) -> None:
    text = "".join(_ok(run_ocm("verify", "cv", "--help")).stdout.split())  # wrapping aside
    assert "Onbydefault" in text
    assert "[default:true]" in text
    assert "--verify-digests=falsechecksthesignaturesonly" in text


def test_a_version_copied_without_its_references_says_how_to_verify_it(
    run_ocm: RunOcm, tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    private, public = keys
    (tmp_path / "cc.yaml").write_text(CONSTRUCTOR)
    source, target = tmp_path / "source", tmp_path / "target"
    _ok(
        run_ocm(
            "add", "cv", "--repository", str(source), "--constructor", str(tmp_path / "cc.yaml")
        )
    )
    parent = "//acme.org/parent:1.0.0"
    _ok(
        run_ocm(
            "sign", "cv", f"{source}{parent}", "--private-key", str(private), "--signature", "s"
        )
    )
    _ok(run_ocm("transfer", "cv", f"{source}{parent}", str(target)))  # without -r

    failed = run_ocm("verify", "cv", f"{target}{parent}", "--public-key", str(public))
    assert failed.returncode == 1
    message = " ".join(failed.stderr.split())
    assert "reference 'kid' of acme.org/parent:1.0.0 names acme.org/child:1.0.0" in message
    assert "copied without its references" in message
    assert "--recursive" in message
    assert "--verify-digests=false" in message

    _ok(
        run_ocm(
            "verify", "cv", f"{target}{parent}", "--public-key", str(public),
            "--verify-digests=false",
        )
    )  # fmt: skip


def test_remote_content_is_logged_and_a_refused_registry_is_not_retried(
    run_ocm: RunOcm, tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    private, public = keys
    port = _closed_port()
    content = hashlib.sha256(b"image").hexdigest()
    reference = f"127.0.0.1:{port}/app:1.0@sha256:{content}"
    resource = Resource(
        name="image",
        version="1.0.0",
        type="ociImage",
        relation="external",
        access=AccessSpec("ociArtifact", {"imageReference": reference}),
        digest=Digest("SHA-256", "genericBlobDigest/v1", content),
    )
    with OCMRepository(CTFStore(tmp_path / "ctf", writable=True)) as repo:
        repo.add_component_version(
            Descriptor(Component("acme.org/ext", "1.0.0", Provider("acme"), resources=[resource]))
        )
    ref = f"{tmp_path / 'ctf'}//acme.org/ext:1.0.0"
    _ok(run_ocm("sign", "cv", ref, "--private-key", str(private), "--no-verify-digests"))
    done = _ok(run_ocm("verify", "cv", ref, "--public-key", str(public)))
    assert "fetching content to check its digest" in done.stderr
    assert f"imageReference={reference}" in done.stderr
    assert "not checked" in done.stderr and "Connection refused" in done.stderr


def test_a_refused_connection_fails_without_back_off() -> None:
    waits: list[float] = []
    client = RegistryClient(
        f"http://127.0.0.1:{_closed_port()}", retry=RetryPolicy(sleep=waits.append)
    )
    with pytest.raises(RegistryError, match="Connection refused"):
        client.request("GET", "/v2/")
    assert waits == []


def test_a_dropped_connection_is_still_retried() -> None:
    """The contrast: a server that accepts and hangs up may do better next time."""
    waits: list[float] = []
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        server.settimeout(10)
        port = server.getsockname()[1]
        policy = RetryPolicy(attempts=3, sleep=waits.append)
        client = RegistryClient(f"http://127.0.0.1:{port}", retry=policy)

        def hang_up() -> None:
            for _ in range(3):
                try:
                    connection, _ = server.accept()
                except OSError:
                    return
                connection.close()

        thread = threading.Thread(target=hang_up, daemon=True)
        thread.start()
        with pytest.raises(RegistryError):
            client.request("GET", "/v2/")
        thread.join(10)
    assert len(waits) == 2
