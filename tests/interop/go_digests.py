"""Component-version digests as the Go reference CLIs compute them, for the interop tests.

Go v2 0.13.0 has no hash command: :func:`go_v2_digest` reads the digest that
``sign cv --dry-run`` would sign (it needs an RSA key, :func:`go_v2_signing_config`).  The
legacy v1 CLI prints its digests with ``hash cv --actual`` (:func:`legacy_digests`).
"""

from __future__ import annotations

import json
from pathlib import Path

from fixtures.go_ocm import GoOcm
from fixtures.signing import write_key_pair

V4ALPHA1 = "jsonNormalisation/v4alpha1"
PROBE = "interop-probe"


def go_v2_signing_config(work: Path) -> Path:
    """An ``.ocmconfig`` with a new RSA key for the signature ``PROBE``, written into ``work``."""
    write_key_pair(work)
    consumer = {
        "identity": {"type": "RSA/v1alpha1", "algorithm": "RSASSA-PSS", "signature": PROBE},
        "credentials": [
            {
                "type": "Credentials/v1",
                "properties": {"private_key_pem_file": str(work / "private.pem")},
            }
        ],
    }
    config = work / "ocmconfig.json"
    config.write_text(
        json.dumps(
            {
                "type": "generic.config.ocm.software/v1",
                "configurations": [
                    {"type": "credentials.config.ocm.software", "consumers": [consumer]}
                ],
            }
        )
    )
    return config


def go_v2_digest(
    go: GoOcm, config: Path, reference: str, normalisation: str = V4ALPHA1
) -> tuple[str | None, str]:
    """``(digest, "")`` as Go v2 would sign ``reference``, or ``(None, error line)``.

    Go v2 always reports ``jsonNormalisation/v4alpha1`` (it replaces v3 by it); checked here.
    """
    done = go.run(
        "sign", "cv", "--config", str(config), "--signature", PROBE, "--dry-run",
        "--normalisation", normalisation, "-o", "json", reference,
    )  # fmt: skip
    if done.returncode != 0:
        return None, (done.stderr.strip().splitlines() or [""])[-1]
    digest = json.loads(done.stdout)["digest"]
    assert digest["normalisationAlgorithm"] == V4ALPHA1, digest
    return digest["value"], ""


def legacy_digests(go: GoOcm, algorithm: str, references: list[str]) -> dict[str, str]:
    """The legacy CLI's digest of each ``references`` entry (one call), by ``component:version``."""
    done = go.ok("hash", "cv", "--actual", "-N", algorithm, "-o", "json", *references)
    return {f"{i['component']}:{i['version']}": i["hash"] for i in json.loads(done.stdout)["items"]}
