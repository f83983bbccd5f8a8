"""``artifact-index.json``: Go v2 tagging rules (``ctf/index/v1/index_test.go``) and the format."""

from __future__ import annotations

import pytest

from pyocm.errors import OCMError
from pyocm.repository.ctf.index import ArtifactEntry, ArtifactIndex

REPO = "repo1"


def _state(index: ArtifactIndex) -> list[tuple[str, str, str]]:
    return [(e.repository, e.tag, e.digest) for e in index.entries]


def test_add_and_get() -> None:
    index = ArtifactIndex()
    index.add(ArtifactEntry(REPO, "v1", "sha256:abc", "type1"))
    assert [(e.repository, e.tag, e.digest, e.media_type) for e in index.entries] == [
        (REPO, "v1", "sha256:abc", "type1")
    ]


def test_retag_clears_the_old_tag_but_keeps_the_entry() -> None:
    index = ArtifactIndex()
    index.add(ArtifactEntry(REPO, "v1", "sha256:abc"))
    index.add(ArtifactEntry(REPO, "v1", "sha256:def"))
    assert _state(index) == [(REPO, "", "sha256:abc"), (REPO, "v1", "sha256:def")]


def test_tagging_an_untagged_entry_reuses_it() -> None:
    index = ArtifactIndex()
    index.add(ArtifactEntry(REPO, "", "sha256:abc"))
    index.add(ArtifactEntry(REPO, "v1", "sha256:abc"))
    assert _state(index) == [(REPO, "v1", "sha256:abc")]


def test_several_tags_for_one_digest() -> None:
    index = ArtifactIndex()
    for tag in ("v1.0.0", "latest", "stable"):
        index.add(ArtifactEntry(REPO, tag, "sha256:abc"))
    assert sorted(index.tags(REPO)) == ["latest", "stable", "v1.0.0"]


def test_exact_duplicate_is_ignored() -> None:
    index = ArtifactIndex()
    index.add(ArtifactEntry(REPO, "v1", "sha256:abc"))
    index.add(ArtifactEntry(REPO, "v1", "sha256:abc"))
    assert _state(index) == [(REPO, "v1", "sha256:abc")]


def test_repositories_are_isolated() -> None:
    index = ArtifactIndex()
    index.add(ArtifactEntry("repo1", "latest", "sha256:abc"))
    index.add(ArtifactEntry("repo2", "latest", "sha256:abc"))
    assert _state(index) == [("repo1", "latest", "sha256:abc"), ("repo2", "latest", "sha256:abc")]


def test_retag_from_untagged_to_latest() -> None:
    index = ArtifactIndex()
    index.add(ArtifactEntry(REPO, "", "sha256:new"))
    index.add(ArtifactEntry(REPO, "latest", "sha256:old"))
    index.add(ArtifactEntry(REPO, "latest", "sha256:new"))
    assert _state(index) == [(REPO, "latest", "sha256:new"), (REPO, "", "sha256:old")]


def test_pushing_a_tagged_manifest_again_adds_an_untagged_entry() -> None:
    # Go v2 pushes every manifest untagged before tagging it: the duplicate stays
    index = ArtifactIndex()
    index.add(ArtifactEntry(REPO, "v1", "sha256:abc"))
    index.add(ArtifactEntry(REPO, "", "sha256:abc"))
    index.add(ArtifactEntry(REPO, "v1", "sha256:abc"))
    assert _state(index) == [(REPO, "v1", "sha256:abc"), (REPO, "", "sha256:abc")]


def test_remove_tag() -> None:
    index = ArtifactIndex()
    index.add(ArtifactEntry(REPO, "v1", "sha256:abc"))
    index.add(ArtifactEntry(REPO, "latest", "sha256:abc"))
    assert index.remove_tag(REPO, "latest")
    assert not index.remove_tag(REPO, "latest")
    assert _state(index) == [(REPO, "v1", "sha256:abc")]


def test_written_form_is_what_go_writes() -> None:
    index = ArtifactIndex()
    index.add(ArtifactEntry("component-descriptors/a.b/c", "", "sha256:abc", "m/t"))
    index.add(ArtifactEntry("component-descriptors/a.b/c", "1.0.0", "sha256:def", "m/u"))
    assert index.to_json() == (
        b'{"schemaVersion":1,"artifacts":['
        b'{"repository":"component-descriptors/a.b/c","digest":"sha256:abc","mediaType":"m/t"},'
        b'{"repository":"component-descriptors/a.b/c","tag":"1.0.0","digest":"sha256:def",'
        b'"mediaType":"m/u"}]}'
    )


def test_empty_index_is_written_with_null_artifacts() -> None:
    # Go marshals the nil slice of a new index as null
    assert ArtifactIndex().to_json() == b'{"schemaVersion":1,"artifacts":null}'


@pytest.mark.parametrize(
    "raw",
    [
        b'{"schemaVersion":1,"artifacts":null}',
        b'{"schemaVersion":1}',
        b'{"schemaVersion":1,"artifacts":[]}',
        b"",
    ],
)
def test_reads_every_empty_form(raw: bytes) -> None:
    assert ArtifactIndex.parse(raw, "index").entries == []


def test_reads_legacy_entries_and_ignores_unknown_fields() -> None:
    raw = (
        b'{"schemaVersion":1,"future":true,"artifacts":[{"repository":"r","tag":"1.0.0",'
        b'"digest":"sha256:abc","annotations":{"x":"y"}}]}'
    )
    index = ArtifactIndex.parse(raw, "index")
    assert [(e.repository, e.tag, e.digest, e.media_type) for e in index.entries] == [
        ("r", "1.0.0", "sha256:abc", "")
    ]
    assert b"future" not in index.to_json()
    assert b"annotations" not in index.to_json()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"schemaVersion":2,"artifacts":[]}', "schemaVersion 2"),
        (b'{"artifacts":[]}', "schemaVersion None"),
        (b"[]", "not a JSON object"),
        (b"{", "not valid JSON"),
        (b'{"schemaVersion":1,"artifacts":[{"tag":"x"}]}', r"artifacts\[0\] has no repository"),
        (b'{"schemaVersion":1,"artifacts":[{"repository":1}]}', "repository must be a string"),
    ],
)
def test_refuses_malformed_indexes(raw: bytes, message: str) -> None:
    with pytest.raises(OCMError, match=message):
        ArtifactIndex.parse(raw, "artifact-index.json of test")
