"""Digests of ``ociArtifact`` resources at construction, against the real registries: the image
is resolved and the access pinned (Go v2, cli.md §2.5); where the registry cannot be reached
with the credentials there are, an unpinned access is an error unless digest processing is
skipped."""

from __future__ import annotations

import socket
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from fixtures.oci import FAST_RETRIES, image_config, make_client
from fixtures.registry import RegistryServer
from pyocm.access.context import AccessContext
from pyocm.descriptor import Descriptor
from pyocm.errors import DigestMismatch, NotFound, OCMError
from pyocm.oci.auth import Credentials
from pyocm.oci.manifest import Descriptor as OCIDescriptor
from pyocm.oci.manifest import image_manifest
from pyocm.oci.mediatypes import IMAGE_MANIFEST

Build = Callable[..., list[Descriptor]]
RunOcm = Callable[..., subprocess.CompletedProcess[str]]

HEAD = "name: acme.org/app\nversion: 1.0.0\nprovider: {name: acme.org}\n"


def _push(server: RegistryServer, name: str, tag: str, layer: bytes) -> OCIDescriptor:
    with make_client(server) as client:
        remote = client.repository(name)
        config = remote.push_bytes(image_config(), "application/vnd.oci.image.config.v1+json")
        data = remote.push_bytes(layer, "application/vnd.oci.image.layer.v1.tar")
        return remote.put_manifest(image_manifest(config, [data]), IMAGE_MANIFEST, tag=tag)


def _constructor(reference: str, extra: str = "", access_type: str = "ociArtifact") -> str:
    return (
        HEAD
        + "resources:\n- {name: image, type: ociImage, version: 1.0.0, access: "
        + f"{{type: {access_type}, imageReference: '{reference}'}}{extra}}}\n"
    )


def _name() -> str:
    return f"pyocm-test/construct-{uuid.uuid4().hex[:10]}"


def _context(server: RegistryServer, *, with_credentials: bool = True) -> AccessContext:
    creds = Credentials(server.username or "", server.password or "")
    known = with_credentials and bool(server.username)
    return AccessContext(
        credentials=lambda scheme, path: lambda host: creds if known else None,
        ca_file=server.ca_file,
        retry=FAST_RETRIES,
    )


def test_a_tag_is_resolved_and_the_access_pinned(registry: RegistryServer, build: Build) -> None:
    name = _name()
    pushed = _push(registry, name, "1.0", b"layer")
    reference = f"http://{registry.address}/{name}:1.0"
    (cd,) = build(_constructor(reference, access_type="OCIImage/v1"), access_context=None)
    [resource] = cd.component.resources
    assert resource.digest is not None and resource.digest.to_dict() == {
        "hashAlgorithm": "SHA-256",
        "normalisationAlgorithm": "genericBlobDigest/v1",
        "value": pushed.digest[7:],
    }
    assert resource.access is not None and resource.access.to_dict() == {
        "type": "OCIImage/v1",
        "imageReference": f"{reference}@{pushed.digest}",
    }


def test_a_pinned_reference_must_be_the_registry_s(registry: RegistryServer, build: Build) -> None:
    name = _name()
    pushed = _push(registry, name, "1.0", b"layer")
    pinned = f"http://{registry.address}/{name}:1.0@{pushed.digest}"
    (cd,) = build(_constructor(pinned), access_context=None)
    [resource] = cd.component.resources
    assert resource.access is not None and resource.access.properties["imageReference"] == pinned
    assert resource.digest is not None and resource.digest.value == pushed.digest[7:]

    absent = f"http://{registry.address}/{name}:1.0@sha256:{'0' * 64}"
    with pytest.raises(NotFound, match="not found in its registry"):
        build(_constructor(absent), access_context=None, conflict_policy="replace")


def test_a_digest_written_in_the_file_must_match_the_image(
    registry: RegistryServer, build: Build
) -> None:
    name = _name()
    pushed = _push(registry, name, "1.0", b"layer")
    reference = f"http://{registry.address}/{name}:1.0"
    digest = (
        ", digest: {hashAlgorithm: SHA-256, normalisationAlgorithm: genericBlobDigest/v1, "
        "value: VALUE}"
    )
    with pytest.raises(DigestMismatch):
        build(_constructor(reference, digest.replace("VALUE", "cd" * 32)), access_context=None)
    (cd,) = build(_constructor(reference, digest.replace("VALUE", pushed.digest[7:])))
    [resource] = cd.component.resources
    assert resource.access is not None
    assert resource.access.properties["imageReference"].endswith(f"@{pushed.digest}")


