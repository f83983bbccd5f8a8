"""The ``helm`` download transformer: a chart resource as its chart archive and provenance file.

    >>> import tarfile, tempfile
    >>> from pathlib import Path
    >>> from pyocm.helm.chart import ChartMetadata
    >>> from pyocm.helm.oci import chart_artifact
    >>> work = Path(tempfile.mkdtemp())
    >>> chart = work / "upload.tgz"
    >>> _ = chart.write_bytes(b"chart bytes")
    >>> artifact = chart_artifact(ChartMetadata("mychart", "0.1.0"), chart)
    >>> files = chart_files(artifact, work, "resource 'mychart'")
    >>> files.media_type, tarfile.open(files.path).getnames()
    ('application/tar', ['mychart-0.1.0.tgz'])

What ``ocm download resource --transformer helm`` of the Go CLI does: the chart layer of a
Helm chart image (``application/vnd.cncf.helm.chart.content.v1.tar+gzip``, or the older
``application/tar+gzip``) becomes ``<name>-<version>.tgz`` and its provenance layer
``<name>-<version>.tgz.prov``, name and version taken from the Helm config; the result is a tar
(``application/tar``) of those files, which the ``auto`` extraction policy unpacks into the
output directory.  The chart may be an OCI artifact in any form (an image in a registry, a
local blob stored natively, an OCI image layout, tar or tgz) or, beyond Go, a ``helm`` access
(the chart downloaded from its repository).  Every blob is verified while it is read.
"""

from __future__ import annotations

import tarfile
from pathlib import Path

from pyocm.access.helm import HelmChartBlob
from pyocm.blob import Blob, FileBlob
from pyocm.blob.model import CHUNK_SIZE
from pyocm.errors import OCMError
from pyocm.helm.oci import chart_image
from pyocm.oci.artifact import GraphBlob
from pyocm.oci.layout import BlobSource, open_layout_archive
from pyocm.oci.manifest import Descriptor
from pyocm.repository.mediatypes import LAYOUT_ARCHIVES

NAME = "helm"
"""The transformer's name on the command line."""
OUTPUT_MEDIA_TYPE = "application/tar"
"""The media type of the transformed content (a tar of the chart files)."""


def chart_files(blob: Blob, scratch: Path, what: str) -> FileBlob:
    """The chart in ``blob`` as a tar of its archive and provenance file, written below the
    directory ``scratch`` (which must outlive the result).  ``what`` names the resource."""
    files = scratch / "helm-chart"
    files.mkdir()
    if isinstance(blob, HelmChartBlob):
        fetched = blob.fetch(files)
        named = files / fetched.metadata.archive_name
        chart = fetched.chart.rename(named) if fetched.chart != named else named
        provenance = None
        if fetched.provenance is not None:
            provenance = fetched.provenance.rename(named.with_name(named.name + ".prov"))
        return _tar(scratch, [chart, provenance])
    if isinstance(blob, GraphBlob):
        return _from_artifact(blob.source, blob.root, files, scratch, what)
    if blob.media_type in LAYOUT_ARCHIVES:
        archive = scratch / "layout"
        with blob.open() as stream, archive.open("wb") as out:
            while chunk := stream.read(CHUNK_SIZE):
                out.write(chunk)
        layout = open_layout_archive(archive, scratch, f"the OCI image layout of {what}")
        return _from_artifact(layout, layout.main_descriptor(), files, scratch, what)
    raise OCMError(
        f"the helm transformer cannot read {what}: its content ({blob.media_type}) is neither "
        "an OCI artifact nor a helm chart access"
    )


def _from_artifact(
    source: BlobSource, root: Descriptor, files: Path, scratch: Path, what: str
) -> FileBlob:
    image = chart_image(source, root, what)
    chart = files / image.metadata.archive_name
    _copy(source, image.chart, chart)
    provenance = None
    if image.provenance is not None:
        provenance = chart.with_name(chart.name + ".prov")
        _copy(source, image.provenance, provenance)
    return _tar(scratch, [chart, provenance])


def _copy(source: BlobSource, descriptor: Descriptor, target: Path) -> None:
    with source.open_blob(descriptor.digest, descriptor.size) as stream, target.open("wb") as out:
        while chunk := stream.read(CHUNK_SIZE):
            out.write(chunk)


def _tar(scratch: Path, paths: list[Path | None]) -> FileBlob:
    target = scratch / "helm-chart.tar"
    with tarfile.open(target, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in paths:
            if path is None:
                continue
            info = tarfile.TarInfo(path.name)
            info.size = path.stat().st_size
            info.mode = 0o644
            with path.open("rb") as f:
                tar.addfile(info, f)
    return FileBlob(target, OUTPUT_MEDIA_TYPE)
