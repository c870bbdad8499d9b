"""Refuse person-level data: find columns of Swedish personal identity numbers.

:func:`holds_personal_numbers` decides whether a column holds them (the rule is in its Notes),
:func:`check_personal_numbers` refuses a table that has such a column, as the shared reader
does for every file. The numbers themselves are never stored on the error, logged, warned
about or shown: only the column's name, the counts and the first row. Single texts (headers,
names) are checked by :mod:`ehalsa_analys.privacy`, where one valid number is enough.

Example
-------
>>> is_personal_number("19121212-1212"), is_personal_number("121212-1213")
(True, False)
>>> check_personal_numbers({"Ordernr": ["2301151230", "2301151231"]})  # not refused
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd

from ..errors import PersonalDataError
from ..privacy import is_personal_number, mask_personal_numbers

__all__ = [
    "LOOKS_LIKE_PERSONAL_NUMBER",
    "PERSONAL_NUMBER_SHARE",
    "is_personal_number",
    "personal_number_mask",
    "holds_personal_numbers",
    "check_personal_numbers",
]

#: A cell that looks like a personal identity number (see :func:`holds_personal_numbers`).
LOOKS_LIKE_PERSONAL_NUMBER = r"[0-9]{6}[-+ ]?[0-9]{4}|[0-9]{8}[- ]?[0-9]{4}|[0-9]{9}"
#: A column is refused when more than this share of its number-shaped cells is valid.
PERSONAL_NUMBER_SHARE = 0.5


def personal_number_mask(values: Sequence[Any] | pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return (looks_like, valid) boolean arrays for the cells of one column.

    Float and boolean columns never hold personal numbers in this sense (a float has lost any
    leading zero and separator); integer and text columns are checked on their text.

    Example
    -------
    >>> shaped, valid = personal_number_mask(["19121212-1212", "2301151230", "Örebro"])
    >>> shaped.tolist(), valid.tolist()
    ([True, True, False], [True, False, False])
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    n = len(series)
    text = _texts(series)
    if text is None:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    shaped = _shaped(text)
    valid = np.zeros(n, dtype=bool)
    if shaped.any():
        candidates = text[shaped]
        verdict = {value: is_personal_number(value) for value in candidates.unique()}
        valid[shaped] = candidates.map(verdict).to_numpy(dtype=bool)
    return shaped, valid


def _texts(series: pd.Series) -> pd.Series | None:
    """The text the rule reads in each cell, stripped; None for a float or boolean column."""
    if pd.api.types.is_float_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return None
    if isinstance(series.dtype, pd.StringDtype):
        return series.fillna("").str.strip()
    return series.astype(object).where(series.notna(), "").astype("str").str.strip()


def _shaped(text: pd.Series) -> np.ndarray:
    return text.str.fullmatch(LOOKS_LIKE_PERSONAL_NUMBER).fillna(False).to_numpy(dtype=bool)


def _may_hold(series: pd.Series) -> bool:
    """Whether any cell of the column looks like a personal number, from its distinct values.

    Exact: a cell's shape depends on its text only, so the column has a number-shaped cell
    exactly when one of its distinct texts is number-shaped. Text and integer columns are
    first reduced to their distinct values (a few names, codes and answers repeat over
    thousands of rows); other columns are looked at whole.
    """
    if pd.api.types.is_float_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return False
    if isinstance(series.dtype, pd.StringDtype) or pd.api.types.is_integer_dtype(series.dtype):
        series = pd.Series(series.unique(), dtype=series.dtype)
    text = _texts(series)
    return text is not None and bool(_shaped(text).any())


def holds_personal_numbers(values: Sequence[Any] | pd.Series) -> bool:
    """True when a column holds personal identity numbers.

    Notes
    -----
    A cell **looks like** a personal identity number when, stripped, it matches
    :data:`LOOKS_LIKE_PERSONAL_NUMBER`: 10 digits ``YYMMDDNNNC``, optionally with "-", "+" or a
    space before the last four; 12 digits ``YYYYMMDDNNNC``, optionally with "-" or a space; or 9
    digits (a 10-digit number whose leading zero Excel stripped). It **is valid** when
    :func:`is_personal_number` accepts it (a real date, day + 60 for a samordningsnummer, and the
    Luhn check digit). A column holds personal numbers when at least one cell is valid and more than
    half (:data:`PERSONAL_NUMBER_SHARE`) of the cells that look like one are valid; a single valid
    cell is enough (1 of 1). Random 10-digit numbers are valid about 0.7 % of the time and
    date-shaped ones (order numbers such as 2301151234, timestamps YYYYMMDDhhmm) about 10 %, so such
    columns are not refused, while real personal numbers (100 % valid, a few typos at most) are.
    Organisation numbers (month 20 or more) are never valid. Other cells (names, text, empty) count
    neither way; a number inside a longer text is not searched for.

    Example
    -------
    >>> holds_personal_numbers(["19121212-1212", "811228-9874", ""])
    True
    >>> holds_personal_numbers(["2301151230", "2301151231", "2301151232"])
    False
    """
    shaped, valid = personal_number_mask(values)
    n_valid = int(valid.sum())
    return bool(n_valid) and n_valid > PERSONAL_NUMBER_SHARE * int(shaped.sum())


def check_personal_numbers(
    columns: Mapping[Any, Any] | pd.DataFrame,
    *,
    file: str | PathLike | None = None,
    labels: Mapping[Any, str] | Callable[[Any], str] | None = None,
    rows: Sequence[int] | np.ndarray | None = None,
) -> None:
    """Raise :class:`PersonalDataError` if any column holds personal identity numbers.

    Parameters
    ----------
    columns : DataFrame or mapping of column -> values
        Every column is scanned (rule: :func:`holds_personal_numbers`).
    file : optional
        The file, for the message.
    labels : mapping or callable, optional
        How to name each column in the message (e.g. its header text), by the keys of
        ``columns``; default ``str(key)``.
    rows : list-like of int, optional
        The file row of each value, to name the first offending row.

    Raises
    ------
    PersonalDataError
        Naming the column, the counts and the first row, never a value.

    Example
    -------
    >>> check_personal_numbers({"Pnr": ["19121212-1212"]}, file="x.csv")
    Traceback (most recent call last):
    ...
    ehalsa_analys.errors.PersonalDataError: Column 'Pnr' holds Swedish personal identity numbers ...
    """
    for key, values in columns.items():
        series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
        if not _may_hold(series):  # most columns: no cell looks like a number at all
            continue
        shaped, valid = personal_number_mask(series)
        n_valid, n_shaped = int(valid.sum()), int(shaped.sum())
        if not (n_valid and n_valid > PERSONAL_NUMBER_SHARE * n_shaped):
            continue
        if callable(labels):
            label = labels(key)
        else:
            label = (labels or {}).get(key, str(key))
        label = mask_personal_numbers(label)  # a header may hold a number itself
        first = int(np.flatnonzero(valid)[0])
        row = None if rows is None else int(np.asarray(rows)[first])
        raise PersonalDataError(
            f"Column {label!r} holds Swedish personal identity numbers "
            f"({n_valid} of {n_shaped} number-shaped values have a valid birth date and "
            "check digit); person-level data is not read",
            file=file,
            row=row,
            column=label,
            hint=(
                "remove the column, or replace it with a pseudonymous key (e.g. a serial "
                "number) before loading; this analysis uses aggregated data only"
            ),
        )
