"""Normalised digests of a generated descriptor corpus: pyocm against both Go reference CLIs.

The corpus (``corpus.py``: explicit edge cases and seeded random descriptors) goes into a CTF
byte for byte.  Go v2 0.13.0 has no hash command, so its ``jsonNormalisation/v4alpha1``
digest is what ``sign cv --dry-run`` would sign; the legacy v1 CLI 0.48.0 prints its
``jsonNormalisation/v1``, ``v2`` and ``v3`` digests with ``hash cv --actual``.  pyocm reads
the same CTF and must compute every one of them.  The expected values come from the Go tools
in this run, never from pyocm.

Where the two Go tools disagree:

* ``jsonNormalisation/v3``: Go v2 silently replaces it by ``v4alpha1``; the legacy CLI
  computes the legacy v3.  pyocm follows the legacy CLI for v1–v3 (the algorithms it
  defined) and Go v2 for v4alpha1
  (:func:`test_go_v2_replaces_v3_by_v4alpha1_pyocm_keeps_legacy_v3`).
* resources with the same name: the legacy v1 and v2 add ``version`` to the extra identity
  of all but the last of them, legacy v3 and Go v2 do not; pyocm follows each tool for its
  own algorithms (the ``same-name-different-versions`` entry).
* the provider string ``null``: Go v2 normalises it to ``"provider":{}``, the legacy CLI to
  the empty name; pyocm follows each tool for its own algorithms (both covered by the corpus).
* ``ocm.software/v3alpha1`` descriptors: only the legacy CLI reads them (Go v2 fails with
  "provider name is empty"); pyocm computes the legacy digests of them
  (:func:`test_go_v2_cannot_digest_v3alpha1_descriptors`).

Each tool, and each legacy algorithm, works on its own copy of the CTF: the legacy CLI's
``hash cv -N jsonNormalisation/v1`` (or ``v2``) writes a component version whose resources
share a name back into the CTF with the extra identities it defaulted, so a later ``v3``
hash of the same CTF would see them (:func:`test_legacy_v1_hash_writes_defaulted_identities_back`).
"""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import go_digests
import pytest
from corpus import Entry, corpus, write_ctf
from go_digests import V4ALPHA1, go_v2_digest, go_v2_signing_config

from fixtures.go_ocm import GoOcm
from pyocm.descriptor import Descriptor
from pyocm.digest import component_version_digest
from pyocm.repository.ctf.ocistore import CTFStore
from pyocm.repository.ocm import OCMRepository

LEGACY = ("jsonNormalisation/v1", "jsonNormalisation/v2", "jsonNormalisation/v3")

ENTRIES = corpus()
V2_SCHEMA = [e for e in ENTRIES if not e.key.startswith("v3alpha1")]
V3ALPHA1 = [e for e in ENTRIES if e.key.startswith("v3alpha1")]


def test_corpus_is_large_and_unique() -> None:
    assert len(ENTRIES) >= 60
    assert len({e.ref for e in ENTRIES}) == len(ENTRIES)
    assert len({e.key for e in ENTRIES}) == len(ENTRIES)


@dataclass
class Outcome:
    """A Go tool's answer for one descriptor: a digest, or the error it printed."""

    digest: str | None
    error: str = ""


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus as a CTF (``pristine``, read by pyocm) and one copy for each Go tool."""
    root = tmp_path_factory.mktemp("corpus")
    write_ctf(ENTRIES, root / "pristine")
    for copy in ("go-v2", *(f"legacy-{a}" for a in LEGACY)):
        shutil.copytree(root / "pristine", root / copy.replace("/", "-"))
    return root


@pytest.fixture(scope="module")
def pyocm_descriptors(corpus_dir: Path) -> dict[str, Descriptor]:
    with OCMRepository(CTFStore(corpus_dir / "pristine", writable=False)) as repo:
        return {e.ref: repo.get_component_version(e.name, e.version) for e in ENTRIES}


def _go_v2_digest(
    go: GoOcm, config: Path, ctf: Path, entry: Entry, normalisation: str = V4ALPHA1
) -> Outcome:
    digest, error = go_v2_digest(go, config, f"ctf::{ctf}//{entry.ref}", normalisation)
    return Outcome(digest, error)


@pytest.fixture(scope="module")
def go_v2_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return go_v2_signing_config(tmp_path_factory.mktemp("go-v2-keys"))


@pytest.fixture(scope="module")
def go_v2_digests(go_ocm_v2: GoOcm, go_v2_config: Path, corpus_dir: Path) -> dict[str, Outcome]:
    """Go v2's v4alpha1 digest of every corpus entry (one dry-run signing each)."""
    ctf = corpus_dir / "go-v2"
    with ThreadPoolExecutor(2) as pool:
        outcomes = pool.map(lambda e: _go_v2_digest(go_ocm_v2, go_v2_config, ctf, e), ENTRIES)
        return {e.ref: o for e, o in zip(ENTRIES, outcomes, strict=True)}


@pytest.fixture(scope="module")
def legacy_digests(go_ocm_v1: GoOcm, corpus_dir: Path) -> dict[tuple[str, str], str]:
    """The legacy CLI's digest of every corpus entry per algorithm (one call per algorithm)."""
    out: dict[tuple[str, str], str] = {}
    for algorithm in LEGACY:
        ctf = corpus_dir / f"legacy-{algorithm}".replace("/", "-")
        refs = [f"ctf::{ctf}//{e.ref}" for e in ENTRIES]
        for ref, digest in go_digests.legacy_digests(go_ocm_v1, algorithm, refs).items():
            out[(algorithm, ref)] = digest
    return out


