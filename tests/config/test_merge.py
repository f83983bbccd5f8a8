"""Each entry type's merge rule, as the Go v2 bindings define it."""

from __future__ import annotations

import pytest
from cfgtools import Sandbox, write

from pyocm.config.discovery import load_config
from pyocm.config.httpconfig import HostConfig, RetryConfig, http_config
from pyocm.config.merge import (
    FilesystemConfig,
    extract_config,
    filesystem_config,
    legacy_resolvers_config,
    plugin_config,
    resolvers_config,
    signing_config,
    transfer_config,
    version_check_policy,
)
from pyocm.config.model import Config
from pyocm.errors import ValidationError


def config_of(sandbox: Sandbox, *entries: str) -> Config:
    path = write(
        sandbox.root / "ocmconfig.yaml",
        "type: generic.config.ocm.software/v1\nconfigurations:\n"
        + "".join(f"- {e}\n" for e in entries),
    )
    return load_config([path])


def test_filesystem_fields_come_from_the_last_entry_even_when_empty(sandbox: Sandbox) -> None:
    # NG filesystem/v1alpha1/spec/config.go Merge: a differing value replaces, "" included
    config = config_of(
        sandbox,
        "{type: filesystem.config.ocm.software/v1alpha1, tempFolder: /a, workingDirectory: /w}",
        "{type: filesystem.config.ocm.software/v1alpha1, tempFolder: /b}",
    )
    assert filesystem_config(config) == FilesystemConfig("/b", "")


def test_filesystem_temp_folder_defaults_to_tmpdir(sandbox: Sandbox) -> None:
    # Go's os.TempDir: $TMPDIR (set by the sandbox), else /tmp
    assert filesystem_config(Config()) == FilesystemConfig(str(sandbox.root / "tmp"), "")


def test_transfer_takes_the_last_non_empty_fields(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        "{type: transfer.config.ocm.software/v1alpha1, recursive: -1, copyMode: allResources}",
        "{type: transfer.config.ocm.software, uploadType: ociArtifact}",
        "{type: transfer.config.ocm.software/v1alpha1, recursive: 0}",
    )
    found = transfer_config(config)
    assert found is not None
    assert (found.recursive, found.copy_mode, found.upload_type) == (
        -1,
        "allResources",
        "ociArtifact",
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "copyMode: everything",
            'invalid copyMode "everything" (must be one of "localBlob", "allResources")',
        ),
        (
            "uploadType: tar",
            'invalid uploadType "tar" (must be one of ["localBlob" "ociArtifact"])',
        ),
        ("recursive: -2", "invalid recursive -2 (must be -1 for infinite recursion or 0 for none)"),
        ("recursive: 2", "recursive depth 2 is not implemented yet"),
    ],
)
def test_transfer_entries_are_validated(sandbox: Sandbox, entry: str, message: str) -> None:
    config = config_of(sandbox, f"{{type: transfer.config.ocm.software/v1alpha1, {entry}}}")
    with pytest.raises(ValidationError) as error:
        transfer_config(config)
    assert f"invalid transfer config: {message}" in str(error.value)
    assert "ocmconfig.yaml: configurations[0]" in str(error.value)


def test_no_transfer_entry_means_none(sandbox: Sandbox) -> None:
    assert transfer_config(Config()) is None


def test_plugin_config_takes_the_longest_timeout_and_all_locations(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        "{type: plugin.config.ocm.software/v2alpha1, idleTimeout: 2h, locations: [/a]}",
        "{type: plugin.config.ocm.software/v2alpha1, idleTimeout: 30m, locations: [/b, /c]}",
    )
    found = plugin_config(config)
    assert found is not None
    assert found.to_dict() == {
        "type": "plugin.config.ocm.software/v2alpha1",
        "idleTimeout": "2h0m0s",
        "locations": ["/a", "/b", "/c"],
    }


