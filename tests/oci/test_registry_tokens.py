"""Bearer tokens against a real registry configured with ``auth: token``."""

from __future__ import annotations

import os

import pytest

from fixtures.oci import FAST_RETRIES
from fixtures.registry import TokenRegistry
from fixtures.token_server import REFRESH_TOKEN
from pyocm.errors import RegistryError
from pyocm.oci.auth import Credentials
from pyocm.oci.client import RegistryClient
from pyocm.oci.manifest import image_manifest


def token_client(setup: TokenRegistry, creds: Credentials | None) -> RegistryClient:
    return RegistryClient(setup.server.url, credentials=lambda host: creds, retry=FAST_RETRIES)


def test_tokens_are_fetched_per_scope_with_basic_credentials(
    token_registry: TokenRegistry,
) -> None:
    tokens = token_registry.tokens
    tokens.requests.clear()
    creds = Credentials(token_registry.server.username or "", token_registry.server.password or "")
    with token_client(token_registry, creds) as c:
        c.ping()
        repo = c.repository("pyocm-test/bearer")
        config = repo.push_bytes(b"{}", "application/vnd.oci.empty.v1+json")
        layer = repo.push_bytes(os.urandom(5000))
        repo.put_manifest(image_manifest(config, [layer]), tag="1.0")
        assert repo.list_tags() == ["1.0"]
        assert repo.fetch_blob(layer.digest) is not None
    asked = [(r.grant, r.scopes) for r in tokens.requests]
    # one token for the ping, one per scope set, each fetched once and then reused
    assert asked == [
        ("basic", []),
        ("basic", ["repository:pyocm-test/bearer:pull"]),
        ("basic", ["repository:pyocm-test/bearer:pull,push"]),
    ]


def test_a_refresh_token_is_exchanged_with_an_oauth2_grant(
    token_registry: TokenRegistry,
) -> None:
    tokens = token_registry.tokens
    tokens.requests.clear()
    with token_client(token_registry, Credentials(refresh_token=REFRESH_TOKEN)) as c:
        c.repository("pyocm-test/refresh").push_bytes(b"refreshed")
    assert [(r.method, r.grant) for r in tokens.requests] == [
        ("POST", "refresh_token"),
        ("POST", "refresh_token"),
    ]
    assert tokens.requests[-1].scopes == ["repository:pyocm-test/refresh:pull,push"]


def test_a_refused_token_is_fetched_again(token_registry: TokenRegistry) -> None:
    tokens = token_registry.tokens
    creds = Credentials(token_registry.server.username or "", token_registry.server.password or "")
    with token_client(token_registry, creds) as c:
        c.ping()
        tokens.requests.clear()
        tokens.expired_tokens = 1  # the next token is already expired: the registry says 401
        data = c.repository("pyocm-test/expired").push_bytes(b"after a refused token")
    assert data.size == len(b"after a refused token")
    assert [r.scopes for r in tokens.requests] == [
        ["repository:pyocm-test/expired:pull"],
        ["repository:pyocm-test/expired:pull"],
        ["repository:pyocm-test/expired:pull,push"],
    ]


def test_anonymous_token_request_is_refused_clearly(token_registry: TokenRegistry) -> None:
    with token_client(token_registry, None) as c, pytest.raises(RegistryError) as caught:
        c.ping()
    assert caught.value.status == 401
    assert caught.value.url == token_registry.tokens.realm
    assert "no credentials for" in str(caught.value)


def test_wrong_password_at_the_token_service(token_registry: TokenRegistry) -> None:
    wrong = Credentials(token_registry.server.username or "", "wrong-password")
    with token_client(token_registry, wrong) as c, pytest.raises(RegistryError) as caught:
        c.repository("pyocm-test/wrong").list_tags()
    assert caught.value.status == 401
    assert "were not accepted" in str(caught.value)
    assert "wrong-password" not in str(caught.value)
