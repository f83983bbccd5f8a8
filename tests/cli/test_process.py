"""``ocm`` as a process: exit codes, the single ``Error:`` line, and the stdout/stderr split.

The messages follow the Go CLI (cobra/pflag) wording, see reference/cli.md §1.3.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

RunOcm = Callable[..., subprocess.CompletedProcess[str]]


def test_help_exits_0_with_help_on_stdout(run_ocm: RunOcm) -> None:
    done = run_ocm("--help")
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: ocm ")
    assert done.stderr == ""


def test_subcommand_help_exits_0(run_ocm: RunOcm) -> None:
    done = run_ocm("get", "cv", "--help")
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: ocm get component-version {reference}")


def test_parent_without_subcommand_exits_0_with_help(run_ocm: RunOcm) -> None:
    done = run_ocm("get")
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: ocm get ")
    assert done.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["frobnicate"], 'unknown command "frobnicate" for "ocm"'),
        (["get", "frobnicate"], 'unknown command "frobnicate" for "ocm get"'),
        (
            ["get", "version"],
            'unknown command "version" for "ocm get"; did you mean "component-version"?',
        ),
        (["version", "--frobnicate"], "unknown flag: --frobnicate"),
        (["--frobnicate", "version"], "unknown flag: --frobnicate"),
        (["version", "-z"], "unknown shorthand flag: 'z' in -z"),
        (["get", "cv"], "accepts 1 arg(s), received 0"),
        (["get", "cv", "a", "b"], "accepts 1 arg(s), received 2"),
        (["add", "cv", "extra"], 'unknown command "extra" for "ocm add component-version"'),
        (["get", "cv", "x", "--output"], "flag needs an argument: --output"),
        (["get", "cv", "x", "-o"], "flag needs an argument: 'o' in -o"),
        (
            ["get", "cv", "x", "-o", "bogus"],
            'invalid argument "bogus" for "-o, --output" flag: '
            'expected one of ["table" "yaml" "json" "ndjson" "tree"]',
        ),
        (
            ["--loglevel", "loud", "version"],
            'invalid argument "loud" for "--loglevel" flag: '
            'expected one of ["info" "warn" "debug" "error"]',
        ),
        (
            ["get", "cv", "x", "--latest=maybe"],
            'invalid argument "maybe" for "--latest" flag: '
            'strconv.ParseBool: parsing "maybe": invalid syntax',
        ),
        (
            ["version", "--plugin-shutdown-timeout", "3x"],
            'invalid argument "3x" for "--plugin-shutdown-timeout" flag: '
            'time: invalid duration "3x"',
        ),
        (["plugin", "registry", "list"], 'required flag(s) "registry" not set'),
        (["get", "config", "a", "b"], "unexpected arguments: [a b]"),
        (
            ["transfer", "cv", "--transfer-spec", "spec.yaml", "x"],
            "positional arguments are not allowed when --transfer-spec is set",
        ),
        (["get", "cv", "./ctf//acme.org/x:1.0.0"], "CTF './ctf' does not exist"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_failure_exits_1_with_one_error_line(
    run_ocm: RunOcm, args: list[str], message: str
) -> None:
    done = run_ocm(*args)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == f"Error: {message}\n"


def test_library_error_is_one_error_line(run_ocm: RunOcm, tmp_path: Path) -> None:
    done = run_ocm("hash", "cv", "--file", "no-such-descriptor.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("Error: ")
    assert "no-such-descriptor.yaml" in done.stderr
    assert done.stderr.count("\n") == 1


def test_error_at_debug_level_adds_a_traceback_before_the_error_line(run_ocm: RunOcm) -> None:
    done = run_ocm("--loglevel", "debug", "get", "cv", "./ctf//acme.org/x:1.0.0")
    assert done.returncode == 1
    assert "Traceback (most recent call last):" in done.stderr
    assert done.stderr.endswith("Error: CTF './ctf' does not exist\n")


_CRASHING_VERSION = textwrap.dedent(
    """
    import sys
    import pyocm.cli.buildinfo as buildinfo

    def crash(*args):
        raise ZeroDivisionError("boom")

    buildinfo.legacy_version_info = crash
    from pyocm.cli import main
    main(sys.argv[1:])
    """
)


def _run_crashing(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _CRASHING_VERSION, *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_unexpected_exception_is_reported_with_its_type_and_no_traceback() -> None:
    done = _run_crashing("version")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == "Error: ZeroDivisionError: boom\n"


def test_unexpected_exception_at_debug_level_shows_the_traceback() -> None:
    done = _run_crashing("version", "--loglevel", "debug")
    assert done.returncode == 1
    assert "Traceback (most recent call last):" in done.stderr
    assert ", in crash\n" in done.stderr  # the frame that raised
    assert done.stderr.endswith("Error: ZeroDivisionError: boom\n")


def test_results_go_to_stdout_and_logs_to_stderr(run_ocm: RunOcm) -> None:
    done = run_ocm("--loglevel", "debug", "version")
    assert done.returncode == 0
    assert json.loads(done.stdout)["gitVersion"]  # stdout holds only the result
    assert done.stderr.startswith("time=")
    assert 'level=DEBUG msg="running command" command="ocm version"' in done.stderr


def test_global_flags_work_after_the_subcommand(run_ocm: RunOcm) -> None:
    done = run_ocm("version", "--loglevel", "debug")
    assert done.returncode == 0
    assert "level=DEBUG" in done.stderr


def test_default_loglevel_info_hides_debug_lines(run_ocm: RunOcm) -> None:
    done = run_ocm("version")
    assert done.returncode == 0
    assert done.stderr == ""
