import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest

from pyocm.digest import (
    GENERIC_BLOB_DIGEST_V1,
    generic_blob_digest,
    oci_artifact_digest,
    oci_layout_manifest_digest,
)
from pyocm.errors import OCMError


def test_generic_blob_digest_of_the_ctf_vector_blob(vectors: Path) -> None:
    # ctf/01: the local blob resource holds the 4 bytes "test"; the CTF names the blob by digest.
    blob = (
        vectors
        / "ctf/01/transport-archive/blobs"
        / ("sha256.9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
    )
    with blob.open("rb") as f:
        d = generic_blob_digest(f)
    assert (d.hash_algorithm, d.normalisation_algorithm) == ("SHA-256", GENERIC_BLOB_DIGEST_V1)
    assert d.value == "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def test_generic_blob_digest_matches_the_recorded_legacy_digest(vectors: Path) -> None:
    base = vectors / "signing/legacy-compat/component-archive"
    recorded = "c893900c1106f13d55648a425f502dd6518e40eaa3ac7d24023d4c73d55dc12e"
    with (base / "blobs" / f"sha256.{recorded}").open("rb") as f:
        assert generic_blob_digest(f).value == recorded
    assert recorded in (base / "component-descriptor.yaml").read_text()


def test_generic_blob_digest_sha512() -> None:
    # SHA-512("testdata"), computed independently with coreutils sha512sum.
    d = generic_blob_digest(io.BytesIO(b"testdata"), "SHA-512")
    assert d.hash_algorithm == "SHA-512"
    assert d.value.startswith("76f4ca48")


def test_streaming_reads_in_chunks_not_all_at_once() -> None:
    class Tracking(io.BytesIO):
        largest = 0

        def read(self, n: int | None = -1) -> bytes:
            assert n is not None and n > 0, "must read with a bounded size"
            data = super().read(n)
            Tracking.largest = max(Tracking.largest, len(data))
            return data

    generic_blob_digest(Tracking(b"x" * (5 << 20)))
    assert Tracking.largest <= 1 << 20


def test_oci_artifact_digest_from_manifest_digest() -> None:
    d = oci_artifact_digest("sha256:" + "ab" * 32)
    assert (d.hash_algorithm, d.normalisation_algorithm, d.value) == (
        "SHA-256",
        "ociArtifactDigest/v1",
        "ab" * 32,
    )
    with pytest.raises(OCMError, match="invalid OCI manifest digest"):
        oci_artifact_digest("md5:abc")


def _layout_tar(index: dict[str, object], gz: bool) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in (
            ("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
            ("index.json", json.dumps(index).encode()),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(buf.getvalue()) if gz else buf.getvalue()


@pytest.mark.parametrize("gz", [False, True])
def test_oci_layout_main_manifest_single(gz: bool) -> None:
    m = {
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": "sha256:" + "1" * 64,
        "size": 10,
    }
    assert (
        oci_layout_manifest_digest(io.BytesIO(_layout_tar({"manifests": [m]}, gz))) == m["digest"]
    )


def test_oci_layout_main_manifest_by_annotation() -> None:
    a = {"digest": "sha256:" + "a" * 64}
    b = {"digest": "sha256:" + "b" * 64, "annotations": {"software.ocm/main": "true"}}
    tar = _layout_tar({"manifests": [a, b]}, False)
    assert oci_layout_manifest_digest(io.BytesIO(tar)) == b["digest"]


def test_oci_layout_ambiguous_or_missing_index_is_an_error() -> None:
    a = {"digest": "sha256:" + "a" * 64}
    with pytest.raises(OCMError, match="none is marked"):
        oci_layout_manifest_digest(io.BytesIO(_layout_tar({"manifests": [a, a]}, False)))
    with pytest.raises(OCMError, match="not an OCI image layout"):
        oci_layout_manifest_digest(io.BytesIO(b"definitely not a tar"))
