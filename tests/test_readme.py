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


def _command_1() -> tuple[str, str]:
    """README command (1), split into its install part and pyocm's main job."""
    first = re.search(r"1\. Install pyocm.*?```sh\n(.*?)\n\s*```", README, re.S)
    assert first is not None
    command = first.group(1).strip()
    install, job = command.split(" && ocm add ", 1)
    return install, "ocm add " + job


def _with_ocm_on_path() -> dict[str, str]:
    """The environment command (1) leaves in the shell: this Python's ``ocm`` first on PATH."""
    bindir = Path(sys.executable).parent
    return {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"}


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_readme_main_job_runs_on_the_embedded_example(tmp_path: Path) -> None:
    # README command (1) without its install step, in a copy of the repository's examples.
    _, job = _command_1()
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    for _ in range(2):  # a newcomer may run it twice
        done = _bash(job, tmp_path, _with_ocm_on_path())
        assert done.returncode == 0, done.stderr
        assert "acme.org/shop/web" in done.stdout
        assert "acme.org/shop/database" in done.stdout
    assert (tmp_path / "transport-archive/artifact-index.json").is_file()


def test_command_1_without_venv_support_names_python3_venv_and_does_nothing(
    tmp_path: Path,
) -> None:
    # Debian and Ubuntu without python3-venv: ensurepip (in that package) cannot be imported.
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "ensurepip.py").write_text("raise ImportError('python3-venv is not installed')\n")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {**os.environ, "PYTHONPATH": str(shadow)}
    done = _bash(" && ".join(_command_1()), tmp_path, env)
    assert done.returncode == 1
    assert done.stderr == "Install python3-venv first: sudo apt-get install python3-venv\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["examples", "shadow"]


def _system_python_path() -> str:
    """PATH of a fresh Debian or Ubuntu machine when its python3 can run command (1) (there pip
    may not install into the system Python, PEP 668), else this machine's PATH."""
    system = Path("/usr/bin/python3")
    if system.is_file():
        done = subprocess.run(
            [system, "-c", "import ensurepip, sys; print(sys.version_info >= (3, 11))"],
            capture_output=True,
            text=True,
        )
        if done.stdout.strip() == "True":
            return "/usr/bin:/bin"
    return os.environ["PATH"]


def test_command_1_as_written_installs_into_its_own_venv(tmp_path: Path) -> None:
    # The whole command, in a copy of what a clone has, with the system Python.
    clone = tmp_path / "clone"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ("src", "examples"):
        shutil.copytree(ROOT / name, clone / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, clone / name)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
    }
    env["PATH"] = _system_python_path()
    done = _bash(" && ".join(_command_1()), clone, env)
    assert done.returncode == 0, done.stderr
    assert "acme.org/shop/database" in done.stdout
    assert (clone / ".venv/bin/ocm").is_file()
    assert (clone / "transport-archive/artifact-index.json").is_file()


def test_cli_examples_run_in_order_right_after_command_1(tmp_path: Path) -> None:
    section = README[README.index("## Command line") :]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    lines = [line for line in block.group(1).splitlines() if line.strip()]
    assert lines[0].startswith("ocm add cv --constructor examples/component-constructor.yaml")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = _with_ocm_on_path()
    _, job = _command_1()
    assert _bash(job, tmp_path, env).returncode == 0
    for line in lines:
        done = _bash(line, tmp_path, env)
        assert done.returncode == 0, f"{line}\n{done.stderr}"
    assert (tmp_path / "airgap.tgz").is_file()


def test_tests_examples_and_benchmarks_read_no_vectors_outside_the_repository() -> None:
    # A clone must run its own tests and examples: the vectors live in tests/vectors, the
    # README's keys in examples/keys.
    outside = re.compile(r"shared/vectors|[\"']shared[\"']\s*/\s*[\"']vectors[\"']")
    files = [ROOT / "README.md", *ROOT.glob("tests/**/*.py"), *ROOT.glob("bench/**/*.py")]
    files.remove(Path(__file__).resolve())
    offenders = [str(f.relative_to(ROOT)) for f in files if outside.search(f.read_text())]
    assert offenders == []
    assert (ROOT / "tests/vectors/README.md").is_file()
