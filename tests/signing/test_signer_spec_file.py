"""``--signer-spec`` / ``--verifier-spec`` files in the forms the Go CLIs use (issue 12,
defect 3): Go v2 0.13.0's typed spec, and newer Go's signing configuration entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyocm.cli.signing_keys import spec_file
from pyocm.errors import OCMError
from pyocm.signing.signer import RSASigner, signer_from_spec

PKCS1_PEM = {
    "type": "RSASigningConfiguration/v1alpha1",
    "signatureAlgorithm": "RSASSA-PKCS1-V1_5",
    "signatureEncodingPolicy": "PEM",
}


def test_a_typed_spec_is_the_signer(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(
        "type: RSASigningConfiguration/v1alpha1\nsignatureAlgorithm: RSASSA-PKCS1-V1_5\n"
        "signatureEncodingPolicy: PEM\n"
    )
    spec = spec_file(str(tmp_path / "spec.yaml"), "default", "signer")
    assert signer_from_spec(spec) == RSASigner("RSASSA-PKCS1-V1_5", "pem")


def test_a_signing_config_entry_gives_its_signer_and_verifier(tmp_path: Path) -> None:
    (tmp_path / "entry.yaml").write_text(
        "type: signing.config.ocm.software/v1alpha1\n"
        "signer: {type: RSASigningConfiguration/v1alpha1, signatureAlgorithm: RSASSA-PKCS1-V1_5,"
        " signatureEncodingPolicy: PEM}\n"
        "verifier: {type: RSASigningConfiguration/v1alpha1}\n"
    )
    path = str(tmp_path / "entry.yaml")
    assert dict(spec_file(path, "any", "signer")) == PKCS1_PEM
    assert dict(spec_file(path, "any", "verifier")) == {"type": "RSASigningConfiguration/v1alpha1"}


def test_a_config_file_merges_entries_scoped_entries_last(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(
        "type: generic.config.ocm.software/v1\nconfigurations:\n"
        "- type: signing.config.ocm.software/v1alpha1\n  signature: release\n"
        "  signer: {type: RSASigningConfiguration/v1alpha1, signatureAlgorithm: RSASSA-PKCS1-V1_5,"
        " signatureEncodingPolicy: PEM}\n"
        "- type: signing.config.ocm.software/v1alpha1\n"
        "  signer: {type: RSASigningConfiguration/v1alpha1}\n"
    )
    path = str(tmp_path / "config.yaml")
    assert dict(spec_file(path, "release", "signer")) == PKCS1_PEM
    assert dict(spec_file(path, "other", "signer")) == {"type": "RSASigningConfiguration/v1alpha1"}
    with pytest.raises(OCMError, match="configures no verifier for signature 'release'"):
        spec_file(path, "release", "verifier")


def test_untyped_or_missing_files_are_named(tmp_path: Path) -> None:
    (tmp_path / "plain.yaml").write_text("signatureAlgorithm: RSASSA-PSS\n")
    with pytest.raises(OCMError, match=r"plain\.yaml' is not a typed object"):
        spec_file(str(tmp_path / "plain.yaml"), "default", "signer")
    with pytest.raises(OCMError, match=r"reading signer specification file .* failed"):
        spec_file(str(tmp_path / "missing.yaml"), "default", "signer")
