"""Adding a 1 GiB ``file`` input into a fresh CTF, beside ``sha256sum`` and ``cp`` of the file.

    python bench/add_large_file.py              # 1 GiB in a temporary directory under /tmp
    python bench/add_large_file.py --size-mib 256 --compress --keep

Each step runs in a child process whose wall time and peak resident memory (``ru_maxrss`` of
the child, measured through GNU ``time`` when installed) are printed.  The pyocm step is the
command ``ocm add component-version -o json`` (the console script beside this Python), so its
figure includes the interpreter start.  Adding a file input reads the file once and hashes
it while writing it into the CTF (one copy), so it does roughly the work of ``sha256sum`` and
``cp`` together.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import measure

OCM = Path(sys.executable).with_name("ocm")


def add_cv(constructor: Path, ctf: Path) -> list[str]:
    """The ``ocm add cv`` command line that packs ``constructor`` into ``ctf``."""
    return [str(OCM), "add", "cv", "-c", str(constructor), "-r", str(ctf), "-o", "json"]


def resource_digest(output: str) -> str:
    """The first resource's digest value in ``ocm add cv -o json`` output."""
    return str(json.loads(output)[0]["component"]["resources"][0]["digest"]["value"])


def run(name: str, argv: list[str]) -> tuple[str, float, float, str]:
    """Run ``argv``: (name, wall seconds, peak RSS MiB, stdout)."""
    wall, peak, out = measure(argv)
    return name, wall, peak, out.strip()


def make_data(path: Path, size: int) -> None:
    chunk = os.urandom(1 << 20)
    with path.open("wb") as f:
        for i in range(size >> 20):
            f.write(chunk[i % 251 :] + chunk[: i % 251])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size-mib", type=int, default=1024, help="size of the file (MiB)")
    parser.add_argument("--compress", action="store_true", help="also add with compress: true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--dir", default="/tmp", help="where to put the data (default /tmp)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pyocm-bench-", dir=args.dir))
    try:
        data = work / "data.bin"
        make_data(data, args.size_mib << 20)
        subprocess.run(["cat", str(data)], stdout=subprocess.DEVNULL, check=True)
        (work / "component-constructor.yaml").write_text(
            "name: acme.org/bench\nversion: 1.0.0\nprovider: {name: acme.org}\n"
            "resources:\n- {name: data, type: blob, input: {type: file, path: data.bin}}\n"
        )
        (work / "compressed.yaml").write_text(
            "name: acme.org/bench\nversion: 1.0.0\nprovider: {name: acme.org}\n"
            "resources:\n- {name: data, type: blob, "
            "input: {type: file, path: data.bin, compress: true}}\n"
        )
        results = [
            run("sha256sum", ["sha256sum", str(data)]),
            run("cp", ["cp", str(data), str(work / "copy.bin")]),
            run(
                "ocm add cv (file input)", add_cv(work / "component-constructor.yaml", work / "ctf")
            ),
        ]
        (work / "copy.bin").unlink()
        if args.compress:
            results.append(
                run(
                    "ocm add cv (compress: true)", add_cv(work / "compressed.yaml", work / "ctf-gz")
                )
            )
        expected = results[0][3].split()[0]
        if resource_digest(results[2][3]) != expected:
            raise SystemExit(f"digest mismatch: sha256sum {expected}, pyocm {results[2][3]}")
        size = args.size_mib
        print(f"file: {size} MiB of random data in {work}")
        print(f"{'step':<34} {'wall s':>8} {'MiB/s':>8} {'peak RSS MiB':>13}")
        for name, wall, rss, _ in results:
            print(f"{name:<34} {wall:8.2f} {size / wall:8.0f} {rss:13.1f}")
        sha, cp, pyocm = results[0][1], results[1][1], results[2][1]
        print(f"pyocm / (sha256sum + cp) = {pyocm / (sha + cp):.2f}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
