"""Numbers and quarters as text, Swedish by default: "12 345,6", "45 %", "2024 K3".

A base module (it imports only :mod:`ehalsa_analys.errors`), so that the indicators and the
figures (:mod:`ehalsa_analys.plots` re-exports these names) write numbers and quarters alike.

Example
-------
>>> format_number(12345.6, decimals=1), quarter_label(pd.Period("2024Q3"))
('12\\xa0345,6', '2024 K3')
"""

from __future__ import annotations

import math

import pandas as pd

from .errors import check_choice

__all__ = ["NBSP", "MINUS", "LANGS", "format_number", "tick_decimals", "quarter_label"]

#: No-break space (U+00A0): the Swedish thousands separator, and the space before "%".
NBSP = "\u00a0"
#: The real minus sign (U+2212), used for negative Swedish numbers.
MINUS = "\u2212"
#: The languages text can be written in.
LANGS = ("sv", "en")

_QUARTER = {"sv": "{year} K{q}", "en": "{year} Q{q}"}


def format_number(
    x: float | None, *, decimals: int | None = None, lang: str = "sv", percent: bool = False
) -> str:
    """Format a number for a figure or a text: Swedish "12 345,6" and "45 %", English "12,345.6".

    Parameters
    ----------
    x : float or None
        The number; NaN, NA or None gives "–".
    decimals : int, optional
        Decimals to show; None shows integers without decimals and other numbers with one.
    lang : {"sv", "en"}, default "sv"
        Swedish uses a no-break space (:data:`NBSP`) as thousands separator and before "%", a
        decimal comma and the minus sign :data:`MINUS` (U+2212); English "," and "." and a
        hyphen-minus.
    percent : bool, default False
        Append "%" (the value is not multiplied).

    Example
    -------
    >>> format_number(-1234.56, decimals=1)
    '\\u22121\\xa0234,6'
    >>> format_number(45, percent=True, lang="en"), format_number(None)
    ('45%', '–')
    """
    check_choice("lang", list(LANGS), lang)
    if x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x):
        return "–"
    value = float(x)
    if decimals is None:
        decimals = 0 if value.is_integer() else 1
    text = f"{abs(value):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", NBSP).replace(".", ",")
        sign = MINUS
        suffix = f"{NBSP}%" if percent else ""
    else:
        sign = "-"
        suffix = "%" if percent else ""
    negative = value < 0 and float(text.replace(NBSP, "").replace(",", "").replace(".", "")) != 0
    return (sign if negative else "") + text + suffix


def tick_decimals(step: float) -> int:
    """Return how many decimals ticks ``step`` apart need to be written exactly.

    Ticks 2,5 apart need one (0; 2,5; 5; 7,5), or 7,5 would be written 8. At most 6; a zero,
    negative or non-finite step gives 0.

    Example
    -------
    >>> [tick_decimals(s) for s in (5, 1, 2.5, 0.5, 0.25, 0.1, 0.05, 0.01)]
    [0, 0, 1, 1, 2, 1, 2, 2]
    """
    if not math.isfinite(step) or step <= 0:
        return 0
    for decimals in range(7):
        scaled = step * 10**decimals
        if round(scaled) >= 1 and abs(scaled - round(scaled)) <= 1e-6 * scaled:
            return decimals
    return 6


def quarter_label(period, lang: str = "sv") -> str:
    """Return "2024 K1" (Swedish) or "2024 Q1" for a quarterly Period; other values with ``str``.

    Example
    -------
    >>> quarter_label(pd.Period("2024Q3"), "sv"), quarter_label(pd.Period("2024Q3"), "en")
    ('2024 K3', '2024 Q3')
    >>> quarter_label(2024)
    '2024'
    """
    check_choice("lang", list(LANGS), lang)
    if isinstance(period, pd.Period) and period.freqstr.startswith("Q"):
        return _QUARTER[lang].format(year=period.year, q=period.quarter)
    return str(period)