def test_resolvers_are_concatenated_in_order(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        "{type: resolvers.config.ocm.software/v1alpha1, resolvers: [{repository: "
        "{type: OCIRegistry, baseUrl: ghcr.io}, componentNamePattern: 'ocm.software/*'}]}",
        "{type: resolvers.config.ocm.software, resolvers: [{repository: "
        "{type: CommonTransportFormat/v1, filePath: ./ctf}, versionConstraint: '>=1'}]}",
    )
    found = resolvers_config(config)
    assert found is not None
    assert found.to_dict() == {
        "type": "resolvers.config.ocm.software/v1alpha1",
        "resolvers": [
            {
                "repository": {"baseUrl": "ghcr.io", "type": "OCIRegistry"},
                "componentNamePattern": "ocm.software/*",
            },
            {
                "repository": {"filePath": "./ctf", "type": "CommonTransportFormat/v1"},
                "versionConstraint": ">=1",
            },
        ],
    }


CTF = "CommonTransportFormat/v1"


def test_legacy_resolvers_keep_the_first_alias_and_all_resolvers(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        "{type: ocm.config.ocm.software, aliases: {a: {type: X, num: 1}}, resolvers: "
        "[{repository: {type: CommonTransportFormat/v1, filePath: ./one}, priority: 100}]}",
        "{type: ocm.config.ocm.software/v1, aliases: {a: {type: X, num: 2}}, resolvers: "
        "[{repository: {type: CommonTransportFormat/v1, filePath: ./two}, prefix: acme.org}]}",
    )
    found = legacy_resolvers_config(config)
    assert found is not None
    assert found.to_dict() == {
        "type": "ocm.config.ocm.software",
        "aliases": {"a": {"num": 1, "type": "X"}},
        "resolvers": [
            {"repository": {"filePath": "./one", "type": CTF}, "priority": 100},
            {"repository": {"filePath": "./two", "type": CTF}, "prefix": "acme.org"},
        ],
    }
    assert [r.priority for r in found.resolvers] == [100, None]


def test_extract_rules_of_the_last_entry_with_rules_win(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        "{type: extract.oci.artifact.ocm.software/v1alpha1, rules: [{filename: a.tgz}]}",
        "{type: extract.oci.artifact.ocm.software/v1alpha1, rules: [{filename: b.tgz, "
        "layerSelectors: [{matchProperties: {layer.index: '0'}}]}]}",
        "{type: extract.oci.artifact.ocm.software/v1alpha1}",
    )
    found = extract_config(config)
    assert found is not None
    assert found.rules == (
        {"filename": "b.tgz", "layerSelectors": [{"matchProperties": {"layer.index": "0"}}]},
    )


def test_signing_entries_for_the_signature_win_over_general_ones(sandbox: Sandbox) -> None:
    # NG signing/v1alpha1/spec/config.go LookupConfigForSignature
    config = config_of(
        sandbox,
        "{type: signing.config.ocm.software/v1alpha1, signature: release, signer: "
        "{type: RSASigningConfiguration/v1alpha1, signatureEncodingPolicy: PEM}}",
        "{type: signing.config.ocm.software/v1alpha1, signer: "
        "{type: RSASigningConfiguration/v1alpha1, signatureAlgorithm: RSASSA-PKCS1-V1_5}}",
        "{type: signing.config.ocm.software/v1alpha1, signature: other, signer: {type: Other}}",
    )
    release = signing_config(config, "release")
    default = signing_config(config, "default")
    assert release is not None and release.signature == "release"
    assert release.signer == {
        "type": "RSASigningConfiguration/v1alpha1",
        "signatureEncodingPolicy": "PEM",
    }
    assert default is not None and default.signature == ""
    assert default.signer == {
        "type": "RSASigningConfiguration/v1alpha1",
        "signatureAlgorithm": "RSASSA-PKCS1-V1_5",
    }
    assert signing_config(Config(), "default") is None


def test_signer_without_type_is_an_error(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox, "{type: signing.config.ocm.software/v1alpha1, signer: {signatureAlgorithm: X}}"
    )
    with pytest.raises(ValidationError, match="signer specification must have a type"):
        signing_config(config)


