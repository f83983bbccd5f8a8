"""Helm charts as OCI artifacts: building one from a chart archive, finding a chart in one.

    >>> import gzip, io, tarfile, tempfile
    >>> from pathlib import Path
    >>> from pyocm.helm.chart import ChartMetadata
    >>> work = Path(tempfile.mkdtemp())
    >>> chart = work / "mychart-0.1.0.tgz"
    >>> _ = chart.write_bytes(gzip.compress(b"not really a chart"))
    >>> artifact = chart_artifact(ChartMetadata("mychart", "0.1.0"), chart)
    >>> image = chart_image(artifact.source, artifact.root)
    >>> image.metadata.name, image.chart.media_type == CHART_MEDIA_TYPE, image.provenance
    ('mychart', True, None)

The artifact is what ``helm push`` and the Go v2 tools make of a chart: an image manifest
(``oras`` packing, without annotations) whose config is ``application/vnd.cncf.helm.config.
v1+json`` holding ``{"name":…,"version":…}``, whose first layer is the chart archive
(``application/vnd.cncf.helm.chart.content.v1.tar+gzip``) and, when the chart has a
provenance file, whose second layer is that file
(``application/vnd.cncf.helm.chart.provenance.v1.prov``).  :func:`chart_artifact` hands it
out as a :class:`pyocm.oci.artifact.GraphBlob` (an OCI image layout, tagged with the chart
version, when read as bytes), so repositories store it node by node; :func:`write_chart_layout`
writes it as the gzipped layout the ``helm`` input produces.  :func:`chart_image` reads the
chart layers back from any artifact (Helm's older chart media type ``application/tar+gzip``
included).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pyocm._internal.gojson import marshal
from pyocm.blob import verified
from pyocm.digest import hash_stream
from pyocm.errors import NotFound, OCMError
from pyocm.helm.chart import ChartMetadata
from pyocm.oci.artifact import ArtifactBlob
from pyocm.oci.digests import digest_bytes
from pyocm.oci.layout import BlobSource, read_blob, write_layout
from pyocm.oci.manifest import MAX_MANIFEST_SIZE, Descriptor, image_manifest, parse_manifest
from pyocm.oci.mediatypes import IMAGE_MANIFEST, is_index_type, is_manifest_type
from pyocm.repository.mediatypes import OCI_LAYOUT_TAR

CONFIG_MEDIA_TYPE = "application/vnd.cncf.helm.config.v1+json"
"""The config of a chart image."""
CHART_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
"""The layer holding the chart archive."""
LEGACY_CHART_MEDIA_TYPE = "application/tar+gzip"
"""The chart layer as Helm's first OCI support (and the legacy OCM tools) wrote it."""
PROVENANCE_MEDIA_TYPE = "application/vnd.cncf.helm.chart.provenance.v1.prov"
"""The layer holding the chart's provenance file."""
CHART_LAYER_TYPES = (CHART_MEDIA_TYPE, LEGACY_CHART_MEDIA_TYPE)


class ChartBlobs:
    """The blobs of a chart artifact, in memory (config, manifest) or in files (chart,
    provenance): a :class:`pyocm.oci.layout.BlobSource`."""

    def __init__(self) -> None:
        self._content: dict[str, bytes | Path] = {}
        self._sizes: dict[str, int] = {}

    def add(self, media_type: str, content: bytes | Path) -> Descriptor:
        """Remember ``content`` (hashed now) and describe it."""
        if isinstance(content, bytes):
            digest, size = digest_bytes(content), len(content)
        else:
            with content.open("rb") as f:
                value, size = hash_stream(f)
            digest = "sha256:" + value
        self._content[digest] = content
        self._sizes[digest] = size
        return Descriptor(media_type, digest, size)

    def blob_size(self, digest: str) -> int:
        """The size of a blob added before."""
        try:
            return self._sizes[digest]
        except KeyError:
            raise NotFound(f"blob {digest} is not part of the chart artifact") from None

    @contextmanager
    def open_blob(self, digest: str, size: int = -1) -> Iterator[IO[bytes]]:
        """The content of a blob added before, verified while it is read."""
        known = self.blob_size(digest)
        content = self._content[digest]
        with io.BytesIO(content) if isinstance(content, bytes) else content.open("rb") as f:
            yield verified(f, digest, known if size < 0 else size, f"chart artifact blob {digest}")


