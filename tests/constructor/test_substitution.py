"""Environment-variable substitution behaves exactly like Go's ``os.Expand``."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyocm.constructor import expand, loads_constructor

# The mapping and table of Go's own test, src/os/env_test.go (testGetenv, expandTests).
GO_ENV = {
    "*": "all the args",
    "#": "NARGS",
    "$": "PID",
    "1": "ARGUMENT1",
    "HOME": "/usr/gopher",
    "H": "(Value of H)",
    "home_1": "/usr/foo",
    "_": "underscore",
}
GO_EXPAND_TESTS = [
    ("", ""),
    ("$*", "all the args"),
    ("$$", "PID"),
    ("${*}", "all the args"),
    ("$1", "ARGUMENT1"),
    ("${1}", "ARGUMENT1"),
    ("now is the time", "now is the time"),
    ("$HOME", "/usr/gopher"),
    ("$home_1", "/usr/foo"),
    ("${HOME}", "/usr/gopher"),
    ("${H}OME", "(Value of H)OME"),
    ("A$$$#$1$H$home_1*B", "APIDNARGSARGUMENT1(Value of H)/usr/foo*B"),
    ("start$+middle$^end$", "start$+middle$^end$"),
    ("mixed$|bag$$$", "mixed$|bagPID$"),
    ("$", "$"),
    ("$}", "$}"),
    ("${", ""),
    ("${}", ""),
]


@pytest.mark.parametrize(("text", "expected"), GO_EXPAND_TESTS)
def test_expand_matches_go_os_expand_table(text: str, expected: str) -> None:
    assert expand(text, GO_ENV) == expected


def test_unset_variables_become_empty_and_dollar_in_text_is_eaten() -> None:
    assert expand("price: 5$EUR, ${UNSET}!", {}) == "price: 5, !"


def test_brace_form_takes_any_characters_up_to_the_closing_brace() -> None:
    assert expand("${a b}|${x-y}|${", {"a b": "1", "x-y": "2"}) == "1|2|"


_TEXT = st.text(alphabet=st.sampled_from(list("$ab_{}1*#-. é")), max_size=16)
_ENV = st.dictionaries(st.sampled_from(["a", "b", "ab", "a_", "1", "*", "$", "a b"]), _TEXT)


@settings(max_examples=1, deadline=None)
@given(st.lists(st.tuples(_TEXT, _ENV), min_size=300, max_size=300))
def test_expand_agrees_with_go_on_random_text(
    gocheck: Path, cases: list[tuple[str, dict[str, str]]]
) -> None:
    result = subprocess.run(
        [str(gocheck), "expand"],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
    )
    assert [expand(text, env) for text, env in cases] == json.loads(result.stdout)


def test_constructor_text_is_expanded_before_it_is_parsed() -> None:
    spec = loads_constructor(
        "name: ${NAME}\nversion: $VERSION\nprovider: {name: acme.org}\n",
        env={"NAME": "acme.org/app", "VERSION": "1.5.0"},
    )
    assert (spec.components[0].name, spec.components[0].version) == ("acme.org/app", "1.5.0")


def test_constructor_defaults_to_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYOCM_TEST_VERSION", "2.0.0")
    spec = loads_constructor(
        "name: acme.org/app\nversion: ${PYOCM_TEST_VERSION}\nprovider: {name: acme.org}\n"
    )
    assert spec.components[0].version == "2.0.0"
