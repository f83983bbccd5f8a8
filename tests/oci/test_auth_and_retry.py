"""Challenges, scopes, the token cache, credentials' secrecy, retry timing, registry errors."""

from __future__ import annotations

import email.utils
import time

import pytest

from pyocm.errors import NotFound, RegistryError, RegistryNotFound
from pyocm.oci.auth import Credentials, TokenCache, merge_scopes, parse_challenge
from pyocm.oci.retry import RetryPolicy, parse_retry_after


def test_bearer_challenge_with_quoted_commas_and_escapes() -> None:
    challenge = parse_challenge(
        'Bearer realm="https://auth.example/token",service="registry.example",'
        'scope="repository:a/b:pull,push",error="insufficient_scope",note="say \\"hi\\""'
    )
    assert challenge.scheme == "bearer"
    assert challenge.params == {
        "realm": "https://auth.example/token",
        "service": "registry.example",
        "scope": "repository:a/b:pull,push",
        "error": "insufficient_scope",
        "note": 'say "hi"',
    }


def test_basic_challenge_and_garbage() -> None:
    assert parse_challenge('Basic realm="pyocm-test"') == parse_challenge(
        'basic realm="pyocm-test"'
    )
    assert parse_challenge('Basic realm="pyocm-test"').params == {"realm": "pyocm-test"}
    assert parse_challenge("").scheme == ""


def test_scopes_of_one_repository_are_merged_and_sorted() -> None:
    assert merge_scopes(
        ["repository:b:push", "repository:a:pull", "repository:b:pull", "registry:catalog:*"]
    ) == ("registry:catalog:*", "repository:a:pull", "repository:b:pull,push")
    assert merge_scopes(["repository:a:pull repository:a:push"]) == ("repository:a:pull,push",)
    assert merge_scopes([]) == ()


def test_token_cache_forgets_tokens_near_their_expiry() -> None:
    now = [1000.0]
    cache = TokenCache(clock=lambda: now[0])
    cache.put("h", ("s",), "tok", expires_in=60)
    assert cache.get("h", ("s",)) == "tok"
    assert cache.get("h", ("other",)) is None
    assert cache.get("other", ("s",)) is None
    now[0] += 60 - TokenCache.EXPIRY_MARGIN - 1
    assert cache.get("h", ("s",)) == "tok"
    now[0] += 1
    assert cache.get("h", ("s",)) is None
    cache.put("h", ("s",), "tok2", expires_in=60)
    cache.drop("h", ("s",))
    assert cache.get("h", ("s",)) is None


def test_credentials_never_show_their_secrets() -> None:
    creds = Credentials("alice", "s3cret", access_token="at-123", refresh_token="rt-456")
    shown = repr(creds) + str(creds)
    assert "alice" in shown
    for secret in ("s3cret", "at-123", "rt-456"):
        assert secret not in shown


def test_backoff_grows_to_its_cap_and_retry_after_wins() -> None:
    policy = RetryPolicy(initial_delay=0.5, multiplier=2, max_delay=3, jitter=0)
    assert [policy.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert policy.delay(1, retry_after=7) == 7
    assert policy.delay(4, retry_after=1) == 3.0


def test_jitter_shortens_waits_within_its_fraction() -> None:
    policy = RetryPolicy(initial_delay=1.0, jitter=0.5)
    waits = {policy.delay(1) for _ in range(200)}
    assert all(0.5 <= w <= 1.0 for w in waits)
    assert len(waits) > 1


def test_attempts_are_bounded_by_count_and_total_time() -> None:
    slept: list[float] = []
    policy = RetryPolicy(attempts=4, initial_delay=0.1, jitter=0, sleep=slept.append)
    attempts = policy.start()
    assert [attempts.backoff() for _ in range(4)] == [True, True, True, False]
    assert slept == [0.1, 0.2, 0.4]
    short = RetryPolicy(attempts=10, initial_delay=5, total=1, sleep=slept.append).start()
    assert short.backoff() is False


def test_retry_after_seconds_and_dates() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    now = time.time()
    later = email.utils.formatdate(now + 30, usegmt=True)
    assert 28 <= (parse_retry_after(later, now) or 0) <= 31
    earlier = email.utils.formatdate(now - 30, usegmt=True)
    assert parse_retry_after(earlier, now) == 0.0


def test_registry_error_message_and_not_found() -> None:
    error = RegistryError(
        "PUT",
        "https://r.example/v2/a/manifests/1",
        400,
        "Bad Request",
        "MANIFEST_INVALID",
        "manifest invalid",
    )
    assert str(error) == (
        "PUT https://r.example/v2/a/manifests/1: 400 Bad Request: MANIFEST_INVALID: "
        "manifest invalid"
    )
    unreachable = RegistryError("GET", "https://r.example/v2/", None, "ConnectError: refused")
    assert str(unreachable) == "GET https://r.example/v2/: ConnectError: refused"
    assert isinstance(RegistryNotFound("GET", "u", 404, "Not Found"), NotFound)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://u:p@r.example/v2/a/blobs/uploads/x?_state=secret",
            "https://r.example/v2/a/blobs/uploads/x",
        ),
        ("http://127.0.0.1:5000/v2/", "http://127.0.0.1:5000/v2/"),
    ],
)
def test_urls_in_errors_drop_query_and_user_info(url: str, shown: str) -> None:
    from pyocm.oci.client import display_url

    assert display_url(url) == shown
