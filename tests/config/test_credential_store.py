"""The credential store: consumers, merging, matching order, repositories, strict entries."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from cfgtools import Sandbox, write

from pyocm.config.credentials.store import CredentialStore, resolve_credentials
from pyocm.config.credentials.typed import Credentials
from pyocm.config.discovery import load_config
from pyocm.config.model import Config
from pyocm.errors import CredentialsError


def config_of(sandbox: Sandbox, body: str, name: str = "ocmconfig.yaml") -> Config:
    """Load a config file whose configurations are the YAML ``body`` (already indented)."""
    path = write(
        sandbox.root / name, "type: generic.config.ocm.software/v1\nconfigurations:\n" + body
    )
    return load_config([path])


def oci(host: str, **extra: str) -> dict[str, str]:
    return {"type": "OCIRegistry", "hostname": host, **extra}


GHCR_USER = """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: OCIRegistry, hostname: ghcr.io}
    credentials:
    - type: Credentials/v1
      properties: {username: ghcr-user, password: ghcr-token}
"""


def test_direct_credentials_resolve_to_their_properties(sandbox: Sandbox) -> None:
    config = config_of(sandbox, GHCR_USER)
    assert config.credentials.resolve(oci("ghcr.io")) == Credentials(
        "Credentials/v1", {"username": "ghcr-user", "password": "ghcr-token"}
    )
    assert resolve_credentials(config, oci("ghcr.io")) == {
        "username": "ghcr-user",
        "password": "ghcr-token",
    }
    assert resolve_credentials(config, oci("quay.io")) is None


def test_typed_credentials_resolve_under_their_json_names(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        """\
- type: credentials.config.ocm.software
  consumers:
  - identities: [{type: OCIRegistry, hostname: ghcr.io}]
    credentials:
    - {type: OCICredentials/v1, username: u, password: p, accessToken: a, refreshToken: r}
""",
    )
    found = config.credentials.resolve(oci("ghcr.io"))
    assert found is not None and found.type == "OCICredentials/v1"
    assert resolve_credentials(config, oci("ghcr.io")) == {
        "username": "u",
        "password": "p",
        "accessToken": "a",
        "refreshToken": "r",
    }


@pytest.mark.parametrize("alias", ["Credentials", "DirectCredentials/v1", "DirectCredentials"])
def test_aliases_of_credentials_v1(sandbox: Sandbox, alias: str) -> None:
    config = config_of(sandbox, GHCR_USER.replace("type: Credentials/v1", f"type: {alias}"))
    assert resolve_credentials(config, oci("ghcr.io")) == {
        "username": "ghcr-user",
        "password": "ghcr-token",
    }


def test_direct_credentials_merge_key_by_key_later_wins(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: OCIRegistry, hostname: h}
    credentials:
    - {type: Credentials/v1, properties: {username: first, password: one}}
    - {type: Credentials/v1, properties: {password: two}}
- type: credentials.config.ocm.software
  consumers:
  - identity: {hostname: h, type: OCIRegistry}
    credentials:
    - {type: Credentials/v1, properties: {accessToken: t}}
""",
    )
    assert resolve_credentials(config, oci("h")) == {
        "username": "first",
        "password": "two",
        "accessToken": "t",
    }


def test_typed_credentials_win_over_direct_ones_whatever_the_order(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: OCIRegistry, hostname: h}
    credentials: [{type: OCICredentials/v1, username: typed}]
  - identity: {type: OCIRegistry, hostname: h}
    credentials: [{type: Credentials/v1, properties: {username: direct}}]
""",
    )
    assert resolve_credentials(config, oci("h")) == {"username": "typed"}


def test_last_typed_credential_of_an_identity_wins(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: OCIRegistry, hostname: h}
    credentials: [{type: OCICredentials/v1, username: first}]
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: OCIRegistry, hostname: h}
    credentials: [{type: OCICredentials, username: second}]
""",
    )
    assert resolve_credentials(config, oci("h")) == {"username": "second"}


