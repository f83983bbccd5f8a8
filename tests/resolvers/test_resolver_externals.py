"""Constructor references to component versions outside the file, found through resolvers
and, on request, copied into the target with their local blobs."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from resolvertools import add_version

from pyocm.blob import BytesBlob
from pyocm.config.merge import Resolver
from pyocm.constructor import construct, loads_constructor
from pyocm.descriptor import Source
from pyocm.digest import component_version_digest
from pyocm.errors import NotFound
from pyocm.repository import CTFSpec, Repository, open_repository
from pyocm.repository.resolvers import ResolvingRepository, resolver_chain

APP = """\
name: acme.org/app
version: 1.0.0
provider: {name: acme.org}
componentReferences:
- {name: lib, componentName: acme.org/lib, version: 1.0.0}
"""


@pytest.fixture
def libs(tmp_path: Path) -> Path:
    """A CTF with acme.org/lib 1.0.0 (a local resource and a local source) referencing
    acme.org/base 1.0.0 (a local resource)."""
    path = tmp_path / "libs"
    with open_repository(str(path), mode="create") as repo:
        base = add_version(repo, "acme.org/base", "1.0.0", files={"core": b"base core\n"})
        source = repo.add_local_source(
            "acme.org/lib",
            "1.0.0",
            Source(name="src", version="1.0.0", type="git"),
            BytesBlob(b"lib sources\n"),
        )
        lib = add_version(
            repo,
            "acme.org/lib",
            "1.0.0",
            files={"so": b"lib shared object\n"},
            refs=[("acme.org/base", "1.0.0", base)],
        )
        lib.component.sources = [source]
        repo.add_component_version(lib, replace=True)
    return path


def _read(repo_path: Path, name: str) -> dict[str, bytes]:
    with open_repository(str(repo_path)) as repo:
        descriptor = repo.get_component_version(name, "1.0.0")
        out = {}
        for element in [*descriptor.component.resources, *descriptor.component.sources]:
            assert element.access is not None
            with repo.get_local_blob(name, "1.0.0", element.access).open() as f:
                out[element.name] = f.read()
        return out


def _chain(target_path: Path, target: Repository, libs: Path) -> ResolvingRepository:
    return resolver_chain(
        CTFSpec(str(target_path)),
        opener=open_repository,
        base_repository=target,
        configured=[Resolver({"type": "CTF", "filePath": str(libs)}, "acme.org/{lib,base}")],
    )


def test_external_references_are_read_through_the_resolvers(tmp_path: Path, libs: Path) -> None:
    target_path = tmp_path / "target"
    with (
        open_repository(str(target_path), mode="create") as target,
        _chain(target_path, target, libs) as chain,
    ):
        (app,) = construct(loads_constructor(APP), target, resolver=chain)
        lib = chain.get_component_version("acme.org/lib", "1.0.0")
    assert app.component.references[0].digest == component_version_digest(lib)
    with open_repository(str(target_path)) as target:
        assert target.list_components() == ["acme.org/app"]


def test_copy_external_copies_the_closure_with_local_blobs(tmp_path: Path, libs: Path) -> None:
    target_path = tmp_path / "target"
    with (
        open_repository(str(target_path), mode="create") as target,
        _chain(target_path, target, libs) as chain,
    ):
        construct(loads_constructor(APP), target, resolver=chain, copy_external=True)
    with open_repository(str(target_path)) as target, open_repository(str(libs)) as source:
        assert target.list_components() == ["acme.org/app", "acme.org/base", "acme.org/lib"]
        for name in ("acme.org/lib", "acme.org/base"):
            copied = target.get_component_version(name, "1.0.0")
            original = source.get_component_version(name, "1.0.0")
            assert component_version_digest(copied) == component_version_digest(original)
    assert _read(target_path, "acme.org/lib") == {
        "so": b"lib shared object\n",
        "src": b"lib sources\n",
    }
    assert _read(target_path, "acme.org/base") == {"core": b"base core\n"}


def test_an_external_already_in_the_target_is_not_written_again(
    tmp_path: Path, libs: Path, caplog: pytest.LogCaptureFixture
) -> None:
    target_path = tmp_path / "target"
    with (
        open_repository(str(target_path), mode="create") as target,
        _chain(target_path, target, libs) as chain,
    ):
        construct(loads_constructor(APP), target, resolver=chain, copy_external=True)
    caplog.clear()
    with (
        caplog.at_level(logging.INFO, "pyocm.constructor"),
        open_repository(str(target_path), mode="rw") as target,
        _chain(target_path, target, libs) as chain,
    ):
        construct(
            loads_constructor(APP.replace("acme.org/app", "acme.org/app2")),
            target,
            resolver=chain,
            copy_external=True,
        )
    notes = [(r.getMessage(), getattr(r, "cv", "")) for r in caplog.records]
    assert notes == [
        ("external component version already in the target", "acme.org/base:1.0.0"),
        ("external component version already in the target", "acme.org/lib:1.0.0"),
    ]
    with open_repository(str(target_path)) as target:
        assert "acme.org/app2" in target.list_components()


def test_a_missing_transitive_external_names_who_references_it(tmp_path: Path) -> None:
    libs = tmp_path / "libs"
    with open_repository(str(libs), mode="create") as repo:
        add_version(repo, "acme.org/lib", "1.0.0", refs=[("acme.org/gone", "2.0.0", None)])
    target_path = tmp_path / "target"
    with (
        open_repository(str(target_path), mode="create") as target,
        _chain(target_path, target, libs) as chain,
        pytest.raises(NotFound) as caught,
    ):
        construct(loads_constructor(APP), target, resolver=chain)
    assert re.match(
        r"reference 'gone' of acme\.org/lib:1\.0\.0: component version acme\.org/gone:2\.0\.0 "
        r"is neither in the constructor file nor in the target repository or its resolvers "
        r"\(component version acme\.org/gone:2\.0\.0 not found in CTF .*target\)$",
        str(caught.value),
    )
    with open_repository(str(target_path)) as target:
        assert target.list_components() == []  # nothing was built
