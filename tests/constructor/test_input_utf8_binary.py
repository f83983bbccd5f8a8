"""The ``utf8`` and ``binary`` inputs: forms, media types, the Go encodings, compression."""

from __future__ import annotations

import base64
import gzip
import hashlib
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from pyocm.constructor._fields import Fields
from pyocm.constructor.inputs.utf8 import parse
from pyocm.descriptor import Descriptor, Resource, parse_document

Build = Callable[..., list[Descriptor]]
Stored = Callable[[Descriptor, Resource], bytes]


def with_input(text: str) -> str:
    return f"""
name: acme.org/app
version: 1.0.0
provider: {{name: acme.org}}
resources:
- name: data
  type: blob
  input: {text}
"""


def content(input_yaml: str) -> tuple[bytes, str]:
    data = parse_document(input_yaml, "test")
    return parse(Fields({"type": "utf8", **data}, "in", []), "utf8").content()


@pytest.mark.parametrize(
    ("input_yaml", "expected", "media_type"),
    [
        ("text: 'Hello, World!'", b"Hello, World!", "text/plain"),
        # the Go test's JSON, keys sorted as sigs.k8s.io/yaml hands them over
        (
            'json: {"name": "test", "value": 42, "active": true}',
            b'{"active":true,"name":"test","value":42}',
            "application/json",
        ),
        (
            "formattedJson: {b: [1], a: {}}",
            b'{\n  "a": {},\n  "b": [\n    1\n  ]\n}',
            "application/json",
        ),
        ("yaml: {b: [1, 2], a: {c: d}}", b"a:\n  c: d\nb:\n- 1\n- 2\n", "application/x-yaml"),
    ],
)
def test_forms_and_media_types(input_yaml: str, expected: bytes, media_type: str) -> None:
    assert content(input_yaml) == (expected, media_type)


GO_DOCS = [
    'json: {b: [1, 1.0, 1.5, 1e-7, 100000000000000000000000, "<&>"], a: null, "ü": "\\u2028"}',
    'formattedJson: {z: {y: [1, {x: 2}], e: {}, l: []}, a: "x"}',
    "yaml: {b: [1, 2], a: {'yes': 'no', text: \"two\\nlines\"}, n: 1.5, k: 'true', e: '', "
    "big: 1234567.5, f: 1.0, s: 'a: b', t: '2001-12-14', lead: ' x', num: '012', a10: 1, a9: 2}",
    "yaml: {list: [{a: 1, b: [x, y]}, [1, 2]], multi: \"l1\\nl2\\n\", hash: '#x', 'on': off, "
    'e: 1e3, x: 0x1F, o: 0o17, oct: 017, u: 1_000, tiny: 0.000001, ex: 1e21, tab: "a\\tb"}',
    "yaml: just a string",
    # strings yaml.v2 would read as numbers are quoted; what it reads as text is not
    "yaml: {a: '0X1F', b: '.5_0', c: '1e400', d: '=', e: '0B1', f: 100000000000000000000, "
    "g: '+.5', h: '08', i: '<<', j: '10:30', k: '2001-12-14', m: '0O17', p: '-0b101', q: '1:60'}",
    # the constructor file is read as Go reads it: numbers, keys, merge keys where they stand
    "yaml: {x: 0X1F, y: +.5, z: 08, w: 1e3, v: 10:30, 1.50: a, 0x1F: b, yes: c, "
    "<<: {x: merged, q: 1}}",
    "json: {x: 0X1F, y: +.5, z: 08, v: 10:30, 1.50: a, big: 100000000000000000000, '<': 2}",
]


@pytest.mark.parametrize("input_yaml", GO_DOCS)
def test_json_and_yaml_bytes_are_what_go_writes(gocheck: Path, input_yaml: str) -> None:
    expected = subprocess.run(
        [str(gocheck), "utf8", input_yaml], capture_output=True, check=True
    ).stdout
    assert content(input_yaml)[0] == expected


def test_utf8_resource_is_stored_with_its_digest(build: Build, stored: Stored) -> None:
    (cd,) = build(with_input("{type: UTF8/v1, text: 'hello $$ world'}"))
    res = cd.component.resources[0]
    assert stored(cd, res) == b"hello  world"  # $$ is expanded like any variable
    assert res.digest is not None
    assert res.digest.value == hashlib.sha256(b"hello  world").hexdigest()
    assert res.access is not None and res.access.properties["mediaType"] == "text/plain"


def test_utf8_compress(build: Build, stored: Stored) -> None:
    (cd,) = build(with_input("{type: utf8, text: hello, compress: true}"))
    res = cd.component.resources[0]
    assert gzip.decompress(stored(cd, res)) == b"hello"
    assert res.access is not None and res.access.properties["mediaType"] == "text/plain+gzip"


def test_binary_decodes_base64(build: Build, stored: Stored) -> None:
    data = bytes(range(256))
    encoded = base64.b64encode(data).decode()
    (cd,) = build(with_input(f"{{type: binary, data: '{encoded}', mediaType: application/x-raw}}"))
    res = cd.component.resources[0]
    assert stored(cd, res) == data
    assert res.access is not None and res.access.properties["mediaType"] == "application/x-raw"
    assert res.digest is not None and res.digest.value == hashlib.sha256(data).hexdigest()


def test_binary_defaults_and_compress(build: Build, stored: Stored) -> None:
    (cd,) = build(with_input("{type: binary, data: dGVzdA==, compress: true}"))
    res = cd.component.resources[0]
    assert gzip.decompress(stored(cd, res)) == b"test"
    assert res.access is not None
    assert res.access.properties["mediaType"] == "application/octet-stream+gzip"
