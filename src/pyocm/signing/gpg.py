"""GPG (OpenPGP) signatures over digests, made and checked by the ``gpg`` program (GnuPG).

    >>> from pyocm.signing import gpg
    >>> spec = gpg.sign_digest(digest_hex, "SHA-256", armored_private_key)  # doctest: +SKIP
    >>> spec.algorithm, spec.media_type                                    # doctest: +SKIP
    ('GPG', 'application/vnd.ocm.signature.gpg')
    >>> gpg.verify_digest(digest_hex, "SHA-256", spec, armored_public_key)  # doctest: +SKIP
    '3D1881F3A0A18A9B817CB5116F7C38265CC898B1'

As the Go v2 GPG handler does, what is signed is the raw digest (``bytes.fromhex(value)``), and
the signature value is an ASCII-armored detached OpenPGP signature; the signature's own hash is
``SHA-256``, ``SHA-384`` or ``SHA-512`` (the ``hashAlgorithm`` of
``GPGSigningConfiguration/v1alpha1``).  A key fingerprint (40 hex digits, or the 16-hex-digit
long key id of a primary key) picks one key of a keyring; without one the first key signs, and
any key of the keyring may verify.

Every operation runs ``gpg`` in batch mode in its own temporary GnuPG home (mode 0700), which is
removed, with the agent started for it, when the operation ends; nothing touches ``~/.gnupg``.
Passphrases travel over a pipe (``--passphrase-fd``), never on the command line.  Results are
read from gpg's machine-readable status lines, never from its exit code alone.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from pyocm.descriptor import Signature, SignatureSpec
from pyocm.errors import CredentialsError, OCMError, SignatureError
from pyocm.signing import GPG, LEGACY_HASH_ALGORITHMS, MEDIA_TYPE_GPG, SHA256, SHA384, SHA512
from pyocm.signing._go import decode_hex

__all__ = [
    "GPG",
    "MEDIA_TYPE_GPG",
    "gpg_program",
    "is_gpg_signature",
    "sign_digest",
    "verify_digest",
]

_log = logging.getLogger("pyocm.signing")

_GPG_HASHES = {SHA256: "SHA256", SHA384: "SHA384", SHA512: "SHA512"}
"""OCM hash names to gpg ``--digest-algo`` names."""
_HASH_IDS = {SHA256: "8", SHA384: "9", SHA512: "10"}
"""OCM hash names to OpenPGP hash algorithm ids (RFC 4880 §9.4), as status lines show them."""
_DIGEST_SIZES = {SHA256: 32, SHA384: 48, SHA512: 64}
_NO_PASSPHRASE, _BAD_PASSPHRASE = 177, 11
"""libgpg-error codes (the low 16 bits of a FAILURE status) for a missing or wrong passphrase."""
_REJECTING = {
    "BADSIG": "the signature does not match the digest: changed digest or wrong key",
    "ERRSIG": "the signature cannot be checked: no matching public key, or unusable signature",
    "EXPSIG": "the signature has expired",
    "EXPKEYSIG": "the signing key has expired",
    "REVKEYSIG": "the signing key has been revoked",
    "PLAINTEXT": "the signature carries signed data of its own (not a detached signature)",
}
_TIMEOUT = 120.0


def is_gpg_signature(signature: Signature | SignatureSpec) -> bool:
    """Whether ``signature`` is a GPG one (its algorithm or its media type says so)."""
    spec = signature.signature if isinstance(signature, Signature) else signature
    return spec.algorithm == GPG or spec.media_type == MEDIA_TYPE_GPG


def sign_digest(
    digest_hex: str,
    hash_algorithm: str,
    private_key: bytes | str,
    *,
    passphrase: str = "",
    signature_hash: str = SHA256,
    key_fingerprint: str = "",
    name: str = "",
) -> SignatureSpec:
    """An armored detached GPG signature of the digest ``digest_hex`` (made with
    ``hash_algorithm``), by the first key of the OpenPGP keyring ``private_key`` or the one
    ``key_fingerprint`` names.

    ``passphrase`` unlocks a protected key; ``signature_hash`` is the hash inside the OpenPGP
    signature.  ``name`` labels errors.  Raises :class:`~pyocm.errors.CredentialsError` for
    unusable key material or passphrases, :class:`~pyocm.errors.SignatureError` when gpg
    cannot sign, and :class:`~pyocm.errors.OCMError` when there is no ``gpg`` program.
    """
    if signature_hash not in _GPG_HASHES:
        raise SignatureError(
            name,
            f"unsupported GPG hash algorithm {signature_hash!r} "
            f"(expected one of {', '.join(_GPG_HASHES)})",
        )
    digest = _digest_bytes(digest_hex, hash_algorithm, name)
    with _GnuPG() as gnupg:
        keys = gnupg.import_keys(private_key, secret=True)
        if not keys:
            raise CredentialsError("no OpenPGP private key in the GPG key material")
        chosen = _select(keys, key_fingerprint) if key_fingerprint else keys[0]
        if chosen is None:
            raise CredentialsError(
                f"no key matching fingerprint {key_fingerprint!r} in the GPG keyring "
                f"(keys: {', '.join(k.fingerprint for k in keys)})"
            )
        data = gnupg.write("digest", digest)
        output = gnupg.home / "signature.asc"
        status = gnupg.run(
            [
                "--local-user",
                chosen.fingerprint,
                "--digest-algo",
                _GPG_HASHES[signature_hash],
                "--armor",
                "--detach-sign",
                "--output",
                str(output),
                str(data),
            ],
            agent=True,
            passphrase=passphrase,
        )
        created = status.first("SIG_CREATED")
        if created is None:
            raise _signing_failure(status, chosen.fingerprint, passphrase, name)
        if len(created) > 2 and created[2] != _HASH_IDS[signature_hash]:
            raise SignatureError(
                name,
                f"gpg signed with hash algorithm id {created[2]} instead of {signature_hash}",
            )
        value = output.read_text("ascii")
    _log.debug(
        "created GPG signature",
        extra={"signature": name, "fingerprint": chosen.fingerprint, "hash": signature_hash},
    )
    return SignatureSpec(GPG, value, MEDIA_TYPE_GPG, None)


def verify_digest(
    digest_hex: str,
    hash_algorithm: str,
    spec: SignatureSpec,
    public_key: bytes | str,
    *,
    key_fingerprint: str = "",
    name: str = "",
) -> str:
    """Check that ``spec`` is a good GPG signature of the digest ``digest_hex`` by a key of the
    OpenPGP keyring ``public_key`` (or, with ``key_fingerprint``, by that key).

    Returns the fingerprint of the primary key that made the signature.  Raises
    :class:`~pyocm.errors.SignatureError` naming ``name`` for any failure, and
    :class:`~pyocm.errors.OCMError` when there is no ``gpg`` program.
    """
    if spec.media_type != MEDIA_TYPE_GPG:
        raise SignatureError(
            name, f"unsupported media type {spec.media_type!r} for GPG verification"
        )
    if spec.algorithm and spec.algorithm != GPG:
        raise SignatureError(
            name, f"algorithm mismatch: {spec.algorithm!r} with media type {MEDIA_TYPE_GPG!r}"
        )
    _check_armor(spec.value, name)
    digest = _digest_bytes(digest_hex, hash_algorithm, name)
    with _GnuPG() as gnupg:
        keys = gnupg.import_keys(public_key, secret=False)
        if not keys:
            raise SignatureError(name, "no OpenPGP public key in the GPG key material")
        allowed = keys
        if key_fingerprint:
            chosen = _select(keys, key_fingerprint)
            if chosen is None:
                raise SignatureError(
                    name, f"no key matching fingerprint {key_fingerprint!r} in the GPG keyring"
                )
            allowed = [chosen]
        signature_file = gnupg.write("signature.asc", spec.value.encode())
        data = gnupg.write("digest", digest)
        status = gnupg.run(["--verify", str(signature_file), str(data)], agent=False)
    signer = _good_signer(status, name)
    if signer not in {k.fingerprint for k in allowed}:
        raise SignatureError(name, f"signed by key {signer}, not by key {key_fingerprint}")
    _log.debug("verified GPG signature", extra={"signature": name, "fingerprint": signer})
    return signer


def gpg_program() -> str:
    """The path of the ``gpg`` program; :class:`~pyocm.errors.OCMError` when none is on PATH."""
    program = shutil.which("gpg")
    if program is None:
        raise OCMError("GPG signatures need the gpg program (GnuPG) on PATH")
    return program


@dataclass(frozen=True)
class _Key:
    """A primary key in a GnuPG keyring."""

    fingerprint: str
    key_id: str


@dataclass(frozen=True)
class _Run:
    """A finished gpg run: its status lines (keyword first), exit code and output."""

    lines: list[list[str]]
    returncode: int
    stdout: str
    stderr: str

    def first(self, keyword: str) -> list[str] | None:
        """The arguments of the first status line with ``keyword``."""
        return next((line[1:] for line in self.lines if line[0] == keyword), None)

    def count(self, keyword: str) -> int:
        """How many status lines have ``keyword``."""
        return sum(1 for line in self.lines if line[0] == keyword)

    def message(self) -> str:
        """gpg's last human-readable complaint, for error messages."""
        said = [line.removeprefix("gpg: ") for line in self.stderr.splitlines() if line.strip()]
        return said[-1] if said else f"gpg exited with {self.returncode}"


