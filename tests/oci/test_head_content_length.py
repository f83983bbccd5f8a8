"""Sizes a registry's ``HEAD`` answers claim are checked, never copied into descriptors blindly.

A proxy in front of the real registry rewrites the ``Content-Length`` of every ``HEAD`` answer.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from fixtures.oci import FAST_RETRIES, image_config
from fixtures.proxy import fault_proxy
from fixtures.registry import RegistryServer
from pyocm.blob import BytesBlob
from pyocm.errors import RegistryError
from pyocm.oci.client import RegistryClient
from pyocm.oci.manifest import image_manifest
from pyocm.oci.mediatypes import IMAGE_MANIFEST


def _client_behind(registry: RegistryServer, length: str) -> Iterator[RegistryClient]:
    with (
        fault_proxy(registry.port, head_content_length=length) as proxy,
        RegistryClient(proxy.url, retry=FAST_RETRIES) as client,
    ):
        yield client


@pytest.fixture
def says_zero(registry: RegistryServer) -> Iterator[RegistryClient]:
    """A client whose every ``HEAD`` answer says ``Content-Length: 0``."""
    yield from _client_behind(registry, "0")


@pytest.fixture
def says_seven(registry: RegistryServer) -> Iterator[RegistryClient]:
    """A client whose every ``HEAD`` answer says ``Content-Length: 7``."""
    yield from _client_behind(registry, "7")


def _name() -> str:
    return f"pyocm-test/head-{uuid.uuid4().hex[:10]}"


def test_a_zero_length_head_of_a_non_empty_blob_is_checked_with_a_get(
    says_zero: RegistryClient,
) -> None:
    repo = says_zero.repository(_name())
    data = os.urandom(70_000)
    pushed = repo.push_bytes(data)
    assert pushed.size == len(data)
    # a fresh view of the repository, which did not push the blob itself
    fresh = says_zero.repository(repo.name)
    assert fresh.stat_blob(pushed.digest) == len(data)
    assert fresh.push_bytes(data).size == len(data)


def test_the_empty_blob_may_have_a_zero_length_head(says_zero: RegistryClient) -> None:
    repo = says_zero.repository(_name())
    pushed = repo.push_bytes(b"")
    assert says_zero.repository(repo.name).stat_blob(pushed.digest) == 0


def test_a_zero_length_head_of_a_manifest_is_fetched_instead(
    says_zero: RegistryClient,
) -> None:
    repo = says_zero.repository(_name())
    config = repo.push_bytes(image_config(), "application/vnd.oci.image.config.v1+json")
    layer = repo.push_bytes(os.urandom(1000), "application/vnd.oci.image.layer.v1.tar")
    content = image_manifest(config, [layer])
    repo.put_manifest(content, IMAGE_MANIFEST, tag="1.0.0")
    resolved = repo.resolve("1.0.0")
    assert resolved.size == len(content)


def test_a_registry_claiming_another_size_for_a_digest_is_an_error(
    registry: RegistryServer, says_seven: RegistryClient
) -> None:
    repo = says_seven.repository(_name())
    data = os.urandom(5000)
    with RegistryClient(registry.url, retry=FAST_RETRIES) as direct:
        direct.repository(repo.name).push_bytes(data)
    with pytest.raises(RegistryError, match=r"holds blob sha256:\w+ with 7 bytes, but it has 5000"):
        repo.push_blob(BytesBlob(data))


def test_after_a_push_a_head_that_disagrees_is_an_error(says_seven: RegistryClient) -> None:
    repo = says_seven.repository(_name())
    pushed = repo.push_bytes(os.urandom(5000))
    with pytest.raises(RegistryError, match=r"says blob sha256:\w+ has 7 bytes, but 5000 were"):
        repo.stat_blob(pushed.digest)
