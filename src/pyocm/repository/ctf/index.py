"""``artifact-index.json``: the table of contents of a CTF, read leniently, written as Go v2 does.

    >>> from pyocm.repository.ctf.index import ArtifactEntry, ArtifactIndex
    >>> repo, digest = "component-descriptors/acme.org/app", "sha256:" + "a" * 64
    >>> index = ArtifactIndex()
    >>> index.add(ArtifactEntry(repo, "", digest))
    >>> index.add(ArtifactEntry(repo, "1.0.0", digest))
    >>> [(e.tag, e.digest[:9]) for e in index.entries]     # the untagged entry became the tag
    [('1.0.0', 'sha256:aa')]
    >>> ArtifactIndex().to_json()
    b'{"schemaVersion":1,"artifacts":null}'

The written form is exactly Go's ``json.Marshal`` of the v2 index: compact, keys
``schemaVersion``, ``artifacts`` and per entry ``repository``, ``tag``, ``digest``,
``mediaType`` (the last three omitted when empty), ``null`` for no artifacts.  Go v2 refuses
any other property, so nothing else is ever written.  Reading accepts ``artifacts`` null or
missing, entries without ``mediaType`` (written by the legacy CLI before 2026) and ignores
unknown properties.

Entries are also kept in tables by tag and by digest, so that adding an entry costs time
proportional to the entries sharing its tag or digest, not to the size of the index.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from pyocm._internal.gojson import marshal
from pyocm.errors import OCMError

INDEX_FILE = "artifact-index.json"
SCHEMA_VERSION = 1


@dataclass
class ArtifactEntry:
    """One index entry: a manifest or index of ``repository``, optionally tagged."""

    repository: str
    tag: str = ""
    digest: str = ""
    media_type: str = ""

    def to_go(self) -> dict[str, str]:
        """The JSON shape in Go field order, empty optional fields omitted."""
        out = {"repository": self.repository}
        if self.tag:
            out["tag"] = self.tag
        if self.digest:
            out["digest"] = self.digest
        if self.media_type:
            out["mediaType"] = self.media_type
        return out


class ArtifactIndex:
    """The artifacts of a CTF, with the Go v2 tagging rules."""

    def __init__(self, entries: list[ArtifactEntry] | None = None):
        self.entries: list[ArtifactEntry] = []
        self._next = 0
        self._position: dict[int, int] = {}
        self._json: dict[int, bytes] = {}
        self._by_repository: dict[str, list[ArtifactEntry]] = {}
        self._by_tag: dict[tuple[str, str], list[ArtifactEntry]] = {}
        self._by_digest: dict[tuple[str, str], list[ArtifactEntry]] = {}
        for entry in entries or ():
            self._append(entry)

    def _append(self, entry: ArtifactEntry) -> None:
        self._position[id(entry)] = self._next
        self._next += 1
        self.entries.append(entry)
        self._by_repository.setdefault(entry.repository, []).append(entry)
        self._by_digest.setdefault((entry.repository, entry.digest), []).append(entry)
        if entry.tag:
            self._by_tag.setdefault((entry.repository, entry.tag), []).append(entry)

    def _set_tag(self, entry: ArtifactEntry, tag: str) -> None:
        if entry.tag:
            self._by_tag[(entry.repository, entry.tag)].remove(entry)
        entry.tag = tag
        self._json.pop(id(entry), None)
        if tag:
            tagged = self._by_tag.setdefault((entry.repository, tag), [])
            tagged.append(entry)
            tagged.sort(key=lambda e: self._position[id(e)])

    def add(self, entry: ArtifactEntry) -> None:
        """Record ``entry`` as Go v2's ``AddArtifact`` does.

        Within the entry's repository: an exact duplicate (tag and digest) is ignored; a tag
        already pointing elsewhere is cleared from the old entry, which stays untagged; an
        untagged entry with the same digest takes the tag instead of a new entry being added.
        Only entries sharing the tag or the digest can be affected, so only those are visited
        (in index order, as Go visits all of them).
        """
        repository = entry.repository
        affected = {id(e): e for e in self._by_digest.get((repository, entry.digest), ())}
        if entry.tag:
            affected.update((id(e), e) for e in self._by_tag.get((repository, entry.tag), ()))
        tagged_existing = False
        for existing in sorted(affected.values(), key=lambda e: self._position[id(e)]):
            if existing.tag == entry.tag and existing.digest == entry.digest:
                return
            if entry.tag and existing.tag == entry.tag and existing.digest != entry.digest:
                self._set_tag(existing, "")
            if entry.tag and not existing.tag and existing.digest == entry.digest:
                self._set_tag(existing, entry.tag)
                tagged_existing = True
        if not tagged_existing:
            self._append(ArtifactEntry(repository, entry.tag, entry.digest, entry.media_type))

    def remove_tag(self, repository: str, tag: str) -> bool:
        """Remove the entry tagged ``tag`` in ``repository``; whether there was one."""
        tagged = self._by_tag.get((repository, tag))
        if not tag or not tagged:
            return False
        entry = tagged.pop(0)
        self.entries.remove(entry)
        self._by_repository[repository].remove(entry)
        self._by_digest[(repository, entry.digest)].remove(entry)
        self._json.pop(id(entry), None)
        del self._position[id(entry)]
        return True

    def find_tag(self, repository: str, tag: str) -> ArtifactEntry | None:
        """The entry tagged ``tag`` in ``repository``, if any."""
        tagged = self._by_tag.get((repository, tag))
        return tagged[0] if tag and tagged else None

    def find_digest(self, repository: str, digest: str) -> ArtifactEntry | None:
        """The first entry of ``repository`` pointing at ``digest``, if any."""
        found = self._by_digest.get((repository, digest))
        return found[0] if found else None

    def tags(self, repository: str) -> list[str]:
        """The tags of ``repository``, in index order."""
        return [e.tag for e in self._by_repository.get(repository, ()) if e.tag]

    def repositories(self) -> Iterator[str]:
        """Every repository with at least one entry, in order of first appearance."""
        return (repository for repository, entries in self._by_repository.items() if entries)

    def to_json(self) -> bytes:
        """The ``artifact-index.json`` bytes Go v2 writes for this index.

        Each entry's JSON is kept until the entry changes, so writing the index after one
        change costs a join, not a re-encoding of every entry.
        """
        if not self.entries:
            return marshal({"schemaVersion": SCHEMA_VERSION, "artifacts": None})
        parts = []
        for entry in self.entries:
            encoded = self._json.get(id(entry))
            if encoded is None:
                encoded = self._json[id(entry)] = marshal(entry.to_go())
            parts.append(encoded)
        return b'{"schemaVersion":%d,"artifacts":[%s]}' % (SCHEMA_VERSION, b",".join(parts))

    @classmethod
    def parse(cls, raw: bytes, source: str) -> ArtifactIndex:
        """Read ``artifact-index.json`` bytes; ``source`` names the file in errors."""
        if not raw.strip():
            return cls()
        try:
            data = json.loads(raw)
        except ValueError as e:
            raise OCMError(f"{source} is not valid JSON: {e}") from None
        if not isinstance(data, dict):
            raise OCMError(f"{source} is not a JSON object")
        version = data.get("schemaVersion")
        if version != SCHEMA_VERSION or isinstance(version, bool):
            raise OCMError(
                f"{source} has schemaVersion {version!r}; only {SCHEMA_VERSION} is supported"
            )
        artifacts = data.get("artifacts") or []
        if not isinstance(artifacts, list):
            raise OCMError(f"{source}: artifacts must be a list")
        entries = []
        for position, item in enumerate(artifacts):
            entries.append(_read_entry(item, f"{source}: artifacts[{position}]"))
        return cls(entries)


def _read_entry(item: object, where: str) -> ArtifactEntry:
    if not isinstance(item, dict):
        raise OCMError(f"{where} is not a JSON object")
    values = {}
    for key in ("repository", "tag", "digest", "mediaType"):
        value = item.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise OCMError(f"{where}.{key} must be a string")
        values[key] = value
    if not values["repository"]:
        raise OCMError(f"{where} has no repository")
    return ArtifactEntry(values["repository"], values["tag"], values["digest"], values["mediaType"])