class _GnuPG:
    """A throw-away GnuPG home: ``gpg`` runs in batch mode against it; leaving the context
    stops the agent gpg started for it (if any) and removes the directory."""

    def __init__(self) -> None:
        self.program = gpg_program()
        self.home = Path(tempfile.mkdtemp(prefix="pyocm-gnupg-"))
        os.chmod(self.home, 0o700)
        # The agent re-protects an unlocked key for its own store, which lives only in this
        # home; a fixed count spares it the S2K calibration (about 1.5 s per agent).
        (self.home / "gpg-agent.conf").write_text("s2k-count 65536\n")
        self._agent = False

    def __enter__(self) -> _GnuPG:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the agent of this home, if gpg may have started one, and remove the home."""
        gpgconf = shutil.which("gpgconf", path=str(Path(self.program).parent)) or shutil.which(
            "gpgconf"
        )
        if self._agent and gpgconf is not None:
            commands = [["--kill", "gpg-agent"]]
            if Path(f"/run/user/{os.getuid()}").is_dir():
                # The sockets then live in a directory of their own below /run/user.
                commands.append(["--remove-socketdir"])
            for command in commands:
                subprocess.run(
                    [gpgconf, "--homedir", str(self.home), *command],
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    timeout=_TIMEOUT,
                    check=False,
                )
        shutil.rmtree(self.home, ignore_errors=True)

    def write(self, name: str, data: bytes) -> Path:
        """``data`` as file ``name`` in the home."""
        path = self.home / name
        path.write_bytes(data)
        return path

    def import_keys(self, material: bytes | str, *, secret: bool) -> list[_Key]:
        """Import the keyring ``material``; its primary keys in keyring order (only those with
        a secret key when ``secret``)."""
        data = material.encode() if isinstance(material, str) else material
        keyring = self.write("keyring.asc", data)
        # Secret keys go to the agent; public keys need none.
        agent = secret or b"PRIVATE KEY BLOCK" in data
        self.run(["--import", str(keyring)], agent=agent)
        listing = self.run(
            [
                "--with-colons",
                "--fixed-list-mode",
                "--list-secret-keys" if secret else "--list-keys",
            ],
            agent=agent,
        )
        return _primary_keys(listing.stdout, "sec" if secret else "pub")

    def run(self, args: Sequence[str], *, agent: bool, passphrase: str | None = None) -> _Run:
        """Run gpg with ``args`` (``agent``: may start gpg-agent) and parse its status lines;
        ``passphrase`` is handed over a pipe to unlock secret keys."""
        command = [self.program, "--homedir", str(self.home), "--batch", "--no-tty"]
        command += ["--no-auto-key-retrieve", "--status-fd", "2"]
        if agent:
            self._agent = True
        else:
            command.append("--no-autostart")
        read_end = -1
        if passphrase is not None:
            read_end, write_end = os.pipe()
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(passphrase.encode())
            command += ["--pinentry-mode", "loopback", "--passphrase-fd", str(read_end)]
        try:
            done = subprocess.run(
                [*command, *args],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=_TIMEOUT,
                pass_fds=(read_end,) if read_end >= 0 else (),
                check=False,
            )
        finally:
            if read_end >= 0:
                os.close(read_end)
        err = done.stderr.decode("utf-8", "replace").splitlines()
        lines = [line.split(" ")[1:] for line in err if line.startswith("[GNUPG:] ")]
        said = "\n".join(line for line in err if not line.startswith("[GNUPG:] "))
        return _Run(lines, done.returncode, done.stdout.decode("utf-8", "replace"), said)


def _primary_keys(listing: str, record: str) -> list[_Key]:
    """Primary keys of a ``--with-colons`` listing, in order."""
    keys: list[_Key] = []
    key_id = ""
    want_fingerprint = False
    for line in listing.splitlines():
        fields = line.split(":")
        if fields[0] == record:
            key_id = fields[4].upper() if len(fields) > 4 else ""
            want_fingerprint = True
        elif fields[0] == "fpr" and want_fingerprint and len(fields) > 9:
            keys.append(_Key(fields[9].upper(), key_id))
            want_fingerprint = False
        elif fields[0] in ("sub", "ssb"):
            want_fingerprint = False
    return keys


def _select(keys: Sequence[_Key], fingerprint: str) -> _Key | None:
    """The key whose fingerprint or long key id is ``fingerprint`` (any case, spaces ignored)."""
    wanted = "".join(fingerprint.split()).upper()
    return next((k for k in keys if wanted in (k.fingerprint, k.key_id)), None)


def _digest_bytes(digest_hex: str, hash_algorithm: str, name: str) -> bytes:
    hash_name = LEGACY_HASH_ALGORITHMS.get(hash_algorithm, hash_algorithm)
    if not hash_algorithm:
        raise SignatureError(name, "missing hash algorithm in digest")
    if hash_name not in _DIGEST_SIZES:
        raise SignatureError(name, f"unsupported hash algorithm {hash_algorithm!r}")
    if not digest_hex:
        raise SignatureError(name, "missing digest value")
    try:
        digest = decode_hex(digest_hex)
    except ValueError:
        raise SignatureError(name, f"digest value {digest_hex[:80]!r} is not hex") from None
    if len(digest) != _DIGEST_SIZES[hash_name]:
        raise SignatureError(
            name,
            f"digest has {len(digest)} bytes, but a {hash_name} digest has "
            f"{_DIGEST_SIZES[hash_name]}",
        )
    return digest


def _check_armor(value: str, name: str) -> None:
    """Refuse a value whose first armor block is not a ``PGP SIGNATURE`` (as Go's reader does)."""
    begin = next((line for line in value.splitlines() if line.startswith("-----BEGIN ")), "")
    if begin.strip() != "-----BEGIN PGP SIGNATURE-----":
        raise SignatureError(name, "the signature value is not an armored OpenPGP signature")


def _signing_failure(status: _Run, fingerprint: str, passphrase: str, name: str) -> OCMError:
    failure = status.first("FAILURE")
    code = int(failure[1]) & 0xFFFF if failure and len(failure) > 1 and failure[1].isdigit() else 0
    if code == _NO_PASSPHRASE or (code == _BAD_PASSPHRASE and not passphrase):
        return CredentialsError(
            f"GPG private key {fingerprint} is passphrase-protected but no passphrase was "
            "provided (set passphrase in the GPG credentials)"
        )
    if code == _BAD_PASSPHRASE:
        return CredentialsError(f"wrong passphrase for GPG private key {fingerprint}")
    if status.first("INV_SGNR") is not None:
        return CredentialsError(f"GPG key {fingerprint} cannot sign (no usable signing key)")
    return SignatureError(name, f"gpg could not sign: {status.message()}")


def _good_signer(status: _Run, name: str) -> str:
    """The primary-key fingerprint of the one good signature the status lines report."""
    for keyword, reason in _REJECTING.items():
        if status.first(keyword) is not None:
            raise SignatureError(name, f"GPG signature does not verify: {reason}")
    valid = status.first("VALIDSIG")
    good = status.count("NEWSIG") == 1 and status.first("GOODSIG") is not None
    if not good or valid is None or status.returncode != 0:
        raise SignatureError(name, f"GPG signature does not verify: {status.message()}")
    return valid[-1].upper()
