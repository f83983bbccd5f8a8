"""The ``file`` input: one file from the working directory, as it is or gzipped.

    >>> from pyocm.constructor._fields import Fields
    >>> f = Fields({"type": "file", "path": "chart.tgz", "compress": True}, "in", [])
    >>> spec = parse(f, "file")
    >>> spec.path, spec.compress
    ('chart.tgz', True)

``mediaType`` defaults to the type guessed from the content (``text/plain; charset=utf-8``,
``application/json``, ``application/gzip``, ...).  ``compress: true`` gzips the file while it is
stored and appends ``+gzip`` to the media type.  A file whose media type is an OCI image layout
(``application/vnd.ocm.software.oci.layout.v1+tar`` or ``...+tar+gzip``) is an OCI artifact:
repositories that can store it as a native OCI artifact do so.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyocm._internal.streams import gzipped
from pyocm.blob import Blob, FileBlob
from pyocm.constructor._fields import Fields
from pyocm.constructor._sniff import sniff_file
from pyocm.constructor.inputs.base import InputContext, InputType, type_names
from pyocm.errors import OCMError

OCI_LAYOUT_TAR = "application/vnd.ocm.software.oci.layout.v1+tar"
OCI_LAYOUT_TAR_GZIP = OCI_LAYOUT_TAR + "+gzip"


@dataclass(frozen=True)
class FileInput:
    """A ``file`` input."""

    type: str
    where: str
    path: str
    media_type: str | None = None
    compress: bool = False

    def blob(self, context: InputContext) -> Blob:
        """The file (gzipped when ``compress``), typed by ``mediaType`` or by its content."""
        real = context.path(self.path, self.where)
        if not real.is_file():
            raise OCMError(f"{self.where}: {self.path!r} is not a regular file")
        media_type = self.media_type or sniff_file(real)
        blob = FileBlob(real, media_type)
        return gzipped(blob) if self.compress else blob


def parse(f: Fields, type_name: str) -> FileInput:
    """Read a ``file`` input object."""
    return FileInput(
        type=type_name,
        where=f.path,
        path=f.string("path", required=True, non_empty=True) or "",
        media_type=f.string("mediaType") or None,
        compress=f.boolean("compress"),
    )


TYPE = InputType(type_names("File", "file"), parse)
