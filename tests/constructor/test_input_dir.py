"""The ``dir`` input: reproducible tars, include/exclude globs, preserveDir, symbolic links."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pyocm.constructor._fields import Fields
from pyocm.constructor.inputs import InputContext
from pyocm.constructor.inputs.directory import DirInput, parse
from pyocm.descriptor import Descriptor, Resource
from pyocm.errors import OCMError

Build = Callable[..., list[Descriptor]]
Stored = Callable[[Descriptor, Resource], bytes]

FILES = {
    "blueprint.yaml": "blueprint",
    "sub/text.txt": "text",
    "sub/yaml.yaml": "yaml",
    "sub/sub2/file.yaml": "file yaml",
    "sub/sub2/file.txt": "file txt",
    "sub3/file.txt": "sub3",
}


def make_tree(root: Path, files: dict[str, str] = FILES) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return root


def dir_resource(options: str) -> str:
    return f"""
name: acme.org/app
version: 1.0.0
provider: {{name: acme.org}}
resources:
- name: tree
  type: directoryTree
  input: {{type: dir, path: input-dir{options}}}
"""


def members(data: bytes) -> list[tarfile.TarInfo]:
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        return tar.getmembers()


def tar_of(workdir: Path, **options: object) -> bytes:
    fields = Fields({"type": "dir", "path": "input-dir", **options}, "in", [])
    blob = parse(fields, "dir").blob(InputContext(workdir, workdir))
    with blob.open() as f:
        return f.read()


def test_tar_holds_the_tree_in_walk_order_with_normalised_metadata(
    workdir: Path, build: Build, stored: Stored
) -> None:
    make_tree(workdir / "input-dir")
    (cd,) = build(dir_resource(""))
    res = cd.component.resources[0]
    data = stored(cd, res)
    entries = members(data)
    assert [m.name for m in entries] == [
        ".",
        "blueprint.yaml",
        "sub",
        "sub/sub2",
        "sub/sub2/file.txt",
        "sub/sub2/file.yaml",
        "sub/text.txt",
        "sub/yaml.yaml",
        "sub3",
        "sub3/file.txt",
    ]
    assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in entries} == {(0, 0, 0, "", "")}
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        extracted = tar.extractfile("sub/sub2/file.txt")
        assert extracted is not None and extracted.read() == b"file txt"
    assert res.access is not None and res.access.properties["mediaType"] == "application/x-tar"
    assert res.digest is not None and res.digest.value == hashlib.sha256(data).hexdigest()


def test_same_tree_gives_the_same_digest_even_after_touching_it(
    workdir: Path, build: Build
) -> None:
    tree = make_tree(workdir / "input-dir")
    (first,) = build(dir_resource(""))
    for path in tree.rglob("*"):
        os.utime(path, (1_000_000, 1_000_000))
    (second,) = build(dir_resource(""), conflict_policy="replace")
    assert first.component.resources[0].digest == second.component.resources[0].digest


def test_a_copy_of_the_tree_elsewhere_gives_the_same_bytes(tmp_path: Path) -> None:
    one = tmp_path / "one"
    two = tmp_path / "two"
    make_tree(one / "input-dir")
    make_tree(two / "input-dir", dict(reversed(FILES.items())))
    assert tar_of(one) == tar_of(two)


def test_exclude_patterns_drop_files_and_prune_directories(workdir: Path) -> None:
    make_tree(workdir / "input-dir")
    data = tar_of(workdir, excludeFiles=["sub/*.txt", "sub/sub2/?ile.yaml", "sub3"])
    assert [m.name for m in members(data)] == [
        ".",
        "blueprint.yaml",
        "sub",
        "sub/sub2",
        "sub/sub2/file.txt",
        "sub/yaml.yaml",
    ]


def test_include_patterns_select_paths_and_excludes_win(workdir: Path) -> None:
    make_tree(workdir / "input-dir")
    data = tar_of(workdir, includeFiles=["sub", "sub/*.txt", "sub/*.yaml"], excludeFiles=["*/y*"])
    assert [m.name for m in members(data)] == ["sub", "sub/text.txt"]


def test_star_does_not_cross_slashes(workdir: Path) -> None:
    make_tree(workdir / "input-dir")
    data = tar_of(workdir, includeFiles=["*.txt"])
    assert [m.name for m in members(data)] == []


def test_preserve_dir_puts_the_directory_name_in_front(workdir: Path) -> None:
    make_tree(workdir / "input-dir", {"a.txt": "a", "b/c.txt": "c"})
    data = tar_of(workdir, preserveDir=True)
    assert [m.name for m in members(data)] == [
        "input-dir",
        "input-dir/a.txt",
        "input-dir/b",
        "input-dir/b/c.txt",
    ]


def test_compress_and_media_type(workdir: Path, build: Build, stored: Stored) -> None:
    make_tree(workdir / "input-dir", {"a.txt": "a"})
    (cd,) = build(dir_resource(", compress: true, mediaType: application/vnd.acme.site+tar"))
    res = cd.component.resources[0]
    tar = gzip.decompress(stored(cd, res))
    assert [m.name for m in members(tar)] == [".", "a.txt"]
    assert res.access is not None
    assert res.access.properties["mediaType"] == "application/vnd.acme.site+tar+gzip"


def test_permission_bits_are_kept_and_other_mode_bits_dropped(workdir: Path) -> None:
    make_tree(workdir / "input-dir", {"run.sh": "#!/bin/sh\n", "secret": "s"})
    (workdir / "input-dir" / "run.sh").chmod(0o4755)
    (workdir / "input-dir" / "secret").chmod(0o600)
    modes = {m.name: m.mode for m in members(tar_of(workdir))}
    assert (modes["run.sh"], modes["secret"]) == (0o755, 0o600)


def test_reproducible_false_records_real_times(workdir: Path) -> None:
    make_tree(workdir / "input-dir", {"a.txt": "a"})
    os.utime(workdir / "input-dir" / "a.txt", (1_700_000_000, 1_700_000_000))
    entries = {m.name: m for m in members(tar_of(workdir, reproducible=False))}
    assert entries["a.txt"].mtime == 1_700_000_000
    assert entries["a.txt"].uid == os.getuid()


def test_a_file_path_is_stored_as_the_file(workdir: Path, build: Build, stored: Stored) -> None:
    (workdir / "input-dir").write_bytes(b"single file")
    (cd,) = build(dir_resource(""))
    res = cd.component.resources[0]
    assert stored(cd, res) == b"single file"
    assert res.access is not None
    assert res.access.properties["mediaType"] == "application/octet-stream"


def test_symbolic_links_need_follow_symlinks(workdir: Path) -> None:
    tree = make_tree(workdir / "input-dir", {"hello.txt": "target"})
    (tree / "hello.link").symlink_to("hello.txt")
    with pytest.raises(
        OCMError, match=re.escape("'hello.link' is a symbolic link; set followSymlinks")
    ):
        tar_of(workdir)
    data = tar_of(workdir, followSymlinks=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        link = tar.getmember("hello.link")
        assert link.isfile()
        extracted = tar.extractfile(link)
        assert extracted is not None and extracted.read() == b"target"


def test_followed_links_may_not_leave_the_working_directory(workdir: Path) -> None:
    tree = make_tree(workdir / "input-dir", {"a.txt": "a"})
    outside = workdir.parent / "outside"
    outside.mkdir()
    (tree / "escape").symlink_to(outside)
    with pytest.raises(
        OCMError, match="symbolic link 'escape' leads outside the working directory"
    ):
        tar_of(workdir, followSymlinks=True)


def test_the_input_directory_itself_must_be_inside(workdir: Path, build: Build) -> None:
    make_tree(workdir.parent / "outside", {"a.txt": "a"})
    (workdir / "input-dir").symlink_to(workdir.parent / "outside")
    with pytest.raises(OCMError, match="is outside the working directory"):
        build(dir_resource(""))


def test_patterns_for_a_single_file_are_refused(workdir: Path) -> None:
    (workdir / "input-dir").write_text("x")
    with pytest.raises(OCMError, match="cannot be used for the single file"):
        tar_of(workdir, includeFiles=["*"])


# Trees whose tar gocheck builds with Go's archive/tar following the Go v2 CLI's walk.
GO_CASES = [
    ({}, False, "", ""),
    ({}, True, "", ""),
    ({}, False, "", "sub/*.txt,sub/sub2/?ile.yaml,sub3/*"),
    ({}, False, "sub,sub/*.txt", ""),
    ({"ünïcode/ä.txt": "u", "x" * 120 + "/f.txt": "long"}, False, "", ""),
]


@pytest.mark.parametrize(("extra", "preserve", "include", "exclude"), GO_CASES)
def test_tar_is_byte_identical_to_go(
    tmp_path: Path, gocheck: Path, extra: dict[str, str], preserve: bool, include: str, exclude: str
) -> None:
    tree = make_tree(tmp_path / "input-dir", {**FILES, **extra})
    (tree / "sub" / "text.txt").chmod(0o640)
    expected = subprocess.run(
        [str(gocheck), "dirtar", str(tree), str(preserve).lower(), include, exclude],
        capture_output=True,
        check=True,
    ).stdout
    spec = DirInput(
        "dir",
        "in",
        "input-dir",
        preserve_dir=preserve,
        include_files=tuple(include.split(",")) if include else (),
        exclude_files=tuple(exclude.split(",")) if exclude else (),
    )
    with spec.blob(InputContext(tmp_path, tmp_path)).open() as f:
        assert f.read() == expected
