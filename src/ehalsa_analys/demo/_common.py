"""Helpers shared by the demo writers: calibrated probabilities and Swedish export bytes."""

from __future__ import annotations

import numpy as np
import pandas as pd
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
