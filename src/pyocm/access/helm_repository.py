"""HTTP(S) Helm chart repositories: ``index.yaml``, finding a chart in it, downloading it.

    >>> index = parse_index(b'''
    ... apiVersion: v1
    ... entries:
    ...   mychart:
    ...   - {name: mychart, version: 0.1.0, digest: "%s", urls: [mychart-0.1.0.tgz]}
    ...   - {name: mychart, version: 0.2.0-rc.1, urls: [mychart-0.2.0-rc.1.tgz]}
    ...   - {name: mychart, version: 0.2.0, urls: [https://cdn.acme.org/mychart-0.2.0.tgz]}
    ... ''' % (b"ab" * 32), "index.yaml")
    >>> find_chart(index, "mychart", "", "index.yaml").version   # no version: the highest
    '0.2.0'
    >>> find_chart(index, "mychart", "~0.1", "index.yaml").urls
    ('mychart-0.1.0.tgz',)
    >>> resolve_reference_url("https://charts.acme.org/stable", "mychart-0.1.0.tgz")
    'https://charts.acme.org/stable/mychart-0.1.0.tgz'

A chart is named by a *chart reference* as Go v2 forms it (:func:`locate_chart`):

* ``<repository URL>/<chart>:<version>``: the repository's ``index.yaml`` is fetched and the
  chart looked up as Helm does (the exact version, else the highest version matching it as a
  constraint; no version: the highest release).  The chart URL in the index may be relative to
  the repository or absolute; the digest the index records is checked when the chart is
  downloaded.
* any other URL (``<repository URL>/mychart-0.1.0.tgz``): the chart archive itself.

The provenance file is ``<chart URL>.prov``; when it cannot be had the chart comes without one,
with a warning for anything but 404 (as Helm's ``VerifyLater``).  Every request carries the
credentials configured for the *repository* (consumer identity ``HelmChartRepository`` with the
repository URL's hostname, port, scheme and path), on the repository's host only, as Go does.
"""

from __future__ import annotations

import hashlib
import logging
import posixpath
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pyocm._internal.documents import parse_document
from pyocm.access.context import AccessContext
from pyocm.access.http import (
    HELM_CHART_REPOSITORY,
    HTTPRequest,
    URLBlob,
    fetch_bytes,
    safe_url,
    url_identity,
)
from pyocm.blob.model import CHUNK_SIZE
from pyocm.errors import DigestMismatch, NotFound, OCMError
from pyocm.helm.chart import scalar_text
from pyocm.oci.reference import REPOSITORY_NAME, TAG
from pyocm.semver import Constraint, Version

if TYPE_CHECKING:
    from pyocm.config.credentials.typed import Credentials

CHART_ARCHIVE_TYPE = "application/gzip"
"""The media type of a downloaded chart archive."""

_log = logging.getLogger("pyocm.helm")


@dataclass(frozen=True)
class IndexEntry:
    """One chart version of a repository index."""

    name: str
    version: str
    urls: tuple[str, ...]
    digest: str
    """As the index writes it (hex, or ``sha256:<hex>``); empty when absent."""


Index = Mapping[str, list[IndexEntry]]
"""Chart name → its versions, highest first (versions that are no SemVer last)."""


def parse_index(data: bytes, what: str) -> Index:
    """Read a repository ``index.yaml`` (``what`` names it in errors)."""
    doc = parse_document(data, what)
    if not isinstance(doc, Mapping):
        raise OCMError(f"{what} is not a Helm repository index: not a YAML object")
    if not doc.get("apiVersion"):
        raise OCMError(f"{what} is not a Helm repository index: no API version specified")
    entries = doc.get("entries") or {}
    if not isinstance(entries, Mapping):
        raise OCMError(f"{what}: entries must map chart names to lists of versions")
    index: dict[str, list[IndexEntry]] = {}
    for name, versions in entries.items():
        if not isinstance(versions, list):
            raise OCMError(f"{what}: the entry of chart {name!r} is not a list")
        index[str(name)] = _sorted([_entry(str(name), v, what) for v in versions])
    return index


def _entry(name: str, data: object, what: str) -> IndexEntry:
    if not isinstance(data, Mapping):
        raise OCMError(f"{what}: a version of chart {name!r} is not a YAML object")
    urls = data.get("urls") or []
    if not isinstance(urls, list):
        raise OCMError(f"{what}: the urls of chart {name!r} are not a list")
    return IndexEntry(
        name=scalar_text(data.get("name")) or name,
        version=scalar_text(data.get("version")),
        urls=tuple(str(u) for u in urls),
        digest=scalar_text(data.get("digest")),
    )


