"""Small helpers that reproduce the exact semantics of Go standard-library functions.

>>> trim_space("\\u00a0 CN=x \\t")
'CN=x'
>>> decode_hex("0aFF")
b'\\n\\xff'
"""

from __future__ import annotations

import re

# unicode.IsSpace: the ASCII white space, NEL, NBSP and the Unicode Zs/Zl/Zp characters.
# Python's str.strip() would also strip U+001C..U+001F, which Go keeps.
_GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_HEX = re.compile(r"(?:[0-9A-Fa-f]{2})*")


def trim_space(s: str) -> str:
    """``strings.TrimSpace``: strip leading and trailing Unicode white space as Go defines it."""
    return s.strip(_GO_SPACE)


def decode_hex(s: str) -> bytes:
    """``hex.DecodeString``: strict hex of either case; raises ValueError on anything else.

    Unlike :meth:`bytes.fromhex` this rejects embedded white space.
    """
    if not _HEX.fullmatch(s):
        raise ValueError(f"not an even-length hex string: {s[:40]!r}")
    return bytes.fromhex(s)
