"""Building source repositories for the transfer tests with the repository API."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from pyocm.blob import BytesBlob
from pyocm.descriptor import Component, Descriptor, Provider, Reference, Resource, Source
from pyocm.descriptor.model import AccessSpec
from pyocm.digest import reference_digest
from pyocm.repository import Repository, open_repository


def add_version(
    repo: Repository,
    name: str,
    version: str,
    *,
    files: Mapping[str, bytes] | None = None,
    refs: Sequence[tuple[str, str]] = (),
    pin: bool = True,
    remote: Mapping[str, AccessSpec] | None = None,
    sources: Mapping[str, bytes] | None = None,
) -> Descriptor:
    """Store ``name:version`` with local-blob resources ``files``, resources with the
    ``remote`` accesses, local-blob ``sources`` and references to ``refs`` (digests pinned to
    the referenced descriptors unless ``pin`` is false)."""
    resources = [
        repo.add_local_resource(
            name,
            version,
            Resource(name=key, version=version, type="blob"),
            BytesBlob(data, "text/plain"),
        )
        for key, data in (files or {}).items()
    ]
    resources += [
        Resource(name=key, version=version, type="ociImage", relation="external", access=access)
        for key, access in (remote or {}).items()
    ]
    stored_sources = [
        repo.add_local_source(
            name, version, Source(name=key, version=version, type="git"), BytesBlob(data)
        )
        for key, data in (sources or {}).items()
    ]
    references = []
    for child, child_version in refs:
        reference = Reference(
            name=child.rsplit("/", 1)[-1], version=child_version, component_name=child
        )
        if pin:
            reference.digest = reference_digest(
                reference, repo.get_component_version(child, child_version)
            )
        references.append(reference)
    descriptor = Descriptor(
        Component(
            name,
            version,
            Provider("acme.org"),
            resources=resources,
            sources=stored_sources,
            references=references,
        )
    )
    repo.add_component_version(descriptor)
    return descriptor


def product_ctf(path: Path) -> Path:
    """A CTF with ``acme.org/product:1.0.0`` referencing ``acme.org/app`` and ``acme.org/db``
    (both 1.0.0), which both reference ``acme.org/base:1.0.0``; each has local blobs."""
    with open_repository(str(path), mode="create") as repo:
        add_version(repo, "acme.org/base", "1.0.0", files={"lib": b"base library\n"})
        base = [("acme.org/base", "1.0.0")]
        add_version(repo, "acme.org/app", "1.0.0", files={"bin": b"app binary\n"}, refs=base)
        add_version(repo, "acme.org/db", "1.0.0", files={"schema": b"create table;\n"}, refs=base)
        add_version(
            repo,
            "acme.org/product",
            "1.0.0",
            files={"manifest": b"kind: Deployment\n", "notes": b"release notes\n"},
            refs=[("acme.org/app", "1.0.0"), ("acme.org/db", "1.0.0")],
            sources={"repo": b"source tarball\n"},
        )
    return path


def snapshot(path: Path) -> dict[tuple[str, str], tuple[dict[str, object], dict[str, bytes]]]:
    """Every version of the CTF at ``path``: its descriptor and the content of its local
    resources and sources by name, read through the repository API."""
    out: dict[tuple[str, str], tuple[dict[str, object], dict[str, bytes]]] = {}
    with open_repository(str(path)) as repo:
        for component in repo.list_components():
            for version in repo.list_component_versions(component):
                descriptor = repo.get_component_version(component, version)
                contents: dict[str, bytes] = {}
                elements: list[Resource | Source] = [
                    *descriptor.component.resources,
                    *descriptor.component.sources,
                ]
                for element in elements:
                    access = element.access
                    if access is not None and access.type in ("localBlob", "LocalBlob/v1"):
                        with repo.get_local_blob(component, version, access).open() as f:
                            contents[element.name] = f.read()
                out[(component, version)] = (descriptor.to_dict(), contents)
    return out


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def write_image_layout(path: Path) -> str:
    """Write a one-layer OCI image layout tar to ``path``; returns its manifest digest."""
    layer = b"layer content of a tiny image\n" * 16
    config = json.dumps({"architecture": "amd64", "os": "linux"}).encode()
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": _sha256(config),
                "size": len(config),
            },
            "layers": [
                {
                    "mediaType": "application/vnd.oci.image.layer.v1.tar",
                    "digest": _sha256(layer),
                    "size": len(layer),
                }
            ],
        }
    ).encode()
    index = json.dumps(
        {
            "schemaVersion": 2,
            "manifests": [
                {
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "digest": _sha256(manifest),
                    "size": len(manifest),
                }
            ],
        }
    ).encode()
    files = {
        "oci-layout": b'{"imageLayoutVersion": "1.0.0"}',
        "index.json": index,
        **{f"blobs/sha256/{_sha256(b)[7:]}": b for b in (config, layer, manifest)},
    }
    with tarfile.open(path, "w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return _sha256(manifest)
