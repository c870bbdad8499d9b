"""Small-count suppression of the distance tables before they leave the package.

The distance tables count people: :func:`summarise` the people beyond each
threshold, :func:`distance_classes` the people in each class. Read together
with the area's population, two neighbouring published counts give the
people between them (beyond 10 km minus beyond 20 km is the class 10–20 km),
so masking each small count alone is not enough. Both functions here keep
every *difference* between published neighbours at zero or at least the
limit, mask shares computed from a masked count, and mask the counts that
published totals would give back (secondary suppression, as
:func:`ehalsa_analys.disclosure.suppress`). The rule and its basis are in the
README's "Data protection" section.

Example
-------
>>> import pandas as pd
>>> s = pd.DataFrame({"municipality_code": ["1880", "1881"], "kind": "apotek", "group": "all",
...     "population": [500.0, 300.0], "unreachable": 0.0,
...     "beyond_10km": [40.0, 20.0], "beyond_20km": [37.0, 0.0]})
>>> publishable_summary(s)[["beyond_10km", "beyond_20km", "suppressed"]]
   beyond_10km  beyond_20km   suppressed
0          NaN         37.0  beyond_10km
1          NaN          0.0  beyond_10km
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..disclosure import SUPPRESSION_LIMIT
from ..schemas import require_columns
from ._summaries import _keys, _label

__all__ = ["publishable_summary", "publishable_classes"]

_UNITS = ("km", "min")


def _small(values: np.ndarray, limit: int) -> np.ndarray:
    """Counts from 1 to ``limit − 1`` (rounded to 6 decimals against float noise)."""
    rounded = np.round(np.asarray(values, float), 6)
    with np.errstate(invalid="ignore"):
        return (rounded >= 1) & (rounded < limit)


def _thresholds(columns: Sequence[str], prefix: str, unit: str) -> list[tuple[float, str]]:
    """``[(threshold, column), …]`` of the ``<prefix><t><unit>`` columns, nearest first."""
    found = []
    for column in columns:
        if column.startswith(prefix) and column.endswith(unit):
            try:
                found.append((float(column[len(prefix) : -len(unit)]), column))
            except ValueError:
                continue
    return sorted(found)


def _chain(
    cumulative: np.ndarray, top: np.ndarray, hidden: np.ndarray, limit: int
) -> tuple[np.ndarray, np.ndarray]:
    """Mask cumulative counts until no two published neighbours differ by a small count.

    ``cumulative`` holds, per row, the people at or beyond each threshold,
    nearest threshold first (so non-increasing); the chain is closed by 0
    beyond the last threshold and by ``top`` (the people with a route, NaN
    when it is not published) before the first. Walking from the far end,
    a value whose step from the last published one is small is masked; if
    the step from the last published value to ``top`` is small, published
    values are masked from the near end until it is not. Returns the mask
    and, per row, whether ``top`` itself is small (the whole row must go).
    """
    out = hidden | ~np.isfinite(cumulative)
    rows, k = cumulative.shape
    small_top = np.zeros(rows, dtype=bool)
    for r in range(rows):
        anchors = [(-1, 0.0)]  # (column, value) of published values, far end first
        for j in range(k - 1, -1, -1):
            if out[r, j]:
                continue
            if _small(cumulative[r, j] - anchors[-1][1], limit):
                out[r, j] = True
            else:
                anchors.append((j, cumulative[r, j]))
        if not np.isfinite(top[r]):
            continue
        while _small(top[r] - anchors[-1][1], limit):
            j, _ = anchors.pop()
            if j < 0:
                small_top[r] = True
                break
            out[r, j] = True
    return out, small_top


def _protect(values: np.ndarray, masked: np.ndarray, rows: np.ndarray, limit: int):
    """Whether the masked ``rows`` of one published total are exposed, and the row to mask.

    The masked rows of a group whose total is published are known together:
    one alone, or several adding up to a small count, needs one more masked
    row (the smallest positive published one; a zero protects nothing).
    Returns ``(exposed, row)``, ``row`` None when no row is left to mask.
    """
    hidden = rows[masked[rows]]
    if hidden.size == 0 or (hidden.size > 1 and not _small(np.nansum(values[hidden]), limit)):
        return False, None
    candidates = rows[~masked[rows] & (np.nan_to_num(values[rows]) > 0)]
    if candidates.size == 0:
        return True, None
    return True, int(candidates[np.argmin(values[candidates])])


def publishable_summary(
    summary: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "municipality_code",
    limit: int = SUPPRESSION_LIMIT,
) -> pd.DataFrame:
    """The :func:`summarise` table with small counts and what gives them back masked.

    Parameters
    ----------
    summary : DataFrame
        Output of :func:`summarise` (by, kind, group, population, unreachable,
        ``beyond_<t><unit>``, ``share_beyond_<t><unit>`` and statistics).
    by : str, list of str or None, default "municipality_code"
        The grouping ``summary`` was made with.
    limit : int, default 5
        Counts of people from 1 to ``limit − 1`` are small.

    Returns
    -------
    DataFrame
        A copy with masked cells NaN and a column ``suppressed`` naming the
        masked count columns of each row (";"-separated, "" when none).

    Notes
    -----
    Masked, until nothing changes:

    * a row whose population (or people with a route) is small: every value,
      statistics included, since they describe those few people;
    * a small ``unreachable`` count, and then every share of the row (a
      share and its count give the people with a route back);
    * per unit, the ``beyond_<t>`` counts chosen by walking the chain
      0 ≤ beyond the last threshold ≤ … ≤ beyond the first ≤ people with a
      route, so that every step between published neighbours (the people
      in a class) is zero or at least ``limit``;
    * secondary: where a published total would give masked cells back —
      the "all" row of an area over its "urban" and "rural" rows, and the
      county total over the areas of a kind and group (captions publish it)
      — the smallest positive published count of the group;
    * each ``share_beyond_<t>`` whose count is masked.

    Example
    -------
    >>> s = pd.DataFrame({"municipality_code": "1880", "kind": "apotek", "group": "all",
    ...     "population": [200.0], "unreachable": [0.0], "beyond_5km": [30.0],
    ...     "beyond_10km": [28.0], "share_beyond_5km": [0.15], "share_beyond_10km": [0.14]})
    >>> publishable_summary(s)[["beyond_5km", "beyond_10km", "share_beyond_5km"]]
       beyond_5km  beyond_10km  share_beyond_5km
    0         NaN         28.0               NaN
    """
    keys = _keys(by)
    require_columns(summary, "summary", [*keys, "kind", "group", "population", "unreachable"])
    if limit < 1:
        raise ValueError(f"`limit` must be at least 1, but {limit!r} was passed.")
    out = summary.reset_index(drop=True).copy()
    chains = {unit: _thresholds(out.columns, "beyond_", unit) for unit in _UNITS}
    counts = ["population", "unreachable"] + [c for u in _UNITS for _, c in chains[u]]
    values = out[counts].to_numpy(float)
    masked = np.zeros(values.shape, dtype=bool)
    pop, unr = 0, 1
    groupings = _groupings(out, keys)
    while True:
        before = masked.copy()
        masked[:, unr] |= _small(values[:, unr], limit)
        whole = _small(values[:, pop], limit) | masked[:, pop]
        top = values[:, pop] - values[:, unr]
        top[masked[:, pop] | masked[:, unr]] = np.nan
        whole |= _small(top, limit)
        for unit in _UNITS:
            index = [counts.index(c) for _, c in chains[unit]]
            if not index:
                continue
            chain, small_top = _chain(values[:, index], top, masked[:, index], limit)
            masked[:, index] = chain
            whole |= small_top
        masked[whole] = True
        for total, parts in groupings:
            for j in range(len(counts)):
                if total is not None and masked[total, j]:
                    continue  # the total is hidden: it gives nothing back
                exposed, pick = _protect(values[:, j], masked[:, j], parts, limit)
                if pick is not None:
                    masked[pick, j] = True
                elif exposed and total is not None:
                    masked[total, j] = True  # no part left to mask: hide the total
        if (masked == before).all():
            break
    whole = masked[:, pop]
    for j, column in enumerate(counts):
        out.loc[masked[:, j], column] = np.nan
    for unit in _UNITS:
        for t, column in chains[unit]:
            share = f"share_beyond_{_label(t)}{unit}"
            if share in out:
                out.loc[masked[:, counts.index(column)] | masked[:, unr], share] = np.nan
    statistics = [c for c in out.columns if c.split("_")[0] in ("mean", "median", "p90")]
    out.loc[whole, statistics] = np.nan
    out["suppressed"] = [
        ";".join(c for c, m in zip(counts, row, strict=True) if m) for row in masked
    ]
    return out


def _groupings(out: pd.DataFrame, keys: list[str]) -> list[tuple[int | None, np.ndarray]]:
    """(total row or None, part rows) of every published total the rows add up to."""
    found: list[tuple[int | None, np.ndarray]] = []
    group = out["group"].astype(str).to_numpy()
    if keys:
        labels = out.groupby([*keys, "kind"], sort=False, dropna=False).ngroup().to_numpy()
        for label in np.unique(labels):
            rows = np.flatnonzero(labels == label)
            total = rows[group[rows] == "all"]
            parts = rows[np.isin(group[rows], ["urban", "rural"])]
            if total.size == 1 and parts.size:
                found.append((int(total[0]), parts))
        county = out.groupby(["kind", "group"], sort=False, dropna=False).ngroup().to_numpy()
        for label in np.unique(county):
            found.append((None, np.flatnonzero(county == label)))
    return found


def publishable_classes(
    classes: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "municipality_code",
    summary: pd.DataFrame | None = None,
    limit: int = SUPPRESSION_LIMIT,
) -> pd.DataFrame:
    """The :func:`distance_classes` table with small classes and what gives them back masked.

    Parameters
    ----------
    classes : DataFrame
        Output of :func:`distance_classes` (by, kind, lower, upper, unit,
        population, share).
    by : str, list of str or None, default "municipality_code"
    summary : DataFrame, optional
        The :func:`publishable_summary` table published beside it: a
        threshold it masks for an area's "all" row is masked here too, so
        the two tables cannot be subtracted from each other.
    limit : int, default 5

    Returns
    -------
    DataFrame
        A copy with ``population`` and ``share`` NaN and ``status``
        "suppressed" for masked classes.

    Notes
    -----
    Per area and kind, the classes are steps of one chain of cumulative
    counts (the people at or beyond each class's lower edge), masked as in
    :func:`publishable_summary`: a class is published only when both of its
    edges are, so every published class holds zero or at least ``limit``
    people, and two masked classes next to each other are known only
    together. An area whose people with a route are a small count is masked
    whole.

    Example
    -------
    >>> c = pd.DataFrame({"municipality_code": "1880", "kind": "apotek", "unit": "min",
    ...     "lower": [0.0, 5.0, 10.0], "upper": [5.0, 10.0, float("inf")],
    ...     "population": [90.0, 3.0, 20.0]})
    >>> publishable_classes(c)["population"].tolist()
    [nan, nan, 20.0]
    """
    keys = _keys(by)
    require_columns(classes, "classes", [*keys, "kind", "lower", "upper", "unit", "population"])
    out = classes.reset_index(drop=True).copy()
    masked_rows = np.zeros(len(out), dtype=bool)
    hidden_edges = _summary_edges(summary, keys) if summary is not None else None
    population = out["population"].to_numpy(float)
    labels = out.groupby([*keys, "kind", "unit"], sort=False, dropna=False).ngroup().to_numpy()
    for label in np.unique(labels):
        rows = np.flatnonzero(labels == label)
        rows = rows[np.argsort(out["lower"].to_numpy(float)[rows], kind="stable")]
        counts = population[rows]
        beyond = np.cumsum(counts[::-1])[::-1]  # people at or beyond each lower edge
        top = np.array([beyond[0]])
        edges = beyond[1:][None, :]
        hidden = np.zeros(edges.shape, dtype=bool)
        if hidden_edges is not None:
            first = out.iloc[rows[0]]
            area = (tuple(first[k] for k in keys), first["kind"], first["unit"])
            for j, lower in enumerate(out["lower"].to_numpy(float)[rows][1:]):
                hidden[0, j] = (area, _label(lower)) in hidden_edges or (area, "*") in hidden_edges
        edge_mask, small_top = _chain(edges, top, hidden, limit)
        if small_top[0]:
            masked_rows[rows] = True
            continue
        published = np.r_[True, ~edge_mask[0], True]  # lower edge of each class, then ∞
        masked_rows[rows] = ~(published[:-1] & published[1:])
    columns = ["population", *(["share"] if "share" in out else [])]
    out.loc[masked_rows, columns] = np.nan
    if "status" not in out:
        out["status"] = ""
    out.loc[masked_rows, "status"] = "suppressed"
    return out


def _summary_edges(summary: pd.DataFrame, keys: list[str]) -> set:
    """{((by values), kind, unit), threshold label or "*"} masked in a published summary."""
    require_columns(summary, "summary", [*keys, "kind", "group", "suppressed"])
    found = set()
    rows = summary[summary["group"].astype(str) == "all"]
    for _, row in rows.iterrows():
        area = tuple(row[k] for k in keys)
        for column in str(row["suppressed"]).split(";"):
            if column == "population":
                for unit in _UNITS:
                    found.add(((area, row["kind"], unit), "*"))
            for unit in _UNITS:
                if column.startswith("beyond_") and column.endswith(unit):
                    found.add(((area, row["kind"], unit), column[len("beyond_") : -len(unit)]))
    return found
