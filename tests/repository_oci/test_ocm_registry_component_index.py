"""The optional component index: versions as referrers of one fixed manifest (Go v2 opt-in)."""

from __future__ import annotations

import json
from pathlib import Path

from fixtures.ocm_registry import (
    INDEX,
    LAYOUT_TAR,
    go_tool_env,
    image,
    layout_tar,
    open_on,
    raw_client,
    run_tool,
)
from fixtures.registry import RegistryServer
from pyocm.blob import BytesBlob
from pyocm.descriptor import Component, Descriptor, Provider, Resource
from pyocm.repository.ocm import OCMRepository

COMPONENT = "acme.org/app"
# bindings/go/oci/spec/index/component/v1/index.go: the fixed digest and size of the index
INDEX_DIGEST = "sha256:9717cda41c478af11cba7ed29f4aa3e4882bab769d006788169cbccafc0fcd05"
INDEX_SIZE = 837
SUBJECT = {
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "digest": INDEX_DIGEST,
    "size": INDEX_SIZE,
    "artifactType": "application/vnd.ocm.software.component-index.v1+json",
}


def _add(repo: OCMRepository, version: str, with_image: bool = False) -> None:
    resources = [
        repo.add_local_resource(
            COMPONENT,
            version,
            Resource(name="readme", version="1.0.0", type="plainText"),
            BytesBlob(b"read me " + version.encode(), "text/plain"),
        )
    ]
    if with_image:
        config, layer, manifest = image()
        resources.append(
            repo.add_local_resource(
                COMPONENT,
                version,
                Resource(name="image", version="1.0.0", type="ociImage"),
                BytesBlob(layout_tar([config, layer], manifest), LAYOUT_TAR),
            )
        )
    repo.add_component_version(
        Descriptor(Component(COMPONENT, version, Provider("acme"), resources=resources))
    )


def test_tracked_versions_refer_to_the_component_index_and_are_listed_through_it(
    server: RegistryServer, sub_path: str
) -> None:
    with open_on(server, sub_path, referrer_tracking=True) as tracked:
        _add(tracked, "1.0.0")
        _add(tracked, "2.0.0", with_image=True)
    with open_on(server, sub_path) as untracked:
        _add(untracked, "0.5.0")
        assert untracked.list_component_versions(COMPONENT) == ["2.0.0", "1.0.0", "0.5.0"]
    with open_on(server, sub_path, "r", referrer_tracking=True) as reader:
        # the referrers answer, so the tags (and 0.5.0, written untracked) are not consulted
        assert reader.list_component_versions(COMPONENT) == ["2.0.0", "1.0.0"]
    with raw_client(server) as client:
        remote = client.repository(f"{sub_path}/component-descriptors/{COMPONENT}")
        component_index = remote.get_manifest(INDEX_DIGEST)
        assert component_index.descriptor.size == INDEX_SIZE
        assert json.loads(component_index.content)["annotations"] == {
            "org.opencontainers.image.description": (
                "This is an OCM component index. It is an empty jsonthat can be used as referrer "
                "for OCM component descriptors. It is used as a subjectfor all OCM Component "
                "Version Top-Level Manifests and can be used to reference back allOCM Component "
                "Versions"
            ),
            "org.opencontainers.image.title": "OCM Component Index V1",
        }
        one = json.loads(remote.get_manifest("1.0.0").content)
        assert one["subject"] == SUBJECT
        two = remote.get_manifest("2.0.0")
        assert two.descriptor.media_type == INDEX
        assert json.loads(two.content)["subject"] == SUBJECT
        descriptor_manifest = json.loads(two.content)["manifests"][0]
        assert (
            json.loads(remote.get_manifest(descriptor_manifest["digest"]).content)["subject"]
            == SUBJECT
        )
        referrers = remote.referrers(
            INDEX_DIGEST, "application/vnd.ocm.software.component-descriptor.v2"
        )
        assert sorted(r.annotations["software.ocm.componentversion"] for r in referrers) == [
            "acme.org/app:1.0.0",
            "acme.org/app:2.0.0",
        ]


def test_crane_reads_the_component_index_and_a_version_index(
    server: RegistryServer, sub_path: str, crane: Path, tmp_path: Path
) -> None:
    with open_on(server, sub_path, referrer_tracking=True) as repo:
        _add(repo, "2.0.0", with_image=True)
    with raw_client(server) as client:
        remote = client.repository(f"{sub_path}/component-descriptors/{COMPONENT}")
        version_index = remote.get_manifest("2.0.0").content
        component_index = remote.get_manifest(INDEX_DIGEST).content
    insecure = ["--insecure"] if server.ca_file is None else []
    env = go_tool_env(server, tmp_path)
    base = f"{server.address}/{sub_path}/component-descriptors/{COMPONENT}"
    assert run_tool([crane, "manifest", *insecure, f"{base}:2.0.0"], env) == version_index
    assert (
        run_tool([crane, "manifest", *insecure, f"{base}@{INDEX_DIGEST}"], env) == component_index
    )
    assert run_tool([crane, "digest", *insecure, f"{base}@{INDEX_DIGEST}"], env).strip() == (
        INDEX_DIGEST.encode()
    )
