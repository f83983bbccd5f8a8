"""Registry push and pull with pyocm's OCI client, beside skopeo and oras in the same run.

    python bench/oci_blobs.py                      # 1 GiB image, 1000 x 4 KiB blobs, 3 runs
    python bench/oci_blobs.py --size-mib 256 --runs 1 --small 200

(a) A single-layer image of ``--size-mib`` random bytes is pushed to a fresh local
    ``docker-registry`` (plain HTTP, wiped and restarted before every push) and pulled back:
    by pyocm (a child Python process using :mod:`pyocm.oci.remote`) and by ``skopeo copy`` from
    an OCI layout directory holding the same image and back into one.  Wall time (process start
    included), MiB/s and peak RSS (``ru_maxrss`` of the child from ``wait4``) per operation,
    median of ``--runs``, and the ratios pyocm / skopeo.
(b) ``--small`` blobs of 4 KiB each are pushed to a fresh registry: by pyocm sequentially and
    with 4 threads (requests per second counted from the client's own request log), and by
    ``oras push`` of the same files as the layers of one artifact (sequential and oras' default
    concurrency of 5).

Data lives under /tmp/pyocm-bench (``--keep`` keeps it).  Needs ``docker-registry``, ``skopeo``
and ``oras`` (scripts/install-test-tools.sh).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from benchlib import Registry, measure, tool

WORK = Path("/tmp/pyocm-bench")
CONFIG_TYPE = "application/vnd.ocm.software.component.config.v1+json"
LAYER_TYPE = "application/octet-stream"
SMALL_TYPE = "application/vnd.pyocm.bench.small"
MiB = 1 << 20


def child(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "child", *args]


# -- data ------------------------------------------------------------------------------------


def write_random(path: Path, size: int) -> str:
    h = hashlib.sha256()
    with path.open("wb") as out:
        left = size
        while left:
            chunk = os.urandom(min(left, 4 * MiB))
            h.update(chunk)
            out.write(chunk)
            left -= len(chunk)
    return "sha256:" + h.hexdigest()


def descriptor(media_type: str, digest: str, size: int) -> dict[str, object]:
    return {"mediaType": media_type, "digest": digest, "size": size}


def make_layout(directory: Path, layer: Path, layer_digest: str) -> dict[str, object]:
    """An OCI layout with one image (config + ``layer``) tagged ``1.0``; returns its manifest."""
    blobs = directory / "blobs" / "sha256"
    blobs.mkdir(parents=True)
    os.link(layer, blobs / layer_digest.split(":")[1])
    config = b'{"componentDescriptorLayer":null}'
    config_digest = "sha256:" + hashlib.sha256(config).hexdigest()
    (blobs / config_digest.split(":")[1]).write_bytes(config)
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": descriptor(CONFIG_TYPE, config_digest, len(config)),
        "layers": [descriptor(LAYER_TYPE, layer_digest, layer.stat().st_size)],
    }
    raw = json.dumps(manifest, separators=(",", ":")).encode()
    digest = "sha256:" + hashlib.sha256(raw).hexdigest()
    (blobs / digest.split(":")[1]).write_bytes(raw)
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {
                **descriptor("application/vnd.oci.image.manifest.v1+json", digest, len(raw)),
                "annotations": {"org.opencontainers.image.ref.name": "1.0"},
            }
        ],
    }
    (directory / "index.json").write_text(json.dumps(index))
    (directory / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
    return manifest


# -- what the children do (pyocm) ------------------------------------------------------------


def child_main(args: list[str]) -> None:
    import logging
    import resource
    from concurrent.futures import ThreadPoolExecutor

    from pyocm.blob import BytesBlob, FileBlob
    from pyocm.oci.client import RegistryClient
    from pyocm.oci.manifest import Descriptor, image_manifest, parse_manifest

    requests = 0

    class Counter(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            nonlocal requests
            if " -> " in record.msg:
                requests += 1

    logger = logging.getLogger("pyocm.oci")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(Counter())
    logger.propagate = False

    what, url = args[0], args[1]
    start = time.perf_counter()
    with RegistryClient(url) as client:
        if what == "push":
            layout = Path(args[2])
            manifest = json.loads((layout / "manifest.json").read_text())
            repo = client.repository("bench/pyocm")
            blobs = layout / "blobs" / "sha256"
            for d in (manifest["config"], *manifest["layers"]):
                path = blobs / d["digest"].split(":")[1]
                repo.push_blob(FileBlob(path, d["mediaType"], d["digest"], d["size"]))
            config = Descriptor.from_dict(manifest["config"])
            layers = [Descriptor.from_dict(x) for x in manifest["layers"]]
            repo.put_manifest(image_manifest(config, layers), tag="1.0")
        elif what == "pull":
            out = Path(args[2])
            repo = client.repository("bench/pyocm")
            fetched = repo.get_manifest("1.0")
            for layer in parse_manifest(fetched.content).layers:
                repo.download_blob(layer.digest, out / layer.digest.split(":")[1], layer.size)
        elif what == "small":
            threads = int(args[2])
            files = sorted(Path(args[3]).iterdir())
            repo = client.repository(f"bench/small-{threads}")

            def push(path: Path) -> None:
                repo.push_blob(BytesBlob(path.read_bytes(), SMALL_TYPE))

            if threads == 1:
                for path in files:
                    push(path)
            else:
                with ThreadPoolExecutor(threads) as pool:
                    list(pool.map(push, files))
        else:
            raise SystemExit(f"unknown child task {what}")
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"elapsed": elapsed, "requests": requests, "peak_mib": peak}))


# -- the benchmark ---------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values)


def big_image(args: argparse.Namespace, registry: Registry) -> None:
    size = args.size_mib * MiB
    data = WORK / "big.bin"
    print(f"(a) single-layer image of {args.size_mib} MiB, {args.runs} run(s), median")
    digest = write_random(data, size)
    layout = WORK / "layout"
    manifest = make_layout(layout, data, digest)
    (layout / "manifest.json").write_text(json.dumps(manifest))
    skopeo = tool("skopeo")
    results: dict[str, list[tuple[float, float]]] = {}

    def record(name: str, wall: float, peak: float) -> None:
        results.setdefault(name, []).append((wall, peak))

    for _ in range(args.runs):
        registry.restart()
        wall, peak, _out = measure(child("push", registry.url, str(layout)))
        record("pyocm push", wall, peak)
        out = WORK / "pull-pyocm"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        wall, peak, _out = measure(child("pull", registry.url, str(out)))
        record("pyocm pull", wall, peak)
        pulled = out / digest.split(":")[1]
        assert pulled.stat().st_size == size, "pyocm pulled the wrong size"

        registry.restart()
        target = f"docker://{registry.address}/bench/skopeo:1.0"
        wall, peak, _out = measure(
            [
                skopeo,
                "copy",
                "-q",
                "--preserve-digests",
                "--dest-tls-verify=false",
                f"oci:{layout}:1.0",
                target,
            ]
        )
        record("skopeo push", wall, peak)
        back = WORK / "pull-skopeo"
        shutil.rmtree(back, ignore_errors=True)
        wall, peak, _out = measure(
            [skopeo, "copy", "-q", "--src-tls-verify=false", target, f"oci:{back}:1.0"]
        )
        record("skopeo pull", wall, peak)
        assert (back / "blobs" / "sha256" / digest.split(":")[1]).stat().st_size == size

    print(f"{'operation':<14}{'wall s':>9}{'MiB/s':>9}{'peak RSS MiB':>14}")
    medians: dict[str, float] = {}
    for name, runs in results.items():
        wall = median([w for w, _ in runs])
        peak = max(p for _, p in runs)
        medians[name] = wall
        print(f"{name:<14}{wall:>9.2f}{args.size_mib / wall:>9.1f}{peak:>14.1f}")
    for op in ("push", "pull"):
        ratio = medians[f"skopeo {op}"] / medians[f"pyocm {op}"]
        print(f"ratio {op}: pyocm is {ratio:.2f}x skopeo's speed (skopeo time / pyocm time)")


def small_blobs(args: argparse.Namespace, registry: Registry) -> None:
    count = args.small
    print(f"\n(b) {count} blobs of 4 KiB, {args.runs} run(s), median")
    files = WORK / "small"
    shutil.rmtree(files, ignore_errors=True)
    files.mkdir(parents=True)
    for i in range(count):
        (files / f"b{i:05d}").write_bytes(os.urandom(4096))
    oras = tool("oras")
    names = sorted(p.name for p in files.iterdir())
    rows: dict[str, list[tuple[float, float]]] = {}
    for _ in range(args.runs):
        for threads in (1, 4):
            registry.restart()
            wall, _peak, out = measure(child("small", registry.url, str(threads), str(files)))
            report = json.loads(out)
            name = f"pyocm, {threads} thread{'s' if threads > 1 else ''}"
            rows.setdefault(name, []).append((wall, report["requests"] / report["elapsed"]))
        for concurrency in (1, 5):
            registry.restart()
            wall, _peak, _out = measure(
                [
                    oras,
                    "push",
                    "--plain-http",
                    "--concurrency",
                    str(concurrency),
                    "--artifact-type",
                    "application/vnd.pyocm.bench",
                    f"{registry.address}/bench/oras-{concurrency}:1",
                    *[f"{n}:{SMALL_TYPE}" for n in names],
                ],
                cwd=files,
            )
            rows.setdefault(f"oras push, concurrency {concurrency}", []).append((wall, 0.0))
    print(f"{'client':<26}{'wall s':>9}{'blobs/s':>9}{'requests/s':>12}")
    for name, runs in rows.items():
        wall = median([w for w, _ in runs])
        rps = median([r for _, r in runs])
        shown = f"{rps:>12.0f}" if rps else f"{'-':>12}"
        print(f"{name:<26}{wall:>9.2f}{count / wall:>9.0f}{shown}")
    print("(wall includes process start; pyocm requests/s from inside the process: HEAD+POST+PUT)")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    registry = Registry(WORK / "registry")
    try:
        big_image(args, registry)
        small_blobs(args, registry)
    finally:
        registry.stop()
        if not args.keep:
            shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
