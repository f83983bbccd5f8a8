"""``ociArtifact`` and ``ociBlob`` accesses read from the real registries: images handed out as
OCI image layout tars streamed from the registry, pinned digests checked, credentials from the
caller's context."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures.oci import FAST_RETRIES, image_config, make_client
from fixtures.registry import RegistryServer
from pyocm.access import open_blob
from pyocm.access.context import AccessContext
from pyocm.access.digests import content_digest
from pyocm.descriptor import Component, Descriptor, Provider, Resource
from pyocm.descriptor.model import AccessSpec, Digest
from pyocm.digest import oci_layout_manifest_digest
from pyocm.errors import DigestMismatch, NotFound, RegistryError
from pyocm.oci.artifact import GraphBlob
from pyocm.oci.auth import Credentials, CredentialsProvider
from pyocm.oci.client import RegistryClient
from pyocm.oci.manifest import Descriptor as OCIDescriptor
from pyocm.oci.manifest import image_manifest
from pyocm.oci.mediatypes import EMPTY_JSON, IMAGE_MANIFEST
from pyocm.oci.remote import RemoteRepository
from pyocm.repository import Repository, open_repository

LAYOUT_TAR = "application/vnd.ocm.software.oci.layout.v1+tar"
LAYER = "application/vnd.oci.image.layer.v1.tar"
CONFIG = "application/vnd.oci.image.config.v1+json"
REF_NAME = "org.opencontainers.image.ref.name"


@pytest.fixture(params=["plain", "secure"])
def server(request: pytest.FixtureRequest) -> RegistryServer:
    """Each of the two real registries in turn: plain HTTP, and TLS with basic auth."""
    name = "registry" if request.param == "plain" else "secure_registry"
    found: RegistryServer = request.getfixturevalue(name)
    return found


@pytest.fixture
def client(server: RegistryServer) -> Iterator[RegistryClient]:
    with make_client(server) as c:
        yield c


@pytest.fixture
def context(server: RegistryServer) -> Iterator[AccessContext]:
    """The caller's context: the registry's credentials and CA."""
    creds = Credentials(server.username or "", server.password or "")
    with AccessContext(
        credentials=lambda scheme, path: lambda host: creds if server.username else None,
        ca_file=server.ca_file,
        retry=FAST_RETRIES,
    ) as made:
        yield made


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repository]:
    """The repository descriptors are read from (remote accesses do not use it)."""
    with open_repository(str(tmp_path / "ctf"), mode="create") as opened:
        yield opened


def _push_image(remote: RemoteRepository, tag: str, layers: list[bytes]) -> OCIDescriptor:
    config = remote.push_bytes(image_config(), CONFIG)
    pushed = [remote.push_bytes(data, LAYER) for data in layers]
    return remote.put_manifest(image_manifest(config, pushed), IMAGE_MANIFEST, tag=tag)


def _reference(server: RegistryServer, name: str, suffix: str) -> str:
    scheme = "http://" if server.url.startswith("http://") else ""
    return f"{scheme}{server.address}/{name}{suffix}"


def _resource(access: AccessSpec, digest: Digest | None = None) -> tuple[Descriptor, Resource]:
    resource = Resource(name="image", version="1.0", type="ociImage", access=access)
    resource.relation = "external"
    resource.digest = digest
    component = Component("acme.org/app", "1.0", Provider("acme"), resources=[resource])
    return Descriptor(component), resource


def _image_access(reference: str) -> AccessSpec:
    return AccessSpec("ociArtifact", {"imageReference": reference})


def _members(data: bytes) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar:
            stream = tar.extractfile(member)
            assert stream is not None
            found[member.name] = stream.read()
    return found


def _name() -> str:
    return f"pyocm-test/access-{uuid.uuid4().hex[:10]}"


def test_an_image_is_handed_out_as_a_layout_tar_streamed_from_the_registry(
    server: RegistryServer, client: RegistryClient, context: AccessContext, repo: Repository
) -> None:
    name = _name()
    layers = [os.urandom(3 << 20), os.urandom(100)]
    pushed = _push_image(client.repository(name), "1.0", layers)
    reference = _reference(server, name, ":1.0")
    descriptor, resource = _resource(_image_access(reference))

    blob = open_blob(repo, descriptor, resource, context)
    assert blob.media_type == LAYOUT_TAR
    assert isinstance(blob, GraphBlob) and blob.root.digest == pushed.digest
    with blob.open() as stream:
        data = stream.read()
    assert len(data) == blob.size
    files = _members(data)
    index = json.loads(files["index.json"])
    assert index["manifests"][0]["digest"] == pushed.digest
    # Go v2 tags the root with the whole image reference
    assert index["manifests"][0]["annotations"] == {REF_NAME: reference}
    for layer in layers:
        assert any(content == layer for content in files.values())
    assert files["oci-layout"] == b'{"imageLayoutVersion":"1.0.0"}'
    # the digest of the content is the manifest's, however it is computed
    assert oci_layout_manifest_digest(io.BytesIO(data)) == pushed.digest
    assert content_digest(repo, descriptor, resource, context).value == pushed.digest[7:]


def test_a_pinned_reference_is_resolved_by_its_digest(
    server: RegistryServer, client: RegistryClient, context: AccessContext, repo: Repository
) -> None:
    name = _name()
    remote = client.repository(name)
    first = _push_image(remote, "1.0", [b"first"])
    _push_image(remote, "1.0", [b"second"])  # the tag moved on
    reference = _reference(server, name, f":1.0@{first.digest}")
    blob = open_blob(repo, *_resource(_image_access(reference)), context)
    assert isinstance(blob, GraphBlob)
    assert blob.root.digest == first.digest
    with blob.open() as stream:
        assert b"first" in stream.read()


def test_a_wrong_pinned_digest_fails(
    server: RegistryServer, client: RegistryClient, context: AccessContext, repo: Repository
) -> None:
    name = _name()
    _push_image(client.repository(name), "1.0", [b"content"])
    wrong = "sha256:" + "0" * 64
    reference = _reference(server, name, f":1.0@{wrong}")
    with pytest.raises(NotFound, match=f"image {reference}".replace("+", r"\+")):
        open_blob(repo, *_resource(_image_access(reference)), context)


def test_an_image_that_is_not_the_recorded_one_fails(
    server: RegistryServer, client: RegistryClient, context: AccessContext, repo: Repository
) -> None:
    name = _name()
    _push_image(client.repository(name), "1.0", [b"content"])
    recorded = Digest("SHA-256", "genericBlobDigest/v1", "ab" * 32)
    descriptor, resource = _resource(_image_access(_reference(server, name, ":1.0")), recorded)
    with pytest.raises(DigestMismatch, match="resource 'image'"):
        open_blob(repo, descriptor, resource, context)


def test_a_missing_tag_is_not_found(
    server: RegistryServer, context: AccessContext, repo: Repository
) -> None:
    reference = _reference(server, _name(), ":nope")
    with pytest.raises(NotFound, match="not found"):
        open_blob(repo, *_resource(_image_access(reference)), context)


def test_referrers_ride_along(
    server: RegistryServer, client: RegistryClient, context: AccessContext, repo: Repository
) -> None:
    name = _name()
    remote = client.repository(name)
    subject = _push_image(remote, "1.0", [b"image"])
    empty = remote.push_bytes(b"{}", EMPTY_JSON)
    sbom = remote.push_bytes(b'{"sbom": true}', "application/spdx+json")
    referrer = remote.put_manifest(
        image_manifest(empty, [sbom], artifact_type="application/spdx+json", subject=subject),
        IMAGE_MANIFEST,
    )
    blob = open_blob(repo, *_resource(_image_access(_reference(server, name, ":1.0"))), context)
    with blob.open() as stream:
        files = _members(stream.read())
    listed = [m["digest"] for m in json.loads(files["index.json"])["manifests"]]
    assert listed == [subject.digest, referrer.digest]
    assert files[f"blobs/sha256/{sbom.digest[7:]}"] == b'{"sbom": true}'


def test_credentials_come_from_the_context(
    secure_registry: RegistryServer, repo: Repository, tmp_path: Path
) -> None:
    name = _name()
    with make_client(secure_registry) as client:
        _push_image(client.repository(name), "1.0", [b"secret"])
    access = _image_access(f"{secure_registry.address}/{name}:1.0")
    asked: list[tuple[str, str]] = []
    creds = Credentials(secure_registry.username or "", secure_registry.password or "")

    def credentials(scheme: str, path: str) -> CredentialsProvider:
        asked.append((scheme, path))
        return lambda host: creds

    context = AccessContext(credentials=credentials, ca_file=secure_registry.ca_file)
    with context, open_blob(repo, *_resource(access), context).open() as stream:
        assert b"secret" in stream.read()
    assert asked == [("", name)]
    anonymous = AccessContext(ca_file=secure_registry.ca_file, retry=FAST_RETRIES)
    with anonymous, pytest.raises(RegistryError, match="401"):
        open_blob(repo, *_resource(access), anonymous)


def test_a_single_blob_by_digest(
    server: RegistryServer, client: RegistryClient, context: AccessContext, repo: Repository
) -> None:
    name = _name()
    data = os.urandom(2048)
    pushed = client.repository(name).push_bytes(data, LAYER)
    ref = _reference(server, name, "")
    access = AccessSpec(
        "ociBlob",
        {"ref": ref, "digest": pushed.digest, "size": len(data), "mediaType": "text/x-test"},
    )
    blob = open_blob(repo, *_resource(access), context)
    assert (blob.media_type, blob.digest, blob.size) == ("text/x-test", pushed.digest, len(data))
    with blob.open() as stream:
        assert stream.read() == data

    wrong_size = AccessSpec("OCIImageLayer/v1", {**access.properties, "size": 7})
    with pytest.raises(DigestMismatch, match="7 bytes"):
        open_blob(repo, *_resource(wrong_size), context)
    other = "sha256:" + "1" * 64
    pinned_elsewhere = AccessSpec("ociBlob", {**access.properties, "ref": f"{ref}@{other}"})
    with pytest.raises(DigestMismatch):
        open_blob(repo, *_resource(pinned_elsewhere), context)
    absent = AccessSpec("ociBlob", {**access.properties, "digest": other})
    with pytest.raises(NotFound, match=other):
        open_blob(repo, *_resource(absent), context)


def test_skopeo_reads_the_layout_handed_out(
    registry: RegistryServer, skopeo: Path, repo: Repository, tmp_path: Path
) -> None:
    name = _name()
    with make_client(registry) as client:
        pushed = _push_image(client.repository(name), "1.0", [os.urandom(70000)])
    access = _image_access(f"http://{registry.address}/{name}:1.0")
    archive = tmp_path / "image.tar"
    with AccessContext() as context, open_blob(repo, *_resource(access), context).open() as s:
        archive.write_bytes(s.read())
    raw = subprocess.run(
        [str(skopeo), "inspect", "--raw", f"oci-archive:{archive}"],
        capture_output=True,
        check=True,
    ).stdout
    assert hashlib.sha256(raw).hexdigest() == pushed.digest[7:]
