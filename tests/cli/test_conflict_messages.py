"""Conflicts with what a repository already holds name the flag that resolves them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

Invoke = Callable[..., Result]

CONSTRUCTOR = "name: acme.org/app\nversion: 1.0.0\nprovider: {name: acme.org}\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "component-constructor.yaml").write_text(CONSTRUCTOR)
    return tmp_path


@pytest.mark.usefixtures("workdir")
def test_a_second_add_names_the_conflict_policy_flag_and_its_values(invoke: Invoke) -> None:
    assert invoke("add", "cv").exit_code == 0
    result = invoke("add", "cv")
    assert result.exit_code == 1
    message = result.stderr
    assert message.startswith('Error: component version "name=acme.org/app,version=1.0.0" ')
    assert "already exists" in message
    assert "--component-version-conflict-policy" in message
    assert "skip" in message
    assert "replace" in message
    assert result.stdout == ""


@pytest.mark.usefixtures("workdir")
@pytest.mark.parametrize("policy", ["skip", "replace"])
def test_the_named_values_resolve_the_conflict(invoke: Invoke, policy: str) -> None:
    assert invoke("add", "cv").exit_code == 0
    result = invoke("add", "cv", "--component-version-conflict-policy", policy)
    assert result.exit_code == 0, result.stderr
    assert "acme.org/app" in result.stdout


def test_paths_in_the_file_are_still_resolved_against_its_directory(
    invoke: Invoke, workdir: Path
) -> None:
    (workdir / "sub").mkdir()
    (workdir / "sub" / "hello.txt").write_text("hello\n")
    (workdir / "sub" / "c.yaml").write_text(
        CONSTRUCTOR + "resources:\n- name: hello\n  type: blob\n"
        "  input: {type: file, path: hello.txt}\n"
    )
    result = invoke("add", "cv", "-c", "sub/c.yaml", "-r", "./ctf")
    assert result.exit_code == 0, result.stderr


def test_a_second_signature_of_the_same_name_names_force(invoke: Invoke, workdir: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (workdir / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (workdir / ".ocmconfig").write_text(
        "type: generic.config.ocm.software/v1\nconfigurations:\n"
        "- type: credentials.config.ocm.software\n  consumers:\n"
        "  - identity: {type: RSA/v1alpha1, algorithm: RSASSA-PSS, signature: default}\n"
        "    credentials:\n    - type: Credentials/v1\n"
        f"      properties: {{private_key_pem_file: {workdir / 'key.pem'}}}\n"
    )
    assert invoke("add", "cv").exit_code == 0
    ref = "./transport-archive//acme.org/app:1.0.0"
    config = ["--config", str(workdir / ".ocmconfig")]
    first = invoke("sign", "cv", ref, *config)
    assert first.exit_code == 0, first.stderr
    again = invoke("sign", "cv", ref, *config)
    assert again.exit_code == 1
    assert "--force" in again.stderr
    assert invoke("sign", "cv", ref, "--force", *config).exit_code == 0
