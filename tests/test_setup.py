"""README command (2)'s setup stops at once, with one line, when the machine lacks what it cannot
install itself (Go for the test tools, a Python that can make a virtual environment)."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS_SCRIPT = ROOT / "scripts" / "install-test-tools.sh"
GO_MIN = re.search(r"^go_min=(\S+)$", TOOLS_SCRIPT.read_text(), re.M)
GO_TOOLS = re.findall(r'^  "(\w+) (\S+@\S+)"$', TOOLS_SCRIPT.read_text(), re.M)


def _executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _fake_go(tmp_path: Path, version: str) -> Path:
    return _executable(tmp_path / "go" / "go", f"#!/bin/sh\necho go{version}\n")


def _check_tools(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(TOOLS_SCRIPT), "--check"],
        env={**os.environ, "PYOCM_TOOLS": str(tmp_path / "tools"), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_pins_and_the_go_they_need_are_read_from_the_script() -> None:
    assert GO_MIN is not None
    assert [name for name, _ in GO_TOOLS] == ["oras", "crane", "helm"]


def test_tool_setup_without_go_stops_at_once_naming_the_go_to_install(tmp_path: Path) -> None:
    assert GO_MIN is not None
    done = _check_tools(tmp_path, PYOCM_GO=str(tmp_path / "no-go"))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "building oras crane helm needs Go >= " + GO_MIN[1] in done.stderr
    assert "found: none" in done.stderr
    assert f"install Go {GO_MIN[1]} or newer" in done.stderr
    assert not (tmp_path / "tools" / "bin").exists()  # nothing done before the check


def test_tool_setup_with_debians_go_119_stops_naming_the_version_found(tmp_path: Path) -> None:
    done = _check_tools(tmp_path, PYOCM_GO=str(_fake_go(tmp_path, "1.19.8")))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "found: go1.19.8" in done.stderr


def test_tool_setup_accepts_the_go_the_pins_need(tmp_path: Path) -> None:
    assert GO_MIN is not None
    done = _check_tools(tmp_path, PYOCM_GO=str(_fake_go(tmp_path, GO_MIN[1])))
    assert (done.returncode, done.stderr) == (0, "")


def test_tool_setup_needs_no_go_once_the_tools_are_built(tmp_path: Path) -> None:
    for name, target in GO_TOOLS:
        _executable(tmp_path / "tools" / "bin" / name, "#!/bin/sh\n")
        (tmp_path / "tools" / "stamps").mkdir(parents=True, exist_ok=True)
        (tmp_path / "tools" / "stamps" / name).write_text(target + "\n")
    done = _check_tools(tmp_path, PYOCM_GO=str(tmp_path / "no-go"))
    assert (done.returncode, done.stderr) == (0, "")
    # a stale stamp (an older pin) needs Go again, for that tool only
    (tmp_path / "tools" / "stamps" / "helm").write_text("helm.sh/helm/v3/cmd/helm@v3.0.0\n")
    done = _check_tools(tmp_path, PYOCM_GO=str(tmp_path / "no-go"))
    assert done.returncode == 1
    assert "building helm needs Go" in done.stderr


def _checkout_scripts(tmp_path: Path) -> Path:
    """A copy of the scripts only: no .venv beside them, as in a fresh clone."""
    clone = tmp_path / "clone"
    shutil.copytree(ROOT / "scripts", clone / "scripts")
    return clone


def _python3_without(tmp_path: Path, module: str) -> Path:
    """A ``python3`` (outside any virtual environment) on which ``import module`` fails, as on
    Debian without python3-venv (ensurepip is in that package)."""
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / f"{module}.py").write_text(f"raise ImportError('no {module} here')\n")
    base = Path(sys.base_prefix) / "bin" / "python3"
    return _executable(
        tmp_path / "bin" / "python3",
        f'#!/bin/sh\nunset VIRTUAL_ENV\nPYTHONPATH={shadow} exec {base} "$@"\n',
    )


def _test_sh(clone: Path, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(clone / "scripts" / "test.sh"), "--check"],
        env={**os.environ, "PYOCM_TOOLS": str(tmp_path / "tools"), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_test_sh_without_venv_support_stops_naming_python3_venv(tmp_path: Path) -> None:
    clone = _checkout_scripts(tmp_path)
    python3 = _python3_without(tmp_path, "ensurepip")
    go = _fake_go(tmp_path, "99.0.0")
    path = f"{python3.parent}:{os.environ['PATH']}"
    done = _test_sh(clone, tmp_path, PATH=path, PYOCM_GO=str(go))
    assert done.returncode == 1
    assert done.stderr == (
        "test.sh: python3 cannot make a virtual environment: install python3-venv "
        "(sudo apt-get install python3-venv)\n"
    )
    assert not (clone / ".venv").exists()


def test_test_sh_stops_on_a_python_older_than_3_11(tmp_path: Path) -> None:
    clone = _checkout_scripts(tmp_path)
    old = _executable(
        tmp_path / "bin" / "python3",
        '#!/bin/sh\ncase "$1" in -V) echo "Python 3.9.2";; *) exit 1;; esac\n',
    )
    done = _test_sh(clone, tmp_path, PATH=f"{old.parent}:{os.environ['PATH']}")
    assert (done.returncode, done.stderr) == (
        1,
        "test.sh: needs Python 3.11 or newer, python3 is 3.9.2\n",
    )


def test_test_sh_check_runs_the_tool_check_too(tmp_path: Path) -> None:
    clone = _checkout_scripts(tmp_path)
    done = _test_sh(clone, tmp_path, PYOCM_GO=str(_fake_go(tmp_path, "1.19.8")))
    assert done.returncode == 1
    assert done.stderr.startswith("install-test-tools: building oras crane helm needs Go >= ")
    done = _test_sh(clone, tmp_path, PYOCM_GO=str(_fake_go(tmp_path, "99.0.0")))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("test.sh: checks passed")
