"""A deterministic corpus of component descriptors for the normalised-digest interop tests.

Each entry is the exact YAML text of a descriptor (schema v2, one ``ocm.software/v3alpha1``),
written into a CTF byte for byte by :func:`write_ctf`, so the Go tools and pyocm read the same
bytes.  The corpus is an explicit list of edge cases plus descriptors drawn by a seeded random
generator; neither depends on pyocm.  The text is YAML flow style (JSON-like, with ``Plain``
scalars where the YAML 1.1 reading of a bare word is the point) or, for a few cases, block
YAML written out by hand.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEED = 20261208
RANDOM_COUNT = 40
HEX = "0123456789abcdef"


@dataclass(frozen=True)
class Plain:
    """A scalar written as it stands (unquoted), so the YAML reader decides its type."""

    text: str


@dataclass(frozen=True)
class Entry:
    """One corpus descriptor: why it is there, its component name and version, its YAML text."""

    key: str
    name: str
    version: str
    text: str

    @property
    def ref(self) -> str:
        return f"{self.name}:{self.version}"


def flow(value: Any) -> str:
    """``value`` as YAML flow text: strings double-quoted (JSON escapes), ``Plain`` verbatim."""
    if isinstance(value, Plain):
        return value.text
    if isinstance(value, dict):
        return "{" + ", ".join(f"{flow(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    text = json.dumps(value, ensure_ascii=False)
    return "".join(f"\\u{ord(c):04x}" if c in _YAML_UNPRINTABLE else c for c in text)


_YAML_UNPRINTABLE = frozenset("\x7f\x85\u2028\u2029\ufeff")
"""Characters JSON leaves as they are but a YAML reader must see escaped."""


def document(component: dict[str, Any], signatures: list[Any] | None = None) -> str:
    doc: dict[str, Any] = {"meta": {"schemaVersion": "v2"}, "component": component}
    if signatures:
        doc["signatures"] = signatures
    return "\n".join(f"{flow(k)}: {flow(v)}" for k, v in doc.items()) + "\n"


def component(name: str, version: str = "1.0.0", **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": name,
        "version": version,
        "provider": "acme",
        "repositoryContexts": [],
        "resources": [],
        "sources": [],
        "componentReferences": [],
    }
    out.update(fields)
    return out


def hexdigest(seed: str) -> str:
    rnd = random.Random(seed)
    return "".join(rnd.choice(HEX) for _ in range(64))


def digest(seed: str, normalisation: str = "genericBlobDigest/v1") -> dict[str, Any]:
    return {
        "hashAlgorithm": "SHA-256",
        "normalisationAlgorithm": normalisation,
        "value": hexdigest(seed),
    }


def image(name: str, **fields: Any) -> dict[str, Any]:
    """An external OCI image resource (never fetched: the tools hash the descriptor only)."""
    out: dict[str, Any] = {
        "name": name,
        "version": "1.0.0",
        "type": "ociImage",
        "relation": "external",
        "access": {"type": "ociArtifact", "imageReference": f"ghcr.io/acme/{name}:1.0.0"},
        "digest": digest(name, "ociArtifactDigest/v1"),
    }
    out.update(fields)
    return out


def blob(name: str, **fields: Any) -> dict[str, Any]:
    """A local blob resource (the blob itself is not in the CTF; ``--actual`` hashing)."""
    out: dict[str, Any] = {
        "name": name,
        "version": "1.0.0",
        "type": "plainText",
        "relation": "local",
        "access": {
            "type": "localBlob",
            "localReference": "sha256:" + hexdigest(name),
            "mediaType": "text/plain",
        },
        "digest": digest(name),
    }
    out.update(fields)
    return out


def none_resource(name: str, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": name,
        "version": "1.0.0",
        "type": "blob",
        "relation": "external",
        "access": {"type": "none"},
    }
    out.update(fields)
    return out


def source(name: str, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": name,
        "version": "1.0.0",
        "type": "git",
        "access": {
            "type": "gitHub",
            "repoUrl": f"github.com/acme/{name}",
            "commit": hexdigest(name)[:40],
        },
    }
    out.update(fields)
    return out


def reference(name: str, with_digest: bool = True, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": name,
        "componentName": f"acme.org/lib/{name}",
        "version": "2.0.0",
    }
    if with_digest:
        out["digest"] = digest(name, "jsonNormalisation/v3")
    out.update(fields)
    return out


def label(name: str, value: Any, **fields: Any) -> dict[str, Any]:
    return {"name": name, "value": value, **fields}


SIGNATURE = {
    "name": "old",
    "digest": digest("old", "jsonNormalisation/v3"),
    "signature": {"algorithm": "RSASSA-PSS", "value": "abcd", "mediaType": "application/x"},
}

_PROVIDER_LABELS = json.dumps(
    {
        "name": "acme",
        "labels": [
            {"name": "team", "value": "blue", "signing": True},
            {"name": "room", "value": {"floor": 3}},
        ],
    }
)

LONG = "0123456789 abcdefghij ÄÖÜ 🚀 " * 400


def explicit() -> list[tuple[str, dict[str, Any], list[Any] | None]]:
    """The hand-picked cases: (key, component fields, signatures)."""
    cases: list[tuple[str, dict[str, Any], list[Any] | None]] = [
        ("empty", {}, None),
        ("provider-null-string", {"provider": "null"}, None),
        ("provider-null-with-whitespace", {"provider": " null\n"}, None),
        ("provider-null-yaml-word", {"provider": "NULL"}, None),
        ("provider-null-nbsp", {"provider": "null\u00a0"}, None),
        ("provider-quoted-json-string", {"provider": '""'}, None),
        ("provider-number-text", {"provider": "123"}, None),
        ("provider-json-object", {"provider": '{"name":"json-acme"}'}, None),
        ("provider-json-object-leading-space", {"provider": ' {"name":"spaced"}'}, None),
        ("provider-with-labels", {"provider": _PROVIDER_LABELS}, None),
        ("provider-unicode", {"provider": "Äcme 🚀 ⌘"}, None),
        ("provider-plain-yes", {"provider": Plain("acme-yes")}, None),
        (
            "labels-nested",
            {
                "labels": [
                    label("deep", {"a": {"b": [1, {"c": None}, [True, False]]}, "z": "x"}),
                    label("signed", {"k": [None, 1.5, "s"]}, signing=True),
                ]
            },
            None,
        ),
        (
            "labels-null-values",
            {
                "labels": [
                    label("null", None, signing=True),
                    label("map-with-null", {"a": None, "b": 1}, signing=True),
                    label("list-with-null", [None, None], signing=True),
                ]
            },
            None,
        ),
        (
            "labels-version-and-merge",
            {
                "labels": [
                    label("v", "x", version="v1", signing=True),
                    label("m", {"a": 1}, merge={"algorithm": "default"}, signing=True),
                    label("unsigned", "u", version="v2"),
                ]
            },
            None,
        ),
        (
            "labels-unicode-beyond-bmp",
            {
                "labels": [
                    label("emoji", "😀🧬𝄞 \U0001f600", signing=True),
                    label("key-😀", {"🔑": "𐍈"}, signing=True),
                    label("escaped", Plain('"\\U0001F680 and \\u00e9"'), signing=True),
                ]
            },
            None,
        ),
        (
            "labels-numbers",
            {
                "labels": [
                    label(
                        "ints",
                        [
                            0,
                            -1,
                            Plain("9007199254740993"),
                            Plain("9223372036854775807"),
                            Plain("18446744073709551615"),
                            Plain("123456789012345678901234567890"),
                        ],
                        signing=True,
                    ),
                    label(
                        "floats",
                        [
                            Plain("1.0"),
                            Plain("1.5e300"),
                            Plain("0.1"),
                            Plain("-0.0"),
                            Plain("1e-7"),
                            Plain("100000000000000000000000.0"),
                            Plain("3.141592653589793238462643"),
                        ],
                        signing=True,
                    ),
                ]
            },
            None,
        ),
        (
            "labels-yaml11-scalars",
            {
                "labels": [
                    label(
                        "words",
                        [
                            Plain("yes"),
                            Plain("No"),
                            Plain("on"),
                            Plain("OFF"),
                            Plain("y"),
                            Plain("n"),
                            Plain("~"),
                            Plain("Null"),
                        ],
                        signing=True,
                    ),
                    label(
                        "numbers",
                        [
                            Plain("0x1F"),
                            Plain("0o17"),
                            Plain("017"),
                            Plain("1_000"),
                            Plain("0b101"),
                            Plain("1e3"),
                            Plain(".5"),
                            Plain("+12"),
                            Plain("08"),
                        ],
                        signing=True,
                    ),
                    label(
                        "strings",
                        [
                            Plain("10:30"),
                            Plain("2024-01-01"),
                            Plain("2001-12-14t21:59:43.10-05:00"),
                            Plain("1e400"),
                            Plain("="),
                        ],
                        signing=True,
                    ),
                    label(
                        "map-keys",
                        {Plain("1.50"): "x", Plain("0x1F"): "y", Plain("yes"): "z"},
                        signing=True,
                    ),
                ]
            },
            None,
        ),
        (
            "labels-html-and-control",
            {
                "labels": [
                    label("html", "<a href='x'>&amp;</a>", signing=True),
                    label("ctrl", "tab\tnl\ncr\r\u0001\u007f\u2028\u2029", signing=True),
                ]
            },
            None,
        ),
        ("long-strings", {"labels": [label("long", LONG, signing=True)]}, None),
        ("creation-time-utc", {"creationTime": "2024-05-01T08:00:01Z"}, None),
        ("creation-time-fraction", {"creationTime": "2024-05-01T08:00:01.123456789Z"}, None),
        ("creation-time-offset", {"creationTime": "2024-05-01T10:00:01+02:00"}, None),
        ("creation-time-plain", {"creationTime": Plain("2024-05-01T08:00:01Z")}, None),
        (
            "extra-identities",
            {
                "resources": [
                    image("img", extraIdentity={"arch": "amd64", "os": "linux"}),
                    image("img", extraIdentity={"arch": "arm64", "os": "linux"}),
                    image("img2", extraIdentity={"version": "0.9", "emoji": "😀 ü"}),
                ]
            },
            None,
        ),
        (
            "same-name-different-versions",
            {"resources": [image("dup", version="1.0.0"), image("dup", version="2.0.0")]},
            None,
        ),
        (
            "references-with-and-without-digests",
            {
                "componentReferences": [
                    reference("ra"),
                    reference("rb", with_digest=False),
                    reference("rc", extraIdentity={"flavour": "mint"}, labels=[label("l", 1)]),
                    reference(
                        "rd", with_digest=False, labels=[label("s", {"x": None}, signing=True)]
                    ),
                ]
            },
            None,
        ),
        (
            "none-accesses",
            {
                "resources": [
                    none_resource("n1"),
                    none_resource("n2", digest=digest("n2")),
                    {**none_resource("n3"), "access": {"type": "None"}},
                    image("with-digest"),
                ]
            },
            None,
        ),
        (
            "resources-without-digests",
            {"resources": [{**image("nodigest"), "digest": None}, blob("nd-blob", digest=None)]},
            None,
        ),
        (
            "resource-labels-and-srcrefs",
            {
                "resources": [
                    blob(
                        "res",
                        labels=[label("a", 1, signing=True), label("b", "unsigned")],
                        srcRefs=[{"identitySelector": {"name": "src"}, "labels": []}],
                    )
                ],
                "sources": [source("src", labels=[label("s", [1, 2], signing=True)])],
            },
            None,
        ),
        (
            "signatures-and-repository-contexts",
            {
                "repositoryContexts": [
                    {"type": "OCIRegistry", "baseUrl": "ghcr.io", "subPath": "acme"}
                ],
                "resources": [image("signed")],
            },
            [SIGNATURE],
        ),
        (
            "build-version",
            {"resources": [image("build", version="1.0.0+build.7")]},
            None,
        ),
        (
            "relation-and-types",
            {
                "resources": [
                    image("helm", type="helmChart"),
                    blob("dir", type="directoryTree", relation="local"),
                ]
            },
            None,
        ),
        (
            "many-elements",
            {
                "resources": [image(f"r{i:02d}") for i in range(40)],
                "sources": [source(f"s{i:02d}") for i in range(10)],
                "componentReferences": [reference(f"ref{i:02d}", i % 2 == 0) for i in range(10)],
            },
            None,
        ),
        (
            "component-labels-unsigned-only",
            {"labels": [label("a", 1), label("b", {"c": "d"})]},
            None,
        ),
    ]
    return cases


def _random_value(rnd: random.Random, depth: int) -> Any:
    kind = rnd.randrange(10 if depth < 3 else 7)
    if kind == 0:
        return None
    if kind == 1:
        return rnd.choice([True, False])
    if kind == 2:
        return rnd.choice([rnd.randint(-1000, 1000), rnd.randint(-(2**62), 2**62)])
    if kind == 3:
        return Plain(repr(rnd.uniform(-1e6, 1e6)))
    if kind == 4:
        return rnd.choice(["", "x", "naïve", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "line\nbreak", "yes", "1.0", "null"])
    if kind == 5:
        return Plain(rnd.choice(["yes", "off", "0x10", "1_0", "~", ".5", "2e2", "0o7"]))
    if kind == 6:
        return "".join(rnd.choice("abcÄ😀 \"'\\") for _ in range(rnd.randrange(1, 20)))
    if kind in (7, 8):
        return {
            f"k{i}{rnd.choice(['', 'é', '🧪'])}": _random_value(rnd, depth + 1)
            for i in range(rnd.randrange(4))
        }
    return [_random_value(rnd, depth + 1) for _ in range(rnd.randrange(4))]


def _random_labels(rnd: random.Random) -> list[dict[str, Any]]:
    out = []
    for i in range(rnd.randrange(4)):
        item = label(f"label{i}", _random_value(rnd, 0))
        if rnd.random() < 0.5:
            item["signing"] = True
        if rnd.random() < 0.2:
            item["version"] = f"v{rnd.randrange(3)}"
        out.append(item)
    return out


def _random_component(rnd: random.Random, name: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if rnd.random() < 0.5:
        fields["labels"] = _random_labels(rnd)
    if rnd.random() < 0.3:
        fields["creationTime"] = rnd.choice(
            ["2023-01-02T03:04:05Z", "2025-12-31T23:59:59.5Z", "2024-02-29T12:00:00+05:30"]
        )
    if rnd.random() < 0.2:
        fields["provider"] = rnd.choice(["acme 🚀", "null", '{"name":"p"}', "ACME Inc."])
    resources = []
    for i in range(rnd.randrange(5)):
        make = rnd.choice([image, blob, none_resource])
        extra: dict[str, Any] = {}
        if rnd.random() < 0.3:
            extra["labels"] = _random_labels(rnd)
        if rnd.random() < 0.2:
            extra["extraIdentity"] = {"arch": rnd.choice(["amd64", "arm64"]), "idx": str(i)}
        if make is not none_resource and rnd.random() < 0.15:
            extra["digest"] = None
        resources.append(make(f"res{i}", **extra))
    sources = [source(f"src{i}", labels=_random_labels(rnd)) for i in range(rnd.randrange(3))]
    references = []
    for i in range(rnd.randrange(3)):
        extra = {"labels": _random_labels(rnd)} if rnd.random() < 0.4 else {}
        references.append(reference(f"ref{i}", rnd.random() < 0.6, **extra))
    return component(
        name,
        rnd.choice(["1.0.0", "0.1.0-rc.1", "2.3.4+build.5", "v1.2.3"]),
        resources=resources,
        sources=sources,
        componentReferences=references,
        **fields,
    )


BLOCK_YAML = """\
meta:
  schemaVersion: v2
