"""``ocm download resource --transformer helm`` (cli.md §5, §7.8 item 46)."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from helmtools import COMPONENT, VERSION, Chart, ChartRepository, helm_constructor

CHART_FILES = ["mychart-0.1.0.tgz", "mychart-0.1.0.tgz.prov"]


def add(run_ocm, work: Path, body: str, *flags: str) -> str:
    (work / "c.yaml").write_text(helm_constructor(body))
    ctf = work / "ctf"
    done = run_ocm("add", "cv", "-r", str(ctf), "-c", str(work / "c.yaml"), *flags)
    assert done.returncode == 0, done.stderr
    return f"{ctf}//{COMPONENT}:{VERSION}"


def download(run_ocm, reference: str, out: Path, *flags: str):
    return run_ocm(
        "download", "resource", reference, "--identity", "name=mychart,version=0.1.0",
        "--output", str(out), *flags,
    )  # fmt: skip


@pytest.fixture
def input_chart(run_ocm, tmp_path: Path, signed_chart: Chart) -> str:
    """A CTF with the signed chart (and its provenance file beside it) as a helm input."""
    shutil.copy(signed_chart.archive, tmp_path)
    shutil.copy(signed_chart.provenance, tmp_path)
    return add(run_ocm, tmp_path, "input: {type: helm/v1, path: mychart-0.1.0.tgz}")


def test_helm_transformer_gives_exactly_chart_and_provenance(
    run_ocm, tmp_path: Path, input_chart: str, signed_chart: Chart, helm: Path
) -> None:
    out = tmp_path / "transformed"
    done = download(run_ocm, input_chart, out, "--transformer", "helm")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == CHART_FILES
    shown = subprocess.run(
        [str(helm), "show", "chart", str(out / "mychart-0.1.0.tgz")],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "name: mychart" in shown.splitlines()
    assert "version: 0.1.0" in shown.splitlines()
    # the provenance file still signs the chart: both came through byte for byte
    verified = subprocess.run(
        [str(helm), "verify", str(out / "mychart-0.1.0.tgz"), "--keyring",
         str(signed_chart.keyring)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert verified.returncode == 0, verified.stderr


def test_helm_transformer_without_extraction_gives_a_tar(
    run_ocm, tmp_path: Path, input_chart: str, signed_chart: Chart
) -> None:
    out = tmp_path / "chart.tar"
    done = download(
        run_ocm, input_chart, out, "--transformer", "helm", "--extraction-policy", "disable"
    )
    assert done.returncode == 0, done.stderr
    with tarfile.open(out) as tar:
        assert tar.getnames() == CHART_FILES
        chart = tar.extractfile("mychart-0.1.0.tgz")
        assert chart is not None
        assert chart.read() == signed_chart.archive.read_bytes()


def test_helm_transformer_reads_a_helm_access_too(
    run_ocm, tmp_path: Path, chart_repository: ChartRepository
) -> None:
    reference = add(
        run_ocm, tmp_path,
        f"access: {{type: helm, helmRepository: '{chart_repository.url}', helmChart: mychart}}",
    )  # fmt: skip
    out = tmp_path / "transformed"
    done = download(run_ocm, reference, out, "--transformer", "helm")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == CHART_FILES
    assert (out / CHART_FILES[1]).read_bytes() == chart_repository.chart.provenance.read_bytes()


def test_an_unknown_transformer_is_an_error_listing_the_known_ones(
    run_ocm, tmp_path: Path, input_chart: str
) -> None:
    done = download(run_ocm, input_chart, tmp_path / "out", "--transformer", "kustomize")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "Error: transformer 'kustomize' not found, available transformers: helm"
    )
    assert not (tmp_path / "out").exists()


def test_helm_transformer_refuses_what_is_no_chart(run_ocm, tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(
        f"name: {COMPONENT}\nversion: {VERSION}\nprovider: {{name: acme.org}}\nresources:\n"
        "- {name: mychart, version: 0.1.0, type: blob, input: {type: utf8, text: hello}}\n"
    )
    ctf = tmp_path / "ctf"
    assert run_ocm("add", "cv", "-r", str(ctf), "-c", str(tmp_path / "c.yaml")).returncode == 0
    done = download(
        run_ocm, f"{ctf}//{COMPONENT}:{VERSION}", tmp_path / "out", "--transformer", "helm"
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: the helm transformer cannot read resource 'mychart'")
