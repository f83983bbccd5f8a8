"""``helm``: a chart in an HTTP(S) Helm repository or an OCI registry (``oci://``).

    >>> from pyocm.access.helm import HelmAccess
    >>> access = HelmAccess("https://charts.acme.org/stable", "mychart:0.1.0")
    >>> access.name, access.version, access.chart_reference()
    ('mychart', '0.1.0', 'https://charts.acme.org/stable/mychart:0.1.0')
    >>> HelmAccess("oci://ghcr.io/acme/charts/", "app", "1.2.0").chart_reference()
    'oci://ghcr.io/acme/charts/app:1.2.0'

The access (Go v2's ``Helm/v1``; ``Helm``, ``helm/v1`` and ``helm`` too) has
``helmRepository`` (an ``http(s)://`` repository URL or an ``oci://`` registry path),
``helmChart`` (``name``, ``name:version``, or the file name of a chart archive in the
repository such as ``mychart-0.1.0.tgz``) and ``version`` (overrides the one in
``helmChart``).  The chart reference is the repository URL joined with the chart name, plus
``:<version>`` (:meth:`HelmAccess.chart_reference`, Go's ``ChartReference``):

* HTTP(S), ``name:version``: the chart is looked up in the repository's ``index.yaml``
  (:mod:`pyocm.access.helm_repository`); without a version, the highest release there;
* HTTP(S), an archive file name: that file is downloaded as it is;
* ``oci://``: the image ``<registry path>/<name>:<version>`` (a version is required), with the
  ``OCIRegistry`` credentials of that registry.

Opening the access gives what ``ocm download resource`` of the Go CLI gives: a tar
(``application/x-tar``) of the chart archive (``<chart>-<version>.tgz``, or the file name in
the repository) and, when there is one, its provenance file (``<archive>.prov``).  The chart
is checked against the digest in the index and against the resource digest; an ``oci://``
chart against the manifest digest.

At add time (:data:`DIGESTS`) the resource gets ``SHA-256``/``genericBlobDigest/v1`` of the
chart archive as the repository index records it (a chart named by its file name, or missing
a digest in the index, is downloaded and hashed: Go fails there), or, for ``oci://``, of the
chart's manifest; a digest written in the constructor must match.

A transfer that copies resources by value stores the chart as an OCI artifact
(:meth:`HelmChartBlob.artifact`), named ``<repository path>/<chart>:<version>`` (Go's
``referenceName``; ``mychart:0.1.0`` for a repository at the root of its host).  An HTTP chart
is converted (:func:`pyocm.helm.oci.chart_artifact`); an ``oci://`` chart is copied as it is,
so its manifest digest, which its resource digest records, stays true.  The resource keeps its
type and its digest (the chart archive's, which is the converted artifact's chart layer; see
:mod:`pyocm.access.digests`): Go v2 replaces both (type ``helmChart``, the new manifest's
digest), which invalidates signatures over the component version.
"""

from __future__ import annotations

import logging
import posixpath
import tarfile
import tempfile
import urllib.parse
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from pyocm.access.base import BaseAccessHandler, CopyForm
from pyocm.access.handlers import HELM_TYPES
from pyocm.access.helm_repository import ChartLocation, download_chart, locate_chart
from pyocm.access.http import safe_url
from pyocm.access.recorded import recorded_sha256
from pyocm.blob.model import CHUNK_SIZE
from pyocm.descriptor.model import Digest, Resource
from pyocm.digest import GENERIC_BLOB_DIGEST_V1, SHA256
from pyocm.errors import DigestMismatch, NotFound, OCMError, RegistryNotFound
from pyocm.helm.chart import ChartMetadata, archive_metadata
from pyocm.helm.oci import chart_artifact, chart_image
from pyocm.oci.artifact import ArtifactBlob, GraphBlob, artifact_graph
from pyocm.oci.reference import ImageReference, parse_image_reference
from pyocm.repository.mediatypes import OCI_LAYOUT_TAR

