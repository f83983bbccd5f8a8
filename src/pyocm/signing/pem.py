"""PEM blocks with headers, read and written exactly as Go's ``encoding/pem`` does.

OCM's PEM signature encoding is a ``SIGNATURE`` block carrying a ``Signature Algorithm``
header, followed by the signer's certificate chain, leaf first.

    >>> from pyocm.signing.pem import decode_signature, encode_signature
    >>> text = encode_signature(b"\\x01\\x02", "RSASSA-PSS")
    >>> print(text, end="")
    -----BEGIN SIGNATURE-----
    Signature Algorithm: RSASSA-PSS
    <BLANKLINE>
    AQI=
    -----END SIGNATURE-----
    >>> decode_signature(text).algorithm
    'RSASSA-PSS'
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pyocm.errors import ValidationError, Violation
from pyocm.signing._go import trim_space

SIGNATURE_BLOCK = "SIGNATURE"
CERTIFICATE_BLOCK = "CERTIFICATE"
ALGORITHM_HEADER = "Signature Algorithm"

_BEGIN = "\n-----BEGIN "
_END = "\n-----END "
_DASHES = "-----"
_LINE = 64


@dataclass(frozen=True)
class PemBlock:
    """One PEM block: its type (``CERTIFICATE``), its headers and the decoded bytes."""

    type: str
    data: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PemSignature:
    """A decoded OCM PEM signature: raw signature bytes, header algorithm, DER certificates."""

    signature: bytes
    algorithm: str
    certificates: tuple[bytes, ...]


def encode(*blocks: PemBlock) -> str:
    """Encode blocks as Go's ``pem.Encode`` does.

    Headers come first (``Proc-Type`` before the others, which are sorted), then a blank line,
    then the base64 body in lines of 64 characters.
    """
    out: list[str] = []
    for block in blocks:
        out.append(f"-----BEGIN {block.type}-----\n")
        if block.headers:
            keys = sorted(block.headers)
            if "Proc-Type" in block.headers:
                keys.remove("Proc-Type")
                keys.insert(0, "Proc-Type")
            for key in keys:
                value = block.headers[key]
                if ":" in key or "\n" in key or "\n" in value:
                    raise ValueError(f"PEM header {key!r} cannot be encoded")
                out.append(f"{key}: {value}\n")
            out.append("\n")
        body = base64.b64encode(block.data).decode("ascii")
        out.extend(body[i : i + _LINE] + "\n" for i in range(0, len(body), _LINE))
        out.append(f"-----END {block.type}-----\n")
    return "".join(out)


def decode(text: str | bytes) -> list[PemBlock]:
    """All well-formed PEM blocks in ``text``, in order; text around and between them is skipped.

    Malformed blocks are skipped as Go's ``pem.Decode`` skips them.
    """
    rest = text.decode("utf-8", "surrogateescape") if isinstance(text, bytes) else text
    blocks: list[PemBlock] = []
    while True:
        block, rest = _decode_one(rest)
        if block is None:
            return blocks
        blocks.append(block)


def encode_signature(signature: bytes, algorithm: str, certificates: Sequence[bytes] = ()) -> str:
    """The OCM PEM encoding: a ``SIGNATURE`` block, then one ``CERTIFICATE`` block per DER cert.

    An empty ``algorithm`` writes no header (as Go does).
    """
    headers = {ALGORITHM_HEADER: algorithm} if algorithm else {}
    blocks = [PemBlock(SIGNATURE_BLOCK, signature, headers)]
    blocks += [PemBlock(CERTIFICATE_BLOCK, der) for der in certificates]
    return encode(*blocks)


def decode_signature(text: str | bytes) -> PemSignature:
    """Read an OCM PEM signature.

    The first ``SIGNATURE`` block holds the signature; every ``CERTIFICATE`` block is part of
    the chain, in order. Raises :class:`~pyocm.errors.ValidationError` when there is no
    ``SIGNATURE`` block.
    """
    blocks = decode(text)
    signature = next((b for b in blocks if b.type == SIGNATURE_BLOCK), None)
    if signature is None:
        found = ", ".join(b.type for b in blocks) or "no PEM blocks"
        raise ValidationError(
            [Violation("", f"no {SIGNATURE_BLOCK} block (found: {found})")], what="PEM signature"
        )
    return PemSignature(
        signature=signature.data,
        algorithm=signature.headers.get(ALGORITHM_HEADER, ""),
        certificates=tuple(b.data for b in blocks if b.type == CERTIFICATE_BLOCK),
    )


def _get_line(data: str) -> tuple[str, str]:
    """Go's ``getLine``: the first line (no end of line, no trailing blanks) and the rest."""
    i = data.find("\n")
    if i < 0:
        line, rest = data, ""
    else:
        line, rest = data[:i], data[i + 1 :]
        if line.endswith("\r"):
            line = line[:-1]
    return line.rstrip(" \t"), rest


def _decode_one(data: str) -> tuple[PemBlock | None, str]:
    """Go's ``pem.Decode``: the next well-formed block and the text after it."""
    rest = data
    while True:
        if rest.startswith(_BEGIN[1:]):
            rest = rest[len(_BEGIN) - 1 :]
        else:
            at = rest.find(_BEGIN)
            if at < 0:
                return None, data
            rest = rest[at + len(_BEGIN) :]

        type_line, rest = _get_line(rest)
        if not type_line.endswith(_DASHES):
            continue
        block_type = type_line[: -len(_DASHES)]

        headers: dict[str, str] = {}
        while True:
            if not rest:
                return None, data
            line, following = _get_line(rest)
            key, colon, value = line.partition(":")
            if not colon:
                break
            headers[trim_space(key)] = trim_space(value)
            rest = following

        if not headers and rest.startswith(_END[1:]):
            end, trailer_at = 0, len(_END) - 1
        else:
            end = rest.find(_END)
            trailer_at = end + len(_END)
        if end < 0:
            continue
        trailer_len = len(block_type) + len(_DASHES)
        trailer = rest[trailer_at : trailer_at + trailer_len]
        after_trailer = rest[trailer_at + trailer_len :]
        if len(trailer) < trailer_len or trailer != block_type + _DASHES:
            continue
        if _get_line(after_trailer)[0]:
            continue
        body = "".join(c for c in rest[:end] if c not in " \t\r\n")
        try:
            data_bytes = base64.b64decode(body.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            continue
        _, rest = _get_line(rest[end + len(_END) - 1 :])
        return PemBlock(block_type, data_bytes, headers), rest
