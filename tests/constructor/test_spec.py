"""Reading and validating constructor files: shapes, defaults, and errors that name their path."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyocm.constructor import load_constructor, loads_constructor
from pyocm.constructor.inputs.directory import DirInput
from pyocm.constructor.inputs.file import FileInput
from pyocm.errors import OCMError, ValidationError

COMPONENT = """
name: acme.org/app
version: 1.0.0
provider: {name: acme.org}
"""


def violations(text: str) -> dict[str, str]:
    """The violations of an invalid constructor, path -> message."""
    with pytest.raises(ValidationError) as info:
        loads_constructor(text, env={})
    return {v.path: v.message for v in info.value.violations}


def test_single_component_form() -> None:
    spec = loads_constructor(COMPONENT, env={})
    assert [(c.name, c.version, c.provider.name) for c in spec.components] == [
        ("acme.org/app", "1.0.0", "acme.org")
    ]
    assert spec.components[0].where == ""


def test_components_list_form_keeps_file_order() -> None:
    spec = loads_constructor(
        """
components:
- {name: acme.org/b, version: 1.0.0, provider: {name: acme.org}}
- {name: acme.org/a, version: 2.0.0, provider: {name: acme.org}}
""",
        env={},
    )
    assert [(c.name, c.where) for c in spec.components] == [
        ("acme.org/b", "components[0]"),
        ("acme.org/a", "components[1]"),
    ]


def test_only_the_first_yaml_document_is_read() -> None:
    spec = loads_constructor("---\n" + COMPONENT + "---\nname: ignored\n", env={})
    assert spec.components[0].name == "acme.org/app"


def test_elements_keep_their_fields_and_leave_defaults_open() -> None:
    spec = loads_constructor(
        COMPONENT
        + """
creationTime: "2024-01-02T03:04:05Z"
labels:
- {name: team, value: {owner: a}, signing: true, version: v1}
resources:
- name: data
  type: blob
  extraIdentity: {arch: amd64}
  srcRefs: [{identitySelector: {name: src}}]
  input: {type: file, path: data.txt, mediaType: text/csv, compress: true}
- name: image
  type: ociImage
  version: 6.9.1
  relation: external
  access: {type: ociArtifact, imageReference: "ghcr.io/a/b:1"}
sources:
- name: src
  type: git
  access: {type: gitHub, repoUrl: github.com/a/b, commit: abc}
componentReferences:
- {name: dep, componentName: acme.org/dep, version: 1.0.0}
""",
        env={},
    )
    c = spec.components[0]
    assert c.creation_time == "2024-01-02T03:04:05Z"
    assert (c.labels[0].name, c.labels[0].value, c.labels[0].signing) == (
        "team",
        {"owner": "a"},
        True,
    )
    data, image = c.resources
    assert (data.version, data.relation, data.extra_identity) == (None, None, {"arch": "amd64"})
    assert data.input == FileInput(
        "file", "resources[0].input", "data.txt", media_type="text/csv", compress=True
    )
    assert data.src_refs[0].identity_selector == {"name": "src"}
    assert (image.version, image.relation, image.input) == ("6.9.1", "external", None)
    assert image.access is not None and image.access.properties == {
        "imageReference": "ghcr.io/a/b:1"
    }
    assert c.sources[0].access is not None and c.sources[0].access.type == "gitHub"
    assert (c.references[0].component_name, c.references[0].where) == (
        "acme.org/dep",
        "componentReferences[0]",
    )


def test_every_input_type_name_form_is_accepted() -> None:
    for name in ("Dir/v1", "Dir", "dir/v1", "dir"):
        spec = loads_constructor(
            COMPONENT + f"resources:\n- {{name: d1, type: t, input: {{type: {name}, path: x}}}}\n",
            env={},
        )
        assert isinstance(spec.components[0].resources[0].input, DirInput)


def test_missing_required_fields_are_named() -> None:
    found = violations("components:\n- {provider: {name: x}}\n")
    assert found == {"components[0].name": "is required", "components[0].version": "is required"}


def test_patterns_of_names_versions_and_identity_keys() -> None:
    found = violations(
        """
name: Acme/App
version: 1.0.0.0
provider: {name: acme.org}
resources:
- {name: My_Res, type: blob, extraIdentity: {Arch: x}, input: {type: utf8, text: a}}
"""
    )
    assert "is not a component name" in found["name"]
    assert "is not a version" in found["version"]
    assert "is not an identity attribute name" in found["resources[0].name"]
    assert "as a key" in found["resources[0].extraIdentity.Arch"]


def test_unquoted_number_where_a_string_is_required_gets_a_hint() -> None:
    found = violations("name: acme.org/app\nversion: 1.10\nprovider: {name: acme.org}\n")
    assert found["version"] == 'must be a string, not a number (quote it: "1.10")'


def test_resource_needs_exactly_one_of_access_and_input() -> None:
    found = violations(
        COMPONENT
        + """
