"""Component versions and resources as objects (``repo.component_version``, ``cv.resource``,
``res.open`` / ``res.download``), on a CTF built here with the constructor."""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path

import pytest

import pyocm
from pyocm.component_version import ComponentVersion, ContextRepository, ResourceHandle
from pyocm.constructor import construct
from pyocm.errors import DigestMismatch, NotFound, OCMError
from pyocm.repository.ocm import OCMRepository

COMPONENT = "acme.org/shop/web"
VERSIONS = ("1.0.0", "1.4.2", "2.0.0")

CONSTRUCTOR = """\
components:
""" + "".join(
    f"""\
- name: {COMPONENT}
  version: {version}
  provider: {{name: acme.org}}
  resources:
  - {{name: config, type: plainText, input: {{type: utf8, text: "port: {version}"}}}}
  - {{name: bin, type: executable, extraIdentity: {{arch: amd64}},
      input: {{type: utf8, text: amd64 binary}}}}
  - {{name: bin, type: executable, extraIdentity: {{arch: arm64}},
      input: {{type: utf8, text: arm64 binary}}}}
  - {{name: site, type: directoryTree, input: {{type: dir, path: site}}}}
  - {{name: chart, type: helmChart, input: {{type: helm, path: mychart-0.1.0.tgz}}}}
"""
    for version in VERSIONS
)


@pytest.fixture
def ctf(tmp_path: Path, vectors: Path) -> Path:
    """A CTF directory holding three versions of the component, built by the constructor."""
    work = tmp_path / "work"
    (work / "site" / "css").mkdir(parents=True)
    (work / "site" / "index.html").write_text("<h1>shop</h1>")
    (work / "site" / "css" / "shop.css").write_text("h1 {}")
    (work / "mychart-0.1.0.tgz").write_bytes((vectors / "helm/mychart-0.1.0.tgz").read_bytes())
    (work / "component-constructor.yaml").write_text(CONSTRUCTOR)
    archive = tmp_path / "transport-archive"
    with pyocm.Context() as ctx, ctx.open(str(archive), mode="create") as repo:
        construct(work / "component-constructor.yaml", repo)
    return archive


def test_a_repository_opened_by_a_context_is_still_an_ocm_repository(ctf: Path) -> None:
    with pyocm.Context() as ctx, ctx.open(str(ctf)) as repo:
        assert isinstance(repo, OCMRepository)
        assert isinstance(repo, ContextRepository)
        assert repo.context is ctx
        assert repo.list_component_versions(COMPONENT) == list(VERSIONS)


def test_a_context_keeps_the_kind_of_repository_it_opened(tmp_path: Path) -> None:
    from pyocm.descriptor import Component, Descriptor, Provider
    from pyocm.repository.ctf.repository import CTFRepository

    archive = tmp_path / "airgap.tgz"
    with pyocm.Context() as ctx:
        with ctx.open(str(archive), mode="create") as repo:
            assert isinstance(repo, CTFRepository)
            assert isinstance(repo, ContextRepository)
            repo.add_component_version(Descriptor(Component(COMPONENT, "1.0.0", Provider("acme"))))
        assert archive.is_file()  # an archive CTF is still written back when closed
        assert ctx.open(str(archive)).component_version(COMPONENT).version == "1.0.0"


def test_resources_are_listed_with_their_identities_and_digests(ctf: Path) -> None:
    with pyocm.Context() as ctx, ctx.open(str(ctf)) as repo:
        cv = repo.component_version(COMPONENT, "1.4.2")
        assert isinstance(cv, ComponentVersion)
        assert (cv.name, cv.version) == (COMPONENT, "1.4.2")
        assert cv.descriptor.component.name == COMPONENT
        assert [(r.name, r.type) for r in cv.resources] == [
            ("config", "plainText"),
            ("bin", "executable"),
            ("bin", "executable"),
            ("site", "directoryTree"),
            ("chart", "helmChart"),
        ]
        [_, amd64, arm64, _, _] = cv.resources
        assert amd64.identity == {"name": "bin", "arch": "amd64"}
        assert arm64.identity == {"name": "bin", "arch": "arm64"}
        config = cv.resource("config")
        assert config.version == "1.4.2"
        assert config.access is not None and config.access.type == "LocalBlob/v1"
        assert config.digest is not None
        assert config.digest.hash_algorithm == "SHA-256"
        expected = hashlib.sha256(b"port: 1.4.2").hexdigest()
        assert config.digest.value == expected
        assert (
            repr(config) == f"<ResourceHandle name=config of component version {COMPONENT}:1.4.2>"
        )


def test_a_resource_is_read_as_a_stream(ctf: Path) -> None:
    with pyocm.Context() as ctx, ctx.open(str(ctf)) as repo:
        cv = repo.component_version(COMPONENT, "1.4.2")
        with cv.resource("config").open() as f:
            assert f.read() == b"port: 1.4.2"
        arm = cv.resource(name="bin", extra_identity={"arch": "arm64"})
        with arm.open() as f:
            assert f.read() == b"arm64 binary"
        blob = arm.blob()
        assert blob.size == len(b"arm64 binary")


