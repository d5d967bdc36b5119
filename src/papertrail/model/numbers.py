"""Numbers from outside (files, services, headers) read by one bounded rule: a whole number
within the range the caller allows, or None. Never an exception, never an unbounded value:
`99999999999999999999` as a year, `1e400`, `NaN`, `²` (a Unicode digit that `str.isdigit`
accepts and `int` refuses) are all None."""

from __future__ import annotations

import math

_LONGEST = 24  # digits: beyond any range a caller allows, refused before int() sees them


def whole_number(value: object, low: int, high: int) -> int | None:
    """`value` as an int in [low, high]: an int, a float with no fraction, or ASCII digits
    (a leading minus allowed); anything else, or out of range, is None."""
    number: int | None = None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        digits = text.removeprefix("-")
        if digits.isascii() and digits.isdigit() and len(digits) <= _LONGEST:
            number = int(text)
    return number if number is not None and low <= number <= high else None


def seconds(value: object, high: float) -> float | None:
    """A count of seconds from outside (a Retry-After header): whole ASCII digits, at most
    `high`, else None."""
    number = whole_number(value, 0, int(high))
    return float(number) if number is not None else None
