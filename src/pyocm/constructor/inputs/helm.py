"""The ``helm`` input: a Helm chart (a chart directory or a packaged ``.tgz``) as an OCI artifact.

    >>> from pyocm.constructor._fields import Fields
    >>> spec = parse(Fields({"type": "helm", "path": "charts/mychart"}, "in", []), "helm")
    >>> spec.path, spec.repository
    ('charts/mychart', None)

As in the Go v2 CLI, the chart becomes an OCI image layout (``application/vnd.ocm.software.
oci.layout.v1+tar+gzip``) holding one image manifest tagged with the chart version: config
``application/vnd.cncf.helm.config.v1+json`` (``{"name":…,"version":…}``), the chart archive
as layer ``application/vnd.cncf.helm.chart.content.v1.tar+gzip`` and, when a ``<chart>.tgz.prov``
lies beside a packaged chart, the provenance as layer
``application/vnd.cncf.helm.chart.provenance.v1.prov``.  Repositories store it as a native
OCI artifact where they can; the resource digest is then the manifest digest.

A chart directory is packaged as ``helm package`` does: ``<name>-<version>.tgz`` with entries
``<name>/Chart.yaml``, ``Chart.lock`` (apiVersion v2), ``values.yaml``, ``values.schema.json``,
the templates, the other files, then the subcharts of ``charts/`` under
``<name>/charts/<subchart>/``; ``.helmignore`` rules apply (Helm's own dialect, including its
default ``templates/.?*``), a UTF-8 byte-order mark is dropped, and the gzip header carries
Helm's marker.  Differences from Helm: file contents (``Chart.yaml`` included) are kept as
written rather than re-serialised, entries carry modification time 0 (so the same chart gives
the same digest), and subcharts are written in name order.

``helmRepository`` (downloading a chart) is not supported yet.  ``repository``, if given, must
be an OCI reference whose tag equals the chart version (the Go CLI checks this and otherwise
ignores it).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import posixpath
import re
import stat
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pyocm._internal.gojson import marshal
from pyocm.blob import Blob, FileBlob, verified
from pyocm.constructor._fields import Fields
from pyocm.constructor._glob import BadPattern, compile_glob
from pyocm.constructor._sandbox import is_inside
from pyocm.constructor._streams import gzip_chunks
from pyocm.constructor._tar import END, header, padding
from pyocm.constructor.inputs.base import InputContext, InputType, type_names
from pyocm.constructor.inputs.file import OCI_LAYOUT_TAR_GZIP
from pyocm.descriptor.codec import parse_document
from pyocm.digest import hash_stream
from pyocm.errors import OCMError
from pyocm.oci.digests import digest_bytes
from pyocm.oci.layout import write_layout
from pyocm.oci.manifest import Descriptor, image_manifest
from pyocm.oci.mediatypes import IMAGE_MANIFEST

CONFIG_MEDIA_TYPE = "application/vnd.cncf.helm.config.v1+json"
CHART_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
PROVENANCE_MEDIA_TYPE = "application/vnd.cncf.helm.chart.provenance.v1.prov"
HELM_GZIP_EXTRA = b"+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo="
HELM_GZIP_COMMENT = b"Helm"
_BOM = b"\xef\xbb\xbf"
_CHART_VERSION = re.compile(
    r"v?[0-9]+(\.[0-9]+)?(\.[0-9]+)?(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?",
    re.ASCII,
)


@dataclass(frozen=True)
class HelmInput:
    """A ``helm`` input."""

    type: str
    where: str
    path: str
    repository: str | None = None

    def blob(self, context: InputContext) -> Blob:
        """The chart as a gzipped OCI image layout, written to the context's temp directory."""
        real = context.path(self.path, self.where)
        scratch = Path(tempfile.mkdtemp(prefix="helm-", dir=context.temp_directory))
        provenance: Path | None = None
        if real.is_dir():
            chart = _load_directory(real, context.working_directory.resolve(), self.where)
            archive = scratch / f"{chart.name}-{chart.version}.tgz"
            _write_archive(chart, archive)
            name, version = chart.name, chart.version
        elif real.is_file():
            name, version = _archive_metadata(real, self.where)
            archive = real
            beside = real.with_name(real.name + ".prov")
            if beside.is_file() and is_inside(
                beside.resolve(), context.working_directory.resolve()
            ):
                provenance = beside
        else:
            raise OCMError(f"{self.where}: {self.path!r} is neither a chart directory nor a file")
        self._check_repository(version)
        blobs = _Blobs()
        config = blobs.add(CONFIG_MEDIA_TYPE, marshal({"name": name, "version": version}))
        layers = [blobs.add(CHART_MEDIA_TYPE, archive)]
        if provenance is not None:
            layers.append(blobs.add(PROVENANCE_MEDIA_TYPE, provenance))
        root = blobs.add(IMAGE_MANIFEST, image_manifest(config, layers))
        layout = scratch / "oci-layout.tar.gz"
        with layout.open("wb") as out:
            write_layout(out, blobs, root, tag=version)
        return FileBlob(layout, OCI_LAYOUT_TAR_GZIP)

    def _check_repository(self, version: str) -> None:
        if self.repository is None:
            return
        tag = _reference_tag(self.repository)
        if not tag:
            raise OCMError(f"{self.where}: repository {self.repository!r} needs a tag")
        if tag != version:
            raise OCMError(
                f"{self.where}: repository tag {tag!r} does not match the chart version {version!r}"
            )


