"""Throughput of the RSA digest signatures and of PEM chain verification.

    $ python bench/signing_rsa.py              # 200 operations each, 2048-bit keys
    $ python bench/signing_rsa.py --ops 1000 --bits 4096

Prints the median time per operation for signing and verifying a SHA-256 digest with
RSASSA-PSS and RSASSA-PKCS1-V1_5 (plain hex), and for verifying a PEM signature whose
root → intermediate → leaf chain is validated on every call.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from pyocm.signing import RSASSA_PKCS1_V1_5, RSASSA_PSS, sign_digest, verify_digest


def per_op(fn: Callable[[], object], ops: int) -> float:
    """Median seconds per call over ``ops`` calls (after one warm-up call)."""
    fn()
    times = []
    for _ in range(ops):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def certificate(
    cn: str, key: rsa.RSAPrivateKey, issuer: tuple[x509.Certificate, rsa.RSAPrivateKey] | None
) -> x509.Certificate:
    """A CA certificate (no issuer given) or a code-signing leaf."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = datetime.now(UTC)
    issuer_name, signer = (name, key) if issuer is None else (issuer[0].subject, issuer[1])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=1))
    )
    is_ca = cn != "leaf"
    builder = builder.add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), True)
    if not is_ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), False
        )
    return builder.sign(signer, hashes.SHA256())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=200, help="operations per figure")
    parser.add_argument("--bits", type=int, default=2048, help="RSA modulus size")
    args = parser.parse_args()

    key = rsa.generate_private_key(public_exponent=65537, key_size=args.bits)
    public = key.public_key()
    digest = hashlib.sha256(b"bench").hexdigest()
    print(f"RSA-{args.bits}, SHA-256 digest, median of {args.ops} operations")
    for algorithm in (RSASSA_PSS, RSASSA_PKCS1_V1_5):
        spec = sign_digest(digest, "SHA-256", key, algorithm=algorithm)
        sign = per_op(
            lambda a=algorithm: sign_digest(digest, "SHA-256", key, algorithm=a), args.ops
        )
        verify = per_op(
            lambda s=spec: verify_digest(digest, "SHA-256", s, public_key=public), args.ops
        )
        print(f"  {algorithm:<18} sign {sign * 1e3:7.3f} ms   verify {verify * 1e3:7.3f} ms")

    root_key, intermediate_key = (rsa.generate_private_key(65537, args.bits) for _ in range(2))
    root = certificate("root", root_key, None)
    intermediate = certificate("intermediate", intermediate_key, (root, root_key))
    leaf = certificate("leaf", key, (intermediate, intermediate_key))
    spec = sign_digest(digest, "SHA-256", key, encoding="pem", certificates=[leaf, intermediate])
    verify = per_op(lambda: verify_digest(digest, "SHA-256", spec, roots=[root]), args.ops)
    print(f"  PEM + chain        verify {verify * 1e3:7.3f} ms (PEM decode and chain validation)")


if __name__ == "__main__":
    main()