def _sorted(entries: list[IndexEntry]) -> list[IndexEntry]:
    """Highest version first, as Helm sorts an index when it loads it."""
    parsed: list[tuple[Version, IndexEntry]] = []
    rest: list[IndexEntry] = []
    for entry in entries:
        try:
            parsed.append((Version.parse(entry.version), entry))
        except OCMError:
            rest.append(entry)
    parsed.sort(key=lambda pair: pair[0], reverse=True)
    return [entry for _, entry in parsed] + rest


def find_chart(index: Index, name: str, version: str, what: str) -> IndexEntry:
    """The entry Helm's ``IndexFile.Get`` picks: the version as written, else the highest one
    that matches ``version`` read as a constraint (no version: ``*``, releases only)."""
    versions = index.get(name)
    if not versions:
        raise NotFound(f"chart {name!r} not found in {what}")
    if version:
        for entry in versions:
            if entry.version == version:
                return entry
    constraint = Constraint.parse(version or "*")
    for entry in versions:
        try:
            candidate = Version.parse(entry.version)
        except OCMError:
            continue
        if constraint.check(str(candidate)):
            if version:
                _log.warning(
                    "exact chart version not found; using the closest match",
                    extra={"chart": name, "requested": version, "selected": entry.version},
                )
            return entry
    shown = f"version {version!r}" if version else "release version"
    raise NotFound(f"chart {name!r}: no {shown} found in {what}")


def resolve_reference_url(base: str, reference: str) -> str:
    """``reference`` (a URL from an index) resolved against the repository URL ``base``,
    keeping the repository's query as Helm does."""
    target = urllib.parse.urlsplit(reference)
    if target.scheme:
        return reference
    parts = urllib.parse.urlsplit(base)
    directory = parts._replace(path=parts.path.rstrip("/") + "/", query="", fragment="")
    joined = urllib.parse.urlsplit(urllib.parse.urljoin(directory.geturl(), reference))
    return joined._replace(query=parts.query).geturl()


@dataclass(frozen=True)
class ChartLocation:
    """Where a chart archive is downloaded from, and what it must hash to."""

    url: str
    repository: str
    """The repository URL whose credentials apply."""
    digest: str | None = None
    """``sha256:<hex>`` from the index, when it records one."""

    @property
    def file_name(self) -> str:
        """The archive's file name: the last segment of its URL path (as Helm saves it)."""
        return posixpath.basename(urllib.parse.urlsplit(self.url).path) or "chart.tgz"

    @property
    def provenance_url(self) -> str:
        """Where the provenance file would be: ``<chart URL>.prov``."""
        parts = urllib.parse.urlsplit(self.url)
        return parts._replace(path=parts.path + ".prov").geturl()


def split_chart_reference(reference: str) -> tuple[str, str, str] | None:
    """``(repository URL, chart name, version)`` when ``reference`` is
    ``<repository URL>/<chart>:<version>`` as Go's loose reference grammar reads it; else None."""
    scheme, sep, rest = reference.partition("://")
    if not sep:
        return None
    registry, slash, path = rest.partition("/")
    if not slash or path.count(":") != 1 or "@" in path:
        return None
    repository, _, tag = path.partition(":")
    if not REPOSITORY_NAME.match(repository) or not TAG.match(tag):
        return None
    directory = posixpath.dirname(repository)
    base = f"{scheme}://{registry}" + (f"/{directory}" if directory else "")
    return base, posixpath.basename(repository), tag


def locate_chart(
    context: AccessContext, reference: str, version: str = "", *, latest: bool, what: str
) -> ChartLocation:
    """Where the chart ``reference`` names lies (see the module documentation).

    ``version`` overrides the version the reference carries.  With ``latest``, a reference
    without version that does not name an archive (``.tgz``) is looked up in the index too.
    """
    scheme = urllib.parse.urlsplit(reference).scheme
    if scheme not in ("http", "https"):
        raise OCMError(f"{what}: {safe_url(reference)} is no http(s) URL")
    split = split_chart_reference(reference)
    if split is None and latest and not reference.endswith((".tgz", ".tar.gz")):
        parts = urllib.parse.urlsplit(reference)
        directory, name = posixpath.split(parts.path)
        split = (parts._replace(path=directory.rstrip("/")).geturl(), name, "")
    if split is None:
        parts = urllib.parse.urlsplit(reference)
        directory = posixpath.dirname(parts.path).rstrip("/")
        return ChartLocation(reference, parts._replace(path=directory, query="").geturl())
    base, name, tag = split
    chosen = version or tag
    shown = f"the index of {safe_url(base)}"
    try:
        entry = find_chart(ChartRepository(context, base).index(), name, chosen, shown)
    except NotFound as e:
        raise NotFound(f"{what}: {e}") from None
    if not entry.urls:
        raise OCMError(f"{what}: chart {name!r} version {entry.version!r} has no URL in {shown}")
    return ChartLocation(
        resolve_reference_url(base, entry.urls[0]), base, _index_digest(entry, what)
    )