def test_one_consumer_serves_all_its_identities(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        """\
- type: credentials.config.ocm.software
  consumers:
  - identities: [{type: OCIRegistry, hostname: a}]
    identity: {type: OCIRegistry, hostname: b}
    credentials: [{type: OCICredentials/v1, username: both}]
""",
    )
    assert resolve_credentials(config, oci("a")) == resolve_credentials(config, oci("b"))
    assert [c.identity["hostname"] for c in config.credentials.consumers] == ["a", "b"]


def test_unquoted_port_number_is_the_port_string(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: OCIRegistry, hostname: localhost, port: 5000, scheme: http}
    credentials: [{type: OCICredentials/v1, username: admin}]
""",
    )
    request = oci("localhost", port="5000", scheme="http")
    assert resolve_credentials(config, request) == {"username": "admin"}


# website/content/docs/tutorials/credential-resolution.md, Example B
EXAMPLE_B = """\
- type: credentials.config.ocm.software
  consumers:
  - identities: [{type: OCIRegistry, hostname: ghcr.io}]
    credentials: [{type: Credentials/v1, properties: {username: catchall-user}}]
  - identities: [{type: OCIRegistry, hostname: ghcr.io, path: my-org/*}]
    credentials: [{type: Credentials/v1, properties: {username: org-user}}]
  - identities: [{type: OCIRegistry, hostname: ghcr.io, path: my-org/production}]
    credentials: [{type: Credentials/v1, properties: {username: prod-user}}]
"""


@pytest.mark.parametrize(
    ("path", "user"),
    [
        ("my-org/production", "prod-user"),
        ("my-org/staging", "org-user"),
        ("my-org/team/repo", "catchall-user"),
        ("other-org/repo", "catchall-user"),
    ],
)
def test_most_specific_consumer_wins_whatever_the_order(
    sandbox: Sandbox, path: str, user: str
) -> None:
    # the tutorial lists A (exact), B (glob), C (host only); here they come in reverse order
    found = resolve_credentials(config_of(sandbox, EXAMPLE_B), oci("ghcr.io", path=path))
    assert found == {"username": user}


# the same tutorial, Example B2: "*/*" listed before "my-org/*"
EXAMPLE_B2 = """\
- type: credentials.config.ocm.software
  consumers:
  - identities: [{type: OCIRegistry, hostname: ghcr.io, path: "*/*"}]
    credentials: [{type: Credentials/v1, properties: {username: org-user}}]
  - identities: [{type: OCIRegistry, hostname: ghcr.io, path: "my-org/*"}]
    credentials: [{type: Credentials/v1, properties: {username: my-org-user}}]
"""


@pytest.mark.parametrize(
    ("path", "user"),
    [
        ("my-org/repo", "my-org-user"),
        ("other-org/project", "org-user"),
        ("my-org/team/subteam/repo", None),
        ("singlelevel", None),
    ],
)
def test_tutorial_two_level_wildcards(sandbox: Sandbox, path: str, user: str | None) -> None:
    found = resolve_credentials(config_of(sandbox, EXAMPLE_B2), oci("ghcr.io", path=path))
    assert found == ({"username": user} if user else None)


def test_equally_specific_matches_take_the_first_in_the_configuration(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        """\
- type: credentials.config.ocm.software
  consumers:
  - identities: [{type: OCIRegistry, hostname: ghcr.io, path: "acme/a*"}]
    credentials: [{type: Credentials/v1, properties: {username: first}}]
  - identities: [{type: OCIRegistry, hostname: ghcr.io, path: "acme/*b"}]
    credentials: [{type: Credentials/v1, properties: {username: second}}]
""",
    )
    assert resolve_credentials(config, oci("ghcr.io", path="acme/ab")) == {"username": "first"}


def test_scheme_and_port_defaults_apply_to_the_request(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: OCIRegistry, hostname: ghcr.io, scheme: https}
    credentials: [{type: Credentials/v1, properties: {username: secure}}]
""",
    )
    assert resolve_credentials(config, oci("ghcr.io", port="443")) == {"username": "secure"}
    assert resolve_credentials(config, oci("ghcr.io", scheme="oci")) == {"username": "secure"}
    assert resolve_credentials(config, oci("ghcr.io", scheme="http")) is None
    assert resolve_credentials(config, oci("ghcr.io", port="5000")) is None


def test_consumer_without_credentials_does_not_hide_others(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: OCIRegistry, hostname: h, path: exact}
    credentials: []
  - identity: {type: OCIRegistry, hostname: h}
    credentials: [{type: Credentials/v1, properties: {username: host}}]
""",
    )
    assert resolve_credentials(config, oci("h", path="exact")) == {"username": "host"}


def test_request_needs_a_type(sandbox: Sandbox) -> None:
    with pytest.raises(CredentialsError, match="identity type is required"):
        config_of(sandbox, GHCR_USER).credentials.resolve({"hostname": "ghcr.io"})


def _docker_repository(path: Path) -> str:
    return f"""\
- type: credentials.config.ocm.software
  repositories:
  - repository: {{type: DockerConfig/v1, dockerConfigFile: "{path}"}}
"""


def test_docker_config_answers_when_no_consumer_matches(sandbox: Sandbox) -> None:
    docker = write(sandbox.root / "docker.json", '{"auths":{"quay.io":{"auth":"dXNlcjpwYXNz"}}}')
    config = config_of(sandbox, GHCR_USER + _docker_repository(docker))
    assert resolve_credentials(config, oci("quay.io")) == {"username": "user", "password": "pass"}
    assert resolve_credentials(config, oci("ghcr.io"))["username"] == "ghcr-user"  # type: ignore[index]


def test_consumers_win_over_the_docker_config(sandbox: Sandbox) -> None:
    docker = write(sandbox.root / "docker.json", '{"auths":{"ghcr.io":{"auth":"dXNlcjpwYXNz"}}}')
    config = config_of(sandbox, _docker_repository(docker) + GHCR_USER)
    assert resolve_credentials(config, oci("ghcr.io"))["username"] == "ghcr-user"  # type: ignore[index]


def test_docker_config_answers_only_oci_registry_requests(sandbox: Sandbox) -> None:
    docker = write(sandbox.root / "docker.json", '{"auths":{"h":{"auth":"dXNlcjpwYXNz"}}}')
    config = config_of(sandbox, _docker_repository(docker))
    assert resolve_credentials(config, {"type": "HelmChartRepository", "hostname": "h"}) is None
    assert resolve_credentials(config, {"type": "OCIRegistry/v1", "hostname": "h"}) is None


def test_first_docker_config_with_credentials_wins(sandbox: Sandbox) -> None:
    empty = write(sandbox.root / "empty.json", '{"auths":{}}')
    first = write(sandbox.root / "first.json", '{"auths":{"h":{"username":"one","password":"x"}}}')
    second = write(
        sandbox.root / "second.json", '{"auths":{"h":{"username":"two","password":"x"}}}'
    )
    body = _docker_repository(empty) + _docker_repository(first) + _docker_repository(second)
    assert resolve_credentials(config_of(sandbox, body), oci("h"))["username"] == "one"  # type: ignore[index]


def test_a_failing_docker_config_fails_unless_another_answers(sandbox: Sandbox) -> None:
    broken = write(sandbox.root / "broken.json", "{oops")
    good = write(sandbox.root / "good.json", '{"auths":{"h":{"username":"u","password":"p"}}}')
    assert resolve_credentials(
        config_of(sandbox, _docker_repository(broken) + _docker_repository(good)), oci("h")
    ) == {"username": "u", "password": "p"}
    with pytest.raises(CredentialsError, match="invalid docker config") as error:
        resolve_credentials(config_of(sandbox, _docker_repository(broken), "b.yaml"), oci("h"))
    assert str(broken) in str(error.value)


def test_docker_credentials_are_looked_up_once(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = sandbox.root / "helpers"
    script = write(
        bin_dir / "docker-credential-pyocmcount",
        f'#!/bin/sh\necho run >> "{bin_dir}/runs"\nprintf \'{{"Username":"u","Secret":"s"}}\'\n',
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    docker = write(sandbox.root / "docker.json", '{"credsStore": "pyocmcount"}')
    store = config_of(sandbox, _docker_repository(docker)).credentials
    assert store.resolve(oci("h")) == store.resolve(oci("h"))
    assert (bin_dir / "runs").read_text() == "run\n"


def test_the_store_is_built_once_per_config(sandbox: Sandbox) -> None:
    config = config_of(sandbox, GHCR_USER)
    assert isinstance(config.credentials, CredentialStore)
    assert config.credentials is config.credentials


# --- strictness: a typing mistake is an error, never silent anonymous access ------------------


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        (
            GHCR_USER.replace("username: ghcr-user", "usernme: ghcr-user"),
            "configurations[0].consumers[0].credentials[0].properties",
            'unknown property "usernme" for OCIRegistry credentials '
            "(known: accessToken, password, refreshToken, username)",
        ),
        (
            GHCR_USER.replace("  - identity:", "  - identites:"),
            "configurations[0].consumers[0]",
            'unknown key "identites" in consumer (known: identity, identities, credentials)',
        ),
        (
            GHCR_USER.replace("properties: {", "property: {"),
            "configurations[0].consumers[0].credentials[0]",
            'unknown key "property" in Credentials/v1 credentials (known: type, properties)',
        ),
        (
            GHCR_USER.replace("  consumers:", "  consumer:"),
            "configurations[0]",
            'unknown key "consumer" in credentials.config.ocm.software entry '
            "(known: type, consumers, repositories)",
        ),
        (
            GHCR_USER.replace("type: Credentials/v1", "type: Credential/v1"),
            "configurations[0].consumers[0].credentials[0]",
            'unknown credential type "Credential/v1" (known: ',
        ),
        (
            GHCR_USER.replace(
                "    - type: Credentials/v1\n"
                "      properties: {username: ghcr-user, password: ghcr-token}",
                "    - {type: OCICredentials/v1, user: ghcr-user}",
            ),
            "configurations[0].consumers[0].credentials[0]",
            'unknown key "user" in OCICredentials/v1 credentials '
            "(known: type, username, password, accessToken, refreshToken)",
        ),
        (
            GHCR_USER.replace("password: ghcr-token", "password: yes"),
            "configurations[0].consumers[0].credentials[0].properties.password",
            "must be a string (quote it)",
        ),
        (
            GHCR_USER.replace("    - type: Credentials/v1\n", "    - type: \n"),
            "configurations[0].consumers[0].credentials[0]",
            "credential type is empty",
        ),
    ],
)
def test_misspelt_credentials_are_errors_naming_file_entry_and_key(
    sandbox: Sandbox, body: str, where: str, message: str
) -> None:
    config = config_of(sandbox, body)
    with pytest.raises(CredentialsError) as error:
        resolve_credentials(config, oci("ghcr.io"))
    assert str(error.value).startswith(f"{sandbox.root / 'ocmconfig.yaml'}: {where}: {message}")


def test_misspelt_repository_entries_are_errors(sandbox: Sandbox) -> None:
    body = """\
- type: credentials.config.ocm.software
  repositories:
  - repository: {type: DockerConfig/v1, dockerConfigFle: x}
"""
    with pytest.raises(CredentialsError, match='unknown key "dockerConfigFle"'):
        resolve_credentials(config_of(sandbox, body), oci("h"))


def test_unknown_repository_types_are_errors(sandbox: Sandbox) -> None:
    body = """\
- type: credentials.config.ocm.software
  repositories:
  - repository: {type: HashiCorpVault, serverURL: "https://vault/"}
"""
    with pytest.raises(CredentialsError) as error:
        resolve_credentials(config_of(sandbox, body), oci("h"))
    assert str(error.value) == (
        f"{sandbox.root / 'ocmconfig.yaml'}: configurations[0].repositories[0].repository: "
        'credential repository type "HashiCorpVault" is not supported (pyocm knows DockerConfig/v1)'
    )


def test_v1_propagate_consumer_identity_flag_is_accepted(sandbox: Sandbox) -> None:
    body = """\
- type: credentials.config.ocm.software
  repositories:
  - repository:
      type: DockerConfig/v1
      dockerConfigFile: "~/nothing.json"
      propagateConsumerIdentity: true
"""
    assert resolve_credentials(config_of(sandbox, body), oci("h")) is None


def test_two_typed_credentials_in_one_consumer_are_an_error(sandbox: Sandbox) -> None:
    body = """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: OCIRegistry, hostname: h}
    credentials:
    - {type: OCICredentials/v1, username: a}
    - {type: OCICredentials/v1, username: b}
