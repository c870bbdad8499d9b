"""Summaries of :func:`ehalsa_analys.access.nearest`'s table: statistics and Pipos classes.

Private; :func:`summarise` and :func:`distance_classes` are public in
``access``. Both read the nearest table only (kind, distance, unit,
population, and length_m for road times), so any table of that shape works.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import SchemaError, check_choice
from ..schemas import require_columns

#: Pipos' travel-time classes by car (minutes): under 5, 5–10, 10–30, 30 or more.
TIME_CLASSES_MIN = (0.0, 5.0, 10.0, 30.0, np.inf)
#: Default distance thresholds (km); 25 km is the cash-service rule.
THRESHOLDS_KM = (2, 5, 10, 20, 25, 30)
#: Default travel-time thresholds (minutes), the inner edges of :data:`TIME_CLASSES_MIN`.
THRESHOLDS_MIN = (5, 10, 30)
#: Population groups of :func:`summarise`, in output order.
GROUPS = ("all", "urban", "rural", "70+")


def _keys(by) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _measures(distances: pd.DataFrame) -> dict[str, np.ndarray]:
    """Distances in km and times in minutes, each where the table has them."""
    unit = distances["unit"]
    unknown = sorted(set(map(str, pd.unique(unit.dropna()))) - {"m", "s"})
    if unknown or unit.isna().any():
        value = unknown[0] if unknown else None
        raise SchemaError(
            f"`distances` has the unit {value!r}; expected 'm' or 's'",
            column="unit",
            value=value,
            hint="pass the output of access.nearest",
        )
    metres = (unit == "m").to_numpy()
    seconds = ~metres
    distance = distances["distance"].to_numpy(float)
    out = {}
    if metres.any() or "length_m" in distances:
        km = np.where(metres, distance / 1000.0, np.nan)
        if "length_m" in distances:
            km = np.where(seconds, distances["length_m"].to_numpy(float) / 1000.0, km)
        out["km"] = km
    if seconds.any():
        out["min"] = np.where(seconds, distance / 60.0, np.nan)
    return out


def _splits(distances: pd.DataFrame, weight: str, splits: bool):
    """(group name, rows in the group or None for all, weights) of every population group."""
    base = np.nan_to_num(pd.to_numeric(distances[weight], errors="coerce").to_numpy(float))
    yield "all", None, base
    if splits and "urban" in distances:
        urban = distances["urban"]
        known = urban.notna().to_numpy()
        flag = urban.where(known, False).astype(bool).to_numpy()
        yield "urban", known & flag, base
        yield "rural", known & ~flag, base
    if splits and "population_70plus" in distances and weight == "population":
        old = pd.to_numeric(distances["population_70plus"], errors="coerce").to_numpy(float)
        yield "70+", None, np.nan_to_num(old)


def _group_codes(frame: pd.DataFrame, columns: list[str]):
    """Integer group codes in sorted key order (missing keys last), and the keys of each code.

    Each column is factorised on its own (a categorical by its codes) and the
    codes combined: ten times ``groupby(...).ngroup()`` on 3 M rows."""
    combined = np.zeros(len(frame), np.int64)
    uniques = []
    for column in columns:
        codes, values = pd.factorize(frame[column], sort=True, use_na_sentinel=False)
        if isinstance(values, pd.Categorical):
            values = np.asarray(values.astype(values.categories.dtype))
        combined = combined * max(len(values), 1) + codes
        uniques.append(values)
    codes, present = pd.factorize(combined, sort=True)
    keys = {}
    for column, values in zip(reversed(columns), reversed(uniques), strict=True):
        keys[column] = np.asarray(values, dtype=object)[present % max(len(values), 1)]
        present = present // max(len(values), 1)
    keys = pd.DataFrame({c: keys[c] for c in columns})
    for column in columns:
        dtype = frame[column].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            dtype = dtype.categories.dtype
        keys[column] = keys[column].astype(dtype) if keys[column].notna().all() else keys[column]
    return codes, keys


def _sorted_quantiles(g, v, w, qs: Sequence[float], n_groups: int) -> list[np.ndarray]:
    """Inverted weighted CDF per group (:func:`summarise`) of values sorted by (group, value)."""
    outs = [np.full(n_groups, np.nan) for _ in qs]
    if not len(g):
        return outs
    cum = pd.Series(w).groupby(g, sort=False).cumsum().to_numpy()
    last = np.flatnonzero(np.r_[g[1:] != g[:-1], True])
    share = cum / np.repeat(cum[last], np.diff(np.r_[-1, last]))
    for q, out in zip(qs, outs, strict=True):
        hit = np.flatnonzero(share >= q)  # the last value of a group always qualifies
        first = hit[np.r_[True, g[hit][1:] != g[hit][:-1]]]
        out[g[first]] = v[first]
    return outs


def _label(t: float) -> str:
    return f"{t:g}"


def summarise(
    distances: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "municipality_code",
    thresholds_km: Sequence[float] = THRESHOLDS_KM,
    thresholds_min: Sequence[float] = THRESHOLDS_MIN,
    splits: bool = True,
    weight: str = "population",
) -> pd.DataFrame:
    """Population-weighted distance summaries per area, kind and population group.

    Parameters
    ----------
    distances : DataFrame
        Output of :func:`nearest` (kind, distance, unit, population, and
        length_m for road times).
    by : str, list of str or None, default "municipality_code"
        Grouping columns besides ``kind``; None for the whole table.
    thresholds_km : sequence of float, default (2, 5, 10, 20, 25, 30)
        Distance thresholds (km) for the people and share beyond.
    thresholds_min : sequence of float, default (5, 10, 30)
        Travel-time thresholds (minutes).
    splits : bool, default True
        Add the groups "urban" and "rural" when the table has an ``urban``
        column, and "70+" (weighted by ``population_70plus``) when it has
        that column.
    weight : str, default "population"
        The column to weight by.

    Returns
    -------
    DataFrame
        One row per *by, kind and group ("all", "urban", "rural", "70+"):
        population (people in the group), unreachable (people without a
        route); for distances mean_km, median_km, p90_km, beyond_<t>km and
        share_beyond_<t>km per threshold; for times the same with "min".
        Shares are of the people with a route; "beyond t" is t or more.
        Urban and rural rows appear where the area has such cells.

    Notes
    -----
    The mean is population-weighted. The weighted quantile (median, 90th
    percentile) is the inverted weighted CDF: sort the values, let ``F_i``
    be the cumulative weight share up to value ``i``; the q-quantile is the
    smallest value with ``F_i ≥ q`` (no interpolation; the distance within
    which at least a share q of the people live). It equals
    ``numpy.quantile(values, q, weights=w, method="inverted_cdf")``.
    "Beyond t" means a distance of t or more: the complement of Pipos'
    "under t" class, so the shares add up with :func:`distance_classes`.
    People without a route are reported (``unreachable``) and left out of
    the shares and statistics, as Pipos removes island squares without
    reliable accessibility.

    Example
    -------
    >>> d = pd.DataFrame({"municipality_code": "1880", "kind": "apotek", "unit": "m",
    ...     "population": [10.0, 30.0, 60.0], "distance": [1000.0, 4000.0, 12000.0]})
    >>> s = summarise(d, thresholds_km=(5,))
    >>> s[["group", "mean_km", "median_km", "beyond_5km", "share_beyond_5km"]]
      group  mean_km  median_km  beyond_5km  share_beyond_5km
    0   all      8.5       12.0        60.0               0.6
    """
    keys = _keys(by)
    require_columns(distances, "distances", [*keys, "kind", "distance", "unit", weight])
    measures = _measures(distances)
    codes, base = _group_codes(distances, [*keys, "kind"])
    size = len(base)
    reach = np.isfinite(distances["distance"].to_numpy(float))
    thresholds = {"km": thresholds_km, "min": thresholds_min}
    groups = []
    for name, rows, w in _splits(distances, weight, splits):
        groups.append((name, rows, w if rows is None else np.where(rows, w, 0.0)))
    stats = [
        {
            "population": np.bincount(codes, w, minlength=size),
            "unreachable": np.bincount(codes[~reach], w[~reach], minlength=size),
        }
        for _, _, w in groups
    ]
    for unit, values in measures.items():
        # Work in one order, by group then value (NaN last): the gathers happen once.
        by_value = np.argsort(values)
        narrow = codes.astype(np.int16) if size < 2**15 else codes  # radix sort when small
        order = by_value[np.argsort(narrow[by_value], kind="stable")]
        sorted_codes, v = codes[order], values[order]
        finite = np.isfinite(v)
        edges = np.asarray(thresholds[unit], float)
        k = len(edges) + 1
        klass = np.searchsorted(edges, v, side="right")  # how many thresholds passed
        for (_, _, weights), out in zip(groups, stats, strict=True):
            w = weights[order]
            ok = finite & (w > 0)
            g, vk, wk = sorted_codes[ok], v[ok], w[ok]
            with np.errstate(invalid="ignore", divide="ignore"):
                out[f"mean_{unit}"] = np.bincount(g, wk * vk, size) / np.bincount(g, wk, size)
            median, p90 = _sorted_quantiles(g, vk, wk, (0.5, 0.9), size)
            out[f"median_{unit}"], out[f"p90_{unit}"] = median, p90
            counts = np.bincount(g * k + klass[ok], wk, minlength=size * k).reshape(size, k)
            passed = counts[:, ::-1].cumsum(axis=1)[:, ::-1]
            reached = out["population"] - out["unreachable"]
            for c, t in enumerate(edges, start=1):
                out[f"beyond_{_label(t)}{unit}"] = passed[:, c]
            for c, t in enumerate(edges, start=1):
                with np.errstate(invalid="ignore", divide="ignore"):
                    share = np.where(reached > 0, passed[:, c] / reached, np.nan)
                out[f"share_beyond_{_label(t)}{unit}"] = share
    frames = []
    for rank, ((name, rows, _), values) in enumerate(zip(groups, stats, strict=True)):
        present = (
            np.ones(size, bool) if rows is None else np.bincount(codes[rows], minlength=size) > 0
        )
        frame = base[present].assign(group=name, _code=np.flatnonzero(present), _rank=rank)
        frames.append(frame.assign(**{k: v[present] for k, v in values.items()}))
    out = pd.concat(frames, ignore_index=True).sort_values(["_code", "_rank"], kind="stable")
    return out.drop(columns=["_code", "_rank"]).reset_index(drop=True)


def distance_classes(
    distances: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "municipality_code",
    unit: str | None = None,
    thresholds_km: Sequence[float] = THRESHOLDS_KM,
    thresholds_min: Sequence[float] = THRESHOLDS_MIN,
    weight: str = "population",
) -> pd.DataFrame:
    """Population per distance (km) or time (min) class, in Pipos' table shape.

    Parameters
    ----------
    distances : DataFrame
        Output of :func:`nearest`.
    by : str, list of str or None, default "municipality_code"
    unit : {None, "km", "min"}
        Classes of distance or time; None: minutes for a time table (unit
        "s"), km otherwise. Km of a time table come from ``length_m``.
    thresholds_km, thresholds_min : sequence of float
        Inner class edges: classes are [0, t1), [t1, t2), …, [tk, ∞).
        The minute default gives Pipos' under 5, 5–10, 10–30, 30 or more.
    weight : str, default "population"
        Column to count ("population_70plus" for the 70+ classes).

    Returns
    -------
    DataFrame
        *by, kind, lower, upper, unit ("km" or "min"), population, share
        (of the people with a route, 0–1). Every class is listed, empty
        ones with 0; people without a route are left out.

    Notes
    -----
    Pipos-style classes ``[lower, upper)``: for times the edges are 0, 5,
    10, 30, ∞ minutes (:data:`TIME_CLASSES_MIN`, Pipos' "under 5, 5–10,
    10–30, over 30 minutes by car"); for distances 0, the ``thresholds_km``
    and ∞. A Pipos table read with :func:`ehalsa_analys.load.pipos` has the
    same columns (lower, upper, unit, population), so both sit in one chart.

    Example
    -------
    >>> d = pd.DataFrame({"municipality_code": "1880", "kind": "dagligvaror", "unit": "s",
    ...     "population": [10.0, 30.0, 60.0], "distance": [120.0, 400.0, 2400.0]})
    >>> distance_classes(d)[["lower", "upper", "population"]].values.tolist()
    [[0.0, 5.0, 10.0], [5.0, 10.0, 30.0], [10.0, 30.0, 0.0], [30.0, inf, 60.0]]
    """
    keys = _keys(by)
    check_choice("unit", [None, "km", "min"], unit)
    require_columns(distances, "distances", [*keys, "kind", "distance", "unit", weight])
    measures = _measures(distances)
    if unit is None:
        unit = "min" if "min" in measures else "km"
    if unit not in measures:
        raise ValueError(
            f"`unit={unit!r}` needs {'road times (unit s)' if unit == 'min' else 'distances'}"
            f" in `distances`, which has only {sorted(measures)}."
        )
    inner = np.asarray(thresholds_km if unit == "km" else thresholds_min, float)
    if (np.diff(inner) <= 0).any() or (inner <= 0).any():
        raise ValueError(
            f"Thresholds must be positive and increasing, but {list(inner)} was passed."
        )
    edges = np.r_[0.0, inner, np.inf]
    k = len(edges) - 1
    values = measures[unit]
    w = np.nan_to_num(pd.to_numeric(distances[weight], errors="coerce").to_numpy(float))
    codes, groups = _group_codes(distances, [*keys, "kind"])
    ok = np.isfinite(values)
    klass = np.clip(np.searchsorted(edges, values[ok], side="right") - 1, 0, k - 1)
    counts = np.bincount(codes[ok] * k + klass, w[ok], minlength=len(groups) * k)
    out = groups.loc[groups.index.repeat(k)].reset_index(drop=True)
    out["lower"] = np.tile(edges[:-1], len(groups))
    out["upper"] = np.tile(edges[1:], len(groups))
    out["unit"] = unit
    out["population"] = counts
    total = np.repeat(counts.reshape(-1, k).sum(axis=1), k) if len(groups) else counts
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share"] = np.where(total > 0, counts / total, np.nan)
    return out
