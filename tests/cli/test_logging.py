"""Log lines in the shape of Go's slog text and JSON handlers, and the log flags."""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path

import pytest

from pyocm.cli.logging import JSONFormatter, TextFormatter, configure, go_quote, level_name

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

# slog text time: RFC 3339 with milliseconds (Go layout 2006-01-02T15:04:05.000Z07:00)
TEXT_TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)"
# slog JSON time: RFC 3339 with up to nanoseconds, trailing zeros trimmed
JSON_TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?(Z|[+-]\d\d:\d\d)"


def _record(msg: str, level: int = logging.INFO, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("pyocm.test", level, __file__, 1, msg, None, None)
    record.__dict__.update(extra)
    return record


@pytest.fixture
def restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_text_line_has_time_level_msg_and_attributes() -> None:
    line = TextFormatter().format(_record("pushed blob", size=42, ref="ghcr.io/acme"))
    assert re.fullmatch(
        rf'time={TEXT_TIME} level=INFO msg="pushed blob" size=42 ref=ghcr.io/acme', line
    )


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        ("plain", "plain"),
        ("with space", '"with space"'),
        ("a=b", '"a=b"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("", '""'),
        ("two\nlines", '"two\\nlines"'),
        ("C:\\dir", "C:\\dir"),  # a backslash alone does not force quotes in slog
        (True, "true"),
        (False, "false"),
        (None, "<nil>"),
        (1.5, "1.5"),
    ],
)
def test_text_values_are_quoted_as_slog_quotes_them(value: object, rendered: str) -> None:
    line = TextFormatter().format(_record("m", key=value))
    assert line.endswith(f" key={rendered}")


class _Color(Enum):
    RED = "red"


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        (["/home/a/.ocmconfig"], "[/home/a/.ocmconfig]"),
        (["/a", "/b"], '"[/a /b]"'),
        (("x", 1, True), '"[x 1 true]"'),
        ({"b": 2, "a": "x"}, '"map[a:x b:2]"'),
        ({"z", "y"}, '"[y z]"'),
        (b"bytes", "bytes"),
        (_Color.RED, "red"),
        (Path("/tmp/x"), "/tmp/x"),
        ([["nested"]], "[[nested]]"),
    ],
)
def test_text_values_are_text_not_python_reprs(value: object, rendered: str) -> None:
    line = TextFormatter().format(_record("m", key=value))
    assert line.endswith(f" key={rendered}")
    assert "'" not in line


def test_json_values_are_json_not_python_reprs() -> None:
    entry = json.loads(
        JSONFormatter().format(_record("m", tags={"b", "a"}, raw=b"x", color=_Color.RED))
    )
    assert entry["tags"] == ["a", "b"]
    assert entry["raw"] == "x"
    assert entry["color"] == "red"


def test_debug_log_of_config_paths_is_text(run_ocm: RunOcm, tmp_path: Path) -> None:
    config = tmp_path / "home" / ".ocmconfig"
    config.parent.mkdir()
    config.write_text("type: generic.config.ocm.software/v1\nconfigurations: []\n")
    done = run_ocm(
        "get", "config", "--loglevel", "debug", cwd=tmp_path, env={"HOME": str(config.parent)}
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stderr.splitlines() if "skipping auto configuration" in x)
    assert line.endswith(f" paths=[{config}]")


def test_go_quote_escapes_like_strconv_quote() -> None:
    assert go_quote("tab\there") == '"tab\\there"'
    assert go_quote("bell\a") == '"bell\\a"'
    assert go_quote("nul\x00") == '"nul\\x00"'
    assert go_quote("ünïcode") == '"ünïcode"'


@pytest.mark.parametrize(
    ("level", "name"),
    [
        (logging.DEBUG, "DEBUG"),
        (logging.INFO, "INFO"),
        (logging.WARNING, "WARN"),
        (logging.ERROR, "ERROR"),
        (logging.CRITICAL, "ERROR"),
    ],
)
def test_level_names_are_slogs(level: int, name: str) -> None:
    assert level_name(level) == name


def test_json_line_is_one_object_with_time_level_msg_first() -> None:
    line = JSONFormatter().format(_record("pushed", logging.WARNING, size=42, tags=["a", "b"]))
    entry = json.loads(line)
    assert list(entry) == ["time", "level", "msg", "size", "tags"]
    assert re.fullmatch(JSON_TIME, entry["time"])
    assert entry["level"] == "WARN"
    assert entry["msg"] == "pushed"
    assert entry["size"] == 42
    assert entry["tags"] == ["a", "b"]
    assert "\n" not in line


def test_exception_becomes_an_error_attribute() -> None:
    try:
        raise ValueError("bad input")
    except ValueError:
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    assert TextFormatter().format(record).endswith(' msg=failed error="bad input"')


@pytest.mark.usefixtures("restore_root_logger")
def test_configure_filters_by_level_and_replaces_its_earlier_handler() -> None:
    first, second = io.StringIO(), io.StringIO()
    configure("debug", "text", first)
    configure("warn", "json", second)
    log = logging.getLogger("pyocm.test")
    log.info("hidden")
    log.warning("shown")
    assert first.getvalue() == ""
    lines = second.getvalue().splitlines()
    assert [json.loads(line)["msg"] for line in lines] == ["shown"]


def test_logformat_json_writes_json_lines_to_stderr(run_ocm: RunOcm) -> None:
    done = run_ocm("--loglevel", "debug", "--logformat", "json", "version")
    assert done.returncode == 0
    entries = [json.loads(line) for line in done.stderr.splitlines()]
    assert entries
    assert entries[0]["level"] == "DEBUG"
    assert entries[0]["msg"] == "running command"
    assert entries[0]["command"] == "ocm version"
    assert json.loads(done.stdout)["gitVersion"]


def test_logoutput_stdout_sends_logs_to_stdout(run_ocm: RunOcm) -> None:
    done = run_ocm("version", "--loglevel", "debug", "--logoutput", "stdout")
    assert done.returncode == 0
    assert done.stderr == ""
    log_line, result_line = done.stdout.splitlines()
    assert 'level=DEBUG msg="running command"' in log_line
    assert json.loads(result_line)["gitVersion"]