component:
  name: {name}
  version: 1.0.0
  provider: acme
  creationTime: 2024-05-01T08:00:01Z
  repositoryContexts: []
  labels:
  - name: literal
    signing: true
    value: |
      line one
        indented 😀
      last
  - name: folded
    signing: true
    value: >-
      folded
      text
  - name: anchors
    signing: true
    value:
      base: &base {{a: 1, b: yes}}
      merged:
        <<: *base
        b: 2
  - name: empty-plain
    signing: true
    value:
  resources:
  - name: res
    version: 1.0.0
    type: plainText
    relation: local
    access:
      type: localBlob
      localReference: sha256:{hex}
      mediaType: text/plain
    digest:
      hashAlgorithm: SHA-256
      normalisationAlgorithm: genericBlobDigest/v1
      value: {hex}
  sources: []
  componentReferences: []
"""

V3ALPHA1_YAML = """\
apiVersion: ocm.software/v3alpha1
kind: ComponentVersion
metadata:
  name: {name}
  version: 1.0.0
  provider:
    name: {provider}
    labels:
    - name: p
      value: 1
      signing: true
  labels:
  - name: l
    value: {{a: [1, null]}}
    signing: true
repositoryContexts: []
spec:
  resources:
  - name: res
    version: 1.0.0
    type: ociImage
    relation: external
    access:
      type: ociArtifact
      imageReference: ghcr.io/acme/r:1.0.0
    digest:
      hashAlgorithm: SHA-256
      normalisationAlgorithm: ociArtifactDigest/v1
      value: {hex}
  sources: []
  references:
  - name: ref
    componentName: acme.org/lib
    version: 1.0.0
