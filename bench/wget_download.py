"""Content from an HTTP server: a 1 GiB ``wget`` input added to a CTF, and a ``wget`` access
downloaded, beside ``curl`` + ``sha256sum`` of the same URL in the same run.

    python bench/wget_download.py                 # 1 GiB, one run
    python bench/wget_download.py --size-mib 256 --runs 3

A local static file server (Python's, in a thread of this process) serves random data.
``ocm add cv`` with a ``wget`` input downloads, hashes and stores it (one pass); ``ocm
download resource`` of a ``wget`` access downloads, verifies and writes it.  ``curl -o``
followed by ``sha256sum`` is the floor for the same work.  Wall time (including the
interpreter start) and peak RSS of each child are printed, and the ratios.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import statistics
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from add_large_file import make_data
from benchlib import measure, sha256_file, tool

OCM = Path(sys.executable).with_name("ocm")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--dir", default="/tmp")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pyocm-bench-wget-", dir=args.dir))
    www = work / "www"
    www.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        data = www / "data.bin"
        make_data(data, args.size_mib << 20)
        digest = sha256_file(data)
        url = f"http://127.0.0.1:{server.server_address[1]}/data.bin"
        resource = "{name: data, version: 1.0.0, type: blob, %s: {type: wget, url: '%s'}}"
        (work / "input.yaml").write_text(
            "name: acme.org/bench\nversion: 1.0.0\nprovider: {name: acme.org}\n"
            f"resources:\n- {resource % ('input', url)}\n"
        )
        (work / "access.yaml").write_text(
            "name: acme.org/bench\nversion: 1.0.0\nprovider: {name: acme.org}\n"
            f"resources:\n- {resource % ('access', url)}\n"
        )
        measure([str(OCM), "add", "cv", "-c", "access.yaml", "-r", "by-ref"], cwd=work)
        download = [str(OCM), "download", "resource", "by-ref//acme.org/bench:1.0.0"]
        steps: dict[str, list[tuple[float, float]]] = {}
        for _ in range(args.runs):
            for name, argv, cleanup in (
                ("curl -o", [tool("curl"), "-s", "-o", "curl.bin", url], "curl.bin"),
                ("sha256sum", ["sha256sum", "curl.bin"], "curl.bin"),
                (
                    "ocm add cv (wget input)",
                    [str(OCM), "add", "cv", "-c", "input.yaml", "-r", "ctf"],
                    "ctf",
                ),
                (
                    "ocm download (wget access)",
                    [*download, "--identity", "name=data", "--output", "out.bin"],
                    "out.bin",
                ),
            ):
                wall, peak, _ = measure(argv, cwd=work)
                steps.setdefault(name, []).append((wall, peak))
                downloaded = name == "ocm download (wget access)"
                if downloaded and sha256_file(work / "out.bin") != digest:
                    raise SystemExit("downloaded content differs")
                if name != "curl -o":
                    target = work / cleanup
                    shutil.rmtree(target) if target.is_dir() else target.unlink()
        size = args.size_mib
        print(f"{size} MiB from a local HTTP server, {args.runs} run(s), median wall")
        print(f"{'step':<30} {'wall s':>8} {'MiB/s':>8} {'peak RSS MiB':>13}")
        wall = {}
        for name, values in steps.items():
            wall[name] = statistics.median(v[0] for v in values)
            peak = max(v[1] for v in values)
            print(f"{name:<30} {wall[name]:8.2f} {size / wall[name]:8.0f} {peak:13.1f}")
        floor = wall["curl -o"] + wall["sha256sum"]
        for name in ("ocm add cv (wget input)", "ocm download (wget access)"):
            print(f"{name} / (curl + sha256sum) = {wall[name] / floor:.2f}")
    finally:
        server.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
