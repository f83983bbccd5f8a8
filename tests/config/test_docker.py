"""``DockerConfig/v1`` repositories: docker's config.json and the credential-helper protocol.

Cases ported from NG bindings/go/oci/credentials/docker_config_test.go where they exist."""

from __future__ import annotations

import base64
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from cfgtools import Sandbox, write

from pyocm.config.credentials.docker import DockerConfigRepository
from pyocm.config.credentials.typed import OCICredentials
from pyocm.errors import CredentialsError

Helper = Callable[[str, str], Path]


def oci(host: str, port: str = "") -> dict[str, str]:
    identity = {"type": "OCIRegistry", "hostname": host}
    if port:
        identity["port"] = port
    return identity


def inline(auths: dict[str, object], **extra: object) -> DockerConfigRepository:
    return DockerConfigRepository(docker_config=json.dumps({"auths": auths, **extra}))


@pytest.fixture
def helper(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Helper:
    """Install ``docker-credential-<name>`` (a shell script with ``body``) on a private PATH.

    Every run records its arguments in ``<bin>/<name>.args`` and its stdin in
    ``<bin>/<name>.stdin``.
    """
    bin_dir = sandbox.root / "helpers"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")

    def install(name: str, body: str) -> Path:
        script = bin_dir / f"docker-credential-{name}"
        script.write_text(
            "#!/bin/sh\n"
            f'echo "$@" > "{bin_dir}/{name}.args"\n'
            f'cat > "{bin_dir}/{name}.stdin"\n'
            f"{body}\n"
        )
        script.chmod(0o755)
        return bin_dir

    return install


ANSWER = 'printf \'{"ServerURL":"x","Username":"helper-user","Secret":"helper-secret"}\''


def test_base64_auth_is_user_and_password() -> None:
    auth = base64.b64encode(b"alice:pa:ss").decode()  # the password may contain colons
    found = inline({"ghcr.io": {"auth": auth}}).resolve(oci("ghcr.io"))
    assert found == OCICredentials("alice", "pa:ss")


def test_plain_username_and_password() -> None:
    # NG "credentials found without port - no fallback needed"
    repo = inline({"registry.example.com": {"username": "testuser", "password": "testpass"}})
    assert repo.resolve(oci("registry.example.com")) == OCICredentials("testuser", "testpass")


def test_auth_overrides_username_and_password() -> None:
    auth = base64.b64encode(b"from-auth:secret").decode()
    repo = inline({"h": {"auth": auth, "username": "ignored", "password": "ignored"}})
    assert repo.resolve(oci("h")) == OCICredentials("from-auth", "secret")


def test_identity_and_registry_tokens() -> None:
    repo = inline({"h": {"identitytoken": "refresh", "registrytoken": "access"}})
    assert repo.resolve(oci("h")) == OCICredentials(refresh_token="refresh", access_token="access")


def test_docker_io_is_looked_up_as_index_docker_io() -> None:
    # NG "docker.io special case"
    repo = inline({"https://index.docker.io/v1/": {"username": "testuser", "password": "testpass"}})
    assert repo.resolve(oci("docker.io")) == OCICredentials("testuser", "testpass")


def test_host_with_port_is_tried_when_the_host_alone_has_nothing() -> None:
    # NG "credentials stored with port - fallback succeeds"
    repo = inline({"registry.example.com:5000": {"username": "portuser", "password": "portpass"}})
    assert repo.resolve(oci("registry.example.com", "5000")) == OCICredentials(
        "portuser", "portpass"
    )
    assert repo.resolve(oci("registry.example.com")) is None


def test_host_without_port_wins_over_host_with_port() -> None:
    repo = inline(
        {
            "registry.example.com": {"username": "host", "password": "1"},
            "registry.example.com:5000": {"username": "port", "password": "2"},
        }
    )
    found = repo.resolve(oci("registry.example.com", "5000"))
    assert found is not None and found.username == "host"


def test_unknown_host_and_missing_hostname_give_nothing() -> None:
    # NG "hostname not in dockerconfig", "missing hostname in identity leads to no credentials"
    repo = inline({"ghcr.io": {"username": "u", "password": "p"}})
    assert repo.resolve(oci("quay.io")) is None
    assert repo.resolve({"type": "OCIRegistry"}) is None


def test_only_oci_registry_identities_are_answered() -> None:
    repo = inline({"ghcr.io": {"username": "u", "password": "p"}})
    assert repo.resolve({"type": "HelmChartRepository", "hostname": "ghcr.io"}) is None


def test_exact_key_wins_over_a_url_key_for_the_same_host() -> None:
    repo = inline(
        {
            "https://ghcr.io/v2/": {"username": "url", "password": "1"},
            "ghcr.io": {"username": "exact", "password": "2"},
        }
    )
    found = repo.resolve(oci("ghcr.io"))
    assert found is not None and found.username == "exact"


def test_config_file_is_read(sandbox: Sandbox) -> None:
    path = write(sandbox.root / "docker.json", '{"auths":{"ghcr.io":{"auth":"dXNlcjpwYXNz"}}}')
    found = DockerConfigRepository(docker_config_file=str(path)).resolve(oci("ghcr.io"))
    assert found == OCICredentials("user", "pass")


def test_tilde_in_the_file_path_is_the_home_directory(sandbox: Sandbox) -> None:
    write(
        sandbox.home / ".docker" / "config.json", '{"auths":{"h":{"username":"u","password":"p"}}}'
    )
    repo = DockerConfigRepository(docker_config_file="~/.docker/config.json")
    assert repo.resolve(oci("h")) == OCICredentials("u", "p")


def test_missing_file_offers_nothing_with_a_warning(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    repo = DockerConfigRepository(docker_config_file=str(sandbox.root / "nope.json"))
    with caplog.at_level(logging.WARNING, logger="pyocm.config"):
        assert repo.resolve(oci("ghcr.io")) is None
    assert "failed to find docker config file" in caplog.records[0].getMessage()


def test_default_location_is_docker_config_env_var(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = sandbox.root / "dockerdir"
    write(directory / "config.json", '{"auths":{"h":{"username":"env","password":"p"}}}')
    write(
        sandbox.home / ".docker" / "config.json",
        '{"auths":{"h":{"username":"home","password":"p"}}}',
    )
    repo = DockerConfigRepository()
    found = repo.resolve(oci("h"))
    assert found is not None and found.username == "home"
    monkeypatch.setenv("DOCKER_CONFIG", str(directory))
    found = repo.resolve(oci("h"))
    assert found is not None and found.username == "env"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "invalid docker config"),
        ("[]", "not a JSON object"),
        ('{"auths": {"h": {"auth": "%%%"}}}', "not valid base64"),
        ('{"auths": {"h": {"auth": "bm9jb2xvbg=="}}}', r"base64\(username:password\)"),
        ('{"auths": {"h": {"username": 1}}}', "username must be a string"),
        ('{"credsStore": 7}', "credsStore must be a string"),
    ],
)
def test_malformed_docker_config_is_an_error(sandbox: Sandbox, document: str, message: str) -> None:
    path = write(sandbox.root / "config.json", document)
    with pytest.raises(CredentialsError, match=message) as error:
        DockerConfigRepository(docker_config_file=str(path)).resolve(oci("h"))
    assert str(path) in str(error.value)


