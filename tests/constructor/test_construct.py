"""The construction algorithm: order, references, accesses, sources, conflict policies."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from pyocm.constructor import ConflictPolicy, construct, loads_constructor
from pyocm.descriptor import Descriptor
from pyocm.digest import component_version_digest
from pyocm.errors import DigestMismatch, OCMError
from pyocm.repository.ctf import CTFRepository

Build = Callable[..., list[Descriptor]]

HEAD = """
name: acme.org/app
version: 1.0.0
provider: {name: acme.org}
"""
PINNED = "ghcr.io/stefanprodan/podinfo:6.9.1@sha256:" + "ab" * 32


def test_conflict_policy_abort_and_fail_is_the_default(build: Build) -> None:
    build(HEAD)
    with pytest.raises(
        OCMError,
        match=re.escape(
            'component version "name=acme.org/app,version=1.0.0" already exists in target '
            "repository"
        ),
    ):
        build(HEAD)


def test_conflict_policy_skip_keeps_the_stored_version(
    build: Build, ctf: CTFRepository, caplog: pytest.LogCaptureFixture
) -> None:
    (first,) = build(HEAD + "labels: [{name: run, value: first}]\n")
    with caplog.at_level(logging.WARNING, "pyocm.constructor"):
        (second,) = build(
            HEAD + "resources: [{name: r1, type: t, input: {type: file, path: missing}}]\n",
            conflict_policy="skip",
        )
    assert second == first
    assert "already exists in target repository, skipping construction" in caplog.text
    assert ctf.get_component_version("acme.org/app", "1.0.0").component.labels[0].value == "first"


def test_conflict_policy_replace_overwrites(build: Build, ctf: CTFRepository) -> None:
    build(HEAD + "labels: [{name: run, value: first}]\n")
    build(HEAD + "labels: [{name: run, value: second}]\n", conflict_policy=ConflictPolicy.REPLACE)
    stored = ctf.get_component_version("acme.org/app", "1.0.0")
    assert stored.component.labels[0].value == "second"


def test_unknown_conflict_policy_is_refused(build: Build) -> None:
    with pytest.raises(OCMError, match="unknown conflict policy 'overwrite'"):
        build(HEAD, conflict_policy="overwrite")


TWO_COMPONENTS = """
components:
- name: acme.org/platform
  version: 1.0.0
  provider: {name: acme.org}
  componentReferences:
  - {name: web, componentName: acme.org/web, version: 2.0.0, labels: [{name: role, value: ui}]}
- name: acme.org/web
  version: 2.0.0
  provider: {name: acme.org}
  resources:
  - {name: notes, type: plainText, input: {type: utf8, text: hello}}
"""


def test_reference_within_the_file_is_built_first_and_digested(
    build: Build, ctf: CTFRepository
) -> None:
    platform, web = build(TWO_COMPONENTS)
    assert (platform.component.name, web.component.name) == ("acme.org/platform", "acme.org/web")
    stored_web = ctf.get_component_version("acme.org/web", "2.0.0")
    ref = platform.component.references[0]
    assert (ref.name, ref.component_name, ref.version) == ("web", "acme.org/web", "2.0.0")
    assert ref.labels[0].value == "ui"
    assert ref.digest == component_version_digest(stored_web)
    assert ref.digest is not None
    assert (ref.digest.hash_algorithm, ref.digest.normalisation_algorithm) == (
        "SHA-256",
        "jsonNormalisation/v4alpha1",
    )


def test_reference_to_a_version_already_in_the_target(build: Build, ctf: CTFRepository) -> None:
    build("name: acme.org/dep\nversion: 0.1.0\nprovider: {name: acme.org}\n")
    dep = ctf.get_component_version("acme.org/dep", "0.1.0")
    (app,) = build(
        HEAD + "componentReferences: [{name: dep, componentName: acme.org/dep, version: 0.1.0}]\n"
    )
    assert app.component.references[0].digest == component_version_digest(dep)


def test_reference_digest_given_in_the_file_is_verified(build: Build, ctf: CTFRepository) -> None:
    build("name: acme.org/dep\nversion: 0.1.0\nprovider: {name: acme.org}\n")
    value = component_version_digest(ctf.get_component_version("acme.org/dep", "0.1.0")).value
    reference = (
        HEAD + "componentReferences:\n- name: dep\n  componentName: acme.org/dep\n"
        "  version: 0.1.0\n  digest: {hashAlgorithm: SHA-256, "
        "normalisationAlgorithm: jsonNormalisation/v4alpha1, value: 'VALUE'}\n"
    )
    with pytest.raises(DigestMismatch, match="digest mismatch for reference 'dep'"):
        build(reference.replace("VALUE", "0" * 64))
    (app,) = build(reference.replace("VALUE", value))
    assert app.component.references[0].digest is not None
    assert app.component.references[0].digest.value == value


def test_reference_to_an_unknown_version_is_an_error(build: Build) -> None:
    with pytest.raises(
        OCMError, match=re.escape("acme.org/nowhere:1.0.0 is neither in the constructor")
    ):
        build(
            HEAD
            + "componentReferences: [{name: x1, componentName: acme.org/nowhere, version: 1.0.0}]\n"
        )


def test_reference_cycles_are_refused(build: Build) -> None:
    text = """
