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

from .errors import EhalsaError

__all__ = ["run_date"]


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