class _Blobs:
    """The blobs of the chart artifact (in memory or in files) for the layout writer."""

    def __init__(self) -> None:
        self._content: dict[str, bytes | Path] = {}
        self._sizes: dict[str, int] = {}

    def add(self, media_type: str, content: bytes | Path) -> Descriptor:
        """Remember ``content`` (hashed now) and describe it."""
        if isinstance(content, bytes):
            digest, size = digest_bytes(content), len(content)
        else:
            with content.open("rb") as f:
                value, size = hash_stream(f)
            digest = "sha256:" + value
        self._content[digest] = content
        self._sizes[digest] = size
        return Descriptor(media_type, digest, size)

    def blob_size(self, digest: str) -> int:
        """The size of a blob added before."""
        return self._sizes[digest]

    @contextmanager
    def open_blob(self, digest: str, size: int = -1) -> Iterator[IO[bytes]]:
        """The content of a blob added before, verified while it is read."""
        content = self._content[digest]
        with io.BytesIO(content) if isinstance(content, bytes) else content.open("rb") as f:
            yield verified(f, digest, self._sizes[digest], digest)


def _reference_tag(reference: str) -> str:
    name = reference.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else ""


@dataclass
class _Chart:
    name: str
    version: str
    api_version: str
    chart_yaml: bytes
    lock: bytes | None = None
    values: bytes | None = None
    schema: bytes | None = None
    templates: list[tuple[str, bytes]] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    subcharts: list[_Chart] = field(default_factory=list)


def _load_directory(top: Path, root: Path, where: str) -> _Chart:
    rules = _IgnoreRules.load(top / ".helmignore", where)
    files: list[tuple[str, bytes]] = []
    _walk_chart(top, "", rules, root, where, files, (top,))
    return _load_files(files, where, str(top))


def _walk_chart(
    directory: Path,
    prefix: str,
    rules: _IgnoreRules,
    root: Path,
    where: str,
    out: list[tuple[str, bytes]],
    stack: tuple[Path, ...],
) -> None:
    for entry in sorted(os.scandir(directory), key=lambda e: e.name):
        name = prefix + entry.name
        path = Path(entry.path).resolve()
        if not is_inside(path, root):
            raise OCMError(f"{where}: {name!r} in the chart leads outside the working directory")
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            if rules.ignores(name, is_dir=True):
                continue
            if path in stack:
                raise OCMError(f"{where}: symbolic link {name!r} in the chart forms a loop")
            _walk_chart(path, name + "/", rules, root, where, out, (*stack, path))
        elif not rules.ignores(name, is_dir=False):
            if not stat.S_ISREG(mode):
                raise OCMError(f"{where}: {name!r} in the chart is not a regular file")
            out.append((name, path.read_bytes()))


