"""Distinguished names as the Go OCM tools parse, print and compare them.

Two parsers exist because the two Go tools disagree:

* :func:`parse` follows the Go v2 tools (NG, ``internal/rfc2253``): RFC 2253 escapes, quoted
  values, ``#hex`` BER values, multi-valued RDNs, short names such as UID, DC and emailAddress
  and dotted OIDs. A string without any ``key=value`` becomes the common name.
* :func:`parse_legacy` follows the legacy Go v1 tool (LEG, ``signutils.ParseDN``): a simple
  split on ``/ ; , +`` and only the standard keys; anything else is a common name.

:func:`match` / :func:`equal` (NG) and :func:`match_legacy` (LEG) return ``None`` on success and
otherwise the reason, worded like the Go error. ``str()`` prints a name as Go's
``pkix.Name.String()`` does.

    >>> from pyocm.signing.dn import equal, parse
    >>> name = parse("C=DE+C=US,CN=open-component-model")
    >>> str(name)
    'CN=open-component-model,C=DE+C=US'
    >>> equal(name, parse("CN=open-component-model,C=US+C=DE")) is None
    True
    >>> parse("open-component-model").common_name
    'open-component-model'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pyocm.errors import ValidationError, Violation
from pyocm.signing._go import decode_hex, trim_space

if TYPE_CHECKING:
    from cryptography import x509

Attribute = tuple[str, str]
"""An attribute as (dotted OID, value)."""

_CN, _SERIAL, _C, _L, _ST, _STREET, _O, _OU, _POSTALCODE = (
    "2.5.4.3",
    "2.5.4.5",
    "2.5.4.6",
    "2.5.4.7",
    "2.5.4.8",
    "2.5.4.9",
    "2.5.4.10",
    "2.5.4.11",
    "2.5.4.17",
)

# Short names NG maps to OIDs beyond the standard fields (rfc2253/dn.go wellKnownOID).
_WELL_KNOWN_OIDS = {
    "businesscategory": "2.5.4.15",
    "c": _C,
    "cn": _CN,
    "dc": "0.9.2342.19200300.100.1.25",
    "description": "2.5.4.13",
    "destinationindicator": "2.5.4.27",
    "distinguishedname": "2.5.4.49",
    "dnqualifier": "2.5.4.46",
    "emailaddress": "1.2.840.113549.1.9.1",
    "enhancedsearchguide": "2.5.4.47",
    "facsimiletelephonenumber": "2.5.4.23",
    "generationqualifier": "2.5.4.44",
    "givenname": "2.5.4.42",
    "houseidentifier": "2.5.4.51",
    "initials": "2.5.4.43",
    "internationalisdnnumber": "2.5.4.25",
    "l": _L,
    "member": "2.5.4.31",
    "name": "2.5.4.41",
    "o": _O,
    "ou": _OU,
    "owner": "2.5.4.32",
    "physicaldeliveryofficename": "2.5.4.19",
    "postaladdress": "2.5.4.16",
    "postalcode": _POSTALCODE,
    "postofficebox": "2.5.4.18",
    "preferreddeliverymethod": "2.5.4.28",
    "registeredaddress": "2.5.4.26",
    "roleoccupant": "2.5.4.33",
    "searchguide": "2.5.4.14",
    "seealso": "2.5.4.34",
    "serialnumber": _SERIAL,
    "sn": "2.5.4.4",
    "st": _ST,
    "street": _STREET,
    "telephonenumber": "2.5.4.20",
    "teletexterminalidentifier": "2.5.4.22",
    "telexnumber": "2.5.4.21",
    "title": "2.5.4.12",
    "uid": "0.9.2342.19200300.100.1.1",
    "uniquemember": "2.5.4.50",
    "userpassword": "2.5.4.35",
    "x121address": "2.5.4.24",
}

# Go's attributeTypeNames: the only OIDs printed by name.
_TYPE_NAMES = {
    _C: "C",
    _O: "O",
    _OU: "OU",
    _CN: "CN",
    _SERIAL: "SERIALNUMBER",
    _L: "L",
    _ST: "ST",
    _STREET: "STREET",
    _POSTALCODE: "POSTALCODE",
}
# Attributes Go's Name.String() does not repeat from Name.Names (already in named fields).
_NAMED_IN_FIELDS = frozenset({_CN, _C, _L, _ST, _O, _OU, _POSTALCODE})

_OID_PART = re.compile(r"[+-]?[0-9]+")
_LEGACY_ALL = re.compile(r"[^=]+=[^/;,+]+(?:[/;,+][^=]+=[^/;,+]+)*")
_LEGACY_AVA = re.compile(r"[/;,+]([^=]+)=([^/;,+]+)")
_TAG_BMP_STRING = 30


@dataclass(frozen=True)
class DistinguishedName:
    """A distinguished name with the fields of Go's ``pkix.Name``.

    ``extra_names`` holds attributes parsed from a string that have no field of their own
    (UID, DC, emailAddress, dotted OIDs). ``names`` holds every attribute of a name read from
    a certificate (Go's ``Name.Names``); Go never fills ``extra_names`` from a certificate, so
    a pattern with extra attributes never matches a certificate name in :func:`match`.
    """

    common_name: str = ""
    serial_number: str = ""
    country: tuple[str, ...] = ()
    province: tuple[str, ...] = ()
    locality: tuple[str, ...] = ()
    street_address: tuple[str, ...] = ()
    postal_code: tuple[str, ...] = ()
    organization: tuple[str, ...] = ()
    organizational_unit: tuple[str, ...] = ()
    extra_names: tuple[Attribute, ...] = ()
    names: tuple[Attribute, ...] = ()

    def __str__(self) -> str:
        """The name as Go's ``pkix.Name.String()`` prints it (most specific attribute first)."""
        rdns = _rdn_sequence(self)
        return ",".join("+".join(_format_attribute(a) for a in rdn) for rdn in reversed(rdns))


class _Builder:
    """Collects attributes while parsing, then freezes them into a DistinguishedName."""

    def __init__(self) -> None:
        self.common_name = ""
        self.serial_number = ""
        self.lists: dict[str, list[str]] = {
            oid: [] for oid in (_C, _ST, _L, _STREET, _POSTALCODE, _O, _OU)
        }
        self.extra: list[Attribute] = []
        self.names: list[Attribute] = []

    def build(self) -> DistinguishedName:
        return DistinguishedName(
            common_name=self.common_name,
            serial_number=self.serial_number,
            country=tuple(self.lists[_C]),
            province=tuple(self.lists[_ST]),
            locality=tuple(self.lists[_L]),
            street_address=tuple(self.lists[_STREET]),
            postal_code=tuple(self.lists[_POSTALCODE]),
            organization=tuple(self.lists[_O]),
            organizational_unit=tuple(self.lists[_OU]),
            extra_names=tuple(self.extra),
            names=tuple(self.names),
        )


def parse(text: str, *, strict: bool = False, fallback_to_cn: bool = True) -> DistinguishedName:
    """Parse an RFC 2253 distinguished name as NG does (``rfc2253.ParseWithOptions``).

    Keys are case-insensitive and trimmed; values keep their white space. ``SN`` and
    ``SERIALNUMBER`` set the serial number. Unknown keys are dropped unless ``strict``. When no
    ``key=value`` pair is found and ``fallback_to_cn`` is set, the whole text is the common name.
    Raises :class:`~pyocm.errors.ValidationError` for an empty name (and, when ``strict``, for a
    pair without ``=`` or an unknown key).
    """
    if not trim_space(text):
        raise _invalid("empty distinguished name")
    b = _Builder()
    parsed = False
    for rdn in _split(text, ","):
        for ava in _split(rdn, "+"):
            key, eq, raw = ava.partition("=")
            if not eq:
                if strict:
                    raise _invalid(f"missing '=' in AVA {ava!r}")
                continue
            key = trim_space(key)
            value = _unescape(raw)
            upper = key.upper()
            if upper == "CN":
                b.common_name = value
            elif upper in ("SN", "SERIALNUMBER"):
                b.serial_number = value
            elif upper in _FIELD_KEYS:
                b.lists[_FIELD_KEYS[upper]].append(value)
            else:
                oid = _short_name_or_oid(key)
                if oid is not None:
                    b.extra.append((oid, value))
                elif strict:
                    raise _invalid(f"unknown attribute {key!r}")
            parsed = True
    if not parsed and fallback_to_cn:
        b.common_name = text
    return b.build()


_FIELD_KEYS = {
    "C": _C,
    "O": _O,
    "OU": _OU,
    "L": _L,
    "ST": _ST,
    "STREET": _STREET,
    "POSTALCODE": _POSTALCODE,
}


def parse_legacy(text: str) -> DistinguishedName:
    """Parse a name as LEG does (``signutils.ParseDN``).

    Unless the whole (trimmed) text is a list of ``KEY=value`` pairs separated by ``/ ; , +``,
    it is taken as the common name. Keys are case-sensitive and limited to C, O, OU, L, ST,
    STREET, POSTALCODE, SN and CN; values are taken literally (no escapes). Raises
    :class:`~pyocm.errors.ValidationError` for an empty name or an unknown key.
    """
    text = trim_space(text)
    if not text:
        raise _invalid("empty distinguished name")
    b = _Builder()
    if not _LEGACY_ALL.fullmatch(text):
        b.common_name = text
        return b.build()
    for key, value in _LEGACY_AVA.findall("+" + text):
        if key == "CN":
            b.common_name = value
        elif key == "SN":
            b.serial_number = value
        elif key in _FIELD_KEYS:
            b.lists[_FIELD_KEYS[key]].append(value)
        else:
            raise _invalid(f"invalid attribute {key!r}")
    return b.build()


def from_x509(name: x509.Name) -> DistinguishedName:
    """A certificate's subject or issuer as Go's ``Name.FillFromRDNSequence`` sees it.

    Only string-valued attributes count; a repeated CN or serial number keeps the last value.
    """
    b = _Builder()
    for attribute in name:
        value = attribute.value
        if not isinstance(value, str):
            continue
        oid = attribute.oid.dotted_string
        b.names.append((oid, value))
        if oid == _CN:
            b.common_name = value
        elif oid == _SERIAL:
            b.serial_number = value
        elif oid in b.lists:
            b.lists[oid].append(value)
    return b.build()


def match(name: DistinguishedName, pattern: DistinguishedName) -> str | None:
    """Why ``name`` does not satisfy ``pattern`` (NG ``rfc2253.Match``), or None if it does.

    Common name and serial number must be equal where the pattern sets them; every listed
    value and every extra attribute of the pattern must occur in ``name``; order does not matter.
    """
    if pattern.common_name and name.common_name != pattern.common_name:
        return f"common name {_go_quote(name.common_name)} does not match " + _go_quote(
            pattern.common_name
        )
    if pattern.serial_number and name.serial_number != pattern.serial_number:
        return f"serial number {_go_quote(name.serial_number)} does not match " + _go_quote(
            pattern.serial_number
        )
    for label, have, want in _list_fields(name, pattern):
        if want and not set(want) <= set(have):
            return f"{label} {_go_list(have)} does not include required {_go_list(want)}"
    for oid, value in pattern.extra_names:
        if (oid, value) not in name.extra_names:
            return f"missing extra attribute {oid}={value}"
    return None


def equal(a: DistinguishedName, b: DistinguishedName) -> str | None:
    """Why ``a`` and ``b`` differ (NG ``rfc2253.Equal``: :func:`match` both ways), or None."""
    return match(a, b) or match(b, a)


def match_legacy(name: DistinguishedName, pattern: DistinguishedName) -> str | None:
    """Why ``name`` does not contain ``pattern`` (LEG ``signutils.MatchDN``), or None.

    Like :func:`match` but ignores the serial number and extra attributes.
    """
    if pattern.common_name and name.common_name != pattern.common_name:
        return f"invalid common name {_go_quote(name.common_name)}"
    for label, have, want in _list_fields(name, pattern):
        for value in want:
            if value not in have:
                return f"{label} {_go_quote(value)} not found"
    return None


def _list_fields(
    name: DistinguishedName, pattern: DistinguishedName
) -> Iterable[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    yield "country", name.country, pattern.country
    yield "province", name.province, pattern.province
    yield "locality", name.locality, pattern.locality
    yield "postal code", name.postal_code, pattern.postal_code
    yield "street address", name.street_address, pattern.street_address
    yield "organization", name.organization, pattern.organization
    yield "organizational unit", name.organizational_unit, pattern.organizational_unit


def _invalid(message: str) -> ValidationError:
    return ValidationError([Violation("", message)], what="distinguished name")


def _split(text: str, sep: str) -> list[str]:
    """Split on unescaped ``sep`` outside double quotes, keeping every backslash escape."""
    parts: list[str] = []
    buf: list[str] = []
    escaped = in_quotes = False
    for c in text:
        if escaped:
            buf += ("\\", c)
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == '"':
            in_quotes = not in_quotes
            buf.append(c)
        elif c == sep and not in_quotes:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(c)
    if escaped:
        buf.append("\\")
    parts.append("".join(buf))
    return parts


def _unescape(value: str) -> str:
    """Decode an attribute value: ``#hex`` BER, surrounding quotes, ``\\xx`` and ``\\c`` escapes."""
    if value.startswith("#"):
        decoded = _decode_ber_string(value[1:])
        if decoded:
            return decoded
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        value = value[1:-1]
    data = value.encode("utf-8", "surrogateescape")
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        c = data[i]
        if c != 0x5C:
            out.append(c)
            i += 1
            continue
        if i + 2 < n and _is_hex(data[i + 1]) and _is_hex(data[i + 2]):
            out.append(int(data[i + 1 : i + 3], 16))
            i += 3
            continue
        if i + 1 < n and data[i + 1] == 0x20 and data[i + 1 :].strip(b" ") == b"":
            out.append(0x20)  # escaped trailing spaces collapse into one
            break
        if i + 1 < n:
            out.append(data[i + 1])
            i += 2
        else:
            out.append(0x5C)  # dangling backslash
            i += 1
    return out.decode("utf-8", "surrogateescape")


def _is_hex(b: int) -> bool:
    return 0x30 <= b <= 0x39 or 0x41 <= b <= 0x46 or 0x61 <= b <= 0x66


def _decode_ber_string(hex_text: str) -> str:
    """The string in a BER TLV given as hex, or "" if it is not one (NG ``decodeBER``).

    The tag and length are checked as strictly as Go's ``asn1.Unmarshal`` into a RawValue;
    BMPString content is UCS-2, any other tag is taken as UTF-8.
    """
    try:
        raw = decode_hex(hex_text)
    except ValueError:
        return ""
    parsed = _parse_tlv(raw)
    if parsed is None:
        return ""
    tag, content = parsed
    if tag == _TAG_BMP_STRING:
        if len(content) % 2:
            return ""
        return content.decode("utf-16-be", "replace")
    return content.decode("utf-8", "surrogateescape")


def _parse_tlv(raw: bytes) -> tuple[int, bytes] | None:
    """Tag number and content of the first DER-length TLV in ``raw``; trailing bytes are ignored."""
    if not raw:
        return None
    tag, at = raw[0] & 0x1F, 1
    if tag == 0x1F:
        tag = 0
        for shifted in range(6):
            if shifted == 5 or at >= len(raw) or (shifted == 0 and raw[at] == 0x80):
                return None
            b = raw[at]
            at += 1
            tag = (tag << 7) | (b & 0x7F)
            if not b & 0x80:
                break
        if tag < 0x1F or tag > 0x7FFFFFFF:
            return None
    if at >= len(raw):
        return None
    first = raw[at]
    at += 1
    if not first & 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0:
            return None
        length = 0
        for _ in range(count):
            if at >= len(raw) or length >= 1 << 23:
                return None
            length = (length << 8) | raw[at]
            at += 1
            if length == 0:
                return None
        if length < 0x80:
            return None
    if length > len(raw) - at:
        return None
    return tag, raw[at : at + length]


def _short_name_or_oid(key: str) -> str | None:
    oid = _WELL_KNOWN_OIDS.get(trim_space(key).lower())
    if oid is not None:
        return oid
    parts = key.split(".")
    if len(parts) < 2 or not all(_OID_PART.fullmatch(p) for p in parts):
        return None
    numbers = [int(p) for p in parts]
    if any(v < 0 or v >= 1 << 63 for v in numbers):
        return None
    return ".".join(str(v) for v in numbers)


def _rdn_sequence(dn: DistinguishedName) -> list[list[Attribute]]:
    """Go's ``Name.String`` input: unnamed certificate attributes, then ``ToRDNSequence``."""
    rdns: list[list[Attribute]] = []
    if not dn.extra_names:
        rdns += [[a] for a in dn.names if a[0] not in _NAMED_IN_FIELDS]
    extra_oids = {oid for oid, _ in dn.extra_names}

    def add(values: Sequence[str], oid: str) -> None:
        if values and oid not in extra_oids:
            rdns.append([(oid, v) for v in values])

    add(dn.country, _C)
    add(dn.province, _ST)
    add(dn.locality, _L)
    add(dn.street_address, _STREET)
    add(dn.postal_code, _POSTALCODE)
    add(dn.organization, _O)
    add(dn.organizational_unit, _OU)
    if dn.common_name:
        add([dn.common_name], _CN)
    if dn.serial_number:
        add([dn.serial_number], _SERIAL)
    rdns += [[a] for a in dn.extra_names]
    return rdns


def _format_attribute(attribute: Attribute) -> str:
    oid, value = attribute
    type_name = _TYPE_NAMES.get(oid)
    if type_name is None:
        der = _go_marshal_string(value)
        if der is not None:
            return f"{oid}=#{der.hex()}"
        type_name = oid
    last = len(value) - 1
    out: list[str] = []
    for k, c in enumerate(value):
        if "\udc80" <= c <= "\udcff":
            c = "\ufffd"  # Go ranges over invalid UTF-8 as U+FFFD
        if c in ',+"\\<>;' or (c == " " and k in (0, last)) or (c == "#" and k == 0):
            out.append("\\")
        out.append(c)
    return f"{type_name}={''.join(out)}"


def _go_marshal_string(value: str) -> bytes | None:
    """DER of a Go string as ``asn1.Marshal`` writes it: PrintableString if possible, else UTF8."""
    try:
        content = value.encode("utf-8")
    except UnicodeEncodeError:
        return None
    printable = all(c.isascii() and (c.isalnum() or c in " '()+,-./:=?") for c in value)
    tag = 0x13 if printable else 0x0C
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        size = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(size)]) + size
    return bytes([tag]) + length + content


def _go_quote(s: str) -> str:
    """Go's ``%q`` for the plain strings that appear in names (close enough for messages)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _go_list(values: Sequence[str]) -> str:
    """Go's ``%v`` of a string slice: ``[DE US]``."""
    return "[" + " ".join(values) + "]"
