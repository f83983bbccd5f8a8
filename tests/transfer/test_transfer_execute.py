"""Executing transfer plans: copies equal to the source, concurrency, events, signatures,
digest checks, failures that leave nothing half-written, and re-runs."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from transfertools import add_version, product_ctf, snapshot

from pyocm.access import HANDLERS
from pyocm.access.base import BaseAccessHandler
from pyocm.access.context import AccessContext
from pyocm.access.oci_artifact import ARTIFACT
from pyocm.blob import Blob, BytesBlob
from pyocm.descriptor import Descriptor, Resource, Source
from pyocm.descriptor.model import AccessSpec, Digest
from pyocm.errors import DigestMismatch
from pyocm.repository import Repository, open_repository
from pyocm.signing import sign_component_version, verify_component_version
from pyocm.transfer import (
    Event,
    TransferFailed,
    TransferOptions,
    execute_plan,
    plan_transfer,
)

PRODUCT = ("acme.org/product", "1.0.0")
RECURSIVE = TransferOptions(recursive=True)


def _transfer(
    src: Path,
    dst: Path,
    options: TransferOptions = RECURSIVE,
    *,
    roots: list[tuple[str, str]] | None = None,
    concurrency: int = 4,
    observer: object = None,
) -> tuple[str, ...]:
    with (
        open_repository(str(src)) as source,
        open_repository(str(dst), mode="create") as target,
    ):
        plan = plan_transfer(source, target, roots or [PRODUCT], options)
        result = execute_plan(
            plan,
            source,
            target,
            concurrency=concurrency,
            observer=observer,  # type: ignore[arg-type]
        )
    return tuple(f"{c}:{v}" for c, v in result.transferred)


def _blob_file(ctf: Path, data: bytes) -> Path:
    return ctf / "blobs" / f"sha256.{hashlib.sha256(data).hexdigest()}"


def test_a_recursive_transfer_copies_descriptors_and_blobs_unchanged(tmp_path: Path) -> None:
    src = product_ctf(tmp_path / "src")
    transferred = _transfer(src, tmp_path / "dst")
    assert sorted(transferred) == [
        "acme.org/app:1.0.0",
        "acme.org/base:1.0.0",
        "acme.org/db:1.0.0",
        "acme.org/product:1.0.0",
    ]
    copied = snapshot(tmp_path / "dst")
    assert copied == snapshot(src)
    assert copied[PRODUCT][1] == {
        "manifest": b"kind: Deployment\n",
        "notes": b"release notes\n",
        "repo": b"source tarball\n",
    }


def test_concurrency_one_and_four_give_identical_targets(tmp_path: Path) -> None:
    src = product_ctf(tmp_path / "src")
    _transfer(src, tmp_path / "one", concurrency=1)
    _transfer(src, tmp_path / "four", concurrency=4)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "four") == snapshot(src)
    assert sorted(os.listdir(tmp_path / "one" / "blobs")) == sorted(
        os.listdir(tmp_path / "four" / "blobs")
    )


def test_concurrency_one_runs_one_step_at_a_time_children_first(tmp_path: Path) -> None:
    src = product_ctf(tmp_path / "src")
    events: list[Event] = []
    _transfer(src, tmp_path / "dst", concurrency=1, observer=events.append)
    steps = [(e.type, str(e.item)) for e in events if e.type in ("started", "finished")]
    # Every step finishes before the next one starts.
    assert [kind for kind, _ in steps] == ["started", "finished"] * (len(steps) // 2)
    assert all(steps[i][1] == steps[i + 1][1] for i in range(0, len(steps), 2))
    versions = [item for kind, item in steps if kind == "finished" and " " not in item]
    assert versions.index("acme.org/base:1.0.0") < versions.index("acme.org/app:1.0.0")
    assert versions.index("acme.org/base:1.0.0") < versions.index("acme.org/db:1.0.0")
    assert versions[-1] == "acme.org/product:1.0.0"
    # A version's blobs land right before it.
    assert [item for _, item in steps[-8:]][::2] == [
        "acme.org/product:1.0.0 resource 'manifest'",
        "acme.org/product:1.0.0 resource 'notes'",
        "acme.org/product:1.0.0 source 'repo'",
        "acme.org/product:1.0.0",
    ]


def test_events_report_every_byte_and_each_version_after_its_blobs(tmp_path: Path) -> None:
    src = product_ctf(tmp_path / "src")
    events: list[Event] = []
    _transfer(src, tmp_path / "dst", observer=events.append)
    moved: dict[str, int] = {}
    for event in events:
        if event.type == "progressed":
            moved[str(event.item)] = moved.get(str(event.item), 0) + event.bytes
    finished = {str(e.item): e for e in events if e.type == "finished"}
    assert moved["acme.org/product:1.0.0 resource 'notes'"] == len(b"release notes\n")
    assert finished["acme.org/product:1.0.0 resource 'notes'"].bytes == len(b"release notes\n")
    assert finished["acme.org/product:1.0.0 resource 'notes'"].size == len(b"release notes\n")
    order = [str(e.item) for e in events if e.type == "finished"]
    for blob in ("resource 'manifest'", "resource 'notes'", "source 'repo'"):
        assert order.index(f"acme.org/product:1.0.0 {blob}") < order.index("acme.org/product:1.0.0")
    assert len(finished) == 4 + 6  # four versions, six blobs


def test_signatures_are_copied_verbatim_and_still_verify(tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    src = product_ctf(tmp_path / "src")
    with open_repository(str(src), mode="rw") as repo:
        product = repo.get_component_version(*PRODUCT)
        sign_component_version(product, key, name="acme")
        repo.add_component_version(product, replace=True)
    _transfer(src, tmp_path / "dst")
    with open_repository(str(tmp_path / "dst")) as target:
        copied = target.get_component_version(*PRODUCT)
    assert [s.to_dict() for s in copied.signatures] == [s.to_dict() for s in product.signatures]
    assert [s.name for s in verify_component_version(copied, key.public_key())] == ["acme"]


def test_an_archive_target_is_written_on_close(tmp_path: Path) -> None:
    src = product_ctf(tmp_path / "src")
    _transfer(src, tmp_path / "dst.tgz")
    assert (tmp_path / "dst.tgz").read_bytes()[:2] == b"\x1f\x8b"
    assert snapshot(tmp_path / "dst.tgz") == snapshot(src)


def test_a_rerun_skips_what_arrived(tmp_path: Path) -> None:
    src = product_ctf(tmp_path / "src")
    _transfer(src, tmp_path / "dst")
    events: list[Event] = []
    assert _transfer(src, tmp_path / "dst", observer=events.append) == ()
    assert sorted(str(e.item) for e in events) == [
        "acme.org/app:1.0.0",
        "acme.org/base:1.0.0",
        "acme.org/db:1.0.0",
        "acme.org/product:1.0.0",
    ]
    assert {e.type for e in events} == {"skipped"}


def test_replace_writes_existing_versions_again(tmp_path: Path) -> None:
    src = product_ctf(tmp_path / "src")
    dst = tmp_path / "dst"
    _transfer(src, dst)
    with open_repository(str(dst), mode="rw") as target:
        db = target.get_component_version("acme.org/db", "1.0.0")
        db.component.provider.name = "tampered"
        target.add_component_version(db, replace=True)
    replace = TransferOptions(recursive=True, conflict_policy="replace")
    assert len(_transfer(src, dst, replace)) == 4
    assert snapshot(dst) == snapshot(src)


@pytest.mark.parametrize("concurrency", [1, 4])
def test_a_failing_step_leaves_no_half_written_version_and_a_rerun_completes(
    tmp_path: Path, concurrency: int
) -> None:
    src = product_ctf(tmp_path / "src")
    dst = tmp_path / "dst"
    finished: list[str] = []

    def stop_after_three_blobs(event: Event) -> None:
        if event.type == "finished" and event.item.kind != "componentVersion":
            finished.append(str(event.item))
        if event.type == "progressed" and len(finished) >= 3:
            raise RuntimeError("connection lost")

    with pytest.raises(TransferFailed, match="connection lost"):
        _transfer(src, dst, concurrency=concurrency, observer=stop_after_three_blobs)
    partial = snapshot(dst)
    assert PRODUCT not in partial
    source = snapshot(src)
    for key, copied in partial.items():  # what is there is complete
        assert copied == source[key]
    with open_repository(str(dst)) as target:
        for parent, child in [
            (PRODUCT, ("acme.org/app", "1.0.0")),
            (PRODUCT, ("acme.org/db", "1.0.0")),
        ]:
            if not target.has_component_version(*child):
                assert not target.has_component_version(*parent)

    transferred = _transfer(src, dst, concurrency=concurrency)
    assert set(transferred) == {f"{c}:{v}" for c, v in source} - {f"{c}:{v}" for c, v in partial}
    assert snapshot(dst) == source


def test_a_corrupted_source_blob_fails_its_version_and_the_parents(tmp_path: Path) -> None:
    src = product_ctf(tmp_path / "src")
    dst = tmp_path / "dst"
    blob = _blob_file(src, b"app binary\n")
    blob.chmod(0o644)
    blob.write_bytes(b"app b1nary\n")
    with pytest.raises(
        TransferFailed, match=r"acme\.org/app:1\.0\.0 resource 'bin'.*digest mismatch"
    ) as failed:
        _transfer(src, dst, concurrency=1)
    assert isinstance(failed.value.__cause__, DigestMismatch)
    partial = snapshot(dst)
    assert ("acme.org/app", "1.0.0") not in partial
    assert PRODUCT not in partial
    assert ("acme.org/base", "1.0.0") in partial  # a child that landed before the failure

    blob.write_bytes(b"app binary\n")
    _transfer(src, dst)
    assert snapshot(dst) == snapshot(src)


def test_a_resource_digest_of_another_hash_is_checked_while_streaming(tmp_path: Path) -> None:
    src = tmp_path / "src"
    content = b"checked content\n"
    with open_repository(str(src), mode="create") as repo:
        for version, value in (
            ("1.0.0", hashlib.sha512(content).hexdigest()),
            ("2.0.0", hashlib.sha512(b"something else").hexdigest()),
        ):
            descriptor = add_version(repo, "acme.org/app", version, files={"data": content})
            descriptor.component.resources[0].digest = Digest(
                "SHA-512", "genericBlobDigest/v1", value
            )
            repo.add_component_version(descriptor, replace=True)
    good = [("acme.org/app", "1.0.0")]
    assert _transfer(src, tmp_path / "dst", TransferOptions(), roots=good) == (
        "acme.org/app:1.0.0",
    )
    with pytest.raises(TransferFailed, match=r"resource 'data'.*digest mismatch") as failed:
        _transfer(src, tmp_path / "other", TransferOptions(), roots=[("acme.org/app", "2.0.0")])
    assert isinstance(failed.value.__cause__, DigestMismatch)
    assert failed.value.__cause__.expected == hashlib.sha512(b"something else").hexdigest()


def test_a_recorded_sha256_that_contradicts_the_blob_fails_before_copying(tmp_path: Path) -> None:
    src = tmp_path / "src"
    with open_repository(str(src), mode="create") as repo:
        descriptor = add_version(repo, "acme.org/app", "1.0.0", files={"data": b"x"})
        descriptor.component.resources[0].digest = Digest(
            "SHA-256", "genericBlobDigest/v1", hashlib.sha256(b"y").hexdigest()
        )
        repo.add_component_version(descriptor, replace=True)
    events: list[Event] = []
    with pytest.raises(TransferFailed, match="digest mismatch for resource 'data'"):
        _transfer(
            src,
            tmp_path / "dst",
            TransferOptions(),
            roots=[("acme.org/app", "1.0.0")],
            observer=events.append,
        )
    assert [e.type for e in events] == ["started", "failed"]  # not a byte read
    assert not _blob_file(tmp_path / "dst", b"x").exists()


class _Served(BaseAccessHandler):
    def open(
        self,
        repository: Repository,
        descriptor: Descriptor,
        element: Resource | Source,
        context: AccessContext,
    ) -> Blob:
        return BytesBlob(b"fetched from afar\n", "application/x-tar")


class _ServedImage(_Served):
    """Serves fixed bytes for an image, naming its copy as the image access type does."""

    def reference_name(self, element: Resource | Source) -> str:
        return ARTIFACT.reference_name(element)


def test_copy_resources_localises_fetchable_remote_resources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(HANDLERS, "testRemote/v1", _Served())
    monkeypatch.setitem(HANDLERS, "OCIImage/v1", _ServedImage())
    src = tmp_path / "src"
    remote = {
        "file": AccessSpec("testRemote/v1", {"url": "https://example.org/f"}),
        "image": AccessSpec(
            "OCIImage/v1", {"imageReference": "ghcr.io/acme/app:1.0@sha256:" + "ab" * 32}
        ),
    }
    with open_repository(str(src), mode="create") as repo:
        add_version(repo, "acme.org/app", "1.0.0", remote=remote)
    root = [("acme.org/app", "1.0.0")]
    _transfer(src, tmp_path / "dst", TransferOptions(copy_resources=True), roots=root)
    with open_repository(str(tmp_path / "dst")) as target:
        copied = target.get_component_version("acme.org/app", "1.0.0")
        for resource in copied.component.resources:
            assert resource.access is not None
            with target.get_local_blob("acme.org/app", "1.0.0", resource.access).open() as f:
                assert f.read() == b"fetched from afar\n"
    file, image = copied.component.resources
    assert file.access is not None and image.access is not None
    assert file.access.properties["mediaType"] == "application/x-tar"
    assert "referenceName" not in file.access.properties
    # As Go v2 names an OCI image copied into a local blob (cli.md §4.2).
    assert image.access.properties["referenceName"] == "acme/app:1.0"


def test_without_copy_resources_remote_resources_keep_their_access(tmp_path: Path) -> None:
    src = tmp_path / "src"
    access = AccessSpec("ociArtifact", {"imageReference": "ghcr.io/acme/app:1.0"})
    with open_repository(str(src), mode="create") as repo:
        add_version(repo, "acme.org/app", "1.0.0", files={"f": b"1"}, remote={"image": access})
    _transfer(src, tmp_path / "dst", TransferOptions(), roots=[("acme.org/app", "1.0.0")])
    assert snapshot(tmp_path / "dst") == snapshot(src)
