"""HTTP helm chart repositories: index lookup, URL resolution, verified downloads, credentials."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from helmtools import ChartRepository

from pyocm.access.context import AccessContext
from pyocm.access.helm import HelmAccess
from pyocm.access.helm_repository import (
    IndexEntry,
    download_chart,
    find_chart,
    locate_chart,
    parse_index,
    resolve_reference_url,
    split_chart_reference,
)
from pyocm.config.credentials.typed import Credentials
from pyocm.errors import DigestMismatch, NotFound, OCMError

INDEX = b"""apiVersion: v1
entries:
  app:
  - {name: app, version: 1.2.0, urls: [app-1.2.0.tgz]}
  - {name: app, version: 1.10.0, urls: [app-1.10.0.tgz]}
  - {name: app, version: 2.0.0-rc.1, urls: [app-2.0.0-rc.1.tgz]}
  - {name: app, version: not-semver, urls: [app-x.tgz]}
"""


def test_index_lookup_takes_the_exact_version_first() -> None:
    entry = find_chart(parse_index(INDEX, "index"), "app", "not-semver", "index")
    assert entry.urls == ("app-x.tgz",)


def test_index_lookup_without_version_takes_the_highest_release() -> None:
    assert find_chart(parse_index(INDEX, "index"), "app", "", "index").version == "1.10.0"


def test_index_lookup_reads_a_version_as_a_constraint() -> None:
    assert find_chart(parse_index(INDEX, "index"), "app", "~1.2", "index").version == "1.2.0"
    assert find_chart(parse_index(INDEX, "index"), "app", ">=2.0.0-0", "index").version == (
        "2.0.0-rc.1"
    )


def test_index_lookup_names_what_is_missing() -> None:
    index = parse_index(INDEX, "index")
    with pytest.raises(NotFound, match="chart 'other' not found in index"):
        find_chart(index, "other", "", "index")
    with pytest.raises(NotFound, match=r"no version '3\.0\.0' found"):
        find_chart(index, "app", "3.0.0", "index")


def test_index_without_api_version_is_refused() -> None:
    with pytest.raises(OCMError, match="no API version specified"):
        parse_index(b"entries: {}\n", "index")


@pytest.mark.parametrize(
    ("base", "reference", "expected"),
    [
        ("https://acme.org/charts", "app-1.0.tgz", "https://acme.org/charts/app-1.0.tgz"),
        ("https://acme.org/charts/", "app-1.0.tgz", "https://acme.org/charts/app-1.0.tgz"),
        ("https://acme.org/charts?t=1", "app-1.0.tgz", "https://acme.org/charts/app-1.0.tgz?t=1"),
        ("https://acme.org/charts", "https://cdn.org/a.tgz", "https://cdn.org/a.tgz"),
        ("https://acme.org/charts", "../x/a.tgz", "https://acme.org/x/a.tgz"),
    ],
)
def test_chart_urls_resolve_against_the_repository(
    base: str, reference: str, expected: str
) -> None:
    assert resolve_reference_url(base, reference) == expected


# Expected chart references from Go v2's bindings/go/helm/spec/access/v1/helm_test.go
# (TestHelm_ChartReference).
@pytest.mark.parametrize(
    ("repository", "chart", "version", "expected"),
    [
        (
            "https://charts.example.com",
            "mariadb",
            "12.2.7",
            "https://charts.example.com/mariadb:12.2.7",
        ),
        ("https://charts.example.com", "mariadb", "", "https://charts.example.com/mariadb"),
        (
            "https://charts.example.com",
            "mariadb:12.2.7",
            "",
            "https://charts.example.com/mariadb:12.2.7",
        ),
        (
            "oci://ghcr.io/open-component-model/charts",
            "my-chart",
            "1.0.0",
            "oci://ghcr.io/open-component-model/charts/my-chart:1.0.0",
        ),
        ("oci://ghcr.io/charts/", "mychart", "1.0.0", "oci://ghcr.io/charts/mychart:1.0.0"),
        ("https://example.com///", "mychart", "1.0.0", "https://example.com/mychart:1.0.0"),
        ("ghcr.io/charts", "mychart", "1.0.0", "ghcr.io/charts/mychart:1.0.0"),
        ("oci://ghcr.io/charts", "mychart:2.0.0", "", "oci://ghcr.io/charts/mychart:2.0.0"),
        ("https://example.com/a/b", "../escape", "1.0.0", "https://example.com/a/escape:1.0.0"),
    ],
)
def test_chart_reference_as_go_forms_it(
    repository: str, chart: str, version: str, expected: str
) -> None:
    assert HelmAccess(repository, chart, version).chart_reference() == expected


def test_version_field_wins_over_the_chart_version() -> None:
    # bindings/go/helm/spec/access/v1/helm_test.go (TestHelm_GetVersion)
    assert HelmAccess("https://x.org", "mychart:2.0.0", "1.0.0").version == "1.0.0"
    assert HelmAccess("https://x.org", "mychart:2.0.0").version == "2.0.0"
    assert HelmAccess("https://x.org", "mychart").version == ""


def test_chart_reference_splits_into_repository_chart_and_version() -> None:
    assert split_chart_reference("http://127.0.0.1:5000/charts/app:1.0.0") == (
        "http://127.0.0.1:5000/charts",
        "app",
        "1.0.0",
    )
    assert split_chart_reference("http://127.0.0.1:5000/app-1.0.0.tgz") is None


def test_chart_is_found_through_the_real_index_and_verified(
    chart_repository: ChartRepository, tmp_path: Path
) -> None:
    reference = f"{chart_repository.url}/mychart:0.1.0"
    location = locate_chart(AccessContext(), reference, latest=True, what="test")
    assert location.url == f"{chart_repository.url}/mychart-0.1.0.tgz"
    assert location.digest == f"sha256:{chart_repository.index_digest}"
    chart, provenance, digest = download_chart(
        AccessContext(), location, tmp_path, expected=None, what="test"
    )
    assert chart.read_bytes() == chart_repository.chart.archive.read_bytes()
    assert provenance is not None
    assert provenance.read_bytes() == chart_repository.chart.provenance.read_bytes()
    assert digest == f"sha256:{chart_repository.chart.sha256}"


def test_relative_index_urls_and_a_missing_provenance_file(
    http_server, signed_chart, helm: Path, tmp_path: Path
) -> None:
    charts = http_server.root / "charts"
    charts.mkdir()
    shutil.copy(signed_chart.archive, charts)
    subprocess.run([str(helm), "repo", "index", str(charts)], check=True, capture_output=True)
    assert "- mychart-0.1.0.tgz" in (charts / "index.yaml").read_text()
    location = locate_chart(
        AccessContext(), f"{http_server.url}/charts/mychart", latest=True, what="test"
    )
    assert location.url == f"{http_server.url}/charts/mychart-0.1.0.tgz"
    _, provenance, _ = download_chart(AccessContext(), location, tmp_path, expected=None, what="t")
    assert provenance is None


def test_a_chart_that_differs_from_the_index_digest_is_refused(
    chart_repository: ChartRepository, tmp_path: Path
) -> None:
    reference = f"{chart_repository.url}/mychart:0.1.0"
    location = locate_chart(AccessContext(), reference, latest=True, what="test")
    (chart_repository.server.root / "mychart-0.1.0.tgz").write_bytes(b"tampered")
    with pytest.raises(DigestMismatch, match=chart_repository.index_digest):
        download_chart(AccessContext(), location, tmp_path, expected=None, what="test")
    assert not list(tmp_path.glob("*.prov"))


def test_a_chart_that_differs_from_the_expected_digest_is_refused(
    chart_repository: ChartRepository, tmp_path: Path
) -> None:
    location = locate_chart(
        AccessContext(), f"{chart_repository.url}/mychart-0.1.0.tgz", latest=True, what="t"
    )
    assert location.digest is None
    expected = "sha256:" + hashlib.sha256(b"other").hexdigest()
    with pytest.raises(DigestMismatch):
        download_chart(AccessContext(), location, tmp_path, expected=expected, what="test")


def test_a_missing_repository_is_not_found(http_server) -> None:
    with pytest.raises(NotFound, match=r"index\.yaml not found"):
        locate_chart(
            AccessContext(), f"{http_server.url}/nothing/mychart:0.1.0", latest=True, what="t"
        )


def test_requests_carry_the_repository_credentials(
    chart_repository: ChartRepository, tmp_path: Path
) -> None:
    seen: list[dict[str, str]] = []

    def credentials(identity: object) -> Credentials | None:
        seen.append(dict(identity))  # type: ignore[call-overload]
        return Credentials("Credentials/v1", {"username": "chart-user", "password": "chart-pass"})

    chart_repository.server.require(username="chart-user", password="chart-pass")
    context = AccessContext(consumer_credentials=credentials)
    location = locate_chart(context, f"{chart_repository.url}/mychart:0.1.0", latest=True, what="t")
    download_chart(context, location, tmp_path, expected=None, what="test")
    paths = [r.path for r in chart_repository.server.requests]
    assert paths == ["/index.yaml", "/mychart-0.1.0.tgz", "/mychart-0.1.0.tgz.prov"]
    port = chart_repository.url.rsplit(":", 1)[1]
    # every request is made with the identity of the repository, not of the file
    assert {tuple(sorted(i.items())) for i in seen} == {
        (
            ("hostname", "127.0.0.1"),
            ("port", port),
            ("scheme", "http"),
            ("type", "HelmChartRepository"),
        )
    }


def test_index_entries_keep_versions_as_written() -> None:
    index = parse_index(b"apiVersion: v1\nentries:\n  a:\n  - {version: 1.10, urls: [a]}\n", "i")
    assert index["a"] == [IndexEntry("a", "1.10", ("a",), "")]
