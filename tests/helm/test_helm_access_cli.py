"""The ``helm/v1`` access through the CLI: digests at add time, download, bad input (cli.md
§7.5 items 24 and 26, §7.8 item 47)."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from helmtools import COMPONENT, VERSION, ChartRepository, helm_constructor

from fixtures.cli import error_line
from fixtures.registry import RegistryServer
from pyocm.descriptor import Descriptor
from pyocm.repository import open_repository


def add(run_ocm, workdir: Path, repository: str, constructor: str, *flags: str):
    (workdir / "c.yaml").write_text(constructor)
    return run_ocm(
        "add", "cv", "-r", repository, "-c", str(workdir / "c.yaml"), *flags, cwd=workdir
    )


def stored(repository: str) -> Descriptor:
    with open_repository(repository) as repo:
        return repo.get_component_version(COMPONENT, VERSION)


def access(repo_url: str, chart: str = "mychart:0.1.0") -> str:
    return f"access: {{type: helm/v1, helmRepository: '{repo_url}', helmChart: '{chart}'}}"


@pytest.mark.parametrize("chart", ["mychart:0.1.0", "mychart", "mychart-0.1.0.tgz"])
def test_add_records_the_chart_digest_of_the_index(
    run_ocm, tmp_path: Path, chart_repository: ChartRepository, chart: str
) -> None:
    ctf = str(tmp_path / "ctf")
    done = add(run_ocm, tmp_path, ctf, helm_constructor(access(chart_repository.url, chart)))
    assert done.returncode == 0, done.stderr
    resource = stored(ctf).component.resources[0]
    assert resource.digest is not None
    assert resource.digest.to_dict() == {
        "hashAlgorithm": "SHA-256",
        "normalisationAlgorithm": "genericBlobDigest/v1",
        "value": chart_repository.index_digest,
    }
    assert chart_repository.index_digest == chart_repository.chart.sha256
    assert resource.access is not None
    assert resource.access.to_dict() == {
        "type": "helm/v1",
        "helmRepository": chart_repository.url,
        "helmChart": chart,
    }


def test_skip_digest_processing_keeps_the_access_in_an_oci_target(
    run_ocm, tmp_path: Path, registry: RegistryServer
) -> None:
    target = f"{registry.url}/helm-skip"
    # nothing serves this repository: with the flag nothing is fetched
    constructor = helm_constructor(access("http://127.0.0.1:9/charts"))
    done = add(run_ocm, tmp_path, target, constructor, "--skip-reference-digest-processing")
    assert done.returncode == 0, done.stderr
    resource = stored(target).component.resources[0]
    assert resource.digest is None
    assert resource.type == "helmChart"
    assert resource.version == "0.1.0"
    assert resource.access is not None
    assert resource.access.type == "helm/v1"


def test_download_without_extraction_gives_a_tar_of_chart_and_provenance(
    run_ocm, tmp_path: Path, chart_repository: ChartRepository
) -> None:
    ctf = str(tmp_path / "ctf")
    constructor = helm_constructor(access(chart_repository.url, "mychart-0.1.0.tgz"))
    assert (
        add(run_ocm, tmp_path, ctf, constructor, "--skip-reference-digest-processing").returncode
        == 0
    )
    out = tmp_path / "chart.tar"
    done = run_ocm(
        "download", "resource", f"ctf::{ctf}//{COMPONENT}:{VERSION}",
        "--identity", "name=mychart,version=0.1.0", "--output", str(out),
        "--extraction-policy", "disable",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with tarfile.open(out) as tar:
        assert tar.getnames() == ["mychart-0.1.0.tgz", "mychart-0.1.0.tgz.prov"]
        files = {m.name: tar.extractfile(m).read() for m in tar}  # type: ignore[union-attr]
    assert files["mychart-0.1.0.tgz"] == chart_repository.chart.archive.read_bytes()
    assert files["mychart-0.1.0.tgz.prov"] == chart_repository.chart.provenance.read_bytes()


def test_download_with_extraction_writes_chart_and_provenance_into_a_directory(
    run_ocm, tmp_path: Path, chart_repository: ChartRepository
) -> None:
    ctf = str(tmp_path / "ctf")
    assert (
        add(run_ocm, tmp_path, ctf, helm_constructor(access(chart_repository.url))).returncode == 0
    )
    out = tmp_path / "chart"
    done = run_ocm(
        "download", "resource", f"{ctf}//{COMPONENT}:{VERSION}",
        "--identity", "name=mychart", "--output", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["mychart-0.1.0.tgz", "mychart-0.1.0.tgz.prov"]
    assert (out / "mychart-0.1.0.tgz").read_bytes() == chart_repository.chart.archive.read_bytes()


def test_download_refuses_a_chart_changed_since_it_was_added(
    run_ocm, tmp_path: Path, chart_repository: ChartRepository
) -> None:
    ctf = str(tmp_path / "ctf")
    constructor = helm_constructor(access(chart_repository.url, "mychart-0.1.0.tgz"))
    assert add(run_ocm, tmp_path, ctf, constructor).returncode == 0
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.addfile(tarfile.TarInfo("mychart/Chart.yaml"), io.BytesIO(b""))
    (chart_repository.server.root / "mychart-0.1.0.tgz").write_bytes(buffer.getvalue())
    done = run_ocm(
        "download", "resource", f"{ctf}//{COMPONENT}:{VERSION}",
        "--identity", "name=mychart", "--output", str(tmp_path / "out"),
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("Error: ")
    assert "digest mismatch" in done.stderr.lower() or "expected" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_chart_missing_from_the_index_is_one_clear_error(
    run_ocm, tmp_path: Path, chart_repository: ChartRepository
) -> None:
    done = add(
        run_ocm, tmp_path, str(tmp_path / "ctf"),
        helm_constructor(access(chart_repository.url, "other:0.1.0")),
    )  # fmt: skip
    line = error_line(done)
    assert "chart 'other' not found" in line
    assert "index" in line


def test_a_missing_repository_is_one_clear_error(
    run_ocm, tmp_path: Path, chart_repository: ChartRepository
) -> None:
    done = add(
        run_ocm, tmp_path, str(tmp_path / "ctf"),
        helm_constructor(access(f"{chart_repository.url}/missing")),
    )  # fmt: skip
    line = error_line(done)
    assert "404" in line
    assert f"{chart_repository.url}/missing/index.yaml" in line


def test_a_digest_that_does_not_match_the_chart_is_one_clear_error(
    run_ocm, tmp_path: Path, chart_repository: ChartRepository
) -> None:
    wrong = "0" * 64
    digest = (
        "  digest: {hashAlgorithm: SHA-256, normalisationAlgorithm: genericBlobDigest/v1, "
        f"value: '{wrong}'}}\n"
    )
    done = add(
        run_ocm, tmp_path, str(tmp_path / "ctf"),
        helm_constructor(access(chart_repository.url), extra=digest),
    )  # fmt: skip
    line = error_line(done)
    assert wrong in line
    assert chart_repository.index_digest in line


def test_credentials_of_the_helm_repository_come_from_the_configuration(
    run_ocm, tmp_path: Path, chart_repository: ChartRepository
) -> None:
    port = chart_repository.url.rsplit(":", 1)[1]
    (tmp_path / "helm-credentials.yaml").write_text(
        "type: generic.config.ocm.software/v1\n"
        "configurations:\n"
        "- type: credentials.config.ocm.software\n"
        "  consumers:\n"
        "  - identity: {type: HelmChartRepository, hostname: 127.0.0.1, "
        f"port: '{port}', scheme: http}}\n"
        "    credentials:\n"
        "    - {type: HelmHTTPCredentials/v1, username: chart-user, password: chart-pass}\n"
    )
    chart_repository.server.require(username="chart-user", password="chart-pass")
    ctf = str(tmp_path / "ctf")
    constructor = helm_constructor(access(chart_repository.url))
    without = add(run_ocm, tmp_path, ctf, constructor)
    assert "401" in error_line(without)
    done = add(
        run_ocm, tmp_path, ctf, constructor, "--config", str(tmp_path / "helm-credentials.yaml")
    )
    assert done.returncode == 0, done.stderr
    digest = stored(ctf).component.resources[0].digest
    assert digest is not None
    assert digest.value == chart_repository.index_digest
