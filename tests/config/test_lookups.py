"""OCI registry credentials and RSA signing keys (spec-core §5.7) from the configuration."""

from __future__ import annotations

import json

import pytest
from cfgtools import Sandbox, write

from pyocm.config.credentials.lookups import (
    RSAKeys,
    oci_credentials,
    oci_credentials_provider,
    rsa_signing_keys,
)
from pyocm.config.credentials.typed import OCICredentials
from pyocm.config.discovery import load_config
from pyocm.config.model import Config
from pyocm.errors import CredentialsError

PRIVATE = "-----BEGIN PRIVATE KEY-----\nMIIEvAIBADAN\n-----END PRIVATE KEY-----\n"
PUBLIC = "-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----\n"


def config_of(sandbox: Sandbox, body: str) -> Config:
    path = write(
        sandbox.root / "ocmconfig.yaml",
        "type: generic.config.ocm.software/v1\nconfigurations:\n" + body,
    )
    return load_config([path])


def rsa_consumer(credential: str, signature: str = "default", algorithm: str = "RSASSA-PSS") -> str:
    return f"""\
- type: credentials.config.ocm.software
  consumers:
  - identity: {{type: RSA/v1alpha1, algorithm: {algorithm}, signature: {signature}}}
    credentials:
    - {credential}
"""


def test_registry_credentials_from_credentials_v1(sandbox: Sandbox) -> None:
    # the shape the Go integration tests use (cli.md §3.3)
    config = config_of(
        sandbox,
        """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: OCIRegistry, hostname: 127.0.0.1, port: "5001", scheme: http}
    credentials:
    - type: Credentials/v1
      properties: {username: testuser, password: testpass}
""",
    )
    found = oci_credentials(config, "127.0.0.1", 5001, "sub/path", scheme="http")
    assert found == OCICredentials("testuser", "testpass")
    assert oci_credentials(config, "127.0.0.1", 5002, scheme="http") is None