"""
    with pytest.raises(CredentialsError, match="a consumer takes one typed credential"):
        resolve_credentials(config_of(sandbox, body), oci("h"))


def test_rsa_consumers_accept_camel_and_snake_case_properties(sandbox: Sandbox) -> None:
    body = """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: RSA/v1alpha1, algorithm: RSASSA-PSS, signature: default}
    credentials:
    - type: Credentials/v1
      properties: {private_key_pem_file: a.pem, publicKeyPEMFile: b.pem}
"""
    request = {"type": "RSA/v1alpha1", "algorithm": "RSASSA-PSS", "signature": "default"}
    assert resolve_credentials(config_of(sandbox, body), request) == {
        "private_key_pem_file": "a.pem",
        "publicKeyPEMFile": "b.pem",
    }


def test_a_key_property_on_a_registry_consumer_is_an_error(sandbox: Sandbox) -> None:
    body = GHCR_USER.replace("username: ghcr-user", "private_key_pem: x")
    with pytest.raises(CredentialsError, match='unknown property "private_key_pem"'):
        resolve_credentials(config_of(sandbox, body), oci("ghcr.io"))


def test_properties_of_unknown_consumer_types_are_not_judged(sandbox: Sandbox) -> None:
    # NG cli/cmd/configuration/testdata/.ocmconfig-1: a consumer for a plugin's own type
    body = """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: JFrogHelm, hostname: common.repositories.cloud.sap}
    credentials:
    - type: Credentials/v1
      properties: {username: username, password: password, anything: goes}
