"""YAML scalars mean what they mean to the Go tools, because label values are signed.

The authority is the YAML layer both Go CLIs use: sigs.k8s.io/yaml v1.6.0 (pinned in NG
bindings/go/go.mod, cli/go.mod and LEG go.mod) over go.yaml.in/yaml/v2 v2.4.4, whose
resolve.go is byte-identical to gopkg.in/yaml.v2 v2.4.0 (reached by LEG through
github.com/ghodss/yaml v1.0.0).  Line numbers below are those of go.yaml.in/yaml/v2@v2.4.4:

* resolve.go:20-30    the first character picks the rule ("hint"); other characters: string
* resolve.go:37-48    the word table: y/Y/yes/on/true..., n/N/no/off/false..., ~/null, .inf, .nan
* resolve.go:132-137  "." first: strconv.ParseFloat(text) or string
* resolve.go:139-191  sign or digit first: underscores removed, then ParseInt(base 0, 64 bit),
                      then ParseUint, then ParseFloat if yamlStyleFloat (line 84) matches
* resolve.go:124-126  no base-60 numbers
* decode.go:474-481   timestamps decode into interface{} as their text
* decode.go:786-815   merge keys, applied where they stand; in a list the earlier maps win

and sigs.k8s.io/yaml@v1.6.0 yaml.go:213-249 (map keys become strings, floats via
FormatFloat(x, 'g', -1, 32)) and yaml.go:174 (json.Marshal, which rejects +Inf and NaN).
Every expected value was read off those lines, then confirmed by running sigs.k8s.io/yaml
v1.6.0's Unmarshal into a struct whose label value is a json.RawMessage, as NG's
descriptor/v2 Label is.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from pyocm.descriptor import Descriptor, Label, dumps, loads, parse_document
from pyocm.errors import OCMError, ValidationError

DOCUMENT = """\
meta:
  schemaVersion: v2
component:
  name: acme.org/app
  version: {version}
  provider: acme
  labels:
  - name: probe
    value: {value}
  repositoryContexts: []
  resources: []
  sources: []
  componentReferences: []
