"""Each documented difference between legacy ``v3`` and ``v4alpha1`` (spec-core §3.4, §7).

Expected strings are written by hand from the rules in the notes and the Go code (legacy
``api/ocm/compdesc/normalizations/jsonv2``, v2 monorepo ``normalisation/json/v4alpha1`` and
``descriptor/runtime/convert_v2.go``).
"""

from __future__ import annotations

import pytest

from pyocm.descriptor import (
    AccessSpec,
    Component,
    Descriptor,
    Digest,
    Label,
    Provider,
    Reference,
    Resource,
    Source,
)
from pyocm.errors import ValidationError
from pyocm.normalise import JSON_V3, JSON_V4ALPHA1, normalise

HEAD = '{"component":{"componentReferences":'
EMPTY_LISTS = '"resources":[],"sources":[],"version":"1.0.0"}}'


def descriptor(
    provider: Provider | None = None,
    labels: list[Label] | None = None,
    creation_time: str | None = None,
) -> Descriptor:
    component = Component(
        "acme.org/app",
        "1.0.0",
        provider or Provider("acme"),
        creation_time=creation_time,
        labels=labels or [],
    )
    return Descriptor(component)


def test_null_values_in_label_values_stay_in_v3_and_vanish_in_v4alpha1() -> None:
    cd = descriptor(
        labels=[
            Label("l", {"a": None, "b": [None, {"c": None, "d": 1}]}, signing=True),
            Label("n", None, signing=True),
        ]
    )
    assert normalise(cd, JSON_V3).decode() == (
        HEAD + '[],"labels":[{"name":"l","signing":true,"value":{"a":null,"b":[null,'
        '{"c":null,"d":1}]}},{"name":"n","signing":true,"value":null}],"name":"acme.org/app",'
        '"provider":{"name":"acme"},' + EMPTY_LISTS
    )
    assert normalise(cd, JSON_V4ALPHA1).decode() == (
        HEAD + '[],"labels":[{"name":"l","signing":true,"value":{"b":[null,{"d":1}]}},'
        '{"name":"n","signing":true}],"name":"acme.org/app","provider":{"name":"acme"},'
        + EMPTY_LISTS
    )


def test_label_version_is_kept_by_v3_and_dropped_by_v4alpha1() -> None:
    label = Label("l", "x", signing=True, version="v1")
    cd = descriptor(provider=Provider("acme", [label]), labels=[label])
    cd.component.resources.append(
        Resource("r", "1.0.0", type="t", labels=[label], access=AccessSpec("localBlob"))
    )
    cd.component.sources.append(
        Source("s", "1.0.0", type="git", labels=[label], access=AccessSpec("git"))
    )
    v3 = '[{"name":"l","signing":true,"value":"x","version":"v1"}]'
    v4 = '[{"name":"l","signing":true,"value":"x"}]'
    template = (
        HEAD + '[],"labels":LABELS,"name":"acme.org/app","provider":{"labels":LABELS,'
        '"name":"acme"},"resources":[{"labels":LABELS,"name":"r","relation":"local","type":"t",'
        '"version":"1.0.0"}],"sources":[{"labels":LABELS,"name":"s","type":"git",'
        '"version":"1.0.0"}],"version":"1.0.0"}}'
    )
    assert normalise(cd, JSON_V3).decode() == template.replace("LABELS", v3)
    assert normalise(cd, JSON_V4ALPHA1).decode() == template.replace("LABELS", v4)


def test_reference_labels_are_unfiltered_raw_in_v3_and_reduced_in_v4alpha1() -> None:
    merge = {"algorithm": "default", "config": {"k": 1, "z": None}}
    cd = descriptor()
    cd.component.references.append(
        Reference(
            "lib",
            "1.0.0",
            component_name="acme.org/lib",
            labels=[
                Label("a", "x"),
                Label("b", "y", signing=True, version="v2", merge=merge, extra={"other": 1}),
            ],
            digest=Digest("SHA-256", "jsonNormalisation/v3", "ab"),
        )
    )
    digest = '"digest":{"hashAlgorithm":"SHA-256","normalisationAlgorithm":"jsonNormalisation/v3"'
    assert normalise(cd, JSON_V3).decode() == (
        HEAD + '[{"componentName":"acme.org/lib",' + digest + ',"value":"ab"},'
        '"labels":[{"name":"a","value":"x"},{"merge":{"algorithm":"default","config":{"k":1,'
        '"z":null}},"name":"b","signing":true,"value":"y","version":"v2"}],"name":"lib",'
        '"version":"1.0.0"}],"name":"acme.org/app","provider":{"name":"acme"},' + EMPTY_LISTS
    )
    assert normalise(cd, JSON_V4ALPHA1).decode() == (
        HEAD + '[{"componentName":"acme.org/lib",' + digest + ',"value":"ab"},'
        '"labels":[{"name":"a","value":"x"},{"name":"b","signing":true,"value":"y"}],'
        '"name":"lib","version":"1.0.0"}],"name":"acme.org/app","provider":{"name":"acme"},'
        + EMPTY_LISTS
    )


