"""OCM in an OCI registry: component versions under ``<base>/<sub path>/component-descriptors``.

    >>> from pyocm.repository import parse_repository
    >>> from pyocm.repository.oci import open_registry
    >>> repo = open_registry(parse_repository("http://127.0.0.1:5000/acme/ocm"))
    >>> repo.store.description
    'registry http://127.0.0.1:5000/acme/ocm'
    >>> repo.close()

Against a running registry, with credentials (any ``host -> credentials`` callable)::

    creds = Credentials(username="me", password="secret")
    with open_registry(spec, mode="create", credentials=lambda host: creds) as repo:
        repo.add_component_version(descriptor)

The component-version logic is the one of every store (:mod:`pyocm.repository.ocm`); the
registry side is :mod:`pyocm.repository.oci.store`.  As in Go v2, version listing keeps only
semantic versions, highest first, and component listing is refused (registries cannot list
repositories).  Nothing is sent before the first operation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pyocm.errors import OCMError
from pyocm.oci.auth import CredentialsProvider, no_credentials
from pyocm.oci.client import RegistryClient
from pyocm.oci.retry import RetryPolicy
from pyocm.oci.tarsafe import DEFAULT_LIMITS, Limits
from pyocm.repository import mapping
from pyocm.repository import mediatypes as ocm_types
from pyocm.repository.oci.store import RegistryStore
from pyocm.repository.ocm import OCMRepository
from pyocm.repository.reference import OCISpec

__all__ = ["RegistryStore", "open_registry"]

Mode = Literal["r", "rw", "create"]


def open_registry(
    spec: OCISpec,
    *,
    mode: Mode = "r",
    credentials: CredentialsProvider = no_credentials,
    ca_file: str | Path | None = None,
    insecure: bool = False,
    retry: RetryPolicy | None = None,
    creator: str = mapping.DEFAULT_CREATOR,
    descriptor_media_type: str = ocm_types.DESCRIPTOR_JSON,
    temp_dir: str | Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
    global_access: bool = False,
    referrer_tracking: bool = False,
) -> OCMRepository:
    """The component versions in the registry ``spec`` names.

    ``mode`` ``"r"`` refuses writes; ``"rw"`` and ``"create"`` allow them (a registry needs
    no creating).  TLS is verified against the system trust store or ``ca_file``; plain HTTP
    is used for an ``http://`` base URL or with ``insecure``.  ``credentials`` is asked once
    for the registry host.  ``global_access`` (Go v2 policy "auto") adds a ``globalAccess``
    to every new local blob; ``referrer_tracking`` makes versions referrers of the component
    index (:mod:`pyocm.repository.component_index`).  Both are off, as in the Go CLI.
    """
    if mode not in ("r", "rw", "create"):
        raise OCMError(f"invalid repository access mode {mode!r} (expected r, rw or create)")
    client = RegistryClient(
        spec.base_url, credentials=credentials, insecure=insecure, ca_file=ca_file, retry=retry
    )
    store = RegistryStore(client, spec.base_url, spec.sub_path, writable=mode != "r")
    return OCMRepository(
        store,
        creator=creator,
        descriptor_media_type=descriptor_media_type,
        temp_dir=Path(temp_dir) if temp_dir is not None else None,
        limits=limits,
        global_access=global_access,
        referrer_tracking=referrer_tracking,
        semver_versions=True,
    )
