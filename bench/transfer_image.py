"""Registry to registry: ``ocm transfer cv --copy-resources`` of a 1 GiB image, beside skopeo.

    python bench/transfer_image.py                  # 1 GiB layer, 1 run
    python bench/transfer_image.py --size-mib 256 --runs 3 --keep

Two local ``docker-registry`` instances (plain HTTP): A, the source, and B, the target.  An
image of one ``--size-mib`` layer of random bytes is pushed to A
(``bench/image:1.0``, by skopeo, not timed), and the component version
``acme.org/bench:1.0.0`` is built in A (``ocm add cv``: its ``image`` resource is an
``ociArtifact`` access, resolved and pinned).  Then, per run, each with B wiped and restarted
(and A's layer file read once before, so every copy starts with it in the page cache):

* ``ocm transfer cv --copy-resources A//acme.org/bench:1.0.0 B``: the image becomes a local
  blob of the version in B, copied blob by blob (no archive);
* ``… --upload-as ociArtifact``: the image becomes an image of B (``B/bench/image:1.0``);
* ``ocm transfer cv`` of a version whose image is a local blob in A already (index form);
* ``skopeo copy --preserve-digests docker://A/bench/image:1.0 docker://B/bench/skopeo:1.0``
  (with an empty HOME, so it has no blob cache from earlier runs).

Each step is a child process, wall time includes the interpreter start; peak RSS is
``ru_maxrss`` measured by GNU ``time`` (``/usr/bin/time -f %M``) where installed, else by
``wait4``.  Every ocm copy is checked: the layer is in B with its digest and size, the
resource points at the image's manifest.  Prints wall time, MiB/s and peak RSS per step, and
the ratio skopeo time / ocm time (above 1: ocm is faster).  Data lives under
/tmp/pyocm-bench-transfer-image (``--keep`` keeps it).  Needs ``docker-registry`` and
``skopeo``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from benchlib import Registry, make_layout, measure, tool

WORK = Path("/tmp/pyocm-bench-transfer-image")
OCM = Path(sys.executable).with_name("ocm")
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MiB = 1 << 20
COMPONENT = "acme.org/bench:1.0.0"

CONSTRUCTOR = """\
name: acme.org/bench
version: 1.0.0
provider: {{name: acme.org}}
resources:
- name: image
  version: 1.0.0
  type: ociImage
  access: {{type: ociArtifact, imageReference: "{reference}"}}
"""


def measure_in_work(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """:func:`benchlib.measure` in the benchmark's working directory."""
    return measure(argv, cwd=WORK, env=env)


def warm(path: Path) -> None:
    """Read ``path`` once so that the next reader finds it in the page cache."""
    with path.open("rb") as f:
        while f.read(16 * MiB):
            pass


