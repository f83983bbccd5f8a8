"""Planning transfers: discovery, version selection, pinned reference digests, cycles, the
per-element copy decisions and the conflict policies."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from transfertools import add_version, product_ctf

from pyocm.access import HANDLERS
from pyocm.access.base import BaseAccessHandler
from pyocm.access.context import AccessContext
from pyocm.blob import Blob, BytesBlob
from pyocm.descriptor import Descriptor, Resource, Source
from pyocm.descriptor.model import AccessSpec
from pyocm.errors import DigestMismatch, NotFound, OCMError
from pyocm.repository import Repository, open_repository
from pyocm.transfer import (
    PLAN_TYPE,
    TransferOptions,
    plan_transfer,
    select_versions,
)

PRODUCT = ("acme.org/product", "1.0.0")


class _FakeRemote(BaseAccessHandler):
    """An access handler serving fixed bytes, standing in for a fetchable remote type."""

    def open(
        self,
        repository: Repository,
        descriptor: Descriptor,
        element: Resource | Source,
        context: AccessContext,
    ) -> Blob:
        return BytesBlob(b"remote content\n", "application/octet-stream")


@contextmanager
def _opened(*paths: Path) -> Iterator[list[Repository]]:
    repos = [open_repository(str(p), mode="create") for p in paths]
    try:
        yield repos
    finally:
        for repo in repos:
            repo.close()


def test_recursive_discovery_lists_every_version_once_children_first(tmp_path: Path) -> None:
    with _opened(product_ctf(tmp_path / "src")) as (src,):
        plan = plan_transfer(src, None, [PRODUCT], TransferOptions(recursive=True))
    keys = [v.key for v in plan.versions]
    assert sorted(keys) == [
        ("acme.org/app", "1.0.0"),
        ("acme.org/base", "1.0.0"),
        ("acme.org/db", "1.0.0"),
        ("acme.org/product", "1.0.0"),
    ]
    position = {key: i for i, key in enumerate(keys)}
    assert position[("acme.org/base", "1.0.0")] < position[("acme.org/app", "1.0.0")]
    assert position[("acme.org/base", "1.0.0")] < position[("acme.org/db", "1.0.0")]
    assert keys[-1] == PRODUCT
    assert plan.versions[-1].references == (("acme.org/app", "1.0.0"), ("acme.org/db", "1.0.0"))
    assert all(v.action == "add" for v in plan.versions)


def test_without_recursion_only_the_root_is_planned(tmp_path: Path) -> None:
    with _opened(product_ctf(tmp_path / "src")) as (src,):
        plan = plan_transfer(src, None, [PRODUCT], TransferOptions())
    assert [v.key for v in plan.versions] == [PRODUCT]
    assert plan.versions[0].references == ()


def test_a_missing_referenced_version_fails_the_plan(tmp_path: Path) -> None:
    with _opened(tmp_path / "src") as (src,):
        add_version(src, "acme.org/app", "1.0.0", refs=[("acme.org/gone", "1.0.0")], pin=False)
        with pytest.raises(NotFound, match=r"acme\.org/gone:1\.0\.0 not found"):
            plan_transfer(src, None, [("acme.org/app", "1.0.0")], TransferOptions(recursive=True))


@pytest.fixture
def versions_ctf(tmp_path: Path) -> Path:
    with _opened(tmp_path / "versions") as (repo,):
        for version in ("1.0.0", "2.0.0", "1.1.0", "nightly"):
            add_version(repo, "acme.org/app", version, files={"f": version.encode()})
    return tmp_path / "versions"


def test_all_versions_are_selected_highest_first_with_non_semver_last(
    versions_ctf: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with _opened(versions_ctf) as (repo,), caplog.at_level(logging.WARNING, "pyocm.transfer"):
        chosen = select_versions(repo, "acme.org/app")
    assert chosen == ["2.0.0", "1.1.0", "1.0.0", "nightly"]
    assert "no semantic version" in caplog.text


def test_constraint_and_latest_select_versions(versions_ctf: Path) -> None:
    with _opened(versions_ctf) as (repo,):
        assert select_versions(repo, "acme.org/app", "< 2.0.0") == ["1.1.0", "1.0.0"]
        assert select_versions(repo, "acme.org/app", latest=True) == ["2.0.0"]
        assert select_versions(repo, "acme.org/app", "< 2.0.0", latest=True) == ["1.1.0"]
        with pytest.raises(
            NotFound,
            match=r'no versions found for component "acme\.org/app" '
            r'matching constraint "> 3"',
        ):
            select_versions(repo, "acme.org/app", "> 3")
        with pytest.raises(OCMError, match="invalid-constraint"):
            select_versions(repo, "acme.org/app", "invalid-constraint")


def test_a_child_that_does_not_match_its_pinned_digest_fails_the_plan(tmp_path: Path) -> None:
    with _opened(tmp_path / "src") as (src,):
        add_version(src, "acme.org/db", "1.0.0", files={"schema": b"v1"})
        add_version(src, "acme.org/app", "1.0.0", refs=[("acme.org/db", "1.0.0")])
        # The child changes after the parent pinned its digest.
        descriptor = src.get_component_version("acme.org/db", "1.0.0")
        descriptor.component.labels = []
        descriptor.component.provider.name = "someone-else"
        src.add_component_version(descriptor, replace=True)
        root = [("acme.org/app", "1.0.0")]
        with pytest.raises(DigestMismatch, match=r"component reference 'db' of acme\.org/app"):
            plan_transfer(src, None, root, TransferOptions(recursive=True))
        # Without recursion the child is not read, so its digest is not checked.
        assert len(plan_transfer(src, None, root, TransferOptions()).versions) == 1


def test_unpinned_references_are_followed_without_a_check(tmp_path: Path) -> None:
    with _opened(tmp_path / "src") as (src,):
        add_version(src, "acme.org/db", "1.0.0")
        add_version(src, "acme.org/app", "1.0.0", refs=[("acme.org/db", "1.0.0")], pin=False)
        plan = plan_transfer(
            src, None, [("acme.org/app", "1.0.0")], TransferOptions(recursive=True)
        )
    assert [v.component for v in plan.versions] == ["acme.org/db", "acme.org/app"]


def test_pinned_digests_are_checked_for_every_parent(tmp_path: Path) -> None:
    with _opened(tmp_path / "src") as (src,):
        add_version(src, "acme.org/base", "1.0.0", files={"lib": b"1"})
        add_version(src, "acme.org/app", "1.0.0", refs=[("acme.org/base", "1.0.0")])
        base = src.get_component_version("acme.org/base", "1.0.0")
        base.component.provider.name = "changed"
        src.add_component_version(base, replace=True)
        # db pins the changed base, app the original one: app's pin must still fail.
        add_version(src, "acme.org/db", "1.0.0", refs=[("acme.org/base", "1.0.0")])
        add_version(
            src,
            "acme.org/product",
            "1.0.0",
            refs=[("acme.org/db", "1.0.0"), ("acme.org/app", "1.0.0")],
            pin=False,
        )
        with pytest.raises(DigestMismatch, match=r"'base' of acme\.org/app:1\.0\.0"):
            plan_transfer(src, None, [PRODUCT], TransferOptions(recursive=True))


def test_reference_cycles_are_an_error_naming_the_cycle(tmp_path: Path) -> None:
    with _opened(tmp_path / "src") as (src,):
        add_version(src, "acme.org/a", "1.0.0", refs=[("acme.org/b", "1.0.0")], pin=False)
        add_version(src, "acme.org/b", "1.0.0", refs=[("acme.org/a", "1.0.0")], pin=False)
        add_version(src, "acme.org/self", "1.0.0", refs=[("acme.org/self", "1.0.0")], pin=False)
        recursive = TransferOptions(recursive=True)
        with pytest.raises(
            OCMError,
            match=r"cycle: acme\.org/a:1\.0\.0 -> acme\.org/b:1\.0\.0 -> acme\.org/a:1\.0\.0$",
        ):
            plan_transfer(src, None, [("acme.org/a", "1.0.0")], recursive)
        with pytest.raises(OCMError, match=r"cycle: acme\.org/self:1\.0\.0 -> acme\.org/self"):
            plan_transfer(src, None, [("acme.org/self", "1.0.0")], recursive)


def test_local_blobs_are_copied_and_remote_accesses_kept_by_default(tmp_path: Path) -> None:
    with _opened(tmp_path / "src") as (src,):
        add_version(
            src,
            "acme.org/app",
            "1.0.0",
            files={"readme": b"hi"},
            sources={"git": b"tarball"},
            remote={
                "image": AccessSpec("ociArtifact", {"imageReference": "ghcr.io/acme/app:1.0"}),
                "nothing": AccessSpec("none"),
            },
        )
        plan = plan_transfer(src, None, [("acme.org/app", "1.0.0")], TransferOptions())
    copies = {e.identity["name"]: (e.kind, e.copy) for e in plan.versions[0].elements}
    assert copies == {
        "readme": ("resource", "byValue"),
        "image": ("resource", "byReference"),
        "nothing": ("resource", "byReference"),
        "git": ("source", "byValue"),
    }
    notes = {e.identity["name"]: e.note for e in plan.versions[0].elements}
    assert "--copy-resources" in notes["image"]
    assert notes["nothing"] == "no content"
    assert plan.blob_count() == 2


def test_copy_resources_refuses_content_it_cannot_fetch_naming_each_resource(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(HANDLERS, "testRemote/v1", _FakeRemote())
    with _opened(tmp_path / "src") as (src,):
        add_version(
            src,
            "acme.org/app",
            "1.0.0",
            remote={
                "fetchable": AccessSpec("testRemote/v1", {"url": "x"}),
                "image": AccessSpec("OCIImage/v1", {"imageReference": "ghcr.io/acme/app:1.0"}),
                "odd": AccessSpec("someOddType/v1"),
                "nothing": AccessSpec("none"),
            },
        )
        with pytest.raises(OCMError) as raised:
            plan_transfer(
                src, None, [("acme.org/app", "1.0.0")], TransferOptions(copy_resources=True)
            )
    message = str(raised.value)
    assert message.startswith("--copy-resources cannot copy 2 resources: ")
    assert "resource 'image' of acme.org/app:1.0.0 (" in message
    assert "ghcr.io" in message
    assert (
        "resource 'odd' of acme.org/app:1.0.0 (pyocm cannot fetch access type 'someOddType/v1')"
        in message
    )
    assert "'fetchable'" not in message and "'nothing'" not in message
    assert message.endswith("(--allow-by-reference keeps such resources by reference)")


def test_allow_by_reference_keeps_what_cannot_be_fetched_with_a_warning_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(HANDLERS, "testRemote/v1", _FakeRemote())
    with _opened(tmp_path / "src") as (src,):
        add_version(
            src,
            "acme.org/app",
            "1.0.0",
            remote={
                "fetchable": AccessSpec("testRemote/v1", {"url": "x"}),
                "image": AccessSpec("OCIImage/v1", {"imageReference": "ghcr.io/acme/app:1.0"}),
                "odd": AccessSpec("someOddType/v1"),
            },
        )
        options = TransferOptions(copy_resources=True, allow_by_reference=True)
        with caplog.at_level(logging.INFO, "pyocm.transfer"):
            plan = plan_transfer(src, None, [("acme.org/app", "1.0.0")], options)
    elements = {e.identity["name"]: e for e in plan.versions[0].elements}
    assert {name: e.copy for name, e in elements.items()} == {
        "fetchable": "byValue",
        "image": "byReference",
        "odd": "byReference",
    }
    assert {name: e.unfetchable for name, e in elements.items()} == {
        "fetchable": False,
        "image": True,
        "odd": True,
    }
    by_name = {getattr(r, "resource", ""): r.levelname for r in caplog.records}
    assert by_name == {
        "resource 'image' of acme.org/app:1.0.0": "WARNING",
        "resource 'odd' of acme.org/app:1.0.0": "WARNING",
    }


def test_sources_with_remote_accesses_stay_by_reference_even_with_copy_resources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(HANDLERS, "testRemote/v1", _FakeRemote())
    with _opened(tmp_path / "src") as (src,):
        descriptor = add_version(src, "acme.org/app", "1.0.0")
        descriptor.component.sources.append(
            Source(name="git", version="1", type="git", access=AccessSpec("testRemote/v1"))
        )
        src.add_component_version(descriptor, replace=True)
        plan = plan_transfer(
            src, None, [("acme.org/app", "1.0.0")], TransferOptions(copy_resources=True)
        )
    (element,) = plan.versions[0].elements
    assert (element.kind, element.copy) == ("source", "byReference")


def test_up_to_date_versions_are_skipped_and_changed_ones_abort(tmp_path: Path) -> None:
    with _opened(product_ctf(tmp_path / "src"), product_ctf(tmp_path / "dst")) as (src, dst):
        plan = plan_transfer(src, dst, [PRODUCT], TransferOptions(recursive=True))
        assert {v.action for v in plan.versions} == {"skip"}
        assert {v.reason for v in plan.versions} == {"exists in target, up to date"}

        changed = dst.get_component_version("acme.org/db", "1.0.0")
        changed.component.provider.name = "tampered"
        dst.add_component_version(changed, replace=True)
        with pytest.raises(
            OCMError,
            match=r"component version acme\.org/db:1\.0\.0 already exists in target repository "
            r"and differs from the source .*--component-version-conflict-policy",
        ):
            plan_transfer(src, dst, [PRODUCT], TransferOptions(recursive=True))

        skip = plan_transfer(src, dst, [PRODUCT], TransferOptions(True, conflict_policy="skip"))
        assert {v.action for v in skip.versions} == {"skip"}
        db = next(v for v in skip.versions if v.component == "acme.org/db")
        assert db.reason.startswith("exists in target and differs")

        replace = plan_transfer(
            src, dst, [PRODUCT], TransferOptions(True, conflict_policy="replace")
        )
        assert {v.action for v in replace.versions} == {"replace"}


def test_a_missing_signature_in_the_target_is_a_difference(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    from pyocm.signing import sign_component_version

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with _opened(tmp_path / "src", tmp_path / "dst") as (src, dst):
        for repo in (src, dst):
            add_version(repo, "acme.org/app", "1.0.0", files={"f": b"x"})
        signed = src.get_component_version("acme.org/app", "1.0.0")
        sign_component_version(signed, key, name="acme")
        src.add_component_version(signed, replace=True)
        with pytest.raises(OCMError, match=r"differs from the source \(signature 'acme'\)"):
            plan_transfer(src, dst, [("acme.org/app", "1.0.0")], TransferOptions())


def test_a_target_holding_by_reference_what_would_be_copied_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(HANDLERS, "testRemote/v1", _FakeRemote())
    remote = {"blob": AccessSpec("testRemote/v1", {"url": "x"})}
    with _opened(tmp_path / "src", tmp_path / "dst") as (src, dst):
        for repo in (src, dst):
            add_version(repo, "acme.org/app", "1.0.0", remote=remote)
        root = [("acme.org/app", "1.0.0")]
        assert plan_transfer(src, dst, root, TransferOptions()).versions[0].action == "skip"
        with pytest.raises(OCMError, match=r"resource 'blob' is not a local blob there"):
            plan_transfer(src, dst, root, TransferOptions(copy_resources=True))


def test_the_plan_document(tmp_path: Path) -> None:
    with _opened(product_ctf(tmp_path / "src")) as (src,):
        plan = plan_transfer(
            src,
            None,
            [PRODUCT],
            TransferOptions(recursive=True),
            source_name="./src",
            target_name="./dst.tgz",
        )
        product = src.get_component_version(*PRODUCT)
    document = plan.to_dict()
    assert document["type"] == PLAN_TYPE == "transferplan.pyocm.software/v1alpha1"
    assert (document["source"], document["target"]) == ("./src", "./dst.tgz")
    assert document["options"] == {
        "recursive": True,
        "copyResources": False,
        "allowByReference": False,
        "uploadAs": "localBlob",
        "conflictPolicy": "abort-and-fail",
    }
    last = document["componentVersions"][-1]
    assert last["component"] == "acme.org/product"
    assert last["action"] == "add"
    assert last["digest"]["normalisationAlgorithm"] == "jsonNormalisation/v4alpha1"
    assert last["references"] == [
        {"component": "acme.org/app", "version": "1.0.0"},
        {"component": "acme.org/db", "version": "1.0.0"},
    ]
    assert last["resources"][0] == {
        "identity": {"name": "manifest", "version": "1.0.0"},
        "access": product.component.resources[0].access.to_dict(),  # type: ignore[union-attr]
        "copy": "byValue",
    }
    assert [s["identity"]["name"] for s in last["sources"]] == ["repo"]


def test_invalid_options_are_refused() -> None:
    with pytest.raises(OCMError, match="invalid conflict policy 'overwrite'"):
        TransferOptions(conflict_policy="overwrite")
    with pytest.raises(OCMError, match="invalid upload type 'tar'"):
        TransferOptions(upload_as="tar")
