"""Fixtures for the constructor tests: a working directory, a fresh CTF, the Go reference.

``gocheck`` is a small Go program (``gocheck/main.go``) that runs the code the Go v2 CLI
relies on (``os.Expand``, ``archive/tar``, ``encoding/json``, ``sigs.k8s.io/yaml``,
``gabriel-vasile/mimetype``); tests that compare against it skip when Go is not installed or
its modules cannot be fetched.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pyocm.access.context import AccessContext
from pyocm.constructor import construct
from pyocm.descriptor import Descriptor, Resource
from pyocm.oci.retry import RetryPolicy
from pyocm.repository import open_repository
from pyocm.repository.ctf import CTFRepository

GOCHECK_SOURCE = Path(__file__).parent / "gocheck"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """An empty working directory (constructor files and inputs are written into it)."""
    path = tmp_path / "work"
    path.mkdir()
    return path


@pytest.fixture
def ctf(tmp_path: Path) -> Iterator[CTFRepository]:
    """A new CTF directory, open for writing."""
    with open_repository(str(tmp_path / "ctf"), mode="create") as repo:
        yield repo


@pytest.fixture(scope="session")
def gocheck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built ``gocheck`` binary (the test is skipped when it cannot be built)."""
    go = shutil.which("go")
    if go is None:
        pytest.skip(reason="the Go toolchain is not installed")
    binary = tmp_path_factory.mktemp("gocheck") / "gocheck"
    result = subprocess.run(
        [go, "build", "-o", str(binary), "."],
        cwd=GOCHECK_SOURCE,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(reason=f"cannot build the Go reference checker: {result.stderr.strip()[-300:]}")
    return binary


CONSTRUCTOR_HEAD = """
name: acme.org/app
version: 1.0.0
provider: {name: acme.org}
"""


@pytest.fixture
def build(workdir: Path, ctf: CTFRepository) -> Callable[..., list[Descriptor]]:
    """Write ``text`` as the constructor file of ``workdir`` and construct it into ``ctf``."""

    def run(text: str, **options: Any) -> list[Descriptor]:
        path = workdir / "component-constructor.yaml"
        path.write_text(text)
        options.setdefault("env", {})
        # registries named in access tests do not exist here: fail fast, do not retry
        options.setdefault("access_context", AccessContext(retry=RetryPolicy(attempts=1)))
        return construct(path, ctf, **options)

    return run


@pytest.fixture
def stored(ctf: CTFRepository) -> Callable[[Descriptor, Resource], bytes]:
    """Reads the content of a resource's local blob as the CTF hands it out."""

    def read(descriptor: Descriptor, resource: Resource) -> bytes:
        assert resource.access is not None
        component = descriptor.component
        blob = ctf.get_local_blob(component.name, component.version, resource.access)
        with blob.open() as f:
            return f.read()

    return read