"""


def label_value(written: str) -> Any:
    cd = loads(DOCUMENT.format(version="1.0.0", value=written))
    return cd.component.labels[0].value


BOOLEANS = [
    *[(word, True) for word in ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"]],
    *[(word, True) for word in ["true", "True", "TRUE"]],
    *[(word, False) for word in ["n", "N", "no", "No", "NO", "off", "Off", "OFF"]],
    *[(word, False) for word in ["false", "False", "FALSE"]],
]

INTEGERS = [
    ("0", 0),
    ("-0", 0),
    ("+1", 1),
    ("1_000", 1000),
    ("1__0", 10),
    ("1_", 1),
    ("0777", 511),
    ("00", 0),
    ("0o17", 15),
    ("0O17", 15),
    ("-0o17", -15),
    ("0x1F", 31),
    ("0X1F", 31),
    ("-0x1F", -31),
    ("+0x1F", 31),
    ("0x_1F", 31),
    ("0b1010", 10),
    ("0B101", 5),
    ("-0b101", -5),
    ("9223372036854775807", 9223372036854775807),
    ("-9223372036854775808", -9223372036854775808),
    ("9223372036854775808", 9223372036854775808),  # a uint64
    ("18446744073709551615", 18446744073709551615),
    ("0x8000000000000000", 9223372036854775808),
    ("0xFFFFFFFFFFFFFFFF", 18446744073709551615),
]

FLOATS = [
    ("1e3", 1000.0),
    ("1E3", 1000.0),
    ("1e+3", 1000.0),
    ("1e-3", 0.001),
    ("-1e3", -1000.0),
    ("1.5e3", 1500.0),
    (".5e3", 500.0),
    ("1_0e3", 10000.0),
    ("0778", 778.0),  # not octal, so ParseFloat reads it as a decimal
    ("08", 8.0),
    ("09.5", 9.5),
    ("+.5", 0.5),
    ("-.5", -0.5),
    (".5", 0.5),
    (".5_0", 0.5),
    (".5e1_0", 5e9),
    ("1.", 1.0),
    ("1.10", 1.1),
    ("685.230_15e+03", 685230.15),
    ("1234567.0", 1234567.0),
    ("0.1", 0.1),
    ("1e-400", 0.0),
    ("+18446744073709551615", 18446744073709551615.0),  # ParseUint takes no sign
    ("18446744073709551616", 18446744073709551616.0),
    ("-9223372036854775809", -9223372036854775809.0),
    ("100000000000000000000000", 1e23),
]

STRINGS = [
    "10:30",
    "1:30.5",
    "190:20:30",
    "=",
    "<<",
    "0x",
    "0b",
    "._5",
    ".",
    "nan",
    "NaN",
    "Infinity",
    "yES",
    "tRUE",
    "nUll",
    "1e400",  # ParseFloat overflows: the text stays
    "1.0e+400",
    "0x10000000000000000",
    "1,000",
    "+",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "2001-1-2",
    "2025-03-18T11:47:12Z",
]


@pytest.mark.parametrize(("written", "expected"), BOOLEANS)
def test_booleans_include_the_yaml_1_1_single_letters(written: str, expected: bool) -> None:
    assert label_value(written) is expected


@pytest.mark.parametrize("written", ["~", "null", "Null", "NULL", ""])
def test_null_spellings(written: str) -> None:
    assert label_value(written) is None


@pytest.mark.parametrize(("written", "expected"), INTEGERS)
def test_integers_follow_go_parse_int_with_base_prefixes(written: str, expected: int) -> None:
    value = label_value(written)
    assert type(value) is not bool and isinstance(value, int)
    assert value == expected


@pytest.mark.parametrize(("written", "expected"), FLOATS)
def test_floats_follow_go_parse_float(written: str, expected: float) -> None:
    value = label_value(written)
    assert isinstance(value, float)
    assert value == expected


def test_negative_zero_keeps_its_sign() -> None:
    value = label_value("-0.0")
    assert value == 0.0 and math.copysign(1.0, value) == -1.0


@pytest.mark.parametrize("written", STRINGS)
def test_everything_else_is_the_text_as_written(written: str) -> None:
    assert label_value(written) == written


@pytest.mark.parametrize("written", [".inf", ".Inf", ".INF", "+.inf", "-.inf", ".nan", ".NaN"])
def test_infinity_and_nan_in_free_form_data_reject_the_descriptor(written: str) -> None:
    with pytest.raises(ValidationError) as caught:
        label_value(written)
    assert [v.path for v in caught.value.violations] == ["component.labels[0].value"]


def test_infinity_in_a_string_field_is_text() -> None:
    cd = loads(DOCUMENT.format(version=".inf", value="1"))
    assert cd.component.version == ".inf"


@pytest.mark.parametrize(
    ("written", "expected"),
    [("1e3", "1e3"), ("0o17", "0o17"), ("+.5", "+.5"), ("1_000", "1_000"), ("08", "08")],
)
def test_string_fields_keep_the_text_of_go_only_numbers(written: str, expected: str) -> None:
    assert loads(DOCUMENT.format(version=written, value="1")).component.version == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("{1.10: a}", {"1.1": "a"}),
        ("{0x1F: a}", {"31": "a"}),
        ("{1_000: a}", {"1000": "a"}),
        ("{1e3: a}", {"1000": "a"}),
        ("{1234567.0: a}", {"1.234567e+06": "a"}),  # FormatFloat(x, 'g', -1, 32)
        ("{1e6: a}", {"1e+06": "a"}),
        ("{0.00001: a}", {"1e-05": "a"}),
        ("{123456789.0: a}", {"1.2345679e+08": "a"}),  # float32 digits
        ("{3.5e38: a}", {".inf": "a"}),  # beyond float32
        ("{.inf: a, -.inf: b, .nan: c}", {".inf": "a", "-.inf": "b", ".nan": "c"}),
        ("{y: a, off: b}", {"true": "a", "false": "b"}),
        ("{100000000000000000000000: a}", {"1e+23": "a"}),
        ("{1e400: a}", {"1e400": "a"}),
    ],
)
def test_map_keys_become_the_strings_go_makes(written: str, expected: dict[str, str]) -> None:
    assert label_value(written) == expected


def test_extra_identity_keys_keep_their_text() -> None:
    cd = loads(
        DOCUMENT.format(version="1.0.0", value="1").replace(
            "  resources: []",
            "  resources:\n  - {name: r, version: 1.0.0, type: t, relation: local,"
            " access: {type: none}, extraIdentity: {1.10: x}}",
        )
    )
    assert cd.component.resources[0].extra_identity == {"1.10": "x"}


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ("{~: a}", "must not be null"),
        ("{9223372036854775808: a}", "beyond int64"),
        ("{[1, 2]: a}", "must be a scalar"),
        ("!!int 1e3", "not an integer"),
        ("!!float 9223372036854775808", "not a float"),
        ("!!bool yes please", "not a boolean"),
        ("!!binary '%%%'", "not valid base64"),
    ],
)
def test_values_go_rejects_are_errors(written: str, fragment: str) -> None:
    with pytest.raises(OCMError, match=fragment):
        label_value(written)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("{a: 1, <<: {a: 2, b: 3}}", {"a": 2, "b": 3}),
        ("{<<: {a: 2, b: 3}, a: 1}", {"a": 1, "b": 3}),
        ("{<<: [{a: 1}, {a: 2, b: 2}], b: 3}", {"a": 1, "b": 3}),
        ("{b: 3, <<: [{a: 1}, {a: 2, b: 2}]}", {"a": 1, "b": 2}),
        ('{"<<": {a: 1}}', {"<<": {"a": 1}}),
    ],
)
def test_merge_keys_apply_where_they_stand(written: str, expected: dict[str, Any]) -> None:
    assert label_value(written) == expected


def test_a_merge_through_an_anchor() -> None:
    data = parse_document("base: &b {p: 1, q: 2}\nuse: {q: 3, <<: *b}\n")
    assert data["use"] == {"p": 1, "q": 2}


def test_a_key_y_is_the_key_true() -> None:
    assert parse_document("y: 1\nx: 2\n") == {"true": 1, "x": 2}


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("!!binary aGVsbG8=", "hello"),
        ("!!binary /w==", "\ufffd"),  # Go's JSON encoder replaces each invalid byte
        ("!!str 1e3", "1e3"),
        ("!!float 1", 1.0),
        ('!!int "0x1F"', 31),
        ("!!timestamp 2001-12-14", "2001-12-14"),
        ("!foo 12", "12"),
        ("!!foo bar", "bar"),
        ("!custom {a: 1}", {"a": 1}),
        ("!!set {a, b}", {"a": None, "b": None}),
        ("!!omap [{a: 1}, {b: 2}]", [{"a": 1}, {"b": 2}]),
    ],
)
def test_tags(written: str, expected: Any) -> None:
    assert label_value(written) == expected


def test_only_the_first_document_counts() -> None:
    assert parse_document("a: 1\n---\nb: [unclosed\n") == {"a": 1}


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),
        ("-Infinity", "-Infinity"),
        ("1e400", "1e400"),
        ("123456789012345678901234567890", 1.2345678901234568e29),
        ("18446744073709551615", 18446744073709551615),
        ("1e3", 1000.0),
    ],
)
def test_json_numbers_follow_the_same_rules(written: str, expected: Any) -> None:
    assert parse_document('{"value": ' + written + "}") == {"value": expected}


def test_json_numbers_in_string_fields_keep_their_text() -> None:
    text = (
        '{"meta": {"schemaVersion": "v2"}, "component": {"name": "acme.org/app",'
        ' "version": 1.10, "provider": "acme", "repositoryContexts": [], "resources": [],'
        ' "sources": [], "componentReferences": []}}'
    )
    assert loads(text).component.version == "1.10"


GO_ONLY_NON_STRINGS = ["y", "N", "1e3", "0o17", "0X1F", "+.5", "08", "1_0e3", "<<", "="]


@pytest.mark.parametrize("text", GO_ONLY_NON_STRINGS)
def test_written_strings_are_quoted_so_go_reads_them_as_strings(text: str) -> None:
    cd = loads(DOCUMENT.format(version="1.0.0", value="x"))
    cd.component.labels = [Label("probe", text)]
    written = dumps(cd, "yaml")
    assert f"value: {text}\n" not in written
    assert loads(written).component.labels[0].value == text


def test_numbers_are_written_so_that_they_read_back_as_numbers() -> None:
    cd: Descriptor = loads(DOCUMENT.format(version="1.0.0", value="{a: 1e3, b: 0o17, c: y}"))
    again = loads(dumps(cd, "yaml"))
    assert again.component.labels[0].value == {"a": 1000.0, "b": 15, "c": True}