@pytest.mark.parametrize("entry", V2_SCHEMA, ids=lambda e: e.key)
def test_v4alpha1_digest_equals_go_v2(
    entry: Entry, go_v2_digests: dict[str, Outcome], pyocm_descriptors: dict[str, Descriptor]
) -> None:
    expected = go_v2_digests[entry.ref]
    assert expected.digest is not None, f"Go v2 failed on {entry.key}: {expected.error}"
    mine = component_version_digest(pyocm_descriptors[entry.ref], "SHA-256", V4ALPHA1)
    assert mine.value == expected.digest, entry.text


@pytest.mark.parametrize("algorithm", LEGACY)
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.key)
def test_legacy_digest_equals_legacy_cli(
    entry: Entry,
    algorithm: str,
    legacy_digests: dict[tuple[str, str], str],
    pyocm_descriptors: dict[str, Descriptor],
) -> None:
    expected = legacy_digests[(algorithm, entry.ref)]
    mine = component_version_digest(pyocm_descriptors[entry.ref], "SHA-256", algorithm)
    assert mine.value == expected, entry.text


def test_go_v2_cannot_digest_v3alpha1_descriptors(go_v2_digests: dict[str, Outcome]) -> None:
    """Go v2 0.13.0 does not read ``ocm.software/v3alpha1``; the legacy digests above cover it."""
    for entry in V3ALPHA1:
        outcome = go_v2_digests[entry.ref]
        assert outcome.digest is None and "provider name is empty" in outcome.error, entry.key


def test_go_v2_replaces_v3_by_v4alpha1_pyocm_keeps_legacy_v3(
    go_ocm_v2: GoOcm,
    go_v2_config: Path,
    corpus_dir: Path,
    legacy_digests: dict[tuple[str, str], str],
    pyocm_descriptors: dict[str, Descriptor],
) -> None:
    """Asked for ``jsonNormalisation/v3``, Go v2 signs a v4alpha1 digest; pyocm computes legacy v3.

    The two differ on null label values, label ``version``, creation times, references without
    digests and the ``null`` provider; pyocm's v3 is the legacy CLI's.
    """
    keys = {
        "labels-null-values",
        "labels-version-and-merge",
        "creation-time-fraction",
        "references-with-and-without-digests",
        "provider-null-string",
    }
    chosen = [e for e in ENTRIES if e.key in keys]
    assert len(chosen) == len(keys)
    for entry in chosen:
        asked_v3 = _go_v2_digest(
            go_ocm_v2, go_v2_config, corpus_dir / "go-v2", entry, "jsonNormalisation/v3"
        )
        v4alpha1 = component_version_digest(pyocm_descriptors[entry.ref], "SHA-256", V4ALPHA1)
        legacy_v3 = legacy_digests[("jsonNormalisation/v3", entry.ref)]
        assert asked_v3.digest == v4alpha1.value, entry.key
        assert legacy_v3 != v4alpha1.value, entry.key
        mine = component_version_digest(
            pyocm_descriptors[entry.ref], "SHA-256", "jsonNormalisation/v3"
        )
        assert mine.value == legacy_v3, entry.key


def test_the_ctf_copies_were_read_not_rewritten_for_pyocm(
    corpus_dir: Path, legacy_digests: dict[tuple[str, str], str]
) -> None:
    """pyocm's copy holds the corpus text exactly as written (the digests above are of it)."""
    del legacy_digests  # the legacy CLI has run
    check = corpus_dir / "check"
    write_ctf(ENTRIES, check)
    index = json.loads((corpus_dir / "pristine" / "artifact-index.json").read_text())
    assert index == json.loads((check / "artifact-index.json").read_text())


def test_legacy_v1_hash_writes_defaulted_identities_back(
    go_ocm_v1: GoOcm, corpus_dir: Path, pyocm_descriptors: dict[str, Descriptor]
) -> None:
    """The legacy CLI's ``hash cv`` with ``jsonNormalisation/v1`` rewrites a version whose
    resources share a name: the stored descriptor gains the defaulted extra identity, and its
    v3 digest changes with it.  pyocm's v3 is that of the descriptor as it was written."""
    (entry,) = [e for e in ENTRIES if e.key == "same-name-different-versions"]
    ctf = corpus_dir / "legacy-rewrite"
    write_ctf([entry], ctf)
    ref = f"ctf::{ctf}//{entry.ref}"
    before = go_digests.legacy_digests(go_ocm_v1, "jsonNormalisation/v3", [ref])[entry.ref]
    go_digests.legacy_digests(go_ocm_v1, "jsonNormalisation/v1", [ref])
    after = go_digests.legacy_digests(go_ocm_v1, "jsonNormalisation/v3", [ref])[entry.ref]
    mine = component_version_digest(pyocm_descriptors[entry.ref], "SHA-256", LEGACY[2])
    assert mine.value == before != after
    with OCMRepository(CTFStore(ctf, writable=False)) as repo:
        rewritten = repo.get_component_version(entry.name, entry.version)
    assert [r.extra_identity for r in rewritten.component.resources] == [{"version": "1.0.0"}, {}]
    assert component_version_digest(rewritten, "SHA-256", LEGACY[2]).value == after
