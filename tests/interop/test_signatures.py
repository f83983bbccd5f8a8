"""Signatures across pyocm, the Go v2 CLI 0.13.0 and the legacy v1 CLI 0.48.0, through a CTF.

Every direction the tools allow, for RSASSA-PSS and PKCS #1 v1.5, plain and PEM with a
certificate chain; each signer's spec or key files are given to the other tools unchanged, and
a tampered descriptor or a wrong key fails in every tool that verifies.  What the tools cannot
do is asserted too: legacy v1 does not know ``jsonNormalisation/v4alpha1`` and rejects plain
RSASSA-PSS signatures (even its own).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from signing_setup import (
    PKCS1,
    PSS,
    SIGNATURE,
    Keys,
    change_label,
    change_resource_digest,
    make_keys,
    tamper,
    write_material,
)

from fixtures.cli import ocm_command
from fixtures.go_ocm import GoOcm
from pyocm.repository import open_repository

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

COMPONENT, VERSION = "acme.org/signed", "1.0.0"
REF = f"ctf//{COMPONENT}:{VERSION}"
CONSTRUCTOR = f"""\
components:
- name: {COMPONENT}
  version: {VERSION}
  provider: {{name: acme.org}}
  labels:
  - {{name: approved-by, value: qa, signing: true}}
  resources:
  - name: data
    type: blob
    input: {{type: file, path: data.txt}}
"""
ALL = [(PSS, "Plain"), (PSS, "PEM"), (PKCS1, "Plain"), (PKCS1, "PEM")]
IDS = ["pss-plain", "pss-pem", "pkcs1-plain", "pkcs1-pem"]


def ok(done: subprocess.CompletedProcess[str], what: str) -> None:
    assert done.returncode == 0, f"{what}\n{done.stdout}\n{done.stderr}"


def fails(done: subprocess.CompletedProcess[str], what: str) -> str:
    assert done.returncode != 0, f"{what} should fail\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def keys() -> Keys:
    return make_keys()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, keys: Keys) -> Path:
    """A CTF that pyocm packed (one signing label, one local blob) and the key material."""
    work = tmp_path_factory.mktemp("signatures")
    (work / "data.txt").write_text("signed payload\n")
    (work / "component-constructor.yaml").write_text(CONSTRUCTOR)
    done = subprocess.run(
        [*ocm_command(), "add", "cv", "--repository", "ctf"],
        cwd=work,
        capture_output=True,
        text=True,
    )
    ok(done, "pyocm add cv")
    write_material(work, keys)
    return work


@pytest.fixture
def work(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "work"
    shutil.copytree(template, target)
    return target


def _stored_signature(go_ocm_v2: GoOcm, work: Path) -> dict[str, object]:
    """The signature as Go v2 reads it back from the CTF."""
    cds = yaml.safe_load(go_ocm_v2.ok("get", "cv", REF, "-o", "yaml", cwd=work).stdout)
    cd = cds[0] if isinstance(cds, list) else cds
    (entry,) = [s for s in cd["signatures"] if s["name"] == SIGNATURE]
    return dict(entry["signature"])


@pytest.mark.parametrize(("algorithm", "encoding"), ALL, ids=IDS)
def test_pyocm_signs_go_v2_verifies(
    run_ocm: RunOcm, go_ocm_v2: GoOcm, work: Path, algorithm: str, encoding: str
) -> None:
    tag = f"{algorithm}-{encoding}"
    spec = f"spec-{tag}.yaml"
    # Go v2 0.13.0's way of choosing PKCS #1 and PEM: --signer-spec (issue 12, defect 3).
    signed = run_ocm(
        "--config", f"sign-{tag}.yaml", "sign", "cv", REF, "--signature", SIGNATURE,
        "--signer-spec", spec, cwd=work,
    )  # fmt: skip
    ok(signed, "pyocm sign")
    stored = _stored_signature(go_ocm_v2, work)
    assert stored["algorithm"] == algorithm
    assert (stored["mediaType"] == "application/x-pem-file") == (encoding == "PEM")

    verify = ("verify", "cv", REF, "--signature", SIGNATURE, "--verifier-spec", spec)
    go_ok = go_ocm_v2.run("--config", f"verify-{tag}.yaml", *verify, cwd=work)
    ok(go_ok, "Go v2 verify")
    ok(run_ocm("--config", f"verify-{tag}.yaml", *verify, cwd=work), "pyocm verify")

    fails(go_ocm_v2.run("--config", f"wrong-{tag}.yaml", *verify, cwd=work), "Go v2, wrong key")

    tamper(str(work / "ctf"), COMPONENT, VERSION, change_label)
    out = fails(go_ocm_v2.run("--config", f"verify-{tag}.yaml", *verify, cwd=work), "Go v2")
    assert "SIGNATURE VERIFICATION FAILED" in out
    out = fails(run_ocm("--config", f"verify-{tag}.yaml", *verify, cwd=work), "pyocm")
    assert "the descriptor was changed after signing" in out


@pytest.mark.parametrize(("algorithm", "encoding"), ALL, ids=IDS)
def test_go_v2_signs_pyocm_verifies(
    run_ocm: RunOcm, go_ocm_v2: GoOcm, work: Path, algorithm: str, encoding: str
) -> None:
    tag = f"{algorithm}-{encoding}"
    spec = f"spec-{tag}.yaml"
    go_ocm_v2.ok(
        "--config", f"sign-{tag}.yaml", "sign", "cv", REF, "--signature", SIGNATURE,
        "--signer-spec", spec, cwd=work,
    )  # fmt: skip
    assert _stored_signature(go_ocm_v2, work)["algorithm"] == algorithm

    # The .ocmconfig Go v2 verifies with works unchanged: for PEM its public key is the root
    # CA, the chain's trust anchor (issue 12, defect 1).
    verify = ("verify", "cv", REF, "--signature", SIGNATURE)
    ok(run_ocm("--config", f"verify-{tag}.yaml", *verify, cwd=work), "pyocm verify")
    go_ocm_v2.ok("--config", f"verify-{tag}.yaml", *verify, "--verifier-spec", spec, cwd=work)
    out = fails(run_ocm("--config", f"wrong-{tag}.yaml", *verify, cwd=work), "wrong key")
    assert "SIGNATURE VERIFICATION FAILED" in out

    tamper(str(work / "ctf"), COMPONENT, VERSION, change_resource_digest)
    out = fails(run_ocm("--config", f"verify-{tag}.yaml", *verify, cwd=work), "pyocm")
    assert "the descriptor was changed after signing" in out
    go = go_ocm_v2.run("--config", f"verify-{tag}.yaml", *verify, "--verifier-spec", spec, cwd=work)
    fails(go, "Go v2 verify of a tampered descriptor")


def test_go_v2_pem_chain_verifies_with_a_leaf_key_too(
    run_ocm: RunOcm, go_ocm_v2: GoOcm, work: Path
) -> None:
    """The root CA as the configured key (defect 1) did not take away the leaf's own key or
    certificate, nor the --ca-cert flag."""
    tag = f"{PSS}-PEM"
    go_ocm_v2.ok(
        "--config", f"sign-{tag}.yaml", "sign", "cv", REF, "--signature", SIGNATURE,
        "--signer-spec", f"spec-{tag}.yaml", cwd=work,
    )  # fmt: skip
    (work / "leaf-pub.pem").write_bytes(
        subprocess.run(
            ["openssl", "pkey", "-in", "leaf-key.pem", "-pubout"],
            cwd=work, capture_output=True, check=True,
        ).stdout
    )  # fmt: skip
    verify = ("verify", "cv", REF, "--signature", SIGNATURE)
    ok(run_ocm(*verify, "--public-key", "leaf-pub.pem", cwd=work), "leaf key")
    ok(run_ocm(*verify, "--ca-cert", "root.pem", cwd=work), "--ca-cert")
    out = fails(run_ocm(*verify, "--ca-cert", "other-root.pem", cwd=work), "other root")
    assert "untrusted certificate chain" in out


def test_newer_signing_config_as_signer_spec(run_ocm: RunOcm, go_ocm_v2: GoOcm, work: Path) -> None:
    """Newer Go CLIs configure the signer as a signing.config.ocm.software/v1alpha1 entry;
    pyocm takes such a configuration file as --signer-spec too (the entry for this signature
    wins over the unscoped one), and Go v2 0.13.0 verifies what it signed."""
    (work / "signing.yaml").write_text(f"""\
