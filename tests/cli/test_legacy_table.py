"""The legacy CLI's table layout (LEG cmds/ocm/common/output/table.go)."""

from __future__ import annotations

from pyocm.cli.legacy_table import format_table


def test_columns_are_padded_and_the_last_one_is_not() -> None:
    rows = [
        ["COMPONENT", "VERSION", "HASH"],
        ["test.de/x", "v1", "abc"],
        ["a.de/longer", "v10", "d"],
    ]
    assert format_table(rows) == (
        "COMPONENT   VERSION HASH\ntest.de/x   v1      abc\na.de/longer v10     d\n"
    )


def test_cells_over_200_characters_switch_to_one_field_per_line() -> None:
    long = "x" * 201
    rows = [["COMPONENT", "VERSION", "HASH", "NORMALIZED FORM"], ["c", "v1", "h", long]]
    assert format_table(rows) == (
        "COMPONENT      : c\n"
        "VERSION        : v1\n"
        "HASH           : h\n"
        f"NORMALIZED FORM: {long}\n"
        "---\n"
    )


def test_two_columns_never_switch() -> None:
    long = "y" * 300
    assert format_table([["A", "B"], ["a", long]]) == f"A B\na {long}\n"
