"""JSON is read with the JSON parser's own number parsing, YAML with the Go scalar rules: both
must give the same values, of the same kinds, remembering the same source text.

The numbers that could part them are the range edges (int64, uint64, beyond), floats that
overflow or underflow, and long decimals; the descriptors are the reference vectors, read
once as YAML and once as the JSON the same data makes, down to their normalised digests.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_descriptor_vectors import DESCRIPTORS

from pyocm._internal.gonumbers import read_json
from pyocm._internal.goyaml import read_yaml
from pyocm.descriptor import dumps, loads, parse_document
from pyocm.digest import component_version_digest

NUMBERS = [
    "0",
    "-0",
    "7",
    "-7",
    "123456789012345678",
    "-12345678901234567",
    "1234567890123456789",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "-18446744073709551616",
    "123456789012345678901234567890",
    "1.0",
    "-1.5",
    "0.1",
    "1e3",
    "1E3",
    "1e+3",
    "-2.5e-3",
    "3.14159265358979323846264338",
    "1.7976931348623157e308",
    "1.8e308",
    "-1e400",
    "1e-400",
    "4.9e-324",
    "0e5",
    "1e0",
]


def _shape(value: Any) -> Any:
    """The value with each number's kind and source text made visible for comparison."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return (type(value).__name__, value, getattr(value, "yaml_source", None))
    return (type(value).__name__, value)


@pytest.mark.parametrize("number", NUMBERS)
def test_a_json_number_reads_as_the_same_yaml_number(number: str) -> None:
    from_json = read_json(f'{{"num": {number}, "l": [{number}]}}')
    from_yaml = read_yaml(f"num: {number}\nl: [{number}]\n").data
    assert _shape(from_json) == _shape(from_yaml)


def test_the_number_cases_cover_every_outcome() -> None:
    kinds = {type(read_yaml(f"num: {n}").data["num"]).__name__ for n in NUMBERS}
    assert kinds == {"YamlInt", "YamlFloat", "str"}


def _go_json(data: Any) -> str:
    """``data`` as JSON, numbers written as their source text where they have one."""
    if isinstance(data, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{_go_json(v)}" for k, v in data.items()) + "}"
    if isinstance(data, list):
        return "[" + ",".join(_go_json(v) for v in data) + "]"
    source = getattr(data, "yaml_source", None)
    if isinstance(data, int | float) and not isinstance(data, bool) and source is not None:
        try:
            json.loads(source)
        except ValueError:
            return json.dumps(data)  # YAML-only spellings (0x1F, 1_000, .5) as JSON writes them
        return str(source)
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(("name", "text"), DESCRIPTORS, ids=[n for n, _ in DESCRIPTORS])
def test_a_vector_reads_the_same_as_yaml_and_as_json(name: str, text: bytes) -> None:
    yaml_text = dumps(loads(text), "yaml")
    from_yaml = parse_document(yaml_text)
    json_text = _go_json(from_yaml)
    assert json_text.startswith("{")
    from_json = parse_document(json_text)
    assert _shape(from_json) == _shape(from_yaml)
    for algorithm in ("jsonNormalisation/v4alpha1", "jsonNormalisation/v3"):
        assert component_version_digest(
            loads(json_text), normalisation_algorithm=algorithm
        ) == component_version_digest(loads(yaml_text), normalisation_algorithm=algorithm)


def test_labels_with_edge_numbers_digest_the_same_from_json_and_yaml() -> None:
    labels = "".join(
        f"\n  - name: n{i}\n    value: {n}\n    signing: true" for i, n in enumerate(NUMBERS)
    )
    yaml_text = (
        "meta: {schemaVersion: v2}\ncomponent:\n  name: acme.org/numbers\n  version: 1.0.0\n"
        "  provider: acme\n  repositoryContexts: []\n  resources: []\n  sources: []\n"
        "  componentReferences: []\n  labels:" + labels + "\n"
    )
    from_yaml = parse_document(yaml_text)
    json_text = _go_json(from_yaml)
    assert _shape(parse_document(json_text)) == _shape(from_yaml)
    assert component_version_digest(loads(json_text)) == component_version_digest(loads(yaml_text))
