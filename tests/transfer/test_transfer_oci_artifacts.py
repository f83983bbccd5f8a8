"""Transfers that copy OCI images by value (cli.md §4.2): ``ociArtifact`` resources into local
blobs of the target, or, with ``--upload-as ociArtifact``, into images of the target registry;
local blobs that are images uploaded by their ``referenceName``; CTF targets keep local blobs."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.ocm_registry import new_sub_path, open_on, raw_client
from fixtures.registry import RegistryServer
from pyocm.blob import BytesBlob
from pyocm.descriptor import Component, Descriptor, Provider, Resource
from pyocm.descriptor.model import AccessSpec, Digest
from pyocm.oci.artifact import GraphBlob
from pyocm.oci.manifest import Descriptor as OCIDescriptor
from pyocm.oci.manifest import image_manifest, parse_index
from pyocm.oci.mediatypes import IMAGE_MANIFEST
from pyocm.repository import Repository, open_repository
from pyocm.transfer import TransferOptions, execute_plan, plan_transfer

RunOcm = Callable[..., subprocess.CompletedProcess[str]]
APP = ("acme.org/app", "1.0.0")
COPY = TransferOptions(copy_resources=True)
UPLOAD = TransferOptions(copy_resources=True, upload_as="ociArtifact")


def _push_image(server: RegistryServer, name: str, tag: str) -> tuple[OCIDescriptor, bytes]:
    """An image of two layers at ``name:tag``: its descriptor and its big layer."""
    big = os.urandom(1 << 20)
    with raw_client(server) as client:
        remote = client.repository(name)
        config = remote.push_bytes(b'{"os":"linux"}', "application/vnd.oci.image.config.v1+json")
        layers = [
            remote.push_bytes(big, "application/vnd.oci.image.layer.v1.tar"),
            remote.push_bytes(b"small", "application/vnd.oci.image.layer.v1.tar"),
        ]
        return remote.put_manifest(image_manifest(config, layers), IMAGE_MANIFEST, tag=tag), big


def _image_version(repo: Repository, reference: str, manifest: str) -> Descriptor:
    """``acme.org/app:1.0.0`` with a readme (local blob) and the image (ociArtifact)."""
    readme = repo.add_local_resource(
        *APP, Resource(name="readme", version="1.0.0", type="plainText"), BytesBlob(b"hi\n")
    )
    image = Resource(
        name="image",
        version="1.0.0",
        type="ociImage",
        relation="external",
        access=AccessSpec("ociArtifact", {"imageReference": reference}),
        digest=Digest("SHA-256", "genericBlobDigest/v1", manifest[7:]),
    )
    descriptor = Descriptor(Component(*APP, Provider("acme.org"), resources=[readme, image]))
    repo.add_component_version(descriptor)
    return descriptor


def _transfer(source: Repository, target: Repository, options: TransferOptions) -> None:
    plan = plan_transfer(source, target, [APP], options)
    execute_plan(plan, source, target)


@pytest.fixture
def image(registry: RegistryServer) -> tuple[str, str, OCIDescriptor, bytes]:
    """An image in the plain registry: (repository, reference, descriptor, big layer)."""
    name = f"pyocm-test/{uuid.uuid4().hex[:8]}/test-oci-resource"
    pushed, big = _push_image(registry, name, "v1.0.0")
    return name, f"{registry.url}/{name}:v1.0.0", pushed, big


def test_an_image_becomes_a_local_blob_of_a_registry_target(
    registry: RegistryServer, image: tuple[str, str, OCIDescriptor, bytes], tmp_path: Path
) -> None:
    name, reference, pushed, big = image
    with (
        open_repository(str(tmp_path / "src"), mode="create") as source,
        open_on(registry, new_sub_path()) as target,
    ):
        original = _image_version(source, reference, pushed.digest)
        _transfer(source, target, COPY)
        copied = target.get_component_version(*APP)
        _, copied_image = copied.component.resources
        # the access is the only change; the digest stays the source's
        assert copied_image.digest == original.component.resources[1].digest
        assert copied_image.access is not None and copied_image.access.to_dict() == {
            "type": "LocalBlob/v1",
            "localReference": pushed.digest,
            "mediaType": IMAGE_MANIFEST,
            "referenceName": f"{name}:v1.0.0",
        }
        # stored natively: the version is an index whose second entry is the image
        stored = target.store.get_tagged("component-descriptors/acme.org/app", "1.0.0")
        assert stored is not None
        assert parse_index(stored.content).manifests[1].digest == pushed.digest
        blob = target.get_local_blob(*APP, copied_image.access)
        assert isinstance(blob, GraphBlob) and blob.root.digest == pushed.digest
        layer = next(n for n in blob.nodes() if n.size == len(big))
        with blob.source.open_blob(layer.digest, layer.size) as stream:
            assert stream.read() == big


def test_an_image_becomes_a_local_blob_of_a_ctf_target_even_with_upload_as_artifact(
    image: tuple[str, str, OCIDescriptor, bytes], tmp_path: Path
) -> None:
    name, reference, pushed, _ = image
    with open_repository(str(tmp_path / "src"), mode="create") as source:
        _image_version(source, reference, pushed.digest)
        with open_repository(str(tmp_path / "dst.tgz"), mode="create") as target:
            _transfer(source, target, UPLOAD)
    with open_repository(str(tmp_path / "dst.tgz")) as target:
        copied = target.get_component_version(*APP).component.resources[1]
        assert copied.access is not None
        assert copied.access.type == "LocalBlob/v1"
        assert copied.access.properties["referenceName"] == f"{name}:v1.0.0"
        assert copied.access.properties["localReference"] == pushed.digest


def test_upload_as_artifact_stores_the_image_in_the_target_registry(
    registry: RegistryServer, image: tuple[str, str, OCIDescriptor, bytes], tmp_path: Path
) -> None:
    name, reference, pushed, big = image
    sub = new_sub_path()
    with (
        open_repository(str(tmp_path / "src"), mode="create") as source,
        open_on(registry, sub) as target,
    ):
        original = _image_version(source, reference, pushed.digest)
        _transfer(source, target, UPLOAD)
        copied = target.get_component_version(*APP)
        readme, copied_image = copied.component.resources
        assert readme.access is not None and readme.access.type == "LocalBlob/v1"
        # Go v2: <baseUrl>/<subPath>/<repository>:<tag>, the legacy type name, not pinned
        assert copied_image.access is not None and copied_image.access.to_dict() == {
            "type": "ociArtifact/v1",
            "imageReference": f"{registry.url}/{sub}/{name}:v1.0.0",
        }
        assert copied_image.digest == original.component.resources[1].digest
        with raw_client(registry) as client:
            uploaded = client.repository(f"{sub}/{name}")
            assert uploaded.resolve("v1.0.0").digest == pushed.digest
            layer = next(
                n
                for n in json.loads(uploaded.get_manifest(pushed.digest).content)["layers"]
                if n["size"] == len(big)
            )
            assert uploaded.fetch_blob(layer["digest"], len(big), 2 << 20) == big
        # a re-run finds the version up to date
        again = plan_transfer(source, target, [APP], UPLOAD)
        assert [(v.action, v.reason) for v in again.versions] == [
            ("skip", "exists in target, up to date")
        ]


def test_local_blob_images_are_uploaded_by_their_reference_name(
    registry: RegistryServer, image: tuple[str, str, OCIDescriptor, bytes], tmp_path: Path
) -> None:
    name, reference, pushed, _ = image
    intermediary = tmp_path / "intermediary"
    with open_repository(str(tmp_path / "src"), mode="create") as source:
        _image_version(source, reference, pushed.digest)
        with open_repository(str(intermediary), mode="create") as ctf:
            _transfer(source, ctf, COPY)  # the image becomes a local blob with referenceName
    sub = new_sub_path()
    with open_repository(str(intermediary)) as ctf, open_on(registry, sub) as target:
        plan = plan_transfer(ctf, target, [APP], UPLOAD)
        uploads = {e.identity["name"]: e.upload for e in plan.versions[0].elements}
        # a plain local blob has no image form; the image has a referenceName
        assert uploads == {"readme": "localBlob", "image": "ociArtifact"}
        execute_plan(plan, ctf, target)
        copied = target.get_component_version(*APP).component.resources[1]
        assert copied.access is not None and copied.access.to_dict() == {
            "type": "ociArtifact/v1",
            "imageReference": f"{registry.url}/{sub}/{name}:v1.0.0",
        }
        with raw_client(registry) as client:
            assert client.repository(f"{sub}/{name}").resolve("v1.0.0").digest == pushed.digest


def test_ocm_transfer_upload_as_oci_artifact_and_the_plan_says_so(
    registry: RegistryServer,
    image: tuple[str, str, OCIDescriptor, bytes],
    tmp_path: Path,
    run_ocm: RunOcm,
) -> None:
    name, reference, pushed, _ = image
    with open_repository(str(tmp_path / "ctf"), mode="create") as source:
        _image_version(source, reference, pushed.digest)
    target = f"{registry.url}/{new_sub_path()}"
    flags = ["--copy-resources", "--upload-as", "ociArtifact"]
    source_ref = f"{tmp_path / 'ctf'}//acme.org/app:1.0.0"
    planned = run_ocm("transfer", "cv", *flags, "--dry-run", "-o", "json", source_ref, target)
    assert planned.returncode == 0, planned.stderr
    [version] = json.loads(planned.stdout)["componentVersions"]
    assert [r.get("upload") for r in version["resources"]] == [None, "ociArtifact"]

    done = run_ocm("transfer", "cv", *flags, source_ref, target)
    assert done.returncode == 0, done.stderr
    shown = run_ocm("get", "cv", f"{target}//acme.org/app:1.0.0", "-o", "json")
    [descriptor] = json.loads(shown.stdout)
    access = descriptor["component"]["resources"][1]["access"]
    assert access == {"type": "ociArtifact/v1", "imageReference": f"{target}/{name}:v1.0.0"}
