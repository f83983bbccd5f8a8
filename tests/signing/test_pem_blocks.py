"""PEM blocks with headers, compared with what Go's encoding/pem reads and writes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from pyocm.errors import ValidationError
from pyocm.signing.keys import load_certificates
from pyocm.signing.pem import PemBlock, decode, decode_signature, encode, encode_signature

FIFTY = bytes(range(50))
FIFTY_B64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v\nMDE=\n"


def test_encode_writes_headers_blank_line_and_64_char_lines() -> None:
    block = PemBlock("TEST", FIFTY, {"b": "2", "a": "1", "Proc-Type": "4,ENCRYPTED"})
    assert encode(block) == (
        "-----BEGIN TEST-----\n"
        "Proc-Type: 4,ENCRYPTED\n"
        "a: 1\n"
        "b: 2\n"
        "\n" + FIFTY_B64 + "-----END TEST-----\n"
    )


def test_encode_without_headers_has_no_blank_line() -> None:
    assert (
        encode(PemBlock("TEST", FIFTY)) == f"-----BEGIN TEST-----\n{FIFTY_B64}-----END TEST-----\n"
    )


def test_encode_rejects_header_key_with_colon() -> None:
    with pytest.raises(ValueError, match="cannot be encoded"):
        encode(PemBlock("TEST", b"", {"a:b": "c"}))


def test_go_signature_pem_is_reproduced_byte_for_byte(data: Path) -> None:
    # signature-pss.pem was written by Go's pem.EncodeToMemory (tests/signing/data/go).
    go_text = (data / "go" / "signature-pss.pem").read_text()
    facts = json.loads((data / "go" / "facts.json").read_text())
    certificates = [c.public_bytes(Encoding.DER) for c in load_certificates(go_text)]
    ours = encode_signature(bytes.fromhex(facts["pss_signature"]), "RSASSA-PSS", certificates)
    assert ours == go_text


def test_go_signature_pem_decodes(data: Path) -> None:
    facts = json.loads((data / "go" / "facts.json").read_text())
    decoded = decode_signature((data / "go" / "signature-pss.pem").read_bytes())
    assert decoded.algorithm == "RSASSA-PSS"
    assert decoded.signature.hex() == facts["pss_signature"]
    assert len(decoded.certificates) == 2


def test_decode_skips_surrounding_text_and_reads_crlf() -> None:
    text = (
        "garbage before\r\n-----BEGIN SIGNATURE-----\r\n"
        "Signature Algorithm:   RSASSA-PKCS1-V1_5  \r\n\r\n"
        "AAEC\r\nAw==\r\n-----END SIGNATURE-----\r\ntrailing text"
    )
    (block,) = decode(text)
    assert block == PemBlock(
        "SIGNATURE", b"\x00\x01\x02\x03", {"Signature Algorithm": "RSASSA-PKCS1-V1_5"}
    )


def test_decode_skips_malformed_blocks() -> None:
    text = (
        "-----BEGIN A-----\n!!not base64!!\n-----END A-----\n"
        "-----BEGIN B-----\nAAEC\n-----END C-----\n"
        "-----BEGIN D-----\nAAEC\n-----END D-----\n"
    )
    assert decode(text) == [PemBlock("D", b"\x00\x01\x02")]


def test_decode_empty_block_and_block_at_start_without_newline() -> None:
    text = "-----BEGIN EMPTY-----\n-----END EMPTY-----\n-----BEGIN X-----\nAA==\n-----END X-----"
    assert decode(text) == [PemBlock("EMPTY", b""), PemBlock("X", b"\x00")]


def test_decode_signature_finds_signature_after_other_blocks_and_keeps_cert_order() -> None:
    text = encode(
        PemBlock("CERTIFICATE", b"first"),
        PemBlock("SIGNATURE", b"sig"),
        PemBlock("OTHER", b"x"),
        PemBlock("CERTIFICATE", b"second"),
    )
    decoded = decode_signature(text)
    assert decoded.signature == b"sig"
    assert decoded.algorithm == ""
    assert decoded.certificates == (b"first", b"second")


def test_decode_signature_without_signature_block_fails() -> None:
    expected = "invalid PEM signature: no SIGNATURE block (found: CERTIFICATE)"
    with pytest.raises(ValidationError, match=re.escape(expected)):
        decode_signature(encode(PemBlock("CERTIFICATE", b"x")))
    expected = "invalid PEM signature: no SIGNATURE block (found: no PEM blocks)"
    with pytest.raises(ValidationError, match=re.escape(expected)):
        decode_signature("-----BEGIN SIGNATURE-----\nnot-pem\n-----END SIGNATURE-----")
