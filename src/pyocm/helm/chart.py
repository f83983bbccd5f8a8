"""Reading Helm charts: ``Chart.yaml`` metadata and the files of a packaged chart (``.tgz``).

    >>> meta = chart_metadata(b"apiVersion: v2\\nname: mychart\\nversion: 0.1.0\\n", "mychart")
    >>> meta.name, meta.version, meta.api_version, meta.archive_name
    ('mychart', '0.1.0', 'v2', 'mychart-0.1.0.tgz')

A packaged chart is a gzipped tar whose entries all lie below one top directory (the chart
name); Helm strips that directory when it reads the chart, and so does :func:`archive_files`.
The metadata checks are Helm's own: a name without path separators, a SemVer-like version,
type ``application`` or ``library``; ``apiVersion`` defaults to ``v1``.  Errors are
:class:`pyocm.errors.OCMError` prefixed with ``where`` (the constructor path of an input, or
the resource a chart belongs to).
"""

from __future__ import annotations

import gzip
import posixpath
import re
import tarfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pyocm._internal.documents import parse_document
from pyocm._internal.patterns import LazyPattern
from pyocm.errors import OCMError

BOM = b"\xef\xbb\xbf"
"""A UTF-8 byte-order mark, which Helm drops from the start of chart files."""

_CHART_VERSION = LazyPattern(
    r"v?[0-9]+(\.[0-9]+)?(\.[0-9]+)?(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?",
    re.ASCII,
)


@dataclass(frozen=True)
class ChartMetadata:
    """What identifies a chart: ``name``, ``version`` and the chart ``api_version``."""

    name: str
    version: str
    api_version: str = "v2"

    @property
    def archive_name(self) -> str:
        """The file name ``helm package`` gives the chart: ``<name>-<version>.tgz``."""
        return f"{self.name}-{self.version}.tgz"


def chart_metadata(chart_yaml: bytes, what: str, where: str = "") -> ChartMetadata:
    """The metadata in ``chart_yaml`` (the ``Chart.yaml`` of ``what``), checked as Helm does."""
    prefix = f"{where}: " if where else ""
    doc = parse_document(chart_yaml.removeprefix(BOM), f"{what}/Chart.yaml")
    if not isinstance(doc, Mapping):
        raise OCMError(f"{prefix}{what}/Chart.yaml is not a YAML object")
    meta = {k: scalar_text(doc.get(k)) for k in ("name", "version", "apiVersion", "type")}
    if not meta["name"]:
        raise OCMError(f"{prefix}{what}/Chart.yaml: chart.metadata.name is required")
    if meta["name"] != posixpath.basename(meta["name"]) or "\\" in meta["name"]:
        raise OCMError(
            f"{prefix}{what}/Chart.yaml: chart.metadata.name {meta['name']!r} is invalid"
        )
    if not _CHART_VERSION.fullmatch(meta["version"]):
        raise OCMError(
            f"{prefix}{what}/Chart.yaml: chart.metadata.version {meta['version']!r} is invalid"
        )
    if meta["type"] not in ("", "application", "library"):
        raise OCMError(f"{prefix}{what}/Chart.yaml: chart type {meta['type']!r} is invalid")
    return ChartMetadata(meta["name"], meta["version"], meta["apiVersion"] or "v1")


def scalar_text(value: Any) -> str:
    """A YAML scalar as the text written (``1.10`` stays ``1.10``, not the float 1.1)."""
    if value is None:
        return ""
    source = getattr(value, "yaml_source", None)
    return source if isinstance(source, str) else str(value)


def archive_files(stream: IO[bytes], what: str, where: str = "") -> list[tuple[str, bytes]]:
    """The files of the packaged chart in ``stream``, top directory stripped (as Helm reads
    them), in archive order."""
    return _members(stream, what, where, lambda name: True)


def archive_metadata(path: Path, where: str = "", what: str | None = None) -> ChartMetadata:
    """The metadata of the packaged chart at ``path`` (its ``Chart.yaml``; nothing else of
    the archive is kept in memory)."""
    name = what or str(path)
    with path.open("rb") as f:
        files = _members(f, name, where, lambda file: file == "Chart.yaml")
    if not files:
        prefix = f"{where}: " if where else ""
        raise OCMError(f"{prefix}{name}: Chart.yaml file is missing")
    return chart_metadata(files[0][1], name, where)


def _members(
    stream: IO[bytes], what: str, where: str, wanted: Callable[[str], bool]
) -> list[tuple[str, bytes]]:
    files: list[tuple[str, bytes]] = []
    try:
        with tarfile.open(fileobj=stream, mode="r:*") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                name = member.name.replace("\\", "/").lstrip("/")
                name = name.split("/", 1)[1] if "/" in name else name
                if not wanted(name):
                    continue
                extracted = tar.extractfile(member)
                if extracted is not None:
                    files.append((name, extracted.read()))
    except (tarfile.TarError, OSError, EOFError, gzip.BadGzipFile) as e:
        prefix = f"{where}: " if where else ""
        raise OCMError(f"{prefix}{what} is not a packaged Helm chart: {e}") from None
    return files
