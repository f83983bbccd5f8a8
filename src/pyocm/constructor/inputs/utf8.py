"""The ``utf8`` input: text, JSON or YAML written inline in the constructor file.

    >>> from pyocm.constructor._fields import Fields
    >>> spec = parse(Fields({"type": "utf8", "json": {"b": 1, "a": "x"}}, "in", []), "utf8")
    >>> spec.content()
    (b'{"a":"x","b":1}', 'application/json')

Exactly one of the forms is given: ``text`` (stored as written, ``text/plain``), ``json``
(compact JSON, ``application/json``), ``formattedJson`` (JSON indented by two spaces,
``application/json``) or ``yaml`` (re-serialised YAML, ``application/x-yaml``).  The JSON and
YAML forms are written as the Go v2 CLI writes them (keys sorted), so they hash the same.
``compress: true`` gzips the content and appends ``+gzip`` to the media type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyocm._internal.gojson import marshal
from pyocm._internal.goyaml_write import marshal_yaml
from pyocm._internal.streams import gzipped
from pyocm.blob import Blob, BytesBlob
from pyocm.constructor._fields import Fields, plain
from pyocm.constructor.inputs.base import InputContext, InputType, type_names

FORMS = ("text", "json", "formattedJson", "yaml")


@dataclass(frozen=True)
class UTF8Input:
    """A ``utf8`` input; ``form`` is the one of :data:`FORMS` that was given."""

    type: str
    where: str
    form: str
    value: Any
    compress: bool = False

    def content(self) -> tuple[bytes, str]:
        """The bytes and media type of the content (before compression)."""
        if self.form == "text":
            return str(self.value).encode(), "text/plain"
        if self.form == "json":
            return marshal(self.value, sort_keys=True), "application/json"
        if self.form == "formattedJson":
            return marshal(self.value, sort_keys=True, indent=2), "application/json"
        return marshal_yaml(self.value).encode(), "application/x-yaml"

    def blob(self, context: InputContext) -> Blob:
        """The content as a blob (gzipped when ``compress``)."""
        data, media_type = self.content()
        blob = BytesBlob(data, media_type)
        return gzipped(blob) if self.compress else blob


def parse(f: Fields, type_name: str) -> UTF8Input:
    """Read a ``utf8`` input object: one of ``text``, ``json``, ``formattedJson``, ``yaml``."""
    text = f.string("text")
    given = ["text"] if text else []
    given += [form for form in FORMS[1:] if f.has(form)]
    values = {form: plain(f.raw(form)) for form in FORMS[1:]}
    if not given:
        f.fail("", "one of 'text', 'json', 'formattedJson' or 'yaml' must be set")
    elif len(given) > 1:
        f.fail("", f"only one of 'text', 'json', 'formattedJson' or 'yaml' may be set, not {given}")
    form = given[0] if given else "text"
    return UTF8Input(
        type=type_name,
        where=f.path,
        form=form,
        value=text if form == "text" else values[form],
        compress=f.boolean("compress"),
    )


TYPE = InputType(type_names("UTF8", "utf8"), parse)
