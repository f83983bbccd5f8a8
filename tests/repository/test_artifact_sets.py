"""Legacy artifact-set local blobs (how the v1 CLI stores helm charts) copied into a repository.

The legacy CLI records the digest of the set's main manifest (``ociArtifactDigest/v1``), not
of the tar: storing the set again (a transfer) must accept that digest when the set holds the
manifest it names, keep it, and refuse one it does not.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from pyocm.blob import BytesBlob
from pyocm.descriptor import AccessSpec, Digest, Resource
from pyocm.errors import DigestMismatch
from pyocm.repository.ctf.ocistore import CTFStore
from pyocm.repository.ocm import OCMRepository

SET_TYPE = "application/vnd.oci.image.manifest.v1+tar+gzip"


def artifact_set() -> tuple[bytes, str]:
    """A gzipped artifact set with one manifest (config + layer); returns it and the manifest
    digest."""
    config, layer = b"{}", b"chart bytes"
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/x", "digest": sha(config), "size": 2},
            "layers": [{"mediaType": "application/y", "digest": sha(layer), "size": 11}],
        }
    ).encode()
    index = json.dumps(
        {
            "schemaVersion": 2,
            "manifests": [
                {
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "digest": sha(manifest),
                    "size": len(manifest),
                }
            ],
        }
    ).encode()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in [("index.json", index)] + [
            (f"blobs/{sha(b).replace(':', '.')}", b) for b in (config, layer, manifest)
        ]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(out.getvalue(), mtime=0), sha(manifest)


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def chart(digest: str) -> Resource:
    return Resource(
        name="chart",
        version="1.0.0",
        type="helmChart",
        access=AccessSpec("localBlob", {"localReference": "x", "mediaType": SET_TYPE}),
        digest=Digest("SHA-256", "ociArtifactDigest/v1", digest.removeprefix("sha256:")),
    )


def test_the_manifest_digest_of_an_artifact_set_is_accepted_and_kept(tmp_path: Path) -> None:
    data, manifest = artifact_set()
    repo = OCMRepository(CTFStore(tmp_path, writable=True))
    stored = repo.add_local_resource("acme.org/app", "1.0.0", chart(manifest), BytesBlob(data))
    assert stored.access is not None
    assert stored.access.properties["localReference"] == sha(data)
    assert stored.access.properties["mediaType"] == SET_TYPE
    assert stored.digest == chart(manifest).digest


def test_a_digest_the_set_does_not_hold_is_refused(tmp_path: Path) -> None:
    data, _ = artifact_set()
    repo = OCMRepository(CTFStore(tmp_path, writable=True))
    with pytest.raises(DigestMismatch):
        repo.add_local_resource("acme.org/app", "1.0.0", chart(sha(b"other")), BytesBlob(data))


def test_the_tar_digest_is_still_accepted_and_recorded_as_go_v2_does(tmp_path: Path) -> None:
    data, _ = artifact_set()
    repo = OCMRepository(CTFStore(tmp_path, writable=True))
    stored = repo.add_local_resource("acme.org/app", "1.0.0", chart(sha(data)), BytesBlob(data))
    assert stored.digest == Digest("SHA-256", "genericBlobDigest/v1", sha(data)[7:])
