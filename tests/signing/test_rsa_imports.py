"""Plain RSA signing and verifying load no X.509 code (cryptography.x509 costs ~45 ms)."""

from __future__ import annotations

import json
import subprocess
import sys

X509 = ["cryptography.x509", "pyocm.signing.chain", "pyocm.signing.dn"]

SCRIPT = """
import json, sys
from cryptography.hazmat.primitives.asymmetric import rsa as crypto_rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding, NoEncryption, PrivateFormat, PublicFormat,
)
from pyocm.signing.keys import load_private_key, load_public_key
from pyocm.signing.rsa import sign_digest, verify_digest

key = crypto_rsa.generate_private_key(public_exponent=65537, key_size=2048)
private = load_private_key(
    key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
)
public, chain = load_public_key(
    key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
)
assert chain == []
spec = sign_digest("ab" * 32, "SHA-256", private)
verify_digest("ab" * 32, "SHA-256", spec, public_key=public)
print(json.dumps([m for m in MODULES if m in sys.modules]))
"""


def test_plain_rsa_signatures_load_no_x509_code() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.replace("MODULES", repr(X509))],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(done.stdout.splitlines()[-1]) == []
