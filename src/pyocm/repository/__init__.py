"""Repositories of component versions: reference parsing and opening a repository.

    >>> import tempfile
    >>> from pyocm.repository import open_repository, parse_component_reference
    >>> ref = parse_component_reference("ctf::./archive//acme.org/app:1.0.0")
    >>> ref.repository.file_path, ref.component, ref.version
    ('./archive', 'acme.org/app', '1.0.0')
    >>> with open_repository(tempfile.mkdtemp() + "/ctf", mode="create") as repo:
    ...     repo.list_components()
    []

``open_repository`` takes a repository reference (``[type::]repository``) or a parsed spec:
a CTF (directory, tar, tgz; :mod:`pyocm.repository.ctf`) or an OCI registry
(:mod:`pyocm.repository.oci`).  Both are :class:`pyocm.repository.ocm.OCMRepository`, the one
implementation of OCM in OCI content.  The modules are imported on first use, so importing
this package stays cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pyocm.repository.base import Repository
from pyocm.repository.reference import (
    ComponentRef,
    CTFSpec,
    InvalidReference,
    OCISpec,
    RepositorySpec,
    parse_component_reference,
    parse_reference,
    parse_repository,
    spec_from_mapping,
    spec_to_mapping,
)

if TYPE_CHECKING:
    from pyocm.oci.auth import CredentialsProvider
    from pyocm.oci.tarsafe import Limits
    from pyocm.repository.legacy import Compatibility
    from pyocm.repository.ocm import OCMRepository

__all__ = [
    "CTFSpec",
    "ComponentRef",
    "InvalidReference",
    "OCISpec",
    "Repository",
    "RepositorySpec",
    "open_repository",
    "parse_component_reference",
    "parse_reference",
    "parse_repository",
    "spec_from_mapping",
    "spec_to_mapping",
]


def open_repository(
    spec: str | RepositorySpec,
    *,
    mode: Literal["r", "rw", "create"] = "r",
    archive_format: Literal["directory", "tar", "tgz"] | None = None,
    creator: str | None = None,
    temp_dir: str | Path | None = None,
    limits: Limits | None = None,
    credentials: CredentialsProvider | None = None,
    ca_file: str | Path | None = None,
    insecure: bool = False,
    compatibility: Compatibility = "v2",
) -> OCMRepository:
    """Open the repository ``spec`` names (a reference string or a parsed spec).

    ``mode``: ``"r"`` read only, ``"rw"`` read-write (must exist), ``"create"`` read-write,
    created when missing.  ``creator`` is recorded in the ``software.ocm.creator``
    annotation of new versions.  Close the repository (or use it as a context manager) to
    persist archive CTFs and to release registry connections.

    CTFs: ``archive_format`` picks the form of a new CTF (default: from the file name) and
    must match an existing one; ``temp_dir`` and ``limits`` bound the unpacking of archives.
    Registries: ``credentials`` (``host -> credentials or None``) is asked once per registry
    host; TLS is verified against the system trust store or ``ca_file``; plain HTTP only for
    an ``http://`` reference or with ``insecure``.

    ``compatibility``: ``"v2"`` writes what Go v2 writes; ``"legacy"`` what the legacy v1 CLI
    writes, for readers on old v1 CLIs (:mod:`pyocm.repository.legacy`).
    """
    from pyocm.errors import OCMError
    from pyocm.oci.tarsafe import DEFAULT_LIMITS
    from pyocm.repository import mediatypes
    from pyocm.repository.legacy import COMPATIBILITIES
    from pyocm.repository.mapping import DEFAULT_CREATOR

    if compatibility not in COMPATIBILITIES:
        expected = ", ".join(COMPATIBILITIES)
        raise OCMError(f"unknown compatibility {compatibility!r} (expected one of {expected})")
    if isinstance(spec, str):
        spec = parse_repository(spec)
    if isinstance(spec, OCISpec):
        from pyocm.oci.auth import no_credentials
        from pyocm.repository.oci import open_registry

        registry = open_registry(
            spec,
            mode=mode,
            credentials=credentials or no_credentials,
            ca_file=ca_file,
            insecure=insecure,
            creator=creator or DEFAULT_CREATOR,
            descriptor_media_type=(
                mediatypes.DESCRIPTOR_YAML_TAR
                if compatibility == "legacy"
                else mediatypes.DESCRIPTOR_JSON
            ),
            temp_dir=temp_dir,
            limits=limits or DEFAULT_LIMITS,
        )
        registry.compatibility = compatibility
        return registry
    from pyocm.repository.ctf import open_ctf

    return open_ctf(
        spec.path,
        mode=mode,
        archive_format=archive_format,
        creator=creator or DEFAULT_CREATOR,
        temp_dir=temp_dir,
        limits=limits or DEFAULT_LIMITS,
        compatibility=compatibility,
    )
