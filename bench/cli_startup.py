"""How long small ``ocm`` calls take to start and finish, against Python itself and the Go v2 CLI.

    $ python bench/cli_startup.py            # 20 runs of each command
    $ python bench/cli_startup.py --runs 40

Runs each command several times as a subprocess and prints the median CPU time (user + system
of the child, from ``wait4``) and wall time, with the CPU ratio to the Go v2 CLI doing the same.
The commands: ``python -c pass``, ``ocm --help``, ``ocm version``, ``get cv`` of a version in
a small CTF (one component, one 5-byte local resource), and ``transfer cv`` of that version into
a new CTF (removed before every run).  pyocm is the installed ``ocm`` console script beside the
running interpreter (else the one on PATH; a pyenv shim would add its own start-up), run with
its byte code cached (``PYTHONDONTWRITEBYTECODE`` unset), as an installed package runs.  The Go
binary is ``$PYOCM_GO_OCM_V2`` or ``ocm-go-v2`` in the test-tools cache
(scripts/install-go-ocm.sh); without it the Go rows are left out.  Both run with an empty HOME.
``python -X importtime $(which ocm) get cv …`` shows where pyocm's time goes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchlib import TOOLS

COMPONENT = "acme.org/comp"


def run_once(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of ``cmd``; exits when it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {err.decode(errors='replace')[-2000:]}")
    return usage.ru_utime + usage.ru_stime, wall


def medians(
    cmd: list[str], runs: int, env: dict[str, str], cwd: Path, before: Callable[[], None]
) -> tuple[float, float]:
    """Median (CPU, wall) seconds of ``runs`` runs of ``cmd`` after one warm-up run."""
    before()
    run_once(cmd, env, cwd)
    cpu, wall = [], []
    for _ in range(runs):
        before()
        c, w = run_once(cmd, env, cwd)
        cpu.append(c)
        wall.append(w)
    return statistics.median(cpu), statistics.median(wall)


def make_ctf(path: Path) -> None:
    """A CTF holding ``acme.org/comp:1.0.0`` with one small local resource."""
    from pyocm.blob import BytesBlob
    from pyocm.descriptor import Component, Descriptor, Provider, Resource
    from pyocm.repository.ctf.ocistore import CTFStore
    from pyocm.repository.ocm import OCMRepository

    with OCMRepository(CTFStore(path, writable=True)) as repo:
        resource = repo.add_local_resource(
            COMPONENT,
            "1.0.0",
            Resource(name="readme", version="1.0.0", type="plainText"),
            BytesBlob(b"hello", "text/plain"),
        )
        repo.add_component_version(
            Descriptor(Component(COMPONENT, "1.0.0", Provider("acme"), resources=[resource]))
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per command (default 20)")
    runs = parser.parse_args().runs
    beside = Path(sys.executable).with_name("ocm")
    ocm = str(beside) if beside.is_file() else shutil.which("ocm")
    if ocm is None:
        sys.exit("ocm is not on PATH; install pyocm first (pip install -e .)")
    go = os.environ.get("PYOCM_GO_OCM_V2") or str(TOOLS / "ocm-go-v2")
    tools = {"pyocm": ocm, "Go v2": go} if Path(go).is_file() else {"pyocm": ocm}
    with tempfile.TemporaryDirectory(prefix="pyocm-bench-startup-") as tmp:
        work = Path(tmp)
        (work / "home").mkdir()
        make_ctf(work / "ctf")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["HOME"] = str(work / "home")
        target = work / "target"

        def fresh_target() -> None:
            shutil.rmtree(target, ignore_errors=True)

        def nothing() -> None:
            pass

        ref = f"ctf//{COMPONENT}:1.0.0"
        commands: list[tuple[str, str, list[str], Callable[[], None]]] = [
            ("python -c pass", "", [sys.executable, "-c", "pass"], nothing)
        ]
        for label, binary in tools.items():
            commands += [
                ("--help", label, [binary, "--help"], nothing),
                ("version", label, [binary, "version"], nothing),
                ("get cv", label, [binary, "get", "cv", ref], nothing),
                ("transfer cv", label, [binary, "transfer", "cv", ref, str(target)], fresh_target),
            ]
        results = {
            (name, label): medians(cmd, runs, env, work, before)
            for name, label, cmd, before in commands
        }
    print(f"{'command':<16} {'tool':<6} {'CPU ms':>8} {'wall ms':>8} {'CPU / Go':>9}   (medians)")
    for (name, label), (cpu, wall) in results.items():
        go_cpu = results.get((name, "Go v2"), (0.0, 0.0))[0]
        ratio = f"{cpu / go_cpu:>9.2f}" if go_cpu and label != "Go v2" else ""
        print(f"{name:<16} {label:<6} {cpu * 1000:>8.0f} {wall * 1000:>8.0f} {ratio}")
    print(f"({runs} runs each after one warm-up; CPU = user + system of the child)")


if __name__ == "__main__":
    main()
