"""``ocm add | get | download`` on CTF archives: listing, formats, archives and extraction."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

COMPONENT = "acme.org/demo"


def _constructor(versions: list[str]) -> str:
    docs = [
        f"- name: {COMPONENT}\n  version: {v}\n  provider: {{name: acme.org}}\n"
        "  resources:\n"
        "  - {name: text, type: blob, input: {type: file, path: data.txt, compress: true}}\n"
        "  - {name: tree, type: blob, input: {type: dir, path: tree}}\n"
        for v in versions
    ]
    return "components:\n" + "".join(docs)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "data.txt").write_text("hello pyocm\n" * 100)
    (tmp_path / "tree/sub").mkdir(parents=True)
    (tmp_path / "tree/a.txt").write_text("a\n")
    (tmp_path / "tree/sub/b.txt").write_text("b\n")
    return tmp_path


def _add(run_ocm: RunOcm, cwd: Path, versions: list[str], repo: str = "ctf") -> None:
    (cwd / "component-constructor.yaml").write_text(_constructor(versions))
    done = run_ocm("add", "cv", "-r", repo, cwd=cwd)
    assert done.returncode == 0, done.stderr


def _versions(table: str) -> list[str]:
    rows = table.splitlines()[2:]
    return [row.split("│")[1].strip() for row in rows]


def test_versions_are_listed_highest_first_and_filtered(run_ocm: RunOcm, workdir: Path) -> None:
    _add(run_ocm, workdir, ["1.2.0", "1.10.0", "2.0.0-rc.1", "0.9.0"])
    listed = run_ocm("get", "cv", f"ctf//{COMPONENT}", cwd=workdir)
    assert listed.returncode == 0, listed.stderr
    assert _versions(listed.stdout) == ["2.0.0-rc.1", "1.10.0", "1.2.0", "0.9.0"]

    latest = run_ocm("get", "cv", f"ctf//{COMPONENT}", "--latest", cwd=workdir)
    assert _versions(latest.stdout) == ["2.0.0-rc.1"]

    below = run_ocm("get", "cv", f"ctf//{COMPONENT}", "--semver-constraint", "< 1.5", cwd=workdir)
    assert _versions(below.stdout) == ["1.2.0", "0.9.0"]

    bad = run_ocm("get", "cv", f"ctf//{COMPONENT}", "--semver-constraint", "invalid-constraint",
                  cwd=workdir)  # fmt: skip
    assert bad.returncode == 1
    assert "invalid-constraint" in bad.stderr
    assert bad.stderr.count("\n") == 1


def test_output_formats(run_ocm: RunOcm, workdir: Path) -> None:
    _add(run_ocm, workdir, ["1.0.0", "1.1.0"])
    ref = f"ctf//{COMPONENT}"
    as_json = json.loads(run_ocm("get", "cv", ref, "-o", "json", cwd=workdir).stdout)
    assert [cd["component"]["version"] for cd in as_json] == ["1.1.0", "1.0.0"]
    ndjson = run_ocm("get", "cv", ref, "-o", "ndjson", cwd=workdir).stdout.splitlines()
    assert [json.loads(line)["component"]["version"] for line in ndjson] == ["1.1.0", "1.0.0"]
    as_yaml = yaml.safe_load(run_ocm("get", "cv", f"{ref}:1.0.0", "-o", "yaml", cwd=workdir).stdout)
    assert isinstance(as_yaml, list) and len(as_yaml) == 1
    assert as_yaml[0]["meta"] == {"schemaVersion": "v2"}


def test_missing_version_and_component_are_clear_errors(run_ocm: RunOcm, workdir: Path) -> None:
    _add(run_ocm, workdir, ["1.0.0"])
    missing = run_ocm("get", "cv", f"ctf//{COMPONENT}:9.9.9", cwd=workdir)
    assert missing.returncode == 1
    assert "9.9.9" in missing.stderr and missing.stderr.count("\n") == 1
    nothing = run_ocm("get", "cv", "ctf//acme.org/other", cwd=workdir)
    assert nothing.returncode == 1
    assert nothing.stderr.startswith("Error: ")


@pytest.mark.parametrize(("target", "opener"), [("ctf.tgz", "r:gz"), ("ctf.tar", "r:")])
def test_archive_ctfs_are_written_on_request_and_read_back(
    run_ocm: RunOcm, workdir: Path, target: str, opener: str
) -> None:
    _add(run_ocm, workdir, ["1.0.0"], repo=target)
    with tarfile.open(workdir / target, opener) as tar:  # type: ignore[call-overload]
        names = tar.getnames()
    assert names[0] == "artifact-index.json"
    assert all(n == "artifact-index.json" or n.startswith("blobs/") for n in names)
    shown = run_ocm("get", "cv", f"{target}//{COMPONENT}:1.0.0", cwd=workdir)
    assert shown.returncode == 0, shown.stderr
    # Content decides the format, not the name.
    (workdir / target).rename(workdir / "renamed.bin")
    again = run_ocm("get", "cv", f"ctf::renamed.bin//{COMPONENT}:1.0.0", cwd=workdir)
    assert again.returncode == 0, again.stderr
    assert again.stdout == shown.stdout


def test_download_extracts_by_default_and_keeps_bytes_when_disabled(
    run_ocm: RunOcm, workdir: Path
) -> None:
    _add(run_ocm, workdir, ["1.0.0"])
    ref = f"ctf//{COMPONENT}:1.0.0"
    original = (workdir / "data.txt").read_bytes()

    plain = run_ocm("download", "resource", ref, "--identity", "name=text", "--output", "t.txt",
                    cwd=workdir)  # fmt: skip
    assert plain.returncode == 0, plain.stderr
    assert (workdir / "t.txt").read_bytes() == original

    raw = run_ocm("download", "resource", ref, "--identity", "name=text", "--output", "t.gz",
                  "--extraction-policy", "disable", cwd=workdir)  # fmt: skip
    assert raw.returncode == 0, raw.stderr
    assert gzip.decompress((workdir / "t.gz").read_bytes()) == original

    tree = run_ocm("download", "resource", ref, "--identity", "name=tree", "--output", "out",
                   cwd=workdir)  # fmt: skip
    assert tree.returncode == 0, tree.stderr
    assert (workdir / "out/a.txt").read_text() == "a\n"
    assert (workdir / "out/sub/b.txt").read_text() == "b\n"


def test_download_of_a_corrupted_blob_fails_and_writes_nothing(
    run_ocm: RunOcm, workdir: Path
) -> None:
    _add(run_ocm, workdir, ["1.0.0"])
    payload = gzip.compress((workdir / "data.txt").read_bytes(), mtime=0)
    cd = json.loads(run_ocm("get", "cv", f"ctf//{COMPONENT}:1.0.0", "-o", "json",
                            cwd=workdir).stdout)[0]  # fmt: skip
    digest = cd["component"]["resources"][0]["access"]["localReference"]
    blob = workdir / "ctf/blobs" / digest.replace(":", ".")
    assert hashlib.sha256(blob.read_bytes()).hexdigest() == digest.split(":")[1]
    blob.chmod(0o644)
    blob.write_bytes(payload[:-1] + bytes([payload[-1] ^ 1]))
    done = run_ocm("download", "resource", f"ctf//{COMPONENT}:1.0.0", "--identity", "name=text",
                   "--output", "t.txt", cwd=workdir)  # fmt: skip
    assert done.returncode == 1
    assert "digest mismatch" in done.stderr
    assert not (workdir / "t.txt").exists()
    assert not [p for p in workdir.iterdir() if p.name.startswith(".ocm-download")]


def test_download_needs_a_version_and_a_matching_resource(run_ocm: RunOcm, workdir: Path) -> None:
    _add(run_ocm, workdir, ["1.0.0"])
    no_version = run_ocm("download", "resource", f"ctf//{COMPONENT}", "--identity", "name=text",
                         cwd=workdir)  # fmt: skip
    assert no_version.returncode == 1
    none = run_ocm("download", "resource", f"ctf//{COMPONENT}:1.0.0", "--identity", "name=nope",
                   cwd=workdir)  # fmt: skip
    assert none.returncode == 1
    assert "expected exactly one resource candidate to download, got 0" in none.stderr


def test_helm_chart_downloads_as_an_oci_layout_holding_the_chart(
    run_ocm: RunOcm, tmp_path: Path, vectors: Path
) -> None:
    chart = (vectors / "helm/mychart-0.1.0.tgz").read_bytes()
    (tmp_path / "mychart-0.1.0.tgz").write_bytes(chart)
    (tmp_path / "component-constructor.yaml").write_text(
        f"name: {COMPONENT}\nversion: 1.0.0\nprovider: {{name: acme.org}}\nresources:\n"
        "- {name: chart, type: helmChart, input: {type: helm, path: mychart-0.1.0.tgz}}\n"
    )
    assert run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path).returncode == 0
    done = run_ocm("download", "resource", f"ctf//{COMPONENT}:1.0.0", "--identity", "name=chart",
                   "--output", "chart", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    layout = tmp_path / "chart"
    assert json.loads((layout / "oci-layout").read_text())["imageLayoutVersion"] == "1.0.0"
    index = json.loads((layout / "index.json").read_text())
    [entry] = index["manifests"]
    manifest_file = layout / "blobs" / entry["digest"].replace(":", "/")
    manifest = json.loads(manifest_file.read_bytes())
    chart_layers = [
        layer
        for layer in manifest["layers"]
        if layer["mediaType"] == "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
    ]
    assert len(chart_layers) == 1
    stored = (layout / "blobs" / chart_layers[0]["digest"].replace(":", "/")).read_bytes()
    assert stored == chart


def test_download_into_a_pipe_streams_and_keeps_the_pipe(run_ocm: RunOcm, workdir: Path) -> None:
    import os
    import threading

    _add(run_ocm, workdir, ["1.0.0"])
    fifo = workdir / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    done = run_ocm("download", "resource", f"ctf//{COMPONENT}:1.0.0", "--identity", "name=text",
                   "--output", str(fifo), cwd=workdir)  # fmt: skip
    reader.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert received == [(workdir / "data.txt").read_bytes()]
    assert fifo.is_fifo()


def test_a_component_without_versions_is_reported_as_not_found(
    run_ocm: RunOcm, workdir: Path
) -> None:
    _add(run_ocm, workdir, ["1.0.0"])
    done = run_ocm("get", "cv", "ctf//acme.org/absent", cwd=workdir)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "Error: component acme.org/absent not found: the repository has no versions"
    )
    constrained = run_ocm(
        "get", "cv", f"ctf//{COMPONENT}", "--semver-constraint", ">2", cwd=workdir
    )
    assert constrained.stderr.strip() == (
        f"Error: no versions of {COMPONENT} match the constraint '>2'"
    )
