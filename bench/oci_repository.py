"""A 1 GiB image resource into and out of a registry with ``ocm``, beside ``skopeo copy``.

    python bench/oci_repository.py                  # 1 GiB layer, 1 run
    python bench/oci_repository.py --size-mib 256 --runs 3 --keep

An OCI image layout holding one image (a config and one layer of ``--size-mib`` random bytes)
is the ``file`` input (media type ``application/vnd.ocm.software.oci.layout.v1+tar``) of a
component version.  Per run, against a fresh local ``docker-registry`` (plain HTTP, storage
wiped):

* push: ``ocm add cv -r http://127.0.0.1:PORT`` (the image is stored natively, the version as
  an OCI index), then ``skopeo copy oci:<layout> docker://…`` of the same image;
* pull: ``ocm download resource …//acme.org/bench:1.0.0 --identity name=image`` (the image
  is handed out as a gzipped OCI layout, as Go v2 does, and unpacked into a directory), then
  ``skopeo copy docker://… oci:<dir>``.

Each step is a child process; wall time includes the interpreter start, peak RSS is
``ru_maxrss`` measured by GNU ``time`` (``/usr/bin/time``) where installed.  Prints MiB/s,
peak RSS and the ratios ocm / skopeo (skopeo time divided by ocm time: above 1 is faster).
Data lives under /tmp/pyocm-bench-repository (``--keep`` keeps it).  Needs ``docker-registry``
and ``skopeo``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tarfile
from pathlib import Path

from benchlib import Registry, make_layout, measure, tool

WORK = Path("/tmp/pyocm-bench-repository")
OCM = Path(sys.executable).with_name("ocm")
LAYOUT_TAR = "application/vnd.ocm.software.oci.layout.v1+tar"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MiB = 1 << 20

CONSTRUCTOR = f"""\
name: acme.org/bench
version: 1.0.0
provider: {{name: acme.org}}
resources:
- name: image
  version: 1.0.0
  type: ociImage
  input: {{type: file, path: image.tar, mediaType: "{LAYOUT_TAR}"}}
"""


def make_image(work: Path, size: int) -> tuple[Path, str, str]:
    """An OCI layout directory and the same layout as ``image.tar``: (layout, manifest digest,
    layer digest)."""
    layout, manifest_digest, layer_digest = make_layout(work, size)
    with tarfile.open(work / "image.tar", "w") as tar:
        for path in sorted(layout.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=str(path.relative_to(layout)))
    return layout, manifest_digest, layer_digest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    size = args.size_mib * MiB
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    skopeo = tool("skopeo")
    registry = Registry(WORK / "registry")
    results: dict[str, list[tuple[float, float]]] = {}
    try:
        layout, manifest_digest, layer_digest = make_image(WORK, size)
        (WORK / "component-constructor.yaml").write_text(CONSTRUCTOR)
        print(f"single-layer image of {args.size_mib} MiB, {args.runs} run(s), median")
        for _ in range(args.runs):
            registry.restart()
            wall, peak, out = measure(
                [str(OCM), "add", "cv", "-r", registry.url, "-o", "json"], cwd=WORK
            )
            [cd] = json.loads(out)
            recorded = cd["component"]["resources"][0]["digest"]["value"]
            assert f"sha256:{recorded}" == manifest_digest, "ocm stored another image"
            results.setdefault("ocm add cv", []).append((wall, peak))

            target = WORK / "pulled-ocm"
            shutil.rmtree(target, ignore_errors=True)
            wall, peak, _ = measure(
                [
                    str(OCM),
                    "download",
                    "resource",
                    f"{registry.url}//acme.org/bench:1.0.0",
                    "--identity",
                    "name=image",
                    "--output",
                    str(target),
                ]
            )
            pulled = target / "blobs" / "sha256" / layer_digest[7:]
            assert pulled.stat().st_size == size, "ocm downloaded the wrong layer"
            results.setdefault("ocm download", []).append((wall, peak))

            registry.restart()
            reference = f"docker://{registry.address}/bench/skopeo:1.0"
            wall, peak, _ = measure(
                [
                    skopeo,
                    "copy",
                    "-q",
                    "--preserve-digests",
                    "--dest-tls-verify=false",
                    f"oci:{layout}:1.0",
                    reference,
                ]
            )
            results.setdefault("skopeo push", []).append((wall, peak))
            back = WORK / "pulled-skopeo"
            shutil.rmtree(back, ignore_errors=True)
            wall, peak, _ = measure(
                [
                    skopeo,
                    "copy",
                    "-q",
                    "--preserve-digests",
                    "--src-tls-verify=false",
                    reference,
                    f"oci:{back}:1.0",
                ]
            )
            assert (back / "blobs" / "sha256" / layer_digest[7:]).stat().st_size == size
            results.setdefault("skopeo pull", []).append((wall, peak))
    finally:
        registry.stop()
        if not args.keep:
            shutil.rmtree(WORK, ignore_errors=True)

    print(f"{'operation':<14}{'wall s':>9}{'MiB/s':>9}{'peak RSS MiB':>14}")
    walls: dict[str, float] = {}
    for name, runs in results.items():
        wall = statistics.median(w for w, _ in runs)
        walls[name] = wall
        peak = max(p for _, p in runs)
        print(f"{name:<14}{wall:>9.2f}{args.size_mib / wall:>9.1f}{peak:>14.1f}")
    for ours, theirs in (("ocm add cv", "skopeo push"), ("ocm download", "skopeo pull")):
        ratio = walls[theirs] / walls[ours]
        print(f"{ours} / {theirs}: {ratio:.2f}x skopeo's speed (skopeo time / ocm time)")


if __name__ == "__main__":
    main()
