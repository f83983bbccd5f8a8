"""Finding, reading and merging configuration files, as the Go v2 CLI does
(NG cli/cmd/configuration/ocm_config.go and its tests, generic/v1/spec/flat_map.go)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from cfgtools import Sandbox, generic, write

from pyocm.config.discovery import discover_config_paths, load_config, read_config_file
from pyocm.config.merge import transfer_config
from pyocm.errors import OCMError

ALL_LOCATIONS = (
    "xdg/ocm/config",
    "xdg/.ocmconfig",
    "home/.config/ocm/config",
    "home/.config/.ocmconfig",
    "home/.ocm/config",
    "home/.ocmconfig",
    "work/.ocm/config",
    "work/.ocmconfig",
    "bin/.ocm/config",
    "bin/.ocmconfig",
)


def _copy_mode(mode: str) -> str:
    return generic(f"{{type: transfer.config.ocm.software/v1alpha1, copyMode: {mode}}}")


def test_every_location_is_found_in_the_documented_order(sandbox: Sandbox) -> None:
    # NG ocm_config_test.go "all files found across all locations in documented order"
    explicit = write(sandbox.root / "custom" / "ocm-config", generic())
    for relative in ALL_LOCATIONS:
        write(sandbox.root / relative, generic())
    env = sandbox.environment(OCM_CONFIG=str(explicit), XDG_CONFIG_HOME=str(sandbox.xdg))
    assert discover_config_paths(env) == [explicit, *(sandbox.root / r for r in ALL_LOCATIONS)]


def test_ocm_config_that_does_not_exist_is_not_listed(sandbox: Sandbox) -> None:
    # NG ocm_config_test.go "env var set but file does not exist"
    env = sandbox.environment(OCM_CONFIG=str(sandbox.root / "missing"))
    assert discover_config_paths(env) == []


def test_xdg_locations_need_the_variable(sandbox: Sandbox) -> None:
    write(sandbox.xdg / "ocm" / "config", generic())
    assert discover_config_paths(sandbox.environment()) == []


def test_a_directory_shared_by_two_locations_is_listed_twice(sandbox: Sandbox) -> None:
    path = write(sandbox.home / ".config" / "ocm" / "config", generic())
    env = sandbox.environment(XDG_CONFIG_HOME=str(sandbox.home / ".config"))
    assert discover_config_paths(env) == [path, path]


def test_later_files_win_and_ocm_config_has_the_lowest_priority(sandbox: Sandbox) -> None:
    explicit = write(sandbox.root / "explicit.yaml", _copy_mode("allResources"))
    write(sandbox.home / ".ocmconfig", _copy_mode("localBlob"))
    config = load_config(environment=sandbox.environment(OCM_CONFIG=str(explicit)))
    assert config.sources == (str(explicit), str(sandbox.home / ".ocmconfig"))
    found = transfer_config(config)
    assert found is not None and found.copy_mode == "localBlob"


def test_working_directory_config_overrides_home(sandbox: Sandbox) -> None:
    write(sandbox.home / ".ocmconfig", _copy_mode("localBlob"))
    write(sandbox.cwd / ".ocmconfig", _copy_mode("allResources"))
    found = transfer_config(load_config(environment=sandbox.environment()))
    assert found is not None and found.copy_mode == "allResources"


def test_no_file_anywhere_is_an_empty_configuration(sandbox: Sandbox) -> None:
    config = load_config(environment=sandbox.environment())
    assert config.entries == ()
    assert config.sources == ()


def test_discovered_file_that_fails_is_logged_and_skipped(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    broken = write(sandbox.home / ".ocmconfig", "configurations: [unclosed\n")
    write(sandbox.cwd / ".ocmconfig", _copy_mode("allResources"))
    with caplog.at_level(logging.ERROR, logger="pyocm.config"):
        config = load_config(environment=sandbox.environment())
    assert config.sources == (str(sandbox.cwd / ".ocmconfig"),)
    [record] = caplog.records
    assert record.getMessage() == "ocm config path was skipped due to an error loading it"
    assert record.__dict__["path"] == str(broken)


def test_discovered_directory_is_skipped(sandbox: Sandbox) -> None:
    (sandbox.home / ".ocmconfig").mkdir()
    assert load_config(environment=sandbox.environment()).sources == ()


def test_config_flag_uses_only_the_given_files_in_order(sandbox: Sandbox) -> None:
    write(sandbox.home / ".ocmconfig", _copy_mode("localBlob"))
    first = write(sandbox.root / "a.yaml", _copy_mode("localBlob"))
    second = write(sandbox.root / "b.yaml", _copy_mode("allResources"))
    config = load_config([first, second], environment=sandbox.environment())
    assert config.sources == (str(first), str(second))
    found = transfer_config(config)
    assert found is not None and found.copy_mode == "allResources"
    reversed_order = transfer_config(load_config([second, first]))
    assert reversed_order is not None and reversed_order.copy_mode == "localBlob"


def test_config_flag_with_a_missing_file_is_an_error_naming_it(sandbox: Sandbox) -> None:
    # NG setup_test.go "explicit config flag with non-existent file returns error"
    missing = sandbox.root / "nonexistent" / "config.yaml"
    with pytest.raises(OCMError, match="could not load configuration") as error:
        load_config([missing])
    assert str(missing) in str(error.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "cannot decode empty input data"),
        ("configurations: [unclosed\n", "invalid YAML"),
        ("- a\n- b\n", "must be a mapping"),
        ("type: generic.config.ocm.software/v1\nconfigurations: [plain]\n", "with a type"),
        ("configurations:\n- type: a/b/c\n", "too many segments"),
        (
            "type: credentials.config.ocm.software\nconsumers: []\n",
            "is not a configuration file type",
        ),
    ],
)
def test_config_flag_with_a_bad_file_is_an_error(sandbox: Sandbox, text: str, message: str) -> None:
    path = write(sandbox.root / "bad.yaml", text)
    with pytest.raises(OCMError, match=message) as error:
        load_config([path])
    assert str(error.value).startswith("could not load configuration: ")
    assert str(path) in str(error.value)


def test_file_with_only_comments_has_no_entries(sandbox: Sandbox) -> None:
    assert read_config_file(write(sandbox.root / "c.yaml", "# nothing here\n")) == []


def test_unversioned_generic_type_and_missing_type_are_accepted(sandbox: Sandbox) -> None:
    unversioned = write(
        sandbox.root / "u.yaml", "type: generic.config.ocm.software\nconfigurations: [{type: x}]\n"
    )
    untyped = write(sandbox.root / "n.yaml", "configurations: [{type: w}]\n")
    assert [str(e.type) for e in load_config([unversioned, untyped]).entries] == ["x", "w"]


def test_testdata_file_of_the_go_cli_is_read_entry_by_entry(sandbox: Sandbox) -> None:
    # NG cli/cmd/configuration/testdata/.ocmconfig-1 and TestGetFlattenedGetConfigFromPath
    path = write(
        sandbox.root / ".ocmconfig-1",
        """type: generic.config.ocm.software/v1
configurations:
- type: credentials.config.ocm.software
  repositories:
    - repository:
        type: DockerConfig/v1
        dockerConfigFile: "~/.docker/config.json"
        propagateConsumerIdentity: true
- type: attributes.config.ocm.software
  attributes:
    cache: ~/.ocm/cache
- type: credentials.config.ocm.software
  consumers:
  - identity:
      type: HelmChartRepository
      hostname: common.repositories.cloud.sap
    credentials:
    - type: Credentials/v1
      properties:
        username: "username"
        password: "password"
- type: uploader.ocm.config.ocm.software
  registrations:
  - name: plugin/jfrog/JFrogHelm
    artifactType: helmChart
    priority: 200
""",
    )
    entries = read_config_file(path)
    assert [str(e.type) for e in entries] == [
        "credentials.config.ocm.software",
        "attributes.config.ocm.software",
        "credentials.config.ocm.software",
        "uploader.ocm.config.ocm.software",
    ]
    assert entries[1].data == {
        "type": "attributes.config.ocm.software",
        "attributes": {"cache": "~/.ocm/cache"},
    }
    assert [e.location for e in entries] == [f"configurations[{i}]" for i in range(4)]


def test_nested_generic_configs_come_after_direct_entries(sandbox: Sandbox) -> None:
    # NG generic/v1/spec/flat_map.go doc comment: [transfer(allResources), transfer(localBlob)]
    path = write(
        sandbox.root / "nested.yaml",
        """type: generic.config.ocm.software/v1
configurations:
- type: generic.config.ocm.software/v1
  configurations:
  - type: transfer.config.ocm.software/v1alpha1
    copyMode: localBlob
- type: transfer.config.ocm.software/v1alpha1
  copyMode: allResources
""",
    )
    config = load_config([path])
    assert [e.data["copyMode"] for e in config.entries] == ["allResources", "localBlob"]
    found = transfer_config(config)
    assert found is not None and found.copy_mode == "localBlob"


def test_deeply_nested_generic_configs_flatten_depth_first(sandbox: Sandbox) -> None:
    path = write(
        sandbox.root / "deep.yaml",
        """configurations:
- {type: a}
- type: generic.config.ocm.software
  configurations:
  - {type: b}
  - type: generic.config.ocm.software/v1
    configurations: [{type: c}]
- {type: d}
- type: generic.config.ocm.software/v1
  configurations: [{type: e}]
""",
    )
    entries = load_config([path]).entries
    assert [str(e.type) for e in entries] == ["a", "d", "b", "c", "e"]
    assert entries[3].location == "configurations[1].configurations[1].configurations[0]"


def test_unknown_entry_types_are_kept_verbatim(sandbox: Sandbox) -> None:
    path = write(
        sandbox.root / "x.yaml",
        generic("{type: someones.config/v9, nested: {list: [1, two]}, flag: yes}"),
    )
    [entry] = load_config([path]).entries
    assert entry.data == {
        "type": "someones.config/v9",
        "nested": {"list": [1, "two"]},
        "flag": True,
    }
    assert entry.where == f"{path}: configurations[0]"


def test_entries_remember_their_file(sandbox: Sandbox) -> None:
    a = write(sandbox.root / "a.yaml", generic("{type: x}"))
    b = write(sandbox.root / "b.yaml", generic("{type: w}", "{type: z}"))
    assert [(e.source, e.location) for e in load_config([a, b]).entries] == [
        (str(a), "configurations[0]"),
        (str(b), "configurations[0]"),
        (str(b), "configurations[1]"),
    ]


def test_json_config_files_are_read(sandbox: Sandbox) -> None:
    path = write(
        sandbox.root / "c.json",
        '{"type": "generic.config.ocm.software/v1", "configurations": [{"type": "x"}]}',
    )
    assert [str(e.type) for e in load_config([path]).entries] == ["x"]


def test_relative_ocm_config_is_relative_to_the_working_directory(sandbox: Sandbox) -> None:
    write(sandbox.cwd / "conf" / "ocm.yaml", generic())
    env = sandbox.environment(OCM_CONFIG="conf/ocm.yaml")
    assert discover_config_paths(env) == [Path("conf/ocm.yaml")]