def chart_artifact(
    metadata: ChartMetadata, chart: Path, provenance: Path | None = None
) -> ArtifactBlob:
    """The chart archive ``chart`` (and its ``provenance`` file) as an OCI artifact, read
    where the files lie (they must stay until the artifact was copied)."""
    blobs = ChartBlobs()
    config = blobs.add(
        CONFIG_MEDIA_TYPE, marshal({"name": metadata.name, "version": metadata.version})
    )
    layers = [blobs.add(CHART_MEDIA_TYPE, chart)]
    if provenance is not None:
        layers.append(blobs.add(PROVENANCE_MEDIA_TYPE, provenance))
    root = blobs.add(IMAGE_MANIFEST, image_manifest(config, layers))
    return ArtifactBlob(blobs, root, media_type=OCI_LAYOUT_TAR, tag=metadata.version)


def write_chart_layout(artifact: ArtifactBlob, target: Path, tag: str) -> None:
    """Write ``artifact`` as a gzipped OCI image layout file, its root tagged ``tag``."""
    with target.open("wb") as out:
        write_layout(out, artifact.source, artifact.root, tag=tag)


@dataclass(frozen=True)
class ChartImage:
    """The chart an OCI artifact holds: its metadata and its chart and provenance layers."""

    metadata: ChartMetadata
    chart: Descriptor
    provenance: Descriptor | None


def is_chart_manifest(source: BlobSource, root: Descriptor) -> bool:
    """Whether ``root`` is an image manifest with the Helm chart config."""
    if not is_manifest_type(root.media_type) or is_index_type(root.media_type):
        return False
    raw = read_blob(source, root.digest, MAX_MANIFEST_SIZE, root.size)
    try:
        manifest = parse_manifest(raw, f"manifest {root.digest}")
    except OCMError:
        return False
    return manifest.config.media_type == CONFIG_MEDIA_TYPE


def chart_image(source: BlobSource, root: Descriptor, what: str = "") -> ChartImage:
    """The chart in the image manifest ``root`` of ``source``.

    The metadata comes from the Helm config (name and version); a manifest that has no Helm
    config or no chart layer is an :class:`OCMError` naming ``what``.
    """
    shown = what or f"OCI artifact {root.digest}"
    raw = read_blob(source, root.digest, MAX_MANIFEST_SIZE, root.size)
    manifest = parse_manifest(raw, f"{shown}: manifest")
    if manifest.config.media_type != CONFIG_MEDIA_TYPE:
        raise OCMError(
            f"{shown} is not a Helm chart: its config has media type "
            f"{manifest.config.media_type!r}, not {CONFIG_MEDIA_TYPE!r}"
        )
    config_raw = read_blob(source, manifest.config.digest, MAX_MANIFEST_SIZE, manifest.config.size)
    try:
        config = json.loads(config_raw)
    except ValueError:
        raise OCMError(f"{shown}: the Helm chart config is not JSON") from None
    if not isinstance(config, dict) or not all(
        isinstance(config.get(k), str) and config.get(k) for k in ("name", "version")
    ):
        raise OCMError(f"{shown}: the Helm chart config has no name and version")
    chart = next((d for d in manifest.layers if d.media_type in CHART_LAYER_TYPES), None)
    if chart is None:
        raise OCMError(f"{shown}: the Helm chart image has no chart layer")
    provenance = next((d for d in manifest.layers if d.media_type == PROVENANCE_MEDIA_TYPE), None)
    metadata = ChartMetadata(config["name"], config["version"])
    return ChartImage(metadata, chart, provenance)