def _load_files(files: list[tuple[str, bytes]], where: str, what: str) -> _Chart:
    chart_yaml: bytes | None = None
    parts: dict[str, bytes] = {}
    templates: list[tuple[str, bytes]] = []
    other: list[tuple[str, bytes]] = []
    subfiles: dict[str, list[tuple[str, bytes]]] = {}
    for name, raw in files:
        data = raw.removeprefix(_BOM)
        if name == "Chart.yaml":
            chart_yaml = data
        elif name in ("Chart.lock", "values.yaml", "values.schema.json"):
            parts[name] = data
        elif name.startswith("templates/"):
            templates.append((name, data))
        elif name.startswith("charts/") and not name.endswith(".prov"):
            rest = name.removeprefix("charts/")
            subfiles.setdefault(rest.split("/", 1)[0], []).append((rest, data))
        else:
            other.append((name, data))
    if chart_yaml is None:
        raise OCMError(f"{where}: {what}: Chart.yaml file is missing")
    meta = _metadata(chart_yaml, where, what)
    schema = parts.get("values.schema.json")
    if schema is not None:
        try:
            json.loads(schema)
        except ValueError:
            raise OCMError(f"{where}: {what}: invalid JSON in values.schema.json") from None
    chart = _Chart(
        name=meta["name"],
        version=meta["version"],
        api_version=meta["apiVersion"],
        chart_yaml=chart_yaml,
        lock=parts.get("Chart.lock"),
        values=parts.get("values.yaml"),
        schema=schema,
        templates=templates,
        files=other,
    )
    for sub in sorted(subfiles):
        if sub[:1] in ("_", "."):
            continue
        entries = subfiles[sub]
        if sub.endswith(".tgz"):
            inner = _archive_files(io.BytesIO(entries[0][1]), where, f"{what}/charts/{sub}")
            chart.subcharts.append(_load_files(inner, where, f"{what}/charts/{sub}"))
        else:
            stripped = [(n.split("/", 1)[1], d) for n, d in entries if "/" in n]
            chart.subcharts.append(_load_files(stripped, where, f"{what}/charts/{sub}"))
    return chart


def _metadata(chart_yaml: bytes, where: str, what: str) -> dict[str, str]:
    doc = parse_document(chart_yaml, f"{what}/Chart.yaml")
    if not isinstance(doc, Mapping):
        raise OCMError(f"{where}: {what}/Chart.yaml is not a YAML object")
    meta = {k: _text(doc.get(k)) for k in ("name", "version", "apiVersion", "type")}
    if not meta["name"]:
        raise OCMError(f"{where}: {what}/Chart.yaml: chart.metadata.name is required")
    if meta["name"] != posixpath.basename(meta["name"]) or "\\" in meta["name"]:
        raise OCMError(
            f"{where}: {what}/Chart.yaml: chart.metadata.name {meta['name']!r} is invalid"
        )
    if not _CHART_VERSION.fullmatch(meta["version"]):
        raise OCMError(
            f"{where}: {what}/Chart.yaml: chart.metadata.version {meta['version']!r} is invalid"
        )
    if meta["type"] not in ("", "application", "library"):
        raise OCMError(f"{where}: {what}/Chart.yaml: chart type {meta['type']!r} is invalid")
    meta["apiVersion"] = meta["apiVersion"] or "v1"
    return meta


def _text(value: Any) -> str:
    if value is None:
        return ""
    source = getattr(value, "yaml_source", None)
    return source if isinstance(source, str) else str(value)


def _archive_entries(chart: _Chart, prefix: str) -> Iterator[tuple[str, bytes]]:
    base = posixpath.join(prefix, chart.name)
    yield f"{base}/Chart.yaml", chart.chart_yaml
    if chart.api_version == "v2" and chart.lock is not None:
        yield f"{base}/Chart.lock", chart.lock
    if chart.values is not None:
        yield f"{base}/values.yaml", chart.values
    if chart.schema is not None:
        yield f"{base}/values.schema.json", chart.schema
    for name, data in (*chart.templates, *chart.files):
        yield f"{base}/{name}", data
    for sub in chart.subcharts:
        yield from _archive_entries(sub, f"{base}/charts")


