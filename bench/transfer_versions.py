"""How fast many small component versions are transferred, one at a time and in parallel.

    $ python bench/transfer_versions.py                          # 200 versions, CTF -> CTF
    $ python bench/transfer_versions.py --versions 500 --rounds 5
    $ python bench/transfer_versions.py --target http://127.0.0.1:5000/bench

A source CTF gets ``--versions`` versions of one component, each with three local resources of
1 KiB (random bytes).  All of them are then transferred (the reference names no version, so
every version is discovered and planned) into a fresh target, once with ``--concurrency 1``
and once with the default concurrency, ``--rounds`` times each, alternating.  Prints, per
concurrency, the median time of planning and of executing and the versions per second
overall, then the speed-up of the default over one at a time.

``--target`` is a repository reference: a directory (each run gets a new CTF below it;
default: a temporary directory) or an OCI registry (each run gets a new sub path).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from pyocm.blob import BytesBlob
from pyocm.descriptor import Component, Descriptor, Provider, Resource
from pyocm.repository import OCISpec, open_repository, parse_repository
from pyocm.transfer import (
    DEFAULT_CONCURRENCY,
    TransferOptions,
    execute_plan,
    plan_transfer,
    select_versions,
)

COMPONENT = "acme.org/bench"
RESOURCES = 3
SIZE = 1024


def build_source(path: Path, count: int) -> None:
    """``count`` versions of :data:`COMPONENT`, each with three 1 KiB local blobs."""
    with open_repository(str(path), mode="create") as repo:
        for i in range(count):
            version = f"1.0.{i}"
            resources = [
                repo.add_local_resource(
                    COMPONENT,
                    version,
                    Resource(name=f"data-{n}", version=version, type="blob"),
                    BytesBlob(os.urandom(SIZE), "application/octet-stream"),
                )
                for n in range(RESOURCES)
            ]
            repo.add_component_version(
                Descriptor(Component(COMPONENT, version, Provider("acme"), resources=resources))
            )


def fresh_target(base: str, label: str) -> str:
    """A new, empty target under ``base`` (a new CTF directory or registry sub path)."""
    unique = f"{label}-{uuid.uuid4().hex[:8]}"
    spec = parse_repository(base)
    if isinstance(spec, OCISpec):
        return f"{base.rstrip('/')}/{unique}"
    return str(Path(base) / unique)


def transfer(source: Path, target: str, concurrency: int) -> tuple[float, float, int]:
    """Transfer every version; returns (planning seconds, executing seconds, versions)."""
    with (
        open_repository(str(source)) as src,
        open_repository(target, mode="create") as dst,
    ):
        started = time.perf_counter()
        roots = [(COMPONENT, v) for v in select_versions(src, COMPONENT)]
        plan = plan_transfer(src, dst, roots, TransferOptions(), concurrency=concurrency)
        planned = time.perf_counter()
        result = execute_plan(plan, src, dst, concurrency=concurrency)
        executed = time.perf_counter()
    return planned - started, executed - planned, len(result.transferred)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY)
    parser.add_argument("--target", default="", help="repository reference (default: a temp dir)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pyocm-bench-") as work:
        source = Path(work) / "source"
        started = time.perf_counter()
        build_source(source, args.versions)
        print(
            f"source: {args.versions} versions x {RESOURCES} local blobs of {SIZE} bytes, "
            f"built in {time.perf_counter() - started:.2f} s"
        )
        base = args.target or str(Path(work) / "targets")
        print(f"targets under: {base}")
        timings: dict[int, list[tuple[float, float]]] = {1: [], args.concurrency: []}
        for _ in range(args.rounds):
            for concurrency in timings:
                target = fresh_target(base, f"c{concurrency}")
                plan_s, exec_s, count = transfer(source, target, concurrency)
                assert count == args.versions, f"transferred {count} of {args.versions}"
                timings[concurrency].append((plan_s, exec_s))

    rates = {}
    for concurrency, runs in timings.items():
        plan_s = statistics.median(p for p, _ in runs)
        exec_s = statistics.median(e for _, e in runs)
        total = statistics.median(p + e for p, e in runs)
        rates[concurrency] = args.versions / total
        print(
            f"--concurrency {concurrency}: plan {plan_s:.2f} s, execute {exec_s:.2f} s, "
            f"total {total:.2f} s = {rates[concurrency]:.1f} versions/s "
            f"(median of {len(runs)})"
        )
    speedup = rates[args.concurrency] / rates[1]
    print(f"speed-up of --concurrency {args.concurrency} over 1: x{speedup:.2f}")


if __name__ == "__main__":
    main()