"""


def corpus() -> list[Entry]:
    """Every corpus descriptor, in a fixed order."""
    entries = []
    for i, (key, fields, signatures) in enumerate(explicit()):
        name = f"acme.org/corpus/e{i:03d}"
        fields = dict(fields)
        version = "1.0.0"
        data = component(name, version, **fields)
        entries.append(Entry(key, name, version, document(data, signatures)))
    rnd = random.Random(SEED)
    for i in range(RANDOM_COUNT):
        name = f"acme.org/corpus/r{i:03d}"
        data = _random_component(rnd, name)
        entries.append(Entry(f"random-{i:03d}", name, data["version"], document(data)))
    name = "acme.org/corpus/block"
    text = BLOCK_YAML.format(name=name, hex=hexdigest("block"))
    entries.append(Entry("block-yaml", name, "1.0.0", text))
    for i, provider in enumerate(["acme", "null", ' {"name":"inner"}']):
        name = f"acme.org/corpus/v3alpha1-{i}"
        text = V3ALPHA1_YAML.format(name=name, provider=flow(provider), hex=hexdigest(name))
        entries.append(Entry(f"v3alpha1-provider-{provider.strip()[:6]}", name, "1.0.0", text))
    return entries


def write_ctf(entries: list[Entry], root: Path) -> None:
    """A CTF directory holding each entry's text, unchanged, as its descriptor layer.

    The layer is the ``+yaml+tar`` form that both Go tools read; the manifest, config and
    index around it are written with pyocm's OCI store (they carry no descriptor content).
    """
    from pyocm.oci import digests
    from pyocm.oci import mediatypes as oci_types
    from pyocm.oci.manifest import Descriptor as OCIDescriptor
    from pyocm.oci.manifest import image_manifest
    from pyocm.repository import mapping
    from pyocm.repository import mediatypes as ocm_types
    from pyocm.repository.ctf.ocistore import CTFStore

    root.mkdir(parents=True, exist_ok=True)
    store = CTFStore(root, writable=True)
    for entry in entries:
        repository = mapping.component_repository(entry.name)
        layer = store.put_bytes(repository, mapping.descriptor_tar(entry.text.encode("utf-8")))
        layer = OCIDescriptor(ocm_types.DESCRIPTOR_YAML_TAR, layer.digest, layer.size)
        config = store.put_bytes(repository, mapping.component_config(layer))
        config = OCIDescriptor(ocm_types.COMPONENT_CONFIG, config.digest, config.size)
        annotations = mapping.manifest_annotations(entry.name, entry.version, "corpus")
        raw = image_manifest(config, [layer], annotations=annotations, artifact_type="")
        top = OCIDescriptor(
            oci_types.IMAGE_MANIFEST,
            digests.digest_bytes(raw),
            len(raw),
            annotations=annotations,
        )
        store.publish(
            repository, [(top, raw)], mapping.version_to_tag(entry.version), replace=False
        )
