"""validate(descriptor): the schema on the model plus the identity, label and signature rules."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyocm.descriptor import (
    AccessSpec,
    Descriptor,
    Label,
    Reference,
    Resource,
    Source,
    SourceRef,
    loads,
    validate,
)
from pyocm.errors import ValidationError, Violation


def violations(cd: Descriptor) -> list[Violation]:
    try:
        validate(cd)
    except ValidationError as err:
        return err.violations
    return []


def assert_only_violation(cd: Descriptor, path: str, fragment: str) -> None:
    found = violations(cd)
    assert [v.path for v in found] == [path], [str(v) for v in found]
    assert fragment in found[0].message, found[0].message


def resource(name: str = "chart", version: str = "1.0.0", **extra_identity: str) -> Resource:
    return Resource(
        name=name,
        version=version,
        type="helmChart",
        relation="local",
        access=AccessSpec("none"),
        extra_identity=dict(extra_identity),
    )


@pytest.fixture
def cd(document: dict[str, Any]) -> Descriptor:
    return Descriptor.from_dict(document)


def test_the_fixture_descriptor_is_valid(cd: Descriptor) -> None:
    assert violations(cd) == []


def test_schema_rules_apply_to_the_model(cd: Descriptor) -> None:
    cd.component.name = "Acme.org/app"
    cd.component.resources[0].relation = "inside"
    found = [str(v) for v in violations(cd)]
    assert found[0].startswith('component.name: "Acme.org/app" does not match the component name')
    assert (
        found[1]
        == 'component.resources[0].relation: must be one of "local", "external", not "inside"'
    )


# --- identities ------------------------------------------------------------------------------


def test_two_resources_that_differ_only_by_version_are_valid(cd: Descriptor) -> None:
    cd.component.resources = [resource(version="1.0.0"), resource(version="2.0.0")]
    assert violations(cd) == []


def test_the_legacy_duplicate_resource_example_is_valid() -> None:
    # LEG api/ocm/compdesc/norm_test.go, "normalization and legacy extra identity defaulting"
    cd = loads(
        """
  component:
    version: 1.0.0
    componentReferences: []
    name: ocm.software/duplicate-resource/test
    provider: internal
    repositoryContexts: []
    resources:
    - name: image
      relation: local
      type: ociImage
      version: 1.0.0
      access:
        imageReference: ghcr.io/bla:1.0.0
        type: ociRegistry
    - name: image
      relation: local
      type: ociImage
      version: 2.0.0
      access:
        imageReference: ghcr.io/bla:2.0.0
        type: ociRegistry
    sources: []
  meta:
    schemaVersion: v2