if TYPE_CHECKING:
    from pyocm.access.context import AccessContext
    from pyocm.blob import Blob
    from pyocm.descriptor.model import Descriptor, Source
    from pyocm.oci.manifest import Descriptor as OCIDescriptor
    from pyocm.oci.remote import RemoteRepository
    from pyocm.repository.base import Repository

TYPES = HELM_TYPES
"""Every spelling of the type (registered in :mod:`pyocm.access.handlers`)."""

CHARTS_TAR = "application/x-tar"
"""The media type of an opened helm access: a tar of the chart and its provenance file."""

_log = logging.getLogger("pyocm.helm")


@dataclass(frozen=True)
class HelmAccess:
    """The fields of a ``helm`` access."""

    repository: str
    chart: str
    version_field: str = ""

    @property
    def name(self) -> str:
        """The chart name: ``helmChart`` up to the first ``:``."""
        return self.chart.split(":")[0]

    @property
    def version(self) -> str:
        """``version``, else the part of ``helmChart`` after its only ``:``; may be empty."""
        if self.version_field:
            return self.version_field
        parts = self.chart.split(":")
        return parts[1] if len(parts) == 2 else ""

    def chart_reference(self) -> str:
        """The repository URL with the chart name appended to its path (``..`` resolved)
        and ``:<version>`` when there is one, as Go's ``ChartReference`` builds it."""
        parts = urllib.parse.urlsplit(self.repository)
        base = parts.path
        if base.startswith("/"):
            path = _clean(f"{base}/{self.name}")
        else:
            path = _clean(f"/{base}/{self.name}")[1:]
        if parts.netloc and not path.startswith("/"):
            path = "/" + path
        reference = parts._replace(path=path).geturl()
        return f"{reference}:{self.version}" if self.version else reference

    def reference_name(self, metadata: ChartMetadata) -> str:
        """Where a copy of the chart goes below a target registry (Go's ``referenceName``):
        the path of the chart reference of ``metadata``'s name and version."""
        named = HelmAccess(self.repository, metadata.name, metadata.version)
        rest = named.chart_reference().partition("://")[2] or named.chart_reference()
        return rest.partition("/")[2]


def _clean(path: str) -> str:
    """Go's ``path.Clean`` of an absolute path."""
    cleaned = posixpath.normpath(path)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


def helm_access(element: Resource | Source) -> HelmAccess:
    """The ``helm`` access of ``element``; :class:`OCMError` naming the field that is wrong."""
    access = element.access
    assert access is not None  # handler_for only dispatches elements with access
    fields = {}
    for key in ("helmRepository", "helmChart", "version"):
        value = access.properties.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise OCMError(f"{element.name!r}: the helm access field {key!r} must be a string")
        fields[key] = value
    if not fields["helmRepository"]:
        raise OCMError(f"{element.name!r}: the helm access needs a helmRepository")
    if not fields["helmChart"].split(":")[0]:
        raise OCMError(f"{element.name!r}: the helm access needs a helmChart")
    scheme = urllib.parse.urlsplit(fields["helmRepository"]).scheme
    if scheme not in ("http", "https", "oci"):
        raise OCMError(
            f"{element.name!r}: helmRepository {safe_url(fields['helmRepository'])!r} must be "
            "an http(s):// or oci:// URL"
        )
    return HelmAccess(fields["helmRepository"], fields["helmChart"], fields["version"])


@dataclass(frozen=True)
class FetchedChart:
    """A chart downloaded into a directory."""

    chart: Path
    provenance: Path | None
    metadata: ChartMetadata
    digest: str
    """``sha256:<hex>`` of the chart archive."""