def _write_archive(chart: _Chart, target: Path) -> None:
    def tar() -> Iterator[bytes]:
        for name, data in _archive_entries(chart, ""):
            yield header(name, size=len(data), mode=0o644) + data + padding(len(data))
        yield END

    with target.open("wb") as out:
        for chunk in gzip_chunks(tar(), extra=HELM_GZIP_EXTRA, comment=HELM_GZIP_COMMENT):
            out.write(chunk)


def _archive_files(stream: Any, where: str, what: str) -> list[tuple[str, bytes]]:
    """The files of a packaged chart, with the top directory stripped (as Helm reads them)."""
    files: list[tuple[str, bytes]] = []
    try:
        with tarfile.open(fileobj=stream, mode="r:*") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                name = member.name.replace("\\", "/").lstrip("/")
                name = name.split("/", 1)[1] if "/" in name else name
                extracted = tar.extractfile(member)
                if extracted is not None:
                    files.append((name, extracted.read()))
    except (tarfile.TarError, OSError, EOFError, gzip.BadGzipFile) as e:
        raise OCMError(f"{where}: {what} is not a packaged Helm chart: {e}") from None
    return files


def _archive_metadata(path: Path, where: str) -> tuple[str, str]:
    with path.open("rb") as f:
        files = _archive_files(f, where, str(path))
    chart_yaml = next((d for n, d in files if n == "Chart.yaml"), None)
    if chart_yaml is None:
        raise OCMError(f"{where}: {path}: Chart.yaml file is missing")
    meta = _metadata(chart_yaml.removeprefix(_BOM), where, str(path))
    return meta["name"], meta["version"]


@dataclass(frozen=True)
class _IgnoreRule:
    negate: bool
    directory_only: bool
    pattern: re.Pattern[str]
    base_name_only: bool


class _IgnoreRules:
    """``.helmignore`` as Helm reads it (rules in order; a match ends the evaluation)."""

    def __init__(self, rules: list[_IgnoreRule]):
        self.rules = rules

    @classmethod
    def load(cls, path: Path, where: str) -> _IgnoreRules:
        lines = path.read_text(errors="replace").splitlines() if path.is_file() else []
        rules = []
        for line in [*lines, "templates/.?*"]:
            rule = line.strip()
            if not rule or rule.startswith("#"):
                continue
            if "**" in rule:
                raise OCMError(f"{where}: .helmignore: double-star (**) syntax is not supported")
            negate = rule.startswith("!")
            rule = rule.removeprefix("!")
            directory_only = rule.endswith("/")
            rule = rule.removesuffix("/")
            try:
                pattern = compile_glob(rule.removeprefix("/"))
            except BadPattern as e:
                raise OCMError(f"{where}: .helmignore: {e}") from None
            base_only = "/" not in rule
            rules.append(_IgnoreRule(negate, directory_only, pattern, base_only))
        return cls(rules)

    def ignores(self, name: str, *, is_dir: bool) -> bool:
        for rule in self.rules:
            target = posixpath.basename(name) if rule.base_name_only else name
            if rule.negate:
                if rule.directory_only and not is_dir:
                    return True
                if not rule.pattern.fullmatch(target):
                    return True
                continue
            if rule.directory_only and not is_dir:
                continue
            if rule.pattern.fullmatch(target):
                return True
        return False


def parse(f: Fields, type_name: str) -> HelmInput:
    """Read a ``helm`` input object; exactly one of ``path`` and ``helmRepository``."""
    path = f.string("path")
    remote = f.string("helmRepository")
    for deprecated in ("version", "caCert", "caCertFile"):
        f.string(deprecated)
    if path and remote:
        f.fail("", "only one of 'path' or 'helmRepository' may be set")
    elif remote:
        f.fail("helmRepository", "downloading charts is not supported by pyocm yet; use 'path'")
    elif not path:
        f.fail("path", "is required (a chart directory or a packaged .tgz chart)")
    return HelmInput(
        type=type_name,
        where=f.path,
        path=path or "",
        repository=f.string("repository") or None,
    )


TYPE = InputType(type_names("Helm", "helm"), parse)
