"""The README's examples run as written (from the repository root)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)


def test_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_python_example_runs(block: str, capsys: pytest.CaptureFixture[str]) -> None:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)


def test_readme_main_job_runs_on_the_embedded_example(tmp_path: Path) -> None:
    # README command (1) without its install step, in a copy of the repository's examples.
    first = re.search(r"1\. Install pyocm.*?```sh\n(.*?)\n\s*```", README, re.S)
    assert first is not None
    command = first.group(1).strip()
    install = "python3 -m pip install . && "
    assert command.startswith(install)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    ocm = Path(sys.executable).with_name("ocm")
    script = command.removeprefix(install).replace("ocm ", f"{ocm} ")
    for _ in range(2):  # a newcomer may run it twice
        done = subprocess.run(
            script, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        assert "acme.org/shop/web" in done.stdout
        assert "acme.org/shop/database" in done.stdout
    assert (tmp_path / "transport-archive/artifact-index.json").is_file()


def test_tests_examples_and_benchmarks_read_no_vectors_outside_the_repository() -> None:
    # A clone must run its own tests and examples: the vectors live in tests/vectors, the
    # README's keys in examples/keys.
    outside = re.compile(r"shared/vectors|[\"']shared[\"']\s*/\s*[\"']vectors[\"']")
    files = [ROOT / "README.md", *ROOT.glob("tests/**/*.py"), *ROOT.glob("bench/**/*.py")]
    files.remove(Path(__file__).resolve())
    offenders = [str(f.relative_to(ROOT)) for f in files if outside.search(f.read_text())]
    assert offenders == []
    assert (ROOT / "tests/vectors/README.md").is_file()
