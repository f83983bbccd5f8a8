"""validate_document: the v2 JSON schema, one negative case per rule, paths and messages."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyocm.descriptor import parse_document, validate_document
from pyocm.descriptor._schema import V2_SCHEMA, V3ALPHA1_SCHEMA
from pyocm.errors import ValidationError, Violation

DELETE = object()
Key = str | int


def violations(data: Any) -> list[Violation]:
    try:
        validate_document(data)
    except ValidationError as err:
        return err.violations
    return []


def change(doc: dict[str, Any], where: tuple[Key, ...], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    node: Any = doc
    for key in where[:-1]:
        node = node[key]
    if value is DELETE:
        del node[where[-1]]
    else:
        node[where[-1]] = value
    return doc


def assert_violation(found: list[Violation], path: str, fragment: str) -> None:
    at_path = [v.message for v in found if v.path == path]
    assert at_path, f"no violation at {path!r}; got {[str(v) for v in found]}"
    assert any(fragment in m for m in at_path), f"{fragment!r} not in {at_path}"


def test_the_schemas_are_valid_draft_2020_12_schemas() -> None:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(V2_SCHEMA)
    Draft202012Validator.check_schema(V3ALPHA1_SCHEMA)


def test_the_fixture_document_is_valid(document: dict[str, Any]) -> None:
    assert violations(document) == []


C = ("component",)
R0 = ("component", "resources", 0)
S0 = ("component", "sources", 0)
F0 = ("component", "componentReferences", 0)
L0 = ("component", "labels", 0)
G0 = ("signatures", 0)

NEGATIVE = [
    # top level and meta
    (("meta",), DELETE, "meta", "is required"),
    (("component",), DELETE, "component", "is required"),
    (("meta", "schemaVersion"), DELETE, "meta.schemaVersion", "is required"),
    (("meta", "schemaVersion"), "v3", "meta.schemaVersion", "schema version pattern ^v2"),
    # component
    ((*C, "name"), "Foo", "component.name", '"Foo" does not match the component name pattern ^'),
    ((*C, "name"), "github.com", "component.name", "component name pattern"),
    ((*C, "name"), "acme.org/" + "a" * 250, "component.name", "at most 255 characters"),
    ((*C, "name"), 7, "component.name", "must be a string, not a number"),
    ((*C, "version"), "latest", "component.version", '"latest" does not match the relaxed'),
    ((*C, "version"), "", "component.version", "must not be empty"),
    ((*C, "version"), DELETE, "component.version", "is required"),
    ((*C, "creationTime"), "18.03.2025", "component.creationTime", "not an RFC 3339 date-time"),
    ((*C, "creationTime"), "2025-02-30T00:00:00Z", "component.creationTime", "RFC 3339"),
    ((*C, "provider"), "", "component.provider", "must not be empty"),
    ((*C, "provider"), DELETE, "component.provider", "is required"),
    ((*C, "repositoryContexts"), DELETE, "component.repositoryContexts", "is required"),
    (
        (*C, "repositoryContexts", 0, "type"),
        DELETE,
        "component.repositoryContexts[0].type",
        "is required",
    ),
    ((*C, "resources"), DELETE, "component.resources", "is required"),
    ((*C, "sources"), DELETE, "component.sources", "is required"),
    ((*C, "componentReferences"), DELETE, "component.componentReferences", "is required"),
    ((*C, "resources"), {}, "component.resources", "must be a list or null, not an object"),
    ((*C, "labels"), "x", "component.labels", "must be a list or null, not a string"),
    # labels
    ((*L0, "name"), "", "component.labels[0].name", "must not be empty"),
    ((*L0, "name"), DELETE, "component.labels[0].name", "is required"),
    ((*L0, "value"), DELETE, "component.labels[0].value", "is required"),
    ((*L0, "version"), "1", "component.labels[0].version", "label version pattern ^v[0-9]+$"),
    ((*L0, "signing"), "true", "component.labels[0].signing", "must be a boolean, not a string"),
    (
        (*L0, "merge"),
        {"algorithm": "Default"},
        "component.labels[0].merge.algorithm",
        "merge algorithm pattern",
    ),
    (
        (*L0, "merge"),
        {"strategy": "x"},
        "component.labels[0].merge.strategy",
        "unknown field (allowed: algorithm, config)",
    ),
    # resources
    ((*R0, "name"), "Chart", "component.resources[0].name", "identity attribute key pattern"),
    ((*R0, "name"), "c", "component.resources[0].name", "at least 2 characters"),
    ((*R0, "name"), "chart-", "component.resources[0].name", "identity attribute key pattern"),
    ((*R0, "version"), "1.0.0.0", "component.resources[0].version", "relaxed semver pattern"),
    ((*R0, "type"), "", "component.resources[0].type", "must not be empty"),
    ((*R0, "type"), "-chart", "component.resources[0].type", "type name pattern"),
    ((*R0, "type"), DELETE, "component.resources[0].type", "is required"),
    (
        (*R0, "relation"),
        "internal",
        "component.resources[0].relation",
        'must be one of "local", "external", not "internal"',
    ),
    ((*R0, "relation"), DELETE, "component.resources[0].relation", "is required"),
    ((*R0, "access"), DELETE, "component.resources[0].access", "is required"),
    ((*R0, "access"), {"localReference": "x"}, "component.resources[0].access.type", "is required"),
    ((*R0, "access"), None, "component.resources[0].access", "must be an object, not null"),
    (
        (*R0, "extraIdentity"),
        {"OS": "linux"},
        "component.resources[0].extraIdentity.OS",
        'key "OS" does not match the identity attribute key pattern',
    ),
    (
        (*R0, "extraIdentity"),
        {"os": 1},
        "component.resources[0].extraIdentity.os",
        "must be a string, not a number",
    ),
    (
        (*R0, "extraIdentity"),
        {"a": "x"},
        "component.resources[0].extraIdentity.a",
        "key must be at least 2 characters",
    ),
    (
        (*R0, "extraIdentity"),
        {"a b": "x"},
        'component.resources[0].extraIdentity["a b"]',
        "identity attribute key pattern",
    ),
    ((*R0, "digest", "value"), DELETE, "component.resources[0].digest.value", "is required"),
    ((*R0, "digest", "value"), 5, "component.resources[0].digest.value", "must be a string"),
    (
        (*R0, "srcRefs", 0, "labelz"),
        [],
        "component.resources[0].srcRefs[0].labelz",
        "unknown field (allowed: identitySelector, labels)",
    ),
    (
        (*R0, "srcRefs", 0, "identitySelector"),
        {"Name": "src"},
        "component.resources[0].srcRefs[0].identitySelector.Name",
        "identity attribute key pattern",
    ),
    # sources
    ((*S0, "access"), DELETE, "component.sources[0].access", "is required"),
    ((*S0, "version"), DELETE, "component.sources[0].version", "is required"),
    ((*S0, "name"), "src/x", "component.sources[0].name", "identity attribute key pattern"),
    # references
    (
        (*F0, "componentName"),
        "base",
        "component.componentReferences[0].componentName",
        "component name pattern",
    ),
    (
        (*F0, "componentName"),
        DELETE,
        "component.componentReferences[0].componentName",
        "is required",
    ),
    (
        (*F0, "type"),
        "x",
        "component.componentReferences[0].type",
        "unknown field (allowed: name, version, extraIdentity, labels, componentName, digest)",
    ),
    (
        (*F0, "digest"),
        {"value": "ab"},
        "component.componentReferences[0].digest.hashAlgorithm",
        "is required",
    ),
    # signatures
    ((*G0, "name"), "", "signatures[0].name", "must not be empty"),
    ((*G0, "signature", "value"), "", "signatures[0].signature.value", "must not be empty"),
    ((*G0, "signature", "mediaType"), DELETE, "signatures[0].signature.mediaType", "is required"),
    ((*G0, "signature", "issuer"), "", "signatures[0].signature.issuer", "must not be empty"),
    ((*G0, "digest"), None, "signatures[0].digest", "must be an object, not null"),
    (
        (*G0, "comment"),
        "x",
        "signatures[0].comment",
        "unknown field (allowed: name, digest, signature, timestamp)",
    ),
    (
        (*G0, "timestamp"),
        {"value": "x", "time": "now"},
        "signatures[0].timestamp.time",
        "not an RFC 3339 date-time",
    ),
    (("signatures",), {}, "signatures", "must be a list or null"),
    # nested digests
    (("nestedDigests",), [{"name": "acme.org/base"}], "nestedDigests[0].version", "is required"),
    (
        ("nestedDigests",),
        [{"name": "base", "version": "1"}],
        "nestedDigests[0].name",
        "component name pattern",
    ),
    (
        ("nestedDigests",),
        [{"name": "acme.org/b", "version": "1", "resourceDigests": [{}]}],
        "nestedDigests[0].resourceDigests[0].name",
        "is required",
    ),
]


@pytest.mark.parametrize(
    ("where", "value", "path", "fragment"),
    NEGATIVE,
    ids=[f"{c[2]}={c[1]!r}"[:60] for c in NEGATIVE],
)
def test_each_schema_rule_reports_its_path_and_expectation(
    document: dict[str, Any], where: tuple[Key, ...], value: Any, path: str, fragment: str
) -> None:
    assert_violation(violations(change(document, where, value)), path, fragment)


@pytest.mark.parametrize(
    "version",
    [
        "1.2.3",
        "1.2.3-foo+bar",
        "v1.2.3",
        "v1.2.3-foo+bar",
        "1.2",
        "1",
        "v1",
        "v1.2",
        "v1-foo+bar",
        "0.0.0-0.alpha-1.x",
        "1.0.0+20130313144700",
    ],
)
def test_relaxed_semver_accepts_the_examples_of_the_specification(
    document: dict[str, Any], version: str
) -> None:
    # the examples are those listed beside relaxedSemver in LEG
    # resources/component-descriptor-v2-schema.yaml
    assert violations(change(document, ("component", "version"), version)) == []


@pytest.mark.parametrize(
    "version", ["01.2.3", "1.2.3.4", "V1.0", "1.0.0-", "1.0.0+", "1.0.0-01", "latest", " 1.0"]
)
def test_relaxed_semver_rejects_malformed_versions(document: dict[str, Any], version: str) -> None:
    assert_violation(
        violations(change(document, ("component", "version"), version)),
        "component.version",
        "relaxed semver pattern",
    )


@pytest.mark.parametrize(
    "name",
    ["github.com/acme.org/helloworld", "acme.org/app", "a-b.c-d.io/x_y/z.w", "ocm.software/ocmcli"],
)
def test_component_names_of_the_specification_shape_are_accepted(
    document: dict[str, Any], name: str
) -> None:
    assert violations(change(document, ("component", "name"), name)) == []


@pytest.mark.parametrize(
    "name", ["acme.org", "acme/app", "acme.o/app", "1acme.org/app", "acme.org/App", "acme.org/app/"]
)
def test_component_names_without_path_or_domain_are_rejected(
    document: dict[str, Any], name: str
) -> None:
    assert_violation(
        violations(change(document, ("component", "name"), name)),
        "component.name",
        "component name pattern",
    )


def test_a_final_newline_does_not_satisfy_an_anchored_pattern(document: dict[str, Any]) -> None:
    # JSON Schema patterns are ECMA 262: "$" is the end of the text, unlike Python's re.
    found = violations(change(document, ("component", "version"), "1.0.0\n"))
    assert_violation(found, "component.version", "relaxed semver pattern")


def test_only_ascii_digits_count_as_digits(document: dict[str, Any]) -> None:
    found = violations(change(document, ("component", "version"), "١.0.0"))
    assert_violation(found, "component.version", "relaxed semver pattern")


@pytest.mark.parametrize(
    "type_name",
    [
        "ociImage",
        "ociArtifact/v1",
        "my.custom.type/v1alpha1",
        "landscaper.gardener.cloud/blueprint",
    ],
)
def test_types_only_need_to_start_with_a_letter_or_digit(
    document: dict[str, Any], type_name: str
) -> None:
    assert violations(change(document, ("component", "resources", 0, "type"), type_name)) == []


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("component", "resources"), None),
        (("component", "sources"), None),
        (("component", "componentReferences"), None),
        (("component", "repositoryContexts"), None),
        (("component", "labels"), None),
        (("component", "creationTime"), None),
        (("component", "resources", 0, "digest"), None),
        (("component", "componentReferences", 0, "digest"), None),
        (("component", "labels", 0, "value"), None),
        (("component", "labels", 0, "version"), None),
        (("signatures",), None),
        (("nestedDigests",), None),
    ],
)
def test_null_is_allowed_where_the_specification_allows_it(
    document: dict[str, Any], where: tuple[Key, ...], value: Any
) -> None:
    assert violations(change(document, where, value)) == []


@pytest.mark.parametrize(
    "where",
    [
        ("x-top",),
        ("meta", "x-meta"),
        ("component", "x-comp"),
        ("component", "resources", 0, "x-res"),
        ("component", "sources", 0, "x-src"),
        ("component", "labels", 0, "x-label"),
        ("component", "resources", 0, "access", "anything"),
    ],
)
def test_unknown_fields_are_allowed_where_the_schema_is_open(
    document: dict[str, Any], where: tuple[Key, ...]
) -> None:
    assert violations(change(document, where, {"kept": True})) == []


def test_every_violation_is_reported_not_just_the_first(document: dict[str, Any]) -> None:
    doc = change(document, ("component", "name"), "Foo")
    doc = change(doc, ("component", "resources", 0, "relation"), "x")
    doc = change(doc, ("signatures", 0, "signature", "algorithm"), "")
    with pytest.raises(ValidationError) as caught:
        validate_document(doc)
    paths = [v.path for v in caught.value.violations]
    assert paths == [
        "component.name",
        "component.resources[0].relation",
        "signatures[0].signature.algorithm",
    ]
    assert "(and" not in str(caught.value)
    assert str(caught.value).startswith("invalid component descriptor: component.name: ")


def test_a_document_that_is_not_an_object_is_one_violation() -> None:
    assert violations([1, 2]) == [Violation("", "must be an object, not a list")]


def test_keys_that_are_not_identifiers_are_quoted_in_paths(document: dict[str, Any]) -> None:
    labels = [{"name": "x", "value": 1, "merge": {"algorithm": "ok", "my key": 1}}]
    found = violations(change(document, ("component", "labels"), labels))
    assert_violation(found, 'component.labels[0].merge["my key"]', "unknown field")


def test_an_unquoted_yaml_number_in_a_string_field_is_a_violation_with_a_hint() -> None:
    data = parse_document(
        "meta: {schemaVersion: v2}\n"
        "component:\n"
        "  name: acme.org/app\n"
        "  version: 1.10\n"
        "  provider: acme\n"
        "  repositoryContexts: []\n"
        "  resources: []\n"
        "  sources: []\n"
        "  componentReferences: []\n"
    )
    assert violations(data) == [
        Violation(
            "component.version", 'must be a string, not a number (write it in quotes: "1.10")'
        )
    ]