def test_version_check_policy_takes_the_first_entry_that_sets_one(sandbox: Sandbox) -> None:
    # NG cli/internal/versioncheck/config.go: the first non-empty policy, versioned type only
    config = config_of(
        sandbox,
        "{type: versioncheck.cli.config.ocm.software, policy: auto}",
        "{type: versioncheck.cli.config.ocm.software/v1alpha1}",
        "{type: versioncheck.cli.config.ocm.software/v1alpha1, policy: disable}",
        "{type: versioncheck.cli.config.ocm.software/v1alpha1, policy: auto}",
    )
    assert version_check_policy(config) == "disable"
    assert version_check_policy(Config()) == "auto"


def test_invalid_version_check_policy_is_an_error(sandbox: Sandbox) -> None:
    config = config_of(sandbox, "{type: versioncheck.cli.config.ocm.software/v1alpha1, policy: x}")
    with pytest.raises(ValidationError, match='invalid versioncheck policy "x"'):
        version_check_policy(config)


def test_wrongly_typed_field_is_an_error_naming_it(sandbox: Sandbox) -> None:
    config = config_of(sandbox, "{type: filesystem.config.ocm.software/v1alpha1, tempFolder: [a]}")
    with pytest.raises(ValidationError) as error:
        filesystem_config(config)
    assert "ocmconfig.yaml: configurations[0].tempFolder: must be a string" in str(error.value)


# --- http ------------------------------------------------------------------------------------


def test_http_defaults_without_entries() -> None:
    http = http_config(Config())
    assert not http.configured
    assert http.defaults == HostConfig(timeout=30_000_000_000)


def test_http_fields_merge_one_by_one(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        "{type: http.config.ocm.software/v1alpha1, timeout: 10s, tcpDialTimeout: 1s, "
        "retry: {maxRetries: 3, minWait: 100ms}}",
        "{type: http.config.ocm.software, timeout: 20s, retry: {maxWait: 5s}, "
        "insecureSkipVerify: false}",
    )
    http = http_config(config)
    assert http.defaults == HostConfig(
        timeout=20_000_000_000,
        tcp_dial_timeout=1_000_000_000,
        insecure_skip_verify=False,
        retry=RetryConfig(3, 100_000_000, 5_000_000_000),
    )


def test_http_hosts_replace_whole_blocks_and_resolve_port_first(sandbox: Sandbox) -> None:
    config = config_of(
        sandbox,
        "{type: http.config.ocm.software/v1alpha1, insecureSkipVerify: false, hosts: "
        "{'reg:5000': {timeout: 1s, insecureSkipVerify: true}, reg: {timeout: 2s}}}",
        "{type: http.config.ocm.software/v1alpha1, hosts: {'reg:5000': {timeout: 3s}}}",
    )
    http = http_config(config)
    on_port = http.resolve_host("reg:5000")
    any_port = http.resolve_host("reg:443")
    assert (on_port.timeout, on_port.insecure_skip_verify) == (3_000_000_000, False)
    assert any_port.timeout == 2_000_000_000
    assert http.resolve_host("other").timeout == 30_000_000_000


def test_http_numbers_are_nanoseconds(sandbox: Sandbox) -> None:
    config = config_of(sandbox, "{type: http.config.ocm.software/v1alpha1, timeout: 1500}")
    assert http_config(config).defaults.timeout == 1500


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("timeout: -1s", "invalid value for timeout: -1s, must be zero or positive"),
        ("retry: {maxRetries: -2}", "invalid retry config: invalid value for maxRetries: -2"),
        ("retry: {minWait: 2s, maxWait: 1s}", "minWait (2s) must not exceed maxWait (1s)"),
        ("hosts: {h: {idleConnTimeout: -1m}}", 'host "h": invalid timeout config: '),
        ("timeout: soon", 'time: invalid duration "soon"'),
        ("insecureSkipVerify: maybe", "must be true or false"),
    ],
)
def test_http_entries_are_validated(sandbox: Sandbox, entry: str, message: str) -> None:
    config = config_of(sandbox, f"{{type: http.config.ocm.software/v1alpha1, {entry}}}")
    with pytest.raises(ValidationError) as error:
        http_config(config)
    assert message in str(error.value)


def test_negative_keep_alive_is_allowed(sandbox: Sandbox) -> None:
    config = config_of(sandbox, "{type: http.config.ocm.software/v1alpha1, tcpKeepAlive: -1s}")
    assert http_config(config).defaults.tcp_keep_alive == -1_000_000_000