def test_error_messages_do_not_show_the_decoded_secret(sandbox: Sandbox) -> None:
    secret = base64.b64encode(b"no-colon-secret").decode()
    with pytest.raises(CredentialsError) as error:
        inline({"h": {"auth": secret}}).resolve(oci("h"))
    assert "no-colon-secret" not in str(error.value)


def test_creds_store_helper_speaks_the_protocol(sandbox: Sandbox, helper: Helper) -> None:
    bin_dir = helper("pyocmtest", ANSWER)
    path = write(sandbox.root / "config.json", '{"credsStore": "pyocmtest"}')
    found = DockerConfigRepository(docker_config_file=str(path)).resolve(oci("ghcr.io"))
    assert found == OCICredentials("helper-user", "helper-secret")
    assert (bin_dir / "pyocmtest.args").read_text() == "get\n"
    assert (bin_dir / "pyocmtest.stdin").read_text() == "ghcr.io"


def test_creds_store_wins_over_auths(sandbox: Sandbox, helper: Helper) -> None:
    helper("pyocmtest", ANSWER)
    path = write(
        sandbox.root / "config.json",
        '{"credsStore": "pyocmtest", "auths": {"ghcr.io": {"username": "file", "password": "x"}}}',
    )
    found = DockerConfigRepository(docker_config_file=str(path)).resolve(oci("ghcr.io"))
    assert found is not None and found.username == "helper-user"


