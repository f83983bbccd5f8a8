"""How normalising and hashing grows with the size of a descriptor.

    $ python bench/normalise.py                      # 1,000, 10,000 and 100,000 resources
    $ python bench/normalise.py 1000 20000

Builds descriptors with N resources (each with an extra identity, a digest, a signing label
with a structured value and a non-signing one; half of them share a name and differ only by
version, so the legacy extra-identity defaulting of v1/v2 has work to do), plus N/10 sources
and N/10 references.  For v1, v2, v3 and v4alpha1 it prints the wall time of normalise +
SHA-256 (best of a few runs), the time per resource, and the peak of memory allocated during
one run (tracemalloc, measured in a separate run so it does not slow the timed ones).
"""

from __future__ import annotations

import gc
import hashlib
import sys
import time
import tracemalloc

from pyocm.descriptor import (
    AccessSpec,
    Component,
    Descriptor,
    Digest,
    Label,
    Provider,
    Reference,
    Resource,
    Source,
)
from pyocm.normalise import JSON_V1, JSON_V2, JSON_V3, JSON_V4ALPHA1, normalise

ALGORITHMS = (JSON_V1, JSON_V2, JSON_V3, JSON_V4ALPHA1)


def build(n: int) -> Descriptor:
    """A descriptor with ``n`` resources and ``n // 10`` sources and references."""
    resources = [
        Resource(
            name=f"res-{i // 2}",
            version=f"1.0.{i % 2}",
            type="ociImage",
            relation="external",
            access=AccessSpec("ociArtifact", {"imageReference": f"ghcr.io/acme/img:{i}"}),
            digest=Digest("SHA-256", "genericBlobDigest/v1", f"{i:064x}"),
            extra_identity={"arch": "amd64", "os": "linux"},
            labels=[
                Label("team", "platform"),
                Label("build", {"index": i, "ratio": i / 7, "tags": ["a", "b"]}, signing=True),
            ],
        )
        for i in range(n)
    ]
    sources = [
        Source(f"src-{i}", "1.0.0", type="git", access=AccessSpec("github", {"commit": "abc"}))
        for i in range(n // 10)
    ]
    references = [
        Reference(
            f"ref-{i}",
            "1.0.0",
            component_name=f"acme.org/dep{i}",
            digest=Digest("SHA-256", "jsonNormalisation/v4alpha1", f"{i:064x}"),
        )
        for i in range(n // 10)
    ]
    component = Component(
        "acme.org/big",
        "1.0.0",
        Provider("acme"),
        creation_time="2025-01-01T00:00:00Z",
        resources=resources,
        sources=sources,
        references=references,
    )
    return Descriptor(component)


def digest(descriptor: Descriptor, algorithm: str) -> str:
    return hashlib.sha256(normalise(descriptor, algorithm)).hexdigest()


def best_time(descriptor: Descriptor, algorithm: str, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        digest(descriptor, algorithm)
        best = min(best, time.perf_counter() - start)
    return best


def peak_memory(descriptor: Descriptor, algorithm: str) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        digest(descriptor, algorithm)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
    print(f"{'resources':>10} {'algorithm':<28} {'time':>9} {'per resource':>13} {'peak mem':>10}")
    for n in sizes:
        descriptor = build(n)
        runs = 5 if n <= 10_000 else 2
        for algorithm in ALGORITHMS:
            seconds = best_time(descriptor, algorithm, runs)
            peak = peak_memory(descriptor, algorithm)
            print(
                f"{n:>10,} {algorithm:<28} {seconds:>8.3f}s {seconds / n * 1e6:>10.1f} µs"
                f" {peak / 2**20:>7.1f} MiB"
            )


if __name__ == "__main__":
    main()
