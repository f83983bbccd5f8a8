"""Helpers of the helm tests: the test chart, the chart repository, constructor files."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from fixtures.http_server import HTTPServer

CHART_YAML = """apiVersion: v2
name: mychart
description: a chart for the pyocm helm tests
type: application
version: 0.1.0
appVersion: "1.0"
"""

COMPONENT = "acme.org/helm"
VERSION = "1.0.0"


@dataclass(frozen=True)
class Chart:
    """A packaged chart: the archive, its provenance file (signed by ``gpg``) and the public
    keyring that verifies it."""

    archive: Path
    provenance: Path
    keyring: Path

    @property
    def sha256(self) -> str:
        """The archive's SHA-256 (hex)."""
        return hashlib.sha256(self.archive.read_bytes()).hexdigest()


@dataclass(frozen=True)
class ChartRepository:
    """A helm chart repository served by the test's HTTP server."""

    server: HTTPServer
    chart: Chart

    @property
    def url(self) -> str:
        """The repository URL."""
        return self.server.url

    @property
    def index_digest(self) -> str:
        """The chart digest ``helm repo index`` wrote into ``index.yaml``."""
        for line in (self.server.root / "index.yaml").read_text().splitlines():
            if line.strip().startswith("digest:"):
                return line.split(":", 1)[1].strip()
        raise AssertionError("index.yaml records no digest")


def write_chart_directory(directory: Path) -> Path:
    """A small chart directory ``mychart`` (version 0.1.0) below ``directory``."""
    chart = directory / "mychart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(CHART_YAML)
    (chart / "values.yaml").write_text("greeting: hello\n")
    (chart / "templates" / "configmap.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"
        "data:\n  greeting: {{ .Values.greeting }}\n"
    )
    return chart


def helm_constructor(access: str, *, name: str = "mychart", extra: str = "") -> str:
    """A constructor file with one resource ``name`` (version 0.1.0) of the given access or
    input (a YAML flow mapping)."""
    return (
        f"name: {COMPONENT}\nversion: {VERSION}\nprovider: {{name: acme.org}}\n"
        f"resources:\n- name: {name}\n  version: 0.1.0\n  type: helmChart\n{extra}"
        f"  {access}\n"
    )