"""
    request = {"type": "JFrogHelm", "hostname": "common.repositories.cloud.sap"}
    assert resolve_credentials(config_of(sandbox, body), request) == {
        "username": "username",
        "password": "password",
        "anything": "goes",
    }


def test_typed_fields_match_case_insensitively_as_in_go(sandbox: Sandbox) -> None:
    body = """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: OCIRegistry, hostname: h}
    credentials: [{Type: OCICredentials/v1, Username: u}]
"""
    assert resolve_credentials(config_of(sandbox, body), oci("h")) == {"username": "u"}


def test_credential_plugin_entries_fail_only_when_used(sandbox: Sandbox) -> None:
    body = (
        """\
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: SigstoreSigner/v1alpha1, signature: default}
    credentials:
    - {type: OIDCIdentityTokenProvider/v1alpha1, issuer: "https://issuer"}
"""
        + GHCR_USER
    )
    config = config_of(sandbox, body)
    assert resolve_credentials(config, oci("ghcr.io")) is not None
    with pytest.raises(CredentialsError, match="need a credential plugin"):
        resolve_credentials(config, {"type": "SigstoreSigner/v1alpha1", "signature": "default"})


def test_misspelt_identity_type_is_warned_about(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    config = config_of(sandbox, GHCR_USER.replace("type: OCIRegistry", "type: OCIRegsitry"))
    with caplog.at_level(logging.WARNING, logger="pyocm.config"):
        assert resolve_credentials(config, oci("ghcr.io")) is None
    assert [r.getMessage() for r in caplog.records] == [
        'consumer identity type "OCIRegsitry" is never looked up (did you mean "OCIRegistry"?)'
    ]


def test_foreign_identity_types_are_not_warned_about(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    config = config_of(sandbox, GHCR_USER.replace("type: OCIRegistry", "type: JFrogHelm"))
    with caplog.at_level(logging.WARNING, logger="pyocm.config"):
        resolve_credentials(config, oci("ghcr.io"))
    assert caplog.records == []
