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
    total), the masked rows of a group can be recovered together from that
    total: their sum must not itself be a small count, and one masked row
    alone would be given back exactly. So while a group has exactly one
    masked row, or masked rows whose count adds up to 1 to ``limit − 1``,
    its smallest remaining positive count is masked too (ties: the first in
    row order; a zero protects nothing, so it is never chosen). This repeats
    over all groupings until every group holds, since a new mask in one
    grouping can expose a cell in another.

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

__all__ = ["SUPPRESSION_LIMIT", "suppress", "coarsen_steps"]

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
    known = np.nan_to_num(values)
    size = np.where(known > 0, known, np.inf).min(axis=1)  # smallest positive count of each row
    available = np.isfinite(size)
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
                hidden = known[rows[masked[rows]]].sum(axis=0)
                exposed = ((hidden >= 1) & (hidden < limit)).any()
                if masked[rows].sum() != 1 and not exposed:
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


def coarsen_steps(steps: Sequence[float], *, limit: int = SUPPRESSION_LIMIT) -> np.ndarray:
    """Which points of a running total may be shown, so that no step between them is small.

    A cumulative curve (the share of the people within each distance) rises
    by the people at each value: a rise of 3 people, read with the area's
    population, says where 3 people live. Points are kept so that each rise
    between two kept points is zero or at least ``limit`` people: a small
    step is drawn together with the next one (its people shown a little
    farther out). The last kept point carries the total: when the people
    after it are fewer than ``limit``, they are drawn with it (a little
    nearer), so no point moves more than ``limit − 1`` people.

    Parameters
    ----------
    steps : sequence of float
        People at each successive value (in the curve's order).
    limit : int, default 5

    Returns
    -------
    ndarray of bool
        True for the points that may be shown; draw each with its running
        total, the last one with the total. All False when the total itself
        is small.

    Example
    -------
    >>> coarsen_steps([10, 2, 2, 3, 20]).tolist()
    [True, False, False, True, True]
    >>> coarsen_steps([10, 2, 30, 1]).tolist()  # the last 1 is drawn with the 32 at index 2
    [True, False, True, False]
    >>> coarsen_steps([5, 0, 1]).tolist()  # not with the flat 5 at index 1: it would rise by 1
    [True, False, False]
    """
    steps = np.asarray(steps, dtype=float)
    running = np.cumsum(steps)
    keep = np.zeros(len(steps), dtype=bool)
    if not len(steps) or 1 <= round(running[-1], 6) < limit:
        return keep
    anchor = 0.0
    for i, value in enumerate(running):
        if not 1 <= round(value - anchor, 6) < limit:
            keep[i] = True
            anchor = value
    if 1 <= round(running[-1] - anchor, 6) < limit:  # a small rest, drawn with the last point
        # That point must be one the curve rose to: on a flat one (a rise of 0) the rest
        # alone would be its rise. Flat points at the end give way to the last rise.
        kept = list(np.flatnonzero(keep))
        while len(kept) > 1 and round(running[kept[-1]] - running[kept[-2]], 6) == 0:
            keep[kept.pop()] = False
    return keep
