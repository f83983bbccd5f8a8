"""Component versions in real registries: written as Go v2 writes them, read back, listed."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from fixtures.ocm_registry import open_on, raw_client, sha256
from fixtures.registry import RegistryServer, TokenRegistry
from pyocm.blob import BytesBlob
from pyocm.descriptor import Component, Descriptor, Provider, Resource
from pyocm.descriptor.model import AccessSpec, Source
from pyocm.errors import NotFound, OCMError, RegistryError
from pyocm.oci.auth import Credentials
from pyocm.oci.manifest import Descriptor as OCIDescriptor
from pyocm.oci.manifest import image_manifest
from pyocm.repository import open_repository
from pyocm.repository.ocm import OCMRepository

COMPONENT = "acme.org/app"
README = b"read me\n"


def _add(repo: OCMRepository, version: str = "1.0.0", content: bytes = README) -> Descriptor:
    res = repo.add_local_resource(
        COMPONENT,
        version,
        Resource(name="readme", version="1.0.0", type="plainText"),
        BytesBlob(content, "text/plain"),
    )
    src = repo.add_local_source(
        COMPONENT,
        version,
        Source(name="code", version="1.0.0", type="git"),
        BytesBlob(b"source code", "application/x-tar"),
    )
    cd = Descriptor(
        Component(COMPONENT, version, Provider("acme.org"), resources=[res], sources=[src])
    )
    repo.add_component_version(cd)
    return cd


def _read(repo: OCMRepository, version: str, access: AccessSpec | None) -> bytes:
    assert access is not None
    with repo.get_local_blob(COMPONENT, version, access).open() as f:
        return f.read()


def test_a_version_and_its_local_blobs_round_trip(
    repo: OCMRepository, reopen: Callable[..., OCMRepository]
) -> None:
    written = _add(repo)
    with reopen() as again:
        assert again.list_component_versions(COMPONENT) == ["1.0.0"]
        assert again.has_component_version(COMPONENT, "1.0.0")
        read = again.get_component_version(COMPONENT, "1.0.0")
        assert read.to_dict() == written.to_dict()
        [res], [src] = read.component.resources, read.component.sources
        assert res.access is not None
        assert res.access.properties == {
            "localReference": sha256(README),
            "mediaType": "text/plain",
        }
        assert _read(again, "1.0.0", res.access) == README
        assert _read(again, "1.0.0", src.access) == b"source code"


def test_the_manifest_is_the_one_go_v2_writes(
    server: RegistryServer, sub_path: str, repo: OCMRepository
) -> None:
    written = _add(repo)
    with raw_client(server) as client:
        remote = client.repository(f"{sub_path}/component-descriptors/{COMPONENT}")
        fetched = remote.get_manifest("1.0.0")
        manifest = json.loads(fetched.content)
        # Go's json.Marshal of ociImageSpecV1.Manifest: fields in declaration order
        assert list(manifest) == [
            "schemaVersion",
            "mediaType",
            "artifactType",
            "config",
            "layers",
            "annotations",
        ]
        assert fetched.descriptor.media_type == "application/vnd.oci.image.manifest.v1+json"
        assert manifest["artifactType"] == "application/vnd.ocm.software.component-descriptor.v2"
        config, layers = manifest["config"], manifest["layers"]
        assert config["mediaType"] == "application/vnd.ocm.software.component.config.v1+json"
        config_raw = remote.fetch_blob(config["digest"], config["size"])
        assert (
            config_raw
            == json.dumps({"componentDescriptorLayer": layers[0]}, separators=(",", ":")).encode()
        )
        assert layers[0]["mediaType"] == "application/vnd.ocm.software.component-descriptor.v2+json"
        layer_raw = remote.fetch_blob(layers[0]["digest"], layers[0]["size"])
        assert json.loads(layer_raw) == written.to_dict()
        assert (
            layer_raw
            == json.dumps(written.to_dict(), separators=(",", ":"), sort_keys=True).encode()
        )
        assert layers[1] == {
            "mediaType": "text/plain",
            "digest": sha256(README),
            "size": len(README),
            "annotations": {
                "software.ocm.artifact": (
                    '[{"identity":{"name":"readme","version":"1.0.0"},"kind":"resource"}]'
                )
            },
        }
        assert layers[2]["annotations"] == {
            "software.ocm.artifact": (
                '[{"identity":{"name":"code","version":"1.0.0"},"kind":"source"}]'
            )
        }
        assert manifest["annotations"] == {
            "org.opencontainers.image.authors": "pyocm",
            "org.opencontainers.image.description": (
                "This is an OCM OCI Artifact Manifest that contains the component descriptor for "
                "the component acme.org/app.\nIt is used to store the component descriptor in an "
                "OCI registry and can be referrenced by the official OCM Binding Library."
            ),
            "org.opencontainers.image.documentation": "https://ocm.software",
            "org.opencontainers.image.source": (
                "https://github.com/open-component-model/open-component-model"
            ),
            "org.opencontainers.image.title": (
                "OCM Component Descriptor OCI Artifact Manifest for acme.org/app in version 1.0.0"
            ),
            "org.opencontainers.image.url": "https://ocm.software",
            "org.opencontainers.image.version": "1.0.0",
            "software.ocm.componentversion": "acme.org/app:1.0.0",
            "software.ocm.creator": "pyocm",
        }


def test_build_metadata_is_stored_under_a_build_tag(
    server: RegistryServer, sub_path: str, repo: OCMRepository
) -> None:
    _add(repo, "1.2.3+ci.42")
    with raw_client(server) as client:
        remote = client.repository(f"{sub_path}/component-descriptors/{COMPONENT}")
        assert remote.list_tags() == ["1.2.3.build-ci.42"]
        annotations = json.loads(remote.get_manifest("1.2.3.build-ci.42").content)["annotations"]
        assert annotations["software.ocm.componentversion"] == "acme.org/app:1.2.3+ci.42"
    assert repo.list_component_versions(COMPONENT) == ["1.2.3+ci.42"]
    assert repo.has_component_version(COMPONENT, "1.2.3+ci.42")
    assert repo.get_component_version(COMPONENT, "1.2.3+ci.42").component.version == "1.2.3+ci.42"


def test_listing_validates_every_tag_and_keeps_semantic_versions_highest_first(
    server: RegistryServer, sub_path: str, repo: OCMRepository
) -> None:
    for version in ("1.0.0", "2.0.0-rc.1", "1.10.0", "nightly"):
        _add(repo, version)
    with raw_client(server) as client:
        remote = client.repository(f"{sub_path}/component-descriptors/{COMPONENT}")
        first = remote.resolve("1.0.0")
        remote.tag(first.digest, "stable")  # an alias of 1.0.0: listed once
        remote.tag(first.digest, "sha256-" + "a" * 64)  # a referrers tag: skipped
        config = remote.push_bytes(b"{}", "application/vnd.oci.image.config.v1+json")
        foreign = image_manifest(config, [])  # no OCM manifest: skipped
        remote.put_manifest(foreign, tag="3.0.0")
        other = image_manifest(
            OCIDescriptor(
                "application/vnd.ocm.software.component.config.v1+json", config.digest, 2
            ),
            [],
            annotations={"software.ocm.componentversion": "acme.org/other:4.0.0"},
        )
        remote.put_manifest(other, tag="4.0.0")  # another component's: skipped
    assert repo.list_component_versions(COMPONENT) == ["2.0.0-rc.1", "1.10.0", "1.0.0"]
    assert repo.get_component_version(COMPONENT, "nightly").component.version == "nightly"


def test_an_unknown_component_has_no_versions(repo: OCMRepository) -> None:
    assert repo.list_component_versions("acme.org/none") == []
    assert not repo.has_component_version("acme.org/none", "1.0.0")
    with pytest.raises(NotFound, match=r"acme.org/none:1.0.0 not found in registry http"):
        repo.get_component_version("acme.org/none", "1.0.0")


def test_a_missing_local_blob_is_not_found(repo: OCMRepository) -> None:
    _add(repo)
    access = AccessSpec("LocalBlob/v1", {"localReference": sha256(b"nothing"), "mediaType": "x/y"})
    with pytest.raises(NotFound, match=r"local blob sha256:\w+ of component version"):
        repo.get_local_blob(COMPONENT, "1.0.0", access)


def test_a_version_must_name_stored_local_blobs(repo: OCMRepository) -> None:
    missing = Resource(
        name="gone",
        version="1.0.0",
        type="blob",
        access=AccessSpec("LocalBlob/v1", {"localReference": sha256(b"x"), "mediaType": "a/b"}),
    )
    cd = Descriptor(Component(COMPONENT, "1.0.0", Provider("acme"), resources=[missing]))
    with pytest.raises(NotFound, match=r"is not stored in registry .*add_local_resource first"):
        repo.add_component_version(cd)
    assert repo.list_component_versions(COMPONENT) == []


def test_an_existing_version_is_refused_unless_replaced(
    server: RegistryServer, sub_path: str, repo: OCMRepository
) -> None:
    _add(repo)
    with pytest.raises(OCMError, match=r"already exists in registry .*replace=True"):
        _add(repo, content=b"changed")
    with raw_client(server) as client:
        remote = client.repository(f"{sub_path}/component-descriptors/{COMPONENT}")
        old = remote.resolve("1.0.0")
        res = repo.add_local_resource(
            COMPONENT,
            "1.0.0",
            Resource(name="readme", version="1.0.0", type="plainText"),
            BytesBlob(b"changed", "text/plain"),
        )
        repo.add_component_version(
            Descriptor(Component(COMPONENT, "1.0.0", Provider("acme"), resources=[res])),
            replace=True,
        )
        assert remote.resolve("1.0.0").digest != old.digest
        assert remote.get_manifest(old.digest).descriptor.digest == old.digest  # kept, untagged
    assert _read(repo, "1.0.0", res.access) == b"changed"


def test_two_resources_sharing_a_blob_get_one_layer_each(
    server: RegistryServer, sub_path: str, repo: OCMRepository
) -> None:
    resources = [
        repo.add_local_resource(
            COMPONENT,
            "1.0.0",
            Resource(name=name, version="1.0.0", type="plainText"),
            BytesBlob(README, "text/plain"),
        )
        for name in ("one", "two")
    ]
    repo.add_component_version(
        Descriptor(Component(COMPONENT, "1.0.0", Provider("acme"), resources=resources))
    )
    with raw_client(server) as client:
        remote = client.repository(f"{sub_path}/component-descriptors/{COMPONENT}")
        layers = json.loads(remote.get_manifest("1.0.0").content)["layers"][1:]
    assert [layer["digest"] for layer in layers] == [sha256(README)] * 2
    assert [json.loads(layer["annotations"]["software.ocm.artifact"]) for layer in layers] == [
        [{"identity": {"name": "one", "version": "1.0.0"}, "kind": "resource"}],
        [{"identity": {"name": "two", "version": "1.0.0"}, "kind": "resource"}],
    ]
    for res in resources:
        assert _read(repo, "1.0.0", res.access) == README


def test_global_access_is_recorded_as_go_v2_does_with_policy_auto(
    server: RegistryServer, sub_path: str
) -> None:
    with open_on(server, sub_path, global_access=True) as repo:
        res = repo.add_local_resource(
            COMPONENT,
            "1.0.0",
            Resource(name="readme", version="1.0.0", type="plainText"),
            BytesBlob(README, "text/plain"),
        )
    assert res.access is not None
    base = f"{server.url}/{sub_path}/component-descriptors/{COMPONENT}:1.0.0"
    assert res.access.properties == {
        "localReference": sha256(README),
        "mediaType": "text/plain",
        "globalAccess": {
            "type": "OCIImageLayer/v1",
            "ref": f"{base}@{sha256(README)}",
            "mediaType": "text/plain",
            "digest": sha256(README),
            "size": len(README),
        },
    }


def test_a_read_only_repository_refuses_writes(reopen: Callable[..., OCMRepository]) -> None:
    with reopen("r") as repo, pytest.raises(OCMError, match=r"registry .* is open read-only"):
        _add(repo)


def test_components_cannot_be_listed_in_a_registry(repo: OCMRepository) -> None:
    with pytest.raises(
        OCMError, match="component listing in repositories of type OCIRepository is not supported"
    ):
        repo.list_components()


def test_wrong_credentials_are_refused(secure_registry: RegistryServer) -> None:
    wrong = Credentials(secure_registry.username or "", "not-the-password")
    with (
        open_repository(
            f"{secure_registry.url}/x",
            credentials=lambda host: wrong,
            ca_file=secure_registry.ca_file,
        ) as repo,
        pytest.raises(RegistryError, match=r"401 Unauthorized.*were not accepted"),
    ):
        repo.list_component_versions(COMPONENT)


def test_plain_http_for_http_references_insecure_or_loopback_without_tls(
    registry: RegistryServer, sub_path: str
) -> None:
    with open_on(registry, sub_path) as repo:
        _add(repo)
    https = f"https://{registry.address}/{sub_path}"
    with (
        open_repository(https) as repo,
        pytest.raises(RegistryError, match=f"does not speak TLS.*http://{registry.address}"),
    ):
        repo.list_component_versions(COMPONENT)
    no_scheme = f"{registry.address}/{sub_path}"  # loopback: TLS first, then plain HTTP
    with open_repository(no_scheme) as repo:
        assert repo.list_component_versions(COMPONENT) == ["1.0.0"]
    with open_repository(no_scheme, insecure=True) as repo:
        assert repo.list_component_versions(COMPONENT) == ["1.0.0"]


def test_a_registry_wanting_bearer_tokens_works_too(
    token_registry: TokenRegistry, sub_path: str
) -> None:
    with open_on(token_registry.server, sub_path) as repo:
        for version in ("1.0.0", "1.1.0", "2.0.0"):
            _add(repo, version)
    with open_on(token_registry.server, sub_path, "r") as repo:
        assert repo.list_component_versions(COMPONENT) == ["2.0.0", "1.1.0", "1.0.0"]
        cd = repo.get_component_version(COMPONENT, "1.1.0")
        assert _read(repo, "1.1.0", cd.component.resources[0].access) == README