class HelmChartBlob:
    """The chart a ``helm`` access names: located when made, fetched when read.

    As a blob it is the tar of the chart archive and its provenance file; :meth:`fetched`
    gives the files themselves, :meth:`artifact` the chart as an OCI artifact and
    :meth:`content_digest` what the resource digest of the chart records.
    """

    media_type = CHARTS_TAR

    def __init__(
        self,
        reference: str,
        context: AccessContext,
        what: str,
        expected: str | None,
        *,
        version: str = "",
        latest: bool = True,
    ):
        self.reference = reference
        self.what = what
        self._context = context
        self._expected = expected
        self._location: ChartLocation | None = None
        self._image: ImageReference | None = None
        self._remote: RemoteRepository | None = None
        self._root: OCIDescriptor | None = None
        if reference.startswith("oci://"):
            self._locate_image(version)
        else:
            self._location = locate_chart(context, reference, version, latest=latest, what=what)
            _log.debug(
                "helm chart located",
                extra={"chart": safe_url(self._location.url), "digest": self._location.digest},
            )

    def _locate_image(self, version: str) -> None:
        try:
            image = parse_image_reference(self.reference, require_reference=False)
        except OCMError as e:
            raise OCMError(f"{self.what}: {e}") from None
        if version:
            image = replace(image, tag=version, digest="")
        if not image.reference:
            raise OCMError(f"{self.what}: the oci:// helm chart {image} needs a version (tag)")
        remote = self._context.repository(image)
        try:
            root = remote.resolve(image.reference)
        except RegistryNotFound:
            raise NotFound(f"{self.what}: chart {image} not found") from None
        if self._expected is not None and root.digest != self._expected:
            raise DigestMismatch(f"{self.what}: chart {image}", self._expected, root.digest)
        self._image, self._remote, self._root = image, remote, root

    @property
    def size(self) -> int:
        """Not known before the chart is fetched: ``-1``."""
        return -1

    @property
    def digest(self) -> str | None:
        """Not known before the chart is fetched: ``None``."""
        return None

    @property
    def location(self) -> ChartLocation | None:
        """Where an HTTP chart is downloaded from (``None`` for ``oci://``)."""
        return self._location

    def fetch(self, directory: Path) -> FetchedChart:
        """Download the chart (and its provenance file) into ``directory``, verified."""
        if self._location is not None:
            chart, provenance, digest = download_chart(
                self._context,
                self._location,
                directory,
                expected=self._expected,
                what=self.what,
            )
            metadata = archive_metadata(chart, self.what, self._location.file_name)
            return FetchedChart(chart, provenance, metadata, digest)
        assert self._remote is not None and self._root is not None and self._image is not None
        image = chart_image(self._remote, self._root, f"{self.what}: chart {self._image}")
        name = posixpath.basename(self._image.repository)
        chart = directory / f"{name}-{self._image.tag or image.metadata.version}.tgz"
        _copy_blob(self._remote, image.chart, chart)
        provenance = None
        if image.provenance is not None:
            provenance = chart.with_name(chart.name + ".prov")
            _copy_blob(self._remote, image.provenance, provenance)
        return FetchedChart(chart, provenance, image.metadata, image.chart.digest)

    @contextmanager
    def fetched(self) -> Iterator[FetchedChart]:
        """The chart fetched into a temporary directory, removed afterwards."""
        with tempfile.TemporaryDirectory(prefix="pyocm-helm-") as work:
            yield self.fetch(Path(work))

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """A tar of the chart archive and its provenance file (fetched first, verified)."""
        with self.fetched() as chart, tempfile.TemporaryFile() as spool:
            with tarfile.open(fileobj=spool, mode="w", format=tarfile.PAX_FORMAT) as tar:
                for path in (chart.chart, chart.provenance):
                    if path is not None:
                        _add_file(tar, path)
            spool.seek(0)
            yield spool

    def content_digest(self) -> str:
        """What the resource digest of this chart records (``sha256:<hex>``): the chart
        archive's digest, or for ``oci://`` the manifest's (every blob of the image read and
        verified)."""
        if self._remote is not None and self._root is not None:
            for node in artifact_graph(self._remote, self._root):
                with self._remote.open_blob(node.digest, node.size) as stream:
                    while stream.read(CHUNK_SIZE):
                        pass
            return self._root.digest
        with self.fetched() as chart:
            return chart.digest

    def pinned_digest(self) -> str:
        """The digest a resource of this chart records, as cheaply as it can be had: the
        index's digest of the chart archive (else the archive's, downloaded), or for
        ``oci://`` the manifest digest."""
        if self._root is not None:
            return self._root.digest
        if self._location is not None and self._location.digest is not None:
            return self._location.digest
        return self.content_digest()

    def artifact(self, directory: Path) -> tuple[GraphBlob, ChartMetadata]:
        """The chart as an OCI artifact (its files kept in ``directory`` until copied) and its
        metadata: an HTTP chart converted, an ``oci://`` chart as it is."""
        if self._remote is not None and self._root is not None and self._image is not None:
            image = ArtifactBlob(
                self._remote,
                self._root,
                media_type=OCI_LAYOUT_TAR,
                tag=self._image.tag or None,
                referrers=self._remote.referrers,
            )
            return image, chart_image(self._remote, self._root, self.what).metadata
        fetched = self.fetch(directory)
        converted = chart_artifact(fetched.metadata, fetched.chart, fetched.provenance)
        return converted, fetched.metadata


