"""One delivery that both generations of verifiers accept, through a real registry.

pyocm signs a component version in the registry twice in one command: a
``jsonNormalisation/v4alpha1`` signature for Go v2 and a legacy ``jsonNormalisation/v3`` one
(``--legacy-signature``) for the legacy v1 CLI.  The descriptor has what the two
normalisations treat differently (nulls inside label values, label ``version`` on signing
labels, a creation time with fractions of a second and an offset, a reference label with a
version, a reference whose digest pyocm recorded with v4alpha1, which legacy v1 recomputes
with v3).  Go v2 0.13.0 and legacy v1 0.48.0 each verify the signature made for them, and each
fails once the stored descriptor is changed.  A PEM signature Go v2 makes in the registry is
verified by pyocm with the same configuration.
"""

from __future__ import annotations

import subprocess
import uuid
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
    make_keys,
    tamper,
    write_material,
)

from fixtures.go_ocm import GoOcm
from fixtures.registry import RegistryServer

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

PARENT, CHILD, VERSION = "acme.org/delivery", "acme.org/delivery-part", "1.0.0"
LEGACY = "legacy"
CONSTRUCTOR = f"""\
components:
- name: {CHILD}
  version: {VERSION}
  creationTime: "2024-05-01T10:20:30.600+02:00"
  provider: {{name: acme.org}}
  labels:
  - {{name: approved-by, value: {{team: qa, ticket: null}}, version: v2, signing: true}}
  resources:
  - name: part
    type: blob
    labels:
    - {{name: kind, value: text, version: v1, signing: true}}
    input: {{type: file, path: part.txt}}
- name: {PARENT}
  version: {VERSION}
  creationTime: "2024-05-01T10:20:30.500Z"
  provider:
    name: acme.org
    labels:
    - {{name: tier, value: gold, version: v1, signing: true}}
  labels:
  - {{name: approved-by, value: {{team: release, ticket: null}}, signing: true}}
  componentReferences:
  - name: part
    componentName: {CHILD}
    version: {VERSION}
    labels:
    - {{name: note, value: pinned, version: v3}}
  resources:
  - name: app
    type: blob
    input: {{type: file, path: app.txt}}
"""


def ok(done: subprocess.CompletedProcess[str], what: str) -> None:
    assert done.returncode == 0, f"{what}\n{done.stdout}\n{done.stderr}"


def fails(done: subprocess.CompletedProcess[str], what: str) -> str:
    assert done.returncode != 0, f"{what} should fail\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def keys() -> Keys:
    return make_keys()


@pytest.fixture
def delivery(
    run_ocm: RunOcm, tmp_path: Path, keys: Keys, registry: RegistryServer
) -> tuple[Path, str]:
    """The two component versions, packed by pyocm and transferred into a fresh repository of
    the registry; returns the work folder and the repository URL."""
    (tmp_path / "part.txt").write_text("part\n")
    (tmp_path / "app.txt").write_text("app\n")
    (tmp_path / "component-constructor.yaml").write_text(CONSTRUCTOR)
    ok(run_ocm("add", "cv", "--repository", "ctf", cwd=tmp_path), "pyocm add cv")
    write_material(tmp_path, keys)
    repository = f"{registry.url}/dual-{uuid.uuid4().hex[:8]}"
    moved = run_ocm("transfer", "cv", "-r", f"ctf//{PARENT}:{VERSION}", repository, cwd=tmp_path)
    ok(moved, "pyocm transfer")
    return tmp_path, repository


def _v1_ref(repository: str) -> str:
    return f"{repository}//{PARENT}:{VERSION}"


def test_one_delivery_for_legacy_and_new_verifiers(
    run_ocm: RunOcm,
    go_ocm_v2: GoOcm,
    go_ocm_v1: GoOcm,
    delivery: tuple[Path, str],
) -> None:
    work, repository = delivery
    ref = f"{repository}//{PARENT}:{VERSION}"
    # The keys are configured once, for the Go v2 signature; the legacy one uses them too.
    (work / "both.yaml").write_text((work / f"sign-{PSS}-Plain.yaml").read_text())
    signed = run_ocm(
        "--config", "both.yaml", "sign", "cv", ref, "--signature", SIGNATURE,
        "--legacy-signature", LEGACY, cwd=work,
    )  # fmt: skip
    ok(signed, "pyocm sign --legacy-signature")
    new, old = yaml.safe_load(signed.stdout)
    assert (new["name"], new["digest"]["normalisationAlgorithm"]) == (
        SIGNATURE,
        "jsonNormalisation/v4alpha1",
    )
    assert (old["name"], old["digest"]["normalisationAlgorithm"]) == (
        LEGACY,
        "jsonNormalisation/v3",
    )
    assert old["signature"]["algorithm"] == PKCS1  # legacy v1 rejects plain RSASSA-PSS
    assert new["digest"]["value"] != old["digest"]["value"]

    go_verify = ("--config", f"verify-{PSS}-Plain.yaml", "verify", "cv", "--signature", SIGNATURE)
    v1_verify = ("verify", "cv", "-s", LEGACY, "-k", "pub.pem")
    go_ocm_v2.ok(*go_verify, ref, cwd=work)
    go_ocm_v1.ok(*v1_verify, _v1_ref(repository), cwd=work)
    ok(run_ocm("verify", "cv", "--public-key", "pub.pem", ref, cwd=work), "pyocm, both")

    # Each generation reads the other's signature with its own normalisation and fails, which
    # is why each verifies its own by name.
    fails(go_ocm_v2.run(*go_verify[:-1], LEGACY, ref, cwd=work), "Go v2 on the v3 signature")
    v1_new = go_ocm_v1.run(
        "verify", "cv", "-s", SIGNATURE, "-k", "pub.pem", _v1_ref(repository), cwd=work
    )
    assert "jsonNormalisation/v4alpha1" in fails(v1_new, "legacy v1 on the v4alpha1 signature")

    tamper(repository, PARENT, VERSION, change_label)
    assert "SIGNATURE VERIFICATION FAILED" in fails(go_ocm_v2.run(*go_verify, ref, cwd=work), "v2")
    out = fails(go_ocm_v1.run(*v1_verify, _v1_ref(repository), cwd=work), "legacy v1")
    assert "does not match" in out


def test_go_v2_pem_signature_in_the_registry_verified_by_pyocm(
    run_ocm: RunOcm, go_ocm_v2: GoOcm, delivery: tuple[Path, str]
) -> None:
    """Go v2 signs with a certificate chain in the registry; pyocm verifies with Go's own
    verifier configuration (the root CA as public key) and so does Go v2; a changed stored
    descriptor fails in both."""
    work, repository = delivery
    ref = f"{repository}//{PARENT}:{VERSION}"
    tag = f"{PKCS1}-PEM"
    go_ocm_v2.ok(
        "--config", f"sign-{tag}.yaml", "sign", "cv", ref, "--signature", SIGNATURE,
        "--signer-spec", f"spec-{tag}.yaml", cwd=work,
    )  # fmt: skip
    verify = ("--config", f"verify-{tag}.yaml", "verify", "cv", ref, "--signature", SIGNATURE)
    ok(run_ocm(*verify, cwd=work), "pyocm verify")
    go_ocm_v2.ok(*verify, "--verifier-spec", f"spec-{tag}.yaml", cwd=work)
    tamper(repository, PARENT, VERSION, change_label)
    fails(run_ocm(*verify, cwd=work), "pyocm verify of a tampered descriptor")
    fails(go_ocm_v2.run(*verify, "--verifier-spec", f"spec-{tag}.yaml", cwd=work), "Go v2")
