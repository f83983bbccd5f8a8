"""Go ``time.Duration`` values as the configuration files write them: ``30s``, ``1m0s``, ``1.5h``.

    >>> from pyocm.config.durations import format_duration, parse_duration
    >>> parse_duration("1m30s")
    90000000000
    >>> format_duration(parse_duration("60s")), format_duration(parse_duration("1.5ms"))
    ('1m0s', '1.5ms')
    >>> format_duration(0), format_duration(-parse_duration("1h"))
    ('0s', '-1h0m0s')

Durations are whole nanoseconds (Python ints).  :func:`parse_duration` accepts exactly what Go's
``time.ParseDuration`` accepts (units ``ns us µs μs ms s m h``, fractions, a sign, a bare
``0``) and raises :class:`ValueError` with Go's message otherwise; :func:`format_duration`
writes Go's ``Duration.String`` form, which is how ``ocm get config`` shows durations.
"""

from __future__ import annotations

__all__ = ["format_duration", "parse_duration"]

_UNITS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,  # U+00B5 micro sign
    "μs": 1_000,  # U+03BC Greek mu
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
_LIMIT = 1 << 63
_DIGITS = "0123456789"


def _leading_int(text: str) -> tuple[int, str]:
    """The integer at the start of ``text`` and the rest; OverflowError beyond int64."""
    i, value = 0, 0
    while i < len(text) and text[i] in _DIGITS:
        if value > _LIMIT // 10:
            raise OverflowError
        value = value * 10 + int(text[i])
        if value > _LIMIT:
            raise OverflowError
        i += 1
    return value, text[i:]


def _leading_fraction(text: str) -> tuple[int, float, str]:
    """Digits after a decimal point: value, scale, rest (digits beyond int64 are dropped)."""
    i, value, scale, overflow = 0, 0, 1.0, False
    while i < len(text) and text[i] in _DIGITS:
        if not overflow:
            if value > (_LIMIT - 1) // 10:
                overflow = True
            else:
                candidate = value * 10 + int(text[i])
                if candidate > _LIMIT:
                    overflow = True
                else:
                    value, scale = candidate, scale * 10
        i += 1
    return value, scale, text[i:]


def parse_duration(text: str) -> int:
    """Nanoseconds in the Go duration ``text``; ValueError (Go's message) when malformed."""
    invalid = ValueError(f'time: invalid duration "{text}"')
    rest, negative = text, False
    if rest[:1] in ("-", "+"):
        negative, rest = rest[0] == "-", rest[1:]
    if rest == "0":
        return 0
    if not rest:
        raise invalid
    total = 0
    while rest:
        if rest[0] != "." and rest[0] not in _DIGITS:
            raise invalid
        before = len(rest)
        try:
            whole, rest = _leading_int(rest)
        except OverflowError:
            raise invalid from None
        has_whole = len(rest) != before
        fraction, scale, has_fraction = 0, 1.0, False
        if rest[:1] == ".":
            rest = rest[1:]
            before = len(rest)
            fraction, scale, rest = _leading_fraction(rest)
            has_fraction = len(rest) != before
        if not has_whole and not has_fraction:
            raise invalid
        end = 0
        while end < len(rest) and rest[end] != "." and rest[end] not in _DIGITS:
            end += 1
        if end == 0:
            raise ValueError(f'time: missing unit in duration "{text}"')
        unit_name, rest = rest[:end], rest[end:]
        unit = _UNITS.get(unit_name)
        if unit is None:
            raise ValueError(f'time: unknown unit "{unit_name}" in duration "{text}"')
        if whole > _LIMIT // unit:
            raise invalid
        value = whole * unit
        if fraction > 0:
            value += int(float(fraction) * (float(unit) / scale))
            if value > _LIMIT:
                raise invalid
        total += value
        if total > _LIMIT:
            raise invalid
    if negative:
        return -total
    if total > _LIMIT - 1:
        raise invalid
    return total


def _with_fraction(value: int, precision: int) -> str:
    """``value / 10**precision`` written without trailing zeros (no point for a whole number)."""
    whole, fraction = divmod(value, 10**precision)
    digits = str(fraction).rjust(precision, "0").rstrip("0") if precision else ""
    return f"{whole}.{digits}" if digits else str(whole)


def format_duration(nanoseconds: int) -> str:
    """Go's ``Duration.String`` of ``nanoseconds``: ``0s``, ``1.5ms``, ``2m3.5s``, ``1h0m0s``."""
    if nanoseconds == 0:
        return "0s"
    magnitude = abs(nanoseconds)
    if magnitude < 1_000_000_000:
        if magnitude < 1_000:
            text = f"{magnitude}ns"
        elif magnitude < 1_000_000:
            text = _with_fraction(magnitude, 3) + "µs"
        else:
            text = _with_fraction(magnitude, 6) + "ms"
    else:
        seconds, fraction = divmod(magnitude, 1_000_000_000)
        text = _with_fraction((seconds % 60) * 1_000_000_000 + fraction, 9) + "s"
        minutes = seconds // 60
        if minutes:
            text = f"{minutes % 60}m{text}"
            hours = minutes // 60
            if hours:
                text = f"{hours}h{text}"
    return f"-{text}" if nanoseconds < 0 else text
