"""The run's own date: today, or ``SOURCE_DATE_EPOCH`` when set, so reruns can be reproduced.

Example
-------
>>> import os
>>> os.environ["SOURCE_DATE_EPOCH"] = "1764633600"
>>> str(run_date())
'2025-12-02'
>>> del os.environ["SOURCE_DATE_EPOCH"]
"""

from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pandas as pd

from .errors import EhalsaError

__all__ = ["run_date", "after_today"]


def run_date() -> dt.date:
    """Today's date (UTC), or the date of ``SOURCE_DATE_EPOCH`` (seconds since 1970) when set.

    Raises
    ------
    EhalsaError
        When ``SOURCE_DATE_EPOCH`` is not a whole number of seconds.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.datetime.now(dt.UTC).date()
    if not epoch.isdigit():
        raise EhalsaError(
            f"SOURCE_DATE_EPOCH is {epoch!r}, not a whole number of seconds",
            column="SOURCE_DATE_EPOCH",
            value=epoch,
            hint="set it to seconds since 1970-01-01 UTC (e.g. `date +%s`), or unset it",
        )
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()


def after_today(values) -> np.ndarray:
    """Which ``values`` lie after :func:`run_date`: quarters (Periods) after its quarter,
    dates after the day. Missing values are not in the future.

    Example
    -------
    >>> import os
    >>> os.environ["SOURCE_DATE_EPOCH"] = "1764633600"   # 2025-12-02
    >>> after_today(pd.PeriodIndex(["2025Q4", "2026Q1"], freq="Q")).tolist()
    [False, True]
    >>> after_today(pd.Series(pd.to_datetime(["2025-12-02", "2025-12-03"]))).tolist()
    [False, True]
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    """
    values = pd.Series(values)
    today = run_date()
    if isinstance(values.dtype, pd.PeriodDtype):
        late = values > pd.Period(today, values.dtype.freq)
    else:
        late = pd.to_datetime(values) > pd.Timestamp(today)
    return late.fillna(False).to_numpy(dtype=bool)
