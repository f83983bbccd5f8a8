"""A new access type is one handler registered in one place: a transfer asks it, by value,
what its copy is (its content, converted or not, and its ``referenceName``) and whether that
copy is an OCI artifact, and names no type itself."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from pyocm.access import HANDLERS
from pyocm.access.base import BaseAccessHandler, CopyForm
from pyocm.access.context import AccessContext
from pyocm.blob import Blob, BytesBlob
from pyocm.descriptor import Component, Descriptor, Provider, Resource
from pyocm.descriptor.model import AccessSpec, Source
from pyocm.repository import Repository, open_repository
from pyocm.transfer import TransferOptions, execute_plan, plan_transfer

APP = ("acme.org/app", "1.0.0")
NOTES = "testNotes/v1"
"""A type only this test knows: its content is the access's ``text``."""


class _Notes(BaseAccessHandler):
    """Remote notes; a copy is the text upper-cased, named ``notes/<resource>:<version>``."""

    def __init__(self, *, uploadable: bool = False) -> None:
        self.opened: list[str] = []
        self._uploadable = uploadable

    def open(
        self,
        repository: Repository,
        descriptor: Descriptor,
        element: Resource | Source,
        context: AccessContext,
    ) -> Blob:
        assert element.access is not None
        self.opened.append(element.name)
        return BytesBlob(str(element.access.properties["text"]).encode(), "text/plain")

    def uploadable(self, element: Resource) -> bool:
        return self._uploadable

    def copy_form(self, element: Resource | Source, blob: Blob) -> AbstractContextManager[CopyForm]:
        return self._upper(element, blob)

    @contextmanager
    def _upper(self, element: Resource | Source, blob: Blob) -> Iterator[CopyForm]:
        with blob.open() as stream:
            converted = BytesBlob(stream.read().upper(), "text/x-shouted")
        held = replace(element, digest=None) if isinstance(element, Resource) else element
        yield CopyForm(converted, held, f"notes/{element.name}:{element.version}")


def _source(path: Path) -> Repository:
    repo = open_repository(str(path), mode="create")
    notes = Resource(
        name="notes",
        version="1.0.0",
        type="plainText",
        relation="external",
        access=AccessSpec(NOTES, {"text": "hello"}),
    )
    repo.add_component_version(Descriptor(Component(*APP, Provider("acme.org"), resources=[notes])))
    return repo


def test_a_registered_access_type_is_copied_in_the_form_its_handler_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = _Notes()
    monkeypatch.setitem(HANDLERS, NOTES, handler)
    with (
        _source(tmp_path / "src") as source,
        open_repository(str(tmp_path / "dst"), mode="create") as target,
    ):
        plan = plan_transfer(source, target, [APP], TransferOptions(copy_resources=True))
        (element,) = plan.versions[0].elements
        assert (element.copy, element.upload) == ("byValue", "localBlob")
        execute_plan(plan, source, target)
        copied = target.get_component_version(*APP).component.resources[0]
        assert copied.access is not None
        assert copied.access.properties["referenceName"] == "notes/notes:1.0.0"
        assert copied.access.properties["mediaType"] == "text/x-shouted"
        with target.get_local_blob(*APP, copied.access).open() as stream:
            assert stream.read() == b"HELLO"
    assert handler.opened  # the plan and the copy asked the handler to open the notes


def test_without_copy_resources_a_remote_access_type_is_kept_by_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(HANDLERS, NOTES, _Notes())
    with (
        _source(tmp_path / "src") as source,
        open_repository(str(tmp_path / "dst"), mode="create") as target,
    ):
        plan = plan_transfer(source, target, [APP], TransferOptions())
        execute_plan(plan, source, target)
        copied = target.get_component_version(*APP).component.resources[0]
        assert copied.access == AccessSpec(NOTES, {"text": "hello"})


def test_a_handler_that_calls_its_copy_an_artifact_is_planned_for_upload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(HANDLERS, NOTES, _Notes(uploadable=True))
    options = TransferOptions(copy_resources=True, upload_as="ociArtifact")
    with _source(tmp_path / "src") as source:
        plan = plan_transfer(source, None, [APP], options)
    (element,) = plan.versions[0].elements
    assert (element.copy, element.upload) == ("byValue", "ociArtifact")
