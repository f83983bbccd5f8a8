"""Canonical JSON (RFC 8785) as the Go tools write it."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from pyocm.errors import ValidationError
from pyocm.normalise import canonical_json
from pyocm.normalise.jcs import es6_number


# Examples from open-component-model/open-component-model
# bindings/go/descriptor/normalisation/engine/jcs/normalise_test.go (TestNormalise) and
# open-component-model/ocm api/tech/signing/normalization_test.go (JCS keeps nulls).
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({}, "{}"),
        ([], "[]"),
        ({"a": 1, "b": "2", "c": True}, '{"a":1,"b":"2","c":true}'),
        ({"a": {"b": 1}}, '{"a":{"b":1}}'),
        ([1, "2", True, None], '[1,"2",true,null]'),
        ({"a": [1, 2, 3]}, '{"a":[1,2,3]}'),
        ({"list": None, "empty": []}, '{"empty":[],"list":null}'),
    ],
)
def test_go_engine_examples(value: Any, expected: str) -> None:
    assert canonical_json(value).decode() == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0, "0"),
        (-0.0, "0"),
        (1.0, "1"),
        (-1.5, "-1.5"),
        (100, "100"),
        (0.1, "0.1"),
        (1e-6, "0.000001"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (123456789.125, "123456789.125"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (1.2345e25, "1.2345e+25"),
        (2**53 - 1, "9007199254740991"),
        (2**53, "9007199254740992"),
        (2**53 + 1, "9007199254740992"),
        (12345678901234567890, "12345678901234567000"),
        (-(10**21), "-1e+21"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (333333333.3333333, "333333333.3333333"),
    ],
)
def test_numbers_are_float64_in_es6_notation(number: float, expected: str) -> None:
    assert es6_number(number) == expected
    assert canonical_json([number]).decode() == f"[{expected}]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('a"b\\c', '"a\\"b\\\\c"'),
        ("\b\t\n\f\r", '"\\b\\t\\n\\f\\r"'),
        ("\x00\x01\x1f", '"\\u0000\\u0001\\u001f"'),
        ("<>&\x7f\u2028\u2029é€😀", '"<>&\x7f\u2028\u2029é€😀"'),
        ("\ud800x", '"\ufffdx"'),
    ],
)
def test_strings_escape_only_quote_backslash_and_controls(text: str, expected: str) -> None:
    assert canonical_json(text) == expected.encode("utf-8")


def test_keys_sort_by_utf16_code_units() -> None:
    # U+1F600 is the surrogate pair D83D DE00, which sorts before U+FB01 in UTF-16
    # although it follows it in code point order.
    value = {"\ufb01": 1, "\U0001f600": 2, "b": 3, "a": 4, "\u00e9": 5}
    assert canonical_json(value).decode() == '{"a":4,"b":3,"é":5,"😀":2,"ﬁ":1}'


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"a": [1, math.nan]}, "a[1]"),
        ({"a": {"b": math.inf}}, "a.b"),
        ([-math.inf], "[0]"),
        ({"x": 10**400}, "x"),
        ({"x": {1: "one"}}, "x"),
        ({"x": b"bytes"}, "x"),
    ],
)
def test_values_json_cannot_hold_are_rejected_with_their_path(value: Any, path: str) -> None:
    with pytest.raises(ValidationError) as info:
        canonical_json(value)
    assert [v.path for v in info.value.violations] == [path]


LIMIT = 10**30

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-LIMIT, max_value=LIMIT)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)


def as_float64(value: Any) -> Any:
    """The value as Go holds it: integers that float64 cannot represent exactly become floats."""
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int):
        return float(value) if abs(value) >= 2**53 else value
    if isinstance(value, list):
        return [as_float64(v) for v in value]
    return {k: as_float64(v) for k, v in value.items()}


@given(json_values)
def test_matches_the_rfc8785_package(value: Any) -> None:
    assert canonical_json(value) == rfc8785.dumps(as_float64(value))


@given(json_values)
def test_output_is_json_that_reads_back_as_the_float64_value(value: Any) -> None:
    out = canonical_json(value)
    decoded = json.loads(out, parse_int=float)  # numbers as Go decodes them: float64
    assert decoded == as_float64(value)
    assert canonical_json(decoded) == out


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_finite_float_round_trips(number: float) -> None:
    assert float(es6_number(number)) == number
