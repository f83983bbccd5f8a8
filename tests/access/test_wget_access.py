"""The ``wget`` access and input against a real HTTP(S) server: add, download, transfer, verify,
credentials and failures (cli.md §2.3, §2.4, §2.5, §7.5 items 20 and 27, §7.7 item 35)."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.cli import error_line, ok
from fixtures.http_server import HTTPServer
from fixtures.registry import RegistryServer
from fixtures.signing import write_signing_configs

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

_CONFIG = "name: config, version: 1.0.0, type: json, "
_CONFIG_TO_OUT = ("--identity", "name=config", "--output", "out")

COMPONENT = "acme.org/fetched"
CONTENT = b'{"service": "web", "replicas": 3}\n' * 50


def _constructor(work: Path, resource: str) -> None:
    (work / "component-constructor.yaml").write_text(
        f"components:\n- name: {COMPONENT}\n  version: 1.0.0\n  provider: {{name: acme.org}}\n"
        f"  resources:\n  - {resource}\n"
    )


def _descriptor(run_ocm: RunOcm, ref: str, cwd: Path) -> dict[str, object]:
    listed = json.loads(ok(run_ocm("get", "cv", ref, "-o", "json", cwd=cwd)).stdout)
    assert isinstance(listed, list) and len(listed) == 1
    descriptor = listed[0]
    assert isinstance(descriptor, dict)
    return descriptor


def _resource(descriptor: dict[str, object]) -> dict[str, object]:
    component = descriptor["component"]
    assert isinstance(component, dict)
    (resource,) = component["resources"]
    assert isinstance(resource, dict)
    return resource


def _credentials(work: Path, server: HTTPServer, credentials: str) -> str:
    port = server.url.rsplit(":", 1)[1]
    scheme = server.url.split(":", 1)[0]
    (work / "wget.ocmconfig").write_text(
        "type: generic.config.ocm.software/v1\nconfigurations:\n"
        "- type: credentials.config.ocm.software\n  consumers:\n"
        f"  - identity: {{type: Wget, hostname: 127.0.0.1, port: '{port}', scheme: {scheme}}}\n"
        f"    credentials:\n    - {credentials}\n"
    )
    return str(work / "wget.ocmconfig")


@pytest.fixture
def served(http_server: HTTPServer) -> HTTPServer:
    (http_server.root / "config.json").write_bytes(CONTENT)
    return http_server


def test_access_gets_the_digest_of_the_served_bytes_and_downloads_them(
    run_ocm: RunOcm, served: HTTPServer, tmp_path: Path
) -> None:
    url = f"{served.url}/config.json"
    _constructor(
        tmp_path,
        f"{{{_CONFIG}access: {{type: wget/v1, url: {url}}}}}",
    )
    ok(run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path))

    resource = _resource(_descriptor(run_ocm, f"ctf//{COMPONENT}:1.0.0", tmp_path))
    assert resource["access"] == {"type": "wget/v1", "url": url}
    assert resource["relation"] == "external"
    assert resource["digest"] == {
        "hashAlgorithm": "SHA-256",
        "normalisationAlgorithm": "genericBlobDigest/v1",
        "value": hashlib.sha256(CONTENT).hexdigest(),
    }
    ref = f"ctf//{COMPONENT}:1.0.0"
    ok(run_ocm("download", "resource", ref, *_CONFIG_TO_OUT, cwd=tmp_path))
    assert (tmp_path / "out").read_bytes() == CONTENT


def test_content_changed_behind_the_url_is_refused(
    run_ocm: RunOcm, served: HTTPServer, tmp_path: Path
) -> None:
    url = f"{served.url}/config.json"
    _constructor(
        tmp_path,
        f"{{{_CONFIG}access: {{type: wget, url: {url}}}}}",
    )
    ok(run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path))
    (served.root / "config.json").write_bytes(CONTENT.replace(b"3", b"4"))

    ref = f"ctf//{COMPONENT}:1.0.0"
    download = run_ocm("download", "resource", ref, *_CONFIG_TO_OUT, cwd=tmp_path)
    assert "digest" in error_line(download).lower()
    assert not (tmp_path / "out").exists()
    copy = run_ocm("transfer", "cv", ref, "ctf2", "--copy-resources", cwd=tmp_path)
    assert "digest" in error_line(copy).lower()


def test_a_digest_written_in_the_constructor_must_match(
    run_ocm: RunOcm, served: HTTPServer, tmp_path: Path
) -> None:
    url = f"{served.url}/config.json"
    wrong = hashlib.sha256(b"other").hexdigest()
    _constructor(
        tmp_path,
        f"{{{_CONFIG}access: {{type: wget, url: {url}}}, digest: "
        "{hashAlgorithm: SHA-256, normalisationAlgorithm: genericBlobDigest/v1, "
        f"value: {wrong}}}}}",
    )
    line = error_line(run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path))
    assert wrong in line and hashlib.sha256(CONTENT).hexdigest() in line


def test_skip_reference_digest_processing_keeps_the_access_as_written(
    run_ocm: RunOcm, served: HTTPServer, tmp_path: Path
) -> None:
    url = f"{served.url}/config.json"
    _constructor(
        tmp_path,
        f"{{{_CONFIG}access: {{type: wget, url: {url}}}}}",
    )
    ok(run_ocm("add", "cv", "-r", "ctf", "--skip-reference-digest-processing", cwd=tmp_path))
    resource = _resource(_descriptor(run_ocm, f"ctf//{COMPONENT}:1.0.0", tmp_path))
    assert "digest" not in resource
    assert served.requests == []


def test_input_stores_the_served_bytes_with_the_server_media_type(
    run_ocm: RunOcm, served: HTTPServer, tmp_path: Path
) -> None:
    url = f"{served.url}/config.json"
    _constructor(tmp_path, f"{{{_CONFIG}input: {{type: wget, url: {url}}}}}")
    ok(run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path))

    resource = _resource(_descriptor(run_ocm, f"ctf//{COMPONENT}:1.0.0", tmp_path))
    access = resource["access"]
    assert isinstance(access, dict)
    assert access["type"] == "LocalBlob/v1"
    assert access["mediaType"] == "application/json"
    assert access["localReference"] == "sha256:" + hashlib.sha256(CONTENT).hexdigest()
    blob = tmp_path / "ctf" / "blobs" / f"sha256.{hashlib.sha256(CONTENT).hexdigest()}"
    assert blob.read_bytes() == CONTENT


def test_input_into_a_registry_with_an_explicit_media_type(
    run_ocm: RunOcm, served: HTTPServer, registry: RegistryServer, tmp_path: Path
) -> None:
    url = f"{served.url}/config.json"
    _constructor(
        tmp_path,
        f"{{{_CONFIG}input: {{type: wget, url: {url}, mediaType: text/x-conf}}}}",
    )
    repo = f"{registry.url}/wget-input"
    ok(run_ocm("add", "cv", "-r", repo, cwd=tmp_path))
    ref = f"{repo}//{COMPONENT}:1.0.0"
    resource = _resource(_descriptor(run_ocm, ref, tmp_path))
    access = resource["access"]
    assert isinstance(access, dict) and access["mediaType"] == "text/x-conf"
    ok(run_ocm("download", "resource", ref, *_CONFIG_TO_OUT, cwd=tmp_path))
    assert (tmp_path / "out").read_bytes() == CONTENT


def test_post_with_headers_and_body(run_ocm: RunOcm, served: HTTPServer, tmp_path: Path) -> None:
    body = base64.b64encode(b"query=all").decode()
    _constructor(
        tmp_path,
        "{name: answer, version: 1.0.0, type: blob, "
        f"input: {{type: wget, url: {served.url}/api, verb: POST, "
        f"body: '{body}', header: {{Content-Type: [text/plain], X-Team: [a, b]}}}}}}",
    )
    ok(run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path))
    posts = [r for r in served.requests if r.method == "POST"]
    assert [r.body for r in posts] == [b"query=all"]  # sent once, though its type was asked
    assert posts[0].headers["X-Team"] == "a, b"
    digest = hashlib.sha256(b"query=all").hexdigest()
    assert (tmp_path / "ctf" / "blobs" / f"sha256.{digest}").read_bytes() == b"query=all"


def test_redirects_are_followed_unless_no_redirect(
    run_ocm: RunOcm, served: HTTPServer, tmp_path: Path
) -> None:
    served.redirects["/moved.json"] = f"{served.url}/config.json"
    url = f"{served.url}/moved.json"
    _constructor(
        tmp_path,
        f"{{{_CONFIG}access: {{type: wget, url: {url}}}}}",
    )
    ok(run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path))
    resource = _resource(_descriptor(run_ocm, f"ctf//{COMPONENT}:1.0.0", tmp_path))
    digest = resource["digest"]
    assert isinstance(digest, dict) and digest["value"] == hashlib.sha256(CONTENT).hexdigest()

    _constructor(
        tmp_path,
        f"{{{_CONFIG}access: {{type: wget, url: {url}, noRedirect: true}}}}",
    )
    line = error_line(run_ocm("add", "cv", "-r", "ctf2", cwd=tmp_path))
    assert "302" in line


def test_transfer_copy_resources_stores_the_content_as_a_local_blob(
    run_ocm: RunOcm, served: HTTPServer, registry: RegistryServer, tmp_path: Path
) -> None:
    url = f"{served.url}/config.json"
    _constructor(
        tmp_path,
        f"{{{_CONFIG}access: {{type: wget/v1, url: {url}}}}}",
    )
    ok(run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path))
    ref = f"ctf//{COMPONENT}:1.0.0"

    ok(run_ocm("transfer", "cv", ref, "by-reference", cwd=tmp_path))
    kept = _resource(_descriptor(run_ocm, f"by-reference//{COMPONENT}:1.0.0", tmp_path))
    assert kept["access"] == {"type": "wget/v1", "url": url}

    target = f"{registry.url}/wget-transfer"
    for dest in ("by-value", target):
        ok(run_ocm("transfer", "cv", ref, dest, "--copy-resources", cwd=tmp_path))
        copied = _resource(_descriptor(run_ocm, f"{dest}//{COMPONENT}:1.0.0", tmp_path))
        access = copied["access"]
        assert isinstance(access, dict) and access["type"] == "LocalBlob/v1"
        assert access["referenceName"] == "config"  # the resource name, as Go v2 writes it
        assert copied["digest"] == kept["digest"]
        (served.root / "config.json").unlink()
        out = tmp_path / "copied.json"
        out.unlink(missing_ok=True)
        args = ("--identity", "name=config", "--output", str(out))
        ok(run_ocm("download", "resource", f"{dest}//{COMPONENT}:1.0.0", *args, cwd=tmp_path))
        assert out.read_bytes() == CONTENT
        (served.root / "config.json").write_bytes(CONTENT)


def test_signed_wget_resource_verifies_and_fails_when_the_content_changes(
    run_ocm: RunOcm, served: HTTPServer, tmp_path: Path
) -> None:
    url = f"{served.url}/config.json"
    _constructor(
        tmp_path,
        f"{{{_CONFIG}access: {{type: wget, url: {url}}}}}",
    )
    ok(run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path))
    write_signing_configs(tmp_path)
    ref = f"ctf//{COMPONENT}:1.0.0"
    ok(run_ocm("sign", "cv", ref, "--config", "signer.yaml", cwd=tmp_path))
    ok(run_ocm("verify", "cv", ref, "--config", "verifier.yaml", cwd=tmp_path))

    (served.root / "config.json").write_bytes(b"tampered\n")
    line = error_line(run_ocm("verify", "cv", ref, "--config", "verifier.yaml", cwd=tmp_path))
    assert "config" in line


def test_basic_auth_and_bearer_token_from_the_config(
    run_ocm: RunOcm, served: HTTPServer, tmp_path: Path
) -> None:
    url = f"{served.url}/config.json"
    _constructor(
        tmp_path,
        f"{{{_CONFIG}access: {{type: wget, url: {url}}}}}",
    )
    served.require(username="fetcher", password="s3cret")
    assert "401" in error_line(run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path))

    config = _credentials(
        tmp_path, served, "{type: WgetCredentials/v1, username: fetcher, password: s3cret}"
    )
    ok(run_ocm("add", "cv", "-r", "ctf", "--config", config, cwd=tmp_path))

    served.require(token="tok-123")
    config = _credentials(tmp_path, served, "{type: WgetCredentials/v1, identityToken: tok-123}")
    ref = f"ctf//{COMPONENT}:1.0.0"
    args = (*_CONFIG_TO_OUT, "--config", config)
    ok(run_ocm("download", "resource", ref, *args, cwd=tmp_path))
    assert (tmp_path / "out").read_bytes() == CONTENT
    assert served.requests[-1].headers["Authorization"] == "Bearer tok-123"


def test_https_needs_the_certificate_authority(
    run_ocm: RunOcm, https_server: HTTPServer, tmp_path: Path
) -> None:
    (https_server.root / "config.json").write_bytes(CONTENT)
    url = f"{https_server.url}/config.json"
    _constructor(tmp_path, f"{{{_CONFIG}input: {{type: wget, url: {url}}}}}")
    line = error_line(run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path))
    assert "certificate" in line.lower()

    assert https_server.ca_file is not None
    pem = https_server.ca_file.read_text()
    indented = pem.replace("\n", "\n        ")
    config = _credentials(
        tmp_path,
        https_server,
        f"type: WgetCredentials/v1\n      certificateAuthority: |\n        {indented}",
    )
    ok(run_ocm("add", "cv", "-r", "ctf", "--config", config, cwd=tmp_path))
    digest = hashlib.sha256(CONTENT).hexdigest()
    assert (tmp_path / "ctf" / "blobs" / f"sha256.{digest}").read_bytes() == CONTENT


@pytest.mark.parametrize(
    ("access", "expected"),
    [
        ("{type: wget, url: 'ftp://127.0.0.1/x'}", "only http and https"),
        ("{type: wget, url: '{url}/missing.json'}", "404"),
        ("{type: wget}", "url"),
        ("{type: wget, url: '{url}/config.json', body: '%%%'}", "base64"),
    ],
)
def test_bad_wget_accesses_fail_with_one_line(
    run_ocm: RunOcm, served: HTTPServer, tmp_path: Path, access: str, expected: str
) -> None:
    _constructor(
        tmp_path,
        f"{{{_CONFIG}access: {access.replace('{url}', served.url)}}}",
    )
    line = error_line(run_ocm("add", "cv", "-r", "ctf", cwd=tmp_path))
    assert expected in line
    assert (
        not (tmp_path / "ctf" / "artifact-index.json").exists()
        or COMPONENT not in (tmp_path / "ctf" / "artifact-index.json").read_text()
    )
