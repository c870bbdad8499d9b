"""Small-count suppression for everything meant for a report.

Counts of people below a limit (default 5) can point out individuals in a
small municipality, so tables and figures meant for a report mask them.

Rules
-----
Primary suppression
    A row is masked when any of its ``counts`` columns holds a count from 1
    to ``limit − 1``. Zero is not masked: it reveals no one (Socialstyrelsen
    and SCB publish zeros). Every column in ``counts`` and ``mask_with`` of
    the row becomes NaN and its status "suppressed", so a share is masked
    together with the small numerator it was computed from.
Secondary suppression
    A masked count can be recovered by subtraction when the total of its
    group is published (e.g. the county total of a quarter). For each
    grouping in ``groups`` (lists of columns whose rows add up to a published
    total), a group with exactly one masked row also gets its smallest
    remaining count masked (ties: the first in row order). This repeats over
    all groupings until no group has exactly one masked row, since a new
    mask in one grouping can expose a cell in another.

Example
-------
>>> import pandas as pd
>>> t = pd.DataFrame({"kommun": ["A", "B", "C"], "antal": [3.0, 12.0, 40.0]})
>>> suppress(t, counts=["antal"], groups=[[]])[["antal", "suppression"]]
   antal suppression
0    NaN     primary
1    NaN   secondary
2   40.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .schemas import require_columns

__all__ = ["SUPPRESSION_LIMIT", "suppress"]

#: Counts from 1 to this minus one are masked in report outputs.
SUPPRESSION_LIMIT = 5


def suppress(
    data: pd.DataFrame,
    *,
    counts: Sequence[str],
    limit: int = SUPPRESSION_LIMIT,
    groups: Sequence[Sequence[str]] = (),
    mask_with: Sequence[str] = (),
    status: str | None = "status",
) -> pd.DataFrame:
    """Mask small counts (primary) and the counts that would reveal them (secondary).

    Parameters
    ----------
    data : DataFrame
    counts : list of str
        Columns holding counts of people.
    limit : int, default 5
        Counts from 1 to ``limit − 1`` are masked.
    groups : list of lists of str
        Groupings whose totals are published: ``[["period", "metric_id"]]``
        when a county total per quarter and metric is shown; ``[[]]`` when
        the whole table sums to a published total.
    mask_with : list of str
        Further columns masked with a row (e.g. the share computed from it).
    status : str or None, default "status"
        Column set to "suppressed" for masked rows (created when missing);
        None to leave out.

    Returns
    -------
    DataFrame
        A copy with masked values NaN, ``status`` updated and a column
        ``suppression`` ("primary", "secondary" or "").

    Example
    -------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"q": ["K1", "K1", "K2", "K2"], "n": [2.0, 9, 0, 7]})
    >>> suppress(t, counts=["n"], groups=[["q"]])["suppression"].tolist()
    ['primary', 'secondary', '', '']
    """
    require_columns(data, "data", [*counts, *mask_with, *(c for g in groups for c in g)])
    if limit < 1:
        raise ValueError(f"`limit` must be at least 1, but {limit!r} was passed.")
    out = data.copy()
    values = out[list(counts)].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        small = ((values >= 1) & (values < limit)).any(axis=1)
    reason = np.where(small, "primary", "").astype(object)
    masked = small.copy()
    size = np.nan_to_num(values, nan=np.inf).min(axis=1)  # smallest count of each row
    available = np.isfinite(values).any(axis=1)
    changed = True
    while changed:
        changed = False
        for keys in groups:
            labels = (
                out.groupby(list(keys), sort=False, dropna=False).ngroup().to_numpy()
                if keys
                else np.zeros(len(out), dtype=int)
            )
            for label in np.unique(labels):
                rows = np.flatnonzero(labels == label)
                if masked[rows].sum() != 1:
                    continue
                candidates = rows[~masked[rows] & available[rows]]
                if candidates.size == 0:
                    continue
                pick = candidates[np.argmin(size[candidates])]  # argmin takes the first of ties
                masked[pick] = True
                reason[pick] = "secondary"
                changed = True
    columns = [*counts, *mask_with]
    out.loc[masked, columns] = np.nan
    if status is not None:
        if status not in out:
            out[status] = ""
        out.loc[masked, status] = "suppressed"
    out["suppression"] = reason
    return out
