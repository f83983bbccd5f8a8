"""What several benchmarks share: finding tools, and a docker-registry on 127.0.0.1.

The registries are started the way tests/fixtures/registry.py starts them (our own config,
never the packaged one) and stopped by the benchmark.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
TOOLS = Path(os.environ.get("PYOCM_TOOLS") or Path.home() / ".cache" / "pyocm-tools") / "bin"


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
