"""Every descriptor among the reference test vectors is valid and survives a round trip."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from pyocm.descriptor import dumps, loads, parse_document, validate, validate_document
from pyocm.descriptor.codec import Format

VECTORS = Path(__file__).resolve().parents[1] / "vectors"

FILES = [
    "normalisation/v4alpha1-conformance/legacy/jsonNormalisation/v3/01/input.yaml",
    "signing/legacy-compat/component-archive/component-descriptor.yaml",
    "component-archive/common/component-descriptor.yaml",
    "component-archive/descriptor/component-descriptor.yaml",
    "component-archive/directory/component-descriptor.yaml",
]


def ctf_descriptors() -> list[tuple[str, bytes]]:
    """The descriptors stored as blobs of the CTF vectors (tar layers or plain JSON)."""
    found = []
    for blob in sorted(VECTORS.glob("ctf/*/*/blobs/*")):
        name = str(blob.relative_to(VECTORS))
        if tarfile.is_tarfile(blob):
            with tarfile.open(blob) as tar:
                member = tar.extractfile("component-descriptor.yaml")
                assert member is not None
                found.append((name, member.read()))
            continue
        try:
            data = json.loads(blob.read_bytes())
        except ValueError:
            continue  # a resource blob, not a descriptor
        if isinstance(data, dict) and {"meta", "component"} <= set(data):
            found.append((name, blob.read_bytes()))
    return found


def all_descriptors() -> list[tuple[str, bytes]]:
    files = [(name, (VECTORS / name).read_bytes()) for name in FILES]
    return files + ctf_descriptors()


DESCRIPTORS = all_descriptors() if VECTORS.is_dir() else []


def test_the_vectors_hold_the_expected_descriptors(vectors: Path) -> None:
    names = [name for name, _ in DESCRIPTORS]
    assert len(names) == 7, names
    assert sum(name.startswith("ctf/") for name in names) == 2


@pytest.mark.parametrize(("name", "text"), DESCRIPTORS, ids=[n for n, _ in DESCRIPTORS])
def test_the_document_is_schema_valid(name: str, text: bytes) -> None:
    validate_document(parse_document(text, name))


@pytest.mark.parametrize(("name", "text"), DESCRIPTORS, ids=[n for n, _ in DESCRIPTORS])
def test_the_descriptor_is_valid(name: str, text: bytes) -> None:
    validate(loads(text, name))


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize(("name", "text"), DESCRIPTORS, ids=[n for n, _ in DESCRIPTORS])
def test_the_descriptor_survives_a_round_trip(name: str, text: bytes, fmt: Format) -> None:
    cd = loads(text, name)
    again = loads(dumps(cd, fmt))
    assert again == cd
    assert again.to_dict() == cd.to_dict()


def test_the_ctf_01_descriptor_is_the_one_the_readme_describes() -> None:
    [(_, text)] = [d for d in DESCRIPTORS if d[0].startswith("ctf/01/")]
    cd = loads(text)
    assert (cd.component.name, cd.component.version) == ("github.com/acme.org/helloworld", "1.0.0")
    [resource] = cd.component.resources
    assert resource.access is not None and resource.access.type == "localBlob"