"""
    )
    assert violations(cd) == []


def test_exact_duplicate_resources_are_rejected_at_the_second(cd: Descriptor) -> None:
    cd.component.resources = [resource(), resource(name="other"), resource()]
    assert_only_violation(
        cd,
        "component.resources[2]",
        'duplicate resource identity {"name": "chart", "version": "1.0.0"} '
        "(first at component.resources[0])",
    )


def test_same_name_and_extra_identity_with_same_version_is_a_duplicate(cd: Descriptor) -> None:
    cd.component.resources = [resource(os="linux"), resource(os="darwin"), resource(os="linux")]
    assert_only_violation(cd, "component.resources[2]", '"os": "linux"')


def test_extra_identity_makes_resources_distinct(cd: Descriptor) -> None:
    cd.component.resources = [resource(os="linux"), resource(os="darwin"), resource()]
    assert violations(cd) == []


def test_extra_identity_order_does_not_matter(cd: Descriptor) -> None:
    first = resource()
    first.extra_identity = {"os": "linux", "arch": "amd64"}
    second = resource()
    second.extra_identity = {"arch": "amd64", "os": "linux"}
    cd.component.resources = [first, second]
    assert_only_violation(cd, "component.resources[1]", "duplicate resource identity")


def test_duplicate_sources_are_rejected(cd: Descriptor) -> None:
    src = cd.component.sources[0]
    cd.component.sources.append(copy.deepcopy(src))
    assert_only_violation(cd, "component.sources[1]", 'duplicate source identity {"name": "src"')


def test_sources_that_differ_by_version_are_valid(cd: Descriptor) -> None:
    other = copy.deepcopy(cd.component.sources[0])
    other.version = "2.0.0"
    cd.component.sources.append(other)
    assert violations(cd) == []


def test_duplicate_references_are_rejected_even_to_other_components(cd: Descriptor) -> None:
    cd.component.references.append(
        Reference(name="base", version="2.0.0", component_name="acme.org/other")
    )
    assert_only_violation(
        cd, "component.componentReferences[1]", 'duplicate reference identity {"name": "base"'
    )


def test_identities_are_unique_per_kind_not_across_kinds(cd: Descriptor) -> None:
    cd.component.sources = [
        Source(name="chart", version="1.0.0", type="git", access=AccessSpec("none"))
    ]
    cd.component.resources = [resource(name="chart")]
    cd.component.resources[0].src_refs = [SourceRef({"name": "chart"})]
    assert violations(cd) == []


def test_name_is_forbidden_in_extra_identity(cd: Descriptor) -> None:
    cd.component.resources[0].extra_identity = {"name": "other"}
    assert_only_violation(cd, "component.resources[0].extraIdentity.name", "name is reserved")


def test_name_is_forbidden_in_the_extra_identity_of_references(cd: Descriptor) -> None:
    cd.component.references[0].extra_identity = {"name": "other"}
    assert_only_violation(
        cd, "component.componentReferences[0].extraIdentity.name", "name is reserved"
    )


def test_non_ascii_extra_identity_keys_are_rejected_once(cd: Descriptor) -> None:
    cd.component.sources[0].extra_identity = {"größe": "xl"}
    assert_only_violation(
        cd, 'component.sources[0].extraIdentity["größe"]', "contains non-ASCII characters"
    )


# --- labels, signatures, provider ------------------------------------------------------------


def test_duplicate_component_label_names_are_rejected(cd: Descriptor) -> None:
    cd.component.labels.append(Label("team", "other"))
    assert_only_violation(
        cd,
        "component.labels[1].name",
        'duplicate label name "team" (first at component.labels[0])',
    )


def test_duplicate_resource_label_names_are_rejected(cd: Descriptor) -> None:
    cd.component.resources[0].labels = [Label("a", 1), Label("b", 2), Label("a", 3, signing=True)]
    assert_only_violation(cd, "component.resources[0].labels[2].name", 'duplicate label name "a"')


def test_duplicate_reference_label_names_are_rejected(cd: Descriptor) -> None:
    cd.component.references[0].labels = [Label("a", 1), Label("a", 1)]
    assert_only_violation(
        cd, "component.componentReferences[0].labels[1].name", "duplicate label name"
    )


def test_duplicate_source_ref_label_names_are_rejected(cd: Descriptor) -> None:
    cd.component.resources[0].src_refs[0].labels = [Label("a", 1), Label("a", 2)]
    assert_only_violation(
        cd, "component.resources[0].srcRefs[0].labels[1].name", "duplicate label name"
    )


def test_duplicate_provider_label_names_are_rejected(cd: Descriptor) -> None:
    cd.component.provider.labels = [Label("a", 1), Label("a", 2)]
    assert_only_violation(cd, "component.provider.labels[1].name", "duplicate label name")


def test_the_same_label_name_in_different_lists_is_fine(cd: Descriptor) -> None:
    cd.component.resources[0].labels = [Label("team", "x")]
    cd.component.provider.labels = [Label("team", "y")]
    assert violations(cd) == []


def test_provider_labels_follow_the_label_schema(cd: Descriptor) -> None:
    cd.component.provider.labels = [Label("ok", 1, version="1")]
    assert_only_violation(cd, "component.provider.labels[0].version", "label version pattern")


def test_duplicate_signature_names_are_rejected(cd: Descriptor) -> None:
    cd.signatures.append(copy.deepcopy(cd.signatures[0]))
    assert_only_violation(
        cd, "signatures[1].name", 'duplicate signature name "acme" (first at signatures[0])'
    )


def test_an_empty_provider_is_rejected(cd: Descriptor) -> None:
    cd.component.provider.name = ""
    assert_only_violation(cd, "component.provider", "provider name must not be empty")


def test_an_empty_provider_name_is_rejected_when_labels_hide_it(cd: Descriptor) -> None:
    cd.component.provider.name = ""
    cd.component.provider.labels = [Label("a", 1)]
    assert_only_violation(cd, "component.provider", "provider name must not be empty")


def test_all_rule_violations_are_reported_together(cd: Descriptor) -> None:
    cd.component.provider.name = ""
    cd.component.labels.append(Label("team", 1))
    cd.component.resources.append(resource())
    cd.signatures.append(copy.deepcopy(cd.signatures[0]))
    assert {v.path for v in violations(cd)} == {
        "component.provider",
        "component.labels[1].name",
        "component.resources[1]",
        "signatures[1].name",
    }


def test_empty_label_names_are_reported_as_empty_not_as_duplicates(cd: Descriptor) -> None:
    cd.component.labels = [Label("", 1), Label("", 2)]
    found = violations(cd)
    assert [str(v) for v in found] == [
        "component.labels[0].name: must not be empty",
        "component.labels[1].name: must not be empty",
    ]
