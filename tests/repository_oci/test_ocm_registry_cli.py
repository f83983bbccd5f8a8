"""The ``ocm`` commands on registry references: add, get, download and hash, end to end."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from fixtures.ocm_registry import LAYOUT_TAR, write_layout_file
from fixtures.registry import RegistryServer

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

CONSTRUCTOR = """\
components:
- name: {name}
  version: 1.0.0
  provider:
    name: acme.org
  resources:
  - name: readme
    version: 1.0.0
    type: plainText
    input:
      type: file
      path: readme.txt
  - name: chart
    version: 0.1.0
    type: helmChart
    input:
      type: helm
      path: mychart-0.1.0.tgz
  - name: image
    version: 2.0.0
    type: ociImage
    input:
      type: file
      path: image.tar
      mediaType: {layout}
"""


@pytest.fixture
def workdir(tmp_path: Path, vectors: Path) -> Path:
    """A directory with a constructor of one component (a file, a chart, an image)."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "readme.txt").write_text("read me\n")
    shutil.copy(vectors / "helm" / "mychart-0.1.0.tgz", work)
    write_layout_file(work / "image.tar")
    return work


def _constructor(workdir: Path) -> str:
    name = f"acme.org/cli-{uuid.uuid4().hex[:10]}"
    (workdir / "component-constructor.yaml").write_text(
        CONSTRUCTOR.format(name=name, layout=LAYOUT_TAR)
    )
    return name


def _ok(run_ocm: RunOcm, *args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = run_ocm(*args, cwd=cwd, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _isolated(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}


def test_add_get_download_and_hash_against_the_plain_registry(
    registry: RegistryServer, workdir: Path, tmp_path: Path, run_ocm: RunOcm
) -> None:
    env = _isolated(tmp_path)
    name = _constructor(workdir)
    added = _ok(run_ocm, "add", "cv", "-r", registry.url, cwd=workdir, env=env)
    assert name in added

    table = _ok(run_ocm, "get", "cv", f"{registry.url}//{name}", cwd=workdir, env=env)
    assert name in table and "1.0.0" in table
    listed = json.loads(
        _ok(
            run_ocm, "get", "cv", f"oci::{registry.url}//{name}", "-o", "json", cwd=workdir, env=env
        )
    )
    [descriptor] = listed if isinstance(listed, list) else [listed]
    resources = {r["name"]: r for r in descriptor["component"]["resources"]}
    assert resources["image"]["access"]["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
    assert resources["chart"]["access"]["type"] == "LocalBlob/v1"

    _ok(
        run_ocm,
        "download",
        "resource",
        f"{registry.url}//{name}:1.0.0",
        "--identity",
        "name=readme",
        "--output",
        str(tmp_path / "readme.out"),
        cwd=workdir,
        env=env,
    )
    assert (tmp_path / "readme.out").read_text() == "read me\n"

    in_registry = _ok(run_ocm, "hash", "cv", f"{registry.url}//{name}:1.0.0", cwd=workdir, env=env)
    _ok(run_ocm, "add", "cv", "-r", "./ctf", cwd=workdir, env=env)
    in_ctf = _ok(run_ocm, "hash", "cv", f"./ctf//{name}:1.0.0", cwd=workdir, env=env)
    assert in_registry == in_ctf
    assert len(in_registry.split()[-1]) == 64


def test_a_sub_path_with_the_oci_type_prefix_and_credentials_from_the_config(
    secure_registry: RegistryServer, workdir: Path, tmp_path: Path, run_ocm: RunOcm
) -> None:
    env = {**_isolated(tmp_path), "SSL_CERT_FILE": str(secure_registry.ca_file)}
    config = tmp_path / "ocmconfig.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "type": "generic.config.ocm.software/v1",
                "configurations": [
                    {
                        "type": "credentials.config.ocm.software",
                        "consumers": [
                            {
                                "identity": {
                                    "type": "OCIRegistry",
                                    "hostname": secure_registry.host,
                                    "port": str(secure_registry.port),
                                },
                                "credentials": [
                                    {
                                        "type": "Credentials/v1",
                                        "properties": {
                                            "username": secure_registry.username,
                                            "password": secure_registry.password,
                                        },
                                    }
                                ],
                            }
                        ],
                    }
                ],
            }
        )
    )
    name = _constructor(workdir)
    repository = f"oci::{secure_registry.address}/sub"
    flags = ["--config", str(config)]
    _ok(run_ocm, "add", "cv", "-r", repository, *flags, cwd=workdir, env=env)
    shown = yaml.safe_load(
        _ok(
            run_ocm,
            "get",
            "cv",
            f"{repository}//{name}:1.0.0",
            "-o",
            "yaml",
            *flags,
            cwd=workdir,
            env=env,
        )
    )
    [descriptor] = shown if isinstance(shown, list) else [shown]
    assert descriptor["component"]["name"] == name
    _ok(
        run_ocm,
        "download",
        "resource",
        f"{repository}//{name}:1.0.0",
        "--identity",
        "name=readme",
        "--output",
        str(tmp_path / "readme.out"),
        *flags,
        cwd=workdir,
        env=env,
    )
    assert (tmp_path / "readme.out").read_text() == "read me\n"

    refused = run_ocm("get", "cv", f"{repository}//{name}:1.0.0", cwd=workdir, env=env)
    assert refused.returncode == 1
    assert "401 Unauthorized" in refused.stderr
    assert "no credentials for" in refused.stderr


def test_listing_components_of_a_registry_is_refused(
    registry: RegistryServer, tmp_path: Path, run_ocm: RunOcm
) -> None:
    done = run_ocm("get", "cv", registry.url, cwd=tmp_path, env=_isolated(tmp_path))
    assert done.returncode == 1
    assert "component listing in repositories of type OCIRepository is not supported" in (
        done.stderr
    )
