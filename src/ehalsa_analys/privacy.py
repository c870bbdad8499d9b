"""Swedish personal identity numbers in single texts: find, mask or refuse them.

Headers, title rows, names, free text and command-line arguments are single
texts, not columns, so one valid number in them is enough (columns of cells
follow the share rule of :mod:`ehalsa_analys.load.personal`). A number is 10
or 12 digits with "-", "+", a space or nothing between the date and the last
four, a real date (day + 60 for a samordningsnummer) and a correct Luhn check
digit; :func:`is_personal_number` is the test both modules share. Messages
never show a number: they show its mask, "ÅÅÅÅMMDD-XXXX" or "ÅÅMMDD-XXXX".

Example
-------
>>> mask_personal_numbers("Ring 19121212 1212 om larmet")
'Ring ÅÅÅÅMMDD-XXXX om larmet'
>>> find_personal_numbers("order 2301151230, tel 070-123 45 67")
[]
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from os import PathLike
from typing import Any

from .errors import PersonalDataError

__all__ = [
    "is_personal_number",
    "find_personal_numbers",
    "mask_personal_numbers",
    "check_text",
    "MASK_10",
    "MASK_12",
    "PERSONAL_NUMBER_SHAPE",
]

#: What a number is replaced by in every message and masked text.
MASK_10 = "ÅÅMMDD-XXXX"
MASK_12 = "ÅÅÅÅMMDD-XXXX"

#: The shape of a personal number inside a text (validity is checked after): for a quick
#: first look over many cells, e.g. ``Series.str.contains(PERSONAL_NUMBER_SHAPE)``.
PERSONAL_NUMBER_SHAPE = r"(?<![0-9])(?:[0-9]{6}|[0-9]{8})[-+ ]?[0-9]{4}(?![0-9])"
_IN_TEXT = re.compile(PERSONAL_NUMBER_SHAPE, re.ASCII)


def _luhn_ok(ten: str) -> bool:
    total = 0
    for i, ch in enumerate(ten[:9]):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10 == int(ten[9])


def _date_ok(year_options: Sequence[int], month: int, day: int) -> bool:
    if day > 60:
        day -= 60  # samordningsnummer
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return False
    return any(day <= calendar.monthrange(year, month)[1] for year in year_options)


def is_personal_number(text: Any) -> bool:
    """True when ``text`` is a valid Swedish personal identity (or co-ordination) number.

    Valid means: 10 digits (``YYMMDD-NNNC``, "+" for people aged 100 or more),
    12 digits (``YYYYMMDD-NNNC``) or 9 (a 10-digit number whose leading zero
    Excel stripped), optionally with "-", "+" or a space before the last four;
    a real date (day + 60 for a samordningsnummer); a correct Luhn digit.

    Example
    -------
    >>> is_personal_number("811228-9874"), is_personal_number("198112289874")
    (True, True)
    >>> is_personal_number("701063-2391"), is_personal_number("19811228 9874")
    (True, True)
    """
    s = str(text).strip()
    plus = "+" in s
    if len(s) > 4 and s[-5] == " ":
        s = s[:-5] + s[-4:]
    digits = s.replace("-", "", 1).replace("+", "", 1)
    if not (digits.isascii() and digits.isdigit()):
        return False
    if len(digits) == 9:
        digits = "0" + digits
    if len(digits) == 12:
        century = int(digits[:2])
        if century not in (18, 19, 20) or plus:
            return False
        years = [century * 100 + int(digits[2:4])]
        ten = digits[2:]
    elif len(digits) == 10:
        yy = int(digits[:2])
        years = [1800 + yy, 1900 + yy] if plus else [1900 + yy, 2000 + yy]
        ten = digits
    else:
        return False
    return _date_ok(years, int(ten[2:4]), int(ten[4:6])) and _luhn_ok(ten)


def find_personal_numbers(text: Any) -> list[tuple[int, int]]:
    """Return the (start, end) spans of valid personal identity numbers inside ``text``.

    Example
    -------
    >>> find_personal_numbers("Pnr 121212-1212 och 811228+9874")
    [(4, 15), (20, 31)]
    """
    if text is None:
        return []
    spans = []
    for match in _IN_TEXT.finditer(str(text)):
        if is_personal_number(match.group(0)):  # it reads "-", "+", a space or nothing
            spans.append(match.span())
    return spans


def mask_personal_numbers(text: Any) -> str:
    """Return ``text`` with every valid personal identity number replaced by its mask.

    Example
    -------
    >>> mask_personal_numbers("Kolla 121212-1212!")
    'Kolla ÅÅMMDD-XXXX!'
    """
    text = str(text)
    out, last = [], 0
    for start, end in find_personal_numbers(text):
        digits = sum(ch.isdigit() for ch in text[start:end])
        out += [text[last:start], MASK_12 if digits == 12 else MASK_10]
        last = end
    return "".join(out) + text[last:]


def check_text(
    text: Any,
    *,
    what: str = "text",
    file: str | PathLike | None = None,
    row: int | None = None,
    column: Any = None,
) -> None:
    """Raise :class:`PersonalDataError` when ``text`` holds a personal identity number.

    ``what`` says what the text is ("column name", "metric name", "argument").
    The message names file, row and column, with any number in them masked,
    and never shows the text itself.

    Example
    -------
    >>> check_text("Digitala besök")   # fine
    >>> check_text("Pnr 19121212-1212", what="column name", file="x.csv", row=3)
    Traceback (most recent call last):
    ...
    ehalsa_analys.errors.PersonalDataError: A column name holds a Swedish personal identity ...
    """
    if not find_personal_numbers(text):
        return
    raise PersonalDataError(
        f"A {what} holds a Swedish personal identity number ({mask_personal_numbers(text)!r}); "
        "person-level data is not read",
        file=None if file is None else mask_personal_numbers(file),
        row=row,
        column=None if column is None else mask_personal_numbers(column),
        hint="remove the number, or replace it with a pseudonymous key, and run again",
    )
