"""The command tree: names, aliases and flags as the Go v2 CLI has them, and their help.

Expected names, aliases and flags are taken from open-component-model/open-component-model
``cli/cmd/**`` (the ``Use``, ``Aliases`` and flag definitions of each command) and
reference/cli.md §1.1; ``hash component-version`` from the legacy CLI's
``cmds/ocm/commands/ocmcmds/components/hash``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from click.testing import Result

Invoke = Callable[..., Result]

CV_ALIASES = [
    "cv",
    "component-versions",
    "cvs",
    "componentversion",
    "componentversions",
    "component",
    "components",
    "comp",
    "comps",
    "c",
]
ADD_CV_ALIASES = ["cv", "componentversion", "component-versions", "cvs", "componentversions"]

TOP_LEVEL = [
    "add",
    "completion",
    "describe",
    "download",
    "generate",
    "get",
    "hash",
    "help",
    "plugin",
    "sign",
    "transfer",
    "verify",
    "version",
]

# group path -> {subcommand: aliases}
GROUPS: dict[tuple[str, ...], dict[str, list[str]]] = {
    ("add",): {"component-version": ADD_CV_ALIASES},
    ("get",): {
        "component-version": CV_ALIASES,
        "config": ["configuration", "cfg"],
        "types": ["type"],
    },
    ("describe",): {"types": ["type"]},
    ("sign",): {"component-version": CV_ALIASES},
    ("verify",): {"component-version": CV_ALIASES},
    ("transfer",): {"component-version": CV_ALIASES},
    ("hash",): {"component-version": CV_ALIASES},
    ("download",): {"resource": ["resources"], "plugin": ["plugins"]},
    ("plugin",): {"registry": []},
    ("plugin", "registry"): {"list": [], "get": []},
    ("generate",): {"docs": []},
    ("completion",): {"bash": [], "zsh": [], "fish": [], "powershell": []},
}

# command path -> flags, each as "-s, --long" or "--long"
FLAGS: dict[tuple[str, ...], list[str]] = {
    ("add", "component-version"): [
        "--concurrency-limit",
        "-r, --repository",
        "-c, --constructor",
        "--blob-cache-directory",
        "--component-version-conflict-policy",
        "--external-component-version-copy-policy",
        "--skip-reference-digest-processing",
        "-o, --output",
        "--display-mode",
    ],
    ("get", "component-version"): [
        "-o, --output",
        "--display-mode",
        "--semver-constraint",
        "--latest",
        "--recursive",
    ],
    ("get", "config"): ["-o, --output"],
    ("get", "types"): ["-o, --output", "--table-style", "--show-paths"],
    ("describe", "types"): ["-o, --output", "--table-style", "--show-paths"],
    ("sign", "component-version"): [
        "-o, --output",
        "--concurrency-limit",
        "--signature",
        "--signer-spec",
        "--dry-run",
        "--normalisation",
        "--hash",
        "--force",
    ],
    ("verify", "component-version"): ["--concurrency-limit", "--signature", "--verifier-spec"],
    ("transfer", "component-version"): [
        "-o, --output",
        "--dry-run",
        "-r, --recursive",
        "--copy-resources",
        "-u, --upload-as",
        "--transfer-spec",
        "--semver-constraint",
        "--latest",
        "--concurrency",
        "--component-version-conflict-policy",
    ],
    ("download", "resource"): ["--identity", "--output", "--transformer", "--extraction-policy"],
    ("download", "plugin"): [
        "--resource-version",
        "--output",
        "-f, --output-format",
        "--extra-identity",
        "--skip-validation",
        "--plugin-type",
    ],
    ("plugin", "registry", "list"): ["-o, --output", "--registry"],
    ("plugin", "registry", "get"): [
        "-o, --output",
        "--version",
        "--component-descriptor",
        "--registry",
    ],
    ("generate", "docs"): ["-d, --directory", "--mode"],
    ("version",): ["-f, --format"],
    ("completion", "bash"): ["--no-descriptions"],
    ("hash", "component-version"): [
        "-f, --file",
        "-N, --normalisation, --normalization",
        "-H, --hash",
        "-o, --output",
    ],
}

GLOBAL_FLAGS = [
    "--config",
    "--loglevel",
    "--logformat",
    "--logoutput",
    "--plugin-directory",
    "--plugin-shutdown-timeout",
    "--temp-folder",
    "--working-directory",
]


def _lists_flag(section: str, flag: str) -> bool:
    return re.search(rf"^  {re.escape(flag)}(\s|$)", section, re.MULTILINE) is not None


def _section(text: str, heading: str) -> str:
    """The lines of a help section, up to the next heading."""
    lines = text.splitlines()
    start = lines.index(f"{heading}:") + 1
    end = next((i for i in range(start, len(lines)) if lines[i] and lines[i][0] != " "), len(lines))
    return "\n".join(lines[start:end])


def test_root_help_lists_every_top_level_command(invoke: Invoke) -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    commands = _section(result.stdout, "Commands")
    listed = [
        line.split()[0]
        for line in commands.splitlines()
        if line.startswith("  ") and line[2] != " "
    ]
    assert listed == TOP_LEVEL


def test_root_help_lists_the_global_flags(invoke: Invoke) -> None:
    flags = _section(invoke("--help").stdout, "Flags")
    for flag in GLOBAL_FLAGS:
        assert flag in flags


@pytest.mark.parametrize("group", list(GROUPS), ids=" ".join)
def test_group_help_lists_subcommands_and_aliases(invoke: Invoke, group: tuple[str, ...]) -> None:
    result = invoke(*group, "--help")
    assert result.exit_code == 0
    commands = _section(result.stdout, "Commands")
    for name, aliases in GROUPS[group].items():
        assert f"  {name} " in commands
        if aliases:
            assert "aliases: " + ", ".join(aliases) in " ".join(commands.split())


@pytest.mark.parametrize("group", list(GROUPS), ids=" ".join)
def test_parent_without_subcommand_prints_help_and_exits_0(
    invoke: Invoke, group: tuple[str, ...]
) -> None:
    result = invoke(*group)
    assert result.exit_code == 0
    assert result.stdout == invoke(*group, "--help").stdout
    assert result.stderr == ""


def test_root_without_arguments_prints_help_and_exits_0(invoke: Invoke) -> None:
    result = invoke()
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ocm ")


ALIAS_CASES = [
    (group, name, alias)
    for group, subcommands in GROUPS.items()
    for name, aliases in subcommands.items()
    for alias in aliases
]


@pytest.mark.parametrize(("group", "name", "alias"), ALIAS_CASES, ids=lambda v: str(v))
def test_alias_resolves_to_the_command(
    invoke: Invoke, group: tuple[str, ...], name: str, alias: str
) -> None:
    by_alias = invoke(*group, alias, "--help")
    by_name = invoke(*group, name, "--help")
    assert by_alias.exit_code == 0
    assert by_alias.stdout.splitlines()[0].startswith(f"Usage: ocm {' '.join(group)} {name}")
    assert by_alias.stdout == by_name.stdout


@pytest.mark.parametrize("path", list(FLAGS), ids=" ".join)
def test_command_has_the_reference_flags(invoke: Invoke, path: tuple[str, ...]) -> None:
    result = invoke(*path, "--help")
    assert result.exit_code == 0
    flags = _section(result.stdout, "Flags")
    for flag in FLAGS[path]:
        assert _lists_flag(flags, flag), flag


@pytest.mark.parametrize("path", [p for p in FLAGS if len(p) > 1], ids=" ".join)
def test_subcommand_help_shows_the_global_flags(invoke: Invoke, path: tuple[str, ...]) -> None:
    global_section = _section(invoke(*path, "--help").stdout, "Global Flags")
    for flag in GLOBAL_FLAGS:
        assert _lists_flag(global_section, flag), flag


def test_command_help_shows_its_aliases(invoke: Invoke) -> None:
    aliases = _section(invoke("get", "cv", "--help").stdout, "Aliases")
    assert " ".join(aliases.split()) == ", ".join(["component-version", *CV_ALIASES])


def test_help_command_shows_the_help_of_a_command(invoke: Invoke) -> None:
    result = invoke("help", "get", "cv")
    assert result.exit_code == 0
    assert result.stdout == invoke("get", "component-version", "--help").stdout


def test_help_command_rejects_an_unknown_topic(invoke: Invoke) -> None:
    result = invoke("help", "frobnicate")
    assert result.exit_code == 1
    assert result.stderr == 'Error: unknown help topic "frobnicate"\n'


NOT_IMPLEMENTED: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("get", "types"), ()),
    (("describe", "types"), ()),
    (("download", "plugin"), ("./ctf//acme.org/x:1.0.0",)),
    (("plugin", "registry", "list"), ("--registry", "ghcr.io/o//acme.org/registry")),
    (("plugin", "registry", "get"), ("p", "--registry", "ghcr.io/o//acme.org/registry")),
    (("generate", "docs"), ()),
]


@pytest.mark.parametrize(("path", "args"), NOT_IMPLEMENTED, ids=lambda v: " ".join(v))
def test_unimplemented_command_fails_honestly(
    invoke: Invoke, path: tuple[str, ...], args: tuple[str, ...]
) -> None:
    result = invoke(*path, *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: ocm {' '.join(path)} is not implemented in pyocm yet\n"
