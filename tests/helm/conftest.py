"""Fixtures for the helm tests: a chart packaged and signed by real ``helm``, and a real static
helm chart repository (``index.yaml`` made by ``helm repo index``) served over HTTP."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helmtools import Chart, ChartRepository, write_chart_directory

from fixtures.http_server import HTTPServer


@pytest.fixture(scope="session")
def signed_chart(helm: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chart]:
    """``mychart-0.1.0.tgz`` made by ``helm package --sign`` with a key ``gpg`` made here."""
    gpg = shutil.which("gpg")
    if gpg is None:
        message = "gpg is not installed (needed to sign the test chart)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(reason=message)
    work = tmp_path_factory.mktemp("helm-chart")
    home = work / "gnupg"
    home.mkdir(mode=0o700)
    env = {**os.environ, "GNUPGHOME": str(home)}
    quiet = ["--batch", "--pinentry-mode", "loopback", "--passphrase", ""]
    subprocess.run(
        [gpg, *quiet, "--quick-gen-key", "pyocm test <test@pyocm.example>", "rsa2048", "sign"],
        env=env,
        check=True,
        capture_output=True,
    )
    secret = work / "secring.gpg"
    public = work / "pubring.gpg"
    secret.write_bytes(
        subprocess.run(
            [gpg, *quiet, "--export-secret-keys"], env=env, check=True, capture_output=True
        ).stdout
    )
    public.write_bytes(
        subprocess.run(
            [gpg, "--batch", "--export"], env=env, check=True, capture_output=True
        ).stdout
    )
    out = work / "out"
    subprocess.run(
        [
            str(helm),
            "package",
            "--sign",
            "--key",
            "pyocm test",
            "--keyring",
            str(secret),
            str(write_chart_directory(work)),
            "-d",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield Chart(out / "mychart-0.1.0.tgz", out / "mychart-0.1.0.tgz.prov", public)
    finally:
        gpgconf = shutil.which("gpgconf")
        if gpgconf is not None:
            subprocess.run([gpgconf, "--kill", "gpg-agent"], env=env, capture_output=True)


@pytest.fixture
def chart_repository(http_server: HTTPServer, signed_chart: Chart, helm: Path) -> ChartRepository:
    """A helm repository holding the signed chart (with provenance), indexed by real helm."""
    shutil.copy(signed_chart.archive, http_server.root)
    shutil.copy(signed_chart.provenance, http_server.root)
    subprocess.run(
        [str(helm), "repo", "index", str(http_server.root), "--url", http_server.url],
        check=True,
        capture_output=True,
    )
    return ChartRepository(http_server, signed_chart)