components:
- name: acme.org/a
  version: 1.0.0
  provider: {name: x}
  componentReferences: [{name: b1, componentName: acme.org/b, version: 1.0.0}]
- name: acme.org/b
  version: 1.0.0
  provider: {name: x}
  componentReferences: [{name: a1, componentName: acme.org/a, version: 1.0.0}]
"""
    with pytest.raises(
        OCMError,
        match=re.escape("component references form a cycle: acme.org/a:1.0.0 -> acme.org/b:1.0.0"),
    ):
        build(text)


def access_resource(access: str, extra: str = "") -> str:
    return (
        HEAD
        + f"resources:\n- {{name: res, type: ociImage, version: 6.9.1, access: {access}{extra}}}\n"
    )


def test_an_unreachable_pinned_image_reference_keeps_its_pinned_digest(build: Build) -> None:
    (cd,) = build(access_resource(f"{{type: ociArtifact, imageReference: '{PINNED}'}}"))
    res = cd.component.resources[0]
    assert res.relation == "external"
    assert res.access is not None and res.access.to_dict() == {
        "type": "ociArtifact",
        "imageReference": PINNED,
    }
    assert res.digest is not None and res.digest.to_dict() == {
        "hashAlgorithm": "SHA-256",
        "normalisationAlgorithm": "genericBlobDigest/v1",
        "value": "ab" * 32,
    }


def test_an_unreachable_unpinned_image_reference_is_an_error_unless_digests_are_skipped(
    build: Build, ctf: CTFRepository
) -> None:
    resource = access_resource("{type: OCIImage/v1, imageReference: 'ghcr.io/a/b:1'}")
    with pytest.raises(OCMError) as raised:
        build(resource)
    message = str(raised.value)
    assert "resource 'res': image ghcr.io/a/b:1 cannot be pinned to a digest: " in message
    assert "--skip-reference-digest-processing adds it without one" in message
    assert not ctf.has_component_version("acme.org/app", "1.0.0")

    (cd,) = build(resource, skip_digest_processing=True)
    res = cd.component.resources[0]
    assert res.digest is None
    assert res.access is not None and res.access.properties["imageReference"] == "ghcr.io/a/b:1"


def test_digest_given_for_a_pinned_image_must_match(build: Build) -> None:
    digest = (
        ", digest: {hashAlgorithm: SHA-256, normalisationAlgorithm: ociArtifactDigest/v1, "
        "value: VALUE}"
    )
    access = f"{{type: ociImage, imageReference: '{PINNED}'}}"
    with pytest.raises(DigestMismatch):
        build(access_resource(access, digest.replace("VALUE", "cd" * 32)))
    (cd,) = build(access_resource(access, digest.replace("VALUE", "ab" * 32)))
    res_digest = cd.component.resources[0].digest
    assert res_digest is not None
    assert res_digest.normalisation_algorithm == "ociArtifactDigest/v1"  # kept as written


def test_skip_digest_processing_keeps_accesses_as_written(build: Build) -> None:
    (cd,) = build(
        access_resource(f"{{type: ociArtifact, imageReference: '{PINNED}'}}"),
        skip_digest_processing=True,
    )
    assert cd.component.resources[0].digest is None


@pytest.mark.parametrize("access", ["{type: MyCustomAccessType/v1, custom: {deep: [1, 2]}}"])
def test_other_access_types_are_kept_verbatim_without_digest(
    build: Build, caplog: pytest.LogCaptureFixture, access: str
) -> None:
    expected = loads_constructor(access_resource(access), env={}).components[0].resources[0]
    with caplog.at_level(logging.WARNING, "pyocm.constructor"):
        (cd,) = build(access_resource(access))
    res = cd.component.resources[0]
    assert res.access == expected.access
    assert (res.digest, res.relation) == (None, "external")
    assert "no digest processor for access type" in caplog.text


def test_none_access_has_neither_digest_nor_warning(
    build: Build, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, "pyocm.constructor"):
        (cd,) = build(access_resource("{type: none}", ", relation: local"))
    res = cd.component.resources[0]
    assert (res.digest, res.relation) == (None, "local")
    assert caplog.text == ""


def test_sources_are_stored_without_digest_and_warned_about_once(
    workdir: Path, build: Build, caplog: pytest.LogCaptureFixture
) -> None:
    (workdir / "src").mkdir()
    (workdir / "src" / "main.go").write_text("package main\n")
    text = HEAD + (
        "sources:\n"
        "- {name: code, type: filesystem, input: {type: dir, path: src, compress: true}}\n"
        "- {name: repo, type: git, version: 0.9.0, "
        "access: {type: gitHub, repoUrl: github.com/acme/app, commit: abc}}\n"
    )
    with caplog.at_level(logging.WARNING, "pyocm.constructor"):
        (cd,) = build(text)
    code, repo = cd.component.sources
    assert code.version == "1.0.0" and repo.version == "0.9.0"
    assert code.access is not None and code.access.type == "LocalBlob/v1"
    assert code.access.properties["mediaType"] == "application/x-tar+gzip"
    assert repo.access is not None and repo.access.properties["repoUrl"] == "github.com/acme/app"
    assert caplog.text.count("source content is recorded without a digest") == 1


def test_metadata_is_copied_into_the_descriptor(build: Build) -> None:
    (cd,) = build(
        """
