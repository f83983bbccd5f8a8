"""How adding many small component versions to one directory CTF scales.

    $ python bench/ctf_add_versions.py            # 1,000 versions
    $ python bench/ctf_add_versions.py 5000

Each version has one local blob of 1 KiB (random bytes).  Prints the total time and the mean
time per version over the first and the last 100 versions: a ratio near 1 shows that adding
a version does not get slower as the index grows (the index is kept in memory and written
once per version; only the write itself grows with the index).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pyocm.blob import BytesBlob
from pyocm.descriptor import Component, Descriptor, Provider, Resource
from pyocm.repository import open_repository

WINDOW = 100


def add_versions(path: Path, count: int) -> list[float]:
    """Add ``count`` versions of one component; returns the seconds each one took."""
    durations = []
    with open_repository(str(path), mode="create") as repo:
        for i in range(count):
            version = f"1.0.{i}"
            start = time.perf_counter()
            resource = repo.add_local_resource(
                "acme.org/bench",
                version,
                Resource(name="data", version=version, type="blob"),
                BytesBlob(os.urandom(1024), "application/octet-stream"),
            )
            cd = Descriptor(
                Component("acme.org/bench", version, Provider("acme"), resources=[resource])
            )
            repo.add_component_version(cd)
            durations.append(time.perf_counter() - start)
    return durations


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "ctf"
        started = time.perf_counter()
        durations = add_versions(path, count)
        total = time.perf_counter() - started
        index_size = (path / "artifact-index.json").stat().st_size
        started = time.perf_counter()
        with open_repository(str(path)) as repo:
            listed = len(repo.list_component_versions("acme.org/bench"))
        listing = time.perf_counter() - started
    first = statistics.mean(durations[:WINDOW]) * 1000
    last = statistics.mean(durations[-WINDOW:]) * 1000
    print(f"versions added:              {count}")
    print(f"total:                       {total:.2f} s ({total / count * 1000:.2f} ms/version)")
    print(f"first {WINDOW}:                   {first:.2f} ms/version")
    print(f"last {WINDOW}:                    {last:.2f} ms/version (x{last / first:.2f})")
    print(f"final index size:            {index_size} bytes")
    print(f"list {listed} versions (fresh open): {listing:.2f} s")


if __name__ == "__main__":
    main()