def test_cred_helpers_choose_a_helper_per_registry(sandbox: Sandbox, helper: Helper) -> None:
    bin_dir = helper("pyocmtest", ANSWER)
    helper("other", 'printf \'{"Username":"other-user","Secret":"s"}\'')
    path = write(
        sandbox.root / "config.json",
        '{"credsStore": "other", "credHelpers": {"quay.io": "pyocmtest"}}',
    )
    repo = DockerConfigRepository(docker_config_file=str(path))
    quay, ghcr = repo.resolve(oci("quay.io")), repo.resolve(oci("ghcr.io"))
    assert quay is not None and quay.username == "helper-user"
    assert ghcr is not None and ghcr.username == "other-user"
    assert (bin_dir / "pyocmtest.stdin").read_text() == "quay.io"


def test_token_username_makes_the_secret_a_refresh_token(sandbox: Sandbox, helper: Helper) -> None:
    helper("pyocmtest", 'printf \'{"ServerURL":"h","Username":"<token>","Secret":"id-token"}\'')
    path = write(sandbox.root / "config.json", '{"credsStore": "pyocmtest"}')
    found = DockerConfigRepository(docker_config_file=str(path)).resolve(oci("h"))
    assert found == OCICredentials(refresh_token="id-token")


def test_helper_not_found_message_means_no_credentials(sandbox: Sandbox, helper: Helper) -> None:
    helper("pyocmtest", "echo 'credentials not found in native keychain'; exit 1")
    path = write(sandbox.root / "config.json", '{"credsStore": "pyocmtest"}')
    assert DockerConfigRepository(docker_config_file=str(path)).resolve(oci("h")) is None


def test_helper_is_asked_for_host_and_port_after_host(sandbox: Sandbox, helper: Helper) -> None:
    bin_dir = helper(
        "pyocmtest",
        'if [ "$(cat "$0.seen" 2>/dev/null)" = "" ]; then echo x > "$0.seen"; '
        "echo 'credentials not found in native keychain'; exit 1; fi\n" + ANSWER,
    )
    path = write(sandbox.root / "config.json", '{"credsStore": "pyocmtest"}')
    found = DockerConfigRepository(docker_config_file=str(path)).resolve(oci("localhost", "5000"))
    assert found is not None and found.username == "helper-user"
    assert (bin_dir / "pyocmtest.stdin").read_text() == "localhost:5000"


def test_failing_helper_is_an_error_with_its_message(sandbox: Sandbox, helper: Helper) -> None:
    helper("pyocmtest", "echo 'keyring is locked'; exit 3")
    path = write(sandbox.root / "config.json", '{"credsStore": "pyocmtest"}')
    with pytest.raises(CredentialsError) as error:
        DockerConfigRepository(docker_config_file=str(path)).resolve(oci("ghcr.io"))
    assert str(error.value) == (
        'docker credential helper "docker-credential-pyocmtest" failed to get credentials '
        "for ghcr.io: keyring is locked"
    )


def test_helper_without_message_reports_its_exit_status(sandbox: Sandbox, helper: Helper) -> None:
    helper("pyocmtest", "exit 4")
    path = write(sandbox.root / "config.json", '{"credsStore": "pyocmtest"}')
    with pytest.raises(CredentialsError, match="exit status 4"):
        DockerConfigRepository(docker_config_file=str(path)).resolve(oci("ghcr.io"))


def test_helper_printing_no_json_is_an_error(sandbox: Sandbox, helper: Helper) -> None:
    helper("pyocmtest", "echo hello")
    path = write(sandbox.root / "config.json", '{"credsStore": "pyocmtest"}')
    with pytest.raises(CredentialsError, match="invalid JSON"):
        DockerConfigRepository(docker_config_file=str(path)).resolve(oci("ghcr.io"))


def test_missing_helper_is_a_clear_error(sandbox: Sandbox, helper: Helper) -> None:
    helper("pyocmtest", ANSWER)  # a different helper is installed
    path = write(sandbox.root / "config.json", '{"credsStore": "pyocm-missing"}')
    with pytest.raises(CredentialsError) as error:
        DockerConfigRepository(docker_config_file=str(path)).resolve(oci("ghcr.io"))
    assert str(error.value) == (
        'docker credential helper "docker-credential-pyocm-missing" '
        f"(configured in {path}) was not found on PATH"
    )


def test_inline_config_ignores_helpers(helper: Helper) -> None:
    helper("pyocmtest", ANSWER)
    repo = inline({"h": {"username": "inline", "password": "p"}}, credsStore="pyocmtest")
    found = repo.resolve(oci("h"))
    assert found is not None and found.username == "inline"
