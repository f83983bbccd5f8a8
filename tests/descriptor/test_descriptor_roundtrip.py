"""Round trips: a descriptor written and read back is the same, nothing lost or invented."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyocm.descriptor import (
    AccessSpec,
    Component,
    Descriptor,
    Digest,
    Label,
    Provider,
    Reference,
    Resource,
    Signature,
    SignatureSpec,
    Source,
    SourceRef,
    dumps,
    loads,
)
from pyocm.descriptor.codec import Format

ROUND_TRIP = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

text = st.text(max_size=10)
json_scalars = (
    st.none()
    | st.booleans()
    # Go reads integers beyond int64/uint64 as float64s (test_yaml_scalars.py): no integer
    # outside that range can survive a trip through text that every tool reads alike.
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | text
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
string_maps = st.dictionaries(text, text, max_size=3)


def unknown_fields(*known: str) -> st.SearchStrategy[dict[str, Any]]:
    """Fields the model does not know, to be kept in ``extra``."""
    names = text.filter(lambda name: name not in known)
    return st.dictionaries(names, json_values, max_size=2)


labels = st.lists(
    st.builds(
        Label,
        name=text,
        value=json_values,
        signing=st.booleans(),
        version=st.none() | text,
        merge=st.none()
        | st.fixed_dictionaries({"algorithm": text}, optional={"config": json_values}),
        extra=unknown_fields("name", "value", "signing", "version", "merge"),
    ),
    max_size=3,
)
digests = st.builds(Digest, text, text, text)
access_specs = st.builds(AccessSpec, text, unknown_fields("type"))
element = {
    "name": text,
    "version": text,
    "extra_identity": string_maps,
    "labels": labels,
}
ELEMENT_KEYS = ("name", "version", "extraIdentity", "labels")

resources = st.builds(
    Resource,
    **element,
    type=text,
    relation=st.sampled_from(["local", "external", ""]) | text,
    access=st.none() | access_specs,
    digest=st.none() | digests,
    src_refs=st.lists(
        st.builds(
            SourceRef,
            string_maps,
            labels,
            unknown_fields("identitySelector", "labels"),
        ),
        max_size=2,
    ),
    extra=unknown_fields(
        *ELEMENT_KEYS, "type", "relation", "access", "digest", "srcRefs", "srcRef"
    ),
)
sources = st.builds(
    Source,
    **element,
    type=text,
    access=st.none() | access_specs,
    extra=unknown_fields(*ELEMENT_KEYS, "type", "access"),
)
references = st.builds(
    Reference,
    **element,
    component_name=text,
    digest=st.none() | digests,
    extra=unknown_fields(*ELEMENT_KEYS, "componentName", "digest"),
)
signatures = st.builds(
    Signature,
    name=text,
    digest=digests,
    signature=st.builds(
        SignatureSpec,
        text,
        text,
        text,
        st.none() | text,
        unknown_fields("algorithm", "value", "mediaType", "issuer"),
    ),
    timestamp=st.none() | st.dictionaries(text, json_values, max_size=2),
    extra=unknown_fields("name", "digest", "signature", "timestamp"),
)
components = st.builds(
    Component,
    name=text,
    version=text,
    provider=st.builds(Provider, text, labels),
    creation_time=st.none() | text | st.just("2025-03-18T11:47:12Z"),
    labels=labels,
    repository_contexts=st.lists(st.dictionaries(text, json_values, max_size=3), max_size=2),
    resources=st.lists(resources, max_size=3),
    sources=st.lists(sources, max_size=2),
    references=st.lists(references, max_size=2),
    extra=unknown_fields(
        "name",
        "version",
        "provider",
        "creationTime",
        "labels",
        "repositoryContexts",
        "resources",
        "sources",
        "componentReferences",
    ),
)
descriptors = st.builds(
    Descriptor,
    component=components,
    signatures=st.lists(signatures, max_size=2),
    nested_digests=st.none()
    | st.lists(st.dictionaries(text, json_values, min_size=1, max_size=3), max_size=2),
    meta_extra=unknown_fields("schemaVersion"),
    extra=unknown_fields("meta", "component", "signatures", "nestedDigests"),
)


def exact(data: Any) -> str:
    """A text form that tells 1 from 1.0 and True from 1, which ``==`` does not."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


@ROUND_TRIP
@given(descriptors)
def test_a_descriptor_survives_yaml(cd: Descriptor) -> None:
    again = loads(dumps(cd, "yaml"))
    assert again == cd
    assert exact(again.to_dict()) == exact(cd.to_dict())


@ROUND_TRIP
@given(descriptors)
def test_a_descriptor_survives_json(cd: Descriptor) -> None:
    again = loads(dumps(cd, "json"))
    assert again == cd
    assert exact(again.to_dict()) == exact(cd.to_dict())


@ROUND_TRIP
@given(descriptors)
def test_the_dict_form_reads_back_to_the_same_descriptor(cd: Descriptor) -> None:
    assert Descriptor.from_dict(cd.to_dict()) == cd


def test_unknown_fields_survive_at_every_level(document: dict[str, Any]) -> None:
    document["x-top"] = {"kept": [1, 2.5, None]}
    document["meta"]["x-meta"] = "kept"
    document["component"]["x-component"] = {"nested": {"deep": True}}
    resource = document["component"]["resources"][0]
    resource["x-resource"] = 18446744073709551615  # the largest integer Go keeps exact
    resource["access"]["x-access"] = "kept"
    resource["srcRefs"][0]["x-srcref"] = 0.1
    document["component"]["sources"][0]["x-source"] = "kept"
    document["component"]["componentReferences"][0]["x-reference"] = "kept"
    document["component"]["labels"][0]["x-label"] = "kept"
    document["signatures"][0]["x-signature"] = "kept"
    document["signatures"][0]["signature"]["x-signature-spec"] = {"kept": True}
    formats: tuple[Format, ...] = ("yaml", "json")
    for fmt in formats:
        again = loads(dumps(Descriptor.from_dict(document), fmt))
        assert exact(again.to_dict()) == exact(document)


def test_a_provider_name_that_looks_like_json_is_kept() -> None:
    cd = Descriptor(Component("acme.org/app", "1.0.0", Provider('{"name":"x"}')))
    assert loads(dumps(cd)).component.provider == Provider('{"name":"x"}')


def test_an_empty_issuer_is_written_and_read_back() -> None:
    spec = SignatureSpec("RSASSA-PSS", "ab", "application/vnd.ocm.signature.rsa", "")
    cd = Descriptor(
        Component("acme.org/app", "1.0.0", Provider("acme")),
        signatures=[Signature("s", Digest("SHA-256", "jsonNormalisation/v4alpha1", "cd"), spec)],
    )
    assert loads(dumps(cd, "json")).signatures[0].signature.issuer == ""
