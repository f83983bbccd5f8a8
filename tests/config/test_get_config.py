"""``ocm get config``: the effective merged configuration (cli.md §1.7, NG cli/cmd/get/config)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

import pytest
from cfgtools import Sandbox, write
from click.testing import CliRunner, Result

from pyocm.cli import cli

Invoke = Callable[..., Result]


@pytest.fixture
def ocm() -> Invoke:
    def run(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args))

    return run


def temp_dir(sandbox: Sandbox) -> str:
    return str(sandbox.root / "tmp")  # the sandbox's $TMPDIR, Go's os.TempDir()


A_YAML = """\
type: generic.config.ocm.software/v1
configurations:
- type: credentials.config.ocm.software
  consumers:
  - identity: {type: OCIRegistry, hostname: ghcr.io}
    credentials:
    - type: Credentials/v1
      properties: {username: u, password: p}
- type: transfer.config.ocm.software/v1alpha1
  copyMode: localBlob
- type: signing.config.ocm.software/v1alpha1
  signer: {type: RSASigningConfiguration/v1alpha1}
- type: versioncheck.cli.config.ocm.software/v1alpha1
  policy: disable
- type: attributes.config.ocm.software
  attributes: {cache: ~/.ocm/cache}
"""

B_YAML = """\
type: generic.config.ocm.software/v1
configurations:
- type: http.config.ocm.software/v1alpha1
  timeout: 60s
- type: transfer.config.ocm.software/v1alpha1
  copyMode: allResources
- type: credentials.config.ocm.software/v1
  repositories:
  - repository: {type: DockerConfig/v1, dockerConfigFile: ~/.docker/config.json}
