"""The repository protocol: where component versions and their local blobs are stored.

    >>> from pyocm.repository import open_repository                        # doctest: +SKIP
    >>> repo = open_repository("./transport-archive")                       # doctest: +SKIP
    >>> repo.list_component_versions("acme.org/app")                        # doctest: +SKIP
    ['1.0.0']
    >>> cd = repo.get_component_version("acme.org/app", "1.0.0")            # doctest: +SKIP

One implementation, :class:`pyocm.repository.ocm.OCMRepository`, serves both kinds of store:
``ctf`` (a Common Transport Format archive: directory, tar or tgz) and ``oci`` (an OCI
registry).  Both store a component version as an OCI manifest (descriptor layer plus
local-blob layers) or, when local blobs are themselves OCI artifacts, an OCI index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pyocm.blob import Blob
    from pyocm.descriptor.model import AccessSpec, Descriptor, Resource, Source


class Repository(Protocol):
    """A store of component versions.

    Contract shared by every implementation:

    * absent things raise :class:`pyocm.errors.NotFound` naming what was looked for;
    * blobs are written before the manifest that names them, the manifest before its tag;
    * every blob returned verifies its digest while it is read.
    """

    def list_components(self) -> list[str]:
        """Names of all components with at least one version here (sorted).

        Registries cannot list their repositories: they raise :class:`pyocm.errors.OCMError`.
        """
        ...

    def list_component_versions(self, component: str) -> list[str]:
        """All versions of ``component`` stored here (as stored; unsorted semantics)."""
        ...

    def has_component_version(self, component: str, version: str) -> bool:
        """Whether ``component:version`` exists here."""
        ...

    def get_component_version(self, component: str, version: str) -> Descriptor:
        """The descriptor of ``component:version``; :class:`NotFound` when absent."""
        ...

    def add_local_resource(
        self, component: str, version: str, resource: Resource, blob: Blob
    ) -> Resource:
        """Store ``blob`` as a local blob of ``component:version`` (which need not exist yet).

        Returns a copy of ``resource`` whose access is the ``localBlob`` spec naming the stored
        blob (``localReference`` = its digest, ``mediaType``) and whose digest records the same
        digest (``genericBlobDigest/v1``).  Nothing is visible to readers until
        :meth:`add_component_version` writes the descriptor that references it.
        """
        ...

    def add_local_source(self, component: str, version: str, source: Source, blob: Blob) -> Source:
        """Like :meth:`add_local_resource`, for a source."""
        ...

    def add_artifact(self, resource: Resource, blob: Blob, reference_name: str) -> Resource | None:
        """Store the OCI artifact ``blob`` as an image beside the component versions.

        For ``--upload-as ociArtifact`` transfers (cli.md §4.2).  ``blob`` is an OCI artifact
        (a :class:`pyocm.oci.artifact.GraphBlob`, or an OCI image layout); it is stored as
        the image ``<base URL>[/<sub path>]/<reference_name>`` (``repository:tag``), blobs
        first and the tag last.  Returns a copy of ``resource`` with the access
        ``ociArtifact/v1`` naming that image, or ``None``, storing nothing, where the
        repository has no images others can reach (a CTF) or ``blob`` is no artifact: the
        caller then stores it with :meth:`add_local_resource`.
        """
        ...

    def add_component_version(self, descriptor: Descriptor, *, replace: bool = False) -> None:
        """Write the descriptor (and the manifest naming its local blobs), then tag it.

        Raises :class:`pyocm.errors.OCMError` when the version exists and ``replace`` is false.
        """
        ...

    def get_local_blob(self, component: str, version: str, access: AccessSpec) -> Blob:
        """The local blob a ``localBlob`` access of ``component:version`` points to, verified."""
        ...

    def close(self) -> None:
        """Release the repository; pending work (re-packing an archive CTF) is done here.

        Repositories are also context managers that close on exit.
        """
        ...