def _index_digest(entry: IndexEntry, what: str) -> str | None:
    if not entry.digest:
        return None
    value = entry.digest.removeprefix("sha256:")
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise OCMError(
            f"{what}: chart {entry.name!r} version {entry.version!r} has an invalid digest "
            f"{entry.digest!r} in the repository index (expected a SHA-256)"
        )
    return f"sha256:{value}"


class ChartRepository:
    """An HTTP(S) chart repository at ``url``, reached with the credentials of ``context``."""

    def __init__(self, context: AccessContext, url: str):
        self.url = url
        self.context = repository_context(context, url)

    def index(self) -> Index:
        """The repository's ``index.yaml``, read."""
        url = resolve_reference_url(self.url, "index.yaml")
        what = f"the index of Helm repository {safe_url(self.url)}"
        data = fetch_bytes(self.context, url, HELM_CHART_REPOSITORY, what=what)
        return parse_index(data, what)


def repository_context(context: AccessContext, repository: str) -> AccessContext:
    """``context``, answering every request to the host of ``repository`` with the
    credentials configured for the repository itself (not for each file's URL)."""
    own = url_identity(repository, HELM_CHART_REPOSITORY)
    place = ("scheme", "hostname", "port")

    def lookup(identity: Mapping[str, str]) -> Credentials | None:
        if all(identity.get(k) == own.get(k) for k in place):
            return context.consumer_credentials(own)
        return context.consumer_credentials(identity)

    return AccessContext(
        credentials=context.credentials,
        consumer_credentials=lookup,
        ca_file=context.ca_file,
        insecure=context.insecure,
        retry=context.retry,
    )


def download_chart(
    context: AccessContext,
    location: ChartLocation,
    directory: Path,
    *,
    expected: str | None,
    what: str,
) -> tuple[Path, Path | None, str]:
    """Download the chart archive (and provenance file) at ``location`` into ``directory``.

    The archive must match ``expected`` (``sha256:<hex>``, e.g. the recorded resource digest)
    and the index digest when known.  Returns the archive, the provenance file or None, and
    the archive's digest.
    """
    scoped = repository_context(context, location.repository)
    target = directory / location.file_name
    blob = URLBlob(
        scoped,
        HTTPRequest(location.url),
        HELM_CHART_REPOSITORY,
        media_type=CHART_ARCHIVE_TYPE,
        digest=location.digest or expected,
        what=f"{what}: chart {safe_url(location.url)}",
    )
    hashed = hashlib.sha256()
    with blob.open() as stream, target.open("wb") as out:
        while chunk := stream.read(CHUNK_SIZE):
            hashed.update(chunk)
            out.write(chunk)
    digest = f"sha256:{hashed.hexdigest()}"
    if expected is not None and expected != digest:
        raise DigestMismatch(f"{what}: chart {safe_url(location.url)}", expected, digest)
    return target, _download_provenance(scoped, location, target, what), digest


def _download_provenance(
    context: AccessContext, location: ChartLocation, chart: Path, what: str
) -> Path | None:
    target = chart.with_name(chart.name + ".prov")
    blob = URLBlob(
        context,
        HTTPRequest(location.provenance_url),
        HELM_CHART_REPOSITORY,
        media_type="application/octet-stream",
        what=f"{what}: provenance {safe_url(location.provenance_url)}",
    )
    try:
        with blob.open() as stream, target.open("wb") as out:
            while chunk := stream.read(CHUNK_SIZE):
                out.write(chunk)
    except NotFound:
        target.unlink(missing_ok=True)
        return None
    except OCMError as e:
        target.unlink(missing_ok=True)
        _log.warning(
            "provenance file not fetched; the chart comes without it",
            extra={"url": safe_url(location.provenance_url), "error": str(e)},
        )
        return None
    return target
