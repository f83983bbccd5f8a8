"""The ``file`` input: stored bytes, digests, media types, compression, and the sandbox."""

from __future__ import annotations

import gzip
import hashlib
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from pyocm.constructor import construct
from pyocm.constructor._sniff import sniff_file
from pyocm.descriptor import Descriptor, Resource
from pyocm.errors import OCMError
from pyocm.repository.ctf import CTFRepository

Build = Callable[..., list[Descriptor]]
Stored = Callable[[Descriptor, Resource], bytes]

TUTORIAL = """
components:
- name: github.com/acme.org/helloworld
  version: 1.0.0
  provider:
    name: acme.org
  resources:
  - name: mylocalfile
    type: blob
    input:
      type: file
      path: ./my-local-resource.txt
"""


def resource_with(text: str) -> str:
    return f"""
name: acme.org/app
version: 1.0.0
provider: {{name: acme.org}}
resources:
- name: data
  type: blob
  input: {text}
"""


def test_getting_started_tutorial_file_resource(
    workdir: Path, build: Build, stored: Stored
) -> None:
    # cli.md §7.1: a 45-byte text file becomes a local blob with a genericBlobDigest/v1 digest.
    content = b"My first local Resource for an OCM component\n"
    (workdir / "my-local-resource.txt").write_bytes(content)
    (cd,) = build(TUTORIAL)
    res = cd.component.resources[0]
    assert len(content) == 45
    assert (res.relation, res.version, res.type) == ("local", "1.0.0", "blob")
    assert res.access is not None and res.access.type == "LocalBlob/v1"
    assert res.access.properties["mediaType"] == "text/plain; charset=utf-8"
    assert (
        res.access.properties["localReference"] == "sha256:" + hashlib.sha256(content).hexdigest()
    )
    assert res.digest is not None
    assert res.digest.to_dict() == {
        "hashAlgorithm": "SHA-256",
        "normalisationAlgorithm": "genericBlobDigest/v1",
        "value": hashlib.sha256(content).hexdigest(),
    }
    assert stored(cd, res) == content


def test_descriptor_in_the_ctf_is_the_one_returned(
    workdir: Path, build: Build, ctf: CTFRepository
) -> None:
    (workdir / "my-local-resource.txt").write_text("x")
    (cd,) = build(TUTORIAL)
    assert ctf.get_component_version("github.com/acme.org/helloworld", "1.0.0") == cd


def test_explicit_media_type_is_kept(workdir: Path, build: Build) -> None:
    (workdir / "data.csv").write_text("a,b\n1,2\n")
    (cd,) = build(resource_with("{type: File/v1, path: data.csv, mediaType: application/x-custom}"))
    access = cd.component.resources[0].access
    assert access is not None and access.properties["mediaType"] == "application/x-custom"


def test_compress_gzips_while_storing_and_appends_gzip_suffix(
    workdir: Path, build: Build, stored: Stored
) -> None:
    content = b"[" + b",".join([b'{"key": "value"}'] * 1000) + b"]"
    (workdir / "data.json").write_bytes(content)
    (cd,) = build(resource_with("{type: file, path: data.json, compress: true}"))
    res = cd.component.resources[0]
    blob = stored(cd, res)
    assert gzip.decompress(blob) == content
    assert len(blob) < len(content)
    assert res.access is not None and res.access.properties["mediaType"] == "application/json+gzip"
    assert res.digest is not None and res.digest.value == hashlib.sha256(blob).hexdigest()


def test_compressed_blob_is_the_same_every_time(
    workdir: Path, build: Build, stored: Stored
) -> None:
    (workdir / "data.txt").write_text("same\n" * 100)
    text = resource_with("{type: file, path: data.txt, compress: true}")
    (first,) = build(text)
    os.utime(workdir / "data.txt", (1, 1))
    (second,) = build(text, conflict_policy="replace")
    assert first.component.resources[0].digest == second.component.resources[0].digest


def test_digest_given_in_the_file_must_match(workdir: Path, build: Build) -> None:
    (workdir / "data.txt").write_text("abc")
    wrong = "0" * 64
    text = resource_with("{type: file, path: data.txt}") + (
        f"  digest: {{hashAlgorithm: SHA-256, normalisationAlgorithm: genericBlobDigest/v1, "
        f"value: '{wrong}'}}\n"
    )
    with pytest.raises(OCMError, match="digest mismatch"):
        build(text)
    right = hashlib.sha256(b"abc").hexdigest()
    (cd,) = build(text.replace(wrong, right))
    assert cd.component.resources[0].digest is not None
    assert cd.component.resources[0].digest.value == right


@pytest.mark.parametrize(
    "path",
    ["../secret.txt", "sub/../../secret.txt"],
)
def test_relative_paths_may_not_leave_the_working_directory(
    workdir: Path, build: Build, path: str
) -> None:
    (workdir.parent / "secret.txt").write_text("secret")
    (workdir / "sub").mkdir()
    with pytest.raises(OCMError, match=r"resources\[0\]\.input: path .* is outside the working"):
        build(resource_with(f"{{type: file, path: '{path}'}}"))


