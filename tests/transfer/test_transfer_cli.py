"""``ocm transfer component-version`` end to end on CTFs: build with ``ocm add cv``, sign,
transfer, then read, download and verify in the target; archives, conflict policies, dry
runs, version selection and the transfer configuration (cli.md §1.11, §4, §7.7)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from fixtures.cli import ok
from fixtures.signing import write_signing_configs

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

APP = "acme.org/app:1.0.0"
DB = "acme.org/db:1.0.0"
CONSTRUCTOR = """\
components:
- name: acme.org/db
  version: 1.0.0
  provider: {name: acme.org}
  resources:
  - name: schema
    type: blob
    input: {type: file, path: schema.sql}
- name: acme.org/app
  version: 1.0.0
  provider: {name: acme.org}
  componentReferences:
  - name: db
    componentName: acme.org/db
    version: 1.0.0
  resources:
  - name: binary
    type: blob
    input: {type: file, path: app.bin}
  - name: notes
    type: plainText
    input: {type: utf8, text: "release notes"}
  - name: image
    type: ociImage
    version: 1.0.0
    access: {type: ociArtifact, imageReference: ghcr.io/acme/app:1.0.0}
    digest:
      hashAlgorithm: SHA-256
      normalisationAlgorithm: genericBlobDigest/v1
      value: "6c3b6e6ea0d1bd2e0ac2d2d1d2e8d3c3a3f1b1c1d1e1f1a1b1c1d1e1f1a1b1c1"
