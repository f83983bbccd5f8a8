"""Consumer identity matching, ported from the Go v2 tests and Go's ``path.Match`` tests."""

from __future__ import annotations

import pytest

from pyocm.config.credentials.identity import (
    BadPattern,
    canonical,
    identity_from_url,
    matches,
    oci_registry_identity,
    path_match,
    specificity,
)

# Go's src/path/match_test.go (matchTests); None marks ErrBadPattern.
PATH_MATCH = [
    ("abc", "abc", True),
    ("*", "abc", True),
    ("*c", "abc", True),
    ("a*", "a", True),
    ("a*", "abc", True),
    ("a*", "ab/c", False),
    ("a*/b", "abc/b", True),
    ("a*/b", "a/c/b", False),
    ("a*b*c*d*e*/f", "axbxcxdxe/f", True),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/f", True),
    ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", False),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", False),
    ("a*b?c*x", "abxbbxdbxebxczzx", True),
    ("a*b?c*x", "abxbbxdbxebxczzy", False),
    ("ab[c]", "abc", True),
    ("ab[b-d]", "abc", True),
    ("ab[e-g]", "abc", False),
    ("ab[^c]", "abc", False),
    ("ab[^b-d]", "abc", False),
    ("ab[^e-g]", "abc", True),
    ("a\\*b", "a*b", True),
    ("a\\*b", "ab", False),
    ("a?b", "a☺b", True),
    ("a[^a]b", "a☺b", True),
    ("a???b", "a☺b", False),
    ("a[^a][^a][^a]b", "a☺b", False),
    ("[a-ζ]*", "α", True),
    ("*[a-ζ]", "A", False),
    ("a?b", "a/b", False),
    ("a*b", "a/b", False),
    ("[\\]a]", "]", True),
    ("[\\-]", "-", True),
    ("[x\\-]", "x", True),
    ("[x\\-]", "-", True),
    ("[x\\-]", "z", False),
    ("[\\-x]", "x", True),
    ("[\\-x]", "-", True),
    ("[\\-x]", "a", False),
    ("[]a]", "]", None),
    ("[-]", "-", None),
    ("[x-]", "x", None),
    ("[x-]", "-", None),
    ("[x-]", "z", None),
    ("[-x]", "x", None),
    ("[-x]", "-", None),
    ("[-x]", "a", None),
    ("\\", "a", None),
    ("[a-b-c]", "a", None),
    ("[", "a", None),
    ("[^", "a", None),
    ("[^bc", "a", None),
    ("a[", "a", None),
    ("a[", "ab", None),
    ("a[", "x", None),
    ("a/b[", "x", None),
    ("*x", "xxx", True),
]


@pytest.mark.parametrize(("pattern", "name", "expected"), PATH_MATCH)
def test_path_match_is_go_path_match(pattern: str, name: str, expected: bool | None) -> None:
    if expected is None:
        with pytest.raises(BadPattern):
            path_match(pattern, name)
    else:
        assert path_match(pattern, name) is expected


# NG bindings/go/runtime/identity_match_test.go, TestIdentityMatchesPath (a: request, b: config)
PATHS = [
    ("match on emptiness", "", "", True),
    ("match on equal paths", "path", "path", True),
    ("no match on diffing paths", "path", "different-path", False),
    ("no match with same base but different subpath", "base/path", "base/different-path", False),
    ("match based on * pattern", "base/path", "base/*", True),
    ("no match based on * pattern but different subpath", "base/path/abc", "base/*", False),
    ("match with explicit double *", "base/path/abc", "base/*/*", True),
    ("no match with ** (no globstar)", "base/path/abc", "base/**", False),
    ("match based on * pattern in middle segment", "base/path/abc", "base/*/abc", True),
]


@pytest.mark.parametrize(("name", "requested", "configured", "expected"), PATHS)
def test_path_attribute_is_matched_as_a_glob(
    name: str, requested: str, configured: str, expected: bool
) -> None:
    assert matches({"path": requested}, {"path": configured}) is expected


def test_configured_identity_without_path_accepts_any_path() -> None:
    assert matches({"type": "OCIRegistry", "path": "a/b/c"}, {"type": "OCIRegistry"})


def test_configured_path_does_not_match_a_request_without_path() -> None:
    assert not matches({"type": "OCIRegistry"}, {"type": "OCIRegistry", "path": "acme"})


def test_malformed_configured_pattern_matches_nothing() -> None:
    assert not matches({"path": "a["}, {"path": "a["})


def _url(host: str, port: str = "", scheme: str = "") -> dict[str, str]:
    identity = {"hostname": host}
    if port:
        identity["port"] = port
    if scheme:
        identity["scheme"] = scheme
    return identity