name: acme.org/app
version: 1.0.0
creationTime: "2025-03-18T11:47:12Z"
provider:
  name: acme.org
  labels: [{name: contact, value: ops@acme.org}]
labels:
- {name: hello, value: world}
- {name: signed, value: {a: 1}, signing: true, version: v1}
resources:
- name: notes
  type: plainText
  version: 0.0.1
  extraIdentity: {arch: amd64}
  labels: [{name: purpose, value: docs}]
  srcRefs: [{identitySelector: {name: code}}]
  input: {type: utf8, text: hi}
"""
    )
    c = cd.component
    assert c.creation_time == "2025-03-18T11:47:12Z"
    assert c.provider.labels[0].value == "ops@acme.org"
    assert [label.to_dict() for label in c.labels] == [
        {"name": "hello", "value": "world"},
        {"name": "signed", "value": {"a": 1}, "version": "v1", "signing": True},
    ]
    res = c.resources[0]
    assert (res.version, res.extra_identity, res.labels[0].value) == (
        "0.0.1",
        {"arch": "amd64"},
        "docs",
    )
    assert res.src_refs[0].identity_selector == {"name": "code"}
    assert cd.schema_version == "v2"


def test_multi_component_tutorial_with_environment(workdir: Path, ctf: CTFRepository) -> None:
    # cli.md §7.4 step 17: versions come from the environment.
    (workdir / "config.yaml").write_text("db: postgres\n")
    constructor = workdir / "component-constructor.yaml"
    constructor.write_text(
        """
components:
- name: ocm.software/tutorials/frontend
  version: ${FRONTEND_VERSION}
  provider: {name: ocm.software}
  resources:
  - {name: config, type: blob, input: {type: file, path: config.yaml}}
- name: ocm.software/tutorials/platform
  version: 1.0.0
  provider: {name: ocm.software}
  labels: [{name: tier, value: gold, signing: true}]
  componentReferences:
  - {name: frontend, componentName: ocm.software/tutorials/frontend, version: ${FRONTEND_VERSION}}
"""
    )
    frontend, platform = construct(constructor, ctf, env={"FRONTEND_VERSION": "1.5.0"})
    assert frontend.component.version == "1.5.0"
    assert platform.component.references[0].version == "1.5.0"
    assert sorted(ctf.list_component_versions("ocm.software/tutorials/frontend")) == ["1.5.0"]


def test_a_descriptor_that_breaks_the_identity_rules_is_not_stored(
    build: Build, ctf: CTFRepository
) -> None:
    text = HEAD + (
        "resources:\n"
        "- {name: twin, type: t, input: {type: utf8, text: a}}\n"
        "- {name: twin, type: t, input: {type: utf8, text: b}}\n"
    )
    with pytest.raises(OCMError, match=re.escape("component acme.org/app:1.0.0 failed validation")):
        build(text)
    assert not ctf.has_component_version("acme.org/app", "1.0.0")


def test_ownership_policy_always_is_refused(build: Build) -> None:
    with pytest.raises(OCMError, match=r"opts into ownership \(policy 'Always'\)"):
        build(
            access_resource(
                f"{{type: ociArtifact, imageReference: '{PINNED}'}}",
                ", options: {ownershipPolicy: Always}",
            )
        )


def test_a_parsed_spec_resolves_inputs_against_the_given_directory(
    tmp_path: Path, ctf: CTFRepository
) -> None:
    (tmp_path / "notes.txt").write_text("notes")
    spec = loads_constructor(
        HEAD + "resources: [{name: notes, type: t, input: {type: file, path: notes.txt}}]\n", env={}
    )
    (cd,) = construct(spec, ctf, working_directory=tmp_path)
    assert cd.component.resources[0].access is not None


def test_working_directory_must_exist(tmp_path: Path, ctf: CTFRepository) -> None:
    spec = loads_constructor(HEAD, env={})
    with pytest.raises(OCMError, match="is not a directory"):
        construct(spec, ctf, working_directory=tmp_path / "missing")