"""


def _descriptors(run_ocm: RunOcm, ref: str, cwd: Path) -> list[dict[str, object]]:
    return list(json.loads(ok(run_ocm("get", "cv", ref, "-o", "json", cwd=cwd)).stdout))


def _download(run_ocm: RunOcm, ref: str, name: str, cwd: Path) -> bytes:
    out = cwd / f"downloaded-{name}"
    ok(
        run_ocm(
            "download", "resource", ref, "--identity", f"name={name}", "--output", str(out), cwd=cwd
        )
    )
    return out.read_bytes()


@pytest.fixture
def built(run_ocm: RunOcm, tmp_path: Path) -> Path:
    """``./transport-archive`` with app (three resources) referencing db, built by ocm."""
    (tmp_path / "schema.sql").write_text("create table t (id int);\n")
    (tmp_path / "app.bin").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "component-constructor.yaml").write_text(CONSTRUCTOR)
    # the image is on ghcr.io, which these offline tests cannot reach to pin it
    ok(run_ocm("add", "cv", "--skip-reference-digest-processing", cwd=tmp_path))
    return tmp_path


def test_sign_transfer_recursively_then_read_download_and_verify_in_the_target(
    run_ocm: RunOcm, built: Path
) -> None:
    write_signing_configs(built)
    ok(run_ocm("sign", "cv", f"./transport-archive//{APP}", "--config", "signer.yaml", cwd=built))

    done = ok(
        run_ocm(
            "transfer", "cv", "--recursive", f"./transport-archive//{APP}", "./target", cwd=built
        )
    )
    assert done.stdout == ""
    assert 'msg="component version transferred" component=acme.org/db' in done.stderr

    for ref in (APP, DB):
        assert _descriptors(run_ocm, f"./target//{ref}", built) == _descriptors(
            run_ocm, f"./transport-archive//{ref}", built
        )
    assert (
        _download(run_ocm, f"./target//{APP}", "binary", built) == (built / "app.bin").read_bytes()
    )
    assert _download(run_ocm, f"./target//{APP}", "notes", built) == b"release notes"
    assert (
        _download(run_ocm, f"./target//{DB}", "schema", built)
        == (built / "schema.sql").read_bytes()
    )

    verified = ok(
        run_ocm("verify", "cv", f"./target//{APP}", "--config", "verifier.yaml", cwd=built)
    )
    assert "SIGNATURE VERIFICATION SUCCESSFUL" in verified.stderr
    signature = _descriptors(run_ocm, f"./target//{APP}", built)[0]["signatures"]
    assert signature == _descriptors(run_ocm, f"./transport-archive//{APP}", built)[0]["signatures"]


def test_without_recursion_only_the_root_is_transferred(run_ocm: RunOcm, built: Path) -> None:
    ok(run_ocm("transfer", "cv", f"./transport-archive//{APP}", "./target", cwd=built))
    assert len(_descriptors(run_ocm, f"./target//{APP}", built)) == 1
    missing = run_ocm("get", "cv", f"./target//{DB}", cwd=built)
    assert missing.returncode == 1


def test_a_tgz_target_is_written_and_read_back(run_ocm: RunOcm, built: Path) -> None:
    ok(run_ocm("transfer", "cv", "-r", f"./transport-archive//{APP}", "./airgap.tgz", cwd=built))
    assert (built / "airgap.tgz").read_bytes()[:2] == b"\x1f\x8b"
    assert (
        _download(run_ocm, f"./airgap.tgz//{APP}", "binary", built)
        == (built / "app.bin").read_bytes()
    )
    # ... and the archive is a source for the next hop.
    ok(run_ocm("transfer", "cv", "-r", f"./airgap.tgz//{APP}", "./inside", cwd=built))
    assert _descriptors(run_ocm, f"./inside//{DB}", built) == _descriptors(
        run_ocm, f"./transport-archive//{DB}", built
    )


def test_reruns_skip_identical_versions_and_changed_ones_follow_the_policy(
    run_ocm: RunOcm, built: Path
) -> None:
    source = f"./transport-archive//{DB}"
    ok(run_ocm("transfer", "cv", source, "./target", cwd=built))
    again = ok(run_ocm("transfer", "cv", source, "./target", cwd=built))
    assert 'msg="component version skipped"' in again.stderr
    assert "up to date" in again.stderr

    (built / "schema.sql").write_text("create table t (id bigint);\n")
    ok(
        run_ocm(
            "add",
            "cv",
            "--skip-reference-digest-processing",
            "--component-version-conflict-policy",
            "replace",
            cwd=built,
        )
    )
    refused = run_ocm("transfer", "cv", source, "./target", cwd=built)
    assert refused.returncode == 1
    assert "already exists in target repository" in refused.stderr
    assert _download(run_ocm, f"./target//{DB}", "schema", built) == b"create table t (id int);\n"

    policy = "--component-version-conflict-policy"
    ok(run_ocm("transfer", "cv", policy, "skip", source, "./target", cwd=built))
    assert _download(run_ocm, f"./target//{DB}", "schema", built) == b"create table t (id int);\n"
    ok(run_ocm("transfer", "cv", policy, "replace", source, "./target", cwd=built))
    assert (
        _download(run_ocm, f"./target//{DB}", "schema", built) == b"create table t (id bigint);\n"
    )


def test_a_corrupted_blob_fails_the_transfer_and_a_rerun_completes(
    run_ocm: RunOcm, built: Path
) -> None:
    app = _descriptors(run_ocm, f"./transport-archive//{APP}", built)[0]
    local = app["component"]["resources"][0]["access"]["localReference"]  # type: ignore[index]
    blob = built / "transport-archive" / "blobs" / local.replace(":", ".")
    good = blob.read_bytes()
    blob.chmod(0o644)
    blob.write_bytes(good[:-1] + b"!")
    failed = run_ocm("transfer", "cv", "-r", f"./transport-archive//{APP}", "./target", cwd=built)
    assert failed.returncode == 1
    assert "resource 'binary'" in failed.stderr
    assert "digest mismatch" in failed.stderr
    assert run_ocm("get", "cv", f"./target//{APP}", cwd=built).returncode == 1

    blob.write_bytes(good)
    ok(run_ocm("transfer", "cv", "-r", f"./transport-archive//{APP}", "./target", cwd=built))
    assert (
        _download(run_ocm, f"./target//{APP}", "binary", built) == (built / "app.bin").read_bytes()
    )


def test_concurrency_one_and_default_give_the_same_target(run_ocm: RunOcm, built: Path) -> None:
    source = f"./transport-archive//{APP}"
    ok(run_ocm("transfer", "cv", "-r", "--concurrency", "1", source, "./one", cwd=built))
    ok(run_ocm("transfer", "cv", "-r", source, "./default", cwd=built))
    for ref in (APP, DB):
        assert _descriptors(run_ocm, f"./one//{ref}", built) == _descriptors(
            run_ocm, f"./default//{ref}", built
        )
    assert sorted(p.name for p in (built / "one" / "blobs").iterdir()) == sorted(
        p.name for p in (built / "default" / "blobs").iterdir()
    )
    bad = run_ocm("transfer", "cv", "--concurrency", "0", source, "./x", cwd=built)
    assert bad.returncode == 1
    assert "--concurrency" in bad.stderr


def test_dry_run_prints_the_plan_and_changes_nothing(run_ocm: RunOcm, built: Path) -> None:
    source = f"./transport-archive//{APP}"
    as_yaml = ok(run_ocm("transfer", "cv", "-r", "--dry-run", source, "./target", cwd=built))
    assert not (built / "target").exists()
    plan = yaml.safe_load(as_yaml.stdout)
    assert plan["type"] == "transferplan.pyocm.software/v1alpha1"
    assert (plan["source"], plan["target"]) == ("./transport-archive", "./target")
    assert plan["options"]["recursive"] is True
    versions = plan["componentVersions"]
    assert [(v["component"], v["action"]) for v in versions] == [
        ("acme.org/db", "add"),
        ("acme.org/app", "add"),
    ]
    copies = {r["identity"]["name"]: r["copy"] for r in versions[1]["resources"]}
    assert copies == {"binary": "byValue", "notes": "byValue", "image": "byReference"}

    as_json = ok(
        run_ocm("transfer", "cv", "-r", "--dry-run", "-o", "json", source, "./target", cwd=built)
    )
    assert json.loads(as_json.stdout) == plan
    as_ndjson = ok(
        run_ocm("transfer", "cv", "-r", "--dry-run", "-o", "ndjson", source, "./target", cwd=built)
    )
    assert [json.loads(line) for line in as_ndjson.stdout.splitlines()] == versions

    ok(run_ocm("transfer", "cv", "-r", source, "./target", cwd=built))
    after = yaml.safe_load(
        ok(run_ocm("transfer", "cv", "-r", "--dry-run", source, "./target", cwd=built)).stdout
    )
    assert {v["action"] for v in after["componentVersions"]} == {"skip"}


def _versions(run_ocm: RunOcm, ctf: str, cwd: Path) -> list[str]:
    listed = _descriptors(run_ocm, f"{ctf}//acme.org/multi", cwd)
    return [d["component"]["version"] for d in listed]  # type: ignore[index]


def test_all_versions_a_constraint_or_the_latest(run_ocm: RunOcm, tmp_path: Path) -> None:
    # cli.md §7.7 item 36.
    for version in ("v1.0.0", "v1.1.0", "v2.0.0"):
        (tmp_path / "c.yaml").write_text(
            "components:\n- name: acme.org/multi\n"
            f"  version: {version}\n  provider: {{name: acme.org}}\n"
        )
        ok(run_ocm("add", "cv", "-c", "c.yaml", cwd=tmp_path))
    source = "./transport-archive//acme.org/multi"
    ok(run_ocm("transfer", "cv", source, "./all", cwd=tmp_path))
    assert _versions(run_ocm, "./all", tmp_path) == ["v2.0.0", "v1.1.0", "v1.0.0"]
    ok(run_ocm("transfer", "cv", source, "./older", "--semver-constraint", "< 2.0.0", cwd=tmp_path))
    assert _versions(run_ocm, "./older", tmp_path) == ["v1.1.0", "v1.0.0"]
    ok(run_ocm("transfer", "cv", source, "./latest", "--latest", cwd=tmp_path))
    assert _versions(run_ocm, "./latest", tmp_path) == ["v2.0.0"]
    none = run_ocm("transfer", "cv", source, "./none", "--semver-constraint", "> 5", cwd=tmp_path)
    assert none.returncode == 1
    assert 'no versions found for component "acme.org/multi"' in none.stderr


def _transfer_config(path: Path, **entry: object) -> None:
    document = {
        "type": "generic.config.ocm.software/v1",
        "configurations": [{"type": "transfer.config.ocm.software/v1alpha1", **entry}],
    }
    path.write_text(yaml.safe_dump(document))


def test_the_transfer_configuration_supplies_defaults_that_flags_override(
    run_ocm: RunOcm, built: Path
) -> None:
    # cli.md §7.7 item 41.
    source = f"./transport-archive//{APP}"
    _transfer_config(built / "recursive.yaml", recursive=-1)
    ok(run_ocm("transfer", "cv", "--config", "recursive.yaml", source, "./a", cwd=built))
    assert len(_descriptors(run_ocm, f"./a//{DB}", built)) == 1
    ok(
        run_ocm(
            "transfer",
            "cv",
            "--config",
            "recursive.yaml",
            "--recursive=false",
            source,
            "./b",
            cwd=built,
        )
    )
    assert run_ocm("get", "cv", f"./b//{DB}", cwd=built).returncode == 1

    _transfer_config(built / "none.yaml", recursive=0)
    ok(run_ocm("transfer", "cv", "--config", "none.yaml", "--recursive", source, "./c", cwd=built))
    assert len(_descriptors(run_ocm, f"./c//{DB}", built)) == 1

    _transfer_config(built / "copy.yaml", copyMode="allResources", uploadType="ociArtifact")
    copy = ("transfer", "cv", "--config", "copy.yaml", "--dry-run", source, "./d")
    unfetchable = run_ocm(*copy, cwd=built)  # the ghcr.io image cannot be fetched offline
    assert unfetchable.returncode == 1
    assert "--copy-resources cannot copy 1 resource: resource 'image'" in unfetchable.stderr
    plan = yaml.safe_load(ok(run_ocm(*copy, "--allow-by-reference", cwd=built)).stdout)
    assert plan["options"]["copyResources"] is True
    assert plan["options"]["allowByReference"] is True
    assert plan["options"]["uploadAs"] == "ociArtifact"

    _transfer_config(built / "bogus.yaml", copyMode="bogus")
    bogus = run_ocm("transfer", "cv", "--config", "bogus.yaml", source, "./e", cwd=built)
    assert bogus.returncode == 1
    assert "invalid copyMode" in bogus.stderr
    assert not (built / "e").exists()
