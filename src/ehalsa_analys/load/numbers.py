"""Numbers as Swedish files write them, and the markers that stand in for a missing value.

:func:`parse_numbers` reads a numeric column (the rules are in its Notes), :func:`marker_status`
the markers of a text column.

Example
-------
>>> values, status = parse_numbers(pd.Series(["12 345,6", "45 %", "−3,5", "..", "x"]))
>>> values.tolist()[:3], status.tolist()
([12345.6, 45.0, -3.5], ['', '', '', 'missing', 'suppressed'])
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import InputFileError

__all__ = [
    "MISSING_MARKERS",
    "SUPPRESSED_MARKERS",
    "THOUSANDS_SEPARATORS",
    "parse_numbers",
    "check_domain",
    "marker_status",
]

#: Cell texts that mean "no value" (status "missing"), compared case-insensitively
#: after stripping and collapsing whitespace. An empty cell is missing too.
MISSING_MARKERS = frozenset(
    {
        "",
        ".",
        "..",
        "...",
        "…",
        "-",
        "--",
        "–",
        "—",
        "uppgift saknas",
        "saknas",
        "uppgift finns ej",
        "n/a",
        "na",
    }
)

#: Cell texts that mean "the value exists but is withheld" (status "suppressed"),
#: e.g. because a count is below 5 (sekretess). Compared like MISSING_MARKERS.
SUPPRESSED_MARKERS = frozenset(
    {"x", "sekretess", "sekretessbelagd", "skyddad", "skyddad uppgift", "<5", "< 5"}
)

#: Characters accepted between groups of three digits.
THOUSANDS_SEPARATORS = (" ", "\u00a0", "\u202f", "\u2009")

_SPACES = "".join(THOUSANDS_SEPARATORS)
_MINUS = "\u2212\u2013"  # minus sign, en dash (hyphen-minus is added first)
# One reading only: an optional sign; a mantissa of plain digits, or 1-3 digits
# followed by space-separated groups of exactly 3, with at most one decimal
# separator; an optional exponent; an optional percent sign. Written with
# literal characters and no backslash classes so that pandas hands it to RE2.
_INTEGER = f"(?:[0-9]{{1,3}}(?:[{_SPACES}][0-9]{{3}})+|[0-9]+)"
_NUMBER = (
    f"[-+{_MINUS}]?(?:{_INTEGER}(?:[.,][0-9]+)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?(?:[{_SPACES}]*%)?"
)
_WHITESPACE = re.compile(r"\s+")
#: A plain number: digits, an optional minus and decimal part (at most 15 digits each side, so
#: Arrow's conversion, like Python's float, gives the correctly rounded double).
_PLAIN = "-?[0-9]{1,15}(?:[.,][0-9]{1,15})?"


def _plain_floats(text: pd.Series) -> np.ndarray:
    """The floats of cells that match :data:`_PLAIN`, converted by Arrow (no Python per cell)."""
    cells = text.array
    if hasattr(cells, "__arrow_array__"):  # Arrow-backed text: no conversion
        array = pa.array(cells)
    else:
        array = pa.array(text.to_numpy(dtype=object), type=pa.string())
    numbers = pc.cast(pc.replace_substring(array, ",", "."), pa.float64())
    return np.asarray(numbers.to_numpy(zero_copy_only=False), dtype="float64")


def _normalise_marker(text: Any) -> str:
    return _WHITESPACE.sub(" ", str(text)).strip().casefold()


def _marker_kind(value: Any) -> str | None:
    """'missing' or 'suppressed' for a marker, None for anything else."""
    marker = _normalise_marker(value)
    if marker in MISSING_MARKERS:
        return "missing"
    if marker in SUPPRESSED_MARKERS:
        return "suppressed"
    return None


def _as_text(values: pd.Series) -> pd.Series:
    """Strip every cell to text; NaN/None become ""."""
    if isinstance(values.dtype, pd.StringDtype):
        out = values
    else:
        out = values.astype(object).where(values.notna(), None).astype("str")
    return out.fillna("").str.strip()


def _is_real_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _classify(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse a Series of cells: (floats, status, bad) as numpy arrays.

    ``bad`` marks cells that are neither a number nor a marker. Cells that are
    already numbers (from Parquet or a numeric dtype) are taken as they are.
    """
    n = len(values)
    floats = np.full(n, np.nan)
    status = np.full(n, "", dtype=object)
    bad = np.zeros(n, dtype=bool)
    values = values.reset_index(drop=True)

    if pd.api.types.is_bool_dtype(values.dtype):
        bad[:] = values.notna().to_numpy()
        status[~bad] = "missing"
        return floats, status, bad
    if pd.api.types.is_numeric_dtype(values.dtype):
        floats = values.to_numpy(dtype="float64", na_value=np.nan)
        status[np.isnan(floats)] = "missing"
        return floats, status, bad

    if values.dtype == object:
        # Real numbers (from Parquet objects) pass through; the rest is read as text.
        is_number = values.map(_is_real_number).to_numpy(dtype=bool)
        if is_number.any():
            floats[is_number] = values[is_number].to_numpy(dtype="float64")
            status[is_number & np.isnan(floats)] = "missing"
            rest = ~is_number
            floats[rest], status[rest], bad[rest] = _classify(values[rest].astype("str"))
            return floats, status, bad

    text = _as_text(values)
    # Fast path: cells that are plain numbers ("12", "-3,5") are converted by Arrow at once.
    plain = text.str.fullmatch(_PLAIN).fillna(False).to_numpy(dtype=bool)
    if plain.any():
        floats[plain] = _plain_floats(text[plain])
    ok = plain.copy()
    if not plain.all():
        ok[~plain] = text[~plain].str.fullmatch(_NUMBER).fillna(False).to_numpy(dtype=bool)
    if not ok.all():
        # Few distinct non-numbers (markers, typos): classify each distinct text once.
        other = text[~ok]
        verdict = {value: _marker_kind(value) or "bad" for value in other.unique()}
        labels = other.map(verdict).to_numpy(dtype=object)
        status[~ok] = np.where(labels == "bad", "", labels)
        bad[~ok] = labels == "bad"
    ok &= ~plain  # the rest of the numbers: spaces, percent signs, minus signs
    if ok.any():
        clean = (
            text[ok]
            .str.replace(f"[{_SPACES}%]", "", regex=True)
            .str.replace(",", ".", regex=False)
            .str.replace("\u2212", "-", regex=False)
            .str.replace("\u2013", "-", regex=False)
        )
        floats[ok] = np.array([float(s) for s in clean.to_numpy(dtype=object)], dtype="float64")
    return floats, status, bad