# NG bindings/go/runtime/identity_match_test.go, TestIdentityMatchesURL (a: request, b: config)
URLS = [
    ("https with 443 matches https without port", _url("ghcr.io", "443", "https"),
     _url("ghcr.io", scheme="https"), True),
    ("http with 80 matches http without port", _url("example.com", "80", "http"),
     _url("example.com", scheme="http"), True),
    ("https with non-default port does not match https without port",
     _url("ghcr.io", "8080", "https"), _url("ghcr.io", scheme="https"), False),
    ("different schemes do not match", _url("example.com", scheme="http"),
     _url("example.com", scheme="https"), False),
    ("different hosts do not match", _url("example.com", scheme="https"),
     _url("other.com", scheme="https"), False),
    ("both without ports match", _url("example.com", scheme="https"),
     _url("example.com", scheme="https"), True),
    ("both with same explicit port match", _url("example.com", "8080", "https"),
     _url("example.com", "8080", "https"), True),
    ("no scheme but one has port - does not match", _url("example.com", "443"),
     _url("example.com"), False),
    ("oci scheme matches https scheme", _url("ghcr.io", scheme="oci"),
     _url("ghcr.io", scheme="https"), True),
    ("empty scheme matches https", _url("ghcr.io"), _url("ghcr.io", scheme="https"), True),
    ("empty scheme matches http", _url("example.com"), _url("example.com", scheme="http"), True),
    ("empty scheme with default port matches https", _url("ghcr.io", "443"),
     _url("ghcr.io", scheme="https"), True),
    ("empty scheme with default port matches http", _url("example.com", "80"),
     _url("example.com", scheme="http"), True),
    ("oci scheme with port 443 matches https without port", _url("ghcr.io", "443", "oci"),
     _url("ghcr.io", scheme="https"), True),
    ("empty identities match", {}, {}, True),
    ("https without port matches https with 443 (reverse)", _url("ghcr.io", scheme="https"),
     _url("ghcr.io", "443", "https"), True),
    ("both have different non-default ports", _url("example.com", "8080", "https"),
     _url("example.com", "9090", "https"), False),
    ("only hostname, no scheme or port - match", _url("example.com"), _url("example.com"), True),
]  # fmt: skip


@pytest.mark.parametrize(("name", "requested", "configured", "expected"), URLS)
def test_url_attributes_match_with_default_ports(
    name: str, requested: dict[str, str], configured: dict[str, str], expected: bool
) -> None:
    assert matches(requested, configured) is expected


# NG identity_match_test.go, TestIdentity_Match and TestIdentity_Match_WithURLMatching
WHOLE = [
    ("empty", {}, {}, True),
    ("equality", {"key": "value"}, {"key": "value"}, True),
    ("full URL match with default port normalization", _url("ghcr.io", "443", "https"),
     _url("ghcr.io", scheme="https"), True),
    ("URL match with additional attributes",
     {**_url("ghcr.io", "443", "https"), "repository": "myrepo"},
     {**_url("ghcr.io", scheme="https"), "repository": "myrepo"}, True),
    ("URL match fails due to different additional attributes",
     {**_url("ghcr.io", scheme="https"), "repository": "myrepo"},
     {**_url("ghcr.io", scheme="https"), "repository": "otherrepo"}, False),
    ("URL with path pattern matching", {**_url("ghcr.io", scheme="https"), "path": "org/repo"},
     {**_url("ghcr.io", scheme="https"), "path": "org/*"}, True),
    ("types are compared exactly", {"type": "OCIRegistry", "hostname": "h"},
     {"type": "OCIRegistry/v1", "hostname": "h"}, False),
    ("an extra configured attribute must be requested", {"type": "RSA/v1alpha1"},
     {"type": "RSA/v1alpha1", "signature": "default"}, False),
]  # fmt: skip


@pytest.mark.parametrize(("name", "requested", "configured", "expected"), WHOLE)
def test_whole_identity_match(
    name: str, requested: dict[str, str], configured: dict[str, str], expected: bool
) -> None:
    assert matches(requested, configured) is expected


def test_matching_does_not_change_the_identities() -> None:
    requested = {"type": "OCIRegistry", "hostname": "h", "path": "a/b", "port": "1"}
    configured = {"type": "OCIRegistry", "hostname": "h", "path": "a/*", "port": "1"}
    before = (dict(requested), dict(configured))
    matches(requested, configured)
    assert (requested, configured) == before


def test_canonical_form_sorts_attributes() -> None:
    # Go's runtime.Identity.String
    assert canonical({"type": "OCIRegistry", "hostname": "ghcr.io", "a": "1"}) == (
        "a=1,hostname=ghcr.io,type=OCIRegistry"
    )


@pytest.mark.parametrize(
    ("url", "identity"),
    [
        ("ghcr.io", {"hostname": "ghcr.io"}),
        ("ghcr.io/acme/components", {"hostname": "ghcr.io", "path": "acme/components"}),
        (
            "http://localhost:5000",
            {"scheme": "http", "port": "5000", "hostname": "localhost"},
        ),
        (
            "https://registry.example.com:8443/x",
            {"scheme": "https", "port": "8443", "hostname": "registry.example.com", "path": "x"},
        ),
        ("oci://[::1]:5000/p", {"scheme": "oci", "port": "5000", "hostname": "::1", "path": "p"}),
        ("localhost:5000", {"port": "5000", "hostname": "localhost"}),
    ],
)
def test_identity_from_url_takes_only_present_attributes(
    url: str, identity: dict[str, str]
) -> None:
    assert identity_from_url(url) == identity


def test_identity_from_url_rejects_a_port_that_is_no_number() -> None:
    with pytest.raises(ValueError, match="invalid port"):
        identity_from_url("http://host:abc/x")


def test_oci_registry_identity_prefers_the_sub_path() -> None:
    # NG bindings/go/oci/spec/identity/v1/type.go: subPath overrides a path in the base URL
    assert oci_registry_identity("https://ghcr.io/ignored", "/acme/cds") == {
        "scheme": "https",
        "hostname": "ghcr.io",
        "path": "acme/cds",
        "type": "OCIRegistry",
    }


def test_specificity_orders_exact_path_glob_and_no_path() -> None:
    exact = {"type": "OCIRegistry", "hostname": "h", "path": "my-org/production"}
    glob = {"type": "OCIRegistry", "hostname": "h", "path": "my-org/*"}
    two_globs = {"type": "OCIRegistry", "hostname": "h", "path": "*/*"}
    host_only = {"type": "OCIRegistry", "hostname": "h"}
    ordered = sorted([host_only, two_globs, exact, glob], key=specificity, reverse=True)
    assert ordered == [exact, glob, two_globs, host_only]