def test_a_tampered_blob_fails_the_read_with_a_digest_error(ctf: Path) -> None:
    good = hashlib.sha256(b"port: 1.4.2").hexdigest()
    stored = ctf / "blobs" / f"sha256.{good}"
    assert stored.is_file()
    stored.write_bytes(b"port: 6.6.6")  # same size, other bytes
    with pyocm.Context() as ctx, ctx.open(str(ctf)) as repo:
        config = repo.component_version(COMPONENT, "1.4.2").resource("config")
        with pytest.raises(DigestMismatch, match=good), config.open() as f:
            f.read()
        with pytest.raises(DigestMismatch):
            config.download(ctf.parent / "config.yaml")
        assert not (ctf.parent / "config.yaml").exists()


def test_resources_download_to_files_and_directories(ctf: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pyocm.Context() as ctx, ctx.open(str(ctf)) as repo:
        cv = repo.component_version(COMPONENT, "1.4.2")
        written = cv.resource("config").download(out / "config.yaml")
        assert written == out / "config.yaml"
        assert written.read_bytes() == b"port: 1.4.2"
        site = cv.resource("site").download(out / "site")
        assert (site / "index.html").read_text() == "<h1>shop</h1>"
        assert (site / "css" / "shop.css").read_text() == "h1 {}"
        raw = cv.resource("site").download(out / "site.tar", extraction="disable")
        assert tarfile.is_tarfile(raw)
        chart = cv.resource("chart").download(out / "chart", transformer="helm")
        assert sorted(p.name for p in chart.iterdir()) == ["mychart-0.1.0.tgz"]
        with pytest.raises(OCMError, match="transformer 'nope' not found"):
            cv.resource("chart").download(out / "nope", transformer="nope")


def test_download_defaults_to_the_resource_name(
    ctf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pyocm.Context() as ctx, ctx.open(str(ctf)) as repo:
        repo.component_version(COMPONENT, "1.0.0").resource("config").download()
    assert (tmp_path / "config").read_bytes() == b"port: 1.0.0"


@pytest.mark.parametrize(
    ("asked", "found"),
    [
        ("latest", "2.0.0"),
        ("1.0.0", "1.0.0"),
        ("<2", "1.4.2"),
        ("~1.0", "1.0.0"),
        (">=1.1, <1.5 || >3", "1.4.2"),
        ("^1", "1.4.2"),
    ],
)
def test_latest_and_constraints_choose_the_highest_fitting_version(
    ctf: Path, asked: str, found: str
) -> None:
    with pyocm.Context() as ctx, ctx.open(str(ctf)) as repo:
        assert repo.component_version(COMPONENT, asked).version == found
    with pyocm.Context() as ctx, ctx.open(str(ctf)) as repo:
        assert repo.component_version(COMPONENT).version == "2.0.0"


def test_what_is_not_there_is_named(ctf: Path) -> None:
    with pyocm.Context() as ctx, ctx.open(str(ctf)) as repo:
        with pytest.raises(NotFound, match=r"1\.9\.9"):
            repo.component_version(COMPONENT, "1.9.9")
        with pytest.raises(NotFound, match=r"no versions of acme.org/shop/web match .*>=3"):
            repo.component_version(COMPONENT, ">=3")
        with pytest.raises(NotFound, match=r"acme\.org/other not found"):
            repo.component_version("acme.org/other")
        cv = repo.component_version(COMPONENT, "1.4.2")
        with pytest.raises(NotFound) as missing:
            cv.resource("bin", extra_identity={"arch": "s390x"})
        assert str(missing.value) == (
            f"component version {COMPONENT}:1.4.2: no resource with identity "
            "name=bin,arch=s390x (its resources: name=config; name=bin,arch=amd64; "
            "name=bin,arch=arm64; name=site; name=chart)"
        )
        with pytest.raises(OCMError, match="2 resources match identity name=bin ") as ambiguous:
            cv.resource("bin")
        assert "name=bin,arch=amd64; name=bin,arch=arm64" in str(ambiguous.value)
        assert "extra_identity" in str(ambiguous.value)
        with pytest.raises(NotFound, match="name=config,version=9"):
            cv.resource("config", version="9")
        assert cv.resource("config", version="1.4.2").name == "config"


def test_the_context_gives_a_component_version_that_keeps_its_repository_open(
    ctf: Path,
) -> None:
    ctx = pyocm.Context()
    with ctx.component_version(f"{ctf}//{COMPONENT}:1.0.0") as cv:
        assert isinstance(cv.resources[0], ResourceHandle)
        with cv.resource("config").open() as f:
            assert f.read() == b"port: 1.0.0"
    with pytest.raises(OCMError, match="is closed"):
        cv.resource("config").open().__enter__()
    kept = ctx.component_version(f"{ctf}//{COMPONENT}:2.0.0")
    ctx.close()  # closes what it opened
    with pytest.raises(OCMError, match="is closed"):
        kept.resource("config").open().__enter__()
