"""A CTF is created only by a run that gets to write, and never over a folder of other files."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from pyocm.blob import BytesBlob
from pyocm.descriptor import Component, Descriptor, Provider, Resource
from pyocm.errors import OCMError
from pyocm.repository.ctf import open_ctf

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

GOOD = """components:
- name: acme.org/hello
  version: 1.0.0
  provider: {name: acme}
  resources:
  - name: text
    type: plainText
    input: {type: file, path: hello.txt}
"""


def _tree(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


@pytest.mark.parametrize(
    "constructor",
    [
        "components: [\n",  # malformed YAML
        "",  # empty
        "- a\n- b\n",  # a list
        GOOD.replace("hello.txt", "missing.txt"),  # an input that is not there
        GOOD + "  - name: second\n    type: plainText\n    input: {type: file, path: nope}\n",
    ],
    ids=["malformed", "empty", "list", "missing-input", "second-input-missing"],
)
@pytest.mark.parametrize("target", ["new", "new.tgz", "deeper/new"])
def test_failed_add_creates_nothing(
    run_ocm: RunOcm, tmp_path: Path, constructor: str, target: str
) -> None:
    (tmp_path / "hello.txt").write_text("hello\n")
    (tmp_path / "c.yaml").write_text(constructor)
    done = run_ocm("add", "cv", "-r", target, "-c", "c.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert sorted(os.listdir(tmp_path)) == ["c.yaml", "hello.txt"]


def test_add_into_a_source_folder_is_refused(run_ocm: RunOcm, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "hello.txt").write_text("hello\n")
    (tmp_path / "c.yaml").write_text(GOOD.replace("hello.txt", "src/hello.txt"))
    done = run_ocm("add", "cv", "--repository", "./src", "-c", "c.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == (
        "Error: cannot write CTF src: the directory is not empty and is not a CTF "
        "(no artifact-index.json; found hello.txt)\n"
    )
    assert _tree(src) == ["hello.txt"]


def test_transfer_into_a_folder_of_keys_is_refused(run_ocm: RunOcm, tmp_path: Path) -> None:
    (tmp_path / "hello.txt").write_text("hello\n")
    (tmp_path / "c.yaml").write_text(GOOD)
    assert run_ocm("add", "cv", "-r", "ctf", "-c", "c.yaml", cwd=tmp_path).returncode == 0
    keys = tmp_path / "keys-copy"
    keys.mkdir()
    for name in ("a.pem", "b.pem", "c.pem", "d.pem"):
        (keys / name).write_text("-----BEGIN PUBLIC KEY-----\n")
    done = run_ocm("transfer", "cv", "ctf//acme.org/hello:1.0.0", "./keys-copy", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        "Error: cannot write CTF keys-copy: the directory is not empty and is not a CTF "
        "(no artifact-index.json; found a.pem, b.pem, c.pem, …)"
    )
    assert _tree(keys) == ["a.pem", "b.pem", "c.pem", "d.pem"]


def test_an_empty_directory_becomes_a_ctf(run_ocm: RunOcm, tmp_path: Path) -> None:
    (tmp_path / "hello.txt").write_text("hello\n")
    (tmp_path / "c.yaml").write_text(GOOD)
    (tmp_path / "empty").mkdir()
    done = run_ocm("add", "cv", "-r", "empty", "-c", "c.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "empty" / "artifact-index.json").is_file()


def _add(repo: object, version: str) -> None:
    from pyocm.repository.ctf import CTFRepository

    assert isinstance(repo, CTFRepository)
    resource = repo.add_local_resource(
        "acme.org/app",
        version,
        Resource(name="data", version=version, type="blob"),
        BytesBlob(b"data " + version.encode(), "text/plain"),
    )
    cd = Descriptor(Component("acme.org/app", version, Provider("acme"), resources=[resource]))
    repo.add_component_version(cd)


@pytest.mark.parametrize("name", ["ctf", "ctf.tgz"])
def test_a_new_ctf_appears_at_a_clean_close_only(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with pytest.raises(OCMError), open_ctf(path, mode="create"):
        raise OCMError("input invalid")
    assert not path.exists()
    with open_ctf(path, mode="create"):
        assert not path.exists()  # nothing written yet
    assert [e.tag for e in open_ctf(path).artifacts()] == []
    assert sorted(os.listdir(tmp_path)) == [name]


def test_a_failed_run_that_stored_blobs_in_a_new_ctf_removes_it(tmp_path: Path) -> None:
    path = tmp_path / "ctf"
    with pytest.raises(OCMError), open_ctf(path, mode="create") as repo:
        repo.add_local_resource(
            "acme.org/app",
            "1.0.0",
            Resource(name="data", version="1.0.0", type="blob"),
            BytesBlob(b"data", "text/plain"),
        )
        assert path.exists()
        raise OCMError("second input missing")
    assert not path.exists()


def test_a_failed_run_keeps_an_existing_ctf_and_its_versions(tmp_path: Path) -> None:
    path = tmp_path / "ctf"
    with open_ctf(path, mode="create") as repo:
        _add(repo, "1.0.0")
    with pytest.raises(OCMError), open_ctf(path, mode="create") as repo:
        raise OCMError("input invalid")
    with open_ctf(path) as repo:
        assert [e.tag for e in repo.artifacts() if e.tag] == ["1.0.0"]


def test_a_failed_run_keeps_what_it_recorded_in_a_new_ctf(tmp_path: Path) -> None:
    path = tmp_path / "ctf"
    with pytest.raises(OCMError), open_ctf(path, mode="create") as repo:
        _add(repo, "1.0.0")
        raise OCMError("the second version failed")
    with open_ctf(path) as repo:
        assert [e.tag for e in repo.artifacts() if e.tag] == ["1.0.0"]


def test_a_read_only_open_of_a_folder_is_not_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with open_ctf(tmp_path) as repo:
        assert repo.list_components() == []
    with pytest.raises(OCMError, match="is not empty and is not a CTF"):
        open_ctf(tmp_path, mode="rw")