def _hint(value: str) -> str:
    text = str(value).strip()
    if re.fullmatch(r"[-+\u2212]?[0-9]{1,3}(?:[,.][0-9]{3})+(?:[,.][0-9]+)?", text):
        return (
            "the value uses ',' or '.' both between thousands and as a decimal sign, so it "
            "has more than one reading; write thousands with a space and one decimal comma, "
            "e.g. 1 234,5"
        )
    if re.fullmatch(r"[0-9 \u00a0\u202f]+(?:[,.][0-9]+)?", text):
        return (
            "digits must come in groups of three between spaces (12 345,6); "
            "put one number in each cell"
        )
    return (
        "write one number per cell, e.g. 12 345,6 or 45 %, or a marker: "
        "'..' when the value is missing, 'x' when it is suppressed; "
        "if this column is text, do not declare it numeric"
    )


#: A count written with a comma or point before three digits ("1,000"): 1 or 1000?
_THOUSANDS_LOOKALIKE = r"[-+\u2212\u2013]?[0-9]{1,3}[,.][0-9]{3}"
_THOUSANDS_ASCII = "[-+]?[0-9]{1,3}[,.][0-9]{3}"


def _thousands_lookalike(cells: pd.Series, among: np.ndarray) -> np.ndarray:
    """Which of the cells ``among`` read like "1,000" (:data:`_THOUSANDS_LOOKALIKE`)."""
    out = np.zeros(len(cells), dtype=bool)
    at = np.flatnonzero(among)
    if not at.size:
        return out
    part = cells.reset_index(drop=True).iloc[at]
    text = _as_text(part if isinstance(part.dtype, pd.StringDtype) else part.astype(object))
    # An ASCII pattern first (Arrow's regex engine); the rare cells that start with a minus
    # sign or an en dash go through the whole pattern.
    hit = text.str.fullmatch(_THOUSANDS_ASCII).fillna(False).to_numpy(dtype=bool)
    dashed = text.str.startswith(("\u2212", "\u2013")).fillna(False).to_numpy(dtype=bool)
    if dashed.any():
        hit[dashed] = (
            text[dashed].str.fullmatch(_THOUSANDS_LOOKALIKE).fillna(False).to_numpy(dtype=bool)
        )
    out[at] = hit
    return out


