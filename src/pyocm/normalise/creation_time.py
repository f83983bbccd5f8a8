"""``creationTime`` as the legacy Go library re-writes it before normalising (v1, v2, v3).

    >>> from pyocm.normalise.creation_time import canonical_creation_time
    >>> canonical_creation_time("2024-02-29T23:59:59.5+01:00")
    '2024-02-29T23:00:00Z'

The legacy library parses the time (RFC 3339, with Go's leniency: a one-digit hour, a fraction
of a second after ``.`` or ``,``), converts it to UTC, rounds it to whole seconds (halves round
up; digits after the ninth fractional one are ignored) and writes ``YYYY-MM-DDTHH:MM:SSZ``.
``jsonNormalisation/v4alpha1`` copies the string verbatim instead.
"""

from __future__ import annotations

import re

from pyocm.errors import ValidationError, Violation

_TIME = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)T(\d\d?):(\d\d):(\d\d)(?:[.,](\d+))?(?:(Z)|([+-])(\d\d):(\d\d))\Z"
)
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_PATH = "component.creationTime"


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _civil_from_days(days: int) -> tuple[int, int, int]:
    """The proleptic Gregorian date ``days`` after 1970-01-01."""
    days += 719468
    era = days // 146097
    day_of_era = days - era * 146097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + (3 if shifted_month < 10 else -9)
    return year_of_era + era * 400 + (month <= 2), month, day


def _invalid(text: str, reason: str) -> ValidationError:
    return ValidationError([Violation(_PATH, f"{text!r} is not an RFC 3339 time: {reason}")])


def canonical_creation_time(text: str) -> str:
    """``text`` in UTC, rounded to whole seconds, as ``YYYY-MM-DDTHH:MM:SSZ``.

    Raises :class:`pyocm.errors.ValidationError` when Go's parser would reject ``text`` or the
    result lies outside the years 0000 to 9999.
    """
    match = _TIME.match(text)
    if match is None:
        raise _invalid(text, "expected YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)")
    year, month, day, hour, minute, second = (int(g) for g in match.group(1, 2, 3, 4, 5, 6))
    if not 1 <= month <= 12:
        raise _invalid(text, "month out of range")
    days_in_month = 29 if month == 2 and _is_leap(year) else _DAYS_IN_MONTH[month - 1]
    if not 1 <= day <= days_in_month:
        raise _invalid(text, "day out of range")
    if hour > 23 or minute > 59 or second > 59:
        raise _invalid(text, "time of day out of range")
    offset = 0
    if match.group(8) is None:
        offset_hours, offset_minutes = int(match.group(10)), int(match.group(11))
        # Go accepts offsets up to 24 hours and 60 minutes ("as some people do write them").
        if offset_hours > 24 or offset_minutes > 60:
            raise _invalid(text, "time zone offset out of range")
        offset = (offset_hours * 60 + offset_minutes) * 60
        if match.group(9) == "-":
            offset = -offset
    fraction = (match.group(7) or "")[:9]
    round_up = bool(fraction) and fraction[0] >= "5"
    seconds = (
        _days_from_civil(year, month, day) * 86400
        + hour * 3600
        + minute * 60
        + second
        - offset
        + round_up
    )
    days, rest = divmod(seconds, 86400)
    year, month, day = _civil_from_days(days)
    if not 0 <= year <= 9999:
        raise _invalid(text, "year outside of range [0,9999] in UTC")
    return (
        f"{year:04d}-{month:02d}-{day:02d}T"
        f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}Z"
    )
