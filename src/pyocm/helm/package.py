"""Packaging a chart directory as ``helm package`` does.

    >>> import tempfile
    >>> from pathlib import Path
    >>> top = Path(tempfile.mkdtemp())
    >>> chart = top / "mychart"
    >>> (chart / "templates").mkdir(parents=True)
    >>> _ = (chart / "Chart.yaml").write_text("apiVersion: v2\\nname: mychart\\nversion: 0.1.0\\n")
    >>> _ = (chart / "templates" / "cm.yaml").write_text("kind: ConfigMap\\n")
    >>> archive, meta = package_directory(chart, top, top, "example")
    >>> archive.name, meta.version
    ('mychart-0.1.0.tgz', '0.1.0')

The result is ``<name>-<version>.tgz`` with entries ``<name>/Chart.yaml``, ``Chart.lock``
(apiVersion v2), ``values.yaml``, ``values.schema.json``, the templates, the other files, then
the subcharts of ``charts/`` under ``<name>/charts/<subchart>/``; ``.helmignore`` rules apply
(Helm's own dialect, including its default ``templates/.?*``), a UTF-8 byte-order mark is
dropped, and the gzip header carries Helm's marker.  Differences from Helm: file contents
(``Chart.yaml`` included) are kept as written rather than re-serialised, entries carry
modification time 0 (so the same chart gives the same digest), and subcharts are written in
name order.

Only the ``helm`` input packages charts; this module shares the constructor's helpers for
Go's glob syntax, working-directory checks and Go-identical tar and gzip streams.
"""

from __future__ import annotations

import io
import json
import os
import posixpath
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyocm._internal.gopathmatch import BadPattern, compile_glob
from pyocm._internal.sandbox import is_inside
from pyocm._internal.streams import gzip_chunks
from pyocm._internal.tarformat import END, header, padding
from pyocm.errors import OCMError
from pyocm.helm.chart import BOM, ChartMetadata, archive_files, chart_metadata

HELM_GZIP_EXTRA = b"+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo="
"""The gzip header's extra field in every chart ``helm package`` writes."""
HELM_GZIP_COMMENT = b"Helm"
"""The gzip header's comment in every chart ``helm package`` writes."""


def package_directory(
    directory: Path, root: Path, target: Path, where: str
) -> tuple[Path, ChartMetadata]:
    """Package the chart in ``directory`` into ``target`` (a directory); returns the archive
    and the chart's metadata.

    Every file the chart takes must lie inside ``root`` (symbolic links included).  Errors
    name ``where``.
    """
    chart = _load_directory(directory, root, where)
    archive = target / chart.meta.archive_name
    _write_archive(chart, archive)
    return archive, chart.meta


@dataclass
class _Chart:
    meta: ChartMetadata
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
    _walk_chart(top, "", rules, root.resolve(), where, files, (top,))
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
        data = raw.removeprefix(BOM)
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
    meta = chart_metadata(chart_yaml, what, where)
    schema = parts.get("values.schema.json")
    if schema is not None:
        try:
            json.loads(schema)
        except ValueError:
            raise OCMError(f"{where}: {what}: invalid JSON in values.schema.json") from None
    chart = _Chart(
        meta=meta,
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
            inner = archive_files(io.BytesIO(entries[0][1]), f"{what}/charts/{sub}", where)
            chart.subcharts.append(_load_files(inner, where, f"{what}/charts/{sub}"))
        else:
            stripped = [(n.split("/", 1)[1], d) for n, d in entries if "/" in n]
            chart.subcharts.append(_load_files(stripped, where, f"{what}/charts/{sub}"))
    return chart


def _archive_entries(chart: _Chart, prefix: str) -> Iterator[tuple[str, bytes]]:
    base = posixpath.join(prefix, chart.meta.name)
    yield f"{base}/Chart.yaml", chart.chart_yaml
    if chart.meta.api_version == "v2" and chart.lock is not None:
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
