"""The compiled schema check agrees with jsonschema on every document it is shown.

Validation answers "valid?" with a check compiled from the schema and asks jsonschema only to
name the violations of a document found invalid.  If the two ever disagreed, an invalid
document would pass unreported (or a valid one be rejected with no violation to show), so
they are compared here on the reference vectors, the test fixtures, and many mutations of
them: each value replaced by values of every JSON kind (and by near misses of the patterns,
lengths and formats the schema checks), each key removed, an unknown key added everywhere.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from test_descriptor_vectors import DESCRIPTORS
from test_v3alpha1_validate import V3_DOCUMENT

from pyocm.descriptor import parse_document
from pyocm.descriptor.validate import _fast_check, _validator

REPLACEMENTS: list[Any] = [
    None,
    True,
    0,
    1,
    -1,
    1.0,
    1.5,
    "",
    "x",
    "1.0.0",
    "acme.org/app",
    "sha256:ab",
    "v2",
    "local",
    "external",
    "2025-03-18T11:47:12Z",
    "2025-02-30T11:47:12Z",
    "2025-03-18 11:47:12",
    "acme.org/app\n",
    "1.0.0\n",
    "\u0661.0.0",
    "A" * 300,
    [],
    ["x"],
    [{}],
    {},
    {"name": "x"},
    {"name": "x", "value": 1},
    {"type": "x"},
]


def _locations(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _locations(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _locations(value, (*path, i))


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


def _mutations(document: dict[str, Any]) -> Iterator[Any]:
    yield document
    for path in list(_locations(document)):
        if path:
            for value in REPLACEMENTS:
                changed = copy.deepcopy(document)
                _at(changed, path[:-1])[path[-1]] = value
                yield changed
            changed = copy.deepcopy(document)
            del _at(changed, path[:-1])[path[-1]]
            yield changed
        if isinstance(_at(document, path), dict):
            changed = copy.deepcopy(document)
            _at(changed, path)["unknownField"] = "x"
            yield changed


def _documents() -> list[tuple[str, str, Any]]:
    found: list[tuple[str, str, Any]] = [
        (name, "v2", parse_document(text)) for name, text in DESCRIPTORS
    ]
    found.append(("v3alpha1 fixture", "v3alpha1", V3_DOCUMENT))
    labels = {"labels": [{"name": "a", "value": {"b": [1, 2.5, None]}, "signing": True}]}
    found.append(("labels", "labels", labels))
    return found


@pytest.mark.parametrize(("name", "schema", "document"), _documents(), ids=lambda x: str(x)[:40])
def test_the_compiled_check_agrees_with_jsonschema(name: str, schema: str, document: Any) -> None:
    fast = _fast_check(schema)
    assert fast is not None, "the compiled check must know every keyword of the schema"
    full = _validator(schema)
    checked = disagreements = 0
    shown: list[str] = []
    for mutated in _mutations(document):
        checked += 1
        expected = not any(True for _ in full.iter_errors(mutated))
        if fast(mutated) != expected:
            disagreements += 1
            shown.append(json.dumps(mutated, default=str)[:300])
    assert disagreements == 0, shown[:3]
    assert checked > 50


def test_the_compiled_check_rejects_what_the_schema_rejects_in_a_large_document() -> None:
    """One bad resource among many is found (the fast pass is not sampling)."""
    base = parse_document(DESCRIPTORS[0][1])
    resources = base["component"]["resources"]
    assert resources
    big = copy.deepcopy(base)
    big["component"]["resources"] = [
        {**copy.deepcopy(resources[0]), "name": f"r{i}"} for i in range(500)
    ]
    fast = _fast_check("v2")
    assert fast is not None
    assert fast(big)
    big["component"]["resources"][377]["relation"] = "somewhere"
    assert not fast(big)
