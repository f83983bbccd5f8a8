"""``pyocm.Context``: configuration from files or in-memory documents, opening repositories with
its credentials, against the session's real TLS + htpasswd registry."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml

import pyocm
from fixtures.ocm_registry import new_sub_path, open_on
from fixtures.registry import RegistryServer
from pyocm.config.discovery import Environment
from pyocm.descriptor import Component, Descriptor, Provider, Resource
from pyocm.errors import NotFound, OCMError
from pyocm.repository import OCISpec, parse_repository


def _ocmconfig(server: RegistryServer, password: str | None = None) -> dict[str, Any]:
    """An ``.ocmconfig`` with basic-auth credentials for ``server``."""
    properties = {"username": server.username, "password": password or server.password}
    consumer = {
        "identity": {"type": "OCIRegistry", "hostname": server.host, "port": str(server.port)},
        "credentials": [{"type": "Credentials/v1", "properties": properties}],
    }
    return {
        "type": "generic.config.ocm.software/v1",
        "configurations": [{"type": "credentials.config.ocm.software", "consumers": [consumer]}],
    }


def _descriptor(name: str = "acme.org/app", version: str = "1.0.0") -> Descriptor:
    return Descriptor(Component(name, version, Provider("acme")))


@pytest.fixture(scope="module")
def stored(secure_registry: RegistryServer) -> str:
    """A sub path of the secure registry holding ``acme.org/app:1.0.0`` with a local blob."""
    from pyocm.blob import BytesBlob

    sub_path = new_sub_path()
    with open_on(secure_registry, sub_path) as repo:
        resource = repo.add_local_resource(
            "acme.org/app",
            "1.0.0",
            Resource(name="readme", version="1.0.0", type="plainText"),
            BytesBlob(b"hello", "text/plain"),
        )
        descriptor = _descriptor()
        descriptor.component.resources = [resource]
        repo.add_component_version(descriptor)
    return f"{secure_registry.url}/{sub_path}"


def test_a_context_from_an_in_memory_document_reads_from_the_secure_registry(
    secure_registry: RegistryServer, stored: str
) -> None:
    document = yaml.safe_dump(_ocmconfig(secure_registry)).encode()
    with pyocm.Context.from_documents(document, ca_file=secure_registry.ca_file) as ctx:
        with ctx.open(stored) as repo:
            assert repo.list_component_versions("acme.org/app") == ["1.0.0"]
            descriptor = repo.get_component_version("acme.org/app", "1.0.0")
            [resource] = descriptor.component.resources
            blob = repo.get_local_blob("acme.org/app", "1.0.0", resource.access)
            with blob.open() as stream:
                assert stream.read() == b"hello"
        cv = ctx.component_version(f"{stored}//acme.org/app:1.0.0")
        assert cv.name == "acme.org/app"
        assert cv.descriptor.component.name == "acme.org/app"
        assert [r.name for r in cv.resources] == ["readme"]
        with cv.resource("readme").open() as stream:
            assert stream.read() == b"hello"


def test_documents_merge_in_order_later_credentials_winning(
    secure_registry: RegistryServer, stored: str
) -> None:
    wrong = _ocmconfig(secure_registry, password="wrong")
    right = json.dumps(_ocmconfig(secure_registry))
    ctx = pyocm.Context.from_documents(wrong, right, ca_file=secure_registry.ca_file)
    with ctx, ctx.open(stored) as repo:
        assert repo.has_component_version("acme.org/app", "1.0.0")


def test_without_credentials_the_registry_refuses(
    secure_registry: RegistryServer, stored: str
) -> None:
    with pyocm.Context(ca_file=secure_registry.ca_file) as ctx, pytest.raises(OCMError):
        ctx.component_version(f"{stored}//acme.org/app:1.0.0")


def test_a_context_from_config_files_reads_the_given_files(
    secure_registry: RegistryServer, stored: str, tmp_path: Path
) -> None:
    path = tmp_path / "ocmconfig.yaml"
    path.write_text(yaml.safe_dump(_ocmconfig(secure_registry)))
    with pyocm.Context.from_config([path], ca_file=secure_registry.ca_file) as ctx:
        assert ctx.config.sources == (str(path),)
        assert ctx.component_version(f"{stored}//acme.org/app:1.0.0").version == "1.0.0"


def test_a_context_from_config_discovers_files_as_the_cli(tmp_path: Path) -> None:
    (tmp_path / ".ocmconfig").write_text(
        "type: generic.config.ocm.software/v1\n"
        "configurations: [{type: transfer.config.ocm.software/v1alpha1, recursive: -1}]\n"
    )
    where = Environment({"HOME": str(tmp_path)}, cwd=tmp_path / "work", executable=None)
    with pyocm.Context.from_config(environment=where) as ctx:
        assert ctx.config.sources == (str(tmp_path / ".ocmconfig"),)


def test_a_ctf_is_opened_by_its_path(tmp_path: Path) -> None:
    ctf = tmp_path / "transport-archive"
    with pyocm.Context() as ctx:
        with ctx.open(str(ctf), mode="create") as repo:
            repo.add_component_version(_descriptor())
        with ctx.open(f"ctf::{ctf}") as repo:
            assert repo.list_components() == ["acme.org/app"]
        assert ctx.component_version(f"{ctf}//acme.org/app:1.0.0").version == "1.0.0"
        with pytest.raises(NotFound):
            ctx.component_version(f"{ctf}//acme.org/app:2.0.0")
        with pytest.raises(OCMError, match="names no version"):
            ctx.component_version(f"{ctf}//acme.org/app")


def test_a_spec_is_opened_as_its_reference_string(secure_registry: RegistryServer) -> None:
    spec = parse_repository(secure_registry.url)
    assert isinstance(spec, OCISpec)
    ctx = pyocm.Context.from_documents(_ocmconfig(secure_registry))
    provide = ctx.registry_credentials(spec)
    found = provide(secure_registry.address)
    assert found is not None
    assert (found.username, found.password) == (secure_registry.username, secure_registry.password)
    assert pyocm.Context().registry_credentials(spec)(secure_registry.address) is None


def test_two_contexts_with_different_credentials_do_not_interfere_across_threads(
    secure_registry: RegistryServer, stored: str
) -> None:
    good = pyocm.Context.from_documents(
        _ocmconfig(secure_registry), ca_file=secure_registry.ca_file
    )
    bad = pyocm.Context.from_documents(
        _ocmconfig(secure_registry, password="wrong"), ca_file=secure_registry.ca_file
    )
    reference = f"{stored}//acme.org/app:1.0.0"
    start = threading.Barrier(2)
    outcomes: dict[str, list[str]] = {"good": [], "bad": []}

    def use(name: str, ctx: pyocm.Context) -> None:
        start.wait()
        for _ in range(5):
            try:
                outcomes[name].append(ctx.component_version(reference).version)
            except OCMError as e:
                outcomes[name].append(type(e).__name__)

    threads = [
        threading.Thread(target=use, args=("good", good)),
        threading.Thread(target=use, args=("bad", bad)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    good.close()
    bad.close()
    assert outcomes["good"] == ["1.0.0"] * 5
    assert len(outcomes["bad"]) == 5
    assert "1.0.0" not in outcomes["bad"]


def test_a_closed_context_refuses_use_and_closes_what_it_opened(tmp_path: Path) -> None:
    ctf = str(tmp_path / "ctf")
    ctx = pyocm.Context()
    repo = ctx.open(ctf, mode="create")
    access = ctx.access_context()
    ctx.close()
    assert ctx.closed
    with pytest.raises(OCMError, match="is closed"):
        repo.list_components()
    ctx.close()  # twice is fine
    for use in (
        lambda: ctx.open(ctf),
        lambda: ctx.component_version(f"{ctf}//acme.org/app:1.0.0"),
        ctx.access_context,
        lambda: ctx.resolving(None),
        lambda: ctx.__enter__(),
    ):
        with pytest.raises(OCMError, match="the context is closed"):
            use()
    access.close()


def test_an_empty_document_is_an_error_naming_it() -> None:
    with pytest.raises(OCMError, match=r"document\[1\]"):
        pyocm.Context.from_documents({"type": "generic.config.ocm.software/v1"}, b"")


def test_a_configuration_loader_runs_once_and_only_when_the_configuration_is_needed(
    tmp_path: Path,
) -> None:
    from pyocm.config.model import Config

    calls: list[int] = []

    def load() -> Config:
        calls.append(1)
        return Config()

    with pyocm.Context(load) as ctx:
        with ctx.open(str(tmp_path / "ctf"), mode="create") as repo:
            repo.add_component_version(_descriptor())
        assert calls == []  # a CTF needs no configuration
        assert ctx.signing_config("default") is None
        assert ctx.config is ctx.config
        assert calls == [1]


def _rsa_private_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _keys_document(signature: str, **properties: str) -> dict[str, Any]:
    consumer = {
        "identity": {"type": "RSA/v1alpha1", "algorithm": "RSASSA-PSS", "signature": signature},
        "credentials": [{"type": "Credentials/v1", "properties": properties}],
    }
    return {
        "type": "generic.config.ocm.software/v1",
        "configurations": [{"type": "credentials.config.ocm.software", "consumers": [consumer]}],
    }


def test_signing_and_verification_keys_come_from_the_configuration_or_given_files(
    tmp_path: Path,
) -> None:
    from cryptography.hazmat.primitives import serialization

    from pyocm.configured_keys import MissingKey

    pem = _rsa_private_pem()
    ctx = pyocm.Context.from_documents(_keys_document("acme", privateKeyPEM=pem))
    key, chain = ctx.signing_key("acme")
    assert chain == []
    public, anchors = ctx.verification_key("acme")
    assert public is not None and anchors == []
    assert public.public_numbers() == key.public_key().public_numbers()

    other = _rsa_private_pem()
    (tmp_path / "key.pem").write_text(other)
    given, _ = ctx.signing_key("acme", private_key_file=tmp_path / "key.pem")
    assert given.private_numbers() != key.private_numbers()
    (tmp_path / "pub.pem").write_bytes(
        given.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    public, _ = ctx.verification_key("acme", public_key_file=tmp_path / "pub.pem")
    assert public is not None
    assert public.public_numbers() == given.public_key().public_numbers()

    with pytest.raises(MissingKey, match="or pass private_key_file") as missing:
        ctx.signing_key("other")
    assert missing.value.consumer == (
        "{type: RSA/v1alpha1, algorithm: RSASSA-PSS, signature: other}"
    )
    with pytest.raises(MissingKey, match="no GPG public key for signature 'acme'"):
        ctx.gpg_verification_key("acme")
    (tmp_path / "keyring.asc").write_bytes(b"armored")
    assert ctx.gpg_verification_key("acme", public_key_file=tmp_path / "keyring.asc") == (
        b"armored"
    )
    assert ctx.gpg_signing_key("acme", private_key_file=tmp_path / "keyring.asc") == (
        b"armored",
        "",
    )
    ctx.close()
    with pytest.raises(OCMError, match="the context is closed"):
        ctx.signing_key("acme")
