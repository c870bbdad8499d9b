"""Text that leaves the package: safe file names and spreadsheet cells, in one place.

Every file or folder name made from data (metric ids, municipality names,
county, quarter) goes through :func:`slug` or :func:`inside`, and every text
cell of an exported CSV or workbook through :func:`neutralise`, so that data
can neither place a file outside its output folder nor run as a formula in
the reader's spreadsheet.

Example
-------
>>> slug("../Örebro län")
'Orebro_lan'
>>> neutralise('=HYPERLINK("http://x")')
'\\'=HYPERLINK("http://x")'
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from .errors import EhalsaError

__all__ = ["slug", "inside", "neutralise", "FORMULA_PREFIXES", "UnsafeNameError"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Full-width forms that some spreadsheets fold into the ASCII ones.
_WIDE_PREFIXES = ("＝", "＋", "－", "＠")

#: Names Windows reserves in every folder, with or without an extension.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9_-]+")
_TRANSLITERATE = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "đ": "d", "ł": "l", "Ł": "L", "þ": "th"}
)


class UnsafeNameError(EhalsaError):
    """A name made from data cannot become a file name (nothing usable is left)."""


def slug(text: Any, *, max_length: int = 80) -> str:
    """Return ``text`` as a file-name-safe slug: A–Z, a–z, 0–9, "_" and "-" only.

    Swedish letters lose their dots and rings (å, ä → a; ö → o), every other
    character run becomes one "_", and leading or trailing "_"/"-" go, so
    "../", "/", NUL and drive letters cannot survive. A Windows-reserved name
    (CON, NUL, COM1 …) gets a leading "_". A text with nothing usable left is
    refused with :class:`UnsafeNameError`.

    Parameters
    ----------
    text : object
        The name from data; converted with ``str``.
    max_length : int
        Longest slug returned (the cut keeps the start).

    Example
    -------
    >>> [slug(t) for t in ["monitor_Digitala besök", "2026Q3", "C:\\\\Windows", "CON"]]
    ['monitor_Digitala_besok', '2026Q3', 'C_Windows', '_CON']
    """
    raw = str(text)
    folded = unicodedata.normalize("NFKD", raw.translate(_TRANSLITERATE))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii")
    out = re.sub("_+", "_", _NOT_ALLOWED.sub("_", ascii_text)).strip("_-")
    out = out[:max_length].strip("_-")
    if not out:
        raise UnsafeNameError(
            f"Cannot make a file name of {raw[:40]!r}: no letter or digit is left",
            value=raw[:40],
            hint="give the metric, municipality or table a name with letters or digits",
        )
    if out.split(".")[0].lower() in _RESERVED:
        out = f"_{out}"
    return out


def inside(base: str | os.PathLike, *names: Any) -> Path:
    """Return ``base / slug(name) / …``, a path that cannot leave ``base``.

    Each name is slugged on its own (so "a/b" is one folder ``a_b``, never two)
    and the result is checked to resolve under ``base``.

    Example
    -------
    >>> inside("figures", "18", "../../etc/passwd").as_posix()
    'figures/18/etc_passwd'
    """
    base = Path(base)
    path = base.joinpath(*(slug(n) for n in names))
    root = base.resolve()
    if root != path.resolve() and root not in path.resolve().parents:  # pragma: no cover
        raise UnsafeNameError(f"{path} is outside {base}", file=str(base))
    return path


def neutralise(value: Any) -> Any:
    """Return a spreadsheet cell that cannot be read as a formula; numbers stay numbers.

    A text starting with "=", "+", "-", "@", a tab or a carriage return (or
    their full-width forms) gets a leading apostrophe, as OWASP recommends
    for CSV injection; anything that is not a ``str`` is returned unchanged.

    Example
    -------
    >>> [neutralise(v) for v in ["+cmd|' /C calc'!A0", "-3", -3, "Örebro", "@SUM(A1)"]]
    ["'+cmd|' /C calc'!A0", "'-3", -3, 'Örebro', "'@SUM(A1)"]
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES + _WIDE_PREFIXES):
        return "'" + value
    return value
