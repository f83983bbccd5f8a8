"""``ocm hash component-version`` (the legacy CLI's ``ocm hash componentversions``).

Expected outputs for ``test.de/x`` are those of the legacy CLI's own tests,
open-component-model/ocm ``cmds/ocm/commands/ocmcmds/components/hash/cmd_test.go``; the
jsonNormalisation/v4alpha1 vector is NG's conformance case (reference/spec-core.md, A1).
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result

Invoke = Callable[..., Result]

EMPTY_CD = """\
meta:
  schemaVersion: v2
component:
  name: test.de/x
  version: v1
  provider: mandelsoft
  repositoryContexts: []
  resources: []
  sources: []
  componentReferences: []
"""

RESOURCE_CD = """\
meta:
  schemaVersion: v2
component:
  name: test.de/x
  version: v1
  provider: mandelsoft
  repositoryContexts: []
  resources:
  - name: test
    version: v1
    type: plainText
    relation: local
    access:
      type: localBlob
      localReference: sha256.810ff2fb242a5dee4220f2cb0e6a519891fb67f2f828a6cab4ef8894633b1f50
      mediaType: text/plain
    digest:
      hashAlgorithm: SHA-256
      normalisationAlgorithm: genericBlobDigest/v1
      value: 810ff2fb242a5dee4220f2cb0e6a519891fb67f2f828a6cab4ef8894633b1f50
  sources: []
  componentReferences: []