def test_an_image_the_registry_does_not_have_is_an_error(
    registry: RegistryServer, build: Build
) -> None:
    reference = f"http://{registry.address}/{_name()}:1.0"
    with pytest.raises(NotFound, match=f"image {reference} not found"):
        build(_constructor(reference), access_context=None)


def test_credentials_from_the_context_and_an_error_without_them(
    secure_registry: RegistryServer, build: Build
) -> None:
    name = _name()
    pushed = _push(secure_registry, name, "1.0", b"private")
    reference = f"{secure_registry.address}/{name}:1.0"
    with _context(secure_registry) as context:
        (cd,) = build(_constructor(reference), access_context=context)
    [resource] = cd.component.resources
    assert resource.digest is not None and resource.digest.value == pushed.digest[7:]

    with _context(secure_registry, with_credentials=False) as anonymous:
        with pytest.raises(OCMError, match=f"image {reference} cannot be pinned.*401"):
            build(_constructor(reference), access_context=anonymous, conflict_policy="replace")
        (cd,) = build(
            _constructor(reference),
            access_context=anonymous,
            conflict_policy="replace",
            skip_digest_processing=True,
        )
    [resource] = cd.component.resources
    assert resource.digest is None
    assert resource.access is not None and resource.access.properties["imageReference"] == reference


def test_a_loopback_registry_without_scheme_and_without_tls_is_resolved_in_plain_http(
    registry: RegistryServer, build: Build
) -> None:
    name = _name()
    pushed = _push(registry, name, "1.0", b"plain")
    reference = f"{registry.address}/{name}:1.0"  # no scheme: TLS first, then plain HTTP
    (cd,) = build(_constructor(reference), access_context=None)
    [resource] = cd.component.resources
    assert resource.digest is not None and resource.digest.value == pushed.digest[7:]
    assert resource.access is not None
    assert resource.access.properties["imageReference"] == f"{reference}@{pushed.digest}"


def test_ocm_add_cv_fails_on_an_image_it_cannot_pin_unless_told_to_skip_digests(
    run_ocm: RunOcm, tmp_path: Path
) -> None:
    with socket.socket() as s:  # a loopback port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    reference = f"127.0.0.1:{port}/app:1.0"
    (tmp_path / "component-constructor.yaml").write_text(_constructor(reference))
    env = {"HOME": str(tmp_path)}
    failed = run_ocm("add", "cv", cwd=tmp_path, env=env)
    assert failed.returncode == 1
    assert f"resource 'image': image {reference} cannot be pinned to a digest" in failed.stderr
    assert "ConnectError" in failed.stderr
    assert "--skip-reference-digest-processing" in failed.stderr

    done = run_ocm(
        "add", "cv", "--skip-reference-digest-processing", "-o", "json", cwd=tmp_path, env=env
    )
    assert done.returncode == 0, done.stderr
    [cd] = yaml.safe_load(done.stdout)
    [resource] = cd["component"]["resources"]
    assert "digest" not in resource
    assert resource["access"]["imageReference"] == reference


def test_ocm_add_cv_resolves_with_credentials_from_the_config(
    secure_registry: RegistryServer, run_ocm: RunOcm, tmp_path: Path
) -> None:
    name = _name()
    pushed = _push(secure_registry, name, "2.0", b"from the cli")
    reference = f"{secure_registry.address}/{name}:2.0"
    (tmp_path / "component-constructor.yaml").write_text(_constructor(reference))
    config = tmp_path / "ocmconfig.yaml"
    identity = {"type": "OCIRegistry", "hostname": secure_registry.host}
    identity["port"] = str(secure_registry.port)
    properties = {"username": secure_registry.username, "password": secure_registry.password}
    config.write_text(
        yaml.safe_dump(
            {
                "type": "generic.config.ocm.software/v1",
                "configurations": [
                    {
                        "type": "credentials.config.ocm.software",
                        "consumers": [
                            {
                                "identity": identity,
                                "credentials": [
                                    {"type": "Credentials/v1", "properties": properties}
                                ],
                            }
                        ],
                    }
                ],
            }
        )
    )
    env = {"SSL_CERT_FILE": str(secure_registry.ca_file), "HOME": str(tmp_path)}
    done = run_ocm("add", "cv", "--config", str(config), "-o", "json", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    [cd] = yaml.safe_load(done.stdout)
    [resource] = cd["component"]["resources"]
    assert resource["digest"]["value"] == pushed.digest[7:]
    assert resource["access"]["imageReference"] == f"{reference}@{pushed.digest}"
