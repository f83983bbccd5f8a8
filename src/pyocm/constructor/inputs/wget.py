"""The ``wget`` input: content downloaded from an HTTP(S) URL and stored by value.

    >>> from pyocm.constructor._fields import Fields
    >>> spec = parse(Fields({"type": "wget", "url": "https://acme.org/a.txt"}, "in", []), "wget")
    >>> spec.request.url, spec.request.method, spec.media_type
    ('https://acme.org/a.txt', 'GET', '')

The fields are those of the ``wget`` access (:mod:`pyocm.access.wget`): ``url``,
``mediaType`` (default: the response's ``Content-Type``, else ``application/octet-stream``),
``header``, ``verb``, ``body`` (base64) and ``noRedirect``.  The body is streamed into the
target repository; credentials come from the ``Wget`` consumer identity of the URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyocm.access.http import WGET, HTTPRequest, URLBlob, safe_url
from pyocm.access.wget import request_of
from pyocm.blob import Blob
from pyocm.constructor._fields import Fields, plain
from pyocm.constructor.inputs.base import InputContext, InputType, type_names
from pyocm.errors import OCMError

_FIELDS = ("url", "mediaType", "header", "verb", "body", "noRedirect")


@dataclass(frozen=True)
class WgetInput:
    """A ``wget`` input: the request to send and the media type to record ("" = the server's)."""

    type: str
    where: str
    request: HTTPRequest
    media_type: str = ""

    def blob(self, context: InputContext) -> Blob:
        """The response body, streamed when the blob is opened."""
        return URLBlob(
            context.access_context(),
            self.request,
            WGET,
            media_type=self.media_type,
            what=f"{self.where}: wget input ({safe_url(self.request.url)})",
        )


def parse(f: Fields, type_name: str) -> WgetInput:
    """Read a ``wget`` input object (``url`` required)."""
    f.string("url", required=True, non_empty=True)
    properties = {key: plain(f.raw(key)) for key in _FIELDS if f.has(key)}
    try:
        request, media_type = request_of(properties)
    except OCMError as e:
        if properties.get("url"):
            f.fail("", str(e))
        request, media_type = HTTPRequest(""), ""
    return WgetInput(type_name, f.path, request, media_type)


TYPE = InputType(type_names("Wget", "wget"), parse)
