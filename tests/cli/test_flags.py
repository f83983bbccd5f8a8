"""pflag-style flag handling: ``--flag=false``, optional values, Go durations, global flags."""

from __future__ import annotations

import click
import pytest

from pyocm.cli.app import cli
from pyocm.cli.commands.get import get, get_component_version
from pyocm.cli.commands.transfer import transfer_component_version
from pyocm.cli.flags import go_style_args, parse_duration
from pyocm.cli.globalflags import resolve


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("10s", 10.0), ("1m30s", 90.0), ("1.5h", 5400.0), ("500ms", 0.5), ("0", 0.0), ("-2s", -2.0)],
)
def test_go_durations_parse(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "10", "3x", "s", "1m30", "1 s"])
def test_malformed_go_durations_are_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="invalid duration"):
        parse_duration(text)


def _parse(command: click.Command, args: list[str]) -> click.Context:
    return command.make_context(str(command.name), args)


def test_bool_flag_accepts_an_explicit_value() -> None:
    ctx = _parse(get_component_version, ["ref", "--latest=false"])
    assert ctx.params["latest"] is False
    assert ctx.get_parameter_source("latest") == click.core.ParameterSource.COMMANDLINE
    assert _parse(get_component_version, ["ref", "--latest=true"]).params["latest"] is True
    assert _parse(get_component_version, ["ref", "--latest"]).params["latest"] is True
    assert _parse(get_component_version, ["ref"]).params["latest"] is False


def test_short_bool_flag_and_its_long_form_with_value() -> None:
    args = ["a", "b", "-r"]
    assert _parse(transfer_component_version, args).params["recursive"] is True
    args = ["a", "b", "--recursive=0"]
    assert _parse(transfer_component_version, args).params["recursive"] is False


def test_optional_value_flag_never_takes_the_next_argument() -> None:
    ctx = _parse(get_component_version, ["--recursive", "ctf//acme.org/x"])
    assert ctx.params["recursive"] == -1
    assert ctx.params["args"] == ("ctf//acme.org/x",)
    assert _parse(get_component_version, ["--recursive=2", "r"]).params["recursive"] == 2
    assert _parse(get_component_version, ["r"]).params["recursive"] == 0


def test_short_flag_with_equals_sign_takes_the_value() -> None:
    assert _parse(get_component_version, ["r", "-o=yaml"]).params["output"] == "yaml"
    assert _parse(get_component_version, ["r", "-oyaml"]).params["output"] == "yaml"


def test_rewriting_stops_at_double_dash() -> None:
    params = get_component_version.params
    assert go_style_args(params, ["--", "--latest=false"]) == ["--", "--latest=false"]


def test_global_flags_merge_over_the_command_chain() -> None:
    root = cli.make_context("ocm", ["--config", "a.yaml", "--loglevel", "warn", "get", "cv", "r"])
    group = get.make_context("get", ["--config", "b.yaml", "cv", "r"], parent=root)
    leaf = get_component_version.make_context(
        "component-version", ["r", "--config", "c.yaml", "--loglevel", "debug"], parent=group
    )
    flags = resolve(leaf)
    assert flags.config == ("a.yaml", "b.yaml", "c.yaml")
    assert flags.loglevel == "debug"  # given last on the command line
    assert flags.logformat == "text"
    assert flags.plugin_shutdown_timeout == 10.0


def test_global_flag_defaults_match_the_go_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/tester")
    flags = resolve(cli.make_context("ocm", []))
    assert flags.config == ()
    assert (flags.loglevel, flags.logformat, flags.logoutput) == ("info", "text", "stderr")
    assert flags.plugin_directory == "/home/tester/.config/ocm/plugins"
    assert flags.plugin_shutdown_timeout == 10.0
    assert flags.temp_folder is None
    assert flags.working_directory is None


def test_comma_separated_repeatable_flag_is_split() -> None:
    from pyocm.cli.commands.download import download_plugin

    ctx = _parse(
        download_plugin, ["r", "--extra-identity", "os=linux,arch=amd64", "--extra-identity", "x=y"]
    )
    assert ctx.params["extra_identity"] == ["os=linux", "arch=amd64", "x=y"]
