"""OCI image layouts given as ``file`` or ``dir`` inputs are stored as native OCI artifacts."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pyocm.descriptor import Descriptor

Build = Callable[..., list[Descriptor]]

LAYOUT_TAR = "application/vnd.ocm.software.oci.layout.v1+tar"
MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json"


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def write_layout(root: Path) -> bytes:
    """Write an OCI image layout with one image (config + one layer); returns the manifest."""
    config = b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'
    layer = gzip.compress(b"layer content", mtime=0)
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": MANIFEST_TYPE,
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": sha(config),
                "size": len(config),
            },
            "layers": [
                {
                    "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": sha(layer),
                    "size": len(layer),
                }
            ],
        }
    ).encode()
    index = json.dumps(
        {
            "schemaVersion": 2,
            "manifests": [
                {
                    "mediaType": MANIFEST_TYPE,
                    "digest": sha(manifest),
                    "size": len(manifest),
                    "annotations": {"org.opencontainers.image.ref.name": "1.0.0"},
                }
            ],
        }
    ).encode()
    (root / "blobs" / "sha256").mkdir(parents=True)
    for blob in (config, layer, manifest):
        (root / "blobs" / "sha256" / hashlib.sha256(blob).hexdigest()).write_bytes(blob)
    (root / "index.json").write_bytes(index)
    (root / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
    return manifest


def tar_directory(root: Path) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for path in sorted(root.rglob("*")):
            tar.add(path, arcname=str(path.relative_to(root)), recursive=False)
    return buf.getvalue()


def layout_resource(input_yaml: str) -> str:
    return f"""
name: acme.org/app
version: 1.0.0
provider: {{name: acme.org}}
resources:
- name: image
  type: ociImage
  input: {input_yaml}
"""


@pytest.mark.parametrize(
    ("filename", "input_yaml"),
    [
        ("image.tar", f"{{type: file, path: image.tar, mediaType: '{LAYOUT_TAR}'}}"),
        ("image.tar.gz", f"{{type: file, path: image.tar.gz, mediaType: '{LAYOUT_TAR}+gzip'}}"),
        (
            "image.tar",
            f"{{type: file, path: image.tar, mediaType: '{LAYOUT_TAR}', compress: true}}",
        ),
        ("layout", f"{{type: dir, path: layout, mediaType: '{LAYOUT_TAR}'}}"),
    ],
)
def test_layout_is_stored_natively_with_the_manifest_digest(
    workdir: Path, tmp_path: Path, build: Build, filename: str, input_yaml: str
) -> None:
    manifest = write_layout(workdir / "layout")
    tar = tar_directory(workdir / "layout")
    (workdir / "image.tar").write_bytes(tar)
    (workdir / "image.tar.gz").write_bytes(gzip.compress(tar))
    (cd,) = build(layout_resource(input_yaml))
    res = cd.component.resources[0]
    assert res.access is not None
    assert res.access.properties == {"localReference": sha(manifest), "mediaType": MANIFEST_TYPE}
    assert res.digest is not None
    assert (res.digest.hash_algorithm, res.digest.value) == ("SHA-256", sha(manifest)[7:])
    stored_manifest = tmp_path / "ctf" / "blobs" / sha(manifest).replace(":", ".")
    assert stored_manifest.read_bytes() == manifest