def descriptor(registry: Registry, sub_path: str) -> dict[str, object]:
    _, _, out = measure_in_work(
        [str(OCM), "get", "cv", f"{registry.url}/{sub_path}//{COMPONENT}", "-o", "json"]
    )
    [found] = json.loads(out)
    return dict(found)


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
    source = Registry(WORK / "registry-a")
    target = Registry(WORK / "registry-b")
    skopeo_env = {"HOME": str(WORK / "skopeo-home"), "XDG_RUNTIME_DIR": str(WORK / "skopeo-run")}
    results: dict[str, list[tuple[float, float]]] = {}
    try:
        layout, manifest_digest, layer_digest = make_layout(WORK, size)
        source.start(wipe=True)
        subprocess.run(
            [skopeo, "copy", "-q", "--preserve-digests", "--dest-tls-verify=false",
             f"oci:{layout}:1.0", f"docker://{source.address}/bench/image:1.0"],
            check=True,
        )  # fmt: skip
        shutil.rmtree(layout)
        reference = f"{source.url}/bench/image:1.0"
        (WORK / "component-constructor.yaml").write_text(CONSTRUCTOR.format(reference=reference))
        measure_in_work([str(OCM), "add", "cv", "-r", f"{source.url}/ocm"])
        built = descriptor(source, "ocm")
        recorded = built["component"]["resources"][0]["digest"]["value"]  # type: ignore[index]
        assert f"sha256:{recorded}" == manifest_digest, "ocm add cv resolved another image"
        # the same version with the image as a local blob of A (copied within A: mounted)
        measure_in_work(
            [str(OCM), "transfer", "cv", "--copy-resources",
             f"{source.url}/ocm//{COMPONENT}", f"{source.url}/local"]
        )  # fmt: skip
        steps: list[tuple[str, list[str], dict[str, str]]] = [
            (
                "ocm transfer",
                [str(OCM), "transfer", "cv", "--copy-resources",
                 f"{source.url}/ocm//{COMPONENT}", f"{target.url}/ocm"],
                {},
            ),
            (
                "ocm --upload-as",
                [str(OCM), "transfer", "cv", "--copy-resources", "--upload-as", "ociArtifact",
                 f"{source.url}/ocm//{COMPONENT}", f"{target.url}/ocm"],
                {},
            ),
            (
                "ocm local blob",
                [str(OCM), "transfer", "cv", f"{source.url}/local//{COMPONENT}",
                 f"{target.url}/ocm"],
                {},
            ),
            (
                "skopeo copy",
                [skopeo, "copy", "-q", "--preserve-digests", "--src-tls-verify=false",
                 "--dest-tls-verify=false", f"docker://{source.address}/bench/image:1.0",
                 f"docker://{target.address}/bench/skopeo:1.0"],
                skopeo_env,
            ),
        ]  # fmt: skip
        print(f"single-layer image of {args.size_mib} MiB, registry A -> registry B")
        print(f"{args.runs} run(s), median wall time, highest peak RSS")
        for _ in range(args.runs):
            for name, argv, env in steps:
                target.start(wipe=True)
                warm(source.blob_file(layer_digest))
                wall, peak, _ = measure_in_work(argv, env)
                results.setdefault(name, []).append((wall, peak))
                check(name, target, manifest_digest, layer_digest, size)
    finally:
        source.stop()
        target.stop()
        if not args.keep:
            shutil.rmtree(WORK, ignore_errors=True)

    print(f"{'step':<17}{'wall s':>8}{'MiB/s':>9}{'peak RSS MiB':>14}")
    walls: dict[str, float] = {}
    for name, runs in results.items():
        wall = statistics.median(w for w, _ in runs)
        walls[name] = wall
        peak = max(p for _, p in runs)
        print(f"{name:<17}{wall:>8.2f}{args.size_mib / wall:>9.1f}{peak:>14.1f}")
    for name in ("ocm transfer", "ocm --upload-as", "ocm local blob"):
        ratio = walls["skopeo copy"] / walls[name]
        print(f"{name} vs skopeo copy: {ratio:.2f}x skopeo's speed (skopeo time / ocm time)")


def check(name: str, target: Registry, manifest: str, layer: str, size: int) -> None:
    """Fail unless the step left the image in B (and ocm steps the version pointing at it)."""
    if name == "skopeo copy":
        assert target.resolve("bench/skopeo", "1.0") == manifest, "skopeo copied another image"
        assert target.has_blob("bench/skopeo", layer, size), "skopeo's layer is missing"
        return
    [resource] = descriptor(target, "ocm")["component"]["resources"]  # type: ignore[index]
    access = resource["access"]
    if name == "ocm --upload-as":
        assert access["type"] == "ociArtifact/v1", access
        assert target.resolve("ocm/bench/image", "1.0") == manifest, "uploaded another image"
        assert target.has_blob("ocm/bench/image", layer, size), "the layer is missing"
        return
    assert access["localReference"] == manifest, access
    repository = "ocm/component-descriptors/acme.org/bench"
    assert target.has_blob(repository, layer, size), "the layer is missing"


if __name__ == "__main__":
    main()
