"""Distinguished names: NG's RFC 2253 parser and matcher, LEG's lenient parser and matcher."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pyocm.errors import ValidationError
from pyocm.signing.dn import (
    DistinguishedName,
    equal,
    from_x509,
    match,
    match_legacy,
    parse,
    parse_legacy,
)
from pyocm.signing.keys import load_certificates

UID = "0.9.2342.19200300.100.1.1"
EMAIL = "1.2.840.113549.1.9.1"

# NG bindings/go/rsa/signing/handler/internal/rfc2253/rfc2253_conformance_test.go:
# (name, input, want CN, want String()); "" means "not checked" as in the Go table.
CONFORMANCE_STRINGS = [
    ("plain", "CN=John Doe", "John Doe", "CN=John Doe"),
    ("quoted", 'CN="John Doe"', "John Doe", "CN=John Doe"),
    ("escaped comma", "CN=John\\,Doe", "John,Doe", "CN=John\\,Doe"),
    ("escaped plus", "CN=Sales\\+Marketing", "Sales+Marketing", "CN=Sales\\+Marketing"),
    ("escaped equal", "CN=ACME\\=Inc", "ACME=Inc", "CN=ACME=Inc"),
    ("trailing space", "CN=Space\\  ", "Space ", "CN=Space\\ "),
    ("hexpair", "CN=John\\20Doe", "John Doe", "CN=John Doe"),
    ("LF", "CN=\\0AJohn", "\nJohn", "CN=\nJohn"),
    ("bang", "CN=\\21Hello", "!Hello", "CN=!Hello"),
    ("multiple hex", "CN=\\41\\42\\43", "ABC", "CN=ABC"),
    (
        "mixed escapes",
        "CN=ACME\\2C Inc\\20\\28Europe\\29",
        "ACME, Inc (Europe)",
        "CN=ACME\\, Inc (Europe)",
    ),
    ("trailing backslash", "CN=Foo\\", "Foo\\", "CN=Foo\\\\"),
    ("PrintableString", "CN=#1303414243", "ABC", "CN=ABC"),
    ("UTF8String", "CN=#0C02C3BC", "ü", "CN=ü"),
    ("IA5String", "CN=#16096D61696C4074657374", "mail@test", "CN=mail@test"),
    ("BMPString", "CN=#1E0400480069", "Hi", "CN=Hi"),
    ("Invalid hex", "CN=#NOTHEX", "#NOTHEX", "CN=\\#NOTHEX"),
]

# Same file: (name, input, number of extra names, first extra OID, first extra value).
CONFORMANCE_EXTRA = [
    ("UID ExtraName", "UID=alice", 1, UID, "alice"),
    ("OID ExtraName", "1.2.840.113549.1.9.1=bob@example.com", 1, EMAIL, "bob@example.com"),
    ("Multiple ExtraNames", "UID=alice+DC=example", 2, "", ""),
]

# Same file: (name, input, pattern's extra names, Match(parsed, pattern) succeeds).
CONFORMANCE_MATCH = [
    ("Match ExtraNames ok", "UID=alice", ((UID, "alice"),), True),
    ("Match ExtraNames missing", "CN=test", ((UID, "alice"),), False),
    ("Match ExtraNames wrong", "UID=bob", ((UID, "alice"),), False),
]

# NG internal/rfc2253/dn_parse_test.go: input → String().
PARSE_STRINGS = [
    ("open-component-model", "CN=open-component-model"),
    ("CN=open-component-model", "CN=open-component-model"),
    ("CN=open-component-model,C=DE", "CN=open-component-model,C=DE"),
    ("CN=open-component-model,C=DE,ST=BW", "CN=open-component-model,ST=BW,C=DE"),
    ("CN=open-component-model,C=DE+C=US", "CN=open-component-model,C=DE+C=US"),
    ("C=DE+C=US,CN=open-component-model", "CN=open-component-model,C=DE+C=US"),
    (
        "C=DE+C=US,CN=open-component-model,L=Walldorf,O=open-component-model",
        "CN=open-component-model,O=open-component-model,L=Walldorf,C=DE+C=US",
    ),
]

# LEG api/tech/signing/signutils/names_test.go: input → String().
LEGACY_STRINGS = [
    ("mandelsoft", "CN=mandelsoft"),
    ("CN=mandelsoft", "CN=mandelsoft"),
    ("CN=mandelsoft,C=DE", "CN=mandelsoft,C=DE"),
    ("CN=mandelsoft,C=DE,ST=BW", "CN=mandelsoft,ST=BW,C=DE"),
    ("CN=mandelsoft,C=DE+C=US", "CN=mandelsoft,C=DE+C=US"),
    ("C=DE+C=US,CN=mandelsoft", "CN=mandelsoft,C=DE+C=US"),
    (
        "C=DE+C=US,CN=mandelsoft,L=Walldorf,O=mandelsoft",
        "CN=mandelsoft,O=mandelsoft,L=Walldorf,C=DE+C=US",
    ),
]


@pytest.mark.parametrize(("case", "text", "cn", "string"), CONFORMANCE_STRINGS)
def test_ng_conformance_values_and_strings(case: str, text: str, cn: str, string: str) -> None:
    name = parse(text)
    assert name.common_name == cn, case
    assert str(name) == string, case


@pytest.mark.parametrize(("case", "text", "count", "oid", "value"), CONFORMANCE_EXTRA)
def test_ng_conformance_extra_names(case: str, text: str, count: int, oid: str, value: str) -> None:
    name = parse(text)
    assert len(name.extra_names) == count, case
    if oid:
        assert name.extra_names[0] == (oid, value), case


@pytest.mark.parametrize(("case", "text", "extra", "ok"), CONFORMANCE_MATCH)
def test_ng_conformance_match(
    case: str, text: str, extra: tuple[tuple[str, str], ...], ok: bool
) -> None:
    reason = match(parse(text), DistinguishedName(extra_names=extra))
    assert (reason is None) is ok, case


@pytest.mark.parametrize(("text", "string"), PARSE_STRINGS)
def test_ng_parse_strings(text: str, string: str) -> None:
    assert str(parse(text)) == string


def test_ng_parse_options() -> None:
    # NG dn_parse_test.go TestParse_WithOptions.
    with pytest.raises(ValidationError, match="unknown attribute 'FOO'"):
        parse("FOO=bar", strict=True)
    assert parse("FOO=bar").extra_names == ()
    with pytest.raises(ValidationError, match="empty distinguished name"):
        parse("   ", fallback_to_cn=False)
    assert parse("plainstring", fallback_to_cn=False).common_name == ""
    assert parse("plainstring").common_name == "plainstring"
    with pytest.raises(ValidationError, match="missing '=' in AVA 'plainstring'"):
        parse("plainstring", strict=True)


def test_ng_match_messages() -> None:
    # NG dn_match_test.go.
    name = DistinguishedName(common_name="a", country=("DE", "US"))
    assert match(name, name) is None
    assert match(name, DistinguishedName(common_name="a")) is None
    assert match(name, DistinguishedName(common_name="a", country=("DE",))) is None
    assert (
        match(name, DistinguishedName(common_name="a", country=("EG",)))
        == "country [DE US] does not include required [EG]"
    )
    assert (
        match(DistinguishedName(common_name="alice"), DistinguishedName(common_name="bob"))
        == 'common name "alice" does not match "bob"'
    )


def test_ng_match_ignores_order() -> None:
    # NG dn_permutation_test.go, one representative of each permutation family.
    name = DistinguishedName(
        common_name="a",
        country=("US", "DE"),
        organization=("OrgB", "OrgA"),
        organizational_unit=("OU2", "OU1"),
    )
    pattern = DistinguishedName(
        common_name="a", country=("DE",), organization=("OrgA",), organizational_unit=("OU2",)
    )
    assert match(name, pattern) is None
    assert equal(name, parse("CN=a,OU=OU1+OU=OU2,O=OrgA+O=OrgB,C=DE+C=US")) is None


def test_ng_equal_needs_both_directions() -> None:
    assert equal(parse("CN=a,O=x"), parse("CN=a")) is not None
    assert equal(parse("CN=a"), parse("CN=a,O=x")) is not None
    assert equal(parse("CN=a,O=x"), parse("O=x,CN=a")) is None


def _go_cases() -> list[dict[str, Any]]:
    path = Path(__file__).resolve().parent / "data" / "rfc2253_go.json"
    cases: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["cases"]
    return cases


@pytest.mark.parametrize("case", _go_cases(), ids=lambda c: repr(c["input"]))
def test_matches_values_printed_by_ng(case: dict[str, Any]) -> None:
    # Expected values from running NG's rfc2253.Parse and pkix.Name.String (see the file).
    if case.get("error"):
        with pytest.raises(ValidationError, match=re.escape(case["error"])):
            parse(case["input"])
        return
    name = parse(case["input"])
    got = {
        "cn": name.common_name,
        "serial": name.serial_number,
        "c": list(name.country),
        "st": list(name.province),
        "l": list(name.locality),
        "street": list(name.street_address),
        "postal": list(name.postal_code),
        "o": list(name.organization),
        "ou": list(name.organizational_unit),
        "extra": [list(e) for e in name.extra_names],
        "string": str(name),
    }
    assert got == {k: case[k] for k in got}


@pytest.mark.parametrize(("text", "string"), LEGACY_STRINGS)
def test_legacy_parse_strings(text: str, string: str) -> None:
    assert str(parse_legacy(text)) == string


def test_legacy_parse_is_lenient_about_what_is_a_name() -> None:
    assert parse_legacy("  not a dn  ").common_name == "not a dn"
    assert parse_legacy("CN=a\\,b").common_name == "CN=a\\,b"  # no escapes: not a K=V list
    assert parse_legacy("CN=x/O=y;OU=z") == DistinguishedName(
        common_name="x", organization=("y",), organizational_unit=("z",)
    )
    with pytest.raises(ValidationError, match="invalid attribute ' O'"):
        parse_legacy("CN=a, O=b")
    with pytest.raises(ValidationError, match="invalid attribute 'UID'"):
        parse_legacy("UID=alice")
    with pytest.raises(ValidationError, match="empty distinguished name"):
        parse_legacy(" ")


def test_legacy_match_messages() -> None:
    # LEG names_test.go "match".
    name = DistinguishedName(common_name="a", country=("DE", "US"))
    assert match_legacy(name, name) is None
    assert match_legacy(name, DistinguishedName(common_name="a")) is None
    assert match_legacy(name, DistinguishedName(common_name="a", country=("DE",))) is None
    assert (
        match_legacy(name, DistinguishedName(common_name="a", country=("EG",)))
        == 'country "EG" not found'
    )
    assert match_legacy(name, DistinguishedName(common_name="b")) == 'invalid common name "a"'


def test_certificate_names_print_like_go(data: Path) -> None:
    # facts.json holds Go's pkix.Name.String() of the golden leaf's subject and issuer.
    facts = json.loads((data / "go" / "facts.json").read_text())
    pem_text = (data / "go" / "signature-pss.pem").read_text()
    leaf, _intermediate = load_certificates(pem_text)
    assert str(from_x509(leaf.subject)) == facts["leaf_subject"]
    assert str(from_x509(leaf.issuer)) == facts["leaf_issuer"]
    subject = from_x509(leaf.subject)
    assert subject.common_name == "signer, with comma"
    assert subject.organizational_unit == ("ocm", "signing")
    assert equal(parse(facts["leaf_issuer"]), from_x509(leaf.issuer)) is None
