"""``transfer --copy-resources`` carries every resource's content, or fails before writing.

An air-gap delivery asked to carry its images must not arrive without them while the command
reports success: content that cannot be fetched fails the transfer, naming the resource and
why, unless ``--allow-by-reference`` lets it keep its access.  An image on a loopback registry
named without a scheme is fetched in plain HTTP when that registry does not speak TLS.
"""

from __future__ import annotations

import json
import socket
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fixtures.cli import error_line, ok
from fixtures.ocm_registry import image, raw_client, sha256
from fixtures.registry import RegistryServer
from pyocm.oci.mediatypes import IMAGE_MANIFEST

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

APP = "acme.org/app"

CONSTRUCTOR = """\
components:
- name: acme.org/app
  version: 1.0.0
  provider: {{name: acme.org}}
  resources:
  - name: notes
    type: plainText
    input: {{type: utf8, text: "notes to carry\\n"}}
  - name: image
    type: ociImage
    version: 1.0.0
    access: {{type: ociArtifact, imageReference: '{reference}'}}
"""


def _push_image(registry: RegistryServer) -> tuple[str, str]:
    """An image in the plain registry: ``(repository, manifest digest)``."""
    name = f"pyocm-test/strict-{uuid.uuid4().hex[:10]}"
    config, layer, manifest = image(2048)
    with raw_client(registry) as client:
        remote = client.repository(name)
        remote.push_bytes(config, "application/vnd.oci.image.config.v1+json")
        remote.push_bytes(layer, "application/vnd.oci.image.layer.v1.tar")
        pushed = remote.put_manifest(manifest, IMAGE_MANIFEST, tag="1.0.0")
    return name, pushed.digest


def _source(run_ocm: RunOcm, work: Path, reference: str) -> str:
    """A source CTF holding acme.org/app with the image access ``reference``."""
    (work / "component-constructor.yaml").write_text(CONSTRUCTOR.format(reference=reference))
    ok(run_ocm("add", "cv", "-r", "./src", cwd=work, env=_env(work)))
    return f"./src//{APP}:1.0.0"


def _env(work: Path) -> dict[str, str]:
    return {"HOME": str(work), "XDG_CONFIG_HOME": str(work / ".config")}


def _resources(run_ocm: RunOcm, reference: str, work: Path) -> dict[str, Any]:
    shown = ok(run_ocm("get", "cv", reference, "-o", "json", cwd=work, env=_env(work)))
    [descriptor] = json.loads(shown.stdout)
    return {r["name"]: r for r in descriptor["component"]["resources"]}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_image_on_a_plain_loopback_registry_named_without_scheme_is_copied(
    registry: RegistryServer, run_ocm: RunOcm, tmp_path: Path
) -> None:
    name, digest = _push_image(registry)
    source = _source(run_ocm, tmp_path, f"{registry.address}/{name}@{digest}")
    done = ok(
        run_ocm(
            "transfer", "cv", "--copy-resources", source, "./dst", cwd=tmp_path, env=_env(tmp_path)
        )
    )
    assert "kept by reference" not in done.stderr
    assert "blobs=2" in done.stderr
    copied = _resources(run_ocm, f"./dst//{APP}:1.0.0", tmp_path)["image"]
    assert copied["access"]["type"] in ("localBlob", "LocalBlob/v1")
    assert copied["access"]["localReference"] == digest


def test_content_that_cannot_be_fetched_fails_the_transfer_before_anything_is_written(
    registry: RegistryServer, run_ocm: RunOcm, tmp_path: Path
) -> None:
    port = _closed_port()
    unreachable = f"127.0.0.1:{port}/app@{sha256(b'gone')}"
    source = _source(run_ocm, tmp_path, unreachable)
    sub_path = f"t{uuid.uuid4().hex[:10]}"
    target = f"{registry.url}/{sub_path}"
    env = _env(tmp_path)

    failed = run_ocm("transfer", "cv", "--copy-resources", source, target, cwd=tmp_path, env=env)
    line = error_line(failed)
    assert f"resource 'image' of {APP}:1.0.0 (" in line
    assert f"https://127.0.0.1:{port}/v2/app/manifests/" in line
    assert "ConnectError" in line
    assert "--allow-by-reference" in line
    assert "transfer finished" not in failed.stderr
    # nothing was written: no version, and not even the blob of the fetchable resource
    assert run_ocm("get", "cv", f"{target}//{APP}:1.0.0", cwd=tmp_path, env=env).returncode == 1
    notes = sha256(b"notes to carry\n")
    with raw_client(registry) as client:
        stored = client.repository(f"{sub_path}/component-descriptors/{APP}").stat_blob(notes)
    assert stored is None

    allowed = ok(
        run_ocm(
            "transfer",
            "cv",
            "--copy-resources",
            "--allow-by-reference",
            source,
            target,
            cwd=tmp_path,
            env=env,
        )
    )
    assert 'level=WARN msg="resource kept by reference"' in allowed.stderr
    resources = _resources(run_ocm, f"{target}//{APP}:1.0.0", tmp_path)
    assert resources["image"]["access"] == {"type": "ociArtifact", "imageReference": unreachable}
    assert resources["notes"]["access"]["type"] in ("localBlob", "LocalBlob/v1")


def test_a_dry_run_fails_alike_and_the_flag_shows_in_the_plan(
    run_ocm: RunOcm, tmp_path: Path
) -> None:
    unreachable = f"127.0.0.1:{_closed_port()}/app@{sha256(b'gone')}"
    source = _source(run_ocm, tmp_path, unreachable)
    env = _env(tmp_path)
    dry = ("transfer", "cv", "--dry-run", "--copy-resources", source, "./dst")
    assert "resource 'image'" in error_line(run_ocm(*dry, cwd=tmp_path, env=env))
    planned = ok(run_ocm(*dry, "--allow-by-reference", "-o", "json", cwd=tmp_path, env=env))
    plan = json.loads(planned.stdout)
    assert plan["options"]["allowByReference"] is True
    [version] = plan["componentVersions"]
    image_plan = next(r for r in version["resources"] if r["identity"]["name"] == "image")
    assert image_plan["copy"] == "byReference"
    assert "ConnectError" in image_plan["note"]
