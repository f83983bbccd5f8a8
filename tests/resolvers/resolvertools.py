"""Building repositories spread over several CTFs for the resolver tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from pyocm.blob import BytesBlob
from pyocm.descriptor import Component, Descriptor, Provider, Reference, Resource
from pyocm.digest import reference_digest
from pyocm.repository import Repository, RepositorySpec, open_repository


def add_version(
    repo: Repository,
    name: str,
    version: str,
    *,
    files: Mapping[str, bytes] | None = None,
    refs: Sequence[tuple[str, str, Descriptor | None]] = (),
) -> Descriptor:
    """Store ``name:version`` with local-blob resources ``files`` and references to
    ``refs`` (component, version, and the referenced descriptor to pin the digest to, or
    ``None`` for no digest)."""
    resources = [
        repo.add_local_resource(
            name,
            version,
            Resource(name=key, version=version, type="blob"),
            BytesBlob(data, "text/plain"),
        )
        for key, data in (files or {}).items()
    ]
    references = []
    for child, child_version, referenced in refs:
        reference = Reference(
            name=child.rsplit("/", 1)[-1], version=child_version, component_name=child
        )
        if referenced is not None:
            reference.digest = reference_digest(reference, referenced)
        references.append(reference)
    descriptor = Descriptor(
        Component(name, version, Provider("acme.org"), resources=resources, references=references)
    )
    repo.add_component_version(descriptor)
    return descriptor


def ctf_with(path: Path, *versions: tuple[str, str]) -> Path:
    """A CTF at ``path`` holding each (component, version), one local blob each whose content
    names the component, version and CTF directory."""
    with open_repository(str(path), mode="create") as repo:
        for name, version in versions:
            add_version(repo, name, version, files={"data": blob_content(path, name, version)})
    return path


def blob_content(path: Path, name: str, version: str) -> bytes:
    """The content :func:`ctf_with` stores for ``name:version`` in the CTF at ``path``."""
    return f"{name}:{version} in {path.name}\n".encode()


class CountingOpener:
    """Opens repositories read-only and counts how often each spec was opened."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def __call__(self, spec: RepositorySpec) -> Repository:
        self.opened.append(str(spec))
        return open_repository(spec)