def _copy_blob(remote: RemoteRepository, descriptor: OCIDescriptor, target: Path) -> None:
    with remote.open_blob(descriptor.digest, descriptor.size) as stream, target.open("wb") as out:
        while chunk := stream.read(CHUNK_SIZE):
            out.write(chunk)


def _add_file(tar: tarfile.TarFile, path: Path) -> None:
    info = tarfile.TarInfo(path.name)
    info.size = path.stat().st_size
    info.mode = 0o644
    info.mtime = 0
    with path.open("rb") as f:
        tar.addfile(info, f)


def _what(element: Resource | Source) -> str:
    return f"resource {element.name!r}"


class _Helm(BaseAccessHandler):
    """The chart, located now, fetched and verified when read; copied by value (and
    uploaded) as an OCI artifact named ``<repository path>/<chart>:<version>``."""

    def open(
        self,
        repository: Repository,
        descriptor: Descriptor,
        element: Resource | Source,
        context: AccessContext,
    ) -> HelmChartBlob:
        access = helm_access(element)
        return HelmChartBlob(
            access.chart_reference(), context, _what(element), recorded_sha256(element)
        )

    def uploadable(self, element: Resource) -> bool:
        """A chart becomes an OCI artifact: ``True``."""
        return True

    def copy_form(self, element: Resource | Source, blob: Blob) -> AbstractContextManager[CopyForm]:
        """A resource's chart as an OCI artifact (see the module documentation), its files
        kept in a temporary directory until the context closes."""
        if isinstance(element, Resource) and isinstance(blob, HelmChartBlob):
            return _chart_artifact(element, blob)
        return super().copy_form(element, blob)


@contextmanager
def _chart_artifact(element: Resource, blob: HelmChartBlob) -> Iterator[CopyForm]:
    with tempfile.TemporaryDirectory(prefix="pyocm-helm-") as work:
        artifact, metadata = blob.artifact(Path(work))
        name = helm_access(element).reference_name(metadata)
        # A converted chart is no longer the archive its digest records (the chart layer is,
        # checked while it was fetched): the target must not compare them.
        held = element if blob.location is None else replace(element, digest=None)
        yield CopyForm(artifact, held, name)


class _HelmDigests:
    """Records (or checks) the chart digest at add time (see the module documentation)."""

    def process(self, resource: Resource, context: AccessContext) -> Resource:
        access = helm_access(resource)
        found = HelmChartBlob(
            access.chart_reference(), context, _what(resource), None
        ).pinned_digest()
        algorithm, _, value = found.partition(":")
        if algorithm != "sha256":
            raise OCMError(f"{_what(resource)}: unknown chart digest algorithm {algorithm!r}")
        recorded = resource.digest
        if recorded is None:
            return replace(resource, digest=Digest(SHA256, GENERIC_BLOB_DIGEST_V1, value))
        if recorded.value != value:
            raise DigestMismatch(f"{_what(resource)} (helm chart)", recorded.value, value)
        if recorded.hash_algorithm != SHA256:
            raise OCMError(
                f"{_what(resource)}: hash algorithm mismatch: expected {recorded.hash_algorithm}, "
                f"got {SHA256}"
            )
        return resource


HANDLER = _Helm()
DIGESTS = _HelmDigests()
