"""Reading v3alpha1 documents: the apiVersion as spelled, and what happens to unknown fields."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyocm.descriptor import loads, validate_document
from pyocm.descriptor.codec import dump_data
from pyocm.errors import ValidationError
from pyocm.normalise.json_v1 import normalise_v1

# LEG api/ocm/compdesc/meta/v1/types.go had GROUP = "ocm.gardener.cloud" until commit
# e489d4af9 (October 2022); its v3alpha1 scheme keeps the apiVersion it read
# (versions/ocm.software/v3alpha1/version.go: ConfiguredVersion = in.APIVersion) and writes
# it back when normalising (ConvertFrom: APIVersion = SchemaVersion of that release).
DOCUMENT: dict[str, Any] = {
    "apiVersion": "ocm.software/v3alpha1",
    "kind": "ComponentVersion",
    "metadata": {"name": "acme.org/app", "version": "1.0.0", "provider": {"name": "acme"}},
    "repositoryContexts": [],
    "spec": {
        "resources": [
            {
                "name": "readme",
                "version": "1.0.0",
                "type": "plainText",
                "relation": "local",
                "access": {"type": "localBlob", "localReference": "sha256:ab"},
            }
        ]
    },
}


def read(document: dict[str, Any]) -> Any:
    return loads(dump_data(document, "yaml"))


@pytest.mark.parametrize("spelling", ["ocm.software/v3alpha1", "ocm.gardener.cloud/v3alpha1"])
def test_the_api_version_is_remembered_as_spelled(spelling: str) -> None:
    document = {**DOCUMENT, "apiVersion": spelling}
    assert read(document).schema_version == spelling


def test_v1_normalises_the_old_spelling_with_that_spelling_and_nothing_else_changed() -> None:
    current = normalise_v1(read(DOCUMENT)).decode()
    old = normalise_v1(read({**DOCUMENT, "apiVersion": "ocm.gardener.cloud/v3alpha1"})).decode()
    assert current.startswith('[{"apiVersion":"ocm.software/v3alpha1"},')
    assert old == current.replace("ocm.software/v3alpha1", "ocm.gardener.cloud/v3alpha1", 1)


def test_unknown_spec_fields_are_dropped_as_the_go_struct_drops_them() -> None:
    document = copy.deepcopy(DOCUMENT)
    document["spec"]["x-extension"] = {"kept": False}
    cd = read(document)
    assert "x-extension" not in cd.component.extra
    assert "x-extension" not in str(cd.to_dict())
    assert cd == read(DOCUMENT)


def test_unknown_spec_fields_are_reported_by_document_validation() -> None:
    document = copy.deepcopy(DOCUMENT)
    document["spec"]["x-extension"] = 1
    with pytest.raises(ValidationError) as caught:
        validate_document(document)
    assert [v.path for v in caught.value.violations] == ['spec["x-extension"]']


def test_unknown_metadata_fields_are_kept_in_the_component() -> None:
    document = copy.deepcopy(DOCUMENT)
    document["metadata"]["x-note"] = "kept"
    assert read(document).component.extra == {"x-note": "kept"}


def test_unknown_signature_spec_fields_survive_a_round_trip() -> None:
    document = copy.deepcopy(DOCUMENT)
    document["signatures"] = [
        {
            "name": "acme",
            "digest": {
                "hashAlgorithm": "SHA-256",
                "normalisationAlgorithm": "jsonNormalisation/v1",
                "value": "ab",
            },
            "signature": {
                "algorithm": "RSASSA-PSS",
                "value": "cd",
                "mediaType": "application/vnd.ocm.signature.rsa",
                "x-extension": {"nested": [1]},
            },
        }
    ]
    [signature] = read(document).signatures
    assert signature.signature.extra == {"x-extension": {"nested": [1]}}
    assert signature.to_dict()["signature"]["x-extension"] == {"nested": [1]}
