"""The v2 provider string ``null``: both Go readers decode a provider string as JSON first.

Observed with the reference CLIs (tests/interop/test_digest_corpus.py checks it against them):
Go v2 0.13.0 normalises it to ``"provider":{}`` (no error, unlike an empty name), the legacy v1
CLI 0.48.0 to the empty name, ``{"name":""}`` under v2 and v3 and ``""`` under v1.  JSON
whitespace around ``null`` changes nothing; ``NULL`` or a quoted ``"null"`` stay names.
"""

from __future__ import annotations

import json

import pytest

from pyocm.descriptor import Descriptor, loads
from pyocm.errors import ValidationError
from pyocm.normalise import JSON_V1, JSON_V2, JSON_V3, JSON_V4ALPHA1, normalise


def descriptor(provider: str) -> Descriptor:
    return loads(
        json.dumps(
            {
                "meta": {"schemaVersion": "v2"},
                "component": {
                    "name": "acme.org/app",
                    "version": "1.0.0",
                    "provider": provider,
                    "repositoryContexts": [],
                    "resources": [],
                    "sources": [],
                    "componentReferences": [],
                },
            }
        )
    )


def provider_of(out: bytes) -> object:
    doc = json.loads(out)
    if isinstance(doc, list):  # v1's entry lists
        component = doc[0]["component"]
        return next(e["provider"] for e in component if "provider" in e)
    return doc["component"]["provider"]


@pytest.mark.parametrize("text", ["null", " null", "\tnull\r\n"])
def test_null_provider_follows_each_tool(text: str) -> None:
    cd = descriptor(text)
    assert provider_of(normalise(cd, JSON_V4ALPHA1)) == {}
    assert provider_of(normalise(cd, JSON_V3)) == {"name": ""}
    assert provider_of(normalise(cd, JSON_V2)) == {"name": ""}
    assert provider_of(normalise(cd, JSON_V1)) == ""


@pytest.mark.parametrize("text", ["NULL", '"null"', "nul", "null\u00a0"])
def test_other_spellings_stay_names(text: str) -> None:
    cd = descriptor(text)
    assert provider_of(normalise(cd, JSON_V4ALPHA1)) == {"name": text}
    assert provider_of(normalise(cd, JSON_V3)) == {"name": text}
    assert provider_of(normalise(cd, JSON_V1)) == text


def test_null_provider_is_not_an_empty_name_for_v4alpha1() -> None:
    with pytest.raises(ValidationError, match="provider name is empty"):
        normalise(descriptor(""), JSON_V4ALPHA1)


def test_reading_keeps_the_provider_string() -> None:
    cd = descriptor("null")
    assert cd.component.provider.name == "null"
    assert cd.to_dict()["component"]["provider"] == "null"
