"""Reaching the real registries: ping, anonymous and basic auth, TLS and plain HTTP."""

from __future__ import annotations

import pytest

from fixtures.registry import RegistryServer
from pyocm.errors import OCMError, RegistryError
from pyocm.oci.auth import Credentials
from pyocm.oci.client import RegistryClient
from pyocm.oci.retry import RetryPolicy


def test_ping_answers_on_both_registries(client: RegistryClient) -> None:
    client.ping()


def test_anonymous_access_to_the_secure_registry_is_refused_naming_the_host(
    secure_registry: RegistryServer,
) -> None:
    with (
        RegistryClient(secure_registry.url, ca_file=secure_registry.ca_file) as anonymous,
        pytest.raises(RegistryError) as caught,
    ):
        anonymous.ping()
    assert caught.value.status == 401
    assert f"no credentials for {secure_registry.address}" in str(caught.value)
    assert str(caught.value).startswith(f"GET {secure_registry.url}/v2/: 401")


def test_wrong_password_is_a_clear_error_without_the_password(
    secure_registry: RegistryServer,
) -> None:
    wrong = Credentials(secure_registry.username or "", "not-the-password")
    with (
        RegistryClient(
            secure_registry.url, credentials=lambda host: wrong, ca_file=secure_registry.ca_file
        ) as c,
        pytest.raises(RegistryError) as caught,
    ):
        c.ping()
    message = str(caught.value)
    assert caught.value.status == 401
    assert f"credentials for {secure_registry.address} were not accepted" in message
    assert "not-the-password" not in message
    assert caught.value.code == "UNAUTHORIZED"


def test_credentials_are_asked_for_the_registry_host_once(
    secure_registry: RegistryServer,
) -> None:
    asked: list[str] = []
    creds = Credentials(secure_registry.username or "", secure_registry.password or "")

    def lookup(host: str) -> Credentials:
        asked.append(host)
        return creds

    with RegistryClient(
        secure_registry.url, credentials=lookup, ca_file=secure_registry.ca_file
    ) as c:
        c.ping()
        c.ping()
    assert asked == [secure_registry.address]


def test_tls_is_verified_by_default(secure_registry: RegistryServer) -> None:
    with RegistryClient(secure_registry.url) as c, pytest.raises(RegistryError) as caught:
        c.ping()
    assert caught.value.status is None
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)


def test_no_scheme_means_https_and_insecure_means_plain_http(registry: RegistryServer) -> None:
    with RegistryClient(registry.address) as tls:
        assert tls.base_url == f"https://{registry.address}"
        # a loopback registry that does not speak TLS is then reached in plain HTTP
        # (test_plain_http_loopback.py); an explicit https:// is never given up
        tls.ping()
        assert tls.base_url == registry.url
    with RegistryClient(f"https://{registry.address}") as tls, pytest.raises(RegistryError):
        tls.ping()
    with RegistryClient(registry.address, insecure=True) as plain:
        assert plain.base_url == registry.url
        plain.ping()


def test_an_https_url_to_a_plain_registry_fails_without_retrying(
    registry: RegistryServer,
) -> None:
    waits: list[float] = []
    policy = RetryPolicy(attempts=5, initial_delay=0.01, sleep=waits.append)
    with (
        RegistryClient(f"https://{registry.address}", retry=policy) as c,
        pytest.raises(RegistryError) as caught,
    ):
        c.ping()
    assert caught.value.status is None
    assert waits == []


@pytest.mark.parametrize("bad", ["ftp://host", "host/path", "user@host", ""])
def test_a_malformed_registry_is_refused(bad: str) -> None:
    with pytest.raises(OCMError, match="registry"):
        RegistryClient(bad)
