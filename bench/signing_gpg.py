"""Cost of one GPG digest signature and verification (each runs gpg in a fresh GnuPG home).

    $ python bench/signing_gpg.py              # 20 operations each, ed25519 and rsa3072 keys
    $ python bench/signing_gpg.py --ops 50

Prints the median time per operation for signing (unprotected and passphrase-protected key)
and verifying a SHA-256 digest; the time is dominated by starting gpg (and gpg-agent for
signing) and by creating and removing the temporary home.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pyocm.signing import gpg


def per_op(fn: Callable[[], object], ops: int) -> float:
    """Median seconds per call over ``ops`` calls (after one warm-up call)."""
    fn()
    times = []
    for _ in range(ops):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_key(algorithm: str, passphrase: str) -> tuple[bytes, bytes]:
    """An armored (secret, public) key pair made with ``gpg --quick-gen-key``."""
    home = Path(tempfile.mkdtemp(prefix="bench-gpg-"))
    base = ["gpg", "--homedir", str(home), "--batch", "--no-tty"]
    loopback = ["--pinentry-mode", "loopback", "--passphrase", passphrase]
    try:
        user = f"bench-{algorithm}"
        subprocess.run(
            [*base, *loopback, "--quick-gen-key", user, algorithm, "sign", "never"],
            check=True,
            capture_output=True,
        )
        secret = subprocess.run(
            [*base, *loopback, "--armor", "--export-secret-keys", user],
            check=True,
            capture_output=True,
        ).stdout
        public = subprocess.run(
            [*base, "--armor", "--export", user], check=True, capture_output=True
        ).stdout
        return secret, public
    finally:
        subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], check=False)
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    """Run the measurements and print one line per case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=20)
    ops = parser.parse_args().ops
    digest = hashlib.sha256(b"bench").hexdigest()
    for algorithm in ("ed25519", "rsa3072"):
        for passphrase in ("", "secret"):
            secret, public = make_key(algorithm, passphrase)
            spec = gpg.sign_digest(digest, "SHA-256", secret, passphrase=passphrase)
            sign = per_op(
                functools.partial(
                    gpg.sign_digest, digest, "SHA-256", secret, passphrase=passphrase
                ),
                ops,
            )
            verify = per_op(
                functools.partial(gpg.verify_digest, digest, "SHA-256", spec, public), ops
            )
            kind = "protected" if passphrase else "unprotected"
            print(
                f"{algorithm:8} {kind:11}  sign {sign * 1000:7.1f} ms/op   "
                f"verify {verify * 1000:7.1f} ms/op"
            )


if __name__ == "__main__":
    main()