def test_reference_without_digest_is_omitted_by_v3_and_empty_in_v4alpha1() -> None:
    cd = descriptor()
    cd.component.references.append(Reference("lib", "1.0.0", component_name="acme.org/lib"))
    tail = '"name":"lib","version":"1.0.0"}],"name":"acme.org/app","provider":{"name":"acme"},'
    assert normalise(cd, JSON_V3).decode() == (
        HEAD + '[{"componentName":"acme.org/lib",' + tail + EMPTY_LISTS
    )
    assert normalise(cd, JSON_V4ALPHA1).decode() == (
        HEAD + '[{"componentName":"acme.org/lib","digest":{"hashAlgorithm":"",'
        '"normalisationAlgorithm":"","value":""},' + tail + EMPTY_LISTS
    )


def test_empty_relation_is_omitted_by_v3_and_written_by_v4alpha1() -> None:
    cd = descriptor()
    cd.component.resources.append(
        Resource("r", "1.0.0", type="t", relation="", access=AccessSpec("localBlob"))
    )
    head = HEAD + '[],"name":"acme.org/app","provider":{"name":"acme"},"resources":[{"name":"r",'
    tail = '"type":"t","version":"1.0.0"}],"sources":[],"version":"1.0.0"}}'
    assert normalise(cd, JSON_V3).decode() == head + tail
    assert normalise(cd, JSON_V4ALPHA1).decode() == head + '"relation":"",' + tail


@pytest.mark.parametrize(
    ("written", "v3"),
    [
        ("2024-05-01T10:00:00.5+02:00", "2024-05-01T08:00:01Z"),
        ("2024-05-01T08:00:00.499999999999Z", "2024-05-01T08:00:00Z"),
        ("2024-12-31T23:30:00-01:00", "2025-01-01T00:30:00Z"),
        ("2025-07-28T11:40:51Z", "2025-07-28T11:40:51Z"),
    ],
)
def test_creation_time_is_canonicalised_by_v3_and_verbatim_in_v4alpha1(
    written: str, v3: str
) -> None:
    cd = descriptor(creation_time=written)
    template = HEAD + '[],"creationTime":"TIME","name":"acme.org/app","provider":{"name":"acme"},'
    assert normalise(cd, JSON_V3).decode() == template.replace("TIME", v3) + EMPTY_LISTS
    assert normalise(cd, JSON_V4ALPHA1).decode() == template.replace("TIME", written) + EMPTY_LISTS


def test_broken_json_provider_is_a_name_for_v3_and_an_error_for_v4alpha1() -> None:
    cd = descriptor(provider=Provider('{"name": "acme"'))
    assert normalise(cd, JSON_V3).decode() == (
        HEAD
        + '[],"name":"acme.org/app","provider":{"name":"{\\"name\\": \\"acme\\""},'
        + EMPTY_LISTS
    )
    with pytest.raises(ValidationError, match=r"component\.provider.*not valid JSON"):
        normalise(cd, JSON_V4ALPHA1)


def test_empty_provider_is_kept_by_v3_and_an_error_for_v4alpha1() -> None:
    cd = descriptor(provider=Provider(""))
    assert normalise(cd, JSON_V3).decode() == (
        HEAD + '[],"name":"acme.org/app","provider":{"name":""},' + EMPTY_LISTS
    )
    with pytest.raises(ValidationError, match="provider name is empty"):
        normalise(cd, JSON_V4ALPHA1)


def test_source_without_access_is_kept_by_v3_and_an_error_for_v4alpha1() -> None:
    cd = descriptor()
    cd.component.sources.append(Source("s", "1.0.0", type="git"))
    assert normalise(cd, JSON_V3).decode() == (
        HEAD + '[],"name":"acme.org/app","provider":{"name":"acme"},"resources":[],'
        '"sources":[{"name":"s","type":"git","version":"1.0.0"}],"version":"1.0.0"}}'
    )
    with pytest.raises(ValidationError, match=r"sources\[0\]\.access"):
        normalise(cd, JSON_V4ALPHA1)


def test_provider_json_with_leading_whitespace_is_parsed_by_both() -> None:
    # Both Go readers skip whitespace before a JSON provider string.
    text = ' {"name":"acme","labels":[{"name":"l","value":1,"signing":true,"version":"v1"}]}'
    cd = descriptor(provider=Provider(text))
    assert normalise(cd, JSON_V3).decode() == (
        HEAD + '[],"name":"acme.org/app","provider":{"labels":[{"name":"l","signing":true,'
        '"value":1,"version":"v1"}],"name":"acme"},' + EMPTY_LISTS
    )
    assert normalise(cd, JSON_V4ALPHA1).decode() == (
        HEAD + '[],"name":"acme.org/app","provider":{"labels":[{"name":"l","signing":true,'
        '"value":1}],"name":"acme"},' + EMPTY_LISTS
    )
