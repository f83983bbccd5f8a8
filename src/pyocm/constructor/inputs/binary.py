"""The ``binary`` input (from the v1 CLI): base64-encoded bytes written in the constructor file.

    >>> from pyocm.constructor._fields import Fields
    >>> spec = parse(Fields({"type": "binary", "data": "dGVzdA=="}, "in", []), "binary")
    >>> spec.data, spec.media_type
    (b'test', 'application/octet-stream')

``data`` is standard base64 with padding.  ``mediaType`` defaults to
``application/octet-stream``; ``compress: true`` gzips the bytes and appends ``+gzip``.  The
Go v2 CLI has no such input; this keeps v1 constructor files working.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from pyocm._internal.streams import gzipped
from pyocm.blob import Blob, BytesBlob
from pyocm.constructor._fields import Fields
from pyocm.constructor.inputs.base import InputContext, InputType, type_names

DEFAULT_MEDIA_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class BinaryInput:
    """A ``binary`` input."""

    type: str
    where: str
    data: bytes
    media_type: str = DEFAULT_MEDIA_TYPE
    compress: bool = False

    def blob(self, context: InputContext) -> Blob:
        """The decoded bytes as a blob (gzipped when ``compress``)."""
        blob = BytesBlob(self.data, self.media_type)
        return gzipped(blob) if self.compress else blob


def parse(f: Fields, type_name: str) -> BinaryInput:
    """Read a ``binary`` input object; ``data`` must be valid base64."""
    encoded = f.string("data", required=True) or ""
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as e:
        f.fail("data", f"is not valid base64: {e}")
        data = b""
    return BinaryInput(
        type=type_name,
        where=f.path,
        data=data,
        media_type=f.string("mediaType") or DEFAULT_MEDIA_TYPE,
        compress=f.boolean("compress"),
    )


TYPE = InputType(type_names("Binary", "binary"), parse)
