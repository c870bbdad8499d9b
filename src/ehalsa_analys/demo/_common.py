"""Helpers shared by the demo writers: calibrated probabilities, Swedish export bytes, xlsx."""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import pandas as pd
from openpyxl import Workbook
from scipy.optimize import brentq
from scipy.special import expit


def calibrated_probabilities(size: np.ndarray, share: float, slope: float = 0.8) -> np.ndarray:
    """Adoption probability rising with log population, with mean ``share``."""
    x = np.log(size / np.median(size))
    offset = brentq(lambda a: expit(a + slope * x).mean() - share, -10, 10)
    return expit(offset + slope * x)


def swedish(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def csv_bytes(table: pd.DataFrame, *, title: list[str], footnotes: list[str]) -> bytes:
    width = table.shape[1]
    pad = ";" * (width - 1)
    lines = [t + pad for t in title] + [pad, ";".join(table.columns)]
    lines += [";".join(row) for row in table.astype(str).itertuples(index=False)]
    lines += [pad] + [f + pad for f in footnotes]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


#: Timestamp written into demo workbooks, so that the same seed gives the same bytes.
FIXED_TIMESTAMP = (2026, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def xlsx_bytes(workbook: Workbook) -> bytes:
    """Save an openpyxl workbook to bytes that depend on its content only.

    openpyxl stamps the save time into ``docProps/core.xml`` and into every
    zip entry; both are replaced by :data:`FIXED_TIMESTAMP`.

    Example
    -------
    >>> from openpyxl import Workbook
    >>> xlsx_bytes(Workbook()) == xlsx_bytes(Workbook())
    True
    """
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_TIMESTAMP).encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                data = _CORE_DATES.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    return out.getvalue()