def _domain_hint(value: Any, what: str, minimum: float | None, maximum: float | None) -> str:
    if what == "is not a number":
        return _hint(value)
    if what == "is not a whole number":
        return (
            "a count is a whole number; write thousands with a space (1 234), never with a "
            "comma or point, which reads as a decimal sign"
        )
    if what == "is infinite":
        return "write a finite number, or '..' when the value is missing"
    if maximum == 1 and minimum == 0:
        return "this column holds shares 0–1; a percentage (e.g. 45) belongs in a % column"
    bounds = " and ".join(
        f"{word} {bound:g}"
        for word, bound in (("at least", minimum), ("at most", maximum))
        if bound is not None
    )
    return f"values of this column must be {bounds}; check the cell, or mark it '..' if unknown"


def parse_numbers(
    values: Sequence[Any] | pd.Series,
    *,
    file: str | PathLike | None = None,
    column: str | None = None,
    rows: Sequence[int] | np.ndarray | None = None,
    integer: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Parse Swedish-written numbers and missing-value markers, within their domain.

    Parameters
    ----------
    values : list-like or Series
        Cell texts (or numbers, which pass through unchanged).
    file, column : optional
        Where the values come from, for the error message.
    rows : list-like of int, optional
        The file row of each value (1-based, as a person sees the file), for the error message.
        Without it the message names the position.
    integer : bool
        The column holds counts: every number must be whole. ``"1,234"`` is then an error (it
        reads 1.234, not one thousand two hundred and thirty-four), never 1.234 persons.
    minimum, maximum : float, optional
        The domain (inclusive): a number outside it is an error, never clipped.

    Returns
    -------
    (values, status) : tuple of Series
        ``values`` as float64 (NaN where missing or suppressed) and ``status`` as str: ``""`` for
        a number, ``"missing"`` or ``"suppressed"``. Both keep the input's index.

    Raises
    ------
    InputFileError
        For the first cell that is neither a number nor a marker, is infinite, or is outside the
        domain; the message names the file, row, column and value and says how to fix it.

    Notes
    -----
    A cell is a number, a marker, or an error. A **number** is written Swedish style or plainly:
    ``12``, ``12,5``, ``12.5``, ``12 345,6`` (thousands separated by one of
    :data:`THOUSANDS_SEPARATORS`: a space, a no-break, narrow no-break or thin space), ``−3,5``
    (U+2212; a hyphen-minus or en dash works too), ``45 %`` (read 45.0, not 0.45), ``1,5E-03``. Only
    a text with one reading is a number: at most one decimal separator, and space-separated digit
    groups of exactly three, so ``1,234,5``, ``1.234.567`` and ``1 2345`` are errors. The float is
    the correctly rounded value of the decimal text (``float(Decimal(text))``). A **marker** is one
    of :data:`MISSING_MARKERS` (status "missing"; an empty cell too) or :data:`SUPPRESSED_MARKERS`
    (status "suppressed": the value exists but is withheld, e.g. a count below 5). Statistics
    Sweden writes ``–`` for "zero"; a dash is read as missing, never as zero: a reader that
    guesses zero would change a number.

    Example
    -------
    >>> v, s = parse_numbers(["1 234", "x", "12,5 %"], file="a.csv", column="Antal")
    >>> v.tolist()[0], v.tolist()[2], s.tolist()
    (1234.0, 12.5, ['', 'suppressed', ''])
    >>> parse_numbers(["12", "1,234"], column="Antal", rows=[2, 3], integer=True, minimum=0)
    Traceback (most recent call last):
    ...
    ehalsa_analys.errors.InputFileError: Value '1,234' is not a whole number (the cell ...
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    floats, status, bad = _classify(series)
    check_domain(
        series,
        floats,
        bad=bad,
        integer=integer,
        minimum=minimum,
        maximum=maximum,
        file=file,
        column=column,
        rows=rows,
    )
    return (
        pd.Series(floats, index=series.index, dtype="float64", name=series.name),
        pd.Series(status, index=series.index, dtype="str", name=series.name),
    )


def check_domain(
    cells: pd.Series,
    floats: np.ndarray,
    *,
    bad: np.ndarray | None = None,
    integer: bool | np.ndarray = False,
    minimum: float | np.ndarray | None = None,
    maximum: float | np.ndarray | None = None,
    file: str | PathLike | None = None,
    column: str | None = None,
    rows: Sequence[int] | np.ndarray | None = None,
) -> None:
    """Raise for the first cell outside its domain; the domain may differ per row.

    ``cells`` are the cells as read (their text shows "1,234"), ``floats`` the
    parsed numbers. ``integer``, ``minimum`` and ``maximum`` are scalars or one
    value per row (NaN: no bound), as in a long table whose rows hold counts
    and shares. See :func:`parse_numbers` for what each check refuses.

    Example
    -------
    >>> cells = pd.Series(["3", "1,234"])
    >>> check_domain(cells, np.array([3.0, 1.234]), integer=np.array([True, False]))
    >>> check_domain(cells, np.array([3.0, 1.234]), integer=np.array([False, True]))
    Traceback (most recent call last):
    ...
    ehalsa_analys.errors.InputFileError: Value '1,234' at position 1 is not a whole number ...
    """
    n = len(floats)
    whole = np.broadcast_to(np.asarray(integer, dtype=bool), n)
    low = np.broadcast_to(np.asarray(np.nan if minimum is None else minimum, dtype=float), n)
    high = np.broadcast_to(np.asarray(np.nan if maximum is None else maximum, dtype=float), n)
    problem = np.full(n, "", dtype=object)
    if bad is not None:
        problem[bad] = "is not a number"
    with np.errstate(invalid="ignore"):
        problem[(problem == "") & np.isinf(floats)] = "is infinite"
        if whole.any():
            fraction = whole & ~np.isnan(floats) & (floats != np.round(floats))
            if not pd.api.types.is_numeric_dtype(cells.dtype):
                # "1,000" is 1 or 1000: in a count column a three-digit decimal part is refused.
                fraction |= _thousands_lookalike(cells, whole)
            problem[(problem == "") & fraction] = "is not a whole number"
        below = (problem == "") & (floats < low)
        problem[below] = [f"is below {b:g}" for b in low[below]]
        above = (problem == "") & (floats > high)
        problem[above] = [f"is above {b:g}" for b in high[above]]
    if not (problem != "").any():
        return
    position = int(np.flatnonzero(problem != "")[0])
    value = cells.iloc[position]
    row = None if rows is None else int(np.asarray(rows)[position])
    where = "" if rows is not None else f" at position {position}"
    what = problem[position]
    lo, hi = low[position], high[position]
    raise InputFileError(
        f"Value {str(value).strip()!r}{where} {what}"
        + (" (the cell holds a count)" if what == "is not a whole number" else ""),
        file=file,
        row=row,
        column=column,
        value=value,
        hint=_domain_hint(
            value, what, None if np.isnan(lo) else float(lo), None if np.isnan(hi) else float(hi)
        ),
    )


def marker_status(values: Sequence[Any] | pd.Series) -> pd.Series:
    """Return the status of each cell: "missing", "suppressed" or "" (anything else).

    For text columns (e.g. "Ja"/"Nej" answers) whose cells may hold the same markers as numeric
    ones.

    Example
    -------
    >>> marker_status(["Ja", "..", "X", " "]).tolist()
    ['', 'missing', 'suppressed', 'missing']
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    text = _as_text(series)
    verdict = {value: _marker_kind(value) or "" for value in text.unique()}
    return pd.Series(
        text.map(verdict).to_numpy(dtype=object), index=series.index, dtype="str", name=series.name
    )
