"""How long the ``ocm`` command line takes to start, against a bare Python interpreter.

    $ python bench/cli_startup.py            # 15 runs of each command
    $ python bench/cli_startup.py --runs 30

Runs each command several times as a subprocess (the installed ``ocm`` console script beside the
running interpreter, else the one on PATH; a pyenv shim would add its own start-up) and prints the
median wall time and its ratio to ``python -c pass``.  The commands must not import YAML,
cryptography or the descriptor model; ``python -X importtime -c 'import pyocm.cli'`` shows where
the time goes.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def median_seconds(cmd: list[str], runs: int) -> float:
    """Median wall time of ``runs`` runs of ``cmd`` (after one warm-up run)."""
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per command (default 15)")
    runs = parser.parse_args().runs
    beside = Path(sys.executable).with_name("ocm")
    ocm = str(beside) if beside.is_file() else shutil.which("ocm")
    if ocm is None:
        sys.exit("ocm is not on PATH; install pyocm first (pip install -e .)")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "ocm --help": [ocm, "--help"],
        "ocm version": [ocm, "version"],
    }
    results = {name: median_seconds(cmd, runs) for name, cmd in commands.items()}
    base = results["python -c pass"]
    print(f"{'command':<16} {'median ms':>10} {'x python':>9}   ({runs} runs each)")
    for name, seconds in results.items():
        print(f"{name:<16} {seconds * 1000:>10.1f} {seconds / base:>9.2f}")


if __name__ == "__main__":
    main()