def test_absolute_paths_must_point_inside(workdir: Path, build: Build, stored: Stored) -> None:
    (workdir.parent / "secret.txt").write_text("secret")
    with pytest.raises(OCMError, match="is outside the working directory"):
        build(resource_with(f"{{type: file, path: '{workdir.parent / 'secret.txt'}'}}"))
    (workdir / "inside.txt").write_text("inside")
    (cd,) = build(resource_with(f"{{type: file, path: '{workdir / 'inside.txt'}'}}"))
    assert stored(cd, cd.component.resources[0]) == b"inside"


def test_symbolic_links_out_of_the_working_directory_are_refused(
    workdir: Path, build: Build, stored: Stored
) -> None:
    (workdir.parent / "secret.txt").write_text("secret")
    (workdir / "link.txt").symlink_to(workdir.parent / "secret.txt")
    with pytest.raises(OCMError, match="a symbolic link leads to"):
        build(resource_with("{type: file, path: link.txt}"))
    (workdir / "real.txt").write_text("real")
    (workdir / "inner-link.txt").symlink_to("real.txt")
    (cd,) = build(resource_with("{type: file, path: inner-link.txt}"))
    assert stored(cd, cd.component.resources[0]) == b"real"


def test_explicit_working_directory_confines_the_inputs(tmp_path: Path, ctf: CTFRepository) -> None:
    constructor = tmp_path / "c.yaml"
    constructor.write_text(resource_with("{type: file, path: data.txt}"))
    (tmp_path / "data.txt").write_text("in the constructor's directory")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with pytest.raises(OCMError, match="does not exist in"):
        construct(constructor, ctf, working_directory=elsewhere, env={})
    (elsewhere / "data.txt").write_text("in the working directory")
    (cd,) = construct(constructor, ctf, working_directory=elsewhere, env={})
    blob = ctf.get_local_blob("acme.org/app", "1.0.0", cd.component.resources[0].access)  # type: ignore[arg-type]
    with blob.open() as f:
        assert f.read() == b"in the working directory"


def test_a_directory_is_not_a_file_input(workdir: Path, build: Build) -> None:
    (workdir / "d").mkdir()
    with pytest.raises(OCMError, match="is not a regular file"):
        build(resource_with("{type: file, path: d}"))


SAMPLES: dict[str, bytes] = {
    "text.txt": b"My first local Resource for an OCM component\n",
    "empty": b"",
    "object.json": b'{"a": [1, 2]}\n',
    "big.json": b"{" + b",".join(b'"k%d": "%s"' % (i, b"v" * 10) for i in range(400)) + b"}",
    "scalar.json": b'"str"',
    "page.html": b"<!DOCTYPE html><html></html>",
    "doc.xml": b'<?xml version="1.0"?><a/>',
    "image.svg": b'<svg xmlns="http://www.w3.org/2000/svg"></svg>',
    "table.csv": b"a,b\n1,2\n",
    "table.tsv": b"a\tb\tc\n1\t2\t3\n",
    "run.sh": b"#!/usr/bin/env bash\necho hi\n",
    "run.py": b"#!/usr/bin/python3\nprint()\n",
    "utf16.txt": b"\xff\xfeh\x00i\x00",
    "latin1.txt": b"caf\xe9",
    "values.yaml": b"a: b\nc: d\n",
    "random.bin": bytes(range(256)) * 20,
    "archive.gz": gzip.compress(b"x"),
    "picture.png": b"\x89PNG\r\n\x1a\n0000",
    "paper.pdf": b"%PDF-1.4 x",
}


def test_media_types_sniffed_as_go_mimetype_does(tmp_path: Path, gocheck: Path) -> None:
    for name, content in SAMPLES.items():
        path = tmp_path / name
        path.write_bytes(content)
        expected = subprocess.run(
            [str(gocheck), "mimetype", str(path)], capture_output=True, text=True, check=True
        ).stdout
        assert sniff_file(path) == expected, name


def test_media_types_of_common_content(tmp_path: Path) -> None:
    # values gabriel-vasile/mimetype v1.4.14 gives (as printed by gocheck)
    expected = {
        "text.txt": "text/plain; charset=utf-8",
        "empty": "text/plain",
        "object.json": "application/json",
        "random.bin": "application/octet-stream",
        "archive.gz": "application/gzip",
        "table.csv": "text/csv",
    }
    for name, media_type in expected.items():
        path = tmp_path / name
        path.write_bytes(SAMPLES[name])
        assert sniff_file(path) == media_type, name


def test_working_directory_reached_through_a_symbolic_link(
    tmp_path: Path, ctf: CTFRepository
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "data.txt").write_text("data")
    link = tmp_path / "link"
    link.symlink_to(real)
    spec_text = resource_with(f"{{type: file, path: '{link / 'data.txt'}'}}")
    constructor = real / "c.yaml"
    constructor.write_text(spec_text)
    (cd,) = construct(constructor, ctf, working_directory=link, env={})
    assert cd.component.resources[0].digest is not None
    assert cd.component.resources[0].digest.value == hashlib.sha256(b"data").hexdigest()
