"""Image references as ``imageReference`` fields write them (Go v2's loose grammar)."""

from __future__ import annotations

import pytest

from pyocm.errors import OCMError
from pyocm.oci.reference import ImageReference, parse_image_reference

DIGEST = "sha256:" + "ab" * 32


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ghcr.io/acme/app:1.0", ImageReference("ghcr.io", "acme/app", "1.0")),
        ("127.0.0.1:5000/app:v1", ImageReference("127.0.0.1:5000", "app", "v1")),
        (
            "http://127.0.0.1:5000/a/b/c:1.0.0",
            ImageReference("127.0.0.1:5000", "a/b/c", "1.0.0", scheme="http"),
        ),
        (f"ghcr.io/acme/app@{DIGEST}", ImageReference("ghcr.io", "acme/app", "", DIGEST)),
        # the tag is kept beside the digest, as Go v2 pins references
        (f"ghcr.io/acme/app:1.0@{DIGEST}", ImageReference("ghcr.io", "acme/app", "1.0", DIGEST)),
        ("oci://localhost/x:1", ImageReference("localhost", "x", "1", scheme="oci")),
    ],
)
def test_references_parse_into_their_parts_and_print_back(
    text: str, expected: ImageReference
) -> None:
    parsed = parse_image_reference(text)
    assert parsed == expected
    assert str(parsed) == text


def test_reference_name_drops_registry_scheme_and_digest() -> None:
    # cli.md §4.2: referenceName = <repository path without registry>:<tag>
    ref = parse_image_reference(f"http://127.0.0.1:5000/test-oci-resource:v1.0.0@{DIGEST}")
    assert ref.reference_name == "test-oci-resource:v1.0.0"
    assert parse_image_reference(f"ghcr.io/a/b@{DIGEST}").reference_name == "a/b"


def test_the_digest_is_what_the_registry_is_asked_for_when_pinned() -> None:
    assert parse_image_reference("ghcr.io/a:1").reference == "1"
    assert parse_image_reference(f"ghcr.io/a:1@{DIGEST}").reference == DIGEST


def test_pinning_keeps_the_tag() -> None:
    pinned = parse_image_reference("http://reg:5000/a:1").pinned(DIGEST)
    assert str(pinned) == f"http://reg:5000/a:1@{DIGEST}"
    assert pinned.registry_url == "http://reg:5000"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("app:1.0", "expected [scheme://]host"),
        ("ftp://ghcr.io/a:1", "unsupported scheme"),
        ("ghcr.io/Acme/app:1", "invalid repository"),
        ("ghcr.io/a:-bad", "invalid tag"),
        ("ghcr.io/a@sha256:12", "expected 64 lowercase hex"),
        ("ghcr.io/a", "neither a tag nor a digest"),
    ],
)
def test_invalid_references_are_refused_naming_the_problem(text: str, problem: str) -> None:
    with pytest.raises(OCMError, match=problem.replace("[", r"\[")):
        parse_image_reference(text)


def test_a_bare_repository_is_accepted_where_no_tag_is_needed() -> None:
    ref = parse_image_reference("ghcr.io/acme/app", require_reference=False)
    assert (ref.repository, ref.reference) == ("acme/app", "")
