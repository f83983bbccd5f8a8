"""creationTime as the legacy Go library re-writes it (parse, UTC, round to seconds)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pyocm.errors import ValidationError
from pyocm.normalise.creation_time import canonical_creation_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-07-28T11:40:51Z", "2025-07-28T11:40:51Z"),
        ("2025-07-28T11:40:51.5Z", "2025-07-28T11:40:52Z"),
        ("2025-07-28T11:40:51.4999999999Z", "2025-07-28T11:40:51Z"),
        ("2025-07-28T11:40:51,9Z", "2025-07-28T11:40:52Z"),
        ("2025-07-28T1:40:51Z", "2025-07-28T01:40:51Z"),
        ("2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00Z"),
        ("2023-12-31T23:59:59.5Z", "2024-01-01T00:00:00Z"),
        ("2023-12-31T22:00:00-24:00", "2024-01-01T22:00:00Z"),
        ("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"),
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
    ],
)
def test_canonical_form(text: str, expected: str) -> None:
    assert canonical_creation_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2025-07-28",
        "2025-07-28 11:40:51Z",
        "2025-07-28T11:40:51",
        "2025-07-28t11:40:51z",
        "2025-13-01T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2025-07-28T24:00:00Z",
        "2025-07-28T11:60:00Z",
        "2025-07-28T11:40:60Z",
        "2025-07-28T11:40:51+25:00",
        "2025-07-28T11:40:51+0100",
        "2025-07-28T11:40:51.Z",
        "9999-12-31T23:59:59.5Z",
        "0000-01-01T00:00:00+00:01",
    ],
)
def test_times_go_rejects_are_errors_naming_the_field(text: str) -> None:
    with pytest.raises(ValidationError, match=r"component\.creationTime"):
        canonical_creation_time(text)


@given(
    st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31)),
    st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59),
)
def test_agrees_with_datetime_arithmetic(moment: datetime, offset_minutes: int) -> None:
    zone = timezone(timedelta(minutes=offset_minutes))
    local = moment.replace(tzinfo=zone)
    sign = "-" if offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(offset_minutes), 60)
    text = f"{stamp(local)}.{local.microsecond:06d}{sign}{hours:02d}:{minutes:02d}"
    utc = local.astimezone(UTC).replace(microsecond=0)
    if local.microsecond >= 500_000:
        utc += timedelta(seconds=1)
    assert canonical_creation_time(text) == stamp(utc) + "Z"


def stamp(moment: datetime) -> str:
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )
