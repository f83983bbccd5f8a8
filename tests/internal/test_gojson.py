"""The Go-JSON writer: bytes as Go's ``encoding/json`` and ``strconv.FormatFloat`` write them.

The expected texts were printed by Go 1.26 (``json.Marshal``, ``json.MarshalIndent(v, "",
"  ")`` and ``strconv.FormatFloat(f, 'g', -1, 64|32)``).
"""

from __future__ import annotations

import doctest
import importlib
import math

import pytest

from pyocm._internal.gojson import format_float, marshal, sorted_map
from pyocm.errors import OCMError


def test_html_characters_and_line_separators_are_escaped() -> None:
    assert (
        marshal({"a": "<&>\u2028\u2029é"}) == b'{"a":"\\u003c\\u0026\\u003e\\u2028\\u2029\xc3\xa9"}'
    )


def test_control_characters_are_escaped_as_go_does() -> None:
    assert marshal("\x01\b\f\n\t") == b'"\\u0001\\b\\f\\n\\t"'


def test_integer_keys_are_written_in_decimal() -> None:
    assert marshal({2: "b", 10: "a"}, sort_keys=True) == b'{"10":"a","2":"b"}'


def test_fields_keep_their_order_unless_keys_are_sorted() -> None:
    assert marshal({"b": 1, "a": [True, None]}) == b'{"b":1,"a":[true,null]}'
    assert marshal({"b": 1, "a": {"d": 1, "c": 2}}, sort_keys=True) == (
        b'{"a":{"c":2,"d":1},"b":1}'
    )
    assert list(sorted_map({"b": 1, "a": 2})) == ["a", "b"]


def test_indented_as_marshal_indent() -> None:
    value = {"b": [1, {}], "a": [], "c": "<&>\u2028\u2029é\x01\b\f"}
    assert (
        marshal(value, sort_keys=True, indent=2)
        == (
            '{\n  "a": [],\n  "b": [\n    1,\n    {}\n  ],\n'
            '  "c": "\\u003c\\u0026\\u003e\\u2028\\u2029é\\u0001\\b\\f"\n}'
        ).encode()
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, "1"),
        (1e-7, "1e-7"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (0.000001, "0.000001"),
        (-0.0, "-0"),
        (-2.5e-10, "-2.5e-10"),
        (123456789.0, "123456789"),
        (1e-5, "0.00001"),
        (3.4e39, "3.4e+39"),
    ],
)
def test_floats_as_json_marshal(value: float, expected: str) -> None:
    assert marshal(value) == expected.encode()


@pytest.mark.parametrize(
    ("value", "g64", "g32"),
    [
        (1.0, "1", "1"),
        (1e-7, "1e-07", "1e-07"),
        (1e20, "1e+20", "1e+20"),
        (123456789.0, "1.23456789e+08", "1.2345679e+08"),
        (1e6, "1e+06", "1e+06"),
        (0.0001, "0.0001", "0.0001"),
        (1e-5, "1e-05", "1e-05"),
        (1.1, "1.1", "1.1"),
        (-0.0, "-0", "-0"),
        (3.4e39, "3.4e+39", "+Inf"),
        (math.nan, "NaN", "NaN"),
    ],
)
def test_format_float_as_strconv(value: float, g64: str, g32: str) -> None:
    assert (format_float(value), format_float(value, 32)) == (g64, g32)


@pytest.mark.parametrize(
    "value", [math.nan, math.inf, object(), {("a",): 1}, {1.5: "x"}, {True: 1}]
)
def test_what_go_cannot_write_is_an_error(value: object) -> None:
    with pytest.raises(OCMError):
        marshal(value)


@pytest.mark.parametrize(
    "name",
    [
        "pyocm._internal",
        "pyocm._internal.gojson",
        "pyocm._internal.goyaml",
        "pyocm._internal.goyaml_write",
    ],
)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