"""

EMPTY_NORMALISED = (
    '{"component":{"componentReferences":[],"name":"test.de/x","provider":{"name":"mandelsoft"},'
    '"resources":[],"sources":[],"version":"v1"}}'
)
EMPTY_HASH = "33aeb8c46ea4bacbf0bc3ac42c186c7f5e313584601a93bf861c016d73c9e4f1"
RESOURCE_NORMALISED = (
    '{"component":{"componentReferences":[],"name":"test.de/x","provider":{"name":"mandelsoft"},'
    '"resources":[{"digest":{"hashAlgorithm":"SHA-256","normalisationAlgorithm":'
    '"genericBlobDigest/v1","value":"810ff2fb242a5dee4220f2cb0e6a519891fb67f2f828a6cab4ef8894633b1f50"}'
    ',"name":"test","relation":"local","type":"plainText","version":"v1"}],"sources":[],'
    '"version":"v1"}}'
)
RESOURCE_HASH = "6e8e9eb0af1c4c0b9dcc4161168b3f0ad913bc85e4234688dd6d4b283fe4b956"

A1 = Path("normalisation/v4alpha1-conformance/legacy/jsonNormalisation/v3/01")
A1_HASH = "c97c44a4dca9fc85d4e634a617b662f72935cc202d52a46aa9367c937458b35b"


@pytest.fixture
def empty_cd(tmp_path: Path) -> Path:
    path = tmp_path / "component-descriptor.yaml"
    path.write_text(EMPTY_CD)
    return path


@pytest.fixture
def resource_cd(tmp_path: Path) -> Path:
    path = tmp_path / "with-resource.yaml"
    path.write_text(RESOURCE_CD)
    return path


def test_text_output_is_the_legacy_table(invoke: Invoke, empty_cd: Path) -> None:
    result = invoke("hash", "cv", "-f", str(empty_cd), "-N", "jsonNormalisation/v3")
    assert result.exit_code == 0
    assert result.stdout == f"COMPONENT VERSION HASH\ntest.de/x v1      {EMPTY_HASH}\n"


def test_wide_output_adds_the_normalised_form(invoke: Invoke, empty_cd: Path) -> None:
    result = invoke("hash", "cv", "-f", str(empty_cd), "-N", "jsonNormalisation/v3", "-o", "wide")
    assert result.stdout == (
        "COMPONENT VERSION HASH" + " " * 61 + "NORMALIZED FORM\n"
        f"test.de/x v1      {EMPTY_HASH} {EMPTY_NORMALISED}\n"
    )


def test_wide_output_with_a_long_normal_form_is_vertical(invoke: Invoke, resource_cd: Path) -> None:
    args = ["hash", "cv", "-f", str(resource_cd), "--normalization", "jsonNormalisation/v3"]
    result = invoke(*args, "-o", "wide")
    assert result.stdout == (
        "COMPONENT      : test.de/x\n"
        "VERSION        : v1\n"
        f"HASH           : {RESOURCE_HASH}\n"
        f"NORMALIZED FORM: {RESOURCE_NORMALISED}\n"
        "---\n"
    )


def test_yaml_output_is_the_legacy_manifest(invoke: Invoke, empty_cd: Path) -> None:
    result = invoke("hash", "cv", "-f", str(empty_cd), "-N", "jsonNormalisation/v3", "-o", "yaml")
    assert result.stdout == (
        "---\n"
        "component: test.de/x\n"
        "context: []\n"
        f"hash: {EMPTY_HASH}\n"
        f"normalized: '{EMPTY_NORMALISED}'\n"
        "version: v1\n"
    )


def test_json_output_is_an_item_list(invoke: Invoke, empty_cd: Path) -> None:
    result = invoke("hash", "cv", "-f", str(empty_cd), "-N", "jsonNormalisation/v3", "-o", "json")
    assert json.loads(result.stdout) == {
        "items": [
            {
                "context": [],
                "component": "test.de/x",
                "version": "v1",
                "normalized": EMPTY_NORMALISED,
                "hash": EMPTY_HASH,
            }
        ]
    }
    assert result.stdout.startswith('{\n  "items": [\n    {\n      "context": [],\n')


def test_norm_output_is_the_normalised_form_only(invoke: Invoke, empty_cd: Path) -> None:
    result = invoke("hash", "cv", "-f", str(empty_cd), "-N", "jsonNormalisation/v3", "-o", "norm")
    assert result.stdout == EMPTY_NORMALISED + "\n"


def test_default_normalisation_is_v4alpha1(invoke: Invoke, vectors: Path) -> None:
    expected = (vectors / A1 / "expected.json").read_bytes()
    result = invoke(
        "hash", "component-version", "--file", str(vectors / A1 / "input.yaml"), "-o", "yaml"
    )
    assert result.exit_code == 0
    manifest = yaml.safe_load(result.stdout.removeprefix("---\n"))
    assert manifest["hash"] == A1_HASH == hashlib.sha256(expected).hexdigest()
    assert manifest["normalized"] == expected.decode()


def test_sha512_hashes_the_same_normal_form(invoke: Invoke, vectors: Path) -> None:
    expected = (vectors / A1 / "expected.json").read_bytes()
    result = invoke("hash", "cv", "-f", str(vectors / A1 / "input.yaml"), "-H", "SHA-512")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].split()[-1] == hashlib.sha512(expected).hexdigest()


def test_missing_file_flag_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("hash", "cv")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: a component reference or a descriptor file (--file) is needed\n"
    )


def test_reference_hashes_the_descriptor_stored_in_the_ctf(
    invoke: Invoke, vectors: Path, tmp_path: Path
) -> None:
    ctf = vectors / "ctf/01/transport-archive"
    # The legacy CLI stored the descriptor as component-descriptor.yaml inside a tar layer.
    layer = ctf / "blobs/sha256.7164be671f47d4f2b427363b3efd144c2705219e5046d23a28a181ce602cf152"
    with tarfile.open(layer) as tar:
        member = tar.extractfile("component-descriptor.yaml")
        assert member is not None
        (tmp_path / "cd.yaml").write_bytes(member.read())
    by_file = invoke("hash", "cv", "-f", str(tmp_path / "cd.yaml"), "-o", "wide")
    by_ref = invoke("hash", "cv", f"{ctf}//github.com/acme.org/helloworld:1.0.0", "-o", "wide")
    assert by_ref.exit_code == 0, by_ref.stderr
    assert by_ref.stdout == by_file.stdout
    assert "github.com/acme.org/helloworld" in by_ref.stdout


def test_reference_without_version_is_an_error(invoke: Invoke, vectors: Path) -> None:
    ctf = vectors / "ctf/01/transport-archive"
    result = invoke("hash", "cv", f"{ctf}//github.com/acme.org/helloworld")
    assert result.exit_code == 1
    assert "a version is required" in result.stderr


def test_unknown_algorithms_fail_with_one_error_line(invoke: Invoke, empty_cd: Path) -> None:
    for flag, value in (("-N", "jsonNormalisation/v9"), ("-H", "MD5")):
        result = invoke("hash", "cv", "-f", str(empty_cd), flag, value)
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr.startswith("Error: ")
        assert value in result.stderr
        assert result.stderr.count("\n") == 1