type: generic.config.ocm.software/v1
configurations:
- type: signing.config.ocm.software/v1alpha1
  signer: {{type: RSASigningConfiguration/v1alpha1, signatureAlgorithm: {PSS}}}
- type: signing.config.ocm.software/v1alpha1
  signature: {SIGNATURE}
  signer:
    type: RSASigningConfiguration/v1alpha1
    signatureAlgorithm: {PKCS1}
    signatureEncodingPolicy: PEM
""")
    tag = f"{PKCS1}-PEM"
    signed = run_ocm(
        "--config", f"sign-{tag}.yaml", "sign", "cv", REF, "--signature", SIGNATURE,
        "--signer-spec", "signing.yaml", cwd=work,
    )  # fmt: skip
    ok(signed, "pyocm sign")
    assert yaml.safe_load(signed.stdout)["signature"]["algorithm"] == PKCS1
    go_ocm_v2.ok(
        "--config", f"verify-{tag}.yaml", "verify", "cv", REF, "--signature", SIGNATURE,
        "--verifier-spec", f"spec-{tag}.yaml", cwd=work,
    )  # fmt: skip


LEGACY_SIGNED = [(PKCS1, "Plain"), (PSS, "PEM"), (PKCS1, "PEM")]
LEGACY_IDS = ["pkcs1-plain", "pss-pem", "pkcs1-pem"]


def _legacy_verify(go_ocm_v1: GoOcm, work: Path, encoding: str, **wrong: bool) -> list[str]:
    key = ["--ca-cert", "other-root.pem" if wrong else "root.pem"]
    if encoding == "Plain":
        key = ["-k", "other-pub.pem" if wrong else "pub.pem"]
    return ["verify", "cv", "-s", SIGNATURE, *key, REF]


@pytest.mark.parametrize(("algorithm", "encoding"), LEGACY_SIGNED, ids=LEGACY_IDS)
def test_pyocm_signs_for_legacy_v1(
    run_ocm: RunOcm, go_ocm_v1: GoOcm, work: Path, algorithm: str, encoding: str
) -> None:
    """--compatibility legacy: jsonNormalisation/v3 as legacy v1 computes it."""
    tag = f"{algorithm}-{encoding}"
    signed = run_ocm(
        "--config", f"sign-{tag}.yaml", "sign", "cv", REF, "--signature", SIGNATURE,
        "--signer-spec", f"spec-{tag}.yaml", "--compatibility", "legacy", cwd=work,
    )  # fmt: skip
    ok(signed, "pyocm sign --compatibility legacy")
    assert yaml.safe_load(signed.stdout)["digest"]["normalisationAlgorithm"] == (
        "jsonNormalisation/v3"
    )
    go_ocm_v1.ok(*_legacy_verify(go_ocm_v1, work, encoding), cwd=work)
    fails(go_ocm_v1.run(*_legacy_verify(go_ocm_v1, work, encoding, wrong=True), cwd=work), "key")
    tamper(str(work / "ctf"), COMPONENT, VERSION, change_label)
    out = fails(go_ocm_v1.run(*_legacy_verify(go_ocm_v1, work, encoding), cwd=work), "v1")
    assert "does not match" in out


LEGACY_SIGNS = [(PKCS1, "Plain"), (PSS, "Plain"), (PKCS1, "PEM"), (PSS, "PEM")]


@pytest.mark.parametrize(("algorithm", "encoding"), LEGACY_SIGNS, ids=IDS[::-1])
def test_legacy_v1_signs_pyocm_verifies(
    run_ocm: RunOcm, go_ocm_v1: GoOcm, work: Path, algorithm: str, encoding: str
) -> None:
    """Legacy v1 signs (jsonNormalisation/v3 by default); pyocm verifies with the key, or for
    PEM with the root CA as --ca-cert and as the configured key, with v1's issuer rules."""
    keys = ["-K", "key.pem"]
    if encoding == "PEM":
        keys = ["-K", "leaf-key.pem", "-k", "chain.pem", "--ca-cert", "root.pem"]
    go_ocm_v1.ok("sign", "cv", "-s", SIGNATURE, "-S", algorithm, *keys, REF, cwd=work)
    with open_repository(str(work / "ctf")) as repo:
        (entry,) = repo.get_component_version(COMPONENT, VERSION).signatures
    assert entry.digest.normalisation_algorithm == "jsonNormalisation/v3"
    assert entry.signature.algorithm == algorithm

    verify = ("verify", "cv", REF, "--signature", SIGNATURE)
    if encoding == "PEM":
        ok(run_ocm(*verify, "--ca-cert", "root.pem", cwd=work), "pyocm --ca-cert")
        ok(run_ocm("--config", f"verify-{algorithm}-PEM.yaml", *verify, cwd=work), "config")
        fails(run_ocm(*verify, "--ca-cert", "other-root.pem", cwd=work), "other root")
    else:
        ok(run_ocm(*verify, "--public-key", "pub.pem", cwd=work), "pyocm verify")
        fails(run_ocm(*verify, "--public-key", "other-pub.pem", cwd=work), "other key")
    tamper(str(work / "ctf"), COMPONENT, VERSION, change_resource_digest)
    trust = ["--ca-cert", "root.pem"] if encoding == "PEM" else ["--public-key", "pub.pem"]
    out = fails(run_ocm(*verify, *trust, cwd=work), "pyocm verify of a tampered descriptor")
    assert "the descriptor was changed after signing" in out


def test_what_legacy_v1_cannot_verify(run_ocm: RunOcm, go_ocm_v1: GoOcm, work: Path) -> None:
    """Legacy v1 0.48 knows no jsonNormalisation/v4alpha1 (pyocm's and Go v2's default), and
    pyocm refuses to make a legacy signature it would reject (plain RSASSA-PSS)."""
    tag = f"{PSS}-Plain"
    ok(
        run_ocm("--config", f"sign-{tag}.yaml", "sign", "cv", REF, "--signature", SIGNATURE,
                cwd=work),
        "pyocm sign",
    )  # fmt: skip
    out = fails(go_ocm_v1.run(*_legacy_verify(go_ocm_v1, work, "Plain"), cwd=work), "v4alpha1")
    assert "jsonNormalisation/v4alpha1" in out
    refused = run_ocm(
        "--config", f"sign-{tag}.yaml", "sign", "cv", REF, "--signature", "legacy",
        "--compatibility", "legacy", "--algorithm", PSS, "-K", "key.pem", cwd=work,
    )  # fmt: skip
    assert "cannot verify plain RSASSA-PSS" in fails(refused, "legacy plain PSS")