def test_registry_credentials_from_oci_credentials(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: OCIRegistry, hostname: ghcr.io, path: acme/*}
    credentials: [{type: OCICredentials/v1, accessToken: at, refreshToken: rt}]
""",
    )
    assert oci_credentials(config, "ghcr.io", path="/acme/components") == OCICredentials(
        access_token="at", refresh_token="rt"
    )
    assert oci_credentials(config, "ghcr.io", path="other/components") is None


def test_registry_credentials_of_another_kind_are_an_error(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: OCIRegistry, hostname: ghcr.io}
    credentials: [{type: GitHubCredentials/v1, token: t}]
""",
    )
    with pytest.raises(CredentialsError, match="unsupported credential type GitHubCredentials/v1"):
        oci_credentials(config, "ghcr.io")


def test_provider_for_the_registry_client_splits_host_and_port(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: OCIRegistry, hostname: localhost, port: "5000", path: acme/*}
    credentials: [{type: OCICredentials/v1, username: local}]
  - identity: {type: OCIRegistry, hostname: "::1", port: "5000"}
    credentials: [{type: OCICredentials/v1, username: six}]
""",
    )
    provide = oci_credentials_provider(config, path="acme/components", scheme="http")
    assert provide("localhost:5000") == OCICredentials("local")
    assert provide("[::1]:5000") == OCICredentials("six")
    assert provide("localhost") is None
    assert oci_credentials_provider(config, path="other/x")("localhost:5000") is None


def test_registry_credentials_hide_secrets_in_their_repr() -> None:
    shown = repr(OCICredentials("me", "hunter2", "token-a", ""))
    assert "hunter2" not in shown and "token-a" not in shown
    assert (
        shown == "OCICredentials(username='me', password=..., access_token=..., refresh_token='')"
    )


def test_inline_rsa_keys(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        rsa_consumer(
            f"{{type: RSACredentials/v1, privateKeyPEM: {json.dumps(PRIVATE)}, "
            f"publicKeyPEM: {json.dumps(PUBLIC)}}}"
        ),
    )
    assert rsa_signing_keys(config, "default", "RSASSA-PSS") == RSAKeys(
        PRIVATE.encode(), PUBLIC.encode()
    )


def test_rsa_key_files_are_relative_to_the_working_directory(sandbox: Sandbox) -> None:
    # cli.md §9 item 11: relative paths in .ocmconfig resolve against the process CWD
    write(sandbox.cwd / "keys" / "private.pem", PRIVATE)
    write(sandbox.root / "keys" / "private.pem", "the wrong one, beside the config file")
    config = config_of(
        sandbox,
        rsa_consumer("{type: RSACredentials/v1, privateKeyPEMFile: ./keys/private.pem}"),
    )
    keys = rsa_signing_keys(config)
    assert keys == RSAKeys(PRIVATE.encode(), None)


def test_legacy_snake_case_properties(sandbox: Sandbox) -> None:
    key_file = write(sandbox.root / "pub.pem", PUBLIC)
    config = config_of(
        sandbox,
        rsa_consumer(
            "{type: Credentials/v1, properties: "
            f"{{private_key_pem: {json.dumps(PRIVATE)}, "
            f"public_key_pem_file: {json.dumps(str(key_file))}}}}}"
        ),
    )
    assert rsa_signing_keys(config) == RSAKeys(PRIVATE.encode(), PUBLIC.encode())


def test_camel_case_property_wins_over_snake_case(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        rsa_consumer(
            "{type: Credentials/v1, properties: {privateKeyPEM: camel, private_key_pem: snake}}"
        ),
    )
    keys = rsa_signing_keys(config)
    assert keys is not None and keys.private_key_pem == b"camel"


def test_inline_key_wins_over_key_file(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        rsa_consumer(
            "{type: RSACredentials/v1, privateKeyPEM: inline, privateKeyPEMFile: /no/such/file}"
        ),
    )
    keys = rsa_signing_keys(config)
    assert keys is not None and keys.private_key_pem == b"inline"


def test_missing_key_file_is_an_error_naming_it(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox, rsa_consumer("{type: RSACredentials/v1, privateKeyPEMFile: missing.pem}")
    )
    with pytest.raises(CredentialsError, match=r"failed loading private key PEM from missing\.pem"):
        rsa_signing_keys(config)


def test_keys_are_found_by_signature_name_and_algorithm(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        rsa_consumer("{type: RSACredentials/v1, privateKeyPEM: pss}", "release")
        + rsa_consumer(
            "{type: RSACredentials/v1, privateKeyPEM: pkcs}", "release", "RSASSA-PKCS1-V1_5"
        ).replace("- type: credentials.config.ocm.software\n  consumers:\n", ""),
    )
    pss = rsa_signing_keys(config, "release", "RSASSA-PSS")
    pkcs = rsa_signing_keys(config, "release", "RSASSA-PKCS1-V1_5")
    assert pss is not None and pss.private_key_pem == b"pss"
    assert pkcs is not None and pkcs.private_key_pem == b"pkcs"
    assert rsa_signing_keys(config, "default", "RSASSA-PSS") is None


def test_rsa_consumer_without_signature_attribute_never_matches(sandbox: Sandbox) -> None:
    # spec-core §5.7: algorithm and signature are both required, matched exactly
    body = """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: RSA/v1alpha1, algorithm: RSASSA-PSS}
    credentials: [{type: RSACredentials/v1, privateKeyPEM: x}]
"""
    assert rsa_signing_keys(config_of(sandbox, body)) is None


def test_rsa_credentials_of_another_kind_are_an_error(sandbox: Sandbox) -> None:
    config = config_of(sandbox, rsa_consumer("{type: OCICredentials/v1, username: u}"))
    with pytest.raises(CredentialsError, match="unsupported credential type OCICredentials/v1"):
        rsa_signing_keys(config)
