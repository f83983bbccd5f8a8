"""The legacy signing fixture's jsonNormalisation/v1 digest (spec-core §6.1 B7 caveat).

The fixture (open-component-model/ocm api/ocm/tools/signing/signingtest/testdata/compat,
copied to tests/vectors) records a v1 digest made by an older v1 that wrote no
``"extraIdentity":null``.  Current v1 writes it; the historic variant reproduces the record.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pyocm.descriptor import Descriptor, load
from pyocm.normalise import JSON_V1, normalise
from pyocm.normalise.json_v1 import normalise_v1


@pytest.fixture
def compat(vectors: Path) -> Descriptor:
    return load(vectors / "signing/legacy-compat/component-archive/component-descriptor.yaml")


def test_current_v1_writes_null_extra_identity(compat: Descriptor) -> None:
    out = normalise(compat, JSON_V1).decode()
    assert '{"extraIdentity":null}' in out
    assert out == (
        '[{"component":[{"componentReferences":[]},{"name":"github.com/mandelsoft/test"},'
        '{"provider":"mandelsoft"},{"resources":[[{"digest":[{"hashAlgorithm":"sha256"},'
        '{"normalisationAlgorithm":"genericBlobDigest/v1"},'
        '{"value":"c893900c1106f13d55648a425f502dd6518e40eaa3ac7d24023d4c73d55dc12e"}]},'
        '{"extraIdentity":null},{"name":"text"},{"relation":"local"},{"type":"PlainText"},'
        '{"version":"1.0.0"}]]},{"version":"1.0.0"}]},{"meta":[{"schemaVersion":"v2"}]}]'
    )


def test_current_v1_does_not_match_the_recorded_historic_digest(compat: Descriptor) -> None:
    recorded = compat.signatures[0].digest
    assert recorded.normalisation_algorithm == JSON_V1
    assert hashlib.sha256(normalise(compat, JSON_V1)).hexdigest() != recorded.value


def test_historic_v1_without_null_extra_identity_reproduces_the_record(
    compat: Descriptor,
) -> None:
    recorded = compat.signatures[0].digest
    out = normalise_v1(compat, null_extra_identity=False)
    assert b"extraIdentity" not in out
    assert hashlib.sha256(out).hexdigest() == recorded.value