"""


def test_without_any_config_only_the_filesystem_entry_is_shown(
    sandbox: Sandbox, ocm: Invoke
) -> None:
    # cli.md §1.7 "Example with no config at all"
    result = ocm("get", "config")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "configurations:\n"
        f"- tempFolder: {temp_dir(sandbox)}\n"
        "  type: filesystem.config.ocm.software/v1alpha1\n"
        "type: generic.config.ocm.software/v1\n"
    )


def test_json_output_is_indented_in_go_field_order(sandbox: Sandbox, ocm: Invoke) -> None:
    result = ocm("get", "config", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "{\n"
        '  "type": "generic.config.ocm.software/v1",\n'
        '  "configurations": [\n'
        "    {\n"
        '      "type": "filesystem.config.ocm.software/v1alpha1",\n'
        f'      "tempFolder": "{temp_dir(sandbox)}"\n'
        "    }\n"
        "  ]\n"
        "}\n"
    )


def test_ndjson_output_is_one_line(sandbox: Sandbox, ocm: Invoke) -> None:
    result = ocm("get", "cfg", "--output", "ndjson")
    assert result.stdout == (
        '{"type":"generic.config.ocm.software/v1","configurations":[{"type":'
        f'"filesystem.config.ocm.software/v1alpha1","tempFolder":"{temp_dir(sandbox)}"}}]}}\n'
    )


def test_config_files_are_merged_in_order(sandbox: Sandbox, ocm: Invoke) -> None:
    a = write(sandbox.root / "a.yaml", A_YAML)
    b = write(sandbox.root / "b.yaml", B_YAML)
    result = ocm("get", "config", "--config", str(a), "--config", str(b), "--show-secrets")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "configurations:\n"
        f"- tempFolder: {temp_dir(sandbox)}\n"
        "  type: filesystem.config.ocm.software/v1alpha1\n"
        "- timeout: 1m0s\n"
        "  type: http.config.ocm.software/v1alpha1\n"
        "- copyMode: allResources\n"
        "  type: transfer.config.ocm.software/v1alpha1\n"
        "- consumers:\n"
        "  - credentials:\n"
        "    - properties:\n"
        "        password: p\n"
        "        username: u\n"
        "      type: Credentials/v1\n"
        "    identities:\n"
        "    - hostname: ghcr.io\n"
        "      type: OCIRegistry\n"
        "  repositories:\n"
        "  - repository:\n"
        "      dockerConfigFile: ~/.docker/config.json\n"
        "      type: DockerConfig/v1\n"
        "  type: credentials.config.ocm.software\n"
        "type: generic.config.ocm.software/v1\n"
    )


def test_discovered_files_are_used_without_the_flag(sandbox: Sandbox, ocm: Invoke) -> None:
    write(sandbox.home / ".ocmconfig", B_YAML)
    shown = json.loads(ocm("get", "config", "-o", "json").stdout)
    assert [c["type"] for c in shown["configurations"]] == [
        "filesystem.config.ocm.software/v1alpha1",
        "http.config.ocm.software/v1alpha1",
        "transfer.config.ocm.software/v1alpha1",
        "credentials.config.ocm.software/v1",
    ]


def test_flags_fill_the_appended_filesystem_entry(ocm: Invoke) -> None:
    result = ocm(
        "get", "config", "-o", "json", "--temp-folder", "/scratch", "--working-directory", "/w"
    )
    assert json.loads(result.stdout)["configurations"][0] == {
        "type": "filesystem.config.ocm.software/v1alpha1",
        "tempFolder": "/scratch",
        "workingDirectory": "/w",
    }


def test_configured_filesystem_entry_is_shown_as_configured(sandbox: Sandbox, ocm: Invoke) -> None:
    # NG setup_filesystem_config.go: the effective entry is appended only when none exists
    path = write(
        sandbox.root / "fs.yaml",
        "configurations: [{type: filesystem.config.ocm.software/v1alpha1, workingDirectory: /c}]\n",
    )
    result = ocm("get", "config", "-o", "json", "--config", str(path), "--temp-folder", "/flag")
    assert json.loads(result.stdout)["configurations"] == [
        {
            "type": "filesystem.config.ocm.software/v1alpha1",
            "tempFolder": temp_dir(sandbox),
            "workingDirectory": "/c",
        }
    ]


def test_missing_config_file_fails(sandbox: Sandbox, ocm: Invoke) -> None:
    result = ocm("get", "config", "--config", str(sandbox.root / "nope.yaml"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: could not load configuration: cannot read {sandbox.root / 'nope.yaml'}: "
        "No such file or directory\n"
    )


def test_invalid_transfer_config_fails(sandbox: Sandbox, ocm: Invoke) -> None:
    path = write(
        sandbox.root / "t.yaml",
        "configurations: [{type: transfer.config.ocm.software/v1alpha1, copyMode: all}]\n",
    )
    result = ocm("get", "config", "--config", str(path))
    assert result.exit_code == 1
    assert "invalid copyMode" in result.stderr


def test_config_with_misspelt_credentials_can_still_be_shown(sandbox: Sandbox, ocm: Invoke) -> None:
    path = write(
        sandbox.root / "c.yaml",
        "configurations:\n- type: credentials.config.ocm.software\n  consumers:\n"
        "  - identity: {type: OCIRegistry, hostname: h}\n"
        "    credentials: [{type: Credentials/v1, properties: {usernme: u}}]\n",
    )
    result = ocm("get", "config", "-o", "json", "--config", str(path))
    assert result.exit_code == 0, result.stderr
    consumer = json.loads(result.stdout)["configurations"][1]["consumers"][0]
    assert consumer["credentials"] == [{"properties": {"usernme": "u"}, "type": "Credentials/v1"}]


def test_first_start_writes_the_docker_config_entry(sandbox: Sandbox, ocm: Invoke) -> None:
    docker = write(sandbox.home / ".docker" / "config.json", '{"auths": {}}')
    result = ocm("get", "config", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["configurations"][1] == {
        "type": "credentials.config.ocm.software/v1",
        "repositories": [
            {"repository": {"dockerConfigFile": str(docker), "type": "DockerConfig/v1"}}
        ],
    }
    assert (sandbox.home / ".ocm" / "config").is_file()
    assert "created initial ocm configuration from detected docker config" in result.stderr


def test_first_start_can_be_disabled(
    sandbox: Sandbox, ocm: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(sandbox.home / ".docker" / "config.json", '{"auths": {}}')
    monkeypatch.setenv("OCM_DISABLE_AUTO_CONFIG", "true")
    result = ocm("get", "config", "-o", "json")
    assert len(json.loads(result.stdout)["configurations"]) == 1
    assert not (sandbox.home / ".ocm").exists()


def test_in_a_real_process(
    sandbox: Sandbox, run_ocm: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    path = write(sandbox.root / "b.yaml", B_YAML)
    done = run_ocm("get", "config", "--config", str(path), "-o", "ndjson", cwd=sandbox.cwd)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["configurations"][1] == {
        "type": "http.config.ocm.software/v1alpha1",
        "timeout": "1m0s",
    }


SECRETS_YAML = """\
type: generic.config.ocm.software/v1
configurations:
- type: credentials.config.ocm.software
  repositories:
  - repository:
      type: DockerConfig/v1
      dockerConfig: '{"auths": {"ghcr.io": {"auth": "bWU6aHVudGVyMg=="}}}'
  consumers:
  - identity: {type: OCIRegistry, hostname: ghcr.io}
    credentials:
    - type: Credentials/v1
      properties: {username: me, password: hunter2, token: tok-123}
  - identity: {type: RSA/v1alpha1, algorithm: RSASSA-PSS}
    credentials:
    - type: Credentials/v1
      properties:
        private_key_pem: "-----BEGIN RSA PRIVATE KEY-----\\nMIIB\\n-----END RSA PRIVATE KEY-----"
        public_key_pem_file: /keys/public.pem
  - identity: {type: GitHubRepository, hostname: github.com}
    credentials:
    - {type: OCICredentials/v1, username: bot, accessToken: at-456, refreshToken: rt-789}
