"""The entry-list encoding of jsonNormalisation/v1, with Go's json.Marshal escaping."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pyocm.errors import ValidationError
from pyocm.normalise.entry_list import entry_list_json


# Examples from open-component-model/ocm api/tech/signing/normalization_test.go
# ("simple lists", "list of maps", "simple map", "map with maps", "list of plain values",
# "list of complex values", the YAML "list of maps" case, and ExcludeEmpty giving ``[]``).
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["bob", "alice"], '["bob","alice"]'),
        ([{"bob": 26}, {"alice": 25}], '[[{"bob":26}],[{"alice":25}]]'),
        ({"bob": 26, "alice": 25}, '[{"alice":25},{"bob":26}]'),
        ({"people": {"bob": 26, "alice": 25}}, '[{"people":[{"alice":25},{"bob":26}]}]'),
        ({"list": ["alice", "bob"]}, '[{"list":["alice","bob"]}]'),
        ({"list": [{"alice": 25}, {"bob": 26}]}, '[{"list":[[{"alice":25}],[{"bob":26}]]}]'),
        ({}, "[]"),
        (
            {
                "resources": [
                    {
                        "access": {
                            "localReference": "blob",
                            "mediaType": "text/plain",
                            "referenceName": "ref",
                            "type": "localBlob",
                        },
                        "extraIdentity": {"additional": "value", "other": "othervalue"},
                        "name": "elem1",
                        "relation": "local",
                        "type": "elemtype",
                        "version": 1,
                    }
                ]
            },
            '[{"resources":[[{"access":[{"localReference":"blob"},{"mediaType":"text/plain"},'
            '{"referenceName":"ref"},{"type":"localBlob"}]},{"extraIdentity":[{"additional":"value"},'
            '{"other":"othervalue"}]},{"name":"elem1"},{"relation":"local"},{"type":"elemtype"},'
            '{"version":1}]]}]',
        ),
    ],
)
def test_legacy_engine_examples(value: Any, expected: str) -> None:
    assert entry_list_json(value).decode() == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<a href='x'>&</a>", "\"\\u003ca href='x'\\u003e\\u0026\\u003c/a\\u003e\""),
        ("\u2028\u2029", '"\\u2028\\u2029"'),
        ("\b\t\n\f\r", '"\\b\\t\\n\\f\\r"'),
        ("\x00\x1f\x7f", '"\\u0000\\u001f\x7f"'),
        ('"\\', '"\\"\\\\"'),
        ("é€😀", '"é€😀"'),
        ("\udc00", '"\ufffd"'),
    ],
)
def test_strings_use_go_escaping(text: str, expected: str) -> None:
    assert entry_list_json({"k": text}) == f'[{{"k":{expected}}}]'.encode()


def test_keys_are_escaped_too() -> None:
    assert entry_list_json({"a<b": 1}) == b'[{"a\\u003cb":1}]'


def test_keys_sort_by_utf8_bytes() -> None:
    # Byte order of UTF-8 is code point order: U+FB01 before U+1F600, unlike UTF-16 order.
    value = {"\U0001f600": 1, "\ufb01": 2, "B": 3, "a": 4}
    assert entry_list_json(value).decode() == '[{"B":3},{"a":4},{"ﬁ":2},{"😀":1}]'


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (-0.0, "-0"),
        (0, "0"),
        (1.0, "1"),
        (1e-7, "1e-7"),
        (1e21, "1e+21"),
        (2**64, "18446744073709552000"),
    ],
)
def test_numbers_are_go_float64(number: float, expected: str) -> None:
    assert entry_list_json([number]).decode() == f"[{expected}]"


def test_non_finite_numbers_are_rejected_with_their_path() -> None:
    with pytest.raises(ValidationError) as info:
        entry_list_json({"a": [math.nan]})
    assert [v.path for v in info.value.violations] == ["a[0]"]


def as_entries(value: Any) -> Any:
    """The expected structure, written independently: objects as sorted one-key objects."""
    if isinstance(value, dict):
        return [{k: as_entries(value[k])} for k in sorted(value)]
    if isinstance(value, list):
        return [as_entries(v) for v in value]
    return value


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)


@given(json_values)
def test_output_is_json_of_the_entry_structure(value: Any) -> None:
    decoded = json.loads(entry_list_json(value), parse_int=float)  # numbers as Go reads them
    assert decoded == as_entries(value)


@given(st.text())
def test_no_html_or_line_separator_characters_appear_raw(text: str) -> None:
    out = entry_list_json([text]).decode()
    assert not set("<>&\u2028\u2029") & set(out)
    assert json.loads(out) == [text]
