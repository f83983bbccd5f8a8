"""The ``gitHub`` access against a local server answering the two GitHub Enterprise REST
endpoints it uses (commit SHA of a ref; tarball link redirecting to a signed download), since
github.com is out of reach here (cli.md §2.4, §2.5, §4.2, §7.5 item 28, §7.7 item 39)."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.cli import error_line, ok
from fixtures.http_server import HTTPServer

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

COMPONENT = "acme.org/sources"
COMMIT = "3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a"
LINK_TOKEN = "LINK-SECRET-42"


def _archive() -> bytes:
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:gz") as tar:
        content = b"package main\n"
        info = tarfile.TarInfo(f"acme-shop-{COMMIT[:7]}/main.go")
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
    return data.getvalue()


ARCHIVE = _archive()


@pytest.fixture
def github(http_server: HTTPServer) -> HTTPServer:
    """The API of ``<server>/acme/shop``: ref ``main`` is at COMMIT, whose tarball link
    redirects to a download that carries its own token in the query."""
    api = http_server.root / "api/v3/repos/acme/shop"
    (api / "commits").mkdir(parents=True)
    (api / "commits/main").write_text(COMMIT)
    download = http_server.root / "codeload" / f"acme-shop-{COMMIT}.tar.gz"
    download.parent.mkdir()
    download.write_bytes(ARCHIVE)
    http_server.redirects[f"/api/v3/repos/acme/shop/tarball/{COMMIT}"] = (
        f"{http_server.url}/codeload/acme-shop-{COMMIT}.tar.gz?token={LINK_TOKEN}"
    )
    return http_server


def _constructor(work: Path, access: str) -> None:
    (work / "component-constructor.yaml").write_text(
        f"components:\n- name: {COMPONENT}\n  version: 1.0.0\n  provider: {{name: acme.org}}\n"
        f"  resources:\n  - {{name: src, version: 1.0.0, type: directoryTree, access: {access}}}\n"
    )


def _resource(run_ocm: RunOcm, ref: str, cwd: Path) -> dict[str, object]:
    (descriptor,) = json.loads(ok(run_ocm("get", "cv", ref, "-o", "json", cwd=cwd)).stdout)
    (resource,) = descriptor["component"]["resources"]
    assert isinstance(resource, dict)
    return resource


def test_pinned_commit_gets_the_digest_of_the_archive(
    run_ocm: RunOcm, github: HTTPServer, tmp_path: Path
) -> None:
    access = f"{{type: GitHub/v1, repoUrl: '{github.url}/acme/shop', commit: {COMMIT}}}"
    _constructor(tmp_path, access)
    ok(run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path))
    resource = _resource(run_ocm, f"ctf//{COMPONENT}:1.0.0", tmp_path)
    assert resource["access"] == {
        "type": "GitHub/v1",
        "repoUrl": f"{github.url}/acme/shop",
        "commit": COMMIT,
    }
    assert resource["digest"] == {
        "hashAlgorithm": "SHA-256",
        "normalisationAlgorithm": "genericBlobDigest/v1",
        "value": hashlib.sha256(ARCHIVE).hexdigest(),
    }
    ref = f"ctf//{COMPONENT}:1.0.0"
    args = ("--identity", "name=src", "--extraction-policy", "disable", "--output", "src.tgz")
    ok(run_ocm("download", "resource", ref, *args, cwd=tmp_path))
    assert (tmp_path / "src.tgz").read_bytes() == ARCHIVE


def test_a_ref_is_pinned_to_its_commit_at_add_time(
    run_ocm: RunOcm, github: HTTPServer, tmp_path: Path
) -> None:
    _constructor(tmp_path, f"{{type: github, repoUrl: '{github.url}/acme/shop.git', ref: main}}")
    ok(run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path))
    resource = _resource(run_ocm, f"ctf//{COMPONENT}:1.0.0", tmp_path)
    access = resource["access"]
    assert isinstance(access, dict)
    assert (access["ref"], access["commit"]) == ("main", COMMIT)
    digest = resource["digest"]
    assert isinstance(digest, dict) and digest["value"] == hashlib.sha256(ARCHIVE).hexdigest()
    asked = [r for r in github.requests if "/commits/" in r.path]
    assert asked and asked[0].headers["Accept"] == "application/vnd.github.sha"


def test_the_token_goes_to_the_api_and_not_to_the_signed_link(
    run_ocm: RunOcm, github: HTTPServer, tmp_path: Path
) -> None:
    github.require(token="gh-token-1", under="/api/")
    _constructor(tmp_path, f"{{type: gitHub, repoUrl: '{github.url}/acme/shop', ref: main}}")
    assert "401" in error_line(run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path))

    port = github.url.rsplit(":", 1)[1]
    (tmp_path / "gh.yaml").write_text(
        "type: generic.config.ocm.software/v1\nconfigurations:\n"
        "- type: credentials.config.ocm.software\n  consumers:\n"
        f"  - identity: {{type: GitHubRepository, hostname: 127.0.0.1, port: '{port}'}}\n"
        "    credentials: [{type: GitHubCredentials/v1, token: gh-token-1}]\n"
    )
    ok(run_ocm("add", "cv", "-r", "ctf", "--config", "gh.yaml", cwd=tmp_path))
    link = [r for r in github.requests if r.path.startswith("/codeload/")]
    assert link and all("Authorization" not in r.headers for r in link)
    api = [r for r in github.requests if r.path.startswith("/api/")]
    assert api[-1].headers["Authorization"] == "Bearer gh-token-1"


def test_the_signed_link_never_shows_in_errors(
    run_ocm: RunOcm, github: HTTPServer, tmp_path: Path
) -> None:
    (github.root / "codeload" / f"acme-shop-{COMMIT}.tar.gz").unlink()
    access = f"{{type: GitHub, repoUrl: '{github.url}/acme/shop', commit: {COMMIT}}}"
    _constructor(tmp_path, access)
    done = run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path)
    line = error_line(done)
    assert "404" in line
    assert LINK_TOKEN not in done.stderr


def test_copy_resources_stores_the_archive_and_an_unpinned_ref_is_refused(
    run_ocm: RunOcm, github: HTTPServer, tmp_path: Path
) -> None:
    access = f"{{type: GitHub/v1, repoUrl: '{github.url}/acme/shop', commit: {COMMIT}}}"
    _constructor(tmp_path, access)
    ok(run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path))
    ref = f"ctf//{COMPONENT}:1.0.0"
    ok(run_ocm("transfer", "cv", ref, "kept", cwd=tmp_path))
    kept = _resource(run_ocm, f"kept//{COMPONENT}:1.0.0", tmp_path)
    assert isinstance(kept["access"], dict) and kept["access"]["type"] == "GitHub/v1"

    ok(run_ocm("transfer", "cv", ref, "copied", "--copy-resources", cwd=tmp_path))
    copied = _resource(run_ocm, f"copied//{COMPONENT}:1.0.0", tmp_path)
    access_copy = copied["access"]
    assert isinstance(access_copy, dict) and access_copy["type"] == "LocalBlob/v1"
    assert access_copy["referenceName"] == "src"
    assert access_copy["mediaType"] == "application/x-tgz"
    assert copied["digest"] == kept["digest"]
    blob = tmp_path / "copied" / "blobs" / f"sha256.{hashlib.sha256(ARCHIVE).hexdigest()}"
    assert blob.read_bytes() == ARCHIVE

    _constructor(tmp_path, f"{{type: GitHub/v1, repoUrl: '{github.url}/acme/shop', ref: main}}")
    ok(run_ocm("add", "cv", "-r", "ref-only", "--skip-reference-digest-processing", cwd=tmp_path))
    unpinned = f"ref-only//{COMPONENT}:1.0.0"
    line = error_line(run_ocm("transfer", "cv", unpinned, "out", "--copy-resources", cwd=tmp_path))
    assert "no pinned commit" in line


@pytest.mark.parametrize(
    ("access", "expected"),
    [
        ("{type: GitHub, repoUrl: 'github.com/acme', commit: COMMIT}", "<host>/<owner>/<repo>"),
        ("{type: GitHub, repoUrl: 'URL/acme/shop', commit: abc}", "40-character"),
        ("{type: GitHub, repoUrl: 'URL/acme/shop'}", "either commit or ref"),
        ("{type: GitHub, repoUrl: 'URL/acme/shop', ref: nope}", "404"),
    ],
)
def test_bad_github_accesses_fail_with_one_line(
    run_ocm: RunOcm, github: HTTPServer, tmp_path: Path, access: str, expected: str
) -> None:
    _constructor(tmp_path, access.replace("URL", github.url).replace("COMMIT", COMMIT))
    assert expected in error_line(run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path))