"""
SECRET_VALUES = ("hunter2", "tok-123", "PRIVATE KEY", "MIIB", "at-456", "rt-789", "bWU6")


@pytest.mark.parametrize("output", ["yaml", "json", "ndjson"])
def test_secret_values_are_redacted(sandbox: Sandbox, ocm: Invoke, output: str) -> None:
    path = write(sandbox.root / "secrets.yaml", SECRETS_YAML)
    result = ocm("get", "config", "--config", str(path), "-o", output)
    assert result.exit_code == 0, result.stderr
    for secret in SECRET_VALUES:
        assert secret not in result.stdout
    assert "<redacted>" in result.stdout
    # what is not secret is still shown: names, identities, paths of key files
    for shown in ("me", "bot", "ghcr.io", "RSASSA-PSS", "/keys/public.pem"):
        assert shown in result.stdout


def test_redacted_fields_keep_their_place(sandbox: Sandbox, ocm: Invoke) -> None:
    path = write(sandbox.root / "secrets.yaml", SECRETS_YAML)
    result = ocm("get", "config", "--config", str(path), "-o", "json")
    credentials = json.loads(result.stdout)["configurations"][1]
    assert credentials["repositories"][0]["repository"]["dockerConfig"] == "<redacted>"
    consumers = credentials["consumers"]
    assert consumers[0]["credentials"][0]["properties"] == {
        "password": "<redacted>",
        "token": "<redacted>",
        "username": "me",
    }
    assert consumers[1]["credentials"][0]["properties"] == {
        "private_key_pem": "<redacted>",
        "public_key_pem_file": "/keys/public.pem",
    }
    assert consumers[2]["credentials"][0]["username"] == "bot"


def test_show_secrets_prints_them_as_written(sandbox: Sandbox, ocm: Invoke) -> None:
    path = write(sandbox.root / "secrets.yaml", SECRETS_YAML)
    result = ocm("get", "config", "--config", str(path), "-o", "json", "--show-secrets")
    assert result.exit_code == 0, result.stderr
    for secret in SECRET_VALUES:
        assert secret in result.stdout
    assert "<redacted>" not in result.stdout
