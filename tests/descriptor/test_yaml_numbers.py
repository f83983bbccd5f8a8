"""Unquoted YAML numbers: string fields keep the source text, free-form values stay numbers."""

from __future__ import annotations

import pytest

from pyocm.descriptor import Descriptor, dumps, loads, validate
from pyocm.descriptor.codec import Format

TEMPLATE = """
meta:
  schemaVersion: v2
component:
  name: acme.org/app
  version: {version}
  provider: acme
  creationTime: 2025-03-18T11:47:12Z
  labels:
  - name: 2024
    value: 1.10
  - name: nested
    value: {{count: 10, ratio: 0.50, list: [1, 2.5, 2.5e+3], text: "1.10"}}
  repositoryContexts: []
  resources:
  - name: 10
    version: 1.20
    type: blob
    relation: local
    extraIdentity:
      build: 1.30
      12: "x"
    access: {{type: none, size: 1024}}
  sources: []
  componentReferences: []
"""


def load(version: str = "1.10") -> Descriptor:
    return loads(TEMPLATE.format(version=version))


@pytest.mark.parametrize("written", ["1.10", "1.0", "1", "010", "0x1F", "1_000", "2.50"])
def test_an_unquoted_version_keeps_its_text(written: str) -> None:
    assert load(written).component.version == written


def test_element_versions_keep_their_text() -> None:
    assert load().component.resources[0].version == "1.20"


def test_names_keep_their_text() -> None:
    cd = load()
    assert cd.component.resources[0].name == "10"
    assert cd.component.labels[0].name == "2024"


def test_extra_identity_values_and_keys_keep_their_text() -> None:
    assert load().component.resources[0].extra_identity == {"build": "1.30", "12": "x"}


def test_label_values_stay_numbers() -> None:
    first, nested = load().component.labels
    assert first.value == 1.1 and isinstance(first.value, float)
    assert nested.value == {"count": 10, "ratio": 0.5, "list": [1, 2.5, 2500.0], "text": "1.10"}
    assert type(nested.value["count"]) is not str
    assert isinstance(nested.value["list"][2], float)


def test_access_properties_stay_numbers() -> None:
    access = load().component.resources[0].access
    assert access is not None and access.properties == {"size": 1024}


def test_unquoted_timestamps_stay_strings_as_written() -> None:
    assert load().component.creation_time == "2025-03-18T11:47:12Z"


def test_a_descriptor_with_unquoted_versions_is_valid() -> None:
    validate(load())


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_writing_quotes_the_kept_text_and_reading_it_back_gives_the_same(fmt: Format) -> None:
    cd = load()
    text = dumps(cd, fmt)
    again = loads(text)
    assert again.component.version == "1.10"
    assert again.component.labels[0].value == 1.1
    assert again == cd


def test_yaml_output_quotes_numeric_looking_strings() -> None:
    text = dumps(load(), "yaml")
    assert "version: '1.10'" in text
    assert "value: 1.1\n" in text