resources:
- {name: both, type: t, version: 1.0.0, access: {type: none}, input: {type: utf8, text: a}}
- {name: none, type: t, version: 1.0.0}
"""
    )
    assert "but both are given" in found["resources[0]"]
    assert "but neither is given" in found["resources[1]"]


def test_resource_given_by_access_needs_a_version() -> None:
    found = violations(COMPONENT + "resources:\n- {name: img, type: t, access: {type: none}}\n")
    assert found == {"resources[0].version": "is required"}


def test_input_resource_may_only_be_local() -> None:
    found = violations(
        COMPONENT
        + "resources:\n- {name: r1, type: t, relation: external, input: {type: utf8, text: a}}\n"
    )
    assert found == {"resources[0].relation": "must be local, not 'external'"}


def test_unknown_input_type_is_named_with_the_go_message() -> None:
    found = violations(COMPONENT + "resources:\n- {name: r1, type: t, input: {type: docker}}\n")
    message = found["resources[0].input.type"]
    assert message.startswith("no input method resolvable for input specification of type 'docker'")


def test_input_field_errors_name_the_field() -> None:
    found = violations(
        COMPONENT
        + """
resources:
- {name: f1, type: t, input: {type: file}}
- {name: d1, type: t, input: {type: dir, path: x, excludeFiles: ["[z"], compress: "yes"}}
- {name: u1, type: t, input: {type: utf8, text: a, json: {b: 1}}}
- {name: b1, type: t, input: {type: binary, data: "not base64!"}}
- {name: h1, type: t, input: {type: helm, helmRepository: "ftp://charts.example/x.tgz"}}
"""
    )
    assert found["resources[0].input.path"] == "is required"
    assert found["resources[1].input.excludeFiles[0]"].startswith("bad pattern")
    assert found["resources[1].input.compress"] == "must be a boolean, not a string"
    assert "only one of" in found["resources[2].input"]
    assert found["resources[3].input.data"].startswith("is not valid base64")
    assert "must be an http(s):// URL" in found["resources[4].input.helmRepository"]


def test_unknown_fields_of_a_component_and_a_reference_are_errors() -> None:
    found = violations(
        COMPONENT
        + "colour: blue\ncomponentReferences:\n"
        + "- {name: r1, componentName: acme.org/x, version: 1.0.0, extra: 1}\n"
    )
    assert found["colour"].startswith("unknown field")
    assert found["componentReferences[0].extra"].startswith("unknown field")


def test_label_values_must_be_non_empty_strings_or_objects() -> None:
    found = violations(
        COMPONENT + "labels:\n- {name: a, value: 5}\n- {name: b, value: ''}\n- {name: c}\n"
    )
    assert found["labels[0].value"] == "must be a non-empty string or an object, not a number"
    assert found["labels[1].value"] == "must be a non-empty string or an object, not a string"
    assert found["labels[2].value"] == "is required"


def test_a_component_version_may_be_defined_once() -> None:
    found = violations(
        """
components:
- {name: acme.org/a, version: 1.0.0, provider: {name: x}}
- {name: acme.org/a, version: 1.0.0, provider: {name: x}}
"""
    )
    assert found == {
        "components[1]": "component version acme.org/a:1.0.0 is defined twice "
        "(first at components[0])"
    }


def test_all_violations_are_reported_at_once_with_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("components:\n- {name: x}\n- {version: 1.0.0}\n")
    with pytest.raises(ValidationError) as info:
        load_constructor(path, env={})
    assert len(info.value.violations) == 5
    assert str(info.value).startswith(f"invalid component constructor {path}: components[0].name")


def test_empty_components_list_is_an_error() -> None:
    assert violations("components: []\n") == {"components": "must list at least one component"}


def test_malformed_yaml_names_the_line() -> None:
    with pytest.raises(OCMError, match=r"c.yaml: invalid YAML \(line 2, column"):
        loads_constructor("name: a\n  bad: [\n", env={}, source="c.yaml")


def test_missing_constructor_file_and_directory_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OCMError, match="does not exist"):
        load_constructor(tmp_path / "missing.yaml")
    with pytest.raises(OCMError, match="is a directory"):
        load_constructor(tmp_path)


def test_yaml_reads_y_and_n_as_booleans_as_go_does() -> None:
    found = violations("name: acme.org/app\nversion: 1.0.0\nprovider: {name: y}\n")
    assert found == {"provider.name": "must be a string, not a boolean"}


def test_yaml_numbers_and_keys_are_read_as_go_reads_them() -> None:
    # yaml.v2's resolve(): 0X1F is an int, +.5 and 08 are floats, 10:30 is text; keys
    # become strings as sigs.k8s.io/yaml makes them (1.50 -> "1.5", yes -> "true")
    spec = loads_constructor(
        COMPONENT
        + "labels:\n- name: nums\n  value: {h: 0X1F, f: +.5, e: 08, t: 10:30, 1.50: x, yes: y}\n",
        env={},
    )
    value = spec.components[0].labels[0].value
    assert value == {"h": 31, "f": 0.5, "e": 8.0, "t": "10:30", "1.5": "x", "true": True}
    assert isinstance(value["e"], float)


def test_base_60_looking_text_is_a_string() -> None:
    spec = loads_constructor(
        "name: acme.org/app\nversion: 1.0.0\nprovider: {name: 10:30}\n", env={}
    )
    assert spec.components[0].provider.name == "10:30"


def test_merge_keys_apply_where_they_stand() -> None:
    # yaml.v2 merges a << map when it meets it, so a later key wins, merged or not
    spec = loads_constructor(
        COMPONENT + "labels:\n- name: numbers\n  value: {a: 1, <<: {a: 2, b: 3}, b: 4}\n", env={}
    )
    assert spec.components[0].labels[0].value == {"a": 2, "b": 4}
