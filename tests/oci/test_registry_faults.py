"""A misbehaving registry (a proxy in front of the real one): resume, retries, giving up."""

from __future__ import annotations

import hashlib
import os
import time

import pytest

from fixtures.oci import image_config
from fixtures.proxy import Fault, FaultProxy
from pyocm.blob import BytesBlob
from pyocm.errors import RegistryError
from pyocm.oci.blob_download import BlobReader
from pyocm.oci.client import RegistryClient
from pyocm.oci.manifest import image_manifest
from pyocm.oci.mediatypes import IMAGE_MANIFEST
from pyocm.oci.remote import RemoteRepository
from pyocm.oci.retry import RetryPolicy

MiB = 1 << 20


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def test_a_dropped_download_resumes_with_range(proxied: RegistryClient, proxy: FaultProxy) -> None:
    repo = proxied.repository("pyocm-test/resume")
    data = os.urandom(3 * MiB)
    pushed = repo.push_bytes(data)
    proxy.log.clear()
    proxy.add(Fault("GET", "/blobs/sha256:", "cut", cut_after=MiB + 17))
    reader = BlobReader(repo, pushed.digest, pushed.size)
    received = reader.read()
    assert received == data
    assert reader.resumes == 1
    # the second GET asked for the rest and got a partial answer
    assert [(m, s) for m, _, s in proxy.log] == [("GET", 0), ("GET", 206)]


def test_open_blob_verifies_a_resumed_download(proxied: RegistryClient, proxy: FaultProxy) -> None:
    repo = proxied.repository("pyocm-test/resume-verified")
    data = os.urandom(2 * MiB)
    pushed = repo.push_bytes(data)
    proxy.add(Fault("GET", "/blobs/sha256:", "cut", cut_after=1000, times=2))
    assert repo.fetch_blob(pushed.digest, pushed.size, limit=len(data)) == data


def test_retries_after_429_503_and_a_reset_get_the_push_done(
    proxied: RegistryClient, proxy: FaultProxy
) -> None:
    repo = proxied.repository("pyocm-test/retries")
    proxy.add(Fault("HEAD", "/blobs/", "reset"))
    proxy.add(Fault("POST", "/blobs/uploads/", "status", 429, {"Retry-After": "1"}, times=2))
    proxy.add(Fault("PUT", "/manifests/", "status", 503))
    started = time.monotonic()
    config = repo.push_bytes(image_config(), "application/vnd.oci.image.config.v1+json")
    layer = repo.push_bytes(os.urandom(1000), "application/vnd.oci.image.layer.v1.tar")
    raw = image_manifest(config, [layer])
    pushed = repo.put_manifest(raw, IMAGE_MANIFEST, tag="1.0")
    elapsed = time.monotonic() - started
    assert repo.get_manifest("1.0").content == raw
    assert pushed.digest == sha256(raw)
    statuses = [(m, s) for m, _, s in proxy.log]
    assert statuses[:6] == [
        ("HEAD", 0),
        ("HEAD", 404),
        ("POST", 429),
        ("POST", 429),
        ("POST", 202),
        ("PUT", 201),
    ]
    assert ("PUT", 503) in statuses
    assert elapsed >= 2.0  # Retry-After: 1, twice


def test_too_many_failures_raise_a_registry_error_naming_the_url(
    proxied: RegistryClient, proxy: FaultProxy
) -> None:
    repo = proxied.repository("pyocm-test/gives-up")
    proxy.add(Fault("POST", "/blobs/uploads/", "status", 503, times=100))
    with pytest.raises(RegistryError) as caught:
        repo.push_bytes(b"never stored")
    error = caught.value
    assert error.status == 503
    assert error.method == "POST"
    assert error.url == f"{proxy.url}/v2/pyocm-test/gives-up/blobs/uploads/"
    assert error.code == "UNAVAILABLE"
    assert str(error).startswith(f"POST {proxy.url}/v2/pyocm-test/gives-up/blobs/uploads/: 503")
    attempts = [m for m, _, s in proxy.log if m == "POST"]
    assert len(attempts) == proxied.retry.attempts


def test_resets_without_end_give_up_with_the_url(proxy: FaultProxy) -> None:
    waits: list[float] = []
    policy = RetryPolicy(attempts=3, initial_delay=0.01, sleep=waits.append)
    proxy.add(Fault("GET", "/tags/list", "reset", times=10))
    with RegistryClient(proxy.url, retry=policy) as c, pytest.raises(RegistryError) as caught:
        c.repository("pyocm-test/resets").list_tags()
    assert caught.value.status is None
    assert caught.value.url == f"{proxy.url}/v2/pyocm-test/resets/tags/list"
    assert len(waits) == 2


def test_an_interrupted_chunked_upload_resumes_where_the_registry_stands(
    proxied: RegistryClient, proxy: FaultProxy
) -> None:
    repo = RemoteRepository(proxied, "pyocm-test/chunk-resume", chunk_size=MiB)
    data = os.urandom(4 * MiB)
    # the third PATCH never reaches the registry: the upload asks where it stands, goes on
    proxy.add(Fault("PATCH", "/blobs/uploads/", "reset", skip=2))
    pushed = repo.push_blob(BytesBlob(data))
    assert [(m, s) for m, _, s in proxy.log] == [
        ("HEAD", 404),
        ("POST", 202),
        ("PATCH", 202),
        ("PATCH", 202),
        ("PATCH", 0),
        ("GET", 204),
        ("PATCH", 202),
        ("PATCH", 202),
        ("PUT", 201),
    ]
    assert repo.fetch_blob(pushed.digest, limit=len(data)) == data


def test_an_upload_the_registry_lost_starts_again(
    proxied: RegistryClient, proxy: FaultProxy
) -> None:
    repo = RemoteRepository(proxied, "pyocm-test/chunk-restart", chunk_size=MiB)
    data = os.urandom(3 * MiB)
    proxy.add(Fault("PATCH", "/blobs/uploads/", "reset", skip=1))
    proxy.add(Fault("GET", "/blobs/uploads/", "status", 404))
    pushed = repo.push_blob(BytesBlob(data))
    calls = [(m, s) for m, _, s in proxy.log]
    assert calls[:6] == [
        ("HEAD", 404),
        ("POST", 202),
        ("PATCH", 202),
        ("PATCH", 0),
        ("GET", 404),
        ("POST", 202),
    ]
    assert calls[6:] == [("PATCH", 202)] * 3 + [("PUT", 201)]
    assert repo.fetch_blob(pushed.digest, limit=len(data)) == data
