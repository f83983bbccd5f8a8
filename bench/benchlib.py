"""What several benchmarks share: finding tools, measuring a child process, and a
docker-registry on 127.0.0.1.

The registries are started the way tests/fixtures/registry.py starts them (our own config,
never the packaged one) and stopped by the benchmark.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
TOOLS = Path(os.environ.get("PYOCM_TOOLS") or Path.home() / ".cache" / "pyocm-tools") / "bin"


GNU_TIME = Path("/usr/bin/time")


def measure(
    argv: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, float, str]:
    """Run ``argv``: (wall seconds, peak RSS MiB, stdout); exits when it fails.

    The peak RSS is the child's ``ru_maxrss`` as GNU ``time`` reports it when installed (a
    small parent: a child forked from this larger interpreter could report the interpreter's
    size as its own high-water mark), else from ``wait4``.
    """
    timed = GNU_TIME.exists()
    command = [str(GNU_TIME), "-f", "%M", *argv] if timed else argv
    start = time.perf_counter()
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )
    assert proc.stdout is not None and proc.stderr is not None
    # stderr is read beside stdout: a child that logs more than a pipe holds would block
    # on it while this process waits for the end of stdout.
    errors: list[bytes] = []
    reader = threading.Thread(target=lambda: errors.append(proc.stderr.read()))  # type: ignore[union-attr]
    reader.start()
    out = proc.stdout.read()
    reader.join()
    err = errors[0]
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[0]} failed: {err.decode(errors='replace').strip()[-3000:]}")
    lines = err.decode(errors="replace").strip().splitlines()
    peak_kib = int(lines[-1]) if timed and lines and lines[-1].isdigit() else usage.ru_maxrss
    return wall, peak_kib / 1024, out.decode()


def tool(name: str) -> str:
    """The path of ``name`` on PATH or in the test-tools cache; exits when it is missing."""
    found = shutil.which(name) or shutil.which(name, path=str(TOOLS))
    if found is None:
        raise SystemExit(f"{name} not installed: run scripts/install-test-tools.sh")
    return found


class Registry:
    """A docker-registry on 127.0.0.1 (as tests/fixtures/registry.py starts them)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.address = f"127.0.0.1:{self.port}"
        self.url = f"http://{self.address}"

    def start(self, wipe: bool) -> None:
        self.stop()
        if wipe:
            shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True, exist_ok=True)
        config = self.directory / "config.yml"
        config.write_text(
            "version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\n"
            f"storage:\n  filesystem:\n    rootdirectory: {self.directory / 'data'}\n"
            f"http:\n  addr: {self.address}\n  secret: bench\n"
        )
        log = (self.directory / "registry.log").open("ab")
        self.process = subprocess.Popen(
            [tool("docker-registry"), "serve", str(config)], stdout=log, stderr=log
        )
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/v2/", timeout=1):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        raise SystemExit("docker-registry did not come up")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait()
            self.process = None

    def blob_file(self, digest: str) -> Path:
        hexpart = digest.partition(":")[2]
        return (
            self.directory / "data/docker/registry/v2/blobs/sha256" / hexpart[:2] / hexpart / "data"
        )

    def has_blob(self, repository: str, digest: str, size: int) -> bool:
        request = urllib.request.Request(
            f"{self.url}/v2/{repository}/blobs/{digest}", method="HEAD"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.headers.get("Content-Length", "-1")) == size
        except urllib.error.HTTPError:
            return False

    def resolve(self, repository: str, tag: str) -> str:
        request = urllib.request.Request(
            f"{self.url}/v2/{repository}/manifests/{tag}",
            method="HEAD",
            headers={"Accept": OCI_MANIFEST},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return str(response.headers.get("Docker-Content-Digest"))

    def restart(self) -> None:
        """Start afresh, with empty storage."""
        self.start(wipe=True)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(4 << 20):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


def make_layout(work: Path, size: int) -> tuple[Path, str, str]:
    """An OCI layout directory with one image of a ``size``-byte random layer:
    (layout, manifest digest, layer digest)."""
    layout = work / "layout"
    blobs = layout / "blobs" / "sha256"
    blobs.mkdir(parents=True)
    layer = work / "layer.bin"
    with layer.open("wb") as out:
        left = size
        while left:
            chunk = os.urandom(min(left, 4 << 20))
            out.write(chunk)
            left -= len(chunk)
    layer_digest = sha256_file(layer)
    os.replace(layer, blobs / layer_digest[7:])
    config = b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'
    config_digest = "sha256:" + hashlib.sha256(config).hexdigest()
    (blobs / config_digest[7:]).write_bytes(config)
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": config_digest,
                "size": len(config),
            },
            "layers": [
                {
                    "mediaType": "application/vnd.oci.image.layer.v1.tar",
                    "digest": layer_digest,
                    "size": size,
                }
            ],
        },
        separators=(",", ":"),
    ).encode()
    manifest_digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
    (blobs / manifest_digest[7:]).write_bytes(manifest)
    entry = {
        "mediaType": OCI_MANIFEST,
        "digest": manifest_digest,
        "size": len(manifest),
        "annotations": {"org.opencontainers.image.ref.name": "1.0"},
    }
    (layout / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [entry]}))
    (layout / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
    return layout, manifest_digest, layer_digest
