"""Several processes writing one directory CTF at once lose nothing."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path
from typing import Any

from pyocm.blob import BytesBlob
from pyocm.descriptor import Component, Descriptor, Provider, Resource
from pyocm.repository import open_repository

WRITERS = 8
VERSIONS = 10


def _content(writer: int, version: int) -> bytes:
    return f"writer {writer} version {version}\n".encode()


def _write(path: str, writer: int, start: Any) -> None:
    start.wait()
    with open_repository(path, mode="create") as repo:
        for version in range(VERSIONS):
            for component in ("acme.org/shared", f"acme.org/writer{writer}"):
                tag = f"{writer}.{version}.0"
                resource = repo.add_local_resource(
                    component,
                    tag,
                    Resource(name="data", version=tag, type="blob"),
                    BytesBlob(_content(writer, version), "text/plain"),
                )
                cd = Descriptor(Component(component, tag, Provider("acme"), resources=[resource]))
                repo.add_component_version(cd)


def test_parallel_writers_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "ctf")
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    processes = [context.Process(target=_write, args=(path, i, start)) for i in range(WRITERS)]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(timeout=300)
    assert [p.exitcode for p in processes] == [0] * WRITERS

    with open_repository(path) as repo:
        writers = sorted(f"acme.org/writer{i}" for i in range(WRITERS))
        expected_components = ["acme.org/shared", *writers]
        assert repo.list_components() == expected_components
        shared = repo.list_component_versions("acme.org/shared")
        assert sorted(shared) == sorted(
            f"{i}.{v}.0" for i in range(WRITERS) for v in range(VERSIONS)
        )
        assert len(repo.artifacts()) == 2 * WRITERS * VERSIONS
        for writer in range(WRITERS):
            assert len(repo.list_component_versions(f"acme.org/writer{writer}")) == VERSIONS
            for version in range(VERSIONS):
                cd = repo.get_component_version("acme.org/shared", f"{writer}.{version}.0")
                access = cd.component.resources[0].access
                assert access is not None
                with repo.get_local_blob(
                    "acme.org/shared", cd.component.version, access
                ).open() as f:
                    assert f.read() == _content(writer, version)


def test_threads_sharing_one_repository_lose_nothing(tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def add(repo: Any, writer: int) -> None:
        try:
            for version in range(VERSIONS):
                tag = f"{writer}.{version}.0"
                resource = repo.add_local_resource(
                    "acme.org/threads",
                    tag,
                    Resource(name="data", version=tag, type="blob"),
                    BytesBlob(_content(writer, version), "text/plain"),
                )
                cd = Descriptor(
                    Component("acme.org/threads", tag, Provider("acme"), resources=[resource])
                )
                repo.add_component_version(cd)
                repo.list_component_versions("acme.org/threads")
        except BaseException as e:  # collected and reported by the test
            errors.append(e)

    with open_repository(str(tmp_path / "ctf"), mode="create") as repo:
        threads = [threading.Thread(target=add, args=(repo, i)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len(repo.list_component_versions("acme.org/threads")) == 4 * VERSIONS
